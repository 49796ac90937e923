"""The text writers of citegraph.writers against rdflib's own serialisation, term by term and file by file."""
from __future__ import annotations

import gc
import io
import json
import random

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef

from citegraph.rdf import triples as rdf
from citegraph.outputs import writers
from citegraph.rdf.triples import XSD
from citegraph.rdf.skos import TurtleWriter, canonical_turtle

IRIS = [
    "https://w3id.org/citegraph/ontology#Document",
    "https://w3id.org/citegraph/id/doc/a",
    "https://w3id.org/citegraph/id/abc",
    "https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33",
    "https://w3id.org/citegraph/id/state/central/law/tiep-cong-dan",
    "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114",
    "https://w3id.org/citegraph/id/_x",
    "https://w3id.org/citegraph/id/1abc",
    "https://w3id.org/citegraph/id/a.b-c",
    "https://w3id.org/citegraph/id/a%20b",
    "https://w3id.org/citegraph/id/(a)",
    "https://w3id.org/citegraph/id/",
    "https://w3id.org/citegraph/vocab/place/binh-phuoc/huyen-hon-quan",
    "https://w3id.org/citegraph/vocab/body/ubnd-tinh",
    "https://w3id.org/citegraph/vocab/relation/implements",
    "https://w3id.org/citegraph/vocab/doc-type/chi-thi",
    "https://w3id.org/citegraph/prov/mention/0123456789abcdef",
    "https://w3id.org/citegraph/prov/registry/0123456789abcdef",
    "https://w3id.org/citegraph/prov/other",
    "http://data.europa.eu/eli/ontology#LegalResource",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2001/XMLSchema#date",
    "http://www.w3.org/XML/1998/namespacelang",
    "http://purl.org/dc/terms/source",
    "http://xmlns.com/foaf/0.1/name",
    "https://schema.org/name",
    "https://w3id.org/citegraph/id/tỉnh-bình-phước/ubnd",
    "https://w3id.org/citegraph/id/đ",
    "urn:x-citegraph:thing",
    "https://example.org/a#",
    "https://example.org/",
]

STRINGS = ["", "a", 'say "hi"', "back\\slash", "line\nbreak", 'ends with "', 'a\n"', '"""', 'a"""b\nc', "cr\r",
           "cr\r\nlf", "tab\tx", "Chỉ thị số 33/CT-TTg", "\\", '\\"', '\n"', "x\\\n", "é\u0301", "\u2028"]


@pytest.fixture(scope="module")
def namespace_manager():
    return TurtleWriter().nm


@pytest.mark.parametrize("iri", IRIS)
def test_iris_are_written_as_rdflib_writes_them(iri, namespace_manager):
    assert writers.TurtleText().iri(iri) == TurtleWriter().n3(URIRef(iri))
    assert writers.TurtleText().term(iri) == URIRef(iri).n3(namespace_manager) or iri.startswith(
        "https://w3id.org/citegraph/prov/mention/") or iri.startswith("https://w3id.org/citegraph/prov/registry/")


@pytest.mark.parametrize("text", STRINGS)
def test_literals_are_escaped_as_rdflib_escapes_them(text, namespace_manager):
    t = writers.TurtleText()
    assert t.term(rdf.text_literal(text)) == Literal(text).n3(namespace_manager)
    assert t.term((text, None, "vi")) == Literal(text, lang="vi").n3(namespace_manager)
    assert t.term(rdf.text_literal(text, str(XSD.date))) == Literal(text, datatype=XSD.date).n3(namespace_manager)


@pytest.mark.parametrize("value,dt", [(0, None), (-12, None), (2024, None), (10**30, None), (True, None), (1.5, None),
                                      (float("inf"), None), ("2024-05-01", str(XSD.date)), ("2024-5-1", str(XSD.date)),
                                      ("x", str(XSD.string)), ("1.0", str(XSD.decimal)), ("NaN", str(XSD.double)),
                                      ("7", "https://example.org/dt")])
def test_typed_literals_are_what_rdflib_makes(value, dt, namespace_manager):
    lit = Literal(value, datatype=URIRef(dt)) if dt else Literal(value)
    t = rdf.text_literal(value, dt)
    assert t == (str(lit), str(lit.datatype) if lit.datatype else None, lit.language)
    assert writers.TurtleText().term(t) == lit.n3(namespace_manager)


def test_invalid_iris_are_refused():
    with pytest.raises(ValueError, match="does not look like a valid URI"):
        writers.TurtleText().iri("https://w3id.org/citegraph/id/a b")


