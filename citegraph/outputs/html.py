"""An interactive HTML page of a citation graph that works offline and alone.

The page is generated from our own template with vis-network (the copy shipped in the pyvis
package) inlined, so it loads no external URL: it can be e-mailed or opened on a closed network.
pyvis's own pages load bootstrap from a CDN even with ``cdn_resources="in_line"``.

The layout is computed in Python: one band per level, top to bottom (central Party and State,
province, district, commune, then nodes of unknown level), nodes ordered within a band so that a
document sits near what it cites (barycentre of its neighbours in the bands above), wide bands
wrapped into rows (the whole about 1.6 times wider than tall). Physics is off above ``physics_threshold`` nodes; when on, it only spreads
nodes sideways (``y`` stays fixed). Graph data travels as JSON in a ``<script type=
"application/json">`` element with ``<``, ``>`` and ``&`` escaped, and the page builds tooltips
with ``textContent``: a ``<script>`` in a document's text stays text.

Colour is by system (Party red, State blue, other grey) with a shade per document type; edge
colour and dash by relation; node size by the number of citing edges; square nodes are
documents of the corpus, diamonds named documents (``Hiến pháp năm 2013``). The page has a
legend, a search box (by symbol or name, accent-insensitive), filters by system, level and
relation, and a details panel with the sentences that cite the selected document; clicking a
node can restrict the view to its lineage (what it rests on and what implements it).
"""
from __future__ import annotations

import colorsys
import html as _html
import json
import math
import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import networkx as nx

from citegraph.io.atomic import atomic_open

__all__ = ["LEVELS", "RELATION_STYLES", "graph_data", "layout", "render_html", "to_html"]

#: Bands top to bottom; a node whose level is unknown goes to the last one.
LEVELS: tuple[str, ...] = ("central", "province", "district", "commune", "other")
LEVEL_LABELS: dict[str, str] = {
    "central": "Central (Party | State)",
    "province": "Province",
    "district": "District",
    "commune": "Commune",
    "other": "Level unknown",
}

#: Edge style by relation: (colour, dashes as a vis-network dash pattern or False, width).
RELATION_STYLES: dict[str, tuple[str, Any, float]] = {
    "based_on": ("#1f2937", False, 2.0),
    "implements": ("#15803d", False, 2.5),
    "amends": ("#d97706", [8, 4], 2.0),
    "replaces": ("#7c3aed", [8, 4], 2.0),
    "repeals": ("#dc2626", [2, 4], 2.0),
    "guides": ("#0e7490", [10, 3, 2, 3], 2.0),
    "cites": ("#9ca3af", [3, 3], 1.0),
}
_SYSTEM_HUE: dict[str, float] = {"party": 0.0, "state": 0.6, "other": 0.0}
_SYSTEM_BORDER: dict[str, str] = {"party": "#991b1b", "state": "#1e3a8a", "other": "#4b5563"}
_SYSTEM_LABELS: dict[str, str] = {"party": "Party", "state": "State", "other": "Other / unknown"}

_X_GAP = 150.0
_ROW_GAP = 120.0
_BAND_GAP = 260.0
_MAX_SENTENCES = 3
_SENTENCE_CHARS = 400
_LABEL_CHARS = 36  # drawn labels; the tooltip, details and search have the whole name


# --------------------------------------------------------------------------- data


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


