"""Jupyter niceties: HTML tables for an extraction and a graph, and the graph page inline.

``Extraction._repr_html_`` calls :func:`extraction_html`; a ``CitationGraph._repr_html_`` can call
:func:`graph_summary_html`; :func:`show` displays the offline page of :mod:`citegraph.outputs.html` in a
notebook cell (an ``<iframe srcdoc>``: no server, no file, no network). Every piece of document
text is escaped.
"""
from __future__ import annotations

import html as _html
from collections import Counter
from typing import Any, Mapping

from citegraph.outputs.html import render_html
from citegraph.text.html_tables import STYLE, extraction_html, table_html
from citegraph.text.optional import require

__all__ = ["extraction_html", "graph_summary_html", "show", "table_html"]

def graph_summary_html(G: Any, *, top: int = 10) -> str:
    """A summary of a citation graph: counts by level, system and relation, the most cited documents.

    Parameters
    ----------
    G : CitationGraph or networkx.MultiDiGraph
        A graph with the CONTRACTS.md attributes (or an object with ``.nx``).
    top : int
        How many of the most cited documents to list.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="33/CT-TTg", level="central", system="state", cited_by=1)
    >>> G.add_node("b", label="<i>x</i>", level="province", system="state", cited_by=0, sources=["f.txt"])
    >>> _ = G.add_edge("b", "a", rel="implements")
    >>> s = graph_summary_html(G)
    >>> "2 documents" in s and "1 citations" in s and "&lt;i&gt;x&lt;/i&gt;" in s
    True
    """
    g = getattr(G, "nx", G)
    nodes = list(g.nodes(data=True))
    n_sources = len({s for _, a in nodes for s in (a.get("sources") or [])})
    levels = Counter(a.get("level") or "unknown" for _, a in nodes)
    systems = Counter(a.get("system") or "unknown" for _, a in nodes)
    rels = Counter(d.get("rel") or "cites" for _, _, d in g.edges(data=True))
    uncertain = sum(1 for _, a in nodes if a.get("candidates"))

    def cited(a: Mapping[str, Any], v: Any) -> int:
        c = a.get("cited_by")
        return int(c) if isinstance(c, (int, float)) else g.in_degree(v)

    ranked = sorted(nodes, key=lambda va: (-cited(va[1], va[0]), str(va[1].get("label") or va[0])))[:top]
    parts = [
        STYLE,
        f"<div><b>{len(nodes)} documents, {g.number_of_edges()} citations</b>, "
        f"{n_sources} source files, {uncertain} with uncertain identity</div>",
        table_html(
            [[k, v] for k, v in sorted(levels.items(), key=lambda kv: str(kv[0]))]
            + [["system: " + str(k), v] for k, v in sorted(systems.items(), key=lambda kv: str(kv[0]))],
            ["Level / system", "Documents"],
        ),
        table_html(sorted(rels.items(), key=lambda kv: (-kv[1], str(kv[0]))), ["Relation", "Citations"]),
        table_html(
            [
                [a.get("label") or v, a.get("type"), a.get("issuer"), a.get("jurisdiction"), a.get("date"), cited(a, v)]
                for v, a in ranked
            ],
            ["Document", "Type", "Issuer", "Jurisdiction", "Date", "Cited by"],
            caption=f"Most cited (top {top})",
        ),
    ]
    return "".join(parts)


def show(G: Any, *, height: int = 650, **kwargs: Any) -> Any:
    """Display the offline interactive page of ``G`` inline in a notebook.

    The page (:func:`citegraph.outputs.html.render_html`, keyword arguments passed on) goes into an
    ``<iframe srcdoc=...>``, so it needs neither a server nor a file, and loads nothing from the
    network.

    Parameters
    ----------
    G : CitationGraph or networkx.MultiDiGraph
    height : int
        Height of the frame in pixels.

    Returns
    -------
    IPython.display.HTML
        Display it (a cell's last value displays itself).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="25-NQ/TW", level="central", system="party")
    >>> frame = show(G)
    >>> "<iframe srcdoc=" in frame.data and "25-NQ/TW" in frame.data
    True
    """
    HTML = require("IPython.display", "citegraph.show").HTML
    page = render_html(G, **kwargs)
    return HTML(
        f'<div class="citegraph-show"><iframe srcdoc="{_html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;'
        'border:1px solid #ddd" sandbox="allow-scripts"></iframe></div>'
    )
