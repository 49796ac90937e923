"""SKOS concept schemes generated from the vocabularies in ``ontology/*.json`` (one source of truth).

Document types, issuing bodies, places and relation types become SKOS concept schemes; the
extraction stage reads the same JSON. ``python -m citegraph.rdf.skos`` writes ``ontology/skos.ttl``;
a test checks that the file is up to date. :func:`canonical_turtle` is the deterministic Turtle
writer used for every ``.ttl`` citegraph writes.

Examples
--------
>>> str(type_concept("Kết luận"))
'https://w3id.org/citegraph/vocab/doc-type/ket-luan'
>>> str(relation_property("implements"))
'http://data.europa.eu/eli/ontology#applies'
>>> str(relation_property("replaces"))
'https://w3id.org/citegraph/ontology#replaces'
>>> str(place_concept("huyện Hớn Quản, tỉnh Bình Phước"))
'https://w3id.org/citegraph/vocab/place/binh-phuoc/huyen-hon-quan'
"""
from __future__ import annotations

import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, Namespace

from citegraph.io.atomic import atomic_write
from citegraph.text.normalize import ascii_slug
from citegraph.rdf.namespace import CG, ELI, ID, PROV, VOCAB
from citegraph.text.units import provinces, today, unit
from citegraph.text.vocab import raw, vocabulary

#: XML Schema datatypes (a plain Namespace: rdflib's DefinedNamespace warns under doctest collection).
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

SCHEMES = {
    "doc-type": "Document types",
    "body": "Issuing bodies",
    "place": "Places (jurisdictions)",
    "relation": "Relation types between documents",
    "unit": "Administrative units since 1 July 2025 (official codes)",
}

PREFIXES = {
    "cg": str(CG),
    "eli": str(ELI),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
    "id": str(ID),
    "prov": str(PROV),
    "doctype": str(VOCAB) + "doc-type/",
    "body": str(VOCAB) + "body/",
    "place": str(VOCAB) + "place/",
    "relation": str(VOCAB) + "relation/",
    "unit": str(VOCAB) + "unit/",
}


def scheme(name: str) -> URIRef:
    """IRI of a concept scheme (``doc-type``, ``body``, ``place`` or ``relation``).

    >>> str(scheme("body"))
    'https://w3id.org/citegraph/vocab/body'
    """
    if name not in SCHEMES:
        raise KeyError(f"unknown concept scheme {name!r}; known: {', '.join(SCHEMES)}")
    return VOCAB[name]


def type_concept(name: str) -> URIRef:
    """Concept IRI of a document type word."""
    return VOCAB["doc-type/" + ascii_slug(name)]


def body_concept(name: str) -> URIRef:
    """Concept IRI of an issuing body (canonical name)."""
    return VOCAB["body/" + ascii_slug(name)]


def unit_concept(code: str) -> URIRef:
    """Concept IRI of one of today's units, by its official code.

    >>> str(unit_concept("75"))
    'https://w3id.org/citegraph/vocab/unit/75'
    """
    return VOCAB["unit/" + code]


def relation_concept(name: str) -> URIRef:
    """Concept IRI of a relation type (``based_on`` …)."""
    return VOCAB["relation/" + name]


@lru_cache(maxsize=None)
def relation_property(name: str) -> URIRef:
    """The RDF property of a relation type: ELI's where relations.json names one, else citegraph's.

    >>> str(relation_property("based_on"))
    'http://data.europa.eu/eli/ontology#based_on'
    """
    for r in vocabulary().relations:
        if r["name"] == name:
            return ELI[r["eli"]] if r.get("eli") else CG[r["name"]]
    raise KeyError(f"unknown relation type {name!r}; known: {', '.join(vocabulary().relation_names())}")


@lru_cache(maxsize=None)
def relation_properties(name: str) -> tuple[URIRef, ...]:
    """Every property a relation is stated with: :func:`relation_property`, then the ELI property an own
    property specialises (``eli_broader`` in relations.json), so that ELI-only queries find the link too.

    >>> [str(p) for p in relation_properties("replaces")]
    ['https://w3id.org/citegraph/ontology#replaces', 'http://data.europa.eu/eli/ontology#repeals']
    >>> [str(p) for p in relation_properties("implements")]
    ['http://data.europa.eu/eli/ontology#applies']
    """
    main = relation_property(name)
    for r in vocabulary().relations:
        if r["name"] == name and r.get("eli_broader"):
            return (main, ELI[r["eli_broader"]])
    return (main,)


