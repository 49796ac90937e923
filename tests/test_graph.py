"""The citation graph: entity resolution, attributes, writers, CLI hook; the bar on the seeds."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from citegraph.builder import build
from citegraph.cli import cmd_build as cli_build
from citegraph.corpus import from_extractions
from citegraph.graph.model import EDGE_ATTRS, MENTION_KEYS, NODE_ATTRS, AmbiguousDocument, UnknownDocument, resolve
from citegraph.rdf.triples import from_rdf, to_rdf
from citegraph.graph.queries import grounds
from citegraph.graph.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
CONTRACT_NODE = ["label", "kind", "type", "type_code", "symbol", "name", "number", "year", "date", "issuer",
                 "jurisdiction", "level", "system", "term", "sources", "cited_by", "mentions", "candidates"]
CONTRACT_EDGE = ["rel", "cue", "source", "start", "end", "sentence"]
NOREG = Registry()


def nodes_with_symbol(G, symbol):
    return sorted(n for n, d in G.nx.nodes(data=True) if d.get("symbol") == symbol)


# ============================================================================= the bar, on the seeds
def test_114_KL_TW_is_one_node_cited_by_three_seed_documents(seed_graph):
    (n,) = nodes_with_symbol(seed_graph, "114-KL/TW")
    citing_files = {d["source"] for _, _, d in seed_graph.nx.in_edges(n, data=True)}
    assert {Path(f).name[:3] for f in citing_files} == {"000", "002", "004"}
    assert {Path(m["source"]).name[:3] for m in seed_graph.nx.nodes[n]["mentions"]} == {"000", "002", "004"}


def test_the_two_18_CT_UBND_are_two_nodes(seed_graph):
    ns = nodes_with_symbol(seed_graph, "18/CT-UBND")
    assert len(ns) == 2
    jur = {seed_graph.nx.nodes[n]["jurisdiction"] for n in ns}
    assert len(jur) == 2 and any("Hải Dương" in j for j in jur) and any("Bình Phước" in j for j in jur)


def test_grounds_of_the_minh_tam_plan_pass_through_the_hon_quan_district_plan(seed_graph, seed_doc):
    doc = seed_doc("004")
    gs = grounds(seed_graph, doc)
    hit = [g for g in gs if g["label"] == "114/KH-UBND"]
    assert len(hit) == 1
    assert "Hớn Quản" in hit[0]["jurisdiction"] and hit[0]["depth"] == 1
    assert hit[0]["rels"] == ["implements"] and hit[0]["path"] == [doc, hit[0]["document"]]
    # and the commune plan rests on the central documents it cites
    assert any(g["label"] == "114-KL/TW" for g in gs)


def test_seed_graph_conforms_to_the_shapes(seed_graph):
    ok, text = seed_graph.validate()
    assert ok, text


def test_turtle_is_byte_identical_across_runs(seed_paths, tmp_path):
    script = ("import sys; from citegraph.builder import build; "
              "sys.stdout.write(build(sys.argv[1:]).turtle())")
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        r = subprocess.run([sys.executable, "-c", script, *seed_paths], cwd=ROOT, env=env,
                           capture_output=True, check=True)
        outs.append(r.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 10_000
    a, b = tmp_path / "a", tmp_path / "b"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        build(seed_paths).write(a)
        build(list(reversed(seed_paths))).write(b)
    finally:
        os.chdir(cwd)
    assert (a / "graph.ttl").read_bytes() == (b / "graph.ttl").read_bytes() == outs[0]
    for name in ("graph.jsonld", "graph.graphml", "report.md"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


# ================================================================================== the contract
def test_node_and_edge_attributes_follow_the_contract(seed_graph):
    assert NODE_ATTRS[:len(CONTRACT_NODE)] == tuple(CONTRACT_NODE)
    assert EDGE_ATTRS == tuple(CONTRACT_EDGE)
    for n, d in seed_graph.nx.nodes(data=True):
        assert set(CONTRACT_NODE) <= set(d), n
        assert d["kind"] in ("numbered", "named", "document")
        assert d["cited_by"] == seed_graph.nx.in_degree(n)
        assert d["level"] in (None, "central", "province", "district", "commune")
        assert d["system"] in (None, "party", "state")
        for m in d["mentions"]:
            assert {"source", "start", "end", "text", "sentence"} <= set(m)
            assert set(m) == set(MENTION_KEYS)
    for u, v, d in seed_graph.nx.edges(data=True):
        assert set(CONTRACT_EDGE) <= set(d)
        assert d["rel"] in ("based_on", "implements", "amends", "replaces", "repeals", "guides", "cites")
        assert u != v


def test_mention_offsets_point_into_the_texts(seed_graph):
    from citegraph.io.read import read

    texts = {e.source: read(ROOT / e.source).text for e in seed_graph.extractions}
    n = 0
    for _, d in seed_graph.nx.nodes(data=True):
        for m in d["mentions"]:
            assert texts[m["source"]][m["start"]:m["end"]] == m["text"]
            n += 1
    assert n > 50


# ======================================================================= entity resolution, literal
def test_one_document_mentioned_in_many_texts_is_one_node_with_every_mention(lit):
    kl = "party/central/tw/kl/xi/114"
    exs = [lit.ex(f"{i}.txt", f"doc/{i}", [lit.ref("114-KL/TW", kl, start=10 * i)]) for i in range(3)]
    G = from_extractions(exs, NOREG)
    node = lit.base + kl
    assert G.nx.number_of_nodes() == 4
    assert [(m["source"], m["start"]) for m in G.nx.nodes[node]["mentions"]] == [("0.txt", 0), ("1.txt", 10), ("2.txt", 20)]
    assert G.nx.nodes[node]["cited_by"] == 3


def test_a_corpus_document_cited_by_another_is_the_same_node(lit):
    # the district plan is in the corpus (header) and the commune plan cites it by symbol
    district = lit.ex("district.txt", "state/binh-phuoc/hon-quan/ubnd/kh/2024/114", symbol="114/KH-UBND",
                      jurisdiction="huyện Hớn Quản, tỉnh Bình Phước", year=2024, date="2024-04-10",
                      level="district", system="state")
    ref = lit.ref("114/KH-UBND", "state/binh-phuoc/hon-quan/ubnd/kh/2024/114", year=2024,
                  jurisdiction="huyện Hớn Quản, tỉnh Bình Phước")
    commune = lit.ex("commune.txt", "doc/commune", [ref], [("SELF", "implements", 0)])
    G = from_extractions([commune, district], NOREG)
    node = lit.base + "state/binh-phuoc/hon-quan/ubnd/kh/2024/114"
    assert G.nx.number_of_nodes() == 2
    assert G.nx.nodes[node]["kind"] == "document" and G.nx.nodes[node]["sources"] == ["district.txt"]
    assert [d["rel"] for _, _, d in G.nx.in_edges(node, data=True)] == ["implements"]


def test_header_match_by_symbol_jurisdiction_and_year_even_when_the_iris_differ(lit):
    district = lit.ex("d.txt", "state/x/ubnd/kh/2024/114", symbol="114/KH-UBND", jurisdiction="huyện A",
                      year=2024)
    ref = lit.ref("114/KH-UBND", "state/y/ubnd/kh/2024/114", jurisdiction="huyện A", year=2024)
    G = from_extractions([lit.ex("c.txt", "doc/c", [ref]), district], NOREG)
    assert sorted(G.nx) == [lit.base + "doc/c", lit.base + "state/x/ubnd/kh/2024/114"]


@pytest.mark.parametrize("full_ids, registry_ids, citing_date, expect_node, expect_candidates", [
    # exactly one full identity in the corpus: resolved
    (["party/central/tw/ct/xii/5"], [], None, "party/central/tw/ct/xii/5", []),
    # one in the registry only: resolved
    ([], ["party/central/tw/ct/xii/5"], None, "party/central/tw/ct/xii/5", []),
    # two: stays partial with both candidates visible
    (["party/central/tw/ct/xii/5", "party/central/tw/ct/xi/5"], [], None, "party/central/tw/ct/_/5",
     ["party/central/tw/ct/xi/5", "party/central/tw/ct/xii/5"]),
    # the registry dates one of two after the citing document: the other is the only possible one
    ([], ["party/central/tw/ct/xii/5", "party/central/tw/ct/xi/5"], "2015-01-01", "party/central/tw/ct/xi/5", []),
    # none: stays partial, no candidates
    ([], [], None, "party/central/tw/ct/_/5", []),
    # another type code does not match
    (["party/central/tw/nq/xii/5"], [], None, "party/central/tw/ct/_/5", []),
])
def test_partial_identities(lit, full_ids, registry_ids, citing_date, expect_node, expect_candidates):
    dates = {"party/central/tw/ct/xii/5": "2016-05-15", "party/central/tw/ct/xi/5": "2012-01-01"}
    exs = [lit.ex(f"f{i}.txt", f"doc/f{i}", [lit.ref("05-CT/TW", f)]) for i, f in enumerate(full_ids)]
    exs.append(lit.ex("p.txt", "doc/p", [lit.ref("05-CT/TW", "party/central/tw/ct/_/5")], date=citing_date))
    reg = Registry.from_entries([{"id": i, "source": "test", "date": dates[i]} for i in registry_ids])
    G = from_extractions(exs, reg)
    (target,) = [v for _, v in G.nx.out_edges(lit.base + "doc/p")]
    assert target == lit.base + expect_node
    assert G.nx.nodes[target]["candidates"] == [lit.base + c for c in expect_candidates]
    (m,) = [m for m in G.nx.nodes[target]["mentions"] if m["source"] == "p.txt"]
    resolved = "_" not in expect_node
    assert m["resolved_from"] == (lit.base + "party/central/tw/ct/_/5" if resolved else None)
    assert G.validate()[0]


def test_same_symbol_different_jurisdiction_or_year_stay_apart(lit):
    refs = [lit.ref("18/CT-UBND", "state/hai-duong/ubnd/ct/2016/18", start=0, jurisdiction="tỉnh Hải Dương"),
            lit.ref("18/CT-UBND", "state/binh-phuoc/ubnd/ct/2016/18", start=20, jurisdiction="tỉnh Bình Phước"),
            lit.ref("18/CT-UBND", "state/binh-phuoc/ubnd/ct/2017/18", start=40, jurisdiction="tỉnh Bình Phước")]
    G = from_extractions([lit.ex("a.txt", "doc/a", refs)], NOREG)
    assert len(nodes_with_symbol(G, "18/CT-UBND")) == 3
    with pytest.raises(AmbiguousDocument, match="3 documents"):
        resolve(G, "18/CT-UBND")


def test_backrefs_and_self_references(lit):
    refs = [lit.ref("33/CT-TTg", "state/central/ttg/ct/2021/33", start=0),
            lit.ref(None, None, start=50, kind="backref", text="Chỉ thị nêu trên", refers_to=0),
            lit.ref(None, None, start=90, kind="backref", text="Kế hoạch này", refers_to="SELF")]
    ex = lit.ex("a.txt", "doc/a", refs, [("SELF", "cites", 0), ("SELF", "implements", 1), ("SELF", "cites", 2)])
    G = from_extractions([ex], NOREG)
    ttg = lit.base + "state/central/ttg/ct/2021/33"
    assert sorted(d["rel"] for _, _, d in G.nx.in_edges(ttg, data=True)) == ["cites", "implements"]
    assert [m["start"] for m in G.nx.nodes[ttg]["mentions"]] == [0, 50]
    assert not list(nx.selfloop_edges(G.nx))


def test_a_reference_without_a_relation_still_gets_a_cites_edge(lit):
    G = from_extractions([lit.ex("a.txt", "doc/a", [lit.ref("33/CT-TTg", "state/central/ttg/ct/2021/33")])], NOREG)
    assert [d["rel"] for _, _, d in G.nx.edges(data=True)] == ["cites"]


def test_nested_relation_between_two_references(lit):
    refs = [lit.ref("247-KH/TU", "party/binh-phuoc/tu/kh/2010-2015/247", start=0),
            lit.ref("114-KL/TW", "party/central/tw/kl/xi/114", start=40)]
    ex = lit.ex("a.txt", "doc/a", refs, [("SELF", "implements", 0), (0, "implements", 1)])
    G = from_extractions([ex], NOREG)
    e = {(u.rsplit("/", 1)[-1], v.rsplit("/", 1)[-1], d["rel"]) for u, v, d in G.nx.edges(data=True)}
    assert e == {("a", "247", "implements"), ("247", "114", "implements")}


@pytest.mark.parametrize("text_date, expect_date", [(None, "2015-07-14"), ("2015-07-15", "2015-07-15")])
def test_registry_fills_what_the_texts_lack_and_stays_apart(lit, text_date, expect_date):
    kl = "party/central/tw/kl/xi/114"
    reg = Registry.from_entries([{"id": kl, "source": "official", "date": "2015-07-14", "issuer": "Ban Bí thư"}])
    G = from_extractions([lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", kl, date=text_date,
                                                            stated_date=text_date)])], reg)
    d = G.nx.nodes[lit.base + kl]
    assert d["date"] == expect_date and d["issuer"] == "Ban Bí thư"
    assert d["registry"]["source"] == "official" and d["registry"]["date"] == "2015-07-14"
    assert d["from_registry"] == (["date", "issuer"] if text_date is None else ["issuer"])
    assert G.validate()[0]


def test_majority_of_texts_decides_a_conflicting_date(lit):
    kl = "party/central/tw/qd/xi/217"
    dates = ["2013-12-12", "2013-12-13", "2013-12-12"]
    exs = [lit.ex(f"{i}.txt", f"doc/{i}", [lit.ref("217-QĐ/TW", kl, date=d, stated_date=d)]) for i, d in enumerate(dates)]
    assert from_extractions(exs, NOREG).nx.nodes[lit.base + kl]["date"] == "2013-12-12"


def test_nx_and_rdf_views_are_consistent(seed_graph):
    back = from_rdf(seed_graph.rdf)
    g = seed_graph.nx
    assert sorted(back) == sorted(g)
    for n in g:
        for k in NODE_ATTRS:
            assert back.nodes[n].get(k) == g.nodes[n].get(k), (n, k)
    key = lambda e: (e[0], e[1], sorted((k, str(v)) for k, v in e[2].items()))  # noqa: E731
    assert sorted(map(key, back.edges(data=True))) == sorted(map(key, g.edges(data=True)))
    assert isomorphic(to_rdf(back), seed_graph.rdf)


def test_resolve_accepts_iri_relative_id_and_symbol(seed_graph):
    (n,) = nodes_with_symbol(seed_graph, "114-KL/TW")
    assert resolve(seed_graph, n) == n
    assert resolve(seed_graph, "party/central/tw/kl/xi/114") == n
    assert resolve(seed_graph, "114-KL/TW") == n
    assert resolve(seed_graph, "114 - kl/tw") == n
    with pytest.raises(UnknownDocument, match="not a document"):
        resolve(seed_graph, "999-KL/TW")


# ========================================================================================== writers
def test_write_produces_every_file_atomically_readable(seed_graph, tmp_path):
    paths = seed_graph.write(tmp_path / "out")
    assert {p.name for p in paths.values()} == {"graph.ttl", "graph.jsonld", "graph.graphml", "graph.html", "report.md"}
    assert not list((tmp_path / "out").glob(".*tmp"))
    assert isomorphic(Graph().parse(paths["ttl"], format="turtle"), seed_graph.rdf)
    assert isomorphic(Graph().parse(paths["jsonld"], format="json-ld"), seed_graph.rdf)
    gm = nx.read_graphml(paths["graphml"])
    assert gm.number_of_nodes() == seed_graph.nx.number_of_nodes()
    assert gm.number_of_edges() == seed_graph.nx.number_of_edges()
    some = next(n for n, d in seed_graph.nx.nodes(data=True) if d["mentions"])
    assert json.loads(gm.nodes[some]["mentions"]) == seed_graph.nx.nodes[some]["mentions"]
    assert "217-QĐ/TW" in paths["report"].read_text(encoding="utf-8")
    assert paths["html"].stat().st_size > 1000


def test_build_reads_directories_and_skips_other_files(tmp_path, seed_paths):
    d = tmp_path / "c"
    d.mkdir()
    for p in seed_paths[:2]:
        (d / Path(p).name).write_bytes((ROOT / p).read_bytes())
    (d / "notes.json").write_text("{}")
    G = build(d, registry=NOREG)
    assert len(G.extractions) == 2


# ============================================================================================== CLI
def test_cli_build_writes_and_summarises(tmp_path, capsys):
    args = argparse.Namespace(paths=sorted(str(p) for p in (ROOT / "corpus").glob("*.txt")), out=str(tmp_path / "o"),
                              store=None, registry=None)
    assert cli_build(args) == 0
    out = capsys.readouterr().out
    assert "documents" in out and "citations" in out
    assert (tmp_path / "o" / "graph.ttl").exists()


@pytest.mark.parametrize("paths, registry, message", [
    (["/nonexistent/dir"], None, "/nonexistent/dir: no such file"),
    ([str(ROOT / "corpus")], "/nonexistent/registry.json", "no such registry"),
])
def test_cli_build_user_mistakes_are_one_line_errors(tmp_path, capsys, paths, registry, message):
    args = argparse.Namespace(paths=paths, out=str(tmp_path / "o"), store=None, registry=registry)
    assert cli_build(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_reference_without_year_is_not_matched_to_a_corpus_document_by_symbol(lit):
    # the header knows its year, the reference does not: no silent merge by symbol and jurisdiction alone
    doc = lit.ex("d.txt", "state/x/ubnd/kh/2024/114", symbol="114/KH-UBND", jurisdiction="huyện A", year=2024)
    undated = lit.ex("u.txt", "state/x/ubnd/kh/_/7", symbol="7/KH-UBND", jurisdiction="huyện A")
    ref = lit.ref("114/KH-UBND", "state/y/ubnd/kh/_/114", jurisdiction="huyện A")
    ref7 = lit.ref("7/KH-UBND", "state/z/ubnd/kh/_/7", jurisdiction="huyện A", start=30)
    G = from_extractions([lit.ex("c.txt", "doc/c", [ref, ref7]), doc, undated], NOREG)
    assert sorted(v.split("/id/")[1] for _, v in G.nx.out_edges(lit.base + "doc/c")) == [
        "state/y/ubnd/kh/_/114", "state/z/ubnd/kh/_/7"]


def test_texts_given_as_strings_keep_apart_sources(lit):
    a = lit.ex("<text>", None, [lit.ref("33/CT-TTg", "state/central/ttg/ct/2021/33")], text="one")
    b = lit.ex("<text>", None, [lit.ref("33/CT-TTg", "state/central/ttg/ct/2021/33")], text="two")
    G = from_extractions([a, b], NOREG)
    ms = G.nx.nodes[lit.base + "state/central/ttg/ct/2021/33"]["mentions"]
    assert len({m["source"] for m in ms}) == 2 and all(m["source"].startswith("<text ") for m in ms)
    assert G.validate()[0]
    assert from_rdf(G.rdf).nodes[lit.base + "state/central/ttg/ct/2021/33"]["mentions"] == ms


def test_texts_are_dropped_after_building_unless_kept(seed_paths, seed_graph, monkeypatch):
    assert all(e.text == "" for e in seed_graph.extractions)
    assert all(seed_graph.lines[e.source] for e in seed_graph.extractions)
    monkeypatch.chdir(ROOT)
    kept = build(seed_paths[:2], keep_text=True)
    assert all(e.text for e in kept.extractions)


def test_rdf_views_are_made_on_first_use(seed_paths, monkeypatch):
    from citegraph.outputs.writers import write_turtle
    from citegraph.rdf.triples import to_oxigraph
    from citegraph.rdf.skos import canonical_turtle

    monkeypatch.chdir(ROOT)
    G = build(seed_paths)
    nodes = G.nx.number_of_nodes()
    assert G._rdf is None and G._ox is None
    count = G.triple_count()
    grounds(G, next(iter(G.nx)))
    G.summary()
    G.turtle()
    assert G._rdf is None and G._ox is None and G.nx.number_of_nodes() == nodes
    # every view has the same triples; the streamed Turtle is canonical_turtle's text
    assert G.turtle() == canonical_turtle(G.rdf, header="citegraph graph (generated)")
    assert len(G.oxigraph) == len(G.rdf) == G.triple_count() == count == len(to_oxigraph(G.nx))
    import io
    buf = io.StringIO()
    assert write_turtle(G.nx, buf) == len(G.rdf)
    assert isomorphic(Graph().parse(data=buf.getvalue(), format="turtle"), G.rdf)
    from citegraph.outputs.writers import jsonld, write_jsonld
    buf = io.StringIO()
    write_jsonld(G.nx, buf)
    assert buf.getvalue() == jsonld(G.rdf)


def test_write_makes_no_rdf_view(seed_paths, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    G = build(seed_paths)
    paths = G.write(tmp_path)
    assert G._rdf is None and G._ox is None
    assert isomorphic(Graph().parse(paths["jsonld"], format="json-ld"), G.rdf)


def test_build_in_parallel_equals_build_in_process(seed_paths, monkeypatch):
    """Workers send back shed extractions (no text; its digest and line breaks): the same graph, sentences
    and lines as extractions made and taken in here, with or without their texts kept."""
    import os

    from citegraph.extraction import batch

    monkeypatch.chdir(ROOT)
    one = build(seed_paths)
    kept = build(seed_paths, keep_text=True)
    monkeypatch.setattr(batch, "BYTES_PER_WORKER", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pools: list[int] = []
    real_pool = batch.worker_pool
    monkeypatch.setattr(batch, "worker_pool", lambda n, **kw: pools.append(n) or real_pool(n, **kw))
    two = build(seed_paths)
    kept_two = build(seed_paths, keep_text=True)
    assert pools == [2, 2]
    assert one.turtle() == two.turtle() == kept.turtle() == kept_two.turtle()
    assert [e.source for e in one.extractions] == [e.source for e in two.extractions]
    assert one.extractions == two.extractions and all(e.text == "" for e in two.extractions)
    assert kept.extractions == kept_two.extractions and all(e.text for e in kept_two.extractions)
    assert one.lines == two.lines == kept.lines and one.lines
