"""Lineage queries (networkx) and the canned SPARQL queries: same answers on the seeds graph."""
from __future__ import annotations

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from citegraph.rdf import sparql
from citegraph.corpus import from_extractions
from citegraph.graph.model import AmbiguousDocument, UnknownDocument
from citegraph.graph.queries import coverage, grounds, implementers, lineage_path, most_cited, to_dataframe, toy_graph
from citegraph.graph.registry import Registry
from citegraph.graph.report import check
from citegraph.store import Store
from citegraph.text.vocab import vocabulary

B = "https://w3id.org/citegraph/id/"


@pytest.fixture
def chain(lit):
    """commune → district (implements) → province (implements) → central (based_on); a sibling district."""
    refs = lambda *xs: [lit.ref(s, i, start=10 * k) for k, (s, i) in enumerate(xs)]  # noqa: E731
    exs = [
        lit.ex("c.txt", "doc/c", refs(("1/KH-UBND", "state/p/d/ubnd/kh/2024/1")), [("SELF", "implements", 0)],
               jurisdiction="xã M, huyện D, tỉnh Bình Phước", level="commune"),
        lit.ex("d.txt", "state/p/d/ubnd/kh/2024/1", refs(("2/KH-UBND", "state/p/ubnd/kh/2024/2")),
               [("SELF", "implements", 0)], symbol="1/KH-UBND", jurisdiction="huyện D, tỉnh Bình Phước",
               level="district", year=2024),
        lit.ex("p.txt", "state/p/ubnd/kh/2024/2", refs(("33/CT-TTg", "state/central/ttg/ct/2021/33")),
               [("SELF", "based_on", 0)], symbol="2/KH-UBND", jurisdiction="tỉnh Bình Phước", level="province",
               year=2024),
        lit.ex("h.txt", "state/h/ubnd/kh/2024/9", refs(("33/CT-TTg", "state/central/ttg/ct/2021/33")),
               [("SELF", "cites", 0)], symbol="9/KH-UBND", jurisdiction="tỉnh Hải Dương", level="province",
               year=2024),
    ]
    return from_extractions(exs, Registry())


def test_grounds_follow_the_chain_to_the_central_root(chain):
    g = grounds(chain, "doc/c")
    assert [(x["label"], x["depth"], x["rels"], x["root"]) for x in g] == [
        ("1/KH-UBND", 1, ["implements"], False),
        ("2/KH-UBND", 2, ["implements", "implements"], False),
        ("33/CT-TTg", 3, ["implements", "implements", "based_on"], True)]
    assert g[-1]["path"] == [B + "doc/c", B + "state/p/d/ubnd/kh/2024/1", B + "state/p/ubnd/kh/2024/2",
                             B + "state/central/ttg/ct/2021/33"]


@pytest.mark.parametrize("kwargs, labels", [
    ({}, ["1/KH-UBND", "2/KH-UBND", "33/CT-TTg"]),
    ({"max_depth": 1}, ["1/KH-UBND"]),
    ({"rels": ["implements"]}, ["1/KH-UBND", "2/KH-UBND"]),
    ({"rels": ["based_on"]}, []),
])
def test_grounds_options(chain, kwargs, labels):
    assert [x["label"] for x in grounds(chain, "doc/c", **kwargs)] == labels


def test_implementers_are_everything_below(chain):
    got = [(x["label"], x["depth"]) for x in implementers(chain, "33/CT-TTg")]
    assert got == [("2/KH-UBND", 1), ("9/KH-UBND", 1), ("1/KH-UBND", 2), ("c", 3)]
    assert [x["label"] for x in implementers(chain, "33/CT-TTg", rels=["based_on"])] == ["2/KH-UBND"]


def test_lineage_path_either_direction(chain):
    down = lineage_path(chain, "doc/c", "33/CT-TTg")
    assert [r for _, r, _ in down] == ["implements", "implements", "based_on"]
    assert lineage_path(chain, "33/CT-TTg", "doc/c") == down
    with pytest.raises(nx.NetworkXNoPath):
        lineage_path(chain, "9/KH-UBND", "doc/c")


