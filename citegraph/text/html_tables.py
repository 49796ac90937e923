"""Escaped HTML tables: an extraction's header and references, for notebooks (``Extraction._repr_html_``).

Duck-typed (objects or their dicts), so the extraction's data classes can show themselves without importing
the notebook layer (:mod:`citegraph.outputs.display`).
"""
from __future__ import annotations

import html as _html
from typing import Any, Iterable, Mapping, Sequence

__all__ = ["STYLE", "extraction_html", "table_html"]

STYLE = (
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
    parts = [STYLE, f"<div><b>{_html.escape(str(source or 'document'))}</b></div>"]
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