def place_concept(jurisdiction: str) -> URIRef:
    """Concept IRI of a jurisdiction: ``central``, a province, or a unit inside one (province first).

    >>> str(place_concept("central")), str(place_concept("tỉnh Bình Phước"))
    ('https://w3id.org/citegraph/vocab/place/central', 'https://w3id.org/citegraph/vocab/place/binh-phuoc')
    """
    if jurisdiction == "central":
        return VOCAB["place/central"]
    parts = [p.strip() for p in jurisdiction.split(",") if p.strip()]
    path: list[str] = []
    for p in reversed(parts):
        prov = vocabulary().province_of(p)
        path.append(ascii_slug(prov) if prov and not path else ascii_slug(p))
    return VOCAB["place/" + "/".join(path)]


#: The preferred label of the place concept ``central``.
CENTRAL_LABEL = "Trung ương"


@lru_cache(maxsize=1)
def vocabulary_labels() -> dict[str, str]:
    """Concept IRI → preferred label (Vietnamese) of every document type, issuing body and province of the
    vocabularies, and of ``central``: the labels :func:`skos_graph` gives them.

    >>> vocabulary_labels()[str(type_concept("Kết luận"))], vocabulary_labels()[str(place_concept("central"))]
    ('Kết luận', 'Trung ương')
    """
    out = {str(type_concept(t["name"])): t["name"] for t in raw("doc_types")["types"]}
    out.update({str(body_concept(b["name"])): b["name"] for b in raw("issuers")["bodies"]})
    out.update({str(place_concept(p["name"])): p["name"] for p in raw("places")["provinces"]})
    out[str(place_concept("central"))] = CENTRAL_LABEL
    return out


def label_triples(concept: URIRef, label: str, scheme_name: str, lang: str = "vi") -> list[tuple[URIRef, URIRef, object]]:
    """What a graph says of a concept it uses: a ``skos:Concept`` of its scheme, its label as ``skos:prefLabel``
    and ``rdfs:label`` (tagged ``lang``), so that a triple store shows names, not IRIs.

    >>> [(str(p).rsplit("#", 1)[-1], str(o)) for _, p, o in label_triples(body_concept("Ban Bí thư"), "Ban Bí thư", "body")][1:3]
    [('prefLabel', 'Ban Bí thư'), ('label', 'Ban Bí thư')]
    """
    lit = Literal(label, lang=lang)
    return [(concept, RDF.type, SKOS.Concept), (concept, SKOS.prefLabel, lit), (concept, RDFS.label, lit),
            (concept, SKOS.inScheme, scheme(scheme_name))]


def place_triples(jurisdiction: str) -> list[tuple[URIRef, URIRef, object]]:
    """SKOS triples for every unit of a jurisdiction, with their labels (:func:`label_triples`): the province
    (labelled as in ``places.json``) and the units below it (districts and communes are not listed in
    ``places.json``; they are minted from the texts, each ``skos:broader`` the unit above).

    >>> [str(o) for _, p, o in place_triples("xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước") if p == SKOS.broader]
    ['https://w3id.org/citegraph/vocab/place/binh-phuoc/huyen-hon-quan', 'https://w3id.org/citegraph/vocab/place/binh-phuoc']
    >>> sorted(str(o) for _, p, o in place_triples("huyện Hớn Quản, tỉnh Bình Phước") if p == SKOS.prefLabel)
    ['Bình Phước', 'huyện Hớn Quản']
    """
    if jurisdiction == "central":
        return label_triples(place_concept("central"), CENTRAL_LABEL, "place")
    parts = [p.strip() for p in jurisdiction.split(",") if p.strip()]
    out: list[tuple[URIRef, URIRef, object]] = []
    for i in range(len(parts)):
        here = place_concept(", ".join(parts[i:]))
        out += label_triples(here, vocabulary_labels().get(str(here)) or parts[i], "place")
        if i < len(parts) - 1:
            out.append((here, SKOS.broader, place_concept(", ".join(parts[i + 1:]))))
    return out


def unit_triples(code: str) -> list[tuple[URIRef, URIRef, object]]:
    """SKOS triples of one of today's units (:func:`label_triples`), its code as ``skos:notation``, its level, and
    for a commune ``skos:broader`` its province (with the province's triples).

    >>> [str(o) for _, p, o in unit_triples("25349") if p in (SKOS.notation, SKOS.broader, SKOS.prefLabel)][:3]
    ['xã Minh Đức', '25349', 'https://w3id.org/citegraph/vocab/unit/75']
    """
    u = unit(code)
    c = unit_concept(code)
    out = label_triples(c, u.name, "unit") + [(c, SKOS.notation, Literal(code)), (c, CG.level, Literal(u.level))]
    if u.level == "commune":
        out += [(c, SKOS.broader, unit_concept(u.province_code)), *unit_triples(u.province_code)]
    return out