def _random_json(rng: random.Random, depth: int = 0):
    kind = rng.randrange(9 if depth < 3 else 6)
    if kind == 0:
        return rng.choice(STRINGS)
    if kind == 1:
        return rng.randrange(-10**6, 10**6)
    if kind == 2:
        return rng.choice([0.5, -1e300, float("nan"), float("inf"), 1 / 3])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind in (4, 5):
        return rng.choice(["@id", "cg:x", "é"]) + str(rng.randrange(3))
    if kind in (6, 7):
        return [_random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(STRINGS) + str(i): _random_json(rng, depth + 1) for i in range(rng.randrange(4))}


def test_json_text_is_json_dumps_with_indent():
    rng = random.Random(0)
    for _ in range(500):
        x = _random_json(rng)
        assert writers._json_text(x) == json.dumps(x, ensure_ascii=False, indent=1, sort_keys=True)
    nested = writers._json_text({"a": [1, {"b": 2}]}, "  ")
    assert nested == "\n".join(("  " + x if i else x)
                               for i, x in enumerate(json.dumps({"a": [1, {"b": 2}]}, indent=1).split("\n")))


def test_writers_leave_no_reference_cycles(seed_graph):
    # with the cyclic GC paused (as the writers pause it), every cycle made would stay in memory
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        n = writers.write_jsonld(seed_graph.nx, io.StringIO())
        assert gc.collect() < n / 4  # a few fixed objects; json's indented encoder left ~30 a node
        writers.write_turtle(seed_graph.nx, io.StringIO())
        assert gc.collect() < n / 4
    finally:
        if was:
            gc.enable()


def test_turtle_and_jsonld_are_rdflibs(seed_graph):
    G = seed_graph
    buf = io.StringIO()
    assert writers.write_turtle(G.nx, buf) == len(G.rdf) == rdf.triple_count(G.nx)
    assert buf.getvalue() == canonical_turtle(G.rdf, header="citegraph graph (generated)")
    buf = io.StringIO()
    writers.write_jsonld(G.nx, buf)
    assert buf.getvalue() == writers.jsonld(G.rdf)


def test_subject_order_with_a_key_that_moves_provenance_iris(seed_graph):
    # a key that renames provenance IRIs cannot use the hashed locators: both ways give the same groups
    g = seed_graph.nx
    plain = [(s, {p: set(o) for p, o in preds.items()}) for s, preds in rdf.subject_groups(g, rdf._Terms("text"))]

    def key(iri: str) -> str:
        return iri.replace("/prov/", "/~prov/")

    moved = [(s, {p: set(o) for p, o in preds.items()})
             for s, preds in rdf.subject_groups(g, rdf._Terms("text"), key=key)]
    assert sorted(plain) == sorted(moved)
    assert [s for s, _ in moved] == sorted((s for s, _ in plain), key=key)
    assert [s for s, _ in plain] == sorted(s for s, _ in plain)


def test_duplicate_citations_are_one_subject():
    g = nx.MultiDiGraph()
    a, b = "https://w3id.org/citegraph/id/doc/a", "https://w3id.org/citegraph/id/doc/b"
    for n in (a, b):
        g.add_node(n, label=n[-1], kind="document", sources=[n[-1] + ".txt"], mentions=[])
    for _ in range(2):
        g.add_edge(a, b, rel="cites", cue=None, source="a.txt", start=0, end=3, sentence=None)
    buf = io.StringIO()
    assert writers.write_turtle(g, buf) == len(rdf.to_rdf(g))
    assert buf.getvalue() == canonical_turtle(rdf.to_rdf(g), header="citegraph graph (generated)")
    buf = io.StringIO()
    writers.write_jsonld(g, buf)
    assert buf.getvalue() == writers.jsonld(rdf.to_rdf(g))
    assert Graph().parse(data=buf.getvalue(), format="json-ld").isomorphic(rdf.to_rdf(g))


def _nx_graphml(g: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(writers.graphml_graph(g))) + "\n"


def test_graphml_is_networkx_text(seed_graph):
    assert writers.graphml(seed_graph.nx) == _nx_graphml(seed_graph.nx)
    odd = ["", "a & b <c> \"d\" 'e'", "tab\there", "cr\rlf\nboth\r\nvt\x0bff\x0cfs\x1c", "Bình Phước ✓ 🙂", "\u2028x\x85"]
    g = nx.MultiDiGraph()
    for i, s in enumerate(odd):
        g.add_node(f"n{i}{s}", label=s, year=i, flag=bool(i % 2), score=i / 3, sources=[s], registry={"k": s} if i else None)
    g.add_node("bare")
    for i, s in enumerate(odd):
        g.add_edge(f"n{i}{s}", "bare", rel=s, start=i, sentence=None)
        g.add_edge(f"n{i}{s}", "bare", rel="cites", start=-i, cue=[s, i])
    assert writers.graphml(g) == _nx_graphml(g)
    assert writers.graphml(nx.MultiDiGraph()) == _nx_graphml(nx.MultiDiGraph())
    g = nx.MultiDiGraph()
    g.add_node("only")
    assert writers.graphml(g) == _nx_graphml(g)
