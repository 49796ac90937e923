"""The citation graph as a pyvis ``Network``, drawn as the offline page draws it, for notebook users.

:func:`to_pyvis` gives each node the position of :func:`citegraph.outputs.html.layout` (physics off,
so pyvis shows that layout as it is), the page's fill and border colours, shapes and sizes, and each
edge the colour, dash and width of its relation. Users then change what they like with pyvis's own
API (``net.toggle_physics(True)``, ``net.show_buttons()``, ``net.show("g.html", notebook=True)``).

pyvis pages load vis-network from a CDN (even ``cdn_resources="in_line"`` loads bootstrap from one):
the self-contained offline page of :func:`citegraph.to_html` stays the default export.
"""
from __future__ import annotations

from typing import Any

from citegraph.outputs.html import RELATION_STYLES, layout, node_styles
from citegraph.text.optional import require

__all__ = ["to_pyvis"]

_FIELDS = (("type", "Loại"), ("symbol", "Số ký hiệu"), ("date", "Ngày"), ("issuer", "Cơ quan ban hành"),
           ("jurisdiction", "Địa bàn"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _title(label: str, attrs: dict[str, Any], cited: int) -> str:
    """Plain-text tooltip: vis-network shows a string title as text, never as markup."""
    lines = [label]
    lines += [f"{name}: {_text(attrs.get(key))}" for key, name in _FIELDS if attrs.get(key)]
    lines.append(f"Được trích dẫn: {cited}")
    return "\n".join(lines)


def to_pyvis(G: Any, *, height: str = "750px", width: str = "100%", notebook: bool = False, **kwargs: Any) -> Any:
    """A ``pyvis.network.Network`` of ``G`` with the offline page's layout and colours.

    Parameters
    ----------
    G : networkx.MultiDiGraph or object with ``.nx`` (a ``CitationGraph``)
    height, width : str
        Size of the drawing (CSS).
    notebook : bool
        Passed to ``Network`` (``True`` to display in Jupyter with ``net.show(...)``).
    **kwargs
        Any other argument of ``pyvis.network.Network`` (``cdn_resources``, ``select_menu``, ...).

    Returns
    -------
    pyvis.network.Network
        Nodes with ``x``, ``y`` (pixels, ``y`` downwards), ``color`` (``background``, ``border``),
        ``shape``, ``size``, ``borderWidth``, ``label``, ``title``; directed edges with ``color``,
        ``dashes``, ``width``, ``title`` (the relation and the citing sentence); physics off.

    Raises
    ------
    ImportError
        :class:`citegraph.text.optional.MissingExtra` when pyvis is not installed (the message names the
        ``notebooks`` extra).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="114-KL/TW", level="central", system="party", type_code="KL")
    >>> G.add_node("b", label="247-KH/TU", level="province", system="party", jurisdiction="tỉnh Bình Phước")
    >>> _ = G.add_edge("b", "a", rel="implements")
    >>> net = to_pyvis(G)
    >>> [n["label"] for n in net.nodes], net.edges[0]["color"], net.options.physics.enabled
    (['114-KL/TW', '247-KH/TU'], '#15803d', False)
    """
    Network = require("pyvis.network", "citegraph.to_pyvis").Network
    g = getattr(G, "nx", G)
    pos = layout(g)
    styles = node_styles(g)
    net = Network(height=height, width=width, directed=True, notebook=notebook, **kwargs)
    for v, a in g.nodes(data=True):
        st = styles[v]
        x, y = pos[v]
        net.add_node(
            str(v),
            label=st["label"],
            title=_title(st["full_label"], dict(a), st["cited"]),
            x=round(float(x), 1),
            y=round(float(y), 1),
            color={"background": st["color"], "border": st["border"],
                   "highlight": {"background": "#facc15", "border": "#000000"}},
            shape=st["shape"],
            size=st["radius"],
            borderWidth=st["border_width"],
            physics=False,
        )
    for u, w, e in g.edges(data=True):
        rel = _text(e.get("rel")) or "cites"
        colour, dashes, wd = RELATION_STYLES.get(rel, RELATION_STYLES["cites"])
        sentence = " ".join(_text(e.get("sentence")).split())
        net.add_edge(str(u), str(w), color=colour, dashes=dashes, width=wd,
                     title=rel.replace("_", " ") + (f"\n{sentence}" if sentence else ""))
    net.toggle_physics(False)
    return net