def skos_graph() -> Graph:
    """The concept schemes as an rdflib Graph, generated from ``ontology/*.json`` (today's units: the 34
    provinces of ``units.json``, and the province each province of ``places.json`` is in today; today's
    communes are in the graphs that name them, :func:`unit_triples`).

    >>> g = skos_graph()
    >>> (type_concept("Kết luận"), SKOS.notation, Literal("KL")) in g
    True
    >>> (body_concept("Ban Bí thư"), SKOS.inScheme, scheme("body")) in g
    True
    """
    g = Graph()
    bind_prefixes(g)
    for key, label in SCHEMES.items():
        g.add((scheme(key), RDF.type, SKOS.ConceptScheme))
        g.add((scheme(key), SKOS.prefLabel, Literal(label, lang="en")))
        g.add((scheme(key), DCTERMS.source, Literal(_source_of(key))))

    def concept(iri: URIRef, key: str, label: str, lang: str = "vi") -> None:
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.prefLabel, Literal(label, lang=lang)))
        g.add((iri, SKOS.inScheme, scheme(key)))
        g.add((iri, SKOS.topConceptOf, scheme(key)))
        g.add((scheme(key), SKOS.hasTopConcept, iri))

    for t in raw("doc_types")["types"]:
        c = type_concept(t["name"])
        concept(c, "doc-type", t["name"])
        for code in [t.get("code"), *t.get("alt_codes", [])]:
            if code:
                g.add((c, SKOS.notation, Literal(code)))
        for v in t.get("variants", []):
            g.add((c, SKOS.altLabel, Literal(v, lang="vi")))
        for s in t["systems"]:
            g.add((c, CG.system, Literal(s)))
    for b in raw("issuers")["bodies"]:
        c = body_concept(b["name"])
        concept(c, "body", b["name"])
        g.add((c, RDF.type, ELI.Agent))
        for code in b.get("codes", []):
            g.add((c, SKOS.notation, Literal(code)))
        for a in b.get("aliases", []):
            if a != b["name"]:
                g.add((c, SKOS.altLabel, Literal(a, lang="vi")))
        g.add((c, CG.system, Literal(b["system"])))
        if b.get("level"):
            g.add((c, CG.level, Literal(b["level"])))
    central = place_concept("central")
    concept(central, "place", CENTRAL_LABEL)
    g.add((central, SKOS.altLabel, Literal("central", lang="en")))
    g.add((central, CG.level, Literal("central")))
    for p in raw("places")["provinces"]:
        c = place_concept(p["name"])
        concept(c, "place", p["name"])
        g.add((c, SKOS.altLabel, Literal(f"{p['kind']} {p['name']}", lang="vi")))
        for a in p.get("aliases", []):
            g.add((c, SKOS.altLabel, Literal(a, lang="vi")))
        g.add((c, CG.level, Literal("province")))
        u = today(f"{p['kind']} {p['name']}")
        if u is not None:
            g.add((c, CG.todayUnit, unit_concept(u.code)))
    for u in provinces():
        for t in unit_triples(u.code):
            g.add(t)
        g.add((unit_concept(u.code), SKOS.topConceptOf, scheme("unit")))
        g.add((scheme("unit"), SKOS.hasTopConcept, unit_concept(u.code)))
    for r in raw("relations")["relations"]:
        c = relation_concept(r["name"])
        concept(c, "relation", r["label"], lang="en")
        g.add((c, SKOS.notation, Literal(r["name"])))
        g.add((c, CG.relationProperty, relation_property(r["name"])))
        for cue in sorted({*r.get("preamble", []), *r.get("inline", [])}):
            g.add((c, SKOS.hiddenLabel, Literal(cue, lang="vi")))
    return g


def _source_of(key: str) -> str:
    return {"doc-type": "ontology/doc_types.json", "body": "ontology/issuers.json",
            "place": "ontology/places.json", "relation": "ontology/relations.json", "unit": "ontology/units.json"}[key]


def bind_prefixes(g: Graph) -> Graph:
    """Bind citegraph's prefixes on ``g`` (replacing rdflib's defaults) and return it."""
    for p, ns in PREFIXES.items():
        g.bind(p, URIRef(ns), override=True, replace=True)
    return g


