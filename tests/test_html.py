"""The offline HTML page: content, escaping, and drawing in a real headless Chromium with no network.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), inside
``unshare -n`` (no network namespace) when available: every request the page makes is recorded
(``Network.requestWillBeSent``), the vis network object is asked how many nodes it holds, and a
screenshot is checked for drawn pixels. The browser tests are skipped only if no Chromium binary
is found (``make test`` installs it with apt).
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
from citegraph.outputs.html import graph_data, layout, render_html, to_html

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary on PATH (install: apt-get install chromium)")


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


def test_page_contains_nodes_legend_and_no_external_reference(tmp_path: Path) -> None:
    out = to_html(contract_graph(), tmp_path / "g.html", title="Lineage of the commune plan")
    page = out.read_text(encoding="utf-8")
    assert_no_external_reference(page)
    assert "vis.Network" in page and "<title>Lineage of the commune plan</title>" in page
    for label in ("114-KL/TW", "33/CT-TTg", "114/KH-UBND"):
        assert label in page
    # legend: the relations present, the systems present
    legend = page[page.index('id="cg-legend"'):page.index('id="cg-details"')]
    for rel in ("implements", "based on", "cites"):
        assert rel in legend
    assert "Party" in legend and "State" in legend
    assert "amends" not in legend  # only relations present in the graph


def test_accepts_object_with_nx_attribute(tmp_path: Path) -> None:
    class Holder:
        def __init__(self, g: nx.MultiDiGraph) -> None:
            self.nx = g

    page = to_html(Holder(contract_graph()), tmp_path / "h.html").read_text(encoding="utf-8")
    assert "33/CT-TTg" in page
    with pytest.raises(TypeError):
        render_html(object())


def test_layout_levels_top_to_bottom_and_near_parents() -> None:
    G = contract_graph()
    pos = layout(G)
    ys = {G.nodes[v]["level"]: y for v, (x, y) in pos.items()}
    assert ys["central"] < ys["district"] < ys["commune"]
    # A wide band wraps into rows; every node gets a distinct position.
    big = synthetic_graph(600)
    p = layout(big)
    assert len(set(p.values())) == big.number_of_nodes()
    level_y: dict[str, list[float]] = {}
    for v, (x, y) in p.items():
        level_y.setdefault(big.nodes[v]["level"], []).append(y)
    order = ["central", "province", "district", "commune"]
    for upper, lower in zip(order, order[1:]):
        assert max(level_y[upper]) < min(level_y[lower])


def test_graph_data_styles() -> None:
    d = graph_data(contract_graph())
    nodes = {n["label"]: n for n in d["nodes"]}
    assert nodes["114-KL/TW"]["color"]["border"] != nodes["33/CT-TTg"]["color"]["border"]  # party vs state
    assert nodes["114-KL/TW"]["size"] > nodes["Kế hoạch (xã)"]["size"]  # cited vs not cited
    assert nodes["Kế hoạch (xã)"]["shape"] == "square"  # in the corpus
    assert nodes["Luật Thực hiện dân chủ ở cơ sở"]["shape"] == "diamond"  # named
    rels = {e["rel"]: e for e in d["edges"]}
    assert rels["implements"]["dashes"] is False and rels["cites"]["dashes"]
    assert rels["implements"]["color"]["color"] != rels["cites"]["color"]["color"]
    info = nodes["114-KL/TW"]["info"]
    sentences = [s["sentence"] for s in info["sentences"]]
    assert any("quán triệt Kết luận" in s for s in sentences)
    assert info["issuer"] == "Ban Bí thư" and info["date"] == "2015-07-14"


HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> "quoted" \'single\' &amp; <!--'


def hostile_graph() -> nx.MultiDiGraph:
    G = contract_graph()
    v = "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114"
    G.nodes[v]["label"] = "114-KL/TW" + HOSTILE
    G.nodes[v]["issuer"] = HOSTILE
    G.nodes[v]["mentions"][0]["sentence"] = "Kết luận " + HOSTILE
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
    # the JSON payload round-trips to the original text
    m = re.search(r'<script type="application/json" id="citegraph-data">(.*?)</script>', page, re.S)
    assert m is not None
    data = json.loads(m.group(1))
    assert any(n["info"]["issuer"] == HOSTILE for n in data["nodes"])
    from citegraph.outputs.html import _vis_assets

    ours = page.replace(_vis_assets()[0], "")  # vis-network itself holds a "<script" string
    assert ours.count("<script") == 4  # two JSON blocks, vis-network, our code


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


def drawn_fraction(png: bytes, left: int = 310) -> float:
    """Share of coloured pixels (nodes and edges are red, blue, green) right of the side panel.

    Text, borders and scroll bars are grey or black and do not count: an empty page gives 0.
    """
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = img.size
    area = img.crop((left, 0, w, h))
    px = area.tobytes()
    coloured = sum(1 for i in range(0, len(px), 3) if max(px[i:i + 3]) - min(px[i:i + 3]) > 60)
    return coloured / (area.size[0] * area.size[1])


def render_in_browser(browser: Chromium, G: nx.MultiDiGraph, path: Path) -> dict[str, Any]:
    to_html(G, path)
    browser.events.clear()
    seconds = browser.open(path.as_uri(), READY, timeout=120)
    stats = browser.evaluate(
        "({nodes: window.citegraph.network.body.nodeIndices.length,"
        " edges: window.citegraph.network.body.edgeIndices.length,"
        " firstDrawMs: window.citegraph.firstDrawMs,"
        " canvas: document.querySelectorAll('#cg-network canvas').length})"
    )
    stats["seconds"] = seconds
    return stats


@needs_chromium
def test_browser_draws_contract_graph_offline(browser: Chromium, tmp_path: Path) -> None:
    G = contract_graph()
    stats = render_in_browser(browser, G, tmp_path / "g.html")
    assert stats["nodes"] == G.number_of_nodes() and stats["edges"] == G.number_of_edges()
    assert stats["canvas"] == 1
    png = browser.screenshot()
    (tmp_path / "g.png").write_bytes(png)
    assert drawn_fraction(png) > 0.002, "the network area is blank"
    assert browser.exceptions() == []
    urls = browser.requests()
    assert urls, "the navigation itself should be recorded"
    outside = [u for u in urls if not (u == (tmp_path / "g.html").as_uri() or u.startswith(("data:", "about:", "blob:")))]
    assert outside == []
    # search finds by symbol, accent-insensitively, and the lineage walks both ways
    assert browser.evaluate("window.citegraph.search('114-kl/tw').length") == 1
    assert browser.evaluate("window.citegraph.search('ke hoach').length") >= 2
    lineage = browser.evaluate(
        "Object.keys(window.citegraph.lineageOf(window.citegraph.data.nodes.find(n => n.label === '114/KH-UBND').id)).length"
    )
    assert lineage == 3  # the district plan, the Kết luận it rests on, the commune plan implementing it


@needs_chromium
def test_browser_escaping_keeps_script_as_text(browser: Chromium, tmp_path: Path) -> None:
    stats = render_in_browser(browser, hostile_graph(), tmp_path / "hostile.html")
    assert stats["nodes"] == 5
    assert browser.evaluate("window.__pwned === undefined")
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    assert browser.evaluate("document.scripts.length") == 4
    label = browser.evaluate("window.citegraph.data.nodes.find(n => n.full_label.startsWith('114-KL/TW')).full_label")
    assert label == "114-KL/TW" + HOSTILE
    # the details panel shows the text as text
    browser.evaluate(
        "window.citegraph.search('114-KL/TW'); document.getElementById('cg-details').textContent"
    )
    shown = browser.evaluate("document.getElementById('cg-details').textContent")
    assert "<script>window.__pwned=1</script>" in shown
    assert browser.evaluate("window.__pwned === undefined")


@needs_chromium
def test_browser_empty_graph_draws_nothing(browser: Chromium, tmp_path: Path) -> None:
    """Calibration: the screenshot check sees no drawing where there is none (so it can fail)."""
    stats = render_in_browser(browser, nx.MultiDiGraph(), tmp_path / "empty.html")
    assert stats["nodes"] == 0
    assert drawn_fraction(browser.screenshot()) == 0.0
    assert browser.exceptions() == []


@needs_chromium
def test_browser_blocks_external_requests(browser: Chromium, tmp_path: Path) -> None:
    """The harness can see a request leave: a page that asks for one is caught (so the test can fail)."""
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png"><script>window.citegraph={ready:true}</script></body></html>')
    browser.events.clear()
    browser.open(page.as_uri(), READY)
    time.sleep(0.3)
    assert any(u.startswith("http://example.invalid/") for u in browser.requests())


@needs_chromium
@pytest.mark.parametrize("n", [2000, 5000])
def test_browser_large_graph_usable_in_seconds(browser: Chromium, tmp_path: Path, n: int) -> None:
    G = synthetic_graph(n)
    stats = render_in_browser(browser, G, tmp_path / f"big{n}.html")
    print(f"\n{n} nodes, {G.number_of_edges()} edges: ready in {stats['seconds']:.2f} s "
          f"(first draw {stats['firstDrawMs']:.0f} ms after the script started)")
    assert stats["nodes"] == n
    assert stats["seconds"] < 20
    png = browser.screenshot()
    (tmp_path / f"big{n}.png").write_bytes(png)
    assert drawn_fraction(png) > 0.002
    assert browser.exceptions() == []
    # interaction stays responsive: a search over all nodes returns quickly
    t0 = time.monotonic()
    assert browser.evaluate("window.citegraph.search('1/').length") > 0
    assert time.monotonic() - t0 < 5


def test_public_api_exports() -> None:
    assert citegraph.to_html is to_html and "to_html" in citegraph.__all__


@needs_chromium
def test_browser_filters_hide_and_show(browser: Chromium, tmp_path: Path) -> None:
    G = contract_graph()
    render_in_browser(browser, G, tmp_path / "f.html")
    hidden = "window.citegraph.nodes.get({filter: n => n.hidden}).length"
    assert browser.evaluate(hidden) == 0
    # untick "Party": the one Party document disappears; tick it again: back
    toggle = """(() => { const box = [...document.querySelectorAll('#cg-filter-system label')]
        .find(l => l.textContent.trim() === 'Party').querySelector('input');
        box.click(); return box.checked; })()"""
    assert browser.evaluate(toggle) is False
    assert browser.evaluate(hidden) == 1
    assert "4 of 5 documents shown" in browser.evaluate("document.getElementById('cg-status').textContent")
    assert browser.evaluate(toggle) is True
    assert browser.evaluate(hidden) == 0
    # "show only matches" keeps the search results
    browser.evaluate("document.getElementById('cg-only').checked = true; window.citegraph.search('33/CT-TTg').length")
    assert browser.evaluate(hidden) == G.number_of_nodes() - 1


@needs_chromium
def test_browser_show_iframe_draws(browser: Chromium, tmp_path: Path) -> None:
    """What ``citegraph.show`` puts in a notebook (an iframe with srcdoc) draws, offline."""
    from citegraph.outputs.display import show

    page = tmp_path / "notebook.html"
    page.write_text(f"<!DOCTYPE html><html><body style='margin:0'>{show(contract_graph(), height=700).data}</body></html>",
                    encoding="utf-8")
    browser.events.clear()
    browser.open(page.as_uri(), "document.readyState === 'complete'")
    deadline = time.monotonic() + 30
    fraction = 0.0
    while time.monotonic() < deadline and fraction <= 0.002:
        time.sleep(0.3)
        fraction = drawn_fraction(browser.screenshot())
    assert fraction > 0.002, "the iframe did not draw"
    assert [u for u in browser.requests() if not u.startswith(("file:", "about:", "data:"))] == []
    assert browser.exceptions() == []


@needs_chromium
def test_browser_tooltip_on_hover(browser: Chromium, tmp_path: Path) -> None:
    render_in_browser(browser, hostile_graph(), tmp_path / "tip.html")
    xy = browser.evaluate(
        """(() => { const c = window.citegraph, n = c.data.nodes.find(n => n.full_label.startsWith('114-KL/TW'));
        const p = c.network.canvasToDOM(c.network.getPosition(n.id));
        const r = document.getElementById('cg-network').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; })()"""
    )
    for dx in (6, 0):  # move onto the node (two events: vis reacts to movement)
        browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=xy[0] + dx, y=xy[1])
    deadline = time.monotonic() + 5
    tip = ""
    while time.monotonic() < deadline and "Issuer" not in tip:
        time.sleep(0.2)
        tip = browser.evaluate("(document.querySelector('div.vis-tooltip') || {}).textContent || ''")
    assert "Type: Kết luận" in tip and "Date: 2015-07-14" in tip and "Jurisdiction: central" in tip
    assert "Issuer: " + HOSTILE in tip  # shown as text ...
    assert browser.evaluate("document.querySelector('div.vis-tooltip img, div.vis-tooltip script')") is None  # ... not markup
    assert tip.count(HOSTILE) >= 3  # title, issuer and at least one citing sentence
    assert browser.evaluate("window.__pwned === undefined")
