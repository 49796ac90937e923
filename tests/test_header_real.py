"""The own header on real documents (issue 12 items 1-3 and 8, issue 15's header defects).

Over the project's real gold (``corpus/real``) and, when it is beside the checkout, every text of
``../shared/real/web``: the own header is found and right, a page that is not an official document gets
none, the own symbol is never one of the document's references, and no field changes with the line ends
(CRLF, CR), with the lines re-wrapped anywhere, with markdown's and tables' marks or a PDF's running
headers.
"""
from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

import citegraph
from citegraph.extraction.header import parse_header

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "corpus" / "real" / "gold").glob("*.json"))
WEB = ROOT.parent / "shared" / "real" / "web"
WEB_TEXTS = sorted(WEB.glob("*.txt")) if WEB.is_dir() else []
needs_web = pytest.mark.skipif(not WEB_TEXTS, reason="the shared real texts (../shared/real/web) are not beside this checkout")

# an independent, simple reading of the header (as ../shared/eval/header_check.py does): the symbol
# after "Số" and the date of "<place>, ngày D tháng M năm Y" in the first 1500 characters, wrapped or not
_SYM = re.compile(r"\bSố\s*:?\s*(\d[\w./&Đđ-]*?(?:[-/][A-ZĐ][\w&Đđ.]*)+)(?=[\s,;|]|$)")
_DATE = re.compile(r",\s*ngày\s*(\d{1,2})\s*(?:tháng|/)\s*(\d{1,2})\s*(?:năm|/)\s*(\d{4})", re.I)
_MOTTO = re.compile(r"CỘNG\s+HÒA\s+XÃ\s+HỘI\s+CHỦ\s+NGHĨA\s+VIỆT\s+NAM|ĐẢNG\s+CỘNG\s+SẢN\s+VIỆT\s+NAM|Độc\s+lập\s+-\s+Tự\s+do")
_LABEL = re.compile(r"\bSố\s*:?\s*\d|\bsố\s*:\s*\d")


def _key(symbol: str | None) -> str:
    return re.sub(r"[\s\-/.]", "", symbol or "").upper().lstrip("0")


_EXTRACTED: dict[Path, citegraph.Extraction] = {}


def _extract(path: Path) -> citegraph.Extraction:
    """Each real text extracted once for the module's tests."""
    if path not in _EXTRACTED:
        _EXTRACTED[path] = citegraph.extract(path)
    return _EXTRACTED[path]


def _headers(paths: list[Path]) -> list[tuple[Path, str, citegraph.Header]]:
    return [(p, _extract(p).text, _extract(p).document) for p in paths]


@pytest.fixture(scope="module")
def web() -> list[tuple[Path, str, citegraph.Header]]:
    return _headers(WEB_TEXTS)


def _gold_paths() -> list[tuple[Path, dict]]:
    out = []
    for g in GOLD:
        gold = json.loads(g.read_text(encoding="utf-8"))
        out.append((ROOT / "corpus" / "real" / gold["file"], gold))
    return out


@pytest.mark.parametrize("path, gold", _gold_paths(), ids=[g.stem for g in GOLD])
def test_real_gold_own_header(path: Path, gold: dict) -> None:
    """Type, symbol, date and signer exactly as annotated; a page with no header gets none."""
    h = _extract(path).document
    own = gold["own"]
    if all(own.get(f) is None for f in ("type", "symbol", "date", "issuer")):
        assert (h.type, h.symbol, h.date, h.issuer, h.signer, h.jurisdiction) == (None,) * 6
        return
    assert h.type == own["type"]
    assert _key(h.symbol) == _key(own["symbol"])
    assert h.date == own["date"]
    if own.get("signer"):
        assert h.signer == own["signer"]
    assert h.issuer is not None


@needs_web
def test_web_headers_found_where_the_text_has_them(web: list[tuple[Path, str, citegraph.Header]]) -> None:
    """Where the simple reading finds a symbol or a date in the head, the header has the same one; every
    text with a motto gets a type, an issuer and a jurisdiction; most a signer."""
    sym_n = sym_ok = date_n = date_ok = docs = typed = issued = placed = signed = 0
    for _, text, h in web:
        head = " ".join(text[:1500].split())
        if m := _SYM.search(head):
            sym_n += 1
            sym_ok += _key(h.symbol) == _key(m.group(1))
        if d := _DATE.search(head):
            date_n += 1
            date_ok += h.date == f"{int(d.group(3)):04d}-{int(d.group(2)):02d}-{int(d.group(1)):02d}"
        if _MOTTO.search(head):
            docs += 1
            typed += bool(h.type)
            issued += bool(h.issuer)
            placed += bool(h.jurisdiction)
            signed += bool(h.signer)
    assert sym_n > 150 and date_n > 150 and docs > 150
    assert sym_ok / sym_n >= 0.97 and date_ok / date_n >= 0.97
    assert min(typed, issued, placed) / docs >= 0.97
    assert signed / docs >= 0.85


