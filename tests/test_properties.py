"""Property-based tests (hypothesis) on the finder, the header parser and extraction.

- no exception on any text;
- offsets always inside the text, and ``text[start:end] == ref.text``;
- invariance: a reference found in a text is still found when the text is re-wrapped at other line
  widths, or put in NFD.
"""
from __future__ import annotations

import textwrap
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from citegraph.extraction import find
from citegraph.extraction.pipeline import extract
from citegraph.extraction.header import parse_header
from citegraph.text.normalize import View, visible
from citegraph.io.read import Document
from fixtures_util import corpus_texts

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------- strategies

VIET = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
PIECES = ["số", "Số:", "ngày", "tháng", "năm", "của", "Chỉ thị", "Nghị quyết", "Quyết định", "Kế hoạch", "Kết luận",
          "Thông tư", "Luật", "Hiến pháp năm 2013", "Căn cứ", "Thực hiện", "này", "nêu trên", "khóa XII", "TW", "TU",
          "UBND", "QĐ-TTg", "NĐ-CP", "Ð", "Đ", "/", "-", " - ", "–", "\n", "\n\n", "  ", "\t", "(", ")", ";", ",",
          "sau đây viết tắt là", "\u0301", "\u0323", "\ufeff", "\u00a0"]
any_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=400)
viet_soup = st.lists(
    st.one_of(st.sampled_from(PIECES), st.integers(0, 20000).map(str),
              st.text(alphabet=VIET + VIET.upper() + "0123456789/-. \n", max_size=12)),
    max_size=60,
).map(" ".join)

TYPES = {"Chỉ thị": "CT", "Nghị quyết": "NQ", "Quyết định": "QĐ", "Kế hoạch": "KH", "Kết luận": "KL",
         "Hướng dẫn": "HD", "Thông báo": "TB"}


@st.composite
def reference(draw: st.DrawFn) -> tuple[str, str]:
    """A reference as written (type word, số, symbol, date, issuer) and its symbol."""
    word = draw(st.sampled_from(sorted(TYPES)))
    code = TYPES[word]
    n = draw(st.integers(1, 3999))
    grammar = draw(st.sampled_from(["party", "state", "normative"]))
    if grammar == "party":
        symbol = f"{n}-{code}/{draw(st.sampled_from(['TW', 'TU', 'HU', 'BDVTU', 'BTGTW']))}"
    elif grammar == "state":
        symbol = f"{n}/{code}-{draw(st.sampled_from(['TTg', 'UBND', 'BNV', 'VPCP', 'UBND-VX']))}"
    else:
        symbol = f"{n}/{draw(st.integers(2000, 2024))}/{draw(st.sampled_from(['NĐ-CP', 'TT-BTC', 'QĐ-TTg', 'TT-BNV']))}"
        word = {"NĐ": "Nghị định", "TT": "Thông tư", "QĐ": "Quyết định"}[symbol.split("/")[2].split("-")[0]]
    so = draw(st.sampled_from(["số ", ""]))
    date = draw(st.sampled_from(["", " ngày 26/11/2021", " ngày 08 tháng 4 năm 2024", " ngày 2/2/2018"]))
    return f"{word} {so}{symbol}{date}", symbol


FILLER = ["Ủy ban nhân dân tỉnh ban hành kế hoạch", "các sở, ban, ngành", "về việc tăng cường công tác dân vận",
          "nhằm nâng cao chất lượng", "trên địa bàn tỉnh", "triển khai thực hiện nghiêm túc", "đạt kết quả tốt"]


