"""End to end: what users run (the CLI on files) against simple baselines, on the same files, in one run.

Rows, each a command run as a user would (a new process, start-up included, every file read once, no text
seen twice, so no cache flatters it); the extraction rows and their baselines run ``--repeat`` times (3) and
report the median run (the machine is shared: the load average is noted at the start and the end):

* ``citegraph extract --format jsonl`` on the real texts of ../shared/real/web, against
  - underthesea ``word_tokenize`` over the same decoded texts (goal: extraction ≥ 50× faster), and
  - a trivial regex pass: a new Python process that reads and decodes the same files and runs one symbol regex
    over them (goal: extraction within 10× of it);
* ``citegraph extract --format jsonl`` on the gazette PDFs of ../shared/real/gazette, against a new process that
  extracts their text with PDFium (pypdfium2) alone (goal: within 3×);
* ``citegraph build --out`` on a synthetic corpus (``--build N`` documents; goal at 100k: < 10 min, < 4 GB peak
  including writing every output file), its peak memory the largest sum of the RSS of its process tree.

The package is byte-compiled first (``compileall``), as an installed package is: a checkout run with
``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module from source in every process (~0.07 s).
The extraction row is also run once as the first run after an install, with the start-up cache
(:mod:`citegraph.text.startcache`) empty; the repeated runs find it filled, as every later run does.

Usage::

    python benchmarks/e2e.py                     # web + gazette + build of 10,000 synthetic documents
    python benchmarks/e2e.py --build 100000      # the 100k build row
    python benchmarks/e2e.py --build 0 --json out.json
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "real"
WORK = ROOT / "benchmarks" / "_work"
BIN = Path(sys.executable).parent

REGEX_PASS = r"""
import re, sys
rx = re.compile(r"\d+(?:/\d{4})?[/-][A-ZĐa-zđ]+(?:[-/][A-ZĐa-zđ0-9&]+)*")
n = 0
for p in sys.argv[1:]:
    with open(p, "rb") as f:
        n += sum(1 for _ in rx.finditer(f.read().decode("utf-8", "replace")))
print(n)
"""

PDFIUM_PASS = r"""
import sys, pypdfium2 as pdfium
n = 0
for p in sys.argv[1:]:
    pdf = pdfium.PdfDocument(p)
    for page in pdf:
        n += len(page.get_textpage().get_text_range())
print(n)
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(argv: list[str], out: Path | None = None, env: dict[str, str] | None = None,
        interval: float = 0.05) -> dict[str, Any]:
    """Run a command once; wall seconds, CPU seconds of its process tree, the peak RSS of the tree (MB, looked at
    every ``interval`` seconds)."""
    import psutil

    cpu0, t0 = _children_cpu(), time.perf_counter()
    with open(out or os.devnull, "wb") as sink:
        proc = subprocess.Popen(argv, stdout=sink, stderr=subprocess.PIPE, env=env)
        peak = [0.0]
        done = threading.Event()

        def watch() -> None:
            while proc.poll() is None:
                try:
                    p = psutil.Process(proc.pid)
                    peak[0] = max(peak[0], sum(q.memory_info().rss for q in [p, *p.children(recursive=True)]) / 2**20)
                except psutil.Error:
                    pass
                done.wait(interval)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, err = proc.communicate()
        wall = time.perf_counter() - t0  # (not after the watcher's last nap: up to ``interval`` was counted)
        done.set()
        watcher.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} exited {proc.returncode}: {err.decode()[-500:]}")
    return {"seconds": round(wall, 3), "cpu_seconds": round(_children_cpu() - cpu0, 3), "peak_mb": round(peak[0], 1)}


