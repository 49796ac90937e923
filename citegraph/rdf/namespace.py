"""RDF namespaces of citegraph: the ontology as an rdflib ``DefinedNamespace`` (rdflib style), ELI, IRI bases.

Examples
--------
>>> CG.Citation
rdflib.term.URIRef('https://w3id.org/citegraph/ontology#Citation')
>>> str(ELI.applies)
'http://data.europa.eu/eli/ontology#applies'
>>> CG.notATerm  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
AttributeError: term 'notATerm' not in namespace 'https://w3id.org/citegraph/ontology#'
"""
from __future__ import annotations

from rdflib import namespace as _rdflib_namespace
from rdflib.namespace import Namespace
from rdflib.term import URIRef

#: Base of the identity IRIs of documents (docs/CONTRACTS.md).
ID = Namespace("https://w3id.org/citegraph/id/")
#: Base of the generated SKOS concept schemes.
VOCAB = Namespace("https://w3id.org/citegraph/vocab/")
#: Base of mention and citation-event IRIs.
PROV = Namespace("https://w3id.org/citegraph/prov/")
#: The ontology IRI itself.
ONTOLOGY = URIRef("https://w3id.org/citegraph/ontology")
#: European Legislation Identifier ontology.
ELI = Namespace("http://data.europa.eu/eli/ontology#")


class CG(_rdflib_namespace.DefinedNamespace):
    """
    citegraph ontology

    Vietnamese administrative and Party documents and the citations between them, aligned with ELI.
    Terms exist here only where ELI has none.

    Generated from: ontology/citegraph.ttl (a test checks that both list the same terms)
    """

    _fail = True

    # http://www.w3.org/2002/07/owl#Class
    Citation: URIRef  # A citation event: one document citing another with a relation type, at one place of one text.
    Document: URIRef  # A document of the corpus or cited by it (subclass of eli:LegalResource).
    Mention: URIRef  # One place in a text that names a document.
    RegistryEntry: URIRef  # What the registry of known documents records about a document, with its source.

    # http://www.w3.org/2002/07/owl#ObjectProperty
    candidate: URIRef  # A full identity a partially identified document may be.
    cited: URIRef  # The cited document of a citation event.
    citing: URIRef  # The citing document of a citation event.
    guides: URIRef  # The subject guides or details the object (hướng dẫn, quy định chi tiết).
    mention: URIRef  # A place in a text that names the subject.
    registryEntry: URIRef  # What the registry says about the subject.
    relationProperty: URIRef  # The ELI (or citegraph) property a relation-type concept stands for.
    relationType: URIRef  # The relation-type concept a citation event states.
    replaces: URIRef  # The subject replaces the object (thay thế); subproperty of eli:repeals.
    resolvedFrom: URIRef  # The partial identity a mention was resolved from.
    todayUnit: URIRef  # The unit of today's map (since 1 July 2025) holding the subject's jurisdiction.

    # http://www.w3.org/2002/07/owl#DatatypeProperty
    contentHash: URIRef  # SHA-256 of a source file's bytes.
    cue: URIRef  # The words that state the relation.
    end: URIRef  # Offset after the last character.
    extraction: URIRef  # The extraction of a source file as JSON.
    fromRegistry: URIRef  # A description property the registry filled (no text gives it).
    issuerName: URIRef  # The issuing body as named.
    jurisdictionName: URIRef  # The jurisdiction as a name.
    kind: URIRef  # document, numbered or named.
    level: URIRef  # central, province, district or commune.
    name: URIRef  # The name of a document cited without a number.
    sentence: URIRef  # The sentence holding the mention or citation.
    sourceFile: URIRef  # A corpus file.
    start: URIRef  # Offset of the first character.
    statedDate: URIRef  # The date a mention states.
    statedIssuer: URIRef  # The issuer a mention states.
    system: URIRef  # party or state.
    term: URIRef  # Party or National Assembly term (khóa).
    text: URIRef  # The matched text of a mention.
    todayJurisdiction: URIRef  # Today's unit as a name (a key like jurisdictionName).
    typeCode: URIRef  # The type code of the symbol.
    typeName: URIRef  # The type word.
    year: URIRef  # The year of issue.

    _NS = Namespace("https://w3id.org/citegraph/ontology#")


__all__ = ["CG", "ELI", "ID", "ONTOLOGY", "PROV", "VOCAB"]