def layout(G: Any, *, max_row: int | None = None) -> dict[Any, tuple[float, float]]:
    """Compute node positions: one band per level top to bottom, neighbours kept near each other.

    Central documents are ordered Party first, then State, by type and year; in the lower bands
    documents are grouped by province and ordered by the mean position of their neighbours in
    the bands above (a one-sweep barycentre heuristic), so lineages read downwards. A band wider
    than ``max_row`` nodes wraps (default: chosen so the drawing is about 1.6 times wider than
    tall).

    Parameters
    ----------
    G : networkx.Graph or object with ``.nx``
        Nodes carry the CONTRACTS.md attributes (``level``, ``system``, ``type_code``, ...).
    max_row : int, optional
        Most nodes on one row of a band.

    Returns
    -------
    dict
        ``node -> (x, y)`` in pixels; ``y`` grows downwards.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", level="central", system="party")
    >>> G.add_node("b", level="province", system="party")
    >>> G.add_node("c", level="commune", system="state")
    >>> G.add_edge("b", "a"); G.add_edge("c", "b")
    0
    0
    >>> pos = layout(G)
    >>> pos["a"][1] < pos["b"][1] < pos["c"][1]
    True
    """
    g = _nx_graph(G)
    n = g.number_of_nodes()
    if max_row is None:
        # About 1.6 times wider than tall: max_row * X_GAP = 1.6 * (n / max_row) * ROW_GAP.
        max_row = max(12, int(math.sqrt(1.6 * _ROW_GAP / _X_GAP * max(n, 1))))
    # Bands stay apart on screen when the whole graph is fitted: the gap grows with the height.
    total_rows = sum(math.ceil(c / max_row) for c in _band_sizes(g).values() if c)
    band_gap = max(_BAND_GAP, 0.08 * total_rows * _ROW_GAP)
    bands: dict[str, list[Any]] = {lv: [] for lv in LEVELS}
    for node, a in g.nodes(data=True):
        bands[_level(a)].append(node)

    def year(a: Mapping[str, Any]) -> int:
        y = a.get("year")
        try:
            return int(y)
        except (TypeError, ValueError):
            return 0

    pos: dict[Any, tuple[float, float]] = {}
    y = 0.0
    sys_order = {"party": 0, "state": 1, "other": 2}
    for lv in LEVELS:
        nodes = bands[lv]
        if not nodes:
            continue
        if lv == "central":
            nodes.sort(
                key=lambda v: (
                    sys_order[_system(g.nodes[v])],
                    _text(g.nodes[v].get("type_code")),
                    year(g.nodes[v]),
                    _text(g.nodes[v].get("label")) or str(v),
                )
            )
        else:
            bary: dict[Any, float | None] = {}
            for v in nodes:
                xs = [pos[u][0] for u in _neighbours(g, v) if u in pos]
                bary[v] = sum(xs) / len(xs) if xs else None
            groups: dict[str, list[Any]] = defaultdict(list)
            for v in nodes:
                jur = _text(g.nodes[v].get("jurisdiction"))
                groups[jur.rsplit(",", 1)[-1].strip()].append(v)
            group_key: dict[str, float] = {}
            for name, members in groups.items():
                known = [bary[v] for v in members if bary[v] is not None]
                group_key[name] = sum(known) / len(known) if known else math.inf
            nodes.sort(
                key=lambda v: (
                    group_key[_province(g, v)],
                    _province(g, v),
                    bary[v] if bary[v] is not None else group_key[_province(g, v)],
                    _text(g.nodes[v].get("label")) or str(v),
                )
            )
        rows = math.ceil(len(nodes) / max_row)
        per_row = math.ceil(len(nodes) / rows)
        for i, v in enumerate(nodes):
            r, c = divmod(i, per_row)
            width = min(per_row, len(nodes) - r * per_row)
            # Stagger alternate rows by half a gap so edges between rows stay distinguishable.
            x = (c - (width - 1) / 2) * _X_GAP + (_X_GAP / 2 if r % 2 else 0.0)
            pos[v] = (x, y + r * _ROW_GAP)
        y += (rows - 1) * _ROW_GAP + band_gap
    return pos


def _band_sizes(g: nx.Graph) -> dict[str, int]:
    sizes = dict.fromkeys(LEVELS, 0)
    for _, a in g.nodes(data=True):
        sizes[_level(a)] += 1
    return sizes


def _province(g: nx.Graph, v: Any) -> str:
    return _text(g.nodes[v].get("jurisdiction")).rsplit(",", 1)[-1].strip()