@st.composite
def paragraph(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A paragraph of filler and references; returns the text and the symbols in it."""
    parts: list[str] = []
    symbols: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        parts.append(draw(st.sampled_from(FILLER)))
        cue = draw(st.sampled_from(["Căn cứ", "Thực hiện", "theo", "và"]))
        ref, sym = draw(reference())
        parts.append(f"{cue} {ref}")
        symbols.append(sym)
    parts.append(draw(st.sampled_from(FILLER)) + ".")
    return ", ".join(parts), symbols


def seed_paragraphs() -> list[str]:
    paras = [p.strip() for t in corpus_texts() for p in t.split("\n\n")]
    return [p for p in paras if 80 < len(p) < 1500 and "/" in p]


SEED_PARAS = seed_paragraphs()

# ---------------------------------------------------------------- helpers


def find_all(text: str) -> list[find.Mention]:
    """The finder's mentions on the matching view of ``text`` (find_references once it exists)."""
    fr = getattr(find, "find_references", None)
    view = View(text).text
    if fr is not None:
        return list(fr(view))
    out = find.find_numbered(view) + find.find_named(view) + find.find_backrefs(view)
    short = getattr(find, "find_short_forms", None)
    return out + (short(view) if short else [])


def run(text: str):  # type: ignore[no-untyped-def]
    """Extract from the text itself (a bare string naming an existing path, such as "" or "/", is read as a path)."""
    return extract(Document(text=text))


def check_extraction(text: str) -> None:
    ex = run(text)
    n = len(text)
    assert ex.text == text
    for r in ex.references:
        assert 0 <= r.start <= r.end <= n, (r.start, r.end, n)
        assert text[r.start:r.end] == r.text
        if r.sentence_start is not None and r.sentence_end is not None:
            assert 0 <= r.sentence_start <= r.sentence_end <= n
        if r.kind == "backref" and isinstance(r.refers_to, int):
            assert 0 <= r.refers_to < len(ex.references)
    for rel in ex.relations:
        assert rel.source == "SELF" or 0 <= rel.source < len(ex.references)
        assert 0 <= rel.target < len(ex.references)


def symbols(text: str) -> list[str]:
    return sorted(r.symbol for r in run(text).references if r.kind == "numbered" and r.symbol)


def rewrap(text: str, width: int) -> str:
    return textwrap.fill(" ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False)


# ---------------------------------------------------------------- no exception, offsets in range


@SETTINGS
@given(any_text)
@example("Số: 294/KH-VP\nĐồng Nai, ngày 08 tháng 4 năm 2024\nKẾ HOẠCH")
@example("\u0301\u0301số 1/\n\n/\n-")
def test_finder_and_header_never_raise_any_text(text: str) -> None:
    view = View(text).text
    mentions = find_all(text)
    for m in mentions:
        assert 0 <= m.start <= m.end <= len(view)
    header, _, own = parse_header(view, None, find.find_numbered(view))
    if own is not None:
        assert 0 <= own[0] <= own[1] <= len(view)
    for value in header.to_dict().values():
        assert value is None or isinstance(value, (str, int, list))


@SETTINGS
@given(st.one_of(any_text, viet_soup))
def test_extract_offsets_any_text(text: str) -> None:
    check_extraction(text)


@SETTINGS
@given(viet_soup)
def test_header_parser_on_vietnamese_soup(text: str) -> None:
    view = View(text).text
    header, _, _ = parse_header(view, None, find.find_numbered(view))
    if header.date is not None:
        assert len(header.date) == 10 and header.date[4] == "-"
    if header.symbol is not None:
        assert header.symbol.strip() == header.symbol and header.symbol


# ---------------------------------------------------------------- invariance


@SETTINGS
@given(paragraph(), st.integers(12, 100))
def test_generated_references_found_and_survive_rewrapping(para: tuple[str, list[str]], width: int) -> None:
    text, expected = para
    found = symbols(text)
    assert sorted(expected) == found
    wrapped = rewrap(text, width)
    assert symbols(wrapped) == found
    check_extraction(wrapped)


@SETTINGS
@given(st.sampled_from(SEED_PARAS), st.integers(15, 120))
def test_seed_paragraph_references_survive_rewrapping(text: str, width: int) -> None:
    flat = " ".join(text.split())
    assert symbols(rewrap(flat, width)) == symbols(flat)


@SETTINGS
@given(st.one_of(paragraph().map(lambda p: p[0]), st.sampled_from(SEED_PARAS)))
def test_references_survive_nfd(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assume(nfd != text)
    assert symbols(nfd) == symbols(text)
    check_extraction(nfd)
    # the same references, at the places the NFD text has them
    a = [(r.kind, r.symbol, unicodedata.normalize("NFC", r.text)) for r in run(text).references]
    b = [(r.kind, r.symbol, unicodedata.normalize("NFC", r.text)) for r in run(nfd).references]
    assert a == b


@SETTINGS
@given(paragraph())
def test_references_survive_eth_for_d_bar(para: tuple[str, list[str]]) -> None:
    text, _ = para
    eth = text.replace("Đ", "\u00d0")
    assume(eth != text)
    assert symbols(eth) == symbols(text)


@pytest.mark.parametrize("width", [20, 33, 47, 80])
def test_seed_texts_rewrapped_whole(width: int) -> None:
    for text in corpus_texts()[:2]:
        paras = [" ".join(p.split()) for p in text.split("\n\n")]
        flat = "\n\n".join(paras)
        wrapped = "\n\n".join(rewrap(p, width) for p in paras)
        assert symbols(wrapped) == symbols(flat)


# Inputs the fuzzer (benchmarks/fuzz.py) found, shrunk. Each must extract without an exception and with
# offsets in range.
FUZZ_FINDINGS = [
    pytest.param("Đảng bộ tỉnhlần thứ X;Đảng bộ tỉnhlần thứ I;1-H/U của Ban Thường vụ Huyện ủy thực hiện Chỉ thịsố 9/T-U",
                 id="relate-parent-keyerror"),
    pytest.param("\u0301\u0301số 1/\n\n/\n-", id="leading-combining-marks"),
    pytest.param("Số: \n\f\nKẾ HOẠCH\n" + "/" * 200, id="slashes"),
]


@pytest.mark.parametrize("text", FUZZ_FINDINGS)
def test_fuzz_findings(text: str) -> None:
    check_extraction(text)


# ------------------------------------------- fast paths agree with the patterns they stand for

FORM_WORDS = ["Mẫu", "MẪU", "mẫu", "số", "Số", "SỐ", "phụ lục", "Biểu mẫu", "mã", "Mã số", "fax", "QUYẾT ĐỊNH",
              "Quyết định", "Nghị quyết liên tịch", "Kế hoạch hành động", "hành động", "Luật", "xLuật", "thị", "İ",
              "ı", "ß", ":", ".", " ", "\n", "  "]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(FORM_WORDS), st.text(alphabet=VIET + VIET.upper() + " :.\n", max_size=6)),
                max_size=10).map("".join))