def median_run(argv: list[str], repeat: int) -> dict[str, Any]:
    """:func:`run` ``repeat`` times; the run of median wall time, with every wall time."""
    runs = sorted((run(argv) for _ in range(max(1, repeat))), key=lambda r: r["seconds"])
    return {**runs[len(runs) // 2], "runs": [r["seconds"] for r in runs]}


def mb(paths: list[Path]) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def underthesea_pass(paths: list[Path]) -> dict[str, Any]:
    """underthesea word_tokenize over the decoded texts, in this process (its import not counted)."""
    from underthesea import word_tokenize

    texts = [p.read_bytes().decode("utf-8", "replace") for p in paths]
    word_tokenize("khởi động")  # loads the model before the clock starts
    t0 = time.perf_counter()
    for t in texts:
        word_tokenize(t)
    return {"seconds": round(time.perf_counter() - t0, 3)}


def bench_web(paths: list[Path], repeat: int = 3) -> dict[str, Any]:
    size = mb(paths)
    argv = [str(BIN / "citegraph"), "extract", "--format", "jsonl", *map(str, paths)]
    # the first run after an install: the start-up cache (citegraph.text.startcache) empty, filled at its exit
    with tempfile.TemporaryDirectory(prefix="e2e-cache-") as empty:
        first = run(argv, env={**os.environ, "CITEGRAPH_CACHE_DIR": empty})
    cli = median_run(argv, repeat)
    regex = median_run([sys.executable, "-c", REGEX_PASS, *map(str, paths)], repeat)
    ut = underthesea_pass(paths)
    return {"files": len(paths), "mb": round(size, 2), "extract": cli, "first_run": first, "regex": regex,
            "underthesea": ut, "x_underthesea_first_run": round(ut["seconds"] / first["seconds"], 1),
            "extract_mb_s": round(size / cli["seconds"], 2), "regex_mb_s": round(size / regex["seconds"], 2),
            "underthesea_mb_s": round(size / ut["seconds"], 3),
            "x_underthesea": round(ut["seconds"] / cli["seconds"], 1),
            "regex_faster": round(cli["seconds"] / regex["seconds"], 1)}


def bench_pdf(paths: list[Path], repeat: int = 3) -> dict[str, Any]:
    cli = median_run([str(BIN / "citegraph"), "extract", "--format", "jsonl", *map(str, paths)], repeat)
    pdfium = median_run([sys.executable, "-c", PDFIUM_PASS, *map(str, paths)], repeat)
    return {"files": len(paths), "mb": round(mb(paths), 2), "extract": cli, "pdfium": pdfium,
            "x_pdfium": round(cli["seconds"] / pdfium["seconds"], 2)}


def bench_build(n: int, seed: int = 0) -> dict[str, Any]:
    from citegraph.synth import write_corpus

    d = WORK / f"corpus-s{seed}-n{n}"
    marker = d / ".complete"
    if not (marker.exists() and marker.read_text().strip() == str(n)):
        write_corpus(n, d, seed=seed)
        marker.write_text(str(n))
    out = Path(tempfile.mkdtemp(prefix="e2e-build-", dir=WORK))
    res = run([str(BIN / "citegraph"), "build", str(d), "--out", str(out / "out")])
    files = {p.name: round(p.stat().st_size / 1e6, 1) for p in sorted((out / "out").iterdir())}
    return {"documents": n, **res, "files_mb": files}


def build_kind() -> str:
    """Which build the benchmark runs: the Python sources, or the mypyc-compiled modules (``make compiled``)."""
    out = subprocess.run([sys.executable, "-c", "import citegraph.extraction.relate as m; print(m.__file__)"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return "mypyc-compiled extraction modules (make compiled)" if out.endswith(".so") else "pure Python"


def report(r: dict[str, Any]) -> str:
    lines = [f"build: {r.get('build_kind', 'pure Python')}", "",
             f"machine: {os.cpu_count()} CPUs, load average {r.get('load_start', 0.0):.1f} at the start, "
             f"{os.getloadavg()[0]:.1f} at the end; extraction rows and their baselines: median of "
             f"{r.get('repeat', 1)} runs", ""]
    lines += ["| command (new process, files read once) | files | MB | wall s | CPU s | peak MB | ratio | goal |",
              "|---|---|---|---|---|---|---|---|"]
    if "web" in r:
        w = r["web"]
        lines.append(f"| `citegraph extract --format jsonl` real web texts | {w['files']} | {w['mb']} | "
                     f"{w['extract']['seconds']} | {w['extract']['cpu_seconds']} | {w['extract']['peak_mb']} | "
                     f"{w['extract_mb_s']} MB/s | |")
        if "first_run" in w:
            f = w["first_run"]
            lines.append(f"| the same, first run after install (start-up cache empty) | {w['files']} | {w['mb']} | "
                         f"{f['seconds']} | {f['cpu_seconds']} | {f['peak_mb']} | "
                         f"{w['x_underthesea_first_run']}× underthesea | |")
        lines.append(f"| underthesea `word_tokenize`, same texts | {w['files']} | {w['mb']} | "
                     f"{w['underthesea']['seconds']} | | | extraction {w['x_underthesea']}× faster | ≥ 50× "
                     f"{'PASS' if w['x_underthesea'] >= 50 else 'FAIL'} |")
        lines.append(f"| trivial regex pass (new process: read, decode, one regex) | {w['files']} | {w['mb']} | "
                     f"{w['regex']['seconds']} | {w['regex']['cpu_seconds']} | {w['regex']['peak_mb']} | "
                     f"regex {w['regex_faster']}× faster | ≤ 10× {'PASS' if w['regex_faster'] <= 10 else 'FAIL'} |")
    if "pdf" in r:
        p = r["pdf"]
        lines.append(f"| `citegraph extract --format jsonl` gazette PDFs | {p['files']} | {p['mb']} | "
                     f"{p['extract']['seconds']} | {p['extract']['cpu_seconds']} | {p['extract']['peak_mb']} | | |")
        lines.append(f"| PDFium text extraction alone (new process), same PDFs | {p['files']} | {p['mb']} | "
                     f"{p['pdfium']['seconds']} | {p['pdfium']['cpu_seconds']} | {p['pdfium']['peak_mb']} | "
                     f"extraction {p['x_pdfium']}× PDFium | ≤ 3× {'PASS' if p['x_pdfium'] <= 3 else 'FAIL'} |")
    if "build" in r:
        b = r["build"]
        ok = b["seconds"] < 600 and b["peak_mb"] < 4096
        lines.append(f"| `citegraph build --out` synthetic documents | {b['documents']} | | {b['seconds']} | "
                     f"{b['cpu_seconds']} | {b['peak_mb']} | | < 600 s, < 4096 MB {'PASS' if ok else 'FAIL'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", type=int, default=10_000, help="synthetic documents for the build row (0: none)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    ap.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each extraction row and baseline (median)")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(str(ROOT / "citegraph"), quiet=1)  # as installed: no module compiled per process
    r: dict[str, Any] = {"load_start": os.getloadavg()[0], "repeat": args.repeat, "build_kind": build_kind()}
    web = sorted((SHARED / "web").glob("*.txt"))
    pdfs = sorted((SHARED / "gazette").glob("*.pdf"))
    if web:
        r["web"] = bench_web(web, args.repeat)
    if pdfs:
        r["pdf"] = bench_pdf(pdfs, args.repeat)
    if args.build:
        r["build"] = bench_build(args.build)
    text = report(r)
    print(text)
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(r, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
