"""An interactive HTML page of a citation graph, made for corpora, that works offline and alone.

The page is one file: the graph as JSON, the interface strings (Vietnamese by default, English as an
option) and our own drawing code, read from the package's ``assets/`` folder and inlined. It loads no
external URL, so it can be e-mailed or opened on a closed network. Graph data travels in ``<script
type="application/json">`` elements with ``<``, ``>`` and ``&`` escaped, and the page writes document
text with ``textContent`` only: a ``<script>`` in a document's text stays text.

The layout is computed here, in Python (:func:`layout`): the central documents in a band on top
(Party, then State, by type and year), then one block per province holding its documents, province
level first, then district, commune and unknown level, the blocks in alphabetical order packed into
shelves so that the whole is about 1.4 times wider than tall. The page draws on a canvas with its own
code (7,000 nodes and 50,000 edges draw in a fraction of a second, where a general-purpose network
library takes tens of seconds), and places labels so that they never overlap: the most cited
documents first, more as one zooms in.

Colour is by system (Party red, State blue, other grey) with a shade per document type; edge colour
and dash by relation; node size by the number of citing edges; squares are documents of the corpus,
diamonds named documents (``Hiến pháp năm 2013``). ``cites`` edges are hidden by default in a big
graph (a box shows them). The page filters by province, issuer, system, type, level and relation,
searches symbols, names, issuers and jurisdictions (accent-insensitive), shows the lineage of a
document laid out on its own (what it rests on above, what implements it below) and an aggregated
view, provinces × central documents (:func:`province_matrix`), where a click on a cell opens the
lineage of that central document in that province.

:func:`citegraph.outputs.pyvis.to_pyvis` gives the same layout and colours as a pyvis network.
"""
from __future__ import annotations

import colorsys
import html as _html
import json
import math
import os
from collections import Counter, defaultdict, deque
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx

from citegraph.graph.model import resolve
from citegraph.io.atomic import atomic_open
from citegraph.text.normalize import ascii_slug
from citegraph.text.vocab import vocabulary

__all__ = [
    "IMPLEMENTING",
    "LANGUAGES",
    "LEVELS",
    "RELATION_STYLES",
    "graph_data",
    "layout",
    "node_styles",
    "province_matrix",
    "province_of",
    "render_html",
    "strings",
    "to_html",
]

#: Levels, top to bottom; a node whose level is unknown is ``other``.
LEVELS: tuple[str, ...] = ("central", "province", "district", "commune", "other")

#: Edge style by relation: (colour, dash pattern in pixels or False, width in pixels).
RELATION_STYLES: dict[str, tuple[str, Any, float]] = {
    "based_on": ("#1f2937", False, 1.4),
    "implements": ("#15803d", False, 1.6),
    "amends": ("#d97706", [8, 4], 1.4),
    "replaces": ("#7c3aed", [8, 4], 1.4),
    "repeals": ("#dc2626", [2, 4], 1.4),
    "guides": ("#0e7490", [10, 3, 2, 3], 1.4),
    "cites": ("#9ca3af", [3, 3], 1.0),
}

#: The relations through which a province implements a central document (the aggregated view).
IMPLEMENTING: tuple[str, ...] = ("implements", "based_on")

#: Interface languages of the page (``assets/strings.json``); the first is the default.
LANGUAGES: tuple[str, ...] = ("vi", "en")

SYSTEM_BORDER: dict[str, str] = {"party": "#991b1b", "state": "#1e3a8a", "other": "#4b5563"}
_SYSTEM_HUE: dict[str, float] = {"party": 0.0, "state": 0.6, "other": 0.0}

_X_GAP = 150.0  # between nodes of a row
_ROW_GAP = 120.0  # between rows
_SUBBAND_GAP = 70.0  # extra space between the levels inside a block
_BLOCK_GAP = 240.0  # between province blocks
_TITLE_SPACE = 170.0  # above the first row of a block or band, for its title
_ASPECT = 1.4  # width / height of the whole drawing
_MAX_RADIUS = 48.0  # under half of _X_GAP: nodes of a row never touch
_MAX_SENTENCES = 3
_SENTENCE_CHARS = 300
_LABEL_CHARS = 32  # drawn labels; the tooltip, details and search have the whole name
_SHAPE_CODES = {"square": "s", "diamond": "d", "dot": "o"}  # as the page draws them
CITES_THRESHOLD = 1500  # above this many edges, ``cites`` edges start hidden


