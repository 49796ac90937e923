"""Screenshots of the HTML page, to judge it as a user sees it: 68 real documents and 5,000 synthetic ones.

For each graph the page is written with :func:`citegraph.to_html`, opened in headless Chromium (the
driver of ``tests/test_html.py``, no network) at 1400 × 900, and captured in these views:

``default``     the page as it opens (Vietnamese)
``details``     the most cited document clicked, the pointer on a document of the corpus
``filtered``    the province with the most documents, and one document type
``zoomed``      the default view zoomed in on that province's block (labels at a middle zoom)
``search``      a search for that province's name (matches only)
``matrix``      the provinces × central documents table
``lineage``     the cell of that table with the most documents, opened as a lineage
``english``     the lineage again, with the interface in English

The graphs: ``real`` is ``citegraph.build`` of ``corpus/`` (the four seeds and ``corpus/real``);
``synth`` of 5,000 documents made by ``citegraph.synth`` (written once to ``benchmarks/_work/synth5000``).
PNGs, pages and a ``timings.json`` (first draw, filter, search, lineage, table, in ms measured in the
page with ``performance.now()``) go to ``benchmarks/_work/screenshots/``.

Usage::

    .venv/bin/python benchmarks/screenshots.py              # both graphs
    .venv/bin/python benchmarks/screenshots.py --only real  # one of them
"""
from __future__ import annotations

import argparse
import base64
import json
import pickle
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

READY = "!!(window.citegraph && window.citegraph.ready)"


def graph(name: str, n: int, refresh: bool) -> Any:
    """The networkx graph ``name`` ("real" or "synth"), built once and kept in ``_work``."""
    import citegraph

    cache = WORK / f"screenshots_{name}.pickle"
    if cache.exists() and not refresh:
        with cache.open("rb") as f:
            return pickle.load(f)
    t0 = time.monotonic()
    if name == "real":
        G = citegraph.build([str(ROOT / "corpus")])
    else:
        from citegraph.synth import write_corpus

        folder = WORK / f"synth{n}"
        if not folder.is_dir() or len(list(folder.glob("*.txt"))) != n:
            write_corpus(n, folder, seed=0)
        G = citegraph.build([str(folder)])
    g = G.nx
    print(f"{name}: built in {time.monotonic() - t0:.1f} s: {g.number_of_nodes():,} nodes, "
          f"{g.number_of_edges():,} edges, {len({s for _, a in g.nodes(data=True) for s in a.get('sources') or []}):,} source files")
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as f:
        pickle.dump(g, f)
    return g


def shoot(browser: Any, path: Path) -> None:
    data = browser.call("Page.captureScreenshot", session=True, format="png")["data"]
    path.write_bytes(base64.b64decode(data))
    print(f"  {path.relative_to(ROOT)}")


def views(browser: Any, g: Any, name: str, out: Path) -> dict[str, Any]:
    from citegraph.outputs.html import province_matrix, province_of, to_html

    page = to_html(g, out / f"{name}.html")
    size = page.stat().st_size
    browser.events.clear()
    seconds = browser.open(page.as_uri(), READY, timeout=300)
    ev = browser.evaluate
    res: dict[str, Any] = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "bytes": size,
                           "ready_s": round(seconds, 2), "first_draw_ms": round(ev("window.citegraph.firstDrawMs"))}
    shoot(browser, out / f"{name}_default.png")
    # the most cited document clicked (details card), the pointer on another one (tooltip)
    top_node = ev("window.citegraph.data.nodes.reduce((b, n, i, a) => n.cited > a[b].cited ? i : b, 0)")
    ev(f"window.citegraph.select({top_node})")
    corpus_doc = ev("window.citegraph.data.nodes.findIndex(n => n.corpus && n.level !== 'central')")
    if corpus_doc >= 0:
        x, y = ev(f"window.citegraph.nodeScreen({corpus_doc})")
        for dx in (4, 0):
            browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=x + dx, y=y)
        time.sleep(0.2)
    shoot(browser, out / f"{name}_details.png")
    browser.call("Input.dispatchMouseEvent", session=True, type="mouseMoved", x=5, y=5)
    ev("window.citegraph.reset()")

    provinces = [p for _, a in g.nodes(data=True) if (p := province_of(a))]
    top = max(set(provinces), key=lambda p: (provinces.count(p), p)) if provinces else None
    if top:
        types = [ev(f"window.citegraph.data.types.map(t => t.name)")]
        kh = "Kế hoạch" if "Kế hoạch" in types[0] else None
        res["filter_province_ms"] = round(ev(f"window.citegraph.setFilter('province', {json.dumps(top)})"))
        if kh:
            res["filter_type_ms"] = round(ev(f"window.citegraph.setFilter('type', {json.dumps(kh)})"))
        shoot(browser, out / f"{name}_filtered.png")
        ev("window.citegraph.reset()")
        # zoom on the province's block, every document still shown
        ev("(() => { const c = window.citegraph, ids = c.data.nodes.map((n, i) => i)"
           f".filter(i => c.data.nodes[i].province >= 0 && c.data.provinces[c.data.nodes[i].province].name === {json.dumps(top)});"
           " c.focus(ids); })()")
        shoot(browser, out / f"{name}_zoomed.png")
        ev("window.citegraph.reset()")
        res["search"] = top
        res["search_matches"] = ev(f"window.citegraph.search({json.dumps(top)}).length")
        res["search_ms"] = round(ev("window.citegraph.timings.lastSearch"))
        shoot(browser, out / f"{name}_search.png")
        ev("window.citegraph.reset()")
    res["cites_on_ms"] = round(ev("window.citegraph.setFilter('rel', 'cites', true)"))
    ev("window.citegraph.reset()")

    ev("window.citegraph.setView('matrix')")
    res["matrix_ms"] = round(ev("window.citegraph.timings.matrix"))
    shoot(browser, out / f"{name}_matrix.png")
    m = province_matrix(g)
    if m["cells"]:
        (p, c), cell = max(m["cells"].items(), key=lambda kv: (len(kv[1]["lineage"]), kv[0][0]))
        ids = list(g.nodes)
        res["lineage"] = f"{g.nodes[c].get('label')} in {p}: {len(cell['documents'])} documents"
        ev(f"window.citegraph.showCell({json.dumps(p)}, {ids.index(c)})")
        res["lineage_ms"] = round(ev("window.citegraph.timings.lastLineage"))
        shoot(browser, out / f"{name}_lineage.png")
        ev("window.citegraph.setLang('en')")
        shoot(browser, out / f"{name}_english.png")
        ev("window.citegraph.setLang('vi')")
    errors = browser.exceptions()
    res["exceptions"] = len(errors)
    if errors:
        print(json.dumps(errors[:3], ensure_ascii=False, indent=1))
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=["real", "synth"], help="one graph only")
    ap.add_argument("--docs", type=int, default=5000, help="synthetic documents (default 5000)")
    ap.add_argument("--refresh", action="store_true", help="build the graphs again")
    ap.add_argument("--out", type=Path, default=WORK / "screenshots")
    args = ap.parse_args(argv)
    from test_html import CHROMIUM, Chromium  # the tests' driver: headless, no network, CDP over a pipe

    if CHROMIUM is None:
        print("error: no chromium on PATH (make browser, or apt-get install chromium)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    browser = Chromium(width=1400, height=900)
    try:
        for name in (args.only,) if args.only else ("real", "synth"):
            g = graph(name, args.docs, args.refresh)
            results[name] = views(browser, g, name, args.out)
            print(json.dumps(results[name], ensure_ascii=False))
    finally:
        browser.close()
    (args.out / "timings.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
