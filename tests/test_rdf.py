"""Ontology, DefinedNamespace, generated SKOS schemes, SHACL shapes, deterministic serialisation."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from citegraph.corpus import from_extractions
from citegraph.outputs.writers import jsonld
from citegraph.rdf.triples import XSD, to_rdf, validate
from citegraph.rdf.namespace import CG, ELI
from citegraph.graph.registry import Registry
from citegraph.rdf.skos import (body_concept, canonical_turtle, place_concept, relation_concept, relation_property,
                            skos_graph, skos_path, skos_turtle, type_concept)
from citegraph.text.vocab import raw

ROOT = Path(__file__).resolve().parent.parent
ONTO = ROOT / "ontology" / "citegraph.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTO, format="turtle")


def test_namespace_matches_the_ontology_terms(ontology):
    in_ttl = {str(s)[len(str(CG)):] for s in ontology.subjects() if str(s).startswith(str(CG))}
    in_py = set(CG.__annotations__)
    assert in_ttl == in_py
    for t in in_py:
        assert (CG[t], RDFS.label, None) in ontology, t


@pytest.mark.parametrize("term, kind", [
    ("Document", OWL.Class), ("Mention", OWL.Class), ("Citation", OWL.Class), ("RegistryEntry", OWL.Class),
    ("replaces", OWL.ObjectProperty), ("guides", OWL.ObjectProperty), ("candidate", OWL.ObjectProperty),
    ("term", OWL.DatatypeProperty), ("level", OWL.DatatypeProperty), ("system", OWL.DatatypeProperty),
])
def test_own_terms_are_declared(ontology, term, kind):
    assert (CG[term], RDF.type, kind) in ontology


def test_alignment_with_eli(ontology):
    assert (CG.Document, RDFS.subClassOf, ELI.LegalResource) in ontology
    assert (CG.replaces, RDFS.subPropertyOf, ELI.repeals) in ontology
    assert (CG.guides, RDFS.subPropertyOf, ELI.cites) in ontology


@pytest.mark.parametrize("rel, prop", [
    ("based_on", ELI.based_on), ("implements", ELI.applies), ("amends", ELI.amends), ("repeals", ELI.repeals),
    ("cites", ELI.cites), ("replaces", CG.replaces), ("guides", CG.guides),
])
def test_relation_properties_come_from_relations_json(rel, prop):
    assert relation_property(rel) == prop


def test_every_relation_without_eli_property_is_an_own_term(ontology):
    for r in raw("relations")["relations"]:
        p = relation_property(r["name"])
        if not r.get("eli"):
            assert (p, RDF.type, OWL.ObjectProperty) in ontology, r["name"]


def test_skos_file_is_up_to_date():
    assert skos_path().read_text(encoding="utf-8") == skos_turtle(), "run: python -m citegraph.rdf.skos"


@pytest.mark.parametrize("source, key, concept, scheme", [
    ("doc_types", "types", type_concept, "doc-type"),
    ("issuers", "bodies", body_concept, "body"),
    ("places", "provinces", place_concept, "place"),
])
def test_every_vocabulary_entry_is_a_concept(source, key, concept, scheme):
    g = skos_graph()
    entries = raw(source)[key]
    iris = {concept(e["name"]) for e in entries}
    assert len(iris) == len(entries)  # distinct slugs
    for e in entries:
        c = concept(e["name"])
        assert (c, RDF.type, SKOS.Concept) in g
        assert (c, SKOS.prefLabel, Literal(e["name"], lang="vi")) in g
        assert (c, SKOS.inScheme, URIRef(f"https://w3id.org/citegraph/vocab/{scheme}")) in g


def test_relation_concepts_name_their_property():
    g = skos_graph()
    for r in raw("relations")["relations"]:
        assert g.value(relation_concept(r["name"]), CG.relationProperty) == relation_property(r["name"])


def test_type_codes_are_notations():
    g = skos_graph()
    for t in raw("doc_types")["types"]:
        notes = {str(o) for o in g.objects(type_concept(t["name"]), SKOS.notation)}
        assert notes == {c for c in [t.get("code"), *t.get("alt_codes", [])] if c}


# ============================================================================================ shapes
def _valid_graph(lit):
    kl = "party/central/tw/kl/xi/114"
    reg = Registry.from_entries([{"id": kl, "source": "official", "date": "2015-07-14"}])
    ex = lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", kl, stated_date="2015-07-14", sentence="s")],
                [("SELF", "implements", 0)])
    return from_extractions([ex], reg).rdf


def _first(g, cls):
    return sorted(g.subjects(RDF.type, cls))[0]


def _doc(g):
    return URIRef("https://w3id.org/citegraph/id/party/central/tw/kl/xi/114")


MUTATIONS = {
    "label removed": lambda g: g.remove((_doc(g), RDFS.label, None)),
    "second date": lambda g: g.add((_doc(g), ELI.date_document, Literal("2015-07-15", datatype=XSD.date))),
    "unknown kind": lambda g: g.set((_doc(g), CG.kind, Literal("rumour"))),
    "level outside the list": lambda g: g.add((_doc(g), CG.level, Literal("galaxy"))),
    "symbol with a space": lambda g: g.set((_doc(g), ELI.id_local, Literal("114 KL/TW"))),
    "mention without offsets": lambda g: g.remove((_first(g, CG.Mention), CG.start, None)),
    "mention start after end": lambda g: g.set((_first(g, CG.Mention), CG.start, Literal(10_000))),
    "citation without direct link": lambda g: g.remove((None, ELI.applies, None)),
    "citation without relation type": lambda g: g.remove((_first(g, CG.Citation), CG.relationType, None)),
    "registry entry without source": lambda g: g.remove((_first(g, CG.RegistryEntry), DCTERMS.source, None)),
    "corpus document without file": lambda g: g.remove((None, CG.sourceFile,
                                                         Literal("a.txt"))) or g.remove((None, CG.sourceFile, None)),
    "candidates on a full identity": lambda g: g.add((_doc(g), CG.candidate, _doc(g))),
    "cited document not typed": lambda g: g.remove((_doc(g), RDF.type, CG.Document)),
    "filled without the registry's record": lambda g: [g.remove((e, None, None)) or g.remove((None, None, e))
                                                        for e in list(g.subjects(RDF.type, CG.RegistryEntry))],
    "filled attribute outside the list": lambda g: g.add((_doc(g), CG.fromRegistry, Literal("colour"))),
    "resolved from a full identity": lambda g: g.add((_first(g, CG.Mention), CG.resolvedFrom, _doc(g))),
}


def test_the_valid_literal_graph_conforms(lit):
    g = _valid_graph(lit)
    ok, text = validate(g)
    assert ok, text
    assert (_doc(g), CG.fromRegistry, Literal("date")) in g  # the mutations below start from a filled date


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_shapes_catch_broken_graphs(lit, name):
    g = _valid_graph(lit)
    MUTATIONS[name](g)
    ok, _ = validate(g)
    assert not ok, name


# ===================================================================================== serialisation
def test_canonical_turtle_does_not_depend_on_insertion_order(lit):
    g = _valid_graph(lit)
    triples = sorted(g, key=str)
    a, b = Graph(), Graph()
    for t in triples:
        a.add(t)
    for t in reversed(triples):
        b.add(t)
    assert canonical_turtle(a) == canonical_turtle(b)
    assert isomorphic(Graph().parse(data=canonical_turtle(a), format="turtle"), g)


def test_canonical_turtle_escapes_hostile_literals():
    g = Graph()
    s = URIRef("https://w3id.org/citegraph/id/doc/x")
    nasty = 'a "quoted" \\ back\nslash """ and\ttab'
    g.add((s, RDFS.label, Literal(nasty)))
    back = Graph().parse(data=canonical_turtle(g), format="turtle")
    assert str(back.value(s, RDFS.label)) == nasty


