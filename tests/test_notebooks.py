"""The notebooks run from top to bottom on a fresh kernel, say what they should, and are committed clean.

Executed with nbclient and the ``python3`` kernel of this environment (ipykernel); when no such
kernelspec is found it is registered in the environment first (``ipykernel install --sys-prefix``).
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ["lineages.ipynb", "coverage.ipynb"]


@pytest.fixture(scope="session")
def kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        subprocess.run([sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], check=True,
                       capture_output=True)
    return "python3"


_executed: dict[str, Any] = {}


def executed(name: str, kernel_name: str) -> Any:
    if name not in _executed:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name=kernel_name, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
        _executed[name] = nb
    return _executed[name]


def outputs(nb: Any, tag: str) -> str:
    """Text, HTML and stream output of the cell tagged ``tag``, joined."""
    cells = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"one cell tagged {tag!r} expected"
    parts = []
    for o in cells[0].get("outputs", []):
        if o.output_type == "stream":
            parts.append(o.text)
        for mime in ("text/html", "text/plain"):
            if mime in o.get("data", {}):
                parts.append(o["data"][mime])
    return "\n".join(parts)


def _table(html: str) -> dict[str, dict[str, int]]:
    """The first HTML table of an output as {row label: {column: int}} (a DataFrame's HTML: a header row of
    column names, the index's name row, then rows of a label and integers)."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    cells = [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]
    header = cells[0][1:]
    return {r[0]: dict(zip(header, map(int, r[1:]))) for r in cells[1:] if len(r) == len(header) + 1 and r[1:]
            and all(x.isdigit() for x in r[1:])}


def images(nb: Any, tag: str) -> int:
    (cell,) = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


@pytest.mark.parametrize("name", NAMES)
def test_committed_with_outputs_cleared(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{name}: clear the outputs before committing"


@pytest.mark.parametrize("name", NAMES)
def test_uses_the_public_package_only(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "import citegraph" in source
    assert "citegraph._" not in source and "sys.path" not in source


def test_lineages_notebook(kernel_name: str) -> None:
    nb = executed("lineages.ipynb", kernel_name)
    plan = outputs(nb, "plan")
    assert "<table" in plan and "114/KH-UBND" in plan and "33/CT-TTg" in plan
    assert re.search(r"\d+ documents, \d+ citations", outputs(nb, "summary"))
    grounds = outputs(nb, "grounds")
    for symbol in ("114/KH-UBND", "33/CT-TTg", "114-KL/TW"):
        assert symbol in grounds
    below = outputs(nb, "implementers")
    assert "294/KH-VP" in below and "247-KH/TU" in below
    cov = outputs(nb, "coverage")  # today's provinces, and the units as stated
    assert "of today's 34 provinces (Đồng Nai)" in cov and "as the documents state them, in Bình Phước" in cov
    assert "xã Minh Đức, tỉnh Đồng Nai" in cov and "25349" in cov
    chain = outputs(nb, "chain")  # a chain of several levels, drawn, and interactive
    assert "central → province → district → commune" in chain
    assert images(nb, "chain-picture") == 1
    assert "<iframe srcdoc=" in outputs(nb, "chain-show")
    report = outputs(nb, "report")
    assert "date_conflict" in report and "217-QĐ/TW" in report
    spans = outputs(nb, "spacy")
    assert "33/CT-TTg" in spans and "spans" in spans  # displaCy span markup and the table
    shown = outputs(nb, "show")
    assert "<iframe srcdoc=" in shown and "citegraph-data" in shown
    assert "247-KH/TU" in outputs(nb, "sparql")
    assert "same answer" in outputs(nb, "sparql-agree")


def test_coverage_notebook(kernel_name: str) -> None:
    nb = executed("coverage.ipynb", kernel_name)
    assert "precision=" in outputs(nb, "score")
    top = outputs(nb, "most-cited")
    assert "<table" in top and "cited by (texts)" in top
    assert images(nb, "plot-cited") == 1 and images(nb, "plot-coverage") == 1 and images(nb, "corpus") == 1
    assert "followed up in" in outputs(nb, "missing")
    assert re.search(r"\d+ of today's 34 provinces follow", outputs(nb, "coverage"))
    # documents by today's province: central ones filed apart, none under Hà Nội where they are written
    table = _table(outputs(nb, "corpus"))
    assert table["(central)"].get("central", 0) > 0
    assert table.get("Hà Nội", {}).get("central", 0) == 0
    assert len(set(table) - {"(central)", "(unknown)"}) <= 34
    assert "<iframe srcdoc=" in outputs(nb, "show")