def _sort_key(t: object) -> tuple[int, str]:
    order = {URIRef: 0, BNode: 1, Literal: 2}
    if isinstance(t, Literal):
        return (2, f"{t}\x00{t.datatype or ''}\x00{t.language or ''}")
    return (order.get(type(t), 3), str(t))


def canonical_turtle(g: Graph, header: str | None = None) -> str:
    """Deterministic Turtle: fixed prefixes, subjects, predicates and objects sorted, no blank nodes.

    The same triples always give the same bytes, whatever the insertion order or hash seed.

    >>> g = Graph(); _ = g.add((ID["x"], RDFS.label, Literal("b"))); _ = g.add((ID["x"], RDFS.label, Literal("a")))
    >>> print(canonical_turtle(g).splitlines()[-3:])
    ['', 'id:x rdfs:label "a",', '        "b" .']
    """
    by_subject: dict[object, dict[object, list[object]]] = {}
    for s, p, o in g:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ValueError("canonical_turtle does not write blank nodes; give every resource an IRI")
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    w = TurtleWriter(header)
    lines = [w.head()]
    for s in sorted(by_subject, key=_sort_key):
        lines.append(w.block(s, by_subject[s]))
    return "".join(lines)


#: Namespaces of provenance IRIs (mentions, citations, registry entries): no prefix is bound to them.
_PROV_EVENTS = tuple(str(PROV) + k for k in ("mention/", "citation/", "registry/"))


class TurtleWriter:
    """The pieces of :func:`canonical_turtle`, for writers that stream subjects in sorted order.

    ``head()`` is the header and prefixes; ``block(s, preds)`` one subject (``preds``: predicate →
    objects, rdflib terms), preceded by a blank line. The concatenation is :func:`canonical_turtle`'s text.
    """

    def __init__(self, header: str | None = None) -> None:
        ng = Graph()
        bind_prefixes(ng)
        self.nm = ng.namespace_manager
        self.header = header
        self._n3: dict[object, str] = {}

    def head(self) -> str:
        lines: list[str] = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(PREFIXES.items())]
        if self.header:
            lines = [f"# {h}" for h in self.header.splitlines()] + lines
        return "\n".join(lines) + "\n"

    def n3(self, t: object, cache: bool = False) -> str:
        if type(t) is URIRef:
            if t.startswith(_PROV_EVENTS):  # no prefix names them: always written in full
                return f"<{t}>"
            cache = True
        if cache:
            r = self._n3.get(t)
            if r is None:
                r = self._n3[t] = t.n3(self.nm)  # type: ignore[attr-defined]
            return r
        return t.n3(self.nm)  # type: ignore[attr-defined]

    def block(self, s: object, preds: "dict[object, Any]") -> str:
        if isinstance(s, BNode):
            raise ValueError("canonical_turtle does not write blank nodes; give every resource an IRI")
        chunks = []
        for p in sorted(preds, key=lambda p: (p != RDF.type, str(p))):
            objs = sorted(preds[p], key=_sort_key)
            if any(isinstance(o, BNode) for o in objs):
                raise ValueError("canonical_turtle does not write blank nodes; give every resource an IRI")
            ptxt = "a" if p == RDF.type else self.n3(p, cache=True)
            chunks.append((ptxt, [self.n3(o) for o in objs]))
        subj = self.n3(s)
        out = []
        for i, (ptxt, objs) in enumerate(chunks):
            head = f"{subj} {ptxt} " if i == 0 else f"    {ptxt} "
            body = (",\n" + " " * 8).join(objs)
            out.append(head + body + (" ;" if i < len(chunks) - 1 else " ."))
        return "\n" + "\n".join(out) + "\n"


def skos_path() -> Path:
    """Path of the generated ``ontology/skos.ttl``."""
    return Path(str(resources.files("citegraph.ontology").joinpath("skos.ttl")))


def skos_turtle() -> str:
    """The Turtle text that ``ontology/skos.ttl`` must hold."""
    return canonical_turtle(skos_graph(), header="GENERATED by `python -m citegraph.rdf.skos` from ontology/*.json: do not edit.")


def main(argv: list[str] | None = None) -> int:
    """Write ``ontology/skos.ttl`` (``--check``: exit 1 if it is out of date)."""

    args = sys.argv[1:] if argv is None else argv
    text = skos_turtle()
    path = skos_path()
    if "--check" in args:
        ok = path.exists() and path.read_text(encoding="utf-8") == text
        print(f"{path}: {'up to date' if ok else 'OUT OF DATE, run python -m citegraph.rdf.skos'}")
        return 0 if ok else 1
    atomic_write(path, text)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
