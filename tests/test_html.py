"""The offline HTML page: content, layout, escaping, strings, and drawing in headless Chromium with no network.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), inside
``unshare -n`` (no network namespace) when available: every request the page makes is recorded
(``Network.requestWillBeSent``), the page is asked what it shows (``window.citegraph.stats()``), and a
screenshot is checked for drawn pixels. The browser tests are skipped only if no Chromium binary
is found (``make test`` installs it with apt). The page at 5,000 documents is tested in
``test_html_corpus.py``.
"""
from __future__ import annotations

import base64
import io
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import citegraph
from citegraph.graph.model import AmbiguousDocument, UnknownDocument
from citegraph.outputs.html import (
    CITES_THRESHOLD,
    LANGUAGES,
    graph_data,
    layout,
    province_matrix,
    province_of,
    render_html,
    strings,
    to_html,
)

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (install: apt-get install chromium)")
ASSETS = Path(citegraph.__file__).parent / "outputs" / "assets"
# --------------------------------------------------------------------------- graphs


def contract_graph() -> nx.MultiDiGraph:
    """A tiny literal graph with the CONTRACTS.md attributes (a commune plan and its grounds)."""
    G = nx.MultiDiGraph()
    G.add_node(
        "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114",
        label="114-KL/TW", kind="numbered", type="Kết luận", type_code="KL", symbol="114-KL/TW",
        number="114", year=2015, date="2015-07-14", issuer="Ban Bí thư", jurisdiction="central",
        level="central", system="party", term="XI", sources=[], cited_by=2, candidates=[],
        mentions=[{"source": "004.txt", "start": 10, "end": 30, "text": "Kết luận số 114-KL/TW",
                   "sentence": "Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư"}],
    )
    G.add_node(
        "https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33",
        label="33/CT-TTg", kind="numbered", type="Chỉ thị", type_code="CT", symbol="33/CT-TTg",
        number="33", year=2021, date="2021-11-26", issuer="Thủ tướng Chính phủ", jurisdiction="central",
        level="central", system="state", sources=[], cited_by=1, mentions=[], candidates=[],
    )
    G.add_node(
        "https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114",
        label="114/KH-UBND", kind="numbered", type="Kế hoạch", type_code="KH", symbol="114/KH-UBND",
        number="114", year=2024, date="2024-04-10", issuer="UBND huyện Hớn Quản",
        jurisdiction="huyện Hớn Quản, tỉnh Bình Phước", level="district", system="state",
        sources=[], cited_by=1, mentions=[], candidates=[],
    )
    G.add_node(
        "https://w3id.org/citegraph/id/doc/68e3b3ec1d53f4cc",
        label="Kế hoạch (xã)", kind="document", type="Kế hoạch", type_code="KH", level="commune",
        system="state", jurisdiction="xã Tân Hưng, huyện Hớn Quản, tỉnh Bình Phước",
        sources=["corpus/004_68e3b3ec1d53f4cc.txt"], cited_by=0, mentions=[], candidates=[],
    )
    G.add_node(
        "https://w3id.org/citegraph/id/state/central/law/thuc-hien-dan-chu-o-co-so",
        label="Luật Thực hiện dân chủ ở cơ sở", kind="named", type="Luật", name="Luật Thực hiện dân chủ ở cơ sở",
        level="central", system="state", jurisdiction="central", cited_by=1, sources=[], mentions=[], candidates=[],
    )
    doc = "https://w3id.org/citegraph/id/doc/68e3b3ec1d53f4cc"
    G.add_edge(doc, "https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114",
               rel="implements", cue="Thực hiện", source="corpus/004.txt", start=0, end=30,
               sentence="Thực hiện Kế hoạch số 114/KH-UBND ngày 10/4/2024 của UBND huyện")
    G.add_edge(doc, "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114", rel="cites",
               source="corpus/004.txt", sentence="quán triệt Kết luận số 114-KL/TW ngày 14/7/2015")
    G.add_edge(doc, "https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33", rel="cites",
               source="corpus/004.txt", sentence="Chỉ thị số 33/CT-TTg ngày 26/11/2021")
    G.add_edge(doc, "https://w3id.org/citegraph/id/state/central/law/thuc-hien-dan-chu-o-co-so", rel="cites",
               source="corpus/004.txt", sentence="Luật Thực hiện dân chủ ở cơ sở")
    G.add_edge("https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114",
               "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114", rel="based_on", cue="Căn cứ",
               source="x.txt", sentence="Căn cứ Kết luận số 114-KL/TW")
    return G


