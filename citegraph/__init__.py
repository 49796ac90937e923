"""citegraph: Vietnamese administrative and Party documents to a legal-citation knowledge graph.

The pipeline, one subpackage per layer, each importing only those before it::

    text → io → extraction → graph → rdf → outputs → (corpus, cli, spacy_component)

The extraction API is imported at once; the graph, query, HTML and batch APIs load on first use, so
``citegraph extract`` and worker processes do not pay for rdflib, networkx and pyvis.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from citegraph.extraction.models import Extraction, Header, Reference, Relation
from citegraph.extraction.pipeline import extract
from citegraph.io.read import Document, ReadError, read

from citegraph._version import __version__  # noqa: E402

_LAZY = {
    "extract_many": "citegraph.extraction.batch",
    "extract_stream": "citegraph.extraction.stream",
    "iter_segments": "citegraph.extraction.stream",
    "iter_inputs": "citegraph.io.files",
    "build": "citegraph.builder",
    "CitationGraph": "citegraph.corpus",
    "grounds": "citegraph.graph.queries",
    "implementers": "citegraph.graph.queries",
    "lineage_path": "citegraph.graph.queries",
    "coverage": "citegraph.graph.queries",
    "most_cited": "citegraph.graph.queries",
    "overview": "citegraph.graph.queries",
    "to_dataframe": "citegraph.graph.queries",
    "to_html": "citegraph.outputs.html",
    "to_pyvis": "citegraph.outputs.pyvis",
    "show": "citegraph.outputs.display",
}

if TYPE_CHECKING:  # pragma: no cover
    from citegraph.builder import build
    from citegraph.corpus import CitationGraph
    from citegraph.extraction.batch import extract_many
    from citegraph.extraction.stream import extract_stream, iter_segments
    from citegraph.graph.queries import coverage, grounds, implementers, lineage_path, most_cited, overview, to_dataframe
    from citegraph.io.files import iter_inputs
    from citegraph.outputs.display import show
    from citegraph.outputs.html import to_html
    from citegraph.outputs.pyvis import to_pyvis


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'citegraph' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["Document", "Extraction", "Header", "ReadError", "Reference", "Relation", "extract", "read", *_LAZY]
