"""Stores: persistent Oxigraph (reopen, idempotence, incremental = full rebuild) and a real SPARQL server."""
from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from citegraph.rdf import sparql
from citegraph.builder import build
from citegraph.cli import cmd_build as cli_build
from citegraph.graph.queries import grounds, most_cited
from citegraph.graph.registry import Registry
from citegraph.store import Endpoint, Store, StoreError, extraction_from_json, extraction_to_json

ROOT = Path(__file__).resolve().parent.parent
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@pytest.fixture
def corpus(tmp_path, seed_paths):
    """A private copy of the seeds that tests may change."""
    d = tmp_path / "corpus"
    d.mkdir()
    for p in seed_paths:
        shutil.copy(ROOT / p, d / Path(p).name)
    return d


def files(d: Path) -> list[str]:
    return sorted(str(p) for p in d.glob("*.txt"))


def test_persistent_store_reopens_with_the_same_graph(tmp_path, corpus):
    loc = tmp_path / "store"
    with Store(loc) as st:
        G = st.build(files(corpus))
        n = len(st)
    with Store(loc) as st:
        assert len(st) == n
        again = st.graph()
        assert isomorphic(again.rdf, G.rdf)
        assert sorted(again.nx) == sorted(G.nx)
        assert [e.source for e in again.extractions] == files(corpus)
        assert again.report().to_text() == G.report().to_text()


def test_adding_the_same_documents_twice_changes_nothing(tmp_path, corpus):
    with Store(tmp_path / "s") as st:
        st.build(files(corpus))
        before = len(st), st.rdf()
        st.add(files(corpus)[:2])
        assert st.last.extracted == [] and len(st.last.reused) == 4
        st.build(files(corpus))
        assert st.last.extracted == [] and st.last.removed == []
        assert len(st) == before[0] and isomorphic(st.rdf(), before[1])


def test_incremental_build_equals_a_full_rebuild(tmp_path, corpus):
    reg = Registry.default()
    with Store(tmp_path / "s") as st:
        st.build(files(corpus), reg)
        changed = corpus / "002_3e93a8050dd04c74.txt"
        changed.write_text(changed.read_text(encoding="utf-8").replace("107/KH-UBND", "108/KH-UBND"), encoding="utf-8")
        removed = corpus / "003_4ec44a3173f0857c.txt"
        removed.unlink()
        inc = st.build(files(corpus), reg)
        assert st.last.extracted == [str(changed)]
        assert st.last.removed == [str(removed)]
        assert len(st.last.reused) == 2
        full = build(files(corpus), registry=reg)
        assert inc.turtle() == full.turtle()
        assert isomorphic(st.rdf(), full.rdf)
        assert not any("003_" in s for _, d in inc.nx.nodes(data=True) for s in d["sources"])
        assert any(d.get("symbol") == "108/KH-UBND" for _, d in inc.nx.nodes(data=True))


def test_add_keeps_other_documents_until_they_leave_the_disk(tmp_path, corpus):
    fs = files(corpus)
    with Store(tmp_path / "s") as st:
        st.add(fs[:2])
        st.add(fs[2:])
        assert st.sources() == fs
        Path(fs[0]).unlink()
        st.add(fs[1:2])
        assert st.sources() == fs[1:] and st.last.removed == [fs[0]]


def test_extraction_cache_round_trips(seed_graph):
    for ex in seed_graph.extractions:
        assert extraction_from_json(extraction_to_json(ex)) == ex


def test_cli_build_with_a_persistent_store(tmp_path, corpus, capsys):
    args = argparse.Namespace(paths=[str(corpus)], out=str(tmp_path / "o"), store=str(tmp_path / "s"), registry=None)
    assert cli_build(args) == 0
    first = (tmp_path / "o" / "graph.ttl").read_bytes()
    assert cli_build(args) == 0
    assert (tmp_path / "o" / "graph.ttl").read_bytes() == first
    with Store(tmp_path / "s") as st:
        assert st.sources() == files(corpus)


def test_unusable_store_location_is_a_clear_error(tmp_path):
    f = tmp_path / "file"
    f.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(f / "sub")