def test_coverage_by_province_and_district(chain):
    c = coverage(chain, "33/CT-TTg", by="stated")
    assert sorted(c.covered) == ["Bình Phước", "Hải Dương"]
    assert len(c.covered["Bình Phước"]) == 3 and "Hà Nội" in c.missing
    assert len(c.covered) + len(c.missing) == 63  # the map before 1 July 2025
    t = coverage(chain, "33/CT-TTg")  # today's: Bình Phước is in Đồng Nai, Hải Dương in Hải Phòng
    assert sorted(t.covered) == ["Hải Phòng", "Đồng Nai"] and t.covered["Đồng Nai"] == c.covered["Bình Phước"]
    assert len(t.covered) + len(t.missing) == 34
    d = coverage(chain, "33/CT-TTg", level="district")
    assert list(d.covered) == ["huyện D, tỉnh Bình Phước"] and d.missing == []
    assert coverage(chain, "33/CT-TTg", universe=["Đồng Nai", "Cà Mau"]).missing == ["Cà Mau"]
    with pytest.raises(ValueError, match="level must be"):
        coverage(chain, "33/CT-TTg", level="galaxy")
    with pytest.raises(ValueError, match="no districts since 1 July 2025"):
        coverage(chain, "33/CT-TTg", level="district", by="today")
    with pytest.raises(ValueError, match="by must be"):
        coverage(chain, "33/CT-TTg", by="tomorrow")


@pytest.mark.parametrize("by, expect", [
    ("sources", [(B + "state/central/ttg/ct/2021/33", 2), (B + "state/p/d/ubnd/kh/2024/1", 1)]),
    ("citing", [(B + "state/central/ttg/ct/2021/33", 2), (B + "state/p/d/ubnd/kh/2024/1", 1)]),
    ("edges", [(B + "state/central/ttg/ct/2021/33", 2), (B + "state/p/d/ubnd/kh/2024/1", 1)]),
])
def test_most_cited(chain, by, expect):
    assert most_cited(chain, 2, by=by) == expect
    assert most_cited(chain, 5, by=by, rel="based_on") == [(B + "state/central/ttg/ct/2021/33", 1)]
    assert most_cited(chain, 5, by=by, level="district") == [(B + "state/p/d/ubnd/kh/2024/1", 1)]


def test_most_cited_counts_texts_not_mentions(lit):
    kl = "party/central/tw/kl/xi/114"
    ex = lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", kl, start=0), lit.ref("114-KL/TW", kl, start=50)])
    G = from_extractions([ex], Registry())
    assert most_cited(G, 1) == [(B + kl, 1)]
    assert most_cited(G, 1, by="edges") == [(B + kl, 2)]
    with pytest.raises(ValueError, match="by must be"):
        most_cited(G, by="votes")


def test_to_dataframe_is_one_tidy_table_per_call_with_real_dtypes(chain, seed_graph):
    import pandas as pd

    docs = to_dataframe(chain)
    assert isinstance(docs, pd.DataFrame)  # one table, not a tuple of two
    assert len(docs) == chain.nx.number_of_nodes() and docs.index.name == "id"
    assert docs.loc[B + "state/central/ttg/ct/2021/33", "cited_by"] == 2
    cites = to_dataframe(chain, "citations")
    assert len(cites) == chain.nx.number_of_edges()
    assert set(cites.columns) >= {"citing", "cited", "rel", "source", "start", "end", "citing_date", "cited_level"}
    seeds = to_dataframe(seed_graph)
    is_date = pd.api.types.is_datetime64_any_dtype
    assert is_date(seeds["date"]) and seeds["date"].notna().sum() > 20
    assert seeds.loc[seed_graph.resolve("114-KL/TW"), "date"] == pd.Timestamp("2015-07-14")
    for col in ("kind", "type", "type_code", "issuer", "jurisdiction", "system", "term"):
        assert str(seeds[col].dtype) == "category", col
    assert seeds["level"].cat.ordered and list(seeds["level"].cat.categories) == ["central", "province", "district",
                                                                                 "commune"]
    assert str(seeds["year"].dtype) == "Int64" and pd.api.types.is_string_dtype(seeds["label"])
    assert seeds["in_registry"].dtype == bool and seeds["in_registry"].sum() == 21
    # no cell holds a list or a dict
    for table in ("documents", "citations", "mentions"):
        df = to_dataframe(seed_graph, table)
        assert len(df) > 50
        assert not any(isinstance(v, (list, dict)) for col in df.columns for v in df[col]), table
    cites = to_dataframe(seed_graph, "citations")
    assert is_date(cites["citing_date"]) and str(cites["rel"].dtype) == "category"
    ments = to_dataframe(seed_graph, "mentions")
    assert ments["document"].nunique() == sum(1 for _, d in seed_graph.nx.nodes(data=True) if d.get("mentions"))
    assert is_date(ments["stated_date"])


