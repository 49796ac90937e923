"""The compiled extraction modules (mypyc, see ``citegraph/_compiled.py``) against their Python sources.

The suite runs on what ``make test`` installed: compiled modules where mypyc built them. These tests
run the same extraction on the Python sources in another process (``CITEGRAPH_PURE=1``) and hold the
two to identical output, and run the doctests of the compiled modules on their sources.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import citegraph
from citegraph import _compiled, synth

ROOT = Path(__file__).resolve().parent.parent
COMPILED = _compiled.active()
needs_compiled = pytest.mark.skipif(not COMPILED, reason="extraction modules not compiled (CITEGRAPH_COMPILE=0 or "
                                                         "CITEGRAPH_PURE=1): nothing to compare")

EXTRACT = """
import json, sys
import citegraph
from citegraph import _compiled
texts = json.load(sys.stdin)
print(json.dumps({"compiled": _compiled.active(),
                  "out": [citegraph.extract(t).to_dict() for t in texts]}, ensure_ascii=False))
"""


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [row["text"] for row in json.loads((ROOT / "corpus" / "patterns.json").read_text(encoding="utf-8"))["rows"]]
    texts += [d.text for d in synth.generate(60, seed=11)]
    return texts


def _pure_env() -> dict[str, str]:
    return {**os.environ, "CITEGRAPH_PURE": "1"}


def test_built_modules_are_the_ones_in_use() -> None:
    """Modules compiled and not stale are in use (unless CITEGRAPH_PURE asks for the sources)."""
    built = (all(_compiled._binary(m) is not None for m in _compiled.MODULES) and not _compiled.incomplete()
             and not _compiled.stale())
    wanted = os.environ.get("CITEGRAPH_PURE", "") in ("", "0")
    assert COMPILED == (built and wanted)


@needs_compiled
def test_compiled_and_source_modules_extract_the_same() -> None:
    texts = _texts()
    run = subprocess.run([sys.executable, "-c", EXTRACT], input=json.dumps(texts), capture_output=True,
                         text=True, env=_pure_env(), cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr
    pure = json.loads(run.stdout)
    assert pure["compiled"] is False
    compiled = [citegraph.extract(t).to_dict() for t in texts]
    assert len(compiled) == len(pure["out"]) == len(texts)
    for k, (a, b) in enumerate(zip(compiled, pure["out"])):
        assert a == b, f"text {k} extracts differently compiled and from source"


@needs_compiled
def test_doctests_of_compiled_modules_pass_on_their_sources() -> None:
    files = [f"citegraph/{m}.py" for m in _compiled.MODULES]
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--doctest-modules",
                          "--noconftest", *files], capture_output=True, text=True, env=_pure_env(), cwd=ROOT,
                         timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "error" not in run.stdout.splitlines()[-1]


@needs_compiled
def test_a_stale_build_falls_back_to_the_sources(tmp_path: Path) -> None:
    """A source edited after the build is not shadowed by its old compiled module: all sources are used."""
    import shutil

    pkg = tmp_path / "citegraph"
    shutil.copytree(ROOT / "citegraph", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ontology", pkg / "ontology")
    for lib in ROOT.glob("citegraph_compiled__mypyc*"):
        shutil.copy2(lib, tmp_path)
    os.utime(pkg / "find.py")  # edited after the build
    probe = ("import sys, citegraph\n"
             "print(citegraph._compiled.active(), sys.modules['citegraph.find'].__file__.endswith('.py'))\n"
             "print(citegraph.extract('theo Chỉ thị số 33/CT-TTg ngày 26/11/2021').references[0].symbol)\n")
    run = subprocess.run([sys.executable, "-W", "default", "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(tmp_path), "PYTHONNOUSERSITE": "1"}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["False", "True", "33/CT-TTg"]
    assert "compiled modules older than their sources (find)" in run.stderr
