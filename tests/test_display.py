"""Jupyter helpers: escaped tables for an extraction and a graph, the page inline in an iframe."""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import networkx as nx

import citegraph
from citegraph.outputs.display import extraction_html, graph_summary_html, show, table_html
from citegraph.outputs.html import render_html

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = '<script>alert("x")</script> "q" \'s\' & <b>'


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.attrs: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Collect:
    p = Collect()
    p.feed(page)
    return p


def test_extraction_html_on_the_commune_plan() -> None:
    ex = citegraph.extract(ROOT / "corpus" / "004_68e3b3ec1d53f4cc.txt")
    page = ex._repr_html_()
    assert page == extraction_html(ex)
    text = " ".join(parse(page).text)
    for r in ex.references:
        assert (r.symbol or r.name or "") in text
    assert f"{len(ex.references)} references" in text
    assert "implements" in text  # the relation stated for Kế hoạch 114/KH-UBND
    assert ex.document.jurisdiction and ex.document.jurisdiction in text


def test_extraction_html_escapes_text() -> None:
    ex = citegraph.Extraction(
        source=HOSTILE, text="", document=citegraph.Header(title=HOSTILE),
        references=[citegraph.Reference(kind="named", start=0, end=1, text=HOSTILE, name=HOSTILE)],
        warnings=[HOSTILE],
    )
    p = parse(extraction_html(ex))
    assert "script" not in p.tags and "b" in p.tags  # <b> only our own source line
    assert "".join(p.text).count('<script>alert("x")</script>') == 5  # source, title, text, name, warning


def test_table_html_lists_and_empty() -> None:
    p = parse(table_html([[["a", "<b>"], None, 3]], ["x", "y", "z"], caption="c"))
    assert p.tags.count("td") == 3 and "b" not in p.tags
    assert "".join(p.text) == "cxyza<b>—3"


def test_graph_summary_html_counts_and_ranking() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label="33/CT-TTg", level="central", system="state", cited_by=2)
    G.add_node("b", label="114-KL/TW", level="central", system="party", cited_by=1)
    G.add_node("c", label=HOSTILE, level="commune", system="state", cited_by=0, sources=["c.txt"], candidates=["x", "y"])
    G.add_node("d", label="247-KH/TU", level="province", system="party", sources=["d.txt"])
    G.add_edge("c", "a", rel="implements")
    G.add_edge("d", "a", rel="cites")
    G.add_edge("d", "b", rel="implements")
    p = parse(graph_summary_html(G, top=2))
    text = " ".join(p.text)
    assert "4 documents, 3 citations" in text and "2 source files" in text and "1 with uncertain identity" in text
    rows = "|".join(p.text)
    assert rows.index("33/CT-TTg") < rows.index("114-KL/TW")
    assert HOSTILE not in text  # top 2 only; c is cited by nobody
    assert "script" not in p.tags
    assert "implements|2" in rows and "cites|1" in rows


def test_show_puts_the_whole_page_in_srcdoc() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label=HOSTILE, level="central", system="state")
    frame = show(G, height=400, title="T")
    p = parse(frame.data)
    iframes = [a for t, a in p.attrs if t == "iframe"]
    assert len(iframes) == 1 and "script" not in p.tags
    assert iframes[0]["srcdoc"] == render_html(G, title="T")
    assert "height:400px" in (iframes[0]["style"] or "")
    assert iframes[0]["sandbox"] == "allow-scripts"