@pytest.mark.parametrize("doc, error", [("18/CT-UBND", AmbiguousDocument), ("no such thing", UnknownDocument)])
def test_query_errors_are_clear(lit, doc, error):
    refs = [lit.ref("18/CT-UBND", "state/a/ubnd/ct/2016/18", start=0),
            lit.ref("18/CT-UBND", "state/b/ubnd/ct/2016/18", start=20)]
    G = from_extractions([lit.ex("a.txt", "doc/a", refs)], Registry())
    with pytest.raises(error) as e:
        grounds(G, doc)
    if error is AmbiguousDocument:
        assert "state/a/ubnd/ct/2016/18" in str(e.value) and "state/b/ubnd/ct/2016/18" in str(e.value)


def test_toy_graph_queries_accept_nx_graphs():
    assert [x["label"] for x in implementers(toy_graph(), "114-KL/TW", max_depth=1)] == ["114/KH-UBND", "247-KH/TU"]


# ================================================================= SPARQL and networkx agree (seeds)
@pytest.fixture(scope="module")
def targets(seed_graph):
    st = Store()
    st.put(seed_graph)
    return {"rdflib": seed_graph, "oxigraph": st}


@pytest.mark.parametrize("target", ["rdflib", "oxigraph"])
def test_sparql_and_networkx_agree_on_the_seeds(seed_graph, targets, target):
    t = targets[target]
    g = seed_graph.nx
    checked = 0
    for n in sorted(g):
        assert sparql.grounds(t, n) == sorted(x["document"] for x in grounds(g, n)), n
        assert sparql.implementers(t, n) == sorted(x["document"] for x in implementers(g, n)), n
        checked += 1
    assert checked == g.number_of_nodes() > 50
    assert sparql.most_cited(t, 15) == most_cited(g, 15)
    for sym in ("114-KL/TW", "18/CT-UBND", "217-QĐ/TW"):
        assert sparql.by_symbol(t, sym) == sorted(n for n, d in g.nodes(data=True) if d.get("symbol") == sym)
    (kl,) = sparql.by_symbol(t, "114-KL/TW")
    assert sparql.coverage(t, kl) == coverage(g, kl)
    assert sparql.coverage(t, kl, "district") == coverage(g, kl, "district")
    assert sparql.coverage(t, kl, universe=["Đồng Nai", "Huế"]) == coverage(g, kl, universe=["Đồng Nai", "Huế"])
    assert {d for d, _ in sparql.date_conflicts(t)} == {f.document for f in check(seed_graph).of_kind("date_conflict")}


@pytest.mark.parametrize("hostile", ['114-KL/TW" } ?s ?p ?o {', "x\\", '"""', "a\nb", "' OR 1=1 --"])
def test_user_strings_are_bound_not_pasted(seed_graph, targets, hostile):
    for t in targets.values():
        assert sparql.by_symbol(t, hostile) == []


@pytest.mark.parametrize("iri", ["http://x/a> } DROP ALL {", "http://x/a b", "no-scheme", 'http://x/"'])
def test_bad_iris_are_refused(iri):
    with pytest.raises(ValueError, match="not a valid IRI"):
        sparql.sparql_term(URIRef(iri))


def test_values_block_binds_literals_safely():
    q = sparql.with_values(sparql.QUERIES["by_symbol"], {"symbol": Literal('a"b')})
    assert 'VALUES (?symbol) { ("a\\"b") }' in q


def test_sparql_on_a_citation_graph_binds_variables_it_does_not_project(seed_graph):
    from rdflib import URIRef

    from citegraph.rdf import sparql

    doc = seed_graph.resolve("114-KL/TW")
    q = sparql.PREFIXES + "SELECT DISTINCT ?document WHERE { ?document eli:applies ?target . } ORDER BY ?document"
    via_ox = sparql.select(seed_graph, q, {"target": URIRef(doc)})
    via_rdflib = sparql.select(seed_graph.rdf, q, {"target": URIRef(doc)})
    assert via_ox == via_rdflib and len(via_ox) >= 1


def _star_graph(hubs: int, leaves: int) -> nx.MultiDiGraph:
    """``hubs`` documents, hub k cited by ``leaves * (k + 1)`` documents of its own."""
    g = nx.MultiDiGraph()
    for k in range(hubs):
        for j in range(leaves * (k + 1)):
            g.add_edge(f"leaf{k}-{j:03d}", f"hub{k}", rel="implements")
    return g


def test_overview_starts_at_the_most_cited_and_stays_connected():
    from citegraph.graph.queries import overview

    g = _star_graph(3, 10)  # hub2 cited 30 times, hub1 20, hub0 10
    part = overview(g, 25)
    assert len(part) == 25 and "hub2" in part and "hub1" not in part
    assert nx.is_weakly_connected(part)
    assert sorted(overview(g, 40)) == sorted(overview(g, 40))  # deterministic
    assert {"hub2", "hub1"} <= set(overview(g, 40)) and "hub0" not in overview(g, 40)
    assert len(overview(g, 1000)) == len(g)