# --------------------------------------------------------------------------- node attributes


def _nx_graph(G: Any) -> nx.MultiDiGraph:
    g = getattr(G, "nx", G)
    if callable(g) and not isinstance(g, nx.Graph):
        g = g()
    if not isinstance(g, nx.Graph):
        raise TypeError(f"expected a networkx graph or an object with .nx, got {type(G).__name__}")
    return g


def _level(attrs: Mapping[str, Any]) -> str:
    level = attrs.get("level")
    if level in LEVELS:
        return str(level)
    if attrs.get("jurisdiction") == "central":
        return "central"
    return "other"


def _system(attrs: Mapping[str, Any]) -> str:
    s = attrs.get("system")
    return s if s in ("party", "state") else "other"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _shorten(s: str, n: int = _SENTENCE_CHARS) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _short_label(s: str, n: int = _LABEL_CHARS) -> str:
    """A drawn label of at most ``n`` characters, cut between words in the middle: names differ at their
    end (``... tỉnh Bình Phước lần thứ XI``).

    >>> _short_label("Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Bình Phước lần thứ XI")
    'Nghị quyết Đại… Phước lần thứ XI'
    >>> _short_label("33/CT-TTg"), len(_short_label("x" * 50))
    ('33/CT-TTg', 32)
    """
    s = " ".join(s.split())
    if len(s) <= n:
        return s
    words = s.split(" ")
    head: list[str] = []
    while words and len(" ".join(head + words[:1])) <= n * 0.55:
        head.append(words.pop(0))
    tail: list[str] = []
    while words and len(" ".join(head)) + 2 + len(" ".join(words[-1:] + tail)) <= n:
        tail.insert(0, words.pop())
    if not head or not tail:
        k = math.ceil(n * 0.55)
        return s[:k].rstrip() + "…" + s[len(s) - (n - k - 1):].lstrip()
    return " ".join(head) + "… " + " ".join(tail)


def _label(v: Any, attrs: Mapping[str, Any]) -> str:
    return _text(attrs.get("label") or attrs.get("symbol") or attrs.get("name")) or str(v)


def _year(attrs: Mapping[str, Any]) -> int:
    try:
        return int(attrs.get("year") or _text(attrs.get("date"))[:4])
    except (TypeError, ValueError):
        return 0


def _cited(g: nx.Graph, v: Any) -> int:
    c = g.nodes[v].get("cited_by")
    if isinstance(c, (int, float)) and not isinstance(c, bool):
        return int(c)
    return g.in_degree(v) if g.is_directed() else g.degree(v)


def province_of(attrs: Mapping[str, Any]) -> str | None:
    """The province a document belongs to, on today's map (34 provinces since 1 July 2025) where its unit
    is known there, else as its jurisdiction states it; ``None`` for central ones.

    The parts of the stated jurisdiction are read from the last (``xã X, huyện Y, tỉnh Z``) and the first one
    the place vocabulary knows gives the canonical name. A central document never has a province,
    whatever place its header names (a ministry signs in Hà Nội).

    Examples
    --------
    >>> province_of({"jurisdiction": "xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước", "level": "commune"})
    'Bình Phước'
    >>> province_of({"jurisdiction": "tỉnh Bình Phước", "level": "province", "today_province": "Đồng Nai"})
    'Đồng Nai'
    >>> province_of({"jurisdiction": "central", "level": "central"}) is None
    True
    >>> province_of({"jurisdiction": "tỉnh Hà Nội", "level": "central"}) is None
    True
    """
    jur = _text(attrs.get("jurisdiction"))
    if not jur or jur == "central" or attrs.get("level") == "central":
        return None
    today = _text(attrs.get("today_province"))
    if today:
        return today
    vocab = vocabulary()
    for part in reversed([p.strip() for p in jur.split(",") if p.strip()]):
        name = vocab.province_of(part)
        if name:
            return name
    return None


def _subunit(attrs: Mapping[str, Any]) -> str:
    """The part of the jurisdiction below the province (``huyện Y`` of ``xã X, huyện Y, tỉnh Z``)."""
    parts = [p.strip() for p in _text(attrs.get("jurisdiction")).split(",") if p.strip()]
    return parts[-2] if len(parts) >= 2 else ""


