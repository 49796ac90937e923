"""Old against new, in one run: extraction speed of two source trees of citegraph on the same texts.

The two trees are imported alternately, each in its own process (``PYTHONPATH``), so both see the same
machine load; each process extracts every text in memory ``--reps`` times and reports its best CPU time
(``time.process_time``: what other processes of a busy machine take does not count),
and the whole alternation is done ``--rounds`` times. Then the command line end to end
(``citegraph extract --format jsonl`` over the same files) the same way, and a check that both trees
print the same bytes.

Usage (the old tree a ``git worktree`` of the base commit, its ``ontology`` linked in)::

    git worktree add /tmp/pf-old <base-commit>
    ln -s ../ontology /tmp/pf-old/citegraph/ontology
    .venv/bin/python benchmarks/prefilter_ab.py --old /tmp/pf-old --texts ../shared/real/web

Prints one line per measurement and the ratio new/old of the best times (below 1.05: within 5%).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import glob, json, sys, time
paths = sorted(glob.glob(sys.argv[1] + "/*.txt"))
docs = [open(p, encoding="utf-8").read() for p in paths]
from citegraph.extraction.pipeline import extract
import citegraph
extract(docs[0])  # vocabularies and patterns built before the clock starts
best = None
for _ in range(int(sys.argv[2])):
    t = time.process_time()  # CPU time: the other processes of a busy machine do not count
    for d in docs:
        extract(d)
    dt = time.process_time() - t
    best = dt if best is None or dt < best else best
print(json.dumps({"best": best, "bytes": sum(len(d.encode()) for d in docs), "file": citegraph.__file__}))
"""


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree)
    env.pop("CITEGRAPH_PREFILTER", None)
    return env


def in_memory(tree: Path, texts: Path, reps: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(texts), str(reps)], env=_env(tree), cwd="/",
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cli(tree: Path, texts: Path) -> tuple[float, bytes]:
    """The CPU time (user + system, of the child process) of the command line over every text, and its output."""
    files = sorted(str(p) for p in texts.glob("*.txt"))
    before = os.times()
    out = subprocess.run([sys.executable, "-c", "import sys; from citegraph.cli import main; sys.exit(main())",
                          "extract", "--format", "jsonl", *files], env=_env(tree), cwd="/", capture_output=True,
                         check=False)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system), out.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--old", type=Path, required=True, help="the old source tree (holding citegraph/)")
    ap.add_argument("--new", type=Path, default=ROOT, help="the new source tree (default: this checkout)")
    ap.add_argument("--texts", type=Path, default=ROOT.parent / "shared" / "real" / "web")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args(argv)
    if not a.texts.is_dir():
        print(f"error: no texts at {a.texts}", file=sys.stderr)
        return 2
    trees = {"old": a.old.resolve(), "new": a.new.resolve()}
    best: dict[str, float] = {}
    for r in range(a.rounds):
        for name, tree in trees.items():
            res = in_memory(tree, a.texts, a.reps)
            best[name] = min(best.get(name, res["best"]), res["best"])
            print(f"round {r + 1} {name}: in memory {res['best']:.3f} s ({res['bytes'] / res['best'] / 1e6:.2f} MB/s)"
                  f"  [{res['file']}]", flush=True)
    cli_best: dict[str, float] = {}
    outputs: dict[str, bytes] = {}
    for r in range(a.rounds):
        for name, tree in trees.items():
            dt, out = cli(tree, a.texts)
            cli_best[name] = min(cli_best.get(name, dt), dt)
            outputs[name] = out
            print(f"round {r + 1} {name}: CLI end to end {dt:.3f} s CPU", flush=True)
    ratio = best["new"] / best["old"]
    cli_ratio = cli_best["new"] / cli_best["old"]
    same = outputs["old"] == outputs["new"]
    print(f"in memory, best: old {best['old']:.3f} s, new {best['new']:.3f} s, new/old {ratio:.3f}")
    print(f"CLI, best: old {cli_best['old']:.3f} s, new {cli_best['new']:.3f} s, new/old {cli_ratio:.3f}")
    print(f"CLI output identical: {same}")
    return 0 if same and ratio < 1.05 and cli_ratio < 1.05 else 1


if __name__ == "__main__":
    sys.exit(main())