@needs_web
def test_web_pages_that_are_not_documents_get_no_header(web: list[tuple[Path, str, citegraph.Header]]) -> None:
    """Encyclopedia articles and news pages (no motto, no own symbol, no type line at the top) cite
    laws, but invent no header."""
    pages = [(p, h) for p, text, h in web if not _MOTTO.search(text[:1500]) and not _LABEL.search(text[:300])
             and not re.match(r"\s*(?:NGHỊ QUYẾT|LUẬT)", text)]
    assert len(pages) > 40
    for p, h in pages:
        assert (h.type, h.symbol, h.date, h.issuer, h.signer, h.place) == (None,) * 6, p.name


def _own_symbol_cited(path: Path) -> list[str]:
    x = _extract(path)
    own = _key(x.document.symbol)
    return [r.text for r in x.references
            if r.kind == "numbered" and own and _key(r.symbol) == own and r.date in (None, x.document.date)]


@pytest.mark.parametrize("path", [p for p, _ in _gold_paths()], ids=[g.stem for g in GOLD])
def test_own_symbol_is_never_a_reference(path: Path) -> None:
    assert _own_symbol_cited(path) == []


def _rewrap_lines(text: str, width: int) -> str:
    return "\n".join(textwrap.fill(ln, width=width, break_long_words=False, break_on_hyphens=False)
                     for ln in text.split("\n"))


def _flatten(text: str, width: int) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False)


PERTURBATIONS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "cr": lambda t: t.replace("\n", "\r"),
    "lines-23": lambda t: _rewrap_lines(t, 23),
    "lines-61": lambda t: _rewrap_lines(t, 61),
    "flat-37": lambda t: _flatten(t, 37),
    "flat-80": lambda t: _flatten(t, 80),
    # marks of markdown and scraped tables, a PDF's running header at page breaks
    "bold": lambda t: "\n".join(f"**{ln.strip()}**" if ln.strip() else ln for ln in t.split("\n")),
    "pipes": lambda t: "\n".join(f"| {ln} |" if ln.strip() else ln for ln in t.split("\n")),
    "running-header": lambda t: "\n".join(ln + ("\nCÔNG BÁO/Số 851 + 852/Ngày 01-7-2025      49" if i % 40 == 39 else "")
                                           for i, ln in enumerate(t.split("\n"))),
}


def _invariance_texts() -> list[Path]:
    texts = [p for p, _ in _gold_paths() if p.suffix == ".txt"]
    return texts + WEB_TEXTS[::4]


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_header_does_not_depend_on_line_ends_or_wrapping(name: str) -> None:
    """Every field of the own header (recipients included) is the same whatever the line ends are,
    however the lines are wrapped, with markdown's and tables' marks and a PDF's running headers, on
    real texts."""
    perturb = PERTURBATIONS[name]
    changed = []
    for p in _invariance_texts():
        text = p.read_text(encoding="utf-8")
        view, other = citegraph.read(text).view, citegraph.read(perturb(text)).view
        a = parse_header(view.text, view=view)[0].to_dict()
        b = parse_header(other.text, view=other)[0].to_dict()
        if a != b:
            changed.append((p.name, {k: (a[k], b[k]) for k in a if a[k] != b[k]}))
    assert changed == []


def test_signer_as_the_source_writes_it() -> None:
    """The matching view modernises tone marks (Hoà -> Hòa); the signer's name is given as written."""
    t = "BỘ Y TẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 1/QĐ-BYT\nHà Nội, ngày 2 tháng 3 năm 2025\nQUYẾT ĐỊNH\nVề việc X\n" \
        "Căn cứ Luật;\nBỘ TRƯỞNG\nLê Hải Hoà"
    assert citegraph.extract(t).document.signer == "Lê Hải Hoà"
    assert parse_header(citegraph.read(t).view.text)[0].signer == "Lê Hải Hòa"