def _sort_key(name: str) -> str:
    return ascii_slug(name) if name else "~"


def _type_shades(g: nx.Graph) -> dict[tuple[str, str], str]:
    """A colour per (system, type code): the system's hue, lightness and saturation varied by type."""
    codes: dict[str, set[str]] = defaultdict(set)
    for _, a in g.nodes(data=True):
        codes[_system(a)].add(_text(a.get("type_code")) or "?")
    shades: dict[tuple[str, str], str] = {}
    for system, cs in codes.items():
        ordered = sorted(cs)
        for i, code in enumerate(ordered):
            t = i / max(1, len(ordered) - 1) if len(ordered) > 1 else 0.5
            if system == "other":
                r, gg, b = colorsys.hls_to_rgb(0.0, 0.45 + 0.35 * t, 0.0)
            else:
                hue = (_SYSTEM_HUE[system] + 0.08 * (t - 0.5)) % 1.0
                r, gg, b = colorsys.hls_to_rgb(hue, 0.40 + 0.35 * t, 0.55 + 0.30 * (1 - t))
            shades[(system, code)] = "#%02x%02x%02x" % (round(r * 255), round(gg * 255), round(b * 255))
    return shades


def node_styles(G: Any) -> dict[Any, dict[str, Any]]:
    """How each node is drawn: fill and border colour, shape, radius, border width, short label.

    The page and :func:`citegraph.outputs.pyvis.to_pyvis` draw with these, so both look alike.

    Returns
    -------
    dict
        ``node -> {"color", "border", "shape" ("square" | "diamond" | "dot"), "radius", "border_width",
        "label", "full_label", "cited"}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="25-NQ/TW", system="party", type_code="NQ", cited_by=4)
    >>> G.add_node("b", label="Kế hoạch", system="state", type_code="KH", sources=["b.txt"], kind="document")
    >>> s = node_styles(G)
    >>> s["a"]["border"], s["a"]["shape"], s["b"]["shape"], s["a"]["radius"] > s["b"]["radius"]
    ('#991b1b', 'dot', 'square', True)
    """
    g = _nx_graph(G)
    shades = _type_shades(g)
    out: dict[Any, dict[str, Any]] = {}
    for v, a in g.nodes(data=True):
        system = _system(a)
        cited = _cited(g, v)
        in_corpus = bool(a.get("sources")) or a.get("kind") == "document"
        label = _label(v, a)
        out[v] = {
            "color": shades[(system, _text(a.get("type_code")) or "?")],
            "border": SYSTEM_BORDER[system],
            "shape": "square" if in_corpus else ("diamond" if a.get("kind") == "named" else "dot"),
            "radius": round(min(_MAX_RADIUS, 8 + 4 * math.sqrt(max(0, cited))), 1),
            "border_width": 3 if in_corpus else 1,
            # a name differs at its end ("... lần thứ XII"), a title is read from its start
            "label": _short_label(label) if a.get("kind") == "named" else _shorten(label, _LABEL_CHARS),
            "full_label": label,
            "cited": cited,
        }
    return out


# --------------------------------------------------------------------------- layout


def _neighbours(g: nx.Graph, v: Any) -> Iterable[Any]:
    if g.is_directed():
        yield from g.successors(v)
        yield from g.predecessors(v)
    else:
        yield from g.neighbors(v)


def _place_rows(nodes: list[Any], cols: int, x0: float, y0: float, pos: dict[Any, tuple[float, float]]) -> int:
    """Put ``nodes`` in rows of ``cols`` from (x0, y0), alternate rows staggered; return the rows used."""
    rows = math.ceil(len(nodes) / cols) if nodes else 0
    for i, v in enumerate(nodes):
        r, c = divmod(i, cols)
        pos[v] = (x0 + c * _X_GAP + (_X_GAP / 2 if r % 2 and cols > 1 else 0.0), y0 + r * _ROW_GAP)
    return rows