def _neighbours(g: nx.Graph, v: Any) -> Iterable[Any]:
    if g.is_directed():
        yield from g.successors(v)
        yield from g.predecessors(v)
    else:
        yield from g.neighbors(v)


def _citing_sentences(g: nx.Graph, v: Any) -> list[dict[str, str]]:
    """The sentences that cite ``v``: from its incoming edges, else from its mentions."""
    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    if g.is_directed() and g.is_multigraph():
        in_edges: Iterable[tuple[Any, Any, Mapping[str, Any]]] = g.in_edges(v, data=True)
    elif g.is_directed():
        in_edges = g.in_edges(v, data=True)
    else:
        in_edges = []
    for _, _, e in in_edges:
        s = _text(e.get("sentence"))
        if s:
            key = (_text(e.get("source")), s)
            if key not in seen:
                seen.add(key)
                out.append({"source": key[0], "sentence": _shorten(s), "rel": _text(e.get("rel"))})
    for m in g.nodes[v].get("mentions") or []:
        if not isinstance(m, Mapping):
            continue
        s = _text(m.get("sentence") or m.get("text"))
        if s:
            key = (_text(m.get("source")), s)
            if key not in seen:
                seen.add(key)
                out.append({"source": key[0], "sentence": _shorten(s), "rel": ""})
    return out


def graph_data(
    G: Any,
    *,
    positions: Mapping[Any, tuple[float, float]] | None = None,
    max_sentences: int = _MAX_SENTENCES,
) -> dict[str, Any]:
    """The JSON the page draws: vis-network nodes and edges plus what the legend needs.

    Parameters
    ----------
    G : networkx.Graph or object with ``.nx``
    positions : mapping, optional
        ``node -> (x, y)``; default :func:`layout`.
    max_sentences : int
        Citing sentences kept per node (the total count is kept too).

    Returns
    -------
    dict
        ``{"nodes": [...], "edges": [...], "types": [...], "relations": [...], "levels": [...]}``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("x", label="33/CT-TTg", level="central", system="state", type_code="CT", cited_by=1)
    >>> G.add_node("y", label="294/KH-VP", level="province", system="state", type_code="KH")
    >>> _ = G.add_edge("y", "x", rel="implements", sentence="Thực hiện Chỉ thị số 33/CT-TTg")
    >>> d = graph_data(G)
    >>> [n["label"] for n in d["nodes"]], d["edges"][0]["rel"]
    (['33/CT-TTg', '294/KH-VP'], 'implements')
    >>> d["nodes"][0]["info"]["sentences"][0]["sentence"]
    'Thực hiện Chỉ thị số 33/CT-TTg'
    """
    g = _nx_graph(G)
    pos = layout(g) if positions is None else positions
    shades = _type_shades(g)
    ids = {v: i for i, v in enumerate(g.nodes)}
    nodes: list[dict[str, Any]] = []
    for v, a in g.nodes(data=True):
        system = _system(a)
        code = _text(a.get("type_code")) or "?"
        cited = a.get("cited_by")
        if not isinstance(cited, (int, float)):
            cited = g.in_degree(v) if g.is_directed() else g.degree(v)
        sentences = _citing_sentences(g, v)
        label = _text(a.get("label") or a.get("symbol") or a.get("name")) or str(v)
        in_corpus = bool(a.get("sources")) or a.get("kind") == "document"
        x, y = pos.get(v, (0.0, 0.0))
        info = {
            "id": str(v),
            "kind": _text(a.get("kind")),
            "type": _text(a.get("type")),
            "type_code": _text(a.get("type_code")),
            "symbol": _text(a.get("symbol")),
            "name": _text(a.get("name")),
            "date": _text(a.get("date")) or _text(a.get("year")),
            "issuer": _text(a.get("issuer")),
            "jurisdiction": _text(a.get("jurisdiction")),
            "level": _text(a.get("level")),
            "system": _text(a.get("system")),
            "term": _text(a.get("term")),
            "cited_by": int(cited),
            "sources": [str(s) for s in (a.get("sources") or [])],
            "candidates": [str(c) for c in (a.get("candidates") or [])],
            "sentences": sentences[:max_sentences],
            "n_sentences": len(sentences),
        }
        nodes.append(
            {
                "id": ids[v],
                "label": _shorten(label, _LABEL_CHARS),
                "full_label": label,
                "x": round(float(x), 1),
                "y": round(float(y), 1),
                "size": round(8 + 5 * math.sqrt(max(0, cited)), 1),
                "shape": "square" if in_corpus else ("diamond" if a.get("kind") == "named" else "dot"),
                "color": {
                    "background": shades[(system, code)],
                    "border": _SYSTEM_BORDER[system],
                    "highlight": {"background": "#facc15", "border": "#000000"},
                },
                "borderWidth": 3 if in_corpus else 1,
                "group_system": system,
                "group_level": _level(a),
                "search": " ".join(
                    s for s in (label, info["symbol"], info["name"], info["type"], info["issuer"], str(v)) if s
                ),
                "info": info,
            }
        )
    edges: list[dict[str, Any]] = []
    data_iter = g.edges(keys=True, data=True) if g.is_multigraph() else ((u, w, None, e) for u, w, e in g.edges(data=True))
    for i, (u, w, _k, e) in enumerate(data_iter):
        rel = _text(e.get("rel")) or "cites"
        colour, dashes, width = RELATION_STYLES.get(rel, RELATION_STYLES["cites"])
        edges.append(
            {
                "id": i,
                "from": ids[u],
                "to": ids[w],
                "rel": rel,
                "color": {"color": colour, "highlight": "#000000"},
                "dashes": dashes,
                "width": width,
                "info": {
                    "rel": rel,
                    "cue": _text(e.get("cue")),
                    "source": _text(e.get("source")),
                    "sentence": _shorten(_text(e.get("sentence"))),
                },
            }
        )
    types = sorted(
        ({"system": s, "code": c, "color": col} for (s, c), col in shades.items()),
        key=lambda t: (t["system"], t["code"]),
    )
    relations = sorted({e["rel"] for e in edges})
    levels = []
    for lv in LEVELS:
        ys = [nd["y"] for nd in nodes if nd["group_level"] == lv]
        if ys:
            levels.append({"level": lv, "label": LEVEL_LABELS[lv], "y": min(ys), "count": len(ys)})
    return {"nodes": nodes, "edges": edges, "types": types, "relations": relations, "levels": levels}


