"""``citegraph.to_pyvis``: a pyvis Network with the offline page's layout and colours, physics off."""
from __future__ import annotations

import json
from typing import Any

import networkx as nx
import pytest

import citegraph
from citegraph.outputs.html import RELATION_STYLES, graph_data, layout, node_styles
from test_html import contract_graph, hostile_graph, synthetic_graph

pyvis = pytest.importorskip("pyvis")


def test_same_layout_and_colours_as_the_page() -> None:
    G = contract_graph()
    net = citegraph.to_pyvis(G)
    assert isinstance(net, pyvis.network.Network) and net.directed
    pos, styles = layout(G), node_styles(G)
    page = graph_data(G)
    by_id = {n["id"]: n for n in net.nodes}
    assert set(by_id) == {str(v) for v in G.nodes}
    for i, v in enumerate(G.nodes):
        n = by_id[str(v)]
        assert (n["x"], n["y"]) == (round(pos[v][0], 1), round(pos[v][1], 1))
        assert (n["x"], n["y"]) == (page["nodes"][i]["x"], page["nodes"][i]["y"])  # as the page draws it
        assert n["color"]["background"] == page["palette"][page["nodes"][i]["color"]]["color"] == styles[v]["color"]
        assert n["color"]["border"] == page["borders"][page["nodes"][i]["system"]]
        assert n["shape"] == styles[v]["shape"] and n["size"] == styles[v]["radius"] == page["nodes"][i]["r"]
        assert n["physics"] is False
    shapes = {G.nodes[v]["label"]: by_id[str(v)]["shape"] for v in G.nodes}
    assert shapes["Kế hoạch (xã)"] == "square" and shapes["Luật Thực hiện dân chủ ở cơ sở"] == "diamond"
    assert shapes["33/CT-TTg"] == "dot"
    assert len(net.edges) == G.number_of_edges()
    for e in net.edges:
        rel = e["title"].split("\n")[0].replace(" ", "_")
        assert (e["color"], e["dashes"], e["width"]) == tuple(RELATION_STYLES[rel])
    assert net.options.physics.enabled is False


def test_the_pyvis_page_shows_the_graph_and_keeps_text_as_text() -> None:
    net = citegraph.to_pyvis(hostile_graph())
    html = net.generate_html()
    assert "114/KH-UBND" in html and '"physics": false' in html
    # tooltips are plain text: vis-network 9 shows a string title as text, never as markup
    titles = [n["title"] for n in net.nodes]
    assert all(isinstance(t, str) and "<br" not in t for t in titles)
    assert any("</script><script>window.__pwned=1" in t for t in titles)
    # and the page pyvis writes holds it escaped: the text cannot close the <script> it sits in
    assert "<script>window.__pwned" not in html and "\\u003cscript\\u003ewindow.__pwned" in html


def test_users_customise_with_pyvis() -> None:
    net = citegraph.to_pyvis(synthetic_graph(60), height="500px", select_menu=False, cdn_resources="remote")
    net.toggle_physics(True)  # pyvis's own API works on it
    assert net.options.physics.enabled is True and net.height == "500px"
    assert len(net.nodes) == 60


def test_bad_input_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="expected a networkx graph"):
        citegraph.to_pyvis(object())
    assert citegraph.to_pyvis(nx.MultiDiGraph()).nodes == []


def test_page_and_network_agree_on_a_built_graph(seed_graph: Any) -> None:
    net = citegraph.to_pyvis(seed_graph)
    d = graph_data(seed_graph)
    assert [n["id"] for n in net.nodes] == [str(v) for v in seed_graph.nx.nodes]
    assert [(n["x"], n["y"]) for n in net.nodes] == [(n["x"], n["y"]) for n in d["nodes"]]
    assert json.loads(net.options.to_json())["physics"]["enabled"] is False
