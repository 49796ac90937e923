"""Shared fixtures. Graph code is tested on tiny literal extractions (``lit``) and on the seeds."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import os

import pytest
from hypothesis import settings

# Under CI the property tests draw the same examples every run (a red run can be replayed);
# locally they explore new ones each time.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BASE = "https://w3id.org/citegraph/id/"


def _ref(symbol: str | None = None, id: str | None = None, start: int = 0, kind: str = "numbered",
         **kw: Any) -> Any:
    from citegraph.extraction.models import Reference

    text = kw.pop("text", None) or symbol or kw.get("name") or "x"
    return Reference(kind=kind, start=start, end=start + len(text), text=text, symbol=symbol,
                     id=(BASE + id) if id and not id.startswith("http") else id, **kw)


def _ex(source: str, doc: str | None = None, refs: list[Any] = (), rels: list[tuple[Any, str, int]] = (),
        text: str | None = None, **header: Any) -> Any:
    from citegraph.extraction.models import Extraction, Header, Relation

    h = Header(id=(BASE + doc) if doc and not doc.startswith("http") else doc, **header)
    return Extraction(source=source, text=text if text is not None else f"text of {source}", document=h,
                      references=list(refs), relations=[Relation(s, r, t) for s, r, t in rels])


@pytest.fixture
def lit() -> SimpleNamespace:
    """Builders for literal extractions: ``lit.ref(symbol, id, ...)``, ``lit.ex(source, doc, refs, rels, ...)``."""
    return SimpleNamespace(ref=_ref, ex=_ex, base=BASE)


@pytest.fixture(scope="session")
def seed_paths() -> list[str]:
    """The seed corpus files, relative to the repository root (stable ids and sources)."""
    return sorted(str(p.relative_to(ROOT)) for p in CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_graph(seed_paths: list[str]) -> Any:
    """The graph of the seeds with the seed registry (built once)."""
    import os

    from citegraph.builder import build

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return build(seed_paths)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def seed_doc(seed_graph: Any):
    """The node of the corpus document whose file name starts with a prefix (``seed_doc("004")``)."""

    def find(prefix: str) -> str:
        hits = [n for n, d in seed_graph.nx.nodes(data=True)
                if any(Path(s).name.startswith(prefix) for s in d.get("sources") or [])]
        assert len(hits) == 1, hits
        return hits[0]

    return find