def test_graph_html_of_a_big_graph_draws_its_overview(tmp_path):
    from citegraph.outputs.writers import write_html

    g = _star_graph(3, 10)
    G = type("G", (), {"nx": g})()
    write_html(G, tmp_path / "graph.html", max_nodes=25)
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "the 25 documents around the most cited of 63" in page
    assert "hub2" in page and "hub0" not in page


# ================================================== SPARQL takes the arguments of the networkx questions
@pytest.mark.parametrize("target", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("doc", ["33/CT-TTg", "114-KL/TW", "114-kl/tw", "party/central/tw/kl/xi/0114"])
def test_sparql_questions_accept_symbols_and_relative_ids(seed_graph, targets, target, doc):
    # sparql.implementers(G, "33/CT-TTg") returned [] (it took the symbol for an IRI)
    t, g = targets[target], seed_graph.nx
    assert sparql.resolve(t, doc) == seed_graph.resolve(doc)
    want = sorted(x["document"] for x in implementers(g, doc))
    assert want and sparql.implementers(t, doc) == want
    assert sparql.grounds(t, doc) == sorted(x["document"] for x in grounds(g, doc))
    assert sparql.coverage(t, doc) == coverage(g, doc)


@pytest.mark.parametrize("target", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("kwargs", [{"max_depth": 1}, {"max_depth": 2}, {"rels": ["implements"]},
                                    {"rels": ["implements", "based_on"], "max_depth": 1}, {"rels": []}])
def test_sparql_walks_take_rels_and_max_depth(seed_graph, targets, target, kwargs):
    t, g = targets[target], seed_graph.nx
    checked = 0
    for n in sorted(g):
        assert sparql.grounds(t, n, **kwargs) == sorted(x["document"] for x in grounds(g, n, **kwargs)), n
        got = sparql.implementers(t, n, **kwargs)
        assert got == sorted(x["document"] for x in implementers(g, n, **kwargs)), n
        checked += bool(got)
    assert checked == 0 if kwargs.get("rels") == [] else checked > 5


def test_sparql_walks_follow_replaces_only_when_asked(lit):
    # a replaces link is also stated as eli:repeals; a walk over 'repeals' must not follow it
    refs = [lit.ref("1/QĐ-UBND", "state/a/ubnd/qd/2020/1", start=0), lit.ref("2/QĐ-UBND", "state/a/ubnd/qd/2020/2",
                                                                            start=20)]
    G = from_extractions([lit.ex("a.txt", "doc/a", refs, [("SELF", "replaces", 0), ("SELF", "repeals", 1)])],
                         Registry())
    for rels in (["repeals"], ["replaces"], None):
        assert sparql.grounds(G, "doc/a", rels=rels) == sorted(x["document"] for x in grounds(G, "doc/a", rels=rels))
    assert sparql.grounds(G, "doc/a", rels=["repeals"]) == [B + "state/a/ubnd/qd/2020/2"]


@pytest.mark.parametrize("target", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("kwargs", [{}, {"by": "citing"}, {"by": "edges"}, {"level": "central"}, {"system": "party"},
                                    {"rel": "implements"}, {"level": "province", "rel": "cites"}])
def test_sparql_most_cited_takes_the_networkx_options(seed_graph, targets, target, kwargs):
    got = sparql.most_cited(targets[target], 12, **kwargs)
    assert got and got == most_cited(seed_graph.nx, 12, **kwargs)


@pytest.mark.parametrize("target", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("doc, error", [("18/CT-UBND", AmbiguousDocument), ("no such thing", UnknownDocument),
                                        ("https://w3id.org/citegraph/id/doc/none", UnknownDocument)])
def test_sparql_and_networkx_raise_the_same_errors(seed_graph, targets, target, doc, error):
    with pytest.raises(error) as nx_err:
        implementers(seed_graph.nx, doc)
    for q in (sparql.implementers, sparql.grounds, sparql.coverage):
        with pytest.raises(error) as e:
            q(targets[target], doc)
        assert str(e.value) == str(nx_err.value)


def test_sparql_bad_options_are_clear(seed_graph):
    with pytest.raises(ValueError, match="unknown relation"):
        sparql.grounds(seed_graph, "114-KL/TW", rels=["inspires"])
    with pytest.raises(ValueError, match="level must be"):
        sparql.coverage(seed_graph, "114-KL/TW", level="galaxy")
    with pytest.raises(ValueError, match="by must be"):
        sparql.most_cited(seed_graph, by="votes")
