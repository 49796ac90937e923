"""A regular (non-editable) install gets the same results as the editable one; a core install works alone.

The wheel is built from this checkout and installed into a fresh virtual environment that borrows the
dependencies of the running one (no download); the check report of the seeds, which reads the registry of known
documents installed with the package, and an extraction must equal those of the running install.

The same wheel is also installed with its core requirements only (``pip install citegraph``, no extra, into a
second fresh environment, from the configured package index): none of the optional packages is there, and
extraction, the graph, RDF and the offline HTML page give what the full install gives.
"""
from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))
CLI = "import sys; from citegraph.cli import main; sys.exit(main())"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True)
    if build.returncode != 0:
        pytest.fail(build.stderr[-2000:])
    return next((tmp / "dist").glob("citegraph-*.whl"))


def _fresh_env(env_dir: Path) -> tuple[Path, str]:
    """A new virtual environment without pip: its python and its site-packages folder."""
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    return py, purelib


@pytest.fixture(scope="module")
def wheel_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    py, purelib = _fresh_env(tmp_path_factory.mktemp("borrowing") / "env")
    # the running environment's packages, without its editable citegraph (a .pth line adds a path, and the
    # .pth files found there are not run)
    Path(purelib, "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", purelib, str(wheel)],
                   check=True, capture_output=True)
    return py


@pytest.fixture(scope="module")
def core_python(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and its core requirements, nothing else (``--target`` ignores what the running one has)."""
    py, purelib = _fresh_env(tmp_path_factory.mktemp("core") / "env")
    out = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", purelib, str(wheel)],
                         capture_output=True, text=True)
    if out.returncode != 0:
        pytest.fail(out.stderr[-2000:])
    return py


def _run(py: Path | str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([str(py), "-c", CLI, *args], capture_output=True, text=True, cwd=cwd, env=env)


def test_the_wheel_is_what_runs(wheel_python: Path, tmp_path: Path) -> None:
    where = subprocess.run([str(wheel_python), "-c", "import citegraph, citegraph.ontology as o; "
                            "print(citegraph.__file__); print(o.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, check=True).stdout.split()
    assert all(str(ROOT) not in w for w in where), where


def test_the_wheel_reports_like_the_editable_install(wheel_python: Path, tmp_path: Path) -> None:
    mine = _run(sys.executable, ["check", *SEEDS], tmp_path)
    theirs = _run(wheel_python, ["check", *SEEDS], tmp_path)
    assert mine.returncode == theirs.returncode == 1
    assert theirs.stdout == mine.stdout and "date_conflict" in mine.stdout


def test_the_wheel_extracts_like_the_editable_install(wheel_python: Path, tmp_path: Path) -> None:
    mine = _run(sys.executable, ["extract", "--format", "jsonl", *SEEDS], tmp_path)
    theirs = _run(wheel_python, ["extract", "--format", "jsonl", *SEEDS], tmp_path)
    assert mine.returncode == theirs.returncode == 0 and theirs.stdout == mine.stdout


def test_the_source_tree_imports_with_its_data(wheel_python: Path) -> None:
    """Run from the repository root, the source tree's package (not the wheel) is imported, with its data."""
    out = subprocess.run([str(wheel_python), "-c", "import citegraph.ontology, citegraph.graph.registry as r; "
                          "print(len(r.Registry.default()))"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and int(out.stdout) > 0, out.stderr


def test_the_core_install_has_no_optional_package(core_python: Path, tmp_path: Path) -> None:
    code = ("import importlib.util, json; from citegraph.text.optional import EXTRAS; "
            "print(json.dumps({m: importlib.util.find_spec(m) is not None for m in EXTRAS}))")
    out = subprocess.run([str(core_python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert set(found) >= {"spacy", "pandas", "pyvis", "pyshacl", "distributed", "underthesea", "matplotlib"}
    assert not any(found.values()), found


def test_the_core_install_extracts_like_the_full_one(core_python: Path, tmp_path: Path) -> None:
    mine = _run(sys.executable, ["extract", "--format", "jsonl", *SEEDS], tmp_path)
    theirs = _run(core_python, ["extract", "--format", "jsonl", *SEEDS], tmp_path)
    assert mine.returncode == theirs.returncode == 0 and theirs.stdout == mine.stdout and mine.stdout


def test_the_core_install_builds_like_the_full_one(core_python: Path, tmp_path: Path) -> None:
    """The graph files (RDF, GraphML, the offline page, the report) are the same, byte for byte."""
    runs = {}
    for name, py in (("full", sys.executable), ("core", core_python)):
        out = _run(py, ["build", *SEEDS, "--out", str(tmp_path / name), "--quiet"], tmp_path)
        assert out.returncode == 0, out.stderr
        runs[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())}
    assert {"graph.ttl", "graph.html", "graph.graphml", "graph.jsonld"} <= set(runs["full"])
    assert runs["core"] == runs["full"]


def test_the_core_install_names_the_extra_it_lacks(core_python: Path, tmp_path: Path) -> None:
    code = ("import citegraph, networkx as nx\n"
            "try:\n    citegraph.to_pyvis(nx.MultiDiGraph())\n"
            "except ImportError as e:\n    print(e)")
    out = subprocess.run([str(core_python), "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip() == "citegraph.to_pyvis needs pyvis: pip install 'citegraph[notebooks]'", out.stderr
