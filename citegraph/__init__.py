"""citegraph: Vietnamese administrative and Party documents to a legal-citation knowledge graph.

The extraction API is imported at once; the graph, query, HTML and batch APIs load on first use, so
``citegraph extract`` and worker processes do not pay for rdflib, networkx and pyvis.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import _compiled

_compiled.install()  # before the first extraction module is imported (see citegraph/_compiled.py)

from .extract import extract  # noqa: E402
from .models import Extraction, Header, Reference, Relation  # noqa: E402
from .read import Document, ReadError, read  # noqa: E402

__version__ = "0.1.0"

_LAZY = {
    "extract_many": "batch",
    "to_html": "html",
    "show": "display",
    "build": "graph",
    "CitationGraph": "graph",
    "grounds": "queries",
    "implementers": "queries",
    "lineage_path": "queries",
    "coverage": "queries",
    "most_cited": "queries",
    "overview": "queries",
    "to_dataframe": "queries",
    "iter_inputs": "files",
    "extract_stream": "stream",
    "iter_segments": "stream",
}

if TYPE_CHECKING:  # pragma: no cover
    from .batch import extract_many
    from .display import show
    from .files import iter_inputs
    from .graph import CitationGraph, build
    from .html import to_html
    from .queries import coverage, grounds, implementers, lineage_path, most_cited, overview, to_dataframe
    from .stream import extract_stream, iter_segments


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citegraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["Document", "Extraction", "Header", "ReadError", "Reference", "Relation", "extract", "read", *_LAZY]