def synthetic_graph(n: int, seed: int = 7) -> nx.MultiDiGraph:
    """``n`` documents spread over levels and provinces, each lower one citing one or two above."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    provinces = [f"tỉnh P{i}" for i in range(20)]
    counts = {"central": max(5, n // 20), "province": n // 4, "district": n // 3}
    counts["commune"] = n - sum(counts.values())
    by_level: dict[str, list[str]] = {}
    k = 0
    for level, c in counts.items():
        by_level[level] = []
        for _ in range(c):
            k += 1
            system = rng.choice(["party", "state"])
            code = rng.choice(["NQ", "CT", "KH", "KL", "QĐ"])
            sym = f"{k}-{code}/TW" if system == "party" else f"{k}/{code}-UBND"
            jur = "central" if level == "central" else rng.choice(provinces)
            if level in ("district", "commune"):
                jur = f"huyện H{k % 7}, {jur}"
            nid = f"https://w3id.org/citegraph/id/{system}/{level}/{k}"
            G.add_node(nid, label=sym, symbol=sym, kind="numbered", type_code=code, level=level,
                       system=system, jurisdiction=jur, year=2000 + k % 25, cited_by=0,
                       sources=[f"f{k}.txt"] if level != "central" else [], mentions=[], candidates=[])
            by_level[level].append(nid)
    order = ["central", "province", "district", "commune"]
    for i, level in enumerate(order[1:], start=1):
        above = [v for lv in order[:i] for v in by_level[lv]]
        for v in by_level[level]:
            for w in rng.sample(above, k=min(len(above), rng.choice([1, 2]))):
                G.add_edge(v, w, rel=rng.choice(["implements", "based_on", "cites"]),
                           sentence=f"Thực hiện {G.nodes[w]['label']}", source=G.nodes[v]["sources"][0])
                G.nodes[w]["cited_by"] += 1
    return G


# --------------------------------------------------------------------------- page content


EXTERNAL = re.compile(r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
CSS_URL = re.compile(r"""url\(\s*(?!["']?data:)""", re.I)
IMPORT = re.compile(r"""@import|import\s*\(\s*["']https?:""", re.I)


def assert_no_external_reference(page: str) -> None:
    assert not EXTERNAL.findall(page), EXTERNAL.findall(page)[:5]
    styles = " ".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert styles and not CSS_URL.findall(styles), "a CSS url() that is not a data: URI"
    assert not IMPORT.search(page)
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")  # the SVG namespace is a name, not a fetch


def page_data(page: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="citegraph-data">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_page_is_self_contained_and_holds_the_graph(tmp_path: Path) -> None:
    out = to_html(contract_graph(), tmp_path / "g.html", title="Lineage of the commune plan")
    page = out.read_text(encoding="utf-8")
    assert_no_external_reference(page)
    assert "<title>Lineage of the commune plan</title>" in page and '<html lang="vi">' in page
    for label in ("114-KL/TW", "33/CT-TTg", "114/KH-UBND"):
        assert label in page
    for asset in ("page.js", "page.css", "page.html"):  # inlined, not linked
        assert (ASSETS / asset).read_text(encoding="utf-8").strip()[:200] in page
    d = page_data(page)
    assert d["relations"] == ["based_on", "implements", "cites"]  # only those present, in style order
    assert {p["system"] for p in d["palette"]} == {"party", "state", "other"} - {"other"}
    assert d["options"] == {"lang": "vi", "title": "Lineage of the commune plan", "cites_hidden": False,
                            "lineage": None, "view": "graph"}


def test_default_title_and_language(tmp_path: Path) -> None:
    G = contract_graph()
    assert "<title>Đồ thị trích dẫn: 5 văn bản, 5 trích dẫn</title>" in render_html(G)
    en = render_html(G, lang="en")
    assert "<title>Citation graph: 5 documents, 5 citations</title>" in en and '<html lang="en">' in en
    with pytest.raises(ValueError, match="lang must be one of vi, en"):
        render_html(G, lang="fr")
    with pytest.raises(ValueError, match="view must be"):
        render_html(G, view="table")


def test_cites_hidden_by_default_above_the_threshold() -> None:
    small = page_data(render_html(contract_graph()))
    assert small["options"]["cites_hidden"] is False
    big = synthetic_graph(1200)
    assert big.number_of_edges() > CITES_THRESHOLD
    assert page_data(render_html(big))["options"]["cites_hidden"] is True
    assert page_data(render_html(big, show_cites=True))["options"]["cites_hidden"] is False
    assert page_data(render_html(contract_graph(), show_cites=False))["options"]["cites_hidden"] is True


def test_lineage_option_resolves_a_symbol_and_says_when_it_cannot() -> None:
    G = contract_graph()
    d = page_data(render_html(G, lineage="114-KL/TW"))
    assert d["nodes"][d["options"]["lineage"]]["label"] == "114-KL/TW"
    with pytest.raises(UnknownDocument):
        render_html(G, lineage="999/XX-YY")
    G.add_node("other-114", label="114-KL/TW", symbol="114-KL/TW")
    with pytest.raises(AmbiguousDocument):
        render_html(G, lineage="114-KL/TW")


def test_accepts_object_with_nx_attribute(tmp_path: Path) -> None:
    class Holder:
        def __init__(self, g: nx.MultiDiGraph) -> None:
            self.nx = g

    page = to_html(Holder(contract_graph()), tmp_path / "h.html").read_text(encoding="utf-8")
    assert "33/CT-TTg" in page
    with pytest.raises(TypeError):
        render_html(object())


def test_layout_central_on_top_then_province_blocks() -> None:
    G = contract_graph()
    pos = layout(G)
    ys = {G.nodes[v]["level"]: y for v, (x, y) in pos.items()}
    assert ys["central"] < ys["district"] < ys["commune"]
    big = synthetic_graph(600)
    p = layout(big)
    assert len(set(p.values())) == big.number_of_nodes()  # every node its own place
    central_bottom = max(y for v, (x, y) in p.items() if big.nodes[v]["level"] == "central")
    assert all(y > central_bottom for v, (x, y) in p.items() if big.nodes[v]["level"] != "central")
    # inside each province, the levels go down; the blocks of two provinces never overlap
    order = ["province", "district", "commune"]
    boxes: dict[str, list[float]] = {}
    for prov in {province_of(a) for _, a in big.nodes(data=True)} - {None}:
        members = [v for v, a in big.nodes(data=True) if province_of(a) == prov]
        by_level = {lv: [p[v][1] for v in members if big.nodes[v]["level"] == lv] for lv in order}
        present = [lv for lv in order if by_level[lv]]
        for upper, lower in zip(present, present[1:]):
            assert max(by_level[upper]) < min(by_level[lower]), (prov, upper, lower)
        xs, ys2 = [p[v][0] for v in members], [p[v][1] for v in members]
        boxes[prov] = [min(xs), min(ys2), max(xs), max(ys2)]
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            A, B = boxes[a], boxes[b]
            assert A[2] < B[0] or B[2] < A[0] or A[3] < B[1] or B[3] < A[1], (a, b)
    # the drawing is wider than tall, not a strip
    xs = [x for x, _ in p.values()]
    ys3 = [y for _, y in p.values()]
    assert 0.8 < (max(xs) - min(xs)) / (max(ys3) - min(ys3)) < 3


def test_graph_data_styles_and_tables() -> None:
    d = graph_data(contract_graph())
    nodes = {n["label"]: n for n in d["nodes"]}
    border = {s: c for s, c in d["borders"].items()}
    assert border[nodes["114-KL/TW"]["system"]] != border[nodes["33/CT-TTg"]["system"]]  # party vs state
    assert nodes["114-KL/TW"]["r"] > nodes["Kế hoạch (xã)"]["r"]  # cited vs not cited
    assert nodes["Kế hoạch (xã)"]["shape"] == "s" and nodes["Kế hoạch (xã)"]["corpus"] == 1  # in the corpus
    assert nodes["Luật Thực hiện dân chủ ở cơ sở"]["shape"] == "d"  # named
    assert nodes["33/CT-TTg"]["shape"] == "o"
    assert d["provinces"] == [{"name": "Bình Phước", "count": 2}]
    assert nodes["114/KH-UBND"]["province"] == 0 and nodes["114-KL/TW"]["province"] == -1
    assert d["issuers"][nodes["114-KL/TW"]["issuer"]]["name"] == "Ban Bí thư"
    assert d["types"][nodes["114-KL/TW"]["type"]]["name"] == "Kết luận"
    info = nodes["114-KL/TW"]["info"]
    assert info["date"] == "2015-07-14" and "mentions" not in info  # cited by edges: their sentences
    ids = {n["label"]: i for i, n in enumerate(d["nodes"])}
    citing = [d["sentences"][e[3]] for e in d["edges"] if e[1] == ids["114-KL/TW"]]
    assert "quán triệt Kết luận số 114-KL/TW ngày 14/7/2015" in citing
    rels = {d["relations"][e[2]] for e in d["edges"]}
    assert rels == {"implements", "based_on", "cites"}
    styles = d["relation_styles"]
    assert styles["implements"][1] is False and styles["cites"][1]  # solid / dashed
    assert styles["implements"][0] != styles["cites"][0]
    # a document cited by no edge keeps its mention sentences
    G = contract_graph()
    v = "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114"
    G.remove_edges_from([(u, w) for u, w in G.in_edges(v)])
    n = next(n for n in graph_data(G)["nodes"] if n["label"] == "114-KL/TW")
    assert n["info"]["mentions"] == ["Kết luận số 114-KL/TW ngày 14/7/2015 của Ban Bí thư"]


def test_positions_given_are_drawn_as_given() -> None:
    G = contract_graph()
    pos = {v: (100.0 * i, -50.0) for i, v in enumerate(G.nodes)}
    d = graph_data(G, positions=pos)
    assert [(n["x"], n["y"]) for n in d["nodes"]] == list(pos.values())
    assert d["frames"] == []  # no province blocks to draw around someone else's layout
    assert len(graph_data(G)["frames"]) == 2  # the central band and Bình Phước


@pytest.mark.parametrize(
    "kind, label, drawn",
    [
        ("numbered", "33/CT-TTg", "33/CT-TTg"),
        # names differ at their end: cut in the middle, between words
        ("named", "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Bình Phước lần thứ XI", "Nghị quyết Đại… Phước lần thứ XI"),
        ("named", "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Bình Phước lần thứ XII", "Nghị quyết Đại… lần thứ XII"),
        # a title (a corpus document without a symbol) is read from its start
        ("document", "Thực hiện Kế hoạch số 16/KH-UBND ngày 02/3/2020 của Ủy ban nhân dân tỉnh",
         "Thực hiện Kế hoạch số 16/KH-UBN…"),
    ],
)
def test_long_labels_are_cut_where_they_differ(kind: str, label: str, drawn: str) -> None:
    G = nx.MultiDiGraph()
    G.add_node("a", label=label, kind=kind)
    assert graph_data(G)["nodes"][0]["label"] == drawn
    assert graph_data(G)["nodes"][0]["info"].get("full", label) == label  # the whole name stays for tooltips


def test_page_is_much_smaller_than_the_graph_it_holds() -> None:
    """Sentences and sources are stored once: 1,200 documents citing the same way stay small."""
    G = synthetic_graph(1200)
    page = render_html(G)
    assert len(page.encode()) < 1200 * 500, len(page.encode())


# --------------------------------------------------------------------------- provinces x central documents


@pytest.mark.parametrize(
    "attrs, expected",
    [
        ({"jurisdiction": "xã Tân Hưng, huyện Hớn Quản, tỉnh Bình Phước", "level": "commune"}, "Bình Phước"),
        ({"jurisdiction": "tỉnh Quảng Trị", "level": "province"}, "Quảng Trị"),
        ({"jurisdiction": "thành phố Hồ Chí Minh", "level": None}, "Hồ Chí Minh"),
        ({"jurisdiction": "central", "level": "central"}, None),
        # a central document is never filed under Hà Nội, whatever its header's place (issue 14, item 9)
        ({"jurisdiction": "tỉnh Hà Nội", "level": "central"}, None),
        ({"jurisdiction": None, "level": None}, None),
        ({"jurisdiction": "huyện Không Có", "level": "district"}, None),
    ],
)
def test_province_of(attrs: dict[str, Any], expected: str | None) -> None:
    assert province_of(attrs) == expected


def test_province_matrix_on_the_contract_graph() -> None:
    G = contract_graph()
    m = province_matrix(G)
    kl = "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114"
    district = "https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114"
    commune = "https://w3id.org/citegraph/id/doc/68e3b3ec1d53f4cc"
    assert m["provinces"] == ["Bình Phước"] and m["documents"] == [kl]
    cell = m["cells"][("Bình Phước", kl)]
    # the district plan rests on the Kết luận; the commune plan implements the district plan
    assert cell["documents"] == [district, commune]
    assert cell["first"] == "2024-04-10" and cell["first_document"] == district
    assert set(cell["lineage"]) == {district, commune}
    # "cites" is not implementing: 33/CT-TTg, only cited by the commune plan, has no cell
    assert not any(c.endswith("/33") for _, c in m["cells"])
    assert province_matrix(G, rels=["cites"])["documents"] != []


def test_province_matrix_does_not_walk_through_central_documents() -> None:
    G = nx.MultiDiGraph()
    G.add_node("law", level="central", jurisdiction="central")
    G.add_node("decree", level="central", jurisdiction="central")
    G.add_node("plan", level="province", jurisdiction="tỉnh Gia Lai", date="2020-01-02")
    G.add_edge("decree", "law", rel="implements")
    G.add_edge("plan", "decree", rel="implements")
    m = province_matrix(G)
    assert list(m["cells"]) == [("Gia Lai", "decree")]


def test_matrix_is_in_the_page_data() -> None:
    d = graph_data(contract_graph())
    labels = [n["label"] for n in d["nodes"]]
    assert [labels[c] for c in d["matrix"]["cols"]] == ["114-KL/TW"]
    (row, col, n, first, first_doc, docs, lineage), = d["matrix"]["cells"]
    assert (d["provinces"][row]["name"], labels[col], n, first, labels[first_doc]) == (
        "Bình Phước", "114-KL/TW", 2, "2024-04-10", "114/KH-UBND")


# --------------------------------------------------------------------------- strings


def test_strings_same_keys_in_every_language_and_every_key_used_exists() -> None:
    s = strings()
    assert sorted(s) == sorted(LANGUAGES)
    keys = set(s["vi"])
    for lang in LANGUAGES:
        assert set(s[lang]) == keys, (lang, set(s[lang]) ^ keys)
        assert all(v.strip() for v in s[lang].values())
    js = (ASSETS / "page.js").read_text(encoding="utf-8")
    html = (ASSETS / "page.html").read_text(encoding="utf-8")
    used = set(re.findall(r'\bt\("([a-z_]+)"\s*[,)]', js)) | set(re.findall(r'data-t="([a-z_]+)"', html))
    dynamic = {"level_" + x for x in ("central", "province", "district", "commune", "other")}
    dynamic |= {"system_" + x for x in ("party", "state", "other")}
    dynamic |= {"rel_" + x for x in ("based_on", "implements", "amends", "replaces", "repeals", "guides", "cites")}
    assert used - keys == set(), used - keys  # every string asked for exists
    literals = set(re.findall(r'"([a-z_]+)"', js)) | set(re.findall(r'data-t="([a-z_]+)"', html))
    assert keys - literals - dynamic == set(), keys - literals - dynamic  # and every string is used
    # placeholders agree between languages
    for k in keys:
        assert set(re.findall(r"\{\w+\}", s["vi"][k])) == set(re.findall(r"\{\w+\}", s["en"][k])), k
    assert s["vi"]["rel_implements"] == "thực hiện" and s["en"]["rel_implements"] == "implements"


def test_assets_are_package_data() -> None:
    """The page's files ship in a wheel: setup.cfg lists them and importlib.resources reads them."""
    import configparser
    from importlib import resources

    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).resolve().parent.parent / "setup.cfg", encoding="utf-8")
    patterns = [p.strip() for p in cfg["options.package_data"]["citegraph.outputs"].split(",")]
    for f in ASSETS.iterdir():
        assert any(Path(f.name).match(p.split("/")[-1]) for p in patterns), f.name
        assert (resources.files("citegraph.outputs") / "assets" / f.name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- escaping


HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> "quoted" \'single\' &amp; <!--'


def hostile_graph() -> nx.MultiDiGraph:
    G = contract_graph()
    v = "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114"
    G.nodes[v]["label"] = "114-KL/TW" + HOSTILE
    G.nodes[v]["issuer"] = HOSTILE
    G.nodes[v]["mentions"][0]["sentence"] = "Kết luận " + HOSTILE
    G.nodes[v]["jurisdiction"] = HOSTILE
    for _, _, e in G.edges(data=True):
        e["sentence"] = HOSTILE
    return G


def test_document_text_is_escaped(tmp_path: Path) -> None:
    page = render_html(hostile_graph(), title='T <script>alert("x")</script>')
    assert "window.__pwned" in page  # the text is there ...
    assert "<script>window.__pwned" not in page  # ... but never as markup
    assert "<img src=x" not in page
    assert "<!--" not in page.split("<script type=\"application/json\"", 1)[1]
    assert "<title>T &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>" in page
    data = page_data(page)  # the JSON payload round-trips to the original text
    assert any(data["issuers"][n["issuer"]]["name"] == HOSTILE for n in data["nodes"] if n["issuer"] >= 0)
    assert page.count("<script") == 3  # the data, the strings, our code
    assert "innerHTML" not in (ASSETS / "page.js").read_text(encoding="utf-8")  # text is only set as text


# --------------------------------------------------------------------------- Chromium over CDP


def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class Chromium:
    """Headless Chromium driven over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out)."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        assert CHROMIUM is not None
        self.profile = tempfile.mkdtemp(prefix="cg-chromium-")
        cmd_in_r, self._cmd_w = os.pipe()
        self._res_r, res_out_w = os.pipe()
        # Move the child's ends above 10 so that placing them on 3 and 4 cannot clobber them.
        cmd_in_r, res_out_w = (_high_fd(cmd_in_r), _high_fd(res_out_w))
        self.isolated = shutil.which("unshare") is not None and subprocess.run(
            ["unshare", "-n", "true"], capture_output=True
        ).returncode == 0
        args = [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
            "--disable-extensions", "--mute-audio", f"--user-data-dir={self.profile}",
            f"--window-size={width},{height}", "--remote-debugging-pipe",
            # Belt and braces: any request that still tried to leave would go to a dead proxy.
            "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
            "about:blank",
        ]
        if self.isolated:
            args = ["unshare", "-n", *args]
        # Chromium reads commands on fd 3 and answers on fd 4: let bash (dash takes one-digit fds
        # only) put the pipe ends there.
        wire = f'exec "$@" 3<&{cmd_in_r} 4>&{res_out_w} {cmd_in_r}<&- {res_out_w}>&-'
        self.proc = subprocess.Popen(
            [shutil.which("bash") or "bash", "-c", wire, "bash", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(cmd_in_r, res_out_w),
        )
        os.close(cmd_in_r)
        os.close(res_out_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable", session=True)

    def _send(self, msg: dict[str, Any]) -> None:
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")

    def _recv(self, timeout: float) -> dict[str, Any]:
        import select

        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._res_r], [], [], left)[0]:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self._res_r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, session: bool = False, timeout: float = 60, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        self._send(msg)
        while True:
            m = self._recv(timeout)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method: str, timeout: float = 60) -> dict[str, Any]:
        for e in self.events:
            if e.get("method") == method:
                return e
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = self._recv(deadline - time.monotonic())
            self.events.append(m)
            if m.get("method") == method:
                return m
        raise TimeoutError(method)

    def evaluate(self, expression: str) -> Any:
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def open(self, url: str, ready: str, timeout: float = 60) -> float:
        """Navigate and poll ``ready`` (a JS expression) until true; return the seconds it took."""
        t0 = time.monotonic()
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired", timeout)
        while not self.evaluate(ready):
            if time.monotonic() - t0 > timeout:
                raise TimeoutError(f"page not ready after {timeout} s")
            time.sleep(0.05)
        return time.monotonic() - t0

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", session=True, format="png")["data"])

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def exceptions(self) -> list[dict[str, Any]]:
        return [e["params"] for e in self.events if e.get("method") == "Runtime.exceptionThrown"]

    def close(self) -> None:
        try:
            self._send({"id": 10**6, "method": "Browser.close"})
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        finally:
            os.close(self._cmd_w)
            os.close(self._res_r)
            shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Any:
    if CHROMIUM is None:
        pytest.skip("no chromium binary on PATH (install: apt-get install chromium)")
    b = Chromium()
    yield b
    b.close()


READY = "!!(window.citegraph && window.citegraph.ready)"
SIDE = 330  # width of the side panel (page.css)


def drawn_fraction(png: bytes, left: int = SIDE + 2, top: int = 40) -> float:
    """Share of coloured pixels (nodes and edges are red, blue, green) right of the side panel.

    Text, borders, frames and scroll bars are grey, black or pale and do not count: an empty page gives 0.
    """
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = img.size
    area = img.crop((left, top, w, h))
    px = area.tobytes()
    coloured = sum(1 for i in range(0, len(px), 3) if max(px[i:i + 3]) - min(px[i:i + 3]) > 60)
    return coloured / (area.size[0] * area.size[1])


def stats(browser: "Chromium") -> dict[str, Any]:
    return browser.evaluate("window.citegraph.stats()")


def render_in_browser(browser: "Chromium", G: nx.MultiDiGraph, path: Path, **kwargs: Any) -> dict[str, Any]:
    to_html(G, path, **kwargs)
    browser.events.clear()
    seconds = browser.open(path.as_uri(), READY, timeout=120)
    st = stats(browser)
    st["seconds"] = seconds
    st["firstDrawMs"] = browser.evaluate("window.citegraph.firstDrawMs")
    st["canvas"] = browser.evaluate("document.querySelectorAll('#cg-stage canvas').length")
    return st


def label_of(browser: "Chromium", label: str) -> int:
    i = browser.evaluate(f"window.citegraph.data.nodes.findIndex(n => n.label === {json.dumps(label)})")
    assert i >= 0, label
    return i


def overlapping(labels: list[dict[str, float]]) -> list[tuple[int, int]]:
    out = []
    for i, a in enumerate(labels):
        for j in range(i + 1, len(labels)):
            b = labels[j]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]:
                out.append((i, j))
    return out


@needs_chromium
def test_browser_draws_contract_graph_offline(browser: "Chromium", tmp_path: Path) -> None:
    G = contract_graph()
    st = render_in_browser(browser, G, tmp_path / "g.html")
    assert st["nodes"] == G.number_of_nodes() and st["edges"] == G.number_of_edges()
    assert st["canvas"] == 1 and st["lang"] == "vi" and st["citesShown"] is True
    png = browser.screenshot()
    assert drawn_fraction(png) > 0.002, "the network area is blank"
    assert browser.exceptions() == []
    urls = browser.requests()
    assert urls, "the navigation itself should be recorded"
    outside = [u for u in urls if not (u == (tmp_path / "g.html").as_uri() or u.startswith(("data:", "about:", "blob:")))]
    assert outside == []
    # every node carries a readable label at this size
    assert {lab["node"] for lab in st["labels"] if lab["node"] >= 0} == set(range(5))
    # search finds by symbol, accent-insensitively, and the lineage walks both ways
    assert browser.evaluate("window.citegraph.search('114-kl/tw').length") == 1
    assert browser.evaluate("window.citegraph.search('ke hoach').length") >= 2
    lineage = browser.evaluate(f"Object.keys(window.citegraph.lineageOf({label_of(browser, '114/KH-UBND')})).length")
    assert lineage == 3  # the district plan, the Kết luận it rests on, the commune plan implementing it


@needs_chromium
@pytest.mark.parametrize(
    "query, expected",
    [
        ("Ban Bí thư", {"114-KL/TW"}),  # issuer
        ("Hớn Quản", {"114/KH-UBND", "Kế hoạch (xã)"}),  # jurisdiction, district
        ("binh phuoc", {"114/KH-UBND", "Kế hoạch (xã)"}),  # province, no accents
        ("Thủ tướng", {"33/CT-TTg"}),
        ("dân chủ ở cơ sở", {"Luật Thực hiện dân chủ ở cơ sở"}),  # name
        ("không có gì như thế", set()),
    ],
)
def test_browser_search_covers_symbol_name_issuer_and_jurisdiction(
        browser: "Chromium", tmp_path: Path, query: str, expected: set[str]) -> None:
    render_in_browser(browser, contract_graph(), tmp_path / "s.html")
    found = browser.evaluate(f"window.citegraph.search({json.dumps(query)}).map(i => window.citegraph.data.nodes[i].label)")
    assert set(found) == expected
    st = stats(browser)
    assert st["nodes"] == len(expected)  # "show only matches" is on
    assert browser.evaluate("window.citegraph.timings.lastSearch") < 1000


@needs_chromium
def test_browser_escaping_keeps_script_as_text(browser: "Chromium", tmp_path: Path) -> None:
    st = render_in_browser(browser, hostile_graph(), tmp_path / "hostile.html")
    assert st["nodes"] == 5
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("document.scripts.length") == 3
    i = browser.evaluate("window.citegraph.data.nodes.findIndex(n => (n.info.full || n.label).startsWith('114-KL/TW'))")
    browser.evaluate(f"window.citegraph.select({i})")  # the details panel shows the text as text
    shown = browser.evaluate("document.getElementById('cg-details').textContent")
    assert "114-KL/TW" + HOSTILE in shown and HOSTILE in shown
    browser.evaluate("window.citegraph.setView('matrix')")  # the table too
    assert browser.evaluate("document.querySelectorAll('#cg-matrix script, #cg-matrix img').length") == 0
    assert browser.evaluate("window.__pwned === undefined")


@needs_chromium
def test_browser_empty_graph_draws_nothing(browser: "Chromium", tmp_path: Path) -> None:
    """Calibration: the screenshot check sees no drawing where there is none (so it can fail)."""
    st = render_in_browser(browser, nx.MultiDiGraph(), tmp_path / "empty.html")
    assert st["nodes"] == 0
    assert drawn_fraction(browser.screenshot()) == 0.0
    assert browser.exceptions() == []
    browser.evaluate("window.citegraph.setView('matrix')")
    assert "Chưa có văn bản trung ương" in browser.evaluate("document.getElementById('cg-matrix').textContent")


@needs_chromium
def test_browser_blocks_external_requests(browser: "Chromium", tmp_path: Path) -> None:
    """The harness can see a request leave: a page that asks for one is caught (so the test can fail)."""
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png"><script>window.citegraph={ready:true}</script></body></html>')
    browser.events.clear()
    browser.open(page.as_uri(), READY)
    time.sleep(0.3)
    assert any(u.startswith("http://example.invalid/") for u in browser.requests())


def test_public_api_exports() -> None:
    from citegraph.outputs.pyvis import to_pyvis

    assert citegraph.to_html is to_html and "to_html" in citegraph.__all__
    assert citegraph.to_pyvis is to_pyvis and "to_pyvis" in citegraph.__all__


CLICK = """(() => {{ const box = document.querySelector('input[data-filter="{f}"][data-value="{v}"]');
    box.click(); return box.checked; }})()"""


def select(browser: "Chromium", name: str, text_start: str) -> None:
    """Choose the option of a filter's select whose text starts with ``text_start``, as a user does."""
    browser.evaluate(f"""(() => {{ const s = document.getElementById('cg-f-{name}');
        const o = [...s.options].find(o => o.textContent.startsWith({json.dumps(text_start)}));
        s.value = o.value; s.dispatchEvent(new Event('change')); }})()""")


@needs_chromium
def test_browser_filters_hide_and_show(browser: "Chromium", tmp_path: Path) -> None:
    G = contract_graph()
    render_in_browser(browser, G, tmp_path / "f.html")
    # untick "Đảng": the one Party document disappears; tick it again: back
    assert browser.evaluate(CLICK.format(f="system", v="party")) is False
    assert stats(browser)["nodes"] == 4
    assert "4/5 văn bản" in browser.evaluate("document.getElementById('cg-status').textContent")
    assert browser.evaluate(CLICK.format(f="system", v="party")) is True
    assert stats(browser)["nodes"] == 5
    # level
    browser.evaluate(CLICK.format(f="level", v="commune"))
    assert stats(browser)["nodes"] == 4
    browser.evaluate(CLICK.format(f="level", v="commune"))
    # province: its documents and the central documents they link to
    select(browser, "province", "Bình Phước")
    shown = {G.nodes[list(G.nodes)[i]]["label"] for i in stats(browser)["shown"]}
    assert shown == {"114/KH-UBND", "Kế hoạch (xã)", "114-KL/TW", "33/CT-TTg", "Luật Thực hiện dân chủ ở cơ sở"}
    browser.evaluate(CLICK.format(f="rel", v="cites"))  # without "cites", only typed links keep central ones
    shown = {G.nodes[list(G.nodes)[i]]["label"] for i in stats(browser)["shown"]}
    assert shown == {"114/KH-UBND", "Kế hoạch (xã)", "114-KL/TW"}
    browser.evaluate(CLICK.format(f="rel", v="cites"))
    select(browser, "province", "Tất cả")
    # issuer and type
    select(browser, "issuer", "Thủ tướng Chính phủ")
    assert [G.nodes[list(G.nodes)[i]]["label"] for i in stats(browser)["shown"]] == ["33/CT-TTg"]
    select(browser, "issuer", "Tất cả")
    select(browser, "type", "Kế hoạch")
    assert len(stats(browser)["shown"]) == 2
    select(browser, "type", "Tất cả")
    # relation: edges only
    assert browser.evaluate(CLICK.format(f="rel", v="cites")) is False
    st = stats(browser)
    assert st["nodes"] == 5 and st["edges"] == 2
    # "show only matches" keeps the search results
    browser.evaluate("window.citegraph.search('33/CT-TTg').length")
    assert stats(browser)["nodes"] == 1
    browser.evaluate("document.getElementById('cg-only').click()")
    assert stats(browser)["nodes"] == 5
    browser.evaluate("window.citegraph.reset()")
    assert stats(browser)["nodes"] == 5 and stats(browser)["edges"] == 5
    assert browser.exceptions() == []


@needs_chromium
def test_browser_vietnamese_by_default_english_on_demand(browser: "Chromium", tmp_path: Path) -> None:
    render_in_browser(browser, contract_graph(), tmp_path / "lang.html")
    text = "document.getElementById('cg-side').textContent + document.getElementById('cg-tabs').textContent"
    vi = browser.evaluate(text)
    for word in ("Bộ lọc", "Tỉnh/thành", "Cơ quan ban hành", "Đảng", "Nhà nước", "thực hiện", "căn cứ", "Đồ thị"):
        assert word in vi, word
    assert "Filters" not in vi
    browser.evaluate("document.getElementById('cg-lang').click()")
    en = browser.evaluate(text)
    for word in ("Filters", "Province", "Issuer", "Party", "State", "implements", "based on", "Graph"):
        assert word in en, word
    assert "Bộ lọc" not in en
    assert browser.evaluate("document.documentElement.lang") == "en" and stats(browser)["lang"] == "en"
    assert browser.evaluate("document.title").startswith("Citation graph:")
    browser.evaluate("document.getElementById('cg-lang').click()")
    assert "Bộ lọc" in browser.evaluate(text)
    # the page can also open in English
    render_in_browser(browser, contract_graph(), tmp_path / "en.html", lang="en")
    assert "Filters" in browser.evaluate(text)


@needs_chromium
def test_browser_lineage_is_laid_out_apart_and_fits_the_view(browser: "Chromium", seed_graph: Any, seed_doc: Any,
                                                            tmp_path: Path) -> None:
    """The commune plan's lineage: central, district and commune documents, one band each, all on screen."""
    g = seed_graph.nx
    render_in_browser(browser, g, tmp_path / "seeds.html")
    doc = list(g.nodes).index(seed_doc("004"))
    n = browser.evaluate(f"window.citegraph.showLineage({doc})")
    st = stats(browser)
    assert st["lineage"] == n == st["nodes"] >= 3
    levels = {g.nodes[list(g.nodes)[i]].get("level") for i in st["shown"]}
    assert {"central", "district", "commune"} <= levels
    rect = browser.evaluate("(() => { const r = document.getElementById('cg-stage').getBoundingClientRect();"
                            " return [r.left, r.top, r.right, r.bottom]; })()")
    pts = [browser.evaluate(f"window.citegraph.nodeScreen({i})") for i in st["shown"]]
    assert all(rect[0] <= x <= rect[2] and rect[1] <= y <= rect[3] for x, y in pts)  # all of it in view
    xs, ys = [x for x, _ in pts], [y for _, y in pts]
    assert max(xs) - min(xs) > 0.3 * (rect[2] - rect[0]) or max(ys) - min(ys) > 0.3 * (rect[3] - rect[1])  # and big
    # levels read downwards
    by_level: dict[str, list[float]] = {}
    for i, (_, y) in zip(st["shown"], pts):
        by_level.setdefault(g.nodes[list(g.nodes)[i]].get("level") or "other", []).append(y)
    assert max(by_level["central"]) < min(by_level["district"]) < min(by_level["commune"])
    assert "Phả hệ của" in browser.evaluate("document.getElementById('cg-banner').textContent")
    assert not overlapping(st["labels"])
    browser.evaluate("document.querySelector('#cg-banner button').click()")  # back
    assert stats(browser)["lineage"] == 0 and stats(browser)["nodes"] == g.number_of_nodes()
    # the page can open on a lineage
    render_in_browser(browser, g, tmp_path / "seeds-l.html", lineage="114-KL/TW")
    assert stats(browser)["lineage"] > 1
    assert browser.exceptions() == []


@needs_chromium
def test_browser_matrix_cell_opens_the_lineage_in_that_province(browser: "Chromium", tmp_path: Path) -> None:
    render_in_browser(browser, contract_graph(), tmp_path / "m.html", view="matrix")
    assert stats(browser)["tab"] == "matrix"
    cells = browser.evaluate("[...document.querySelectorAll('#cg-matrix td.cg-hit')].map(td => [td.textContent, td.title])")
    assert cells == [["2024", "Bình Phước — 114-KL/TW: 2 văn bản, văn bản đầu tiên 114/KH-UBND ngày 10/04/2024. "
                              "Bấm để xem phả hệ."]]
    rows = browser.evaluate("[...document.querySelectorAll('#cg-matrix tbody th')].map(th => th.textContent)")
    assert rows == ["Bình Phước(1)"]
    browser.evaluate("document.querySelector('#cg-matrix td.cg-hit').click()")
    st = stats(browser)
    assert st["tab"] == "graph" and st["lineage"] == 3
    assert "114-KL/TW tại Bình Phước: 2 văn bản thực hiện" in browser.evaluate("document.getElementById('cg-banner').textContent")
    assert browser.exceptions() == []


@needs_chromium
def test_browser_labels_never_overlap_and_stay_readable_at_every_zoom(browser: "Chromium", tmp_path: Path) -> None:
    G = synthetic_graph(2000)
    render_in_browser(browser, G, tmp_path / "labels.html")
    counts = []
    for factor in (1, 2.5, 2.5, 2.5, 2.5):
        browser.evaluate(f"window.citegraph.zoom({factor})")
        labels = stats(browser)["labels"]
        assert labels, f"no label at zoom x{factor}"
        assert not overlapping(labels)
        assert min(lab["size"] for lab in labels) >= 11
        counts.append(sum(1 for lab in labels if lab["node"] >= 0))
    # zoomed out, only the most cited documents are named; zooming in names more of those on screen
    assert counts[0] <= 60 and max(counts[1:]) > counts[0]


@needs_chromium
def test_browser_show_iframe_draws(browser: "Chromium", tmp_path: Path) -> None:
    """What ``citegraph.show`` puts in a notebook (an iframe with srcdoc) draws, offline."""
    from citegraph.outputs.display import show

    page = tmp_path / "notebook.html"
    page.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{show(contract_graph(), height=700).data}</body></html>",
                    encoding="utf-8")
    browser.events.clear()
    browser.open(page.as_uri(), "document.readyState === 'complete'")
    deadline = time.monotonic() + 30
    fraction = 0.0
    # Five small nodes and their lines cover under 0.2 % of the area; an empty page gives 0 (calibrated above).
    while time.monotonic() < deadline and fraction <= 0.0008:
        time.sleep(0.3)
        fraction = drawn_fraction(browser.screenshot())
    assert fraction > 0.0008, "the iframe did not draw"
    assert [u for u in browser.requests() if not u.startswith(("file:", "about:", "data:"))] == []
    assert browser.exceptions() == []


@needs_chromium
def test_browser_tooltip_on_hover(browser: "Chromium", tmp_path: Path) -> None:
    render_in_browser(browser, hostile_graph(), tmp_path / "tip.html")
    i = browser.evaluate("window.citegraph.data.nodes.findIndex(n => (n.info.full || n.label).startsWith('114-KL/TW'))")
    x, y = browser.evaluate(f"window.citegraph.nodeScreen({i})")
    for dx in (6, 0):  # move onto the node
        browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x + dx, y=y)
    deadline = time.monotonic() + 5
    tip = ""
    while time.monotonic() < deadline and "Cơ quan" not in tip:
        time.sleep(0.1)
        tip = browser.evaluate("document.getElementById('cg-tip').hidden ? '' : document.getElementById('cg-tip').textContent")
    assert "Loại văn bản: Kết luận" in tip and "Ngày: 14/07/2015" in tip
    assert "Cơ quan ban hành: " + HOSTILE in tip  # shown as text ...
    assert browser.evaluate("document.querySelector('#cg-tip img, #cg-tip script')") is None  # ... not markup
    assert tip.count(HOSTILE) >= 3  # title, issuer and at least one citing sentence
    assert browser.evaluate("window.__pwned === undefined")
