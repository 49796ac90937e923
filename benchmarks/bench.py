"""citegraph benchmark: one run on one generated corpus, figures side by side, targets with PASS/FAIL.

    python benchmarks/bench.py                 # 10,000 and 100,000 documents (long: run it with nohup)
    python benchmarks/bench.py --quick         # a small run (a minute)
    python benchmarks/bench.py --docs N --big M --markdown out.md

What it measures (each piece that is not available yet prints ``n/a (reason)``):

* extraction throughput (MB/s, docs/s, one process) against two references on the same texts in the
  same run: one pass of a trivial regular expression (the floor) and underthesea ``word_tokenize``
  (on a sample, extrapolated per MB); parallel throughput of :func:`citegraph.extraction.batch.extract_many`;
  and the accuracy of extraction against the corpus's known answers;
* the build as ``citegraph build`` does it (``extract_items`` → ``from_extractions``: resolution and the
  networkx view, no RDF view) of the first ``--docs`` and of ``--big`` documents, each in a fresh
  process: time, peak memory of the process tree (sampled RSS of the process and its workers;
  ``getrusage`` too), and the growth of time and memory per document from the small to the big build;
* writing the graph files (``CitationGraph.write``: Turtle, JSON-LD, GraphML, report, HTML), its own
  stage: time and peak memory, file by file;
* the SPARQL view in an on-disk Oxigraph store (fill time, disk size) and ``grounds`` /
  ``implementers`` on it and on the networkx view;
* RDF write/read, N-Triples and Turtle, Oxigraph against rdflib's in-memory Graph on the same files:
  rdflib on the graphs that fit its memory budget (``--rdflib-max-triples``), Oxigraph on every graph;
* HTML: time to write a 2,000-node page (``citegraph.outputs.html.to_html``) and for headless Chromium to draw it;
  incremental builds on a persistent store (``citegraph.store.Store``).

The corpus is written once under ``benchmarks/_work/`` (ignored by git) and reused.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORK = ROOT / "benchmarks" / "_work"
FLOOR_RE = re.compile(r"\d+\s*[-/]\s*[^\s,;.()]+")

TARGETS = {
    "vs_underthesea": 50.0,  # extraction throughput >= 50 x word_tokenize
    "vs_regex": 10.0,  # trivial regex pass <= 10 x extraction throughput
    "big_seconds": 600.0,  # 100k documents built in under 10 minutes
    "big_peak_mb": 4096.0,  # with peak memory under 4 GB
    "oxigraph_vs_rdflib": 10.0,  # RDF write/read at least 10 x rdflib
    "growth": 1.5,  # time per document at the big size <= 1.5 x at the small size ("close to linear")
}


# ============================================================================================ utils
class PeakMemory:
    """Peak resident memory of this process and all its children, sampled every ``interval`` seconds."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak = self.start = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakMemory":
        self.peak = self.start = self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())

    @property
    def mb(self) -> float:
        return self.peak / 2**20


