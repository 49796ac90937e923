"""Smoke test of the benchmark script with tiny numbers (no timing assertions)."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_cg_bench", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path) -> None:
    out_json, out_md = tmp_path / "r.json", tmp_path / "r.md"
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--docs", "20", "--big", "40", "--sample", "20", "--ut-sample", "2",
         "--no-browser", "--work", str(tmp_path / "work"), "--json", str(out_json), "--markdown", str(out_md)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = proc.stdout
    for section in ("## Extraction throughput", "## Build end to end", "## Writing the graph files",
                    "## SPARQL view: on-disk Oxigraph store", "## RDF write/read", "## Queries",
                    "## HTML", "## Targets", "machine:"):
        assert section in text, section
    r = json.loads(out_json.read_text())
    assert r["build_small"]["docs"] == 20 and r["build_big"]["docs"] == 40
    if importlib.util.find_spec("citegraph.corpus") is not None:  # every stage ran, none printed n/a
        for b in (r["build_small"], r["build_big"]):
            assert b["stage"] == "done", b.get("timed_out")
            assert b["graph"]["nodes"] > 0 and b["graph"]["triples"] > 0, b["graph"]
            # the build makes no RDF view; writing the files is its own stage, file by file
            assert b["write"]["seconds"] > 0 and b["write"]["peak_mb"] > 0, b["write"]
            assert {"graph.ttl", "graph.jsonld", "graph.graphml", "report.md", "graph.html"} <= set(b["write"]["files"])
            # the SPARQL view is an on-disk store holding every triple
            assert b["sparql_store"]["triples"] == b["graph"]["triples"] and b["sparql_store"]["disk_mb"] > 0
            q = b["queries"]
            assert q["nx_implementers_n"] > 0 and q["oxigraph_disk_implementers_n"] == q["nx_implementers_n"]
            assert q["oxigraph_disk_grounds_n"] == q["nx_grounds_n"] and q["oxigraph_disk_implementers_again"] > 0
            # Oxigraph and rdflib read and write the same files (a small graph fits rdflib's budget)
            io = b["rdf_io"]
            assert io["triples"] == b["graph"]["triples"] and io["rdflib_skipped"] is None
            for ext in ("nt", "ttl"):
                for op in ("read", "write"):
                    assert isinstance(io[f"rdflib_{op}_{ext}"], float) and isinstance(io[f"oxigraph_{op}_{ext}"], float)
            assert q["rdflib_implementers_n"] == q["oxigraph_mem_implementers_n"] == q["nx_implementers_n"]
        assert r["build_small"]["html"]["nodes"] > 0
        assert r["build_small"]["store"]["cold_docs"] > 0
    names = [t[0] for t in r["targets"]]
    assert any("underthesea" in n for n in names) and any("regex" in n for n in names)
    assert any("10 minutes" in n for n in names) and any("Oxigraph" in n for n in names)
    assert any("built and written" in n for n in names)
    assert all(t[2] in ("PASS", "FAIL", "n/a") for t in r["targets"])
    assert out_md.read_text(encoding="utf-8").strip() == text.strip()
    # the corpus is generated once and reused
    assert (tmp_path / "work" / "corpus-s0-n40" / ".complete").read_text() == "40"


def test_a_phase_that_runs_out_of_time_is_reported_not_fatal(tmp_path: Path) -> None:
    bench = _bench()
    from citegraph.synth import write_corpus

    write_corpus(5, tmp_path / "c", seed=1)
    res = bench.run_phase(5, tmp_path / "c", 1, rdf_io=False, html=False, browser=False, timeout=0.01)
    assert "timed_out" in res
    text, targets = bench.report({"machine": bench.machine(), "seed": 1, "corpus_docs": 5, "throughput": {},
                                  "build_small": res, "build_big": res})
    assert "stopped after" in text
    assert ("n/a" in {t[2] for t in targets})


def test_missing_pieces_print_na() -> None:
    bench = _bench()
    text, targets = bench.report({"machine": bench.machine(), "seed": 0, "corpus_docs": 0,
                                  "throughput": {"extract": bench.na("citegraph.extraction.pipeline is missing")},
                                  "build_small": bench.na("no graph module")})
    assert "n/a (citegraph.extraction.pipeline is missing)" in text and "n/a (no graph module)" in text
    assert all(v == "n/a" for _, _, v in targets)


@pytest.mark.parametrize("n", [3])
def test_peak_memory_sampler_sees_this_process(n: int) -> None:
    bench = _bench()
    with bench.PeakMemory(interval=0.01) as pm:
        blob = bytearray(n * 2**20)
    assert pm.mb > n and len(blob) == n * 2**20


def test_rdflib_is_skipped_above_its_budget_and_oxigraph_still_measured(tmp_path: Path) -> None:
    bench = _bench()
    import pyoxigraph as ox

    st = ox.Store(str(tmp_path / "st"))
    st.load(input=b"<http://e/a> <http://e/p> <http://e/b> .\n<http://e/b> <http://e/p> \"x\" .\n",
            format=ox.RdfFormat.N_TRIPLES)
    queries: dict = {}
    saved: list = []
    io = bench.bench_rdf_io(st, tmp_path, 1, queries, None, None, saved.append)
    assert io["triples"] == 2 and "--rdflib-max-triples 1" in io["rdflib_skipped"]
    assert "na" in io["rdflib_read_nt"] and isinstance(io["oxigraph_read_nt"], float)
    assert isinstance(io["oxigraph_disk_bulk_load_ttl"], float) and io["bytes_ttl"] > 0
    assert saved and saved[0]["bytes_nt"] > 0  # figures so far are handed to the partial save
    text, targets = bench.report({"machine": bench.machine(), "seed": 0, "corpus_docs": 1, "throughput": {},
                                  "build_big": {"docs": 1, "rdf_io": io}})
    assert "rdflib: skipped" in text
    assert ("Oxigraph RDF write/read ≥ 10× rdflib", "n/a", "n/a") in targets


def test_e2e_wall_time_leaves_out_the_memory_watcher() -> None:
    """Bug: e2e.run took the wall time after joining the thread that samples memory, so up to one sampling
    interval (0.05 s) was added to every command (the 0.10 s regex pass read 0.15 s)."""
    spec = importlib.util.spec_from_file_location("_cg_e2e", BENCH.parent / "e2e.py")
    assert spec is not None and spec.loader is not None
    e2e = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(e2e)
    pytest.importorskip("psutil")
    r = e2e.run([sys.executable, "-c", "pass"], interval=2.0)
    assert r["seconds"] < 1.5 and r["peak_mb"] >= 0