# ============================================================================ a real SPARQL server
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not OXIGRAPH.exists():  # pragma: no cover - the test extra installs it
        pytest.skip("oxigraph server not installed (pip install oxigraph)")
    port = _free_port()
    loc = tmp_path_factory.mktemp("oxi")
    proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(loc), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 20
    while True:
        try:
            urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f"oxigraph serve did not start: {proc.stderr.read().decode()[:500]}")
            time.sleep(0.05)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover
        proc.kill()


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_push_and_query_a_real_endpoint(server, seed_graph, method):
    ep = Endpoint.oxigraph(server, graph=f"https://w3id.org/citegraph/graph/test-{method}")
    ep.push(seed_graph, method=method)
    assert isomorphic(ep.fetch(), seed_graph.rdf)
    assert sparql.most_cited(ep, 10) == most_cited(seed_graph, 10)
    (kl,) = sparql.by_symbol(ep, "114-KL/TW")
    assert sparql.implementers(ep, kl) == sparql.implementers(seed_graph, kl)
    for n in sorted(seed_graph.nx)[:20]:
        assert sparql.grounds(ep, n) == sorted(x["document"] for x in grounds(seed_graph, n))
    assert sparql.by_symbol(ep, '114-KL/TW" } ?s ?p ?o {') == []
    # pushing again replaces, never duplicates
    ep.push(seed_graph, method=method)
    assert len(ep.fetch()) == len(seed_graph.rdf)


def test_store_pushes_to_an_endpoint_and_reads_it_back(server, tmp_path, corpus):
    ep = Endpoint.oxigraph(server, graph="https://w3id.org/citegraph/graph/from-store")
    with Store(tmp_path / "s") as st:
        G = st.build(files(corpus))
        st.push(ep)
    view = ep.graph_view()
    assert sorted(view.nx) == sorted(G.nx)
    assert view.nx.number_of_edges() == G.nx.number_of_edges()


@pytest.mark.parametrize("url, graph, message", [
    ("ftp://127.0.0.1/query", "https://w3id.org/citegraph/graph/data", "starts with http"),
    ("http://127.0.0.1/query", "http://x/g> } ; DROP ALL ; INSERT DATA { <a", "not a valid IRI"),
])
def test_endpoint_mistakes(url, graph, message):
    with pytest.raises(StoreError, match=message):
        Endpoint(url, graph=graph)


def test_unreachable_endpoint_is_a_clear_error():
    ep = Endpoint.oxigraph(f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(StoreError, match="cannot reach the endpoint"):
        sparql.most_cited(ep)


def test_build_with_a_store_path_opens_and_releases_it(tmp_path, corpus):
    loc = tmp_path / "s"
    G = build(files(corpus), store=loc)
    again = build(files(corpus), store=loc)  # the lock was released
    assert again.turtle() == G.turtle()
    with Store(loc) as st:
        assert st.sources() == files(corpus)


def test_a_new_extractor_redoes_cached_extractions(tmp_path, corpus, monkeypatch):
    import citegraph.store as store_mod

    with Store(tmp_path / "s") as st:
        st.build(files(corpus))
        monkeypatch.setattr(store_mod, "extractor_fingerprint", lambda: "another extractor")
        st.build(files(corpus))
        assert st.last.extracted == files(corpus) and st.last.reused == []


def test_a_rebuild_from_the_same_inputs_leaves_the_data_graph_alone(tmp_path, corpus, monkeypatch):
    """The data graph is rewritten only when the sources, their contents or the registry changed, or
    when something else was put there since."""
    puts: list[int] = []
    real = Store.put
    monkeypatch.setattr(Store, "put", lambda self, G: (puts.append(len(G)), real(self, G))[1])
    with Store(tmp_path / "s") as st:
        first = st.build(files(corpus))
        kept = st.rdf()
        st.build(files(corpus))  # nothing changed
        assert len(puts) == 1 and isomorphic(st.rdf(), kept)
        st.build(files(corpus)[:3])  # a source left
        assert len(puts) == 2
        st.build(files(corpus)[:3], registry=Registry())  # another registry
        assert len(puts) == 3
        st.put(first)  # another graph put by hand: the next build cannot trust the record
        st.build(files(corpus)[:3], registry=Registry())
        assert len(puts) == 5 and len(st.graph().nx) == len(build(files(corpus)[:3], registry=Registry()).nx)


def test_store_builds_a_long_text_given_as_a_string(tmp_path):
    """Issue 15 defect 7: a text over 4 KB given as a string is a text, not a path (no ENAMETOOLONG)."""
    from citegraph.store import Store

    text = (ROOT / "corpus" / "000_40c62da37add3208.txt").read_text(encoding="utf-8")
    assert len(text) > 4096
    with Store(tmp_path / "s") as st:
        G = st.build([text])
    assert len(G.nx) > 1
