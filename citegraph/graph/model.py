"""The corpus graph's data holder: the networkx view, what each source said, and the registry used.

:class:`GraphData` holds a built corpus (``nx``: one node per document, one edge per citation, attributes
as in docs/CONTRACTS.md); :class:`citegraph.corpus.CitationGraph` adds the RDF views and the files on top.
:func:`resolve` finds a node from an IRI, a relative id or a symbol.
"""
from __future__ import annotations

from array import array
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence, Union

import networkx as nx

from citegraph.extraction.models import Extraction
from citegraph.graph.registry import Registry
from citegraph.text.identity import full_id, id_key
from citegraph.text.normalize import fold
from citegraph.text.units import TODAY_FIELDS

PathLike = Union[str, Path]

#: Node attributes of the contract (docs/CONTRACTS.md), in order; ``title``, ``registry`` (the registry's
#: record), ``from_registry`` (names of the attributes the registry filled because no text gives them) and
#: today's unit of the jurisdiction (:data:`~citegraph.text.units.TODAY_FIELDS`) are extra.
NODE_ATTRS = ("label", "kind", "type", "type_code", "symbol", "name", "number", "year", "date", "issuer",
              "jurisdiction", "level", "system", "term", "sources", "cited_by", "mentions", "candidates",
              "title", "registry", "from_registry", *TODAY_FIELDS)
#: Edge attributes of the contract.
EDGE_ATTRS = ("rel", "cue", "source", "start", "end", "sentence")
#: Keys of one mention.
MENTION_KEYS = ("source", "start", "end", "text", "sentence", "stated_date", "stated_issuer", "resolved_from")


class BuildError(ValueError):
    """A user mistake in what was given to :func:`build` (the message says what)."""


class UnknownDocument(LookupError):
    """A document reference (IRI or symbol) that names no node of the graph."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown document"


class AmbiguousDocument(LookupError):
    """A symbol that names several nodes; the message lists them."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "ambiguous document"


class GraphData:
    """A built corpus: ``nx`` (networkx MultiDiGraph), the extractions it was built from, the registry.

    Attributes
    ----------
    nx : networkx.MultiDiGraph
        Nodes keyed by identity IRI, edges citing → cited (docs/CONTRACTS.md).
    extractions : list of Extraction
        What each source said (the report reads offsets from them). Their ``text`` is dropped after
        building unless ``keep_text``; :attr:`lines` keeps where each source's lines start.
    lines : dict
        Source → offsets of its line breaks (for line numbers in the report).
    registry : Registry
        The known documents used to fill and check.

    Examples
    --------
    >>> G = GraphData(nx.MultiDiGraph())
    >>> len(G), "x" in G
    (0, False)
    """

    def __init__(self, G: nx.MultiDiGraph, extractions: Sequence[Extraction] = (),
                 registry: Registry | None = None, *, keep_text: bool = True,
                 lines: dict[str, Any] | None = None) -> None:
        self.nx = G
        self.lines: dict[str, Any] = dict(lines or {})
        exs = list(extractions)
        for e in exs:
            if e.text and e.source not in self.lines:
                self.lines[e.source] = line_breaks(e.text)
        if not keep_text:
            exs = [replace(e, text="") if e.text else e for e in exs]
        self.extractions = exs
        self.registry = registry if registry is not None else Registry()

    def __len__(self) -> int:
        return self.nx.number_of_nodes()

    def __contains__(self, doc: object) -> bool:
        return isinstance(doc, str) and doc in self.nx

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.nx.number_of_nodes()} documents, {self.nx.number_of_edges()} "
                f"citations, {len(self.extractions)} sources)")

    def resolve(self, doc: str) -> str:
        """The node IRI for an IRI, a relative id or a symbol (see :func:`resolve`)."""
        return resolve(self.nx, doc)


def nx_graph(G: Union[GraphData, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """The networkx view of a built corpus (or the graph itself).

    >>> g = nx.MultiDiGraph(); nx_graph(g) is g
    True
    """
    return G if isinstance(G, nx.Graph) else G.nx


def line_breaks(text: str) -> "array[int]":
    """Offsets of the line breaks of a text (line of offset ``i``: ``bisect_left(breaks, i) + 1``).

    >>> list(line_breaks("a\\nb\\n"))
    [1, 3]
    """
    out = array("q")
    i = text.find("\n")
    while i >= 0:
        out.append(i)
        i = text.find("\n", i + 1)
    return out


def resolve(G: Union[GraphData, nx.MultiDiGraph], doc: str) -> str:
    """The node IRI for an IRI, an id relative to ``https://w3id.org/citegraph/id/``, or a symbol.

    Raises
    ------
    UnknownDocument
        When nothing matches.
    AmbiguousDocument
        When a symbol names several nodes (the message lists them).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/state/hai-duong/ubnd/ct/2016/18", symbol="18/CT-UBND", label="18/CT-UBND")
    >>> g.add_node("https://w3id.org/citegraph/id/state/binh-phuoc/ubnd/ct/2016/18", symbol="18/CT-UBND", label="18/CT-UBND")
    >>> resolve(g, "state/hai-duong/ubnd/ct/2016/18")[-31:]
    'state/hai-duong/ubnd/ct/2016/18'
    >>> resolve(g, "18/CT-UBND")
    Traceback (most recent call last):
    ...
    citegraph.graph.model.AmbiguousDocument: '18/CT-UBND' names 2 documents: https://w3id.org/citegraph/id/state/binh-phuoc/ubnd/ct/2016/18, https://w3id.org/citegraph/id/state/hai-duong/ubnd/ct/2016/18
    """
    g = G.nx if isinstance(G, GraphData) else G
    if doc in g:
        return doc
    f = full_id(doc)
    if f in g:
        return f
    key = id_key(f)
    for n in g:
        if id_key(n) == key:
            return n
    want = "".join(fold(doc).split())
    hits = sorted(n for n, d in g.nodes(data=True)
                  if want in {"".join(fold(str(d.get(k) or "")).split()) for k in ("symbol", "label", "name")})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AmbiguousDocument(f"{doc!r} names {len(hits)} documents: {', '.join(hits)}")
    raise UnknownDocument(f"{doc!r} is not a document of this graph")



__all__ = ["AmbiguousDocument", "BuildError", "EDGE_ATTRS", "GraphData", "MENTION_KEYS", "NODE_ATTRS", "UnknownDocument",
           "line_breaks", "nx_graph", "resolve"]