# --------------------------------------------------------------------------- page


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the installed pyvis package (no network)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"), reverse=True)
    if not candidates:
        raise RuntimeError(f"vis-network.min.js not found under {lib}; is pyvis installed?")
    js_path = candidates[0]
    css_path = js_path.with_name("vis-network.css")
    js = js_path.read_text(encoding="utf-8")
    css = css_path.read_text(encoding="utf-8") if css_path.exists() else ""
    return js, css


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


def _legend_html(data: Mapping[str, Any]) -> str:
    esc = _html.escape
    parts = ['<div class="cg-legend-section"><b>System / type</b>']
    by_system: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for t in data["types"]:
        by_system[t["system"]].append(t)
    for system in ("party", "state", "other"):
        if system not in by_system:
            continue
        parts.append(
            f'<div class="cg-sys"><span class="cg-swatch" style="border:2px solid {_SYSTEM_BORDER[system]}"></span>'
            f"{esc(_SYSTEM_LABELS[system])}</div><div class=\"cg-types\">"
        )
        for t in by_system[system]:
            parts.append(
                f'<span class="cg-type"><span class="cg-swatch" style="background:{esc(t["color"])}"></span>'
                f'{esc(t["code"] if t["code"] != "?" else "no type")}</span>'
            )
        parts.append("</div>")
    parts.append("</div>")
    parts.append('<div class="cg-legend-section"><b>Relation (citing → cited)</b>')
    for rel in data["relations"]:
        colour, dashes, width = RELATION_STYLES.get(rel, RELATION_STYLES["cites"])
        dash = "" if not dashes else f' stroke-dasharray="{" ".join(str(d) for d in dashes)}"'
        parts.append(
            f'<div><svg width="44" height="10"><line x1="0" y1="5" x2="36" y2="5" stroke="{colour}" '
            f'stroke-width="{width}"{dash}/><polygon points="36,1 44,5 36,9" fill="{colour}"/></svg> '
            f"{esc(rel.replace('_', ' '))}</div>"
        )
    parts.append("</div>")
    parts.append(
        '<div class="cg-legend-section"><b>Shape</b>'
        "<div>■ document in the corpus</div><div>◆ named document (no number)</div>"
        "<div>● cited document</div><div>size: number of citing edges</div></div>"
    )
    return "".join(parts)


