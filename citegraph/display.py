"""Jupyter niceties: HTML tables for an extraction and a graph, and the graph page inline.

``Extraction._repr_html_`` calls :func:`extraction_html`; a ``CitationGraph._repr_html_`` can call
:func:`graph_summary_html`; :func:`show` displays the offline page of :mod:`citegraph.html` in a
notebook cell (an ``<iframe srcdoc>``: no server, no file, no network). Every piece of document
text is escaped.
"""
from __future__ import annotations

import html as _html
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["extraction_html", "graph_summary_html", "show", "table_html"]

_STYLE = (
    "<style>.cg-table{border-collapse:collapse;font-size:12px;margin:4px 0}"
    ".cg-table th,.cg-table td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}"
    ".cg-table th{background:#f3f4f6}.cg-muted{color:#6b7280}</style>"
)


def _cell(value: Any) -> str:
    if value is None or value == "" or value == []:
        return '<span class="cg-muted">—</span>'
    if isinstance(value, (list, tuple)):
        return "<br>".join(_html.escape(str(v)) for v in value)
    return _html.escape(str(value))


def table_html(rows: Iterable[Sequence[Any]], header: Sequence[str], *, caption: str | None = None) -> str:
    """An escaped HTML table.

    Parameters
    ----------
    rows : iterable of sequences
        Cell values; ``None`` and empty values show as a dash, lists one item per line.
    header : sequence of str
        Column titles.
    caption : str, optional
        Table caption.

    Examples
    --------
    >>> table_html([["<b>", None]], ["a", "b"])
    '<table class="cg-table"><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>&lt;b&gt;</td><td><span class="cg-muted">—</span></td></tr></tbody></table>'
    """
    out = ['<table class="cg-table">']
    if caption:
        out.append(f"<caption>{_html.escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{_html.escape(h)}</th>" for h in header) + "</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def extraction_html(extraction: Any) -> str:
    """The header and the references of an :class:`citegraph.Extraction` as escaped HTML tables.

    Parameters
    ----------
    extraction : citegraph.Extraction
        What :func:`citegraph.extract` returned.

    Returns
    -------
    str
        HTML: a header table (type, symbol, date, issuer, jurisdiction, title, id), the references
        (with the relation the text states for each, from the document itself or another
        reference) and the warnings.

    Examples
    --------
    >>> from citegraph import Extraction, Header, Reference, Relation
    >>> ex = Extraction(source="x.txt", text="...", document=Header(type="Kế hoạch", symbol="294/KH-VP"),
    ...     references=[Reference(kind="numbered", start=0, end=9, text="<script>", symbol="33/CT-TTg")],
    ...     relations=[Relation(source="SELF", rel="implements", target=0)])
    >>> page = extraction_html(ex)
    >>> "294/KH-VP" in page and "&lt;script&gt;" in page and "<script>" not in page
    True
    >>> "implements" in page
    True
    """
    header = _get(extraction, "document")
    refs = list(_get(extraction, "references") or [])
    rels = list(_get(extraction, "relations") or [])
    h_fields = [
        ("type", "Type"), ("symbol", "Symbol"), ("date", "Date"), ("issuer", "Issuer"),
        ("jurisdiction", "Jurisdiction"), ("level", "Level"), ("system", "System"), ("title", "Title"),
        ("signer", "Signer"), ("id", "Identity"),
    ]
    head_rows = [[label, _get(header, f)] for f, label in h_fields if header is not None and _get(header, f)]
    stated: dict[int, list[str]] = {}
    for r in rels:
        src, target, rel = _get(r, "source"), _get(r, "target"), _get(r, "rel")
        who = "this document" if src == "SELF" else f"#{src}"
        if isinstance(target, int):
            stated.setdefault(target, []).append(f"{who} {rel}")
    ref_rows = []
    for i, r in enumerate(refs):
        ref_rows.append([
            i,
            _get(r, "kind"),
            _get(r, "text"),
            _get(r, "symbol") or _get(r, "name"),
            _get(r, "type"),
            _get(r, "date"),
            _get(r, "issuer"),
            _get(r, "jurisdiction"),
            stated.get(i, []),
            _get(r, "id") or [f"? {c}" for c in (_get(r, "candidates") or [])],
        ])
    source = _get(extraction, "source")
    parts = [_STYLE, f"<div><b>{_html.escape(str(source or 'document'))}</b></div>"]
    parts.append(table_html(head_rows, ["Header", "Value"]))
    parts.append(
        table_html(
            ref_rows,
            ["#", "Kind", "Text", "Symbol / name", "Type", "Date", "Issuer", "Jurisdiction", "Relation", "Identity"],
            caption=f"{len(refs)} references",
        )
    )
    warnings = list(_get(extraction, "warnings") or [])
    if warnings:
        parts.append("<ul>" + "".join(f"<li>{_html.escape(str(w))}</li>" for w in warnings) + "</ul>")
    return "".join(parts)


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
        _STYLE,
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

    The page (:func:`citegraph.html.render_html`, keyword arguments passed on) goes into an
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
    from IPython.display import HTML

    from .html import render_html

    page = render_html(G, **kwargs)
    return HTML(
        f'<div class="citegraph-show"><iframe srcdoc="{_html.escape(page, quote=True)}" style="width:100%;height:{int(height)}px;'
        'border:1px solid #ddd" sandbox="allow-scripts"></iframe></div>'
    )