def _arrange(g: nx.Graph, max_row: int | None = None) -> tuple[dict[Any, tuple[float, float]], list[dict[str, Any]]]:
    """Positions and the frames (central band, province blocks) they are drawn in."""
    central: list[Any] = []
    blocks: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for v, a in g.nodes(data=True):
        lv = _level(a)
        if lv == "central":
            central.append(v)
        else:
            blocks[province_of(a) or ""][lv].append(v)
    local_levels = LEVELS[1:]

    # Block sizes first (they do not depend on the order inside), then the width of the drawing.
    dims: dict[str, tuple[int, float, float]] = {}
    for name, by_level in blocks.items():
        n = sum(len(x) for x in by_level.values())
        cols = max(2, math.ceil(math.sqrt(0.8 * n)))
        if max_row:
            cols = min(cols, max(1, max_row))
        rows = sum(math.ceil(len(by_level[lv]) / cols) for lv in local_levels if by_level.get(lv))
        bands = sum(1 for lv in local_levels if by_level.get(lv))
        w = cols * _X_GAP + _X_GAP / 2
        h = _TITLE_SPACE + max(0, rows - 1) * _ROW_GAP + (bands - 1) * _SUBBAND_GAP + 0.55 * _ROW_GAP
        dims[name] = (cols, w, h)
    area = sum((w + _BLOCK_GAP) * (h + _BLOCK_GAP) for _, w, h in dims.values())
    area += len(central) * _X_GAP * _ROW_GAP
    width = max([math.sqrt(_ASPECT * area)] + [w for _, w, _ in dims.values()] + [4 * _X_GAP])
    if max_row:
        width = min(width, max(max_row * _X_GAP, max([w for _, w, _ in dims.values()] or [0.0])))

    pos: dict[Any, tuple[float, float]] = {}
    frames: list[dict[str, Any]] = []
    sys_order = {"party": 0, "state": 1, "other": 2}
    y = 0.0
    if central:
        central.sort(key=lambda v: (sys_order[_system(g.nodes[v])], _text(g.nodes[v].get("type_code")),
                                    _year(g.nodes[v]), _label(v, g.nodes[v])))
        cols = max(1, min(len(central), int(width // _X_GAP)))
        rows = _place_rows(central, cols, 0.0, y + _TITLE_SPACE, pos)
        h = _TITLE_SPACE + (rows - 1) * _ROW_GAP + 0.55 * _ROW_GAP
        frames.append({"kind": "central", "name": "", "x": -_X_GAP / 2, "y": y, "w": cols * _X_GAP + _X_GAP / 2,
                       "h": h, "n": len(central), "bands": [{"level": "central", "y": y + _TITLE_SPACE}]})
        y += h + _BLOCK_GAP

    # Shelves of blocks, alphabetical (the block of unknown places last).
    x, shelf_h = 0.0, 0.0
    for name in sorted(blocks, key=_sort_key):
        cols, w, h = dims[name]
        if x > 0 and x + w > width:
            x, y = 0.0, y + shelf_h + _BLOCK_GAP
            shelf_h = 0.0
        frame: dict[str, Any] = {"kind": "province", "name": name, "x": x - _X_GAP / 2, "y": y, "w": w, "h": h,
                                 "n": 0, "bands": []}
        yy = y + _TITLE_SPACE
        for lv in local_levels:
            members = blocks[name].get(lv)
            if not members:
                continue

            def bary(v: Any) -> float:
                xs = [pos[u][0] for u in _neighbours(g, v) if u in pos]
                return sum(xs) / len(xs) if xs else math.inf

            members.sort(key=lambda v: (_sort_key(_subunit(g.nodes[v])), bary(v), _label(v, g.nodes[v]), str(v)))
            frame["bands"].append({"level": lv, "y": yy})
            rows = _place_rows(members, cols, x, yy, pos)
            frame["n"] += len(members)
            yy += rows * _ROW_GAP + _SUBBAND_GAP
        frames.append(frame)
        x += w + _BLOCK_GAP
        shelf_h = max(shelf_h, h)
    return pos, frames


def layout(G: Any, *, max_row: int | None = None) -> dict[Any, tuple[float, float]]:
    """Compute node positions: central documents on top, then one block per province.

    Central documents are ordered Party first, then State, by type and year. Each province's block
    holds its documents by level top to bottom (province, district, commune, unknown level), grouped
    by district and ordered by the mean position of what they cite; blocks are alphabetical, packed
    into shelves so that the drawing is about 1.4 times wider than tall. Documents whose place is not
    known have a block of their own, last.

    Parameters
    ----------
    G : networkx.Graph or object with ``.nx``
        Nodes carry the CONTRACTS.md attributes (``level``, ``system``, ``jurisdiction``, ...).
    max_row : int, optional
        Most nodes on one row of a block, and of the drawing.

    Returns
    -------
    dict
        ``node -> (x, y)`` in pixels; ``y`` grows downwards.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", level="central", system="party", jurisdiction="central")
    >>> G.add_node("b", level="province", system="party", jurisdiction="tỉnh Bình Phước")
    >>> G.add_node("c", level="commune", system="state", jurisdiction="xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước")
    >>> G.add_edge("b", "a"); G.add_edge("c", "b")
    0
    0
    >>> pos = layout(G)
    >>> pos["a"][1] < pos["b"][1] < pos["c"][1]
    True
    """
    return _arrange(_nx_graph(G), max_row)[0]


# --------------------------------------------------------------------------- aggregated view


def province_matrix(G: Any, rels: Iterable[str] = IMPLEMENTING) -> dict[str, Any]:
    """Provinces × central documents: which provinces implemented which central document, and when.

    A province implements a central document when one of its documents is linked to it by one of
    ``rels`` (``implements``, ``based_on``), directly or through other local documents (a commune
    plan implementing the district plan that implements a directive). The walk never goes through
    another central document: a province implementing a decree does not count for the law the decree
    implements.

    Parameters
    ----------
    G : networkx.MultiDiGraph or object with ``.nx``
    rels : iterable of str
        The relations followed.

    Returns
    -------
    dict
        ``provinces``: every province with a document in the graph, alphabetical; ``documents``: the
        central documents implemented somewhere, most provinces first (then earliest); ``cells``:
        ``(province, document) -> {"documents": [...], "first": ISO date or None, "first_document":
        IRI or None, "lineage": [...]}`` where ``documents`` are that province's implementing documents
        and ``lineage`` adds the documents between them and the central one.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("ct", level="central", jurisdiction="central", label="33/CT-TTg")
    >>> G.add_node("kh", level="province", jurisdiction="tỉnh Quảng Trị", date="2022-03-01")
    >>> G.add_node("xa", level="commune", jurisdiction="xã A, huyện B, tỉnh Quảng Trị", date="2022-05-02")
    >>> G.add_node("hn", level="province", jurisdiction="tỉnh Hà Nam", date="2023-01-09")
    >>> _ = G.add_edge("kh", "ct", rel="implements"); _ = G.add_edge("xa", "kh", rel="based_on")
    >>> _ = G.add_edge("hn", "ct", rel="cites")
    >>> m = province_matrix(G)
    >>> m["provinces"], m["documents"]
    (['Hà Nam', 'Quảng Trị'], ['ct'])
    >>> cell = m["cells"][("Quảng Trị", "ct")]
    >>> cell["documents"], cell["first"], cell["first_document"]
    (['kh', 'xa'], '2022-03-01', 'kh')
    >>> ("Hà Nam", "ct") in m["cells"]
    False
    """
    g = _nx_graph(G)
    allowed = set(rels)
    prov = {v: province_of(a) for v, a in g.nodes(data=True)}
    central = [v for v, a in g.nodes(data=True) if _level(a) == "central"]
    cells: dict[tuple[str, Any], dict[str, Any]] = {}
    for c in central:
        parent: dict[Any, Any] = {c: None}
        q = deque([c])
        while q:
            u = q.popleft()
            if not g.is_directed():
                break
            for w, _, rel in g.in_edges(u, data="rel"):
                if w in parent or (rel or "cites") not in allowed or _level(g.nodes[w]) == "central":
                    continue
                parent[w] = u
                q.append(w)
        by_prov: dict[str, list[Any]] = defaultdict(list)
        for w in parent:
            if w != c and prov[w]:
                by_prov[prov[w]].append(w)
        for p, docs in by_prov.items():
            docs.sort(key=lambda v: (_text(g.nodes[v].get("date")) or "9999", str(v)))
            dated = [v for v in docs if g.nodes[v].get("date")]
            chain: dict[Any, None] = {}
            for w in docs:
                while w is not None and w != c:
                    chain[w] = None
                    w = parent[w]
            cells[(p, c)] = {
                "documents": docs,
                "first": _text(g.nodes[dated[0]].get("date")) if dated else None,
                "first_document": dated[0] if dated else None,
                "lineage": list(chain),
            }
    reach: Counter[Any] = Counter(c for _, c in cells)
    first = {c: min((cell["first"] or "9999") for (_, cc), cell in cells.items() if cc == c) for c in reach}
    documents = sorted(reach, key=lambda c: (-reach[c], first[c], _label(c, g.nodes[c]), str(c)))
    provinces = sorted({p for p in prov.values() if p}, key=_sort_key)
    return {"provinces": provinces, "documents": documents, "cells": cells}


# --------------------------------------------------------------------------- page data


class _Table:
    """Strings stored once in the page, referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, s: str) -> int:
        if not s:
            return -1
        i = self._index.get(s)
        if i is None:
            i = self._index[s] = len(self.items)
            self.items.append(s)
        return i


def _iso(value: Any) -> str:
    return _text(value)[:10]


def graph_data(
    G: Any,
    *,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    max_sentences: int = _MAX_SENTENCES,
    sentence_chars: int = _SENTENCE_CHARS,
) -> dict[str, Any]:
    """The JSON the page draws: nodes, edges, lookup tables, frames and the aggregated view.

    Edges are lists ``[from, to, relation, sentence, source, cue]`` (indexes into ``nodes``,
    ``relations``, ``sentences``, ``sources`` and ``cues``; -1 when absent); a node's province, issuer
    and type are indexes into ``provinces``, ``issuers`` and ``types``. The sentences citing a node
    are those of its incoming edges; a node cited by no edge keeps up to ``max_sentences`` of its
    mentions.

    Parameters
    ----------
    G : networkx.Graph or object with ``.nx``
    positions : mapping, optional
        ``node -> (x, y)``; default :func:`layout` (then ``frames`` holds the central band and the
        province blocks).
    max_sentences : int
        Mention sentences kept per node cited by no edge.
    sentence_chars : int
        Longest sentence kept (longer ones are cut with "…").

    Returns
    -------
    dict

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", label="33/CT-TTg", level="central", system="state", type_code="CT", cited_by=1)
    >>> G.add_node("y", label="294/KH-VP", level="province", system="state", type_code="KH", jurisdiction="tỉnh Đồng Nai")
    >>> _ = G.add_edge("y", "x", rel="implements", sentence="Thực hiện Chỉ thị số 33/CT-TTg")
    >>> d = graph_data(G)
    >>> [n["label"] for n in d["nodes"]], d["relations"][d["edges"][0][2]]
    (['33/CT-TTg', '294/KH-VP'], 'implements')
    >>> d["sentences"][d["edges"][0][3]], d["provinces"][d["nodes"][1]["province"]]["name"]
    ('Thực hiện Chỉ thị số 33/CT-TTg', 'Đồng Nai')
    """
    g = _nx_graph(G)
    if positions is None:
        pos, frames = _arrange(g)
    else:
        pos, frames = dict(positions), []
    styles = node_styles(g)
    ids = {v: i for i, v in enumerate(g.nodes)}
    palette: dict[tuple[str, str], int] = {}
    provinces = sorted({p for _, a in g.nodes(data=True) if (p := province_of(a))}, key=_sort_key)
    prov_index = {p: i for i, p in enumerate(provinces)}
    issuers, types, sources, sentences, cues = _Table(), _Table(), _Table(), _Table(), _Table()
    counts: dict[str, Counter[int]] = {"province": Counter(), "issuer": Counter(), "type": Counter()}
    rels = sorted({_text(e) or "cites" for _, _, e in g.edges(data="rel")},
                  key=lambda r: (list(RELATION_STYLES).index(r) if r in RELATION_STYLES else 99, r))
    rel_index = {r: i for i, r in enumerate(rels)}
    shades = _type_shades(g)

    edges: list[list[int]] = []
    cited_by_sentence: set[Any] = set()
    for u, w, e in g.edges(data=True):
        s = _shorten(_text(e.get("sentence")), sentence_chars)
        if s:
            cited_by_sentence.add(w)
        edges.append([ids[u], ids[w], rel_index[_text(e.get("rel")) or "cites"], sentences(s),
                      sources(_text(e.get("source"))), cues(_shorten(_text(e.get("cue")), 60))])

    nodes: list[dict[str, Any]] = []
    for v, a in g.nodes(data=True):
        st = styles[v]
        system = _system(a)
        code = _text(a.get("type_code")) or "?"
        key = (system, code)
        if key not in palette:
            palette[key] = len(palette)
        p = province_of(a)
        type_name = _text(a.get("type")) or _text(a.get("type_code"))
        node: dict[str, Any] = {
            "label": st["label"],
            "x": round(float(pos.get(v, (0.0, 0.0))[0]), 1),
            "y": round(float(pos.get(v, (0.0, 0.0))[1]), 1),
            "r": st["radius"],
            "shape": _SHAPE_CODES[st["shape"]],
            "color": palette[key],
            "system": system,
            "level": _level(a),
            "province": prov_index[p] if p else -1,
            "issuer": issuers(_text(a.get("issuer"))),
            "type": types(type_name),
            "cited": st["cited"],
            "corpus": 1 if st["border_width"] > 1 else 0,
        }
        for k, i in (("province", node["province"]), ("issuer", node["issuer"]), ("type", node["type"])):
            if i >= 0:
                counts[k][i] += 1
        info: dict[str, Any] = {
            "iri": str(v),
            "full": st["full_label"] if st["full_label"] != st["label"] else "",
            "symbol": _text(a.get("symbol")),
            "name": _text(a.get("name")),
            "title": _shorten(_text(a.get("title")), 240) if _text(a.get("title")) != st["full_label"] else "",
            "date": _iso(a.get("date")) or _text(a.get("year")),
            "jurisdiction": _text(a.get("jurisdiction")),
            "term": _text(a.get("term")),
            "kind": _text(a.get("kind")),
            "sources": [sources(str(s)) for s in (a.get("sources") or [])],
            "candidates": [str(c) for c in (a.get("candidates") or [])],
        }
        if v not in cited_by_sentence:
            said: list[str] = []
            for m in a.get("mentions") or []:
                if isinstance(m, Mapping):
                    s = _shorten(_text(m.get("sentence") or m.get("text")), sentence_chars)
                    if s and s not in said:
                        said.append(s)
            info["mentions"] = said[:max_sentences]
        node["info"] = {k: x for k, x in info.items() if x not in ("", [], None)}
        nodes.append(node)

    m = province_matrix(g)
    matrix = {
        "cols": [ids[c] for c in m["documents"]],
        "cells": [
            [prov_index[p], ids[c], len(cell["documents"]), cell["first"] or "",
             ids[cell["first_document"]] if cell["first_document"] is not None else -1,
             [ids[x] for x in cell["documents"]], [ids[x] for x in cell["lineage"]]]
            for (p, c), cell in sorted(m["cells"].items(), key=lambda kv: (prov_index[kv[0][0]], ids[kv[0][1]]))
        ],
    }
    return {
        "nodes": nodes,
        "edges": edges,
        "relations": rels,
        "relation_styles": {r: list(RELATION_STYLES.get(r, RELATION_STYLES["cites"])) for r in rels},
        "palette": [{"system": s, "code": c, "color": shades[(s, c)]} for (s, c) in palette],
        "borders": SYSTEM_BORDER,
        "provinces": [{"name": p, "count": counts["province"][i]} for i, p in enumerate(provinces)],
        "issuers": [{"name": s, "count": counts["issuer"][i]} for i, s in enumerate(issuers.items)],
        "types": [{"name": s, "count": counts["type"][i]} for i, s in enumerate(types.items)],
        "sources": sources.items,
        "sentences": sentences.items,
        "cues": cues.items,
        "frames": [{**f, "x": round(f["x"], 1), "y": round(f["y"], 1), "w": round(f["w"], 1),
                    "h": round(f["h"], 1)} for f in frames],
        "levels": list(LEVELS),
        "matrix": matrix,
    }


# --------------------------------------------------------------------------- page


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    """A file of ``citegraph/outputs/assets`` (package data, so it is there in an installed wheel)."""
    return (resources.files("citegraph.outputs") / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """The page's interface strings by language (``assets/strings.json``): one place for all of them.

    Examples
    --------
    >>> s = strings()
    >>> sorted(s) == sorted(LANGUAGES), s["vi"]["rel_implements"], s["en"]["rel_implements"]
    (True, 'thực hiện', 'implements')
    """
    data = json.loads(_asset("strings.json"))
    return {k: v for k, v in data.items() if not k.startswith("$")}


def _json_for_script(data: Any) -> str:
    """JSON that cannot end the ``<script>`` element holding it (nor open a comment)."""
    s = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        s.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(js: str) -> str:
    return js.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")


def _default_title(lang: str, n: int, m: int) -> str:
    return strings()[lang]["title_default"].replace("{nodes}", f"{n:,}").replace("{edges}", f"{m:,}")


def render_html(
    G: Any,
    *,
    title: str | None = None,
    lang: str = "vi",
    show_cites: bool | None = None,
    lineage: str | None = None,
    view: str = "graph",
    max_sentences: int = _MAX_SENTENCES,
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> str:
    """Return the self-contained HTML page of ``G`` as a string (see :func:`to_html`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("n", label="<b>33/CT-TTg</b>", level="central", system="state")
    >>> page = render_html(G, title="A & B")
    >>> "<b>33/CT-TTg</b>" in page, "\\\\u003cb\\\\u003e33/CT-TTg" in page, "<title>A &amp; B</title>" in page
    (False, True, True)
    >>> render_html(G, lang="fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of vi, en, not 'fr'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if view not in ("graph", "matrix"):
        raise ValueError(f"view must be 'graph' or 'matrix', not {view!r}")
    g = _nx_graph(G)
    start = None
    if lineage is not None:
        start = resolve(g, lineage)
    data = graph_data(g, positions=positions, max_sentences=max_sentences)
    n, m = g.number_of_nodes(), g.number_of_edges()
    data["options"] = {
        "lang": lang,
        "title": title,
        "cites_hidden": (m > CITES_THRESHOLD) if show_cites is None else not show_cites,
        "lineage": list(g.nodes).index(start) if start is not None else None,
        "view": view,
    }
    page_title = title or _default_title(lang, n, m)
    esc = _html.escape
    return "".join(
        [
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            # No request may leave the page: forbid every fetch but inline code and data: images.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:\">\n",
            f"<title>{esc(page_title)}</title>\n",
            f"<style>\n{_asset('page.css')}\n</style>\n</head>\n<body>\n",
            _asset("page.html"),
            f'<script type="application/json" id="citegraph-data">{_json_for_script(data)}</script>\n',
            f'<script type="application/json" id="citegraph-strings">{_json_for_script(strings())}</script>\n',
            f"<script>\n{_inline_script(_asset('page.js'))}\n</script>\n",
            "</body>\n</html>\n",
        ]
    )


def to_html(
    G: Any,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    lang: str = "vi",
    show_cites: bool | None = None,
    lineage: str | None = None,
    view: str = "graph",
    max_sentences: int = _MAX_SENTENCES,
    positions: Mapping[Any, tuple[float, float]] | None = None,
) -> Path:
    """Write an interactive page of the citation graph ``G`` that works offline and alone.

    Parameters
    ----------
    G : networkx.MultiDiGraph or object with ``.nx`` (a ``CitationGraph``)
        Nodes and edges with the attributes of docs/CONTRACTS.md; missing ones are tolerated.
    path : path-like
        Where to write the page (atomically: temporary file, then rename).
    title : str, optional
        Page title; default says how many documents and citations.
    lang : {"vi", "en"}
        Language the page opens in (a button switches).
    show_cites : bool, optional
        Draw ``cites`` edges at first. Default: yes up to 1,500 edges, no above (a box shows them).
    lineage : str, optional
        Open on the lineage of this document (IRI, relative id or symbol, as in
        :func:`citegraph.graph.model.resolve`).
    view : {"graph", "matrix"}
        Open on the graph or on the provinces × central documents table.
    max_sentences : int
        Mention sentences kept for a document cited by no edge.
    positions : mapping, optional
        ``node -> (x, y)`` to use instead of :func:`layout`.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="114-KL/TW", level="central", system="party", type_code="KL")
    >>> G.add_node("b", label="247-KH/TU", level="province", system="party", type_code="KH")
    >>> _ = G.add_edge("b", "a", rel="implements")
    >>> out = to_html(G, pathlib.Path(tempfile.mkdtemp()) / "graph.html")
    >>> page = out.read_text(encoding="utf-8")
    >>> "114-KL/TW" in page and "citegraph-data" in page and 'src="http' not in page
    True
    """
    page = render_html(
        G,
        title=title,
        lang=lang,
        show_cites=show_cites,
        lineage=lineage,
        view=view,
        max_sentences=max_sentences,
        positions=positions,
    )
    path = Path(path)
    with atomic_open(path, "w") as f:
        f.write(page)
    return path