_CSS = """
html,body{margin:0;height:100%;font:13px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111}
#cg-app{display:flex;height:100%}
#cg-side{width:300px;min-width:220px;overflow:auto;border-right:1px solid #ddd;padding:8px 10px;box-sizing:border-box;background:#fafafa}
#cg-main{flex:1;position:relative}
#cg-network{position:absolute;inset:0}
#cg-side h1{font-size:15px;margin:0 0 6px}
#cg-side input[type=search]{width:100%;box-sizing:border-box;padding:4px}
.cg-legend-section{margin:8px 0}
.cg-swatch{display:inline-block;width:11px;height:11px;border-radius:6px;margin-right:4px;vertical-align:middle;box-sizing:border-box}
.cg-types{margin:2px 0 4px 14px}
.cg-type{display:inline-block;margin-right:8px;white-space:nowrap}
.cg-filters label{display:inline-block;margin-right:8px;white-space:nowrap}
#cg-details{margin-top:8px;border-top:1px solid #ddd;padding-top:6px;word-wrap:break-word}
#cg-details dt{font-weight:600;margin-top:3px}
#cg-details dd{margin:0 0 0 8px}
#cg-details blockquote,.cg-tip blockquote{margin:3px 0 3px 6px;padding-left:6px;border-left:3px solid #ccc;font-style:italic}
.cg-tip{max-width:420px;white-space:normal;font-size:12px}
.cg-tip .cg-tip-title{font-weight:700}
#cg-status{color:#555;margin:4px 0}
div.vis-tooltip{white-space:normal !important;max-width:440px}
"""

