"""The RDF and graph files a user loads elsewhere (issue 14 item 5, issue 15 item 2): Vietnamese text tagged
@vi, every relation also as its ELI property, labels for the bodies, types and places a graph links to, a
JSON-LD context of terms, GraphML that Gephi opens as graph.html draws it, SHACL conformance with and
without RDFS inference, and writers that take a path or a file."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from citegraph.corpus import from_extractions
from citegraph.graph.registry import Registry
from citegraph.outputs import html, writers
from citegraph.rdf.namespace import CG, ELI, VOCAB
from citegraph.rdf.skos import body_concept, relation_properties, type_concept
from citegraph.rdf.triples import to_rdf, validate
from citegraph.text.vocab import vocabulary

#: Properties whose values are Vietnamese text, and properties whose values are codes or keys.
VI = (RDFS.label, SKOS.prefLabel, ELI.title, CG.typeName, CG.name, CG.issuerName, CG.text, CG.sentence,
      CG.statedIssuer, CG.cue)
PLAIN = (ELI.id_local, ELI.number, CG.typeCode, CG.kind, CG.level, CG.system, CG.term, CG.sourceFile,
         CG.jurisdictionName, CG.fromRegistry)
RELATION_SCHEME = str(VOCAB) + "relation/"


def _every_relation(lit):
    """A literal corpus stating each relation type once, with a registry entry (type, name, jurisdiction,
    issuer) and a partial identity with candidates: everything the shapes and the ontology speak of."""
    rels = vocabulary().relation_names()
    refs = [lit.ref(f"{i + 1}/QĐ-TTg", f"state/central/ttg/qd/2020/{i + 1}", start=20 * i, type="Quyết định",
                    issuer="Thủ tướng Chính phủ", date="2020-01-02", sentence=f"câu {i}", stated_date="2020-01-02")
            for i in range(len(rels))]
    refs.append(lit.ref("7/CT-TTg", "state/central/ttg/ct/_/7", start=500,
                        candidates=[lit.base + "state/central/ttg/ct/2019/7", lit.base + "state/central/ttg/ct/2021/7"]))
    ex = lit.ex("a.txt", "state/binh-phuoc/ubnd/kh/2024/5", refs,
                [("SELF", r, i) for i, r in enumerate(rels)] + [("SELF", "cites", len(rels))],
                symbol="5/KH-UBND", type="Kế hoạch", date="2024-05-01", issuer="Ủy ban nhân dân tỉnh",
                jurisdiction="tỉnh Bình Phước", title="Thực hiện các văn bản")
    reg = Registry.from_entries([{"id": "state/central/ttg/qd/2020/1", "symbol": "1/QĐ-TTg", "type": "Quyết định",
                                  "name": "Quyết định một", "jurisdiction": "central", "issuer": "Thủ tướng Chính phủ",
                                  "title": "về một việc", "date": "2020-01-02", "source": "official"}])
    return from_extractions([ex], reg)


# ============================================================================================== SHACL
@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_the_seed_graph_conforms_with_and_without_rdfs_inference(seed_graph, inference):
    ok, text = validate(seed_graph.rdf, inference=inference)
    assert ok, text


@pytest.mark.parametrize("inference", ["none", "rdfs"])
def test_a_graph_of_every_relation_conforms_with_and_without_rdfs_inference(lit, inference):
    G = _every_relation(lit)
    assert G.nx.nodes[lit.base + "state/central/ttg/qd/2020/1"]["registry"]["jurisdiction"] == "central"
    ok, text = G.validate(inference=inference)
    assert ok, text


def test_rdfs_inference_still_finds_broken_graphs(lit):
    g = _every_relation(lit).rdf
    doc = URIRef(lit.base + "state/central/ttg/qd/2020/1")
    g.remove((doc, RDFS.label, None))
    assert not validate(g, inference="rdfs")[0]
    with pytest.raises(ValueError, match="inference"):
        validate(g, inference="owl")


# ==================================================================================== language tags
def test_vietnamese_text_is_tagged_vi_and_codes_are_plain(lit, seed_graph):
    for g in (seed_graph.rdf, _every_relation(lit).rdf):
        tagged = 0
        for p in VI:
            for s, o in g.subject_objects(p):
                want = "en" if str(s).startswith(RELATION_SCHEME) else "vi"  # relation types are named in English
                assert isinstance(o, Literal) and o.language == want, (s, p, o)
                tagged += want == "vi"
        assert tagged > 20
        for p in PLAIN:
            for o in g.objects(None, p):
                assert o.language is None, (p, o)
    turtle = seed_graph.turtle()
    assert '"Kết luận"@vi' in turtle and '"114-KL/TW"@vi' in turtle and 'eli:id_local "114-KL/TW" ' in turtle


# ========================================================================================= relations
def test_every_relation_is_stated_with_its_eli_property_where_eli_has_one(lit):
    G = _every_relation(lit)
    g = G.rdf
    citing = URIRef(lit.base + "state/binh-phuoc/ubnd/kh/2024/5")
    for u, v, d in G.nx.edges(data=True):
        for p in relation_properties(d["rel"]):
            assert (URIRef(u), p, URIRef(v)) in g, (d["rel"], p)
    replaced = [v for _, v, d in G.nx.out_edges(str(citing), data=True) if d["rel"] == "replaces"]
    assert len(replaced) == 1
    assert (citing, CG.replaces, URIRef(replaced[0])) in g and (citing, ELI.repeals, URIRef(replaced[0])) in g
    # an ELI-only query finds the replaced document among the repealed ones
    rows = g.query("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?x WHERE { ?a eli:repeals ?x }")
    assert URIRef(replaced[0]) in {r[0] for r in rows}
    guided = [v for _, v, d in G.nx.out_edges(str(citing), data=True) if d["rel"] == "guides"]
    assert (citing, CG.guides, URIRef(guided[0])) in g


# ============================================================================================ labels
def test_bodies_types_places_and_relations_linked_to_carry_labels(seed_graph):
    g = seed_graph.rdf
    for p, scheme, lang in ((ELI.passed_by, "body", "vi"), (ELI.type_document, "doc-type", "vi"),
                            (ELI.jurisdiction, "place", "vi"), (CG.relationType, "relation", "en")):
        objs = set(g.objects(None, p))
        assert objs, p
        for o in objs:
            label = g.value(o, SKOS.prefLabel)
            assert label is not None and label.language == lang, (p, o)
            assert g.value(o, RDFS.label) == label
            assert (o, RDF.type, SKOS.Concept) in g and (o, SKOS.inScheme, VOCAB[scheme]) in g
    assert g.value(body_concept("Ban Bí thư"), SKOS.prefLabel) == Literal("Ban Bí thư", lang="vi")
    assert g.value(type_concept("Kết luận"), RDFS.label) == Literal("Kết luận", lang="vi")
    assert g.value(URIRef(str(VOCAB) + "place/central"), SKOS.prefLabel) == Literal("Trung ương", lang="vi")


# =========================================================================================== JSON-LD
def test_jsonld_has_a_context_of_terms_and_round_trips(seed_graph):
    buf = io.StringIO()
    writers.write_jsonld(seed_graph.nx, buf)
    text = buf.getvalue()
    data = json.loads(text)
    ctx = data["@context"]
    assert ctx["title"] == {"@id": "eli:title", "@language": "vi"}
    assert ctx["applies"] == {"@id": "eli:applies", "@type": "@id"}
    assert ctx["date"] == {"@id": "eli:date_document", "@type": "xsd:date"}
    assert ctx["Document"] == "cg:Document" and ctx["cg"] == str(CG)
    node = next(n for n in data["@graph"] if n["@id"] == "id:party/central/tw/kl/xi/114")
    assert node["symbol"] == "114-KL/TW" and node["typeName"] == "Kết luận" and node["date"] == "2015-07-14"
    assert node["passedBy"] == "body:ban-bi-thu" and node["year"] == 2015 and "Document" in node["@type"]
    keys = {k for n in data["@graph"] for k in n if not k.startswith("@")}
    # every key is a term, but the English labels of relation types (the terms stand for @vi text)
    assert keys - set(ctx) == {"skos:prefLabel", "rdfs:label"}
    assert isomorphic(Graph().parse(data=text, format="json-ld"), seed_graph.rdf)


def test_jsonld_keeps_values_of_another_shape_in_full(lit):
    g = to_rdf(nx.MultiDiGraph())
    s = URIRef(lit.base + "doc/x")
    for t in [(s, RDF.type, CG.Document), (s, RDFS.label, Literal('nhãn "x"\n', lang="vi")),
              (s, RDFS.label, Literal("label", lang="en")), (s, CG.year, Literal("2012", datatype=URIRef(
                  "http://www.w3.org/2001/XMLSchema#gYear"))), (s, ELI.date_document, Literal("2020-01-02")),
              (s, ELI.cites, Literal("not an IRI")), (s, CG.kind, URIRef("https://example.org/kind"))]:
        g.add(t)
    text = writers.jsonld(g)
    node = json.loads(text)["@graph"][0]
    assert node["label"] == 'nhãn "x"\n' and node["rdfs:label"] == {"@language": "en", "@value": "label"}
    assert node["cg:year"] == {"@type": "xsd:gYear", "@value": "2012"}
    assert node["eli:date_document"] == "2020-01-02" and node["eli:cites"] == "not an IRI"
    assert node["cg:kind"] == {"@id": "https://example.org/kind"}
    assert isomorphic(Graph().parse(data=text, format="json-ld"), g)


# =========================================================================================== GraphML
def test_graphml_holds_the_drawing_of_graph_html_under_the_names_gephi_reads(seed_graph, tmp_path):
    path = tmp_path / "graph.graphml"
    writers.write_graphml(seed_graph.nx, path)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in ET.parse(path).findall("g:key", ns)}
    # (networkx calls Python integers "long"; Gephi reads the mapped keys whatever their declared type)
    for name, typ in (("x", "double"), ("y", "double"), ("size", "double"), ("r", "long"), ("g", "long"),
                      ("b", "long"), ("label", "string")):
        assert keys[("node", name)] == typ, name
    for name in ("r", "g", "b"):
        assert keys[("edge", name)] == "long"
    h = nx.read_graphml(path)
    g = seed_graph.nx
    positions, styles = html.layout(g), html.node_styles(g)  # what the page draws
    for v in g.nodes:
        d = h.nodes[v]
        x, y = positions[v]
        assert (d["x"], d["y"], d["size"]) == (x, -y, styles[v]["radius"])  # Gephi's y grows upwards
        assert "#%02x%02x%02x" % (d["r"], d["g"], d["b"]) == styles[v]["color"]
    for u, v, k, d in h.edges(keys=True, data=True):
        assert "#%02x%02x%02x" % (d["r"], d["g"], d["b"]) == html.RELATION_STYLES[d["rel"]][0]
    # central documents are drawn above the commune plan, Party and State in different colours
    levels = {d.get("level"): d["y"] for _, d in h.nodes(data=True)}
    assert levels["central"] > levels["commune"]
    colours = {(d.get("system"), (d["r"], d["g"], d["b"])) for _, d in h.nodes(data=True) if d.get("system")}
    assert {s for s, _ in colours} == {"party", "state"}
    assert not {c for s, c in colours if s == "party"} & {c for s, c in colours if s == "state"}


# ================================================================================== paths and files
@pytest.mark.parametrize("write", [writers.write_turtle, writers.write_jsonld, writers.write_graphml])
def test_writers_take_a_path_or_a_file(seed_graph, tmp_path, write):
    buf = io.StringIO()
    write(seed_graph.nx, buf)
    for target in (tmp_path / "a.out", str(tmp_path / "b.out")):
        write(seed_graph.nx, target)
        assert Path(target).read_text(encoding="utf-8") == buf.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.out", "b.out"]  # no temporary file left


def test_citation_graph_writers_take_a_path_or_a_file(seed_graph, tmp_path):
    for name in ("write_turtle", "write_jsonld", "write_graphml"):
        buf = io.StringIO()
        getattr(seed_graph, name)(buf)
        getattr(seed_graph, name)(tmp_path / name)
        assert (tmp_path / name).read_text(encoding="utf-8") == buf.getvalue() != ""