def test_lower_case_twins_find_what_the_case_blind_patterns_find(window: str) -> None:
    """``_search_end`` (a lower-case pattern on the window in lower case) finds the same span and type word
    as the IGNORECASE pattern it stands for, on the window's tail."""
    pats = find._patterns()
    for name in ("prefix", "not_before"):
        want = pats[name].search(window, find._tail_start(window, pats[name + "_tokens"]))
        got = find._search_end(pats, name, window)
        assert (want.span() if want else None) == (got.span() if got else None), name
        if name == "prefix" and want:
            assert want.span("tw") == got.span("tw") and want.span("so2") == got.span("so2")


def test_caseless_classes_match_what_ignorecase_matches() -> None:
    """Every letter class ``caseless`` writes holds exactly the characters IGNORECASE matches (BMP)."""
    import re

    from citegraph.extraction.header import header_words
    from citegraph.text.vocab import caseless

    letters = sorted({c for w in header_words()["issue_verbs"] for c in w if c.isalpha()})
    for c in letters:
        cls = re.compile(caseless(c))
        ic = re.compile(re.escape(c), re.IGNORECASE)
        for u in map(chr, range(0x10000)):
            assert bool(cls.fullmatch(u)) == bool(ic.fullmatch(u)), (c, u)


def test_extraction_makes_no_reference_cycles() -> None:
    """extract() pauses the cyclic collector, which is safe only while it leaves no cycles behind."""
    import gc

    from citegraph import synth

    texts = corpus_texts() + [d.text for d in synth.generate(40, seed=5)]
    # once before the count: what a first extraction imports (numpy for an NFD text, and pickle with it)
    # leaves garbage of its own, which is not extraction's
    extract(unicodedata.normalize("NFD", texts[0]))
    gc.collect()
    gc.disable()
    try:
        for t in texts:
            extract(t)
            extract(unicodedata.normalize("NFD", t))
        assert gc.collect() == 0
    finally:
        gc.enable()
    assert gc.isenabled()


@SETTINGS
@given(viet_soup)
def test_offsets_kept_per_run_of_marks_are_those_of_each_character(text: str) -> None:
    """Offsets into an NFD text kept per run of combining marks (and of invisible characters, which the
    view drops): view character k is the k-th character of the original that is neither, as when they
    were kept one per character."""
    original = unicodedata.normalize("NFD", text)
    view = View(original)
    assume(view._shifts is not None)  # the per-run path
    assume(not any(unicodedata.combining(c) for c in view.text))  # each cluster composed to one character
    bases = [i for i, c in enumerate(original) if not unicodedata.combining(c) and visible(c)]
    assert [view.offset(i) for i in range(len(view.text))] == bases
    assert view.offset(len(view.text)) == len(original)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Kế hoạch", "kế hoạch", "x", "_", "5", " ", "\n", ",", "KẾ HOẠCH", "hoạch", "số"]),
                max_size=16).map("".join), st.integers(0, 40))