_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("citegraph-data").textContent);
  var opts = JSON.parse(document.getElementById("citegraph-options").textContent);
  var t0 = performance.now();
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ\u00d0]/g, "d").toLowerCase();
  }
  var FIELDS = [["type", "Type"], ["symbol", "Symbol"], ["name", "Name"], ["date", "Date"],
    ["issuer", "Issuer"], ["jurisdiction", "Jurisdiction"], ["term", "Term"]];
  function tooltip(info, label) {
    var d = el("div", null, "cg-tip");
    d.appendChild(el("div", label, "cg-tip-title"));
    FIELDS.forEach(function (f) {
      if (info[f[0]]) d.appendChild(el("div", f[1] + ": " + info[f[0]]));
    });
    d.appendChild(el("div", "Cited by: " + info.cited_by));
    if (info.candidates.length) d.appendChild(el("div", "Uncertain: " + info.candidates.length + " candidates"));
    info.sentences.forEach(function (s) {
      var q = el("blockquote", s.sentence);
      if (s.source) q.title = s.source;
      d.appendChild(q);
    });
    if (info.n_sentences > info.sentences.length)
      d.appendChild(el("div", "… " + (info.n_sentences - info.sentences.length) + " more citing sentences"));
    return d;
  }
  function edgeTip(info) {
    var d = el("div", null, "cg-tip");
    d.appendChild(el("div", info.rel.replace("_", " ") + (info.cue ? " (“" + info.cue + "”)" : ""), "cg-tip-title"));
    if (info.source) d.appendChild(el("div", "stated in " + info.source));
    if (info.sentence) d.appendChild(el("blockquote", info.sentence));
    return d;
  }
  var byId = {};
  data.nodes.forEach(function (n) {
    n.title = tooltip(n.info, n.full_label);
    if (opts.physics) n.fixed = {x: false, y: true};
    byId[n.id] = n;
  });
  data.edges.forEach(function (e) { e.title = edgeTip(e.info); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var big = data.nodes.length > opts.physics_threshold;
  var options = {
    autoResize: true,
    layout: {improvedLayout: false, randomSeed: 1},
    physics: opts.physics ? {enabled: true, solver: "barnesHut",
      barnesHut: {gravitationalConstant: -6000, centralGravity: 0.01, springLength: 200,
        springConstant: 0.01, avoidOverlap: 1},
      stabilization: {enabled: true, iterations: 150, fit: true}} : {enabled: false},
    nodes: {font: {size: 12, face: "system-ui, sans-serif"}, scaling: {label: {drawThreshold: 6}}},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.5}},
      smooth: big ? false : {enabled: true, type: "curvedCW", roundness: 0.12}},
    interaction: {hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
      navigationButtons: false, keyboard: false, multiselect: true}
  };
  var container = document.getElementById("cg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  // Leave room above the top band for its title.
  network.fit({animation: false});
  var sc = network.getScale() * 0.94, c = network.getViewPosition();
  network.moveTo({scale: sc, position: {x: c.x, y: c.y - 24 / sc}, animation: false});
  var state = {network: network, nodes: nodes, edges: edges, data: data, ready: false, firstDrawMs: null};
  window.citegraph = state;

  network.on("afterDrawing", function (ctx) {
    // Band titles, on a white ground, keep a constant size on screen whatever the zoom.
    var s = network.getScale() || 1;
    ctx.save();
    ctx.font = "bold " + (16 / s) + "px system-ui, sans-serif";
    data.levels.forEach(function (lv) {
      var text = lv.label + " (" + lv.count + ")", y = lv.y - 30 / s;
      var w = ctx.measureText(text).width;
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(opts.band_left - 4 / s, y - 16 / s, w + 8 / s, 21 / s);
      ctx.fillStyle = "#4b5563";
      ctx.fillText(text, opts.band_left, y);
    });
    ctx.restore();
  });
  network.once("afterDrawing", function () {
    state.firstDrawMs = performance.now() - t0;
    state.ready = true;
    document.body.setAttribute("data-cg-ready", "1");
    status();
  });

  // ---- filters and search
  var hiddenSystem = {}, hiddenLevel = {}, hiddenRel = {}, lineage = null, matches = null;
  function status(msg) {
    var shown = nodes.get({filter: function (n) { return !n.hidden; }}).length;
    document.getElementById("cg-status").textContent =
      (msg ? msg + " · " : "") + shown + " of " + data.nodes.length + " documents shown";
  }
  function visible(n) {
    if (hiddenSystem[n.group_system] || hiddenLevel[n.group_level]) return false;
    if (lineage && !lineage[n.id]) return false;
    if (matches && document.getElementById("cg-only").checked && !matches[n.id]) return false;
    return true;
  }
  function apply() {
    var upd = [];
    data.nodes.forEach(function (n) {
      var h = !visible(n);
      if (!!n.hidden !== h) { n.hidden = h; upd.push({id: n.id, hidden: h}); }
    });
    if (upd.length) nodes.update(upd);
    var eupd = [];
    data.edges.forEach(function (e) {
      var h = !!hiddenRel[e.rel];
      if (!!e.hidden !== h) { e.hidden = h; eupd.push({id: e.id, hidden: h}); }
    });
    if (eupd.length) edges.update(eupd);
    status();
  }
  function checkbox(parent, text, onchange) {
    var lab = el("label");
    var cb = document.createElement("input");
    cb.type = "checkbox"; cb.checked = true;
    cb.addEventListener("change", function () { onchange(!cb.checked); apply(); });
    lab.appendChild(cb); lab.appendChild(document.createTextNode(" " + text));
    parent.appendChild(lab);
  }
  var fs = document.getElementById("cg-filter-system");
  ["party", "state", "other"].forEach(function (s) {
    if (data.nodes.some(function (n) { return n.group_system === s; }))
      checkbox(fs, opts.system_labels[s], function (h) { hiddenSystem[s] = h; });
  });
  var fl = document.getElementById("cg-filter-level");
  data.levels.forEach(function (lv) {
    checkbox(fl, lv.level, function (h) { hiddenLevel[lv.level] = h; });
  });
  var fr = document.getElementById("cg-filter-rel");
  data.relations.forEach(function (r) {
    checkbox(fr, r.replace("_", " "), function (h) { hiddenRel[r] = h; });
  });
  var folded = data.nodes.map(function (n) { return fold(n.search); });
  function search(q) {
    q = fold(q).trim();
    if (!q) { matches = null; network.unselectAll(); apply(); return []; }
    var ids = [];
    matches = {};
    data.nodes.forEach(function (n, i) { if (folded[i].indexOf(q) >= 0) { ids.push(n.id); matches[n.id] = true; } });
    apply();
    var shown = ids.filter(function (id) { return !byId[id].hidden; });
    network.selectNodes(shown);
    if (shown.length === 1) { network.focus(shown[0], {scale: 1.2, animation: false}); details(shown[0]); }
    else if (shown.length > 1) network.fit({nodes: shown, animation: false});
    status(ids.length + " match" + (ids.length === 1 ? "" : "es"));
    return ids;
  }
  state.search = search;
  var box = document.getElementById("cg-search");
  box.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(box.value); });
  box.addEventListener("search", function () { search(box.value); });
  document.getElementById("cg-only").addEventListener("change", function () { apply(); });

  // ---- details and lineage
  function walk(start, forward) {
    var seen = {}, stack = [start];
    seen[start] = true;
    while (stack.length) {
      var v = stack.pop();
      var next = network.getConnectedNodes(v, forward ? "to" : "from");
      next.forEach(function (w) { if (!seen[w]) { seen[w] = true; stack.push(w); } });
    }
    return seen;
  }
  function lineageOf(id) {
    var up = walk(id, true), down = walk(id, false), all = {};
    Object.keys(up).forEach(function (k) { all[k] = true; });
    Object.keys(down).forEach(function (k) { all[k] = true; });
    return all;
  }
  state.lineageOf = lineageOf;
  function details(id) {
    var n = byId[id], box = document.getElementById("cg-details");
    box.textContent = "";
    if (!n) return;
    box.appendChild(el("h2", n.full_label));
    var dl = el("dl");
    FIELDS.concat([["level", "Level"], ["kind", "Kind"], ["id", "Identity"]]).forEach(function (f) {
      if (n.info[f[0]]) { dl.appendChild(el("dt", f[1])); dl.appendChild(el("dd", n.info[f[0]])); }
    });
    dl.appendChild(el("dt", "Cited by")); dl.appendChild(el("dd", n.info.cited_by));
    if (n.info.sources.length) { dl.appendChild(el("dt", "Corpus files")); dl.appendChild(el("dd", n.info.sources.join(", "))); }
    if (n.info.candidates.length) { dl.appendChild(el("dt", "Candidates")); dl.appendChild(el("dd", n.info.candidates.join(" | "))); }
    box.appendChild(dl);
    if (n.info.sentences.length) box.appendChild(el("b", "Cited in"));
    n.info.sentences.forEach(function (s) {
      var q = el("blockquote", s.sentence);
      box.appendChild(q);
      if (s.source) box.appendChild(el("div", "— " + s.source + (s.rel ? " (" + s.rel.replace("_", " ") + ")" : "")));
    });
  }
  network.on("click", function (p) {
    if (p.nodes.length) {
      details(p.nodes[0]);
      if (document.getElementById("cg-lineage").checked) { lineage = lineageOf(p.nodes[0]); apply(); }
    }
  });
  document.getElementById("cg-lineage").addEventListener("change", function (ev) {
    if (!ev.target.checked) { lineage = null; apply(); }
    else { var sel = network.getSelectedNodes(); if (sel.length) { lineage = lineageOf(sel[0]); apply(); } }
  });
  document.getElementById("cg-reset").addEventListener("click", function () {
    lineage = null; matches = null; box.value = "";
    document.getElementById("cg-lineage").checked = false;
    apply(); network.unselectAll(); network.fit({animation: false});
  });
  status();
})();
"""


def render_html(
    G: Any,
    *,
    title: str | None = None,
    physics: bool | None = None,
    physics_threshold: int = 300,
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
    """
    g = _nx_graph(G)
    n = g.number_of_nodes()
    use_physics = (n <= physics_threshold) if physics is None else bool(physics)
    data = graph_data(g, positions=positions, max_sentences=max_sentences)
    xs = [nd["x"] for nd in data["nodes"]] or [0.0]
    options = {
        "physics": use_physics,
        "physics_threshold": physics_threshold,
        "band_left": min(xs) - 40,
        "system_labels": _SYSTEM_LABELS,
    }
    js, css = _vis_assets()
    page_title = title or f"Citation graph: {n} documents, {g.number_of_edges()} citations"
    esc = _html.escape
    return "".join(
        [
            "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n",
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            # No request may leave the page: forbid every fetch but inline code and data: images.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:\">\n",
            f"<title>{esc(page_title)}</title>\n",
            f"<style>\n{css}\n</style>\n<style>{_CSS}</style>\n</head>\n<body>\n",
            '<div id="cg-app"><div id="cg-side">',
            f"<h1>{esc(page_title)}</h1>",
            '<input type="search" id="cg-search" placeholder="Search symbol or name, then Enter" '
            'aria-label="Search by symbol or name">',
            '<div><label><input type="checkbox" id="cg-only"> show only matches</label> ',
            '<label><input type="checkbox" id="cg-lineage"> lineage of clicked node</label> ',
            '<button type="button" id="cg-reset">reset</button></div>',
            '<div id="cg-status"></div>',
            '<div class="cg-filters"><b>Filter</b><div id="cg-filter-system"></div>'
            '<div id="cg-filter-level"></div><div id="cg-filter-rel"></div></div>',
            f'<div id="cg-legend">{_legend_html(data)}</div>',
            '<div id="cg-details"><i>Click a document for its details and the sentences citing it.</i></div>',
            '</div><div id="cg-main"><div id="cg-network"></div></div></div>\n',
            f'<script type="application/json" id="citegraph-data">{_json_for_script(data)}</script>\n',
            f'<script type="application/json" id="citegraph-options">{_json_for_script(options)}</script>\n',
            f"<script>\n{_inline_script(js)}\n</script>\n",
            f"<script>{_inline_script(_JS)}</script>\n",
            "</body>\n</html>\n",
        ]
    )


def to_html(
    G: Any,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    physics: bool | None = None,
    physics_threshold: int = 300,
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
    physics : bool, optional
        Let vis-network spread nodes sideways (``y`` stays on the level bands). Default: on up to
        ``physics_threshold`` nodes, off above (then the Python layout is drawn as is: 5,000
        nodes draw in a couple of seconds).
    physics_threshold : int
        Node count above which physics is off by default.
    max_sentences : int
        Citing sentences shown per document in its tooltip and details.
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
    >>> "114-KL/TW" in page and "vis.Network" in page and 'src="http' not in page
    True
    """
    page = render_html(
        G,
        title=title,
        physics=physics,
        physics_threshold=physics_threshold,
        max_sentences=max_sentences,
        positions=positions,
    )
    path = Path(path)
    with atomic_open(path, "w") as f:
        f.write(page)
    return path