def test_canonical_turtle_refuses_blank_nodes():
    from rdflib import BNode

    g = Graph()
    g.add((BNode(), RDFS.label, Literal("x")))
    with pytest.raises(ValueError, match="blank nodes"):
        canonical_turtle(g)


def test_skos_generation_is_stable_across_hash_seeds():
    outs = set()
    for seed in ("0", "7"):
        r = subprocess.run([sys.executable, "-c", "import sys; from citegraph.rdf.skos import skos_turtle; "
                            "sys.stdout.write(skos_turtle())"], cwd=ROOT, capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed})
        outs.add(r.stdout)
    assert len(outs) == 1


def test_jsonld_round_trips(lit):
    g = _valid_graph(lit)
    assert isomorphic(Graph().parse(data=jsonld(g), format="json-ld"), g)
    assert jsonld(g) == jsonld(to_rdf(from_extractions([], Registry())) + g)


def test_every_jurisdiction_of_the_seed_graph_is_a_place_concept(seed_graph):
    vocab = skos_graph()
    targets = set(seed_graph.rdf.objects(None, ELI.jurisdiction))
    assert len(targets) >= 5
    for t in targets:
        g = vocab if (t, RDF.type, SKOS.Concept) in vocab else seed_graph.rdf
        assert (t, RDF.type, SKOS.Concept) in g, t
        assert (t, SKOS.inScheme, URIRef("https://w3id.org/citegraph/vocab/place")) in g, t
    hon_quan = place_concept("huyện Hớn Quản, tỉnh Bình Phước")
    assert seed_graph.rdf.value(hon_quan, SKOS.broader) == place_concept("tỉnh Bình Phước")