def test_uses_of_a_defined_name_are_the_lookbehind_regex(text: str, pos: int) -> None:
    """pipeline._uses tests the look-behind in Python: it finds what the plain regex with it finds."""
    import re

    from citegraph.extraction.pipeline import _uses

    tail = r"(?:Kế\s+hoạch|hoạch(?!\s*số))(?![\w])"
    want = [m.span() for m in re.compile(r"(?<![\w])" + tail).finditer(text, pos)]
    assert [m.span() for m in _uses(text, re.compile(tail), pos)] == want


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Hoà", "hoá", "Thuỷ", "quý", "UỶ", "e\u0301", "o\u0300a", "\r\n", "\r", "\n", " ",
                                 "\u200b", "\ufeff", "Đ", "\u0110", "\u00d0", "–", "—", "“", "x", "5", "|", "**", "\u00a0"]),
                max_size=20).map("".join))
def test_the_view_of_a_view_is_itself(text: str) -> None:
    """text_iri(view_text, viewed=True) skips the second view: it must give the same text."""
    v = View(text).text
    assert View(v).text == v


# ---------------------------------------------------------------- text_iri's words

def _findall_words(text: str) -> bytes:
    """The definition of :func:`citegraph.text.identity._words` (what text_iri hashed before it was made faster)."""
    import re

    return " ".join(re.findall(r"[^\W_]+", text)).encode("utf-8")


def test_text_iri_words_every_character() -> None:
    """Every code point (surrogates too), alone between letters, in runs and at either end, is a letter or
    digit of a word or a separator exactly as ``[^\\W_]`` has it."""
    from citegraph.text.identity import _words

    every = [chr(c) for c in range(0x110000)]
    for text in ("a".join(every), "".join(every), " x ".join(every[::97]), "\u201c".join(every[::101]) + "_"):
        assert _words(text) == _findall_words(text)


@given(st.one_of(any_text, viet_soup,
                 st.text(alphabet=st.sampled_from(list(VIET) + [" ", "\n", "\t", "_", ",", ".", "“", "”", "…",
                                                                "\u00a0", "\u2003", "\u3000", "\x1c", "\x85", "²",
                                                                "Ⅻ", "\u0301", "😀", "𝟙", "\ud800", "-", "|", "/"]),
                         max_size=200)))
@SETTINGS
def test_text_iri_words_as_findall(text: str) -> None:
    """text_iri's words (a stable identity: its value never changes) are those of the findall it replaced."""
    from citegraph.text.identity import _words

    assert _words(text) == _findall_words(text)


def test_text_iri_words_seed_texts() -> None:
    from citegraph.text.identity import _words

    for text in corpus_texts():
        assert _words(text) == _findall_words(text)
        assert _words(View(text).text) == _findall_words(View(text).text)


_LINES = list(VIET[:6]) + [" ", " ", "\n", ".", "Đ"]  # wrapped text, and with the other blanks and controls


@given(st.one_of(st.text(alphabet=st.sampled_from(_LINES), max_size=60),
                 st.text(alphabet=st.sampled_from(_LINES * 4 + ["\r", "\t", "\u00a0", "\u2028", "\x85", "\x00"]),
                         max_size=60)),
       st.data())
@SETTINGS
def test_one_line_head_is_the_join(text: str, data: st.DataObject) -> None:
    """A reference's sentence on one line: its shortcuts give the join of the whole clause's words, cut."""
    from citegraph.extraction.pipeline import _one_line_head

    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    n = data.draw(st.integers(0, 25))
    assert _one_line_head(text, a, b, n) == " ".join(text[a:b].split())[:n]


@given(st.lists(st.sampled_from(list("ab5ủ1ạ٣") + [" ", "\n", "\t", "\u00a0", "của", "tại", "Điều 4"]),
               max_size=20).map("".join), st.data())
@SETTINGS
def test_may_end_pin_reads_as_the_slices(text: str, data: st.DataObject) -> None:
    """The pinpoint's necessary test reads the characters in place as its definition reads the slices."""
    from citegraph.extraction.resolve import _PIN_TAILS, _may_end_pin

    end = data.draw(st.integers(0, len(text)))
    pos = data.draw(st.integers(0, end))
    tail = text[pos:end].rstrip()
    rests = (tail, *(tail[:-n].rstrip() for n in sorted({len(w) for w in _PIN_TAILS})))
    assert _may_end_pin(text, pos, end) == any(r[-1:].isdecimal() or r[-2:-1].isdecimal() for r in rests)