def rusage_mb() -> dict[str, float]:
    """``ru_maxrss`` of this process and of its largest waited-for child (Linux: KiB)."""
    return {"self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU seconds of this process (CPU time is robust to other jobs on a shared machine)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


def _rates(wall: float, cpu: float, mb: float, docs: int) -> dict[str, float]:
    return {"seconds": wall, "cpu_seconds": cpu, "mb_s": mb / cpu, "docs_s": docs / cpu,
            "wall_mb_s": mb / wall, "wall_docs_s": docs / wall}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB"
    except ImportError:  # pragma: no cover
        mem = "?"
    return {"nproc": os.cpu_count(), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg": os.getloadavg()}


def _ram_mb() -> float:
    try:
        import psutil

        return psutil.virtual_memory().total / 2**20
    except ImportError:  # pragma: no cover
        return 8192.0


def na(reason: str) -> dict[str, Any]:
    return {"na": reason}


def corpus(n: int, seed: int) -> Path:
    """A generated corpus of ``n`` documents (reused when complete)."""
    from citegraph.synth import write_corpus

    d = WORK / f"corpus-s{seed}-n{n}"
    marker = d / ".complete"
    if marker.exists() and marker.read_text().strip() == str(n):
        return d
    t, paths = timed(lambda: write_corpus(n, d, seed=seed))
    marker.write_text(str(n))
    (d / ".generation_seconds").write_text(f"{t:.2f}")
    return d


def corpus_paths(d: Path, n: int) -> list[Path]:
    return [d / f"syn_{i:06d}.txt" for i in range(n)]


# ====================================================================================== throughput
def best_of(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    """:func:`timed_cpu` of ``fn`` run ``repeats`` times: the run with the fewest CPU seconds (its wall
    seconds beside them) and the last run's result. Each pass of the throughput stage gets the same
    number of runs, so other jobs on a shared machine bias none of them."""
    best: tuple[float, float] | None = None
    out: Any = None
    for _ in range(max(1, repeats)):
        w, c, out = timed_cpu(fn)
        if best is None or c < best[1]:
            best = (w, c)
    assert best is not None
    return best[0], best[1], out


def throughput(paths: list[Path], ut_docs: int, repeats: int = 3) -> dict[str, Any]:
    """Extraction vs the trivial regex pass vs underthesea word_tokenize, same texts, one process.

    Each pass runs ``repeats`` times and its fastest run counts (:func:`best_of`). underthesea runs on the
    first ``ut_docs`` texts; extraction is timed on those same texts too (``extract_sample``), and the ratio
    to underthesea is taken on them.
    """
    texts = [p.read_text(encoding="utf-8") for p in paths]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    out: dict[str, Any] = {"docs": len(texts), "mb": mb, "repeats": repeats}
    sample = texts[:ut_docs]
    smb = sum(len(t.encode("utf-8")) for t in sample) / 1e6

    def regex_pass() -> int:
        return sum(1 for t in texts for _ in FLOOR_RE.finditer(t))

    regex_pass()  # warm
    w, c, _ = best_of(regex_pass, repeats)
    out["regex"] = _rates(w, c, mb, len(texts))
    try:
        import citegraph

        citegraph.extract(texts[0])  # warm: vocabularies, compiled patterns
        w, c, exs = best_of(lambda: [citegraph.extract(x) for x in texts], repeats)
        out["extract"] = _rates(w, c, mb, len(texts))
        w, c, _ = best_of(lambda: [citegraph.extract(x) for x in sample], repeats)
        out["extract_sample"] = {**_rates(w, c, smb, len(sample)), "sample_docs": len(sample), "sample_mb": smb}
        from citegraph.synth import score

        golds = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in paths]
        for ex, p in zip(exs, paths):
            ex.source = str(p)
        sc = score(zip(golds, exs))
        out["accuracy"] = sc.figures()
        out["misses"] = {f: list(v) for f, v in sc.miss_rates().items() if v[0]}
    except Exception as e:  # noqa: BLE001
        out["extract"] = na(f"{type(e).__name__}: {e}")
    try:
        from underthesea import word_tokenize

        word_tokenize(sample[0][:200])  # warm: model load
        w, c, _ = best_of(lambda: [word_tokenize(x) for x in sample], repeats)
        out["underthesea"] = {**_rates(w, c, smb, len(sample)), "sample_docs": len(sample), "sample_mb": smb}
    except Exception as e:  # noqa: BLE001
        out["underthesea"] = na(f"{type(e).__name__}: {e}")
    return out


# =========================================================================================== build
def phase_build(paths: list[Path], workers: int, rdf_io: bool, html: bool, browser: bool, tmp: Path,
                save: Callable[[dict[str, Any]], None] = lambda r: None,
                rdflib_max: int = 6_000_000) -> dict[str, Any]:
    """Run in a fresh process: the build as ``citegraph build`` does it, then each later stage on its own.

    1. **build**: ``citegraph.corpus.build(paths)``'s own steps, with a time mark when the last extraction
       arrives: :func:`~citegraph.corpus.extract_items` (parallel :func:`citegraph.extraction.batch.extract_many`)
       streamed into :func:`~citegraph.corpus.from_extractions` (resolution, networkx view; texts dropped as
       they come). No RDF view is made: ``citegraph build`` makes none.
    2. **write**: ``CitationGraph.write(out_dir)`` (``citegraph build --out``): Turtle, JSON-LD, GraphML,
       report and HTML, timed file by file, with the peak memory of each.
    3. **SPARQL view**: the graph loaded into an on-disk Oxigraph store (``pyoxigraph.Store(path)``, filled
       by :func:`citegraph.corpus.to_oxigraph`), reopened, and ``grounds`` / ``implementers`` asked of it and of
       the networkx view.
    4. **RDF I/O** (``rdf_io``): N-Triples and Turtle files dumped from that store, read back and written
       again by Oxigraph and, when the graph fits ``rdflib_max`` and memory, by rdflib (same files).
    5. (``html``) the 2,000-node HTML page, and incremental builds on a persistent store.

    ``save`` is called with the figures so far after each stage (read back if the phase is stopped).
    """
    out: dict[str, Any] = {"docs": len(paths), "workers": workers}
    mb = sum(p.stat().st_size for p in paths) / 1e6
    out["mb"] = mb
    out["stage"] = "build"
    save(out)
    graph = None
    with PeakMemory() as peak:
        t0 = time.perf_counter()
        marks: dict[str, float] = {}

        try:
            from citegraph.corpus import expand_paths, extract_items, from_extractions
            from citegraph.graph.registry import Registry

            def stream() -> Any:
                yield from extract_items(items, workers=workers)
                marks["extracted"] = time.perf_counter()
                marks["peak_extract"] = peak.mb

            # citegraph.corpus.build(paths) is from_extractions(extract_items(expand(paths)), Registry.default())
            reg = Registry.default()
            items = expand_paths(paths)
            graph = from_extractions(stream(), reg)
            t_graph = time.perf_counter()
            t_ex = marks["extracted"] - t0
            out["extract"] = {"seconds": t_ex, "docs_s": len(paths) / t_ex, "mb_s": mb / t_ex,
                              "peak_mb": marks["peak_extract"]}
            G = graph.nx
            out["graph"] = {"seconds": t_graph - marks["extracted"],
                            "stages": {"resolve_networkx": t_graph - marks["extracted"]},
                            "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
        except Exception as e:  # noqa: BLE001
            out["graph"] = na(f"{type(e).__name__}: {e}")
            if "extracted" in marks:
                t_ex = marks["extracted"] - t0
                out["extract"] = {"seconds": t_ex, "docs_s": len(paths) / t_ex, "mb_s": mb / t_ex}
            graph = None
        out["total_seconds"] = time.perf_counter() - t0
    out["peak_mb"] = peak.mb
    out.update(rusage_mb())
    out["stage"] = "write"
    save(out)
    if graph is None:
        out["stage"] = "done"
        return out
    gc.collect()
    out["write"] = bench_write(graph, tmp)
    try:
        out["graph"]["triples"] = graph.triple_count()  # counted by the Turtle writer when it ran
    except Exception as e:  # noqa: BLE001
        out["graph"]["triples"] = na(f"{type(e).__name__}: {e}")
    if html:
        out["stage"] = "html"
        save(out)
        out["html"] = bench_html(graph, tmp, browser)
    out["stage"] = "sparql store"
    save(out)
    out["sparql_store"], store = bench_disk_store(graph, tmp)
    ground, top = _pick_docs(graph.nx)
    out["stage"] = "queries"
    save(out)
    out["queries"] = bench_queries(graph, {"oxigraph_disk": store} if store is not None else {}, ground, top,
                                   again=True)
    graph = None  # the RDF I/O needs only the files: the networkx view is let go
    gc.collect()
    if rdf_io and store is not None:
        out["stage"] = "rdf i/o"
        save(out)
        out["rdf_io"] = bench_rdf_io(store, tmp, rdflib_max, out["queries"], ground, top,
                                     lambda io: save({**out, "rdf_io": io}))
    store = None
    gc.collect()
    shutil.rmtree(tmp / "oxigraph", ignore_errors=True)
    if html:
        out["stage"] = "incremental store"
        save(out)
        out["store"] = bench_store(paths, tmp)
    out["stage"] = "done"
    return out


def _dir_mb(d: Path) -> float:
    return sum(f.stat().st_size for f in d.rglob("*") if f.is_file()) / 1e6


def bench_write(graph: Any, tmp: Path) -> dict[str, Any]:
    """``CitationGraph.write(out_dir)`` as ``citegraph build --out`` calls it, on the built graph.

    Total time and peak memory of the process tree; per file, the time and peak memory from the previous
    file's appearance to its own (``write`` makes each file atomically: it appears when complete), and
    its size. ``start_mb`` is the tree's memory when writing began (the built graph).
    """
    out_dir = tmp / "out"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    res: dict[str, Any] = {"files": {}}
    stop = threading.Event()
    t0 = time.perf_counter()
    state = {"last": t0, "peak": 0.0, "overall": 0.0}
    seen: set[str] = set()
    pid = os.getpid()

    def poll() -> None:
        rss = _tree_rss_mb(pid)
        state["peak"] = max(state["peak"], rss)
        state["overall"] = max(state["overall"], rss)
        now = time.perf_counter()
        for f in sorted(out_dir.iterdir()):
            if f.name.startswith(".") or f.name in seen:
                continue
            seen.add(f.name)
            res["files"][f.name] = {"seconds": now - state["last"], "peak_mb": state["peak"],
                                    "bytes": f.stat().st_size}
            state["last"], state["peak"] = now, rss

    def watch() -> None:
        while not stop.is_set():
            poll()
            stop.wait(0.05)

    res["start_mb"] = _tree_rss_mb(pid)
    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        graph.write(out_dir)
        res["seconds"] = time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001
        res["error"] = f"{type(e).__name__}: {e}"
    finally:
        stop.set()
        th.join()
        poll()
        res["peak_mb"] = state["overall"]
        shutil.rmtree(out_dir, ignore_errors=True)
    return res


def bench_disk_store(graph: Any, tmp: Path) -> tuple[dict[str, Any], Any]:
    """The SPARQL view on disk: ``to_oxigraph(G, store=pyoxigraph.Store(path))``, flushed, closed and reopened."""
    try:
        import pyoxigraph as ox
        from citegraph.rdf.triples import to_oxigraph
    except Exception as e:  # noqa: BLE001
        return na(f"{type(e).__name__}: {e}"), None
    path = tmp / "oxigraph"
    shutil.rmtree(path, ignore_errors=True)
    res: dict[str, Any] = {"how": "citegraph.corpus.to_oxigraph(G, store=pyoxigraph.Store(path)) (bulk_extend)"}
    try:
        with PeakMemory() as pm:
            t = time.perf_counter()
            st = ox.Store(str(path))
            to_oxigraph(graph, store=st)
            st.flush()
            res["fill_seconds"] = time.perf_counter() - t
        res["peak_mb"], res["start_mb"] = pm.mb, pm.start / 2**20
        res["triples"] = len(st)
        del st
        gc.collect()
        res["disk_mb"] = _dir_mb(path)
        res["open_seconds"], st = timed(lambda: ox.Store(str(path)))
        return res, st
    except Exception as e:  # noqa: BLE001
        res["error"] = f"{type(e).__name__}: {e}"
        return res, None


def _free_mb() -> float:
    try:
        import psutil

        return psutil.virtual_memory().available / 2**20
    except ImportError:  # pragma: no cover
        return 8192.0


#: Memory per triple, measured here: rdflib's in-memory Graph ~1.1 KB, Oxigraph's in-memory Store ~0.5 KB.
RDFLIB_KB_PER_TRIPLE, OXIGRAPH_KB_PER_TRIPLE = 1.1, 0.5
#: a write is timed up to WRITE_REPEATS times, while its runs so far took under WRITE_REPEAT_BUDGET seconds
WRITE_REPEATS, WRITE_REPEAT_BUDGET = 3, 30.0


def bench_rdf_io(store: Any, tmp: Path, rdflib_max: int, queries: dict[str, Any], ground: str | None,
                 top: str | None, save: Callable[[dict[str, Any]], None] = lambda io: None) -> dict[str, Any]:
    """RDF write and read, N-Triples and Turtle: Oxigraph against rdflib's in-memory Graph, on the same files.

    The files are dumped from the on-disk store (``oxigraph_disk_write_*``). Each side then reads the same
    file into a queryable store and writes that store back out in the same format: Oxigraph into a fresh
    in-memory ``Store`` (``bulk_load``, and ``load`` when the file fits in memory too) and into a fresh
    on-disk ``Store(path)`` (``bulk_load``); rdflib into ``Graph()`` (``parse``, then ``serialize``). Each
    read is checked to hold every triple. A write is the fastest of up to ``WRITE_REPEATS`` runs, each to a
    new file, and both sides leave it in the page cache (Oxigraph dumps to an open file: given a path it
    would also fsync it). The Oxigraph figure of a ratio is its fastest method (wall
    clock); every figure has its CPU seconds beside it (``*_cpu``: this process, all threads), which a
    shared machine disturbs less. ``oxigraph_parse_*`` is the parser alone (``pyoxigraph.parse``, no store).

    rdflib is skipped (n/a, with the reason) above ``rdflib_max`` triples or when its graph (~1.1 KB per
    triple) would not fit in half the free memory. ``queries`` gains the SPARQL times on the in-memory
    Oxigraph store and the rdflib graph read from the N-Triples file.
    """
    import pyoxigraph as ox

    n = len(store)
    res: dict[str, Any] = {"triples": n}

    def run(key: str, fn: Callable[[], Any]) -> Any:
        w, c, out = timed_cpu(fn)
        res[key], res[key + "_cpu"] = w, c
        return out

    def write(key: str, path: Path, fn: Callable[[], Any]) -> None:
        """A write timed like a read, then again (to a fresh file each time) while the runs so far took
        under WRITE_REPEAT_BUDGET seconds, up to WRITE_REPEATS runs: the fastest run counts."""
        runs: list[tuple[float, float]] = []
        while len(runs) < WRITE_REPEATS and (not runs or sum(w for w, _ in runs) < WRITE_REPEAT_BUDGET):
            path.unlink(missing_ok=True)  # no run pays for truncating the last one's file
            w, c, _ = timed_cpu(fn)
            runs.append((w, c))
        res[key], res[key + "_cpu"] = min(runs)
        res[key + "_runs"] = len(runs)

    def ox_dump(st: Any, path: Path, fmt: Any) -> None:
        # to a file object: given a path, pyoxigraph fsyncs the file before closing it (~0.3 s of 1.3 for
        # the 10k graph's N-Triples) and rdflib does not; written this way, both leave the file in the page cache
        with open(path, "wb") as fh:
            st.dump(fh, format=fmt, from_graph=ox.DefaultGraph())

    formats = [("nt", "nt", "N_TRIPLES"), ("ttl", "turtle", "TURTLE")]
    free = _free_mb()
    if n > rdflib_max:
        why: str | None = (f"skipped: {n} triples > --rdflib-max-triples {rdflib_max} (an rdflib Graph of "
                           f"{n} triples needs ~{n * RDFLIB_KB_PER_TRIPLE / 2**20:.0f} GB)")
    elif n * RDFLIB_KB_PER_TRIPLE / 1024 > free / 2:
        why = (f"skipped: an rdflib Graph of {n} triples needs ~{n * RDFLIB_KB_PER_TRIPLE / 2**20:.1f} GB, "
               f"{free / 1024:.0f} GB free")
    else:
        why = None
    res["rdflib_skipped"] = why
    for ext, rdflib_fmt, ox_name in formats:
        fmt = getattr(ox.RdfFormat, ox_name)
        f, back = tmp / f"graph.{ext}", tmp / f"back.{ext}"
        try:
            write(f"oxigraph_disk_write_{ext}", f, lambda: ox_dump(store, f, fmt))
            size = res[f"bytes_{ext}"] = f.stat().st_size
            run(f"oxigraph_parse_{ext}", lambda: sum(1 for _ in ox.parse(path=str(f), format=fmt)))
            if n * OXIGRAPH_KB_PER_TRIPLE / 1024 < _free_mb() / 2:
                fresh = ox.Store()
                run(f"oxigraph_mem_bulk_load_{ext}", lambda: fresh.bulk_load(path=str(f), format=fmt))
                assert len(fresh) == n, (len(fresh), n)
                write(f"oxigraph_mem_write_{ext}", back, lambda: ox_dump(fresh, back, fmt))
                if ext == "nt":
                    queries.update(bench_queries(None, {"oxigraph_mem": fresh}, ground, top))
                del fresh
                gc.collect()
                if (n * OXIGRAPH_KB_PER_TRIPLE * 1024 + 2 * size) / 2**20 < _free_mb() / 2:
                    fresh = ox.Store()
                    run(f"oxigraph_mem_load_{ext}", lambda: fresh.load(path=str(f), format=fmt))
                    assert len(fresh) == n, (len(fresh), n)
                    del fresh
                    gc.collect()
                else:
                    res[f"oxigraph_mem_load_{ext}"] = na("the file and an in-memory store do not both fit")
            else:
                res[f"oxigraph_mem_bulk_load_{ext}"] = na(f"an in-memory store of {n} triples does not fit")
            d = tmp / "oxigraph-read"
            shutil.rmtree(d, ignore_errors=True)
            disk = ox.Store(str(d))

            def disk_load() -> None:
                disk.bulk_load(path=str(f), format=fmt)
                disk.flush()

            run(f"oxigraph_disk_bulk_load_{ext}", disk_load)
            assert len(disk) == n, (len(disk), n)
            del disk
            gc.collect()
            shutil.rmtree(d, ignore_errors=True)
            for op, methods in (("read", ("mem_bulk_load", "mem_load", "disk_bulk_load")), ("write", ("mem_write", "disk_write"))):
                done = [m for m in methods if isinstance(res.get(f"oxigraph_{m}_{ext}"), float)]
                best = min(done, key=lambda m: res[f"oxigraph_{m}_{ext}"])
                res[f"oxigraph_{op}_{ext}"] = res[f"oxigraph_{best}_{ext}"]
                res[f"oxigraph_{op}_{ext}_cpu"] = res[f"oxigraph_{best}_{ext}_cpu"]
                res[f"oxigraph_{op}_{ext}_method"] = best
        except Exception as e:  # noqa: BLE001
            res[f"oxigraph_read_{ext}"] = na(f"{type(e).__name__}: {e}")
        save(res)
        if why is not None:
            res[f"rdflib_read_{ext}"] = res[f"rdflib_write_{ext}"] = na(why)
        else:
            from rdflib import Graph

            try:
                g = Graph()
                run(f"rdflib_read_{ext}", lambda: g.parse(str(f), format=rdflib_fmt))
                assert len(g) == n, (len(g), n)
                write(f"rdflib_write_{ext}", back, lambda: g.serialize(destination=str(back), format=rdflib_fmt, encoding="utf-8"))
                if ext == "nt":
                    queries.update(bench_queries(None, {"rdflib": g}, ground, top))
                del g
                gc.collect()
            except Exception as e:  # noqa: BLE001
                res[f"rdflib_read_{ext}"] = na(f"{type(e).__name__}: {e}")
            save(res)
        f.unlink(missing_ok=True)
        back.unlink(missing_ok=True)
    return res


def bench_store(paths: list[Path], tmp: Path) -> dict[str, Any]:
    """Incremental builds on a persistent store (``citegraph.store.Store``): cold, unchanged, 1% new."""
    try:
        from citegraph.store import Store
    except Exception as e:  # noqa: BLE001
        return na(f"citegraph.store: {type(e).__name__}: {e}")
    res: dict[str, Any] = {}
    try:
        extra = max(1, len(paths) // 100)
        base, more = [str(p) for p in paths[:-extra]], [str(p) for p in paths[-extra:]]
        with Store(tmp / "store") as st:
            res["cold_seconds"], _ = timed(lambda: st.build(base))
            res["cold_docs"] = len(st.last.extracted)
            res["unchanged_seconds"], _ = timed(lambda: st.build(base))
            res["unchanged_extracted"] = len(st.last.extracted)
            res["plus_1pct_seconds"], _ = timed(lambda: st.build(base + more))
            res["plus_1pct_extracted"] = len(st.last.extracted)
    except Exception as e:  # noqa: BLE001
        res["error"] = f"{type(e).__name__}: {e}"
    return res


def _pick_docs(G: Any) -> tuple[str | None, str | None]:
    """A corpus document low in a chain (for grounds) and the most cited document (for implementers)."""
    ground = None
    for lvl in ("commune", "district", "province"):
        cands = sorted(n for n, d in G.nodes(data=True) if d.get("sources") and d.get("level") == lvl
                       and G.out_degree(n) > 0)
        if cands:
            ground = cands[len(cands) // 2]
            break
    top = max(G.nodes, key=lambda n: (G.in_degree(n), n), default=None)
    return ground, top


def bench_queries(graph: Any, stores: dict[str, Any], ground: str | None, top: str | None,
                  again: bool = False) -> dict[str, Any]:
    """``grounds`` of ``ground`` and ``implementers`` of ``top``: networkx view (``graph``; skipped if None)
    and SPARQL (:mod:`citegraph.rdf.sparql`'s canned queries) on each store, one run each (``again``: the
    SPARQL ones twice, the second with warm caches)."""
    res: dict[str, Any] = {}
    if graph is not None:
        res["grounds_doc"], res["implementers_doc"] = ground, top
        try:
            from citegraph.graph import queries

            if ground:
                res["nx_grounds"], r = timed(lambda: queries.grounds(graph, ground))
                res["nx_grounds_n"] = len(r)
            if top:
                res["nx_implementers"], r = timed(lambda: queries.implementers(graph, top))
                res["nx_implementers_n"] = len(r)
        except Exception as e:  # noqa: BLE001
            res["nx"] = na(f"{type(e).__name__}: {e}")
    try:
        from citegraph.rdf import sparql

        for name, store in stores.items():
            if ground:
                res[f"{name}_grounds"], r = timed(lambda: sparql.grounds(store, ground))
                res[f"{name}_grounds_n"] = len(r)
            if top:
                res[f"{name}_implementers"], r = timed(lambda: sparql.implementers(store, top))
                res[f"{name}_implementers_n"] = len(r)
            if again:  # the same queries once more (caches warm)
                if ground:
                    res[f"{name}_grounds_again"], _ = timed(lambda: sparql.grounds(store, ground))
                if top:
                    res[f"{name}_implementers_again"], _ = timed(lambda: sparql.implementers(store, top))
    except Exception as e:  # noqa: BLE001
        res["sparql"] = na(f"{type(e).__name__}: {e}")
    return res


def bench_html(graph: Any, tmp: Path, browser: bool, nodes: int = 2000) -> dict[str, Any]:
    res: dict[str, Any] = {}
    try:
        from citegraph.outputs.html import to_html
    except Exception as e:  # noqa: BLE001
        return na(f"citegraph.outputs.html.to_html: {type(e).__name__}: {e}")
    from citegraph.graph.queries import overview

    sub = overview(graph, nodes)
    res["nodes"], res["edges"] = sub.number_of_nodes(), sub.number_of_edges()
    page = tmp / "graph2000.html"
    res["write_seconds"], _ = timed(lambda: to_html(sub, page))
    res["bytes"] = page.stat().st_size
    if not browser:
        res["draw"] = na("--no-browser")
        return res
    res["draw"] = draw_in_chromium(page)
    return res


def draw_in_chromium(page: Path) -> dict[str, Any]:
    """Seconds from navigation to the page's ``citegraph.ready`` in headless Chromium (CDP over a pipe)."""
    import shutil

    if not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")):
        return na("no chromium binary on PATH")
    try:
        import importlib.util

        spec = importlib.util.spec_from_file_location("_cg_test_html", ROOT / "tests" / "test_html.py")
        if spec is None or spec.loader is None:
            return na("tests/test_html.py (Chromium driver) not found")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        b = mod.Chromium()
    except Exception as e:  # noqa: BLE001
        return na(f"Chromium driver: {type(e).__name__}: {e}")
    try:
        seconds = b.open(page.as_uri(), mod.READY, timeout=300)
        stats = b.evaluate("({nodes: window.citegraph.stats().nodes,"
                           " firstDrawMs: window.citegraph.firstDrawMs})")
        return {"seconds": seconds, **(stats or {})}
    except Exception as e:  # noqa: BLE001
        return na(f"{type(e).__name__}: {e}")
    finally:
        b.close()


def _tree_rss_mb(pid: int) -> float:
    import psutil

    try:
        p = psutil.Process(pid)
        return sum(q.memory_info().rss for q in [p, *p.children(recursive=True)]) / 2**20
    except psutil.Error:
        return 0.0


def run_phase(n: int, corpus_dir: Path, workers: int, rdf_io: bool, html: bool, browser: bool,
              timeout: float | None = None, mem_limit_mb: float | None = None,
              rdflib_max: int | None = None) -> dict[str, Any]:
    """Run :func:`phase_build` in a fresh interpreter so that its peak memory is its own.

    After ``timeout`` seconds, or when the process tree holds more than ``mem_limit_mb``, the phase
    is stopped and the figures of the stages it finished are returned, with ``timed_out`` saying why
    and at which stage (also when the process dies on its own).
    """
    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        out = Path(tmp) / "phase.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--phase-build", str(n), "--corpus-dir", str(corpus_dir),
               "--workers", str(workers), "--phase-out", str(out), "--tmp", tmp]
        if rdf_io:
            cmd.append("--rdf-io")
        if rdflib_max is not None:
            cmd += ["--rdflib-max-triples", str(rdflib_max)]
        if html:
            cmd.append("--html")
        if not browser:
            cmd.append("--no-browser")
        partial = Path(tmp) / "phase.partial.json"
        cmd += ["--phase-partial", str(partial)]
        t = time.perf_counter()
        errf = Path(tmp) / "stderr.txt"
        reason = None
        with open(errf, "w") as err:
            proc = subprocess.Popen(cmd, stderr=None if sys.stderr.isatty() else err, text=True,
                                    start_new_session=True)
            top = 0.0
            while proc.poll() is None:
                time.sleep(0.2)
                elapsed = time.perf_counter() - t
                rss = _tree_rss_mb(proc.pid) if mem_limit_mb else 0.0
                top = max(top, rss)
                if timeout is not None and elapsed > timeout:
                    reason = f"stopped after {timeout:.0f} s"
                elif mem_limit_mb and rss > mem_limit_mb:
                    reason = f"stopped at {rss / 1024:.1f} GB (limit {mem_limit_mb / 1024:.0f} GB)"
                if reason:
                    import signal

                    os.killpg(proc.pid, signal.SIGKILL)  # the phase and its worker processes
                    proc.wait()
                    break
        wall = time.perf_counter() - t
        if reason is None and (proc.returncode != 0 or not out.exists()):
            reason = f"build process exited {proc.returncode}: " + errf.read_text()[-400:].strip().replace("\n", " | ")
        if reason is not None:
            res = json.loads(partial.read_text()) if partial.exists() else {"docs": n}
            res["timed_out"] = f"{reason} during stage '{res.get('stage', 'extract')}'"
            res["wall_seconds"] = wall
            if top:
                res["peak_mb_seen"] = max(top, res.get("peak_mb", 0))
            return res
        res = json.loads(out.read_text())
        res["wall_seconds"] = wall
        return res


# ========================================================================================= report
def _f(x: Any, fmt: str = "{:.2f}") -> str:
    if isinstance(x, dict) and "na" in x:
        return f"n/a ({x['na']})"
    if x is None:
        return "n/a"
    return fmt.format(x) if isinstance(x, (int, float)) else str(x)


def _ratio(io: dict[str, Any], op: str, ext: str) -> str:
    """rdflib's time over Oxigraph's fastest, by wall clock (and by CPU seconds)."""
    a, b = io.get(f"rdflib_{op}_{ext}"), io.get(f"oxigraph_{op}_{ext}")
    if not (isinstance(a, float) and isinstance(b, float) and b > 0):
        return "n/a"
    ac, bc = io.get(f"rdflib_{op}_{ext}_cpu"), io.get(f"oxigraph_{op}_{ext}_cpu")
    cpu = f" ({ac / bc:.1f}× CPU)" if isinstance(ac, float) and isinstance(bc, float) and bc > 0 else ""
    return f"{a / b:.1f}×{cpu}"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(r: dict[str, Any]) -> tuple[str, list[tuple[str, str, str]]]:
    """Human-readable lines (Markdown) and the target rows (name, figure, verdict)."""
    L: list[str] = []
    targets: list[tuple[str, str, str]] = []
    m = r["machine"]
    L.append(f"machine: {m['nproc']} CPUs, {m['memory']}, {m['cpu']}, Python {m['python']} ({m['platform']}); "
             f"load average at start {m['loadavg'][0]:.1f}, at end {m.get('loadavg_end', [float('nan')])[0]:.1f}")
    L.append(f"corpus: synthetic, seed {r['seed']}, {r['corpus_docs']} documents generated in "
             f"{_f(r.get('generation_seconds'))} s ({r.get('corpus_mb', 0):.1f} MB)")
    tp = r.get("throughput", {})
    L.append("")
    L.append(f"## Extraction throughput (one process, {tp.get('docs')} documents, {tp.get('mb', 0):.2f} MB in memory)")
    L.append("MB/s and docs/s per CPU second of the measuring process (the machine is shared; wall-clock "
             "figures are in the JSON)")
    L.append("")
    L.append("| pass | MB/s | docs/s | ratio |")
    L.append("|---|---|---|---|")
    ex, rg, ut = tp.get("extract", {}), tp.get("regex", {}), tp.get("underthesea", {})
    L.append(f"| trivial regex pass (floor) | {_f(rg.get('mb_s'))} | {_f(rg.get('docs_s'), '{:.0f}')} | "
             f"{_f(rg['mb_s'] / ex['mb_s'] if 'mb_s' in ex and 'mb_s' in rg else None, '{:.1f}×')} faster than extraction |")
    L.append(f"| citegraph.extract | {_f(ex.get('mb_s') if 'na' not in ex else ex)} | "
             f"{_f(ex.get('docs_s'), '{:.0f}')} | 1 |")
    ut_note = (f" (sample of {ut.get('sample_docs')} documents, {ut.get('sample_mb', 0):.2f} MB, extrapolated per MB)"
               if "mb_s" in ut else "")
    L.append(f"| underthesea word_tokenize{ut_note} | {_f(ut.get('mb_s', ut) if 'na' in ut else ut.get('mb_s'), '{:.3f}')} | "
             f"{_f(ut.get('docs_s'), '{:.1f}')} | "
             f"{_f(ex['mb_s'] / ut['mb_s'] if 'mb_s' in ex and 'mb_s' in ut else None, '{:.1f}×')} slower than extraction |")
    exs = tp.get("extract_sample", {})
    if "mb_s" in exs and "mb_s" in ut:
        L.append(f"| citegraph.extract on underthesea's sample | {_f(exs['mb_s'])} | {_f(exs.get('docs_s'), '{:.0f}')} | "
                 f"underthesea {exs['mb_s'] / ut['mb_s']:.1f}× slower on the same texts |")
    L.append("")
    L.append(f"Each pass ran {tp.get('repeats', 1)} times; its fastest run counts.")
    if "mb_s" in ut and ("mb_s" in exs or "mb_s" in ex):
        ratio = (exs if "mb_s" in exs else ex)["mb_s"] / ut["mb_s"]
        targets.append(("extraction ≥ 50× underthesea word_tokenize (same texts)", f"{ratio:.1f}×",
                        verdict(ratio >= TARGETS["vs_underthesea"])))
    else:
        targets.append(("extraction ≥ 50× underthesea word_tokenize", "n/a", "n/a"))
    if "mb_s" in ex and "mb_s" in rg:
        ratio = rg["mb_s"] / ex["mb_s"]
        targets.append(("extraction within 10× of the trivial regex pass", f"regex {ratio:.1f}× faster",
                        verdict(ratio <= TARGETS["vs_regex"])))
    else:
        targets.append(("extraction within 10× of the trivial regex pass", "n/a", "n/a"))
    if "accuracy" in tp:
        acc = tp["accuracy"]
        L.append("")
        L.append("accuracy on the known answers: " + ", ".join(f"{k} {v:.3f}" for k, v in acc.items()))
        if tp.get("misses"):
            L.append("missed cited documents by surface form: " +
                     ", ".join(f"{k} {a}/{b}" for k, (a, b) in tp["misses"].items()))
    builds = [(k, r[k]) for k in ("build_small", "build_big") if k in r]
    L.append("")
    L.append("## Build end to end (fresh process each; what `citegraph build` does: extract_items (extract_many on "
             "all CPUs) streamed into from_extractions → resolve → networkx; no RDF view)")
    L.append("| documents | extract s (docs/s) | resolve + networkx s | total s | nodes | edges | triples | peak MB (tree) | maxrss self / largest child MB |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for _, b in builds:
        if "na" in b:
            L.append(f"| ? | {_f(b)} | | | | | | | |")
            continue
        g = b.get("graph", {})
        gtxt = f"{g['seconds']:.1f}" if "seconds" in g else (
            f"did not finish: {b['timed_out']}" if "timed_out" in b else _f(g))
        e = b.get("extract", {})
        etxt = f"{e['seconds']:.1f} ({e['docs_s']:.0f})" if "seconds" in e else f"did not finish: {b.get('timed_out')}"
        total = f"{b['total_seconds']:.1f}" if "total_seconds" in b else f"> {b.get('wall_seconds', 0):.0f}"
        if "timed_out" in b:
            total += f" ({b['timed_out']})"
        peak = f"{max(b.get('peak_mb', 0), b.get('peak_mb_seen', 0) if 'total_seconds' not in b else 0):.0f}" \
            if ("peak_mb" in b or "peak_mb_seen" in b) else "?"
        L.append(f"| {b['docs']} | {etxt} | {gtxt} | {total} | {g.get('nodes', '')} | {g.get('edges', '')} | "
                 f"{_f(g.get('triples', ''), '{}')} | {peak} | {b.get('self_maxrss_mb', 0):.0f} / {b.get('children_maxrss_mb', 0):.0f} |")
    small, big = r.get("build_small", {}), r.get("build_big", {})
    e, se = big.get("extract", {}), small.get("extract", {})
    if "seconds" in e and "seconds" in se:
        L.append("")
        L.append(f"extraction (extract_items, {big.get('workers')} worker processes from 64 inputs on): {se['docs_s']:.0f} docs/s at {small['docs']} "
                 f"documents, {e['docs_s']:.0f} docs/s at {big['docs']} (per-document time ×"
                 f"{(e['seconds'] / big['docs']) / (se['seconds'] / small['docs']):.2f}); peak memory after extraction "
                 f"{se.get('peak_mb', 0):.0f} MB → {e.get('peak_mb', 0):.0f} MB")
    if "timed_out" in big and "total_seconds" not in big:
        targets.append((f"{big['docs']} documents built in under 10 minutes", f"did not finish ({big['timed_out']})",
                        "FAIL" if big.get("wall_seconds", 0) >= TARGETS["big_seconds"] else "n/a"))
        seen = max(big.get("peak_mb_seen", 0), big.get("peak_mb", 0))
        targets.append((f"{big['docs']} documents: peak memory under 4 GB",
                        f"{seen:.0f} MB seen before it was stopped", "FAIL" if seen >= TARGETS["big_peak_mb"] else "n/a"))
    elif "total_seconds" in big:
        ok = big["total_seconds"] < TARGETS["big_seconds"] and "seconds" in big.get("graph", {})
        targets.append((f"{big['docs']} documents built in under 10 minutes", f"{big['total_seconds']:.0f} s", verdict(ok)))
        targets.append((f"{big['docs']} documents: peak memory under 4 GB", f"{big['peak_mb']:.0f} MB",
                        verdict(big["peak_mb"] < TARGETS["big_peak_mb"])))
    else:
        targets.append(("big build in under 10 minutes", _f(big or na("not run")), "n/a"))
        targets.append(("big build peak memory under 4 GB", "n/a", "n/a"))
    if "total_seconds" in small and "total_seconds" in big and "seconds" in small.get("graph", {}) \
            and "seconds" in big.get("graph", {}):
        per_s, per_b = small["total_seconds"] / small["docs"], big["total_seconds"] / big["docs"]
        mem_s, mem_b = small["peak_mb"] / small["docs"], big["peak_mb"] / big["docs"]
        g_s, g_b = small["graph"]["seconds"] / small["docs"], big["graph"]["seconds"] / big["docs"]
        L.append("")
        L.append(f"growth {small['docs']} → {big['docs']} documents ({big['docs'] / small['docs']:.0f}× the documents): "
                 f"time ×{big['total_seconds'] / small['total_seconds']:.1f} (per document ×{per_b / per_s:.2f}; "
                 f"resolve + networkx per document ×{g_b / g_s:.2f}), peak memory ×{big['peak_mb'] / small['peak_mb']:.1f} "
                 f"(per document ×{mem_b / mem_s:.2f})")
        targets.append(("build time grows close to linearly (per-document time ≤ 1.5× at the big size)",
                        f"×{per_b / per_s:.2f}", verdict(per_b / per_s <= TARGETS["growth"])))

    # ---- writing the files
    L.append("")
    L.append("## Writing the graph files (`CitationGraph.write(out_dir)`, as `citegraph build --out`; same process, "
             "after the build)")
    L.append("Per file: seconds, size, peak memory of the process tree while it was written; the memory at the "
             "start is the built graph's")
    L.append("| documents | total s | peak MB (at start) | graph.ttl | graph.jsonld | graph.graphml | report.md | graph.html |")
    L.append("|---|---|---|---|---|---|---|---|")
    names = ("graph.ttl", "graph.jsonld", "graph.graphml", "report.md", "graph.html")
    for _, b in builds:
        w = b.get("write") if isinstance(b, dict) else None
        if not w:
            why = b.get("timed_out") if isinstance(b, dict) and b.get("stage") == "write" else "not run"
            L.append(f"| {b.get('docs', '?') if isinstance(b, dict) else '?'} | n/a ({why}) | | | | | | |")
            continue
        files = w.get("files", {})
        cells = [f"{files[k]['seconds']:.1f} s, {files[k]['bytes'] / 1e6:.0f} MB, peak {files[k]['peak_mb']:.0f} MB"
                 if k in files else "-" for k in names]
        total = f"{w['seconds']:.1f}" if "seconds" in w else f"n/a ({w.get('error', '?')})"
        L.append(f"| {b['docs']} | {total} | {w.get('peak_mb', 0):.0f} ({w.get('start_mb', 0):.0f}) | " + " | ".join(cells) + " |")
    wb = big.get("write") if isinstance(big, dict) else None
    if wb and "total_seconds" in big:
        if "seconds" in wb:
            tot = big["total_seconds"] + wb["seconds"]
            targets.append((f"{big['docs']} documents built and written (`citegraph build --out`) in under 10 minutes",
                            f"{tot:.0f} s ({big['total_seconds']:.0f} + {wb['seconds']:.0f})",
                            verdict(tot < TARGETS["big_seconds"])))
        pk = max(big["peak_mb"], wb.get("peak_mb", 0))
        targets.append((f"{big['docs']} documents built and written: peak memory under 4 GB", f"{pk:.0f} MB",
                        verdict(pk < TARGETS["big_peak_mb"] and "seconds" in wb)))

    # ---- SPARQL view on disk
    L.append("")
    L.append("## SPARQL view: on-disk Oxigraph store (`to_oxigraph(G, store=pyoxigraph.Store(path))`, flushed, reopened)")
    L.append("| documents | fill s | triples | disk MB | peak MB (at start) | reopen s |")
    L.append("|---|---|---|---|---|---|")
    for _, b in builds:
        s_ = b.get("sparql_store") if isinstance(b, dict) else None
        if not s_ or "fill_seconds" not in s_:
            L.append(f"| {b.get('docs', '?') if isinstance(b, dict) else '?'} | {_f(s_) if s_ and 'na' in s_ else 'n/a (' + str((s_ or {}).get('error', 'not run')) + ')'} | | | | |")
            continue
        L.append(f"| {b['docs']} | {s_['fill_seconds']:.1f} | {s_.get('triples')} | {s_.get('disk_mb', 0):.0f} | "
                 f"{s_.get('peak_mb', 0):.0f} ({s_.get('start_mb', 0):.0f}) | {_f(s_.get('open_seconds'), '{:.3f}')} |")

    # ---- queries
    L.append("")
    L.append("## Queries (seconds; documents found; the on-disk store is asked first just after it is reopened, then again)")
    views = (("networkx (citegraph.queries)", "nx"), ("SPARQL, Oxigraph on disk", "oxigraph_disk"),
             ("SPARQL, Oxigraph in memory (read from N-Triples)", "oxigraph_mem"),
             ("SPARQL, rdflib Graph (read from N-Triples)", "rdflib"))
    anyq = False
    for _, b in builds:
        q = b.get("queries") if isinstance(b, dict) else None
        if not q:
            continue
        anyq = True
        L.append(f"{b['docs']} documents: grounds of {q.get('grounds_doc')}; implementers of {q.get('implementers_doc')}")
        L.append("")
        L.append("| documents | view | grounds | implementers |")
        L.append("|---|---|---|---|")
        for view, pre in views:
            gq, iq = q.get(f"{pre}_grounds"), q.get(f"{pre}_implementers")
            if gq is None and iq is None:
                why = (b.get("rdf_io") or {}).get("rdflib_skipped") if pre == "rdflib" else None
                L.append(f"| {b['docs']} | {view} | n/a{' (' + why + ')' if why else ''} | n/a |")
                continue
            ga, ia = q.get(f"{pre}_grounds_again"), q.get(f"{pre}_implementers_again")
            L.append(f"| {b['docs']} | {view} | {_f(gq, '{:.4f}')}{_f(ga, ', again {:.4f}') if ga is not None else ''} "
                     f"({q.get(f'{pre}_grounds_n', '-')}) | "
                     f"{_f(iq, '{:.4f}')}{_f(ia, ', again {:.4f}') if ia is not None else ''} "
                     f"({q.get(f'{pre}_implementers_n', '-')}) |")
        for k in ("nx", "sparql"):
            if k in q:
                L.append(f"{k}: {_f(q[k])}")
        L.append("")
    if not anyq:
        L.append("n/a (no graph)")
        L.append("")

    # ---- RDF I/O
    L.append("## RDF write/read: Oxigraph against rdflib's in-memory Graph (same files on local disk)")
    L.append("Each side reads the same file into a queryable store (rdflib `Graph().parse`; Oxigraph `Store().bulk_load`, "
             "`Store().load`, on-disk `Store(path).bulk_load`) and writes that store back (`serialize`; `dump`). "
             "The files are dumped from the on-disk store (its own write time is the last Oxigraph write figure). "
             f"A write is the fastest of up to {WRITE_REPEATS} runs (while they take under {WRITE_REPEAT_BUDGET:.0f} s), "
             "each to a new file; both sides leave the file in the page cache (Oxigraph dumps to an open file "
             "object: given a path, pyoxigraph also fsyncs it, rdflib does not). "
             "Ratio = rdflib / fastest Oxigraph method, by wall clock (by CPU seconds of the process in brackets: "
             "the machine is shared). Oxigraph's in-memory reads run only when the store fits in half the free memory. "
             "rdflib only on graphs that fit its memory budget "
             "(`--rdflib-max-triples`); Oxigraph alone on larger ones.")
    L.append("")
    L.append("| documents | triples | format (file MB) | rdflib read s | Oxigraph read s: memory bulk_load / load / disk bulk_load | read ratio | rdflib write s | Oxigraph write s: memory dump / disk dump | write ratio |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    compared: tuple[int, dict[str, Any]] | None = None
    anyio = False
    for _, b in builds:
        io = b.get("rdf_io") if isinstance(b, dict) else None
        if not io or "triples" not in io:
            continue
        anyio = True
        for ext, name in (("nt", "N-Triples"), ("ttl", "Turtle")):
            rr, rw = io.get(f"rdflib_read_{ext}"), io.get(f"rdflib_write_{ext}")
            orr, ow = io.get(f"oxigraph_read_{ext}"), io.get(f"oxigraph_write_{ext}")
            ratio_r, ratio_w = _ratio(io, "read", ext), _ratio(io, "write", ext)
            oxr = " / ".join(_f(io.get(f"oxigraph_{k}_{ext}"), "{:.2f}") if f"oxigraph_{k}_{ext}" in io else "-"
                             for k in ("mem_bulk_load", "mem_load", "disk_bulk_load"))
            oxw = " / ".join(_f(io.get(f"oxigraph_{k}_{ext}"), "{:.2f}") if f"oxigraph_{k}_{ext}" in io else "-"
                             for k in ("mem_write", "disk_write"))
            rtxt = _f(rr) if isinstance(rr, float) else "n/a"
            L.append(f"| {b['docs']} | {io['triples']} | {name} ({io.get(f'bytes_{ext}', 0) / 1e6:.0f}) | {rtxt} | "
                     f"{oxr} | {ratio_r} | {_f(rw) if isinstance(rw, float) else 'n/a'} | {oxw} | {ratio_w} |")
        if io.get("rdflib_skipped"):
            L.append(f"| {b['docs']} | | rdflib: {io['rdflib_skipped']} | | | | | | |")
    if not anyio:
        L.append(f"| n/a ({_f(big.get('rdf_io') or na('no graph'))}) | | | | | | | | |")
    for _, b in builds:
        io = b.get("rdf_io") if isinstance(b, dict) else None
        if io and isinstance(io.get("oxigraph_parse_nt"), float):
            L.append("")
            L.append(f"{b['docs']} documents, parser alone (`pyoxigraph.parse`, every triple made, no store): N-Triples "
                     f"{io['oxigraph_parse_nt']:.2f} s, Turtle {_f(io.get('oxigraph_parse_ttl'))} s; fastest Oxigraph "
                     f"read: N-Triples {io.get('oxigraph_read_nt_method', '?')}, Turtle {io.get('oxigraph_read_ttl_method', '?')}")
        if io and isinstance(io.get("rdflib_read_nt"), float) and (compared is None or b["docs"] > compared[0]):
            compared = (b["docs"], io)
    if compared is None:
        targets.append(("Oxigraph RDF write/read ≥ 10× rdflib", "n/a", "n/a"))
    else:
        docs_c, io = compared
        for ext, name in (("ttl", "Turtle"), ("nt", "N-Triples")):
            for op in ("write", "read"):
                a_, b_ = io.get(f"rdflib_{op}_{ext}"), io.get(f"oxigraph_{op}_{ext}")
                label = f"Oxigraph RDF {op} ≥ 10× rdflib ({name}, {docs_c}-document graph, {io['triples']} triples)"
                if isinstance(a_, float) and isinstance(b_, float) and b_ > 0:
                    targets.append((label, _ratio(io, op, ext), verdict(a_ / b_ >= TARGETS["oxigraph_vs_rdflib"])))
                else:
                    targets.append((label, "n/a", "n/a"))

    # ---- HTML and the incremental store (small build)
    h = small.get("html") if isinstance(small, dict) else None
    L.append("")
    L.append("## HTML")
    if h and "write_seconds" in h:
        d = h.get("draw", {})
        L.append(f"{h['nodes']} nodes, {h['edges']} edges: to_html {h['write_seconds']:.2f} s ({h['bytes'] / 1e6:.1f} MB); "
                 f"headless Chromium ready in {_f(d.get('seconds')) + ' s' if 'seconds' in d else _f(d)}"
                 + (f" (first draw {d['firstDrawMs']:.0f} ms)" if isinstance(d.get("firstDrawMs"), (int, float)) else ""))
    else:
        L.append(_f(h or na("no graph")))
    st = small.get("store") if isinstance(small, dict) else None
    L.append("")
    L.append("## Incremental builds on a persistent Oxigraph store (citegraph.store.Store)")
    if st and "cold_seconds" in st:
        L.append(f"{st['cold_docs']} documents cold {st['cold_seconds']:.1f} s; unchanged rebuild {st['unchanged_seconds']:.1f} s "
                 f"({st['unchanged_extracted']} re-extracted); 1% new files {st['plus_1pct_seconds']:.1f} s "
                 f"({st['plus_1pct_extracted']} extracted)" + (f"; error: {st['error']}" if "error" in st else ""))
    else:
        L.append(_f(st) if st and "na" in st else f"n/a ({(st or {}).get('error', 'not run')})")
    L.append("")
    L.append("## Targets")
    L.append("| target | measured | verdict |")
    L.append("|---|---|---|")
    for name, fig, v in targets:
        L.append(f"| {name} | {fig} | {v} |")
    return "\n".join(L), targets


# =========================================================================================== main
def main(argv: list[str] | None = None) -> int:
    global WORK
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000, help="small build size (default 10000)")
    ap.add_argument("--big", type=int, default=100_000, help="big build size (default 100000; 0 to skip)")
    ap.add_argument("--quick", action="store_true", help="a small run: --docs 300 --big 1500, small samples")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--sample", type=int, default=None, help="documents for the one-process throughput (default 2000)")
    ap.add_argument("--ut-sample", type=int, default=None, help="documents for underthesea (default 100)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium drawing")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the report to this file")
    ap.add_argument("--json", type=Path, default=None, help="also write all figures as JSON")
    ap.add_argument("--work", type=Path, default=None, help=f"work directory (default {WORK})")
    # internal: one build in a fresh process
    ap.add_argument("--phase-build", type=int, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--corpus-dir", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--phase-out", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--phase-partial", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--phase-timeout", type=float, default=None,
                    help="stop a build phase after this many seconds and report the stages it finished")
    ap.add_argument("--mem-limit-gb", type=float, default=None,
                    help="stop a build phase whose process tree exceeds this (default: 70%% of RAM)")
    ap.add_argument("--rdflib-max-triples", type=int, default=6_000_000,
                    help="measure rdflib's in-memory Graph only on graphs of at most this many triples "
                         "(default 6000000: ~6.6 GB; Oxigraph is measured on every graph)")
    ap.add_argument("--tmp", type=Path, default=None, help=argparse.SUPPRESS)
    ap.add_argument("--rdf-io", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--html", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.work is not None:
        WORK = a.work
    if a.phase_build is not None:
        def save(r: dict[str, Any]) -> None:
            if a.phase_partial:
                tmpf = a.phase_partial.with_suffix(".tmp")
                tmpf.write_text(json.dumps(r, default=str))
                os.replace(tmpf, a.phase_partial)

        res = phase_build(corpus_paths(a.corpus_dir, a.phase_build), a.workers, a.rdf_io, a.html,
                          not a.no_browser, a.tmp, save, a.rdflib_max_triples)
        a.phase_out.write_text(json.dumps(res, default=str))
        return 0
    if a.quick:
        a.docs, a.big = min(a.docs, 300), min(a.big, 1500)
    sample = a.sample or min(a.docs, 300 if a.quick else 2000)
    ut_sample = a.ut_sample or min(sample, 20 if a.quick else 100)
    WORK.mkdir(parents=True, exist_ok=True)
    n = max(a.docs, a.big)
    r: dict[str, Any] = {"machine": machine(), "seed": a.seed, "corpus_docs": n, "args": vars(a)}
    print(f"generating/reusing a corpus of {n} documents under {WORK} ...", file=sys.stderr, flush=True)
    cdir = corpus(n, a.seed)
    gen = cdir / ".generation_seconds"
    r["generation_seconds"] = float(gen.read_text()) if gen.exists() else None
    r["corpus_mb"] = sum(p.stat().st_size for p in corpus_paths(cdir, n)) / 1e6
    print("throughput ...", file=sys.stderr, flush=True)
    r["throughput"] = throughput(corpus_paths(cdir, sample), ut_sample)
    print(f"build of {a.docs} documents ...", file=sys.stderr, flush=True)
    limit = (a.mem_limit_gb * 1024) if a.mem_limit_gb else _ram_mb() * 0.7
    r["build_small"] = run_phase(a.docs, cdir, a.workers, rdf_io=True, html=True, browser=not a.no_browser,
                                 timeout=a.phase_timeout, mem_limit_mb=limit, rdflib_max=a.rdflib_max_triples)
    if a.big:
        print(f"build of {a.big} documents ...", file=sys.stderr, flush=True)
        r["build_big"] = run_phase(a.big, cdir, a.workers, rdf_io=True, html=False, browser=False,
                                   timeout=a.phase_timeout, mem_limit_mb=limit, rdflib_max=a.rdflib_max_triples)
    r["machine"]["loadavg_end"] = os.getloadavg()
    text, targets = report(r)
    r["targets"] = targets
    print(text)
    if a.markdown:
        a.markdown.write_text(text + "\n", encoding="utf-8")
    if a.json:
        a.json.write_text(json.dumps(r, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
