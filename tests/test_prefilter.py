"""One property for every declared pattern (citegraph.text.prefilter): the prefilter changes nothing.

For each pattern the stages declare, on texts made of its keys, Vietnamese letters in every case, blanks
of all kinds, line breaks, digits, punctuation and runs of words from real texts: ``finditer`` and
``search`` (over any window ``pos``/``endpos``) give exactly what the plain regex gives, and ``match``
and ``fullmatch`` at every offset too. Short texts, texts long enough to have their keys kept
(``CACHED``), and the real texts of the corpus. This replaces the tests each hand-written shortcut had.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citegraph
from citegraph.extraction import find, header, resolve
from citegraph.text import normalize, prefilter as P

ROOT = Path(__file__).resolve().parent.parent
ROWS = [r["text"] for r in json.loads((ROOT / "corpus" / "patterns.json").read_text(encoding="utf-8"))["rows"]]
REAL = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
REAL += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "real").glob("*.txt"))[:12]]


def _declare_all() -> list[P.Pattern]:
    """Build every stage's patterns (they are declared as they are built) and return them all."""
    find._patterns()
    resolve._rx()
    header._rx()
    normalize._tone()
    citegraph.extract(REAL[0])
    return list(P.declared())


PATTERNS = _declare_all()
VIET = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
LETTERS = list(VIET + VIET.upper() + "bcdghklmnpqrstvxBCDGHKLMNPQRSTVX") + ["\u0130", "\u0131", "\u212a", "\u017f"]
BLANKS = [" ", "  ", "\t", "\n", "\n\n", "\r\n", " \n ", "\u00a0", "\u2003", "\u3000", "\x0b"]
OTHER = list("0123456789") + ["\u0665", "12", "2021", "/", "-", " - ", " / ", ",", ".", ";", ":", "(", ")", "“", "”",
                              "*", "_", "./."]
WORDS = " ".join(ROWS + [t[:3000] for t in REAL[:4]]).split()


def _pieces(p: P.Pattern) -> list[str]:
    keys = list(p.keys)
    return keys + [k.upper() for k in keys] + [k.lower() for k in keys] + LETTERS + BLANKS + OTHER


def _text(p: P.Pattern) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(_pieces(p)), st.sampled_from(BLANKS),
                      st.integers(0, len(WORDS) - 1).flatmap(
                          lambda i: st.integers(1, 8).map(lambda n: " ".join(WORDS[i:i + n]))))
    case = st.sampled_from([str, str.upper, str.lower, str.title])
    return st.tuples(st.lists(piece, max_size=14).map("".join), case).map(lambda tc: tc[1](tc[0]))


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a is None) == (b is None) and (a is None or (a.span(), a.groups()) == (b.span(), b.groups()))


def _check(p: P.Pattern, text: str, windows: list[tuple[int, int | None]]) -> None:
    """Everything the pattern does on ``text`` equals what its plain regex does."""
    rx = p.regex
    with P.enabled(True):
        for pos, end in windows:
            if p.start is not None:
                e = len(text) if end is None else end
                got = [(m.span(), m.groups()) for m in p.finditer(text, pos, end)]
                want = [(m.span(), m.groups()) for m in rx.finditer(text, pos, e)]
                assert got == want, (p.name, text, pos, end)
            assert _same(p.search(text, pos, end), rx.search(text, pos, len(text) if end is None else end)), \
                (p.name, text, pos, end)
        if p.start is None or len(text) < 300:
            # (windows of at most 400 characters, as the stages use them: a long run of blanks makes
            # "\s*,?\s*" backtrack quadratically in the plain regex)
            for i in range(0, len(text) + 1, max(1, len(text) // 40)):
                assert _same(p.match(text, i, i + 400), rx.match(text, i, i + 400)), (p.name, text, i)
                for j in {min(len(text), i + 400), min(len(text), i + 7), max(i, min(len(text), i + 400) - 3)}:
                    assert _same(p.fullmatch(text, i, j), rx.fullmatch(text, i, j)), (p.name, text, i, j)
        if p.start is not None:  # a match starting in a window (windows of at most 200 characters)
            for lo in range(0, len(text), max(1, len(text) // 8)):
                hi = min(len(text) + 1, lo + 1 + (lo * 7) % 200)
                want = any(rx.match(text, q) for q in range(lo, hi))
                assert p.starts_in(text, lo, hi) == want, (p.name, text, lo, hi)
    with P.enabled(False):  # the switch: the plain regex itself
        assert [m.span() for m in p.finditer(text)] == [m.span() for m in rx.finditer(text)]


def _windows(n: int) -> list[tuple[int, int | None]]:
    return [(0, None), (0, n), (n // 3, None), (n // 3, 2 * n // 3), (1, n - 1), (n // 2, n // 2 + 160), (5, 10_000)]


def test_patterns_are_declared() -> None:
    names = {p.name for p in PATTERNS}
    for name in ("symbol", "tone pair", "short form", "back-reference word", "pinpoint", "title cut",
                 "title place", "meta date", "coordination", "named law"):
        assert name in names


@pytest.mark.parametrize("p", PATTERNS, ids=lambda p: p.name[:40])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_prefiltered_is_plain(p: P.Pattern, data: st.DataObject) -> None:
    text = data.draw(_text(p))
    _check(p, text, _windows(len(text)))
    # long enough for its keys to be kept for the text (the document path), windows included
    pad = data.draw(st.sampled_from(["x ", "a\n", "Đ ", "ngày "]))
    long = text + pad * ((P.CACHED - len(text)) // len(pad) + 1) + text
    assert len(long) >= P.CACHED
    _check(p, long, _windows(len(long)))


@pytest.mark.parametrize("p", PATTERNS, ids=lambda p: p.name[:40])
def test_prefiltered_is_plain_on_real_texts(p: P.Pattern) -> None:
    # in capitals too: a case-blind pattern's keys are every case (bug: keys given in lower case only missed
    # "QUY ĐỊNH NHƯ SAU:" with the prefilter on)
    for text in REAL + ROWS + [t.upper() for t in REAL[6:10]]:
        n = len(text)
        _check(p, text, _windows(n) if n < 300 else [(0, None), (n // 4, n // 2), (n - 500, None)])


def test_case_variants_are_what_ignorecase_matches() -> None:
    """The keys of a case-blind pattern are every case the regex engine matches (BMP and beyond)."""
    every = "".join(map(chr, range(0x30000)))
    chars = {c for p in PATTERNS for k in p.keys for c in k} | set("ikskđ")
    for c in sorted(chars):
        assert set(re.findall(re.escape(c), every, re.IGNORECASE)) == P.case_variants(c), c


def test_a_pattern_without_key_is_an_error() -> None:
    with pytest.raises(ValueError, match="no literal key"):
        P.Pattern(r"\d+x").keys
    with pytest.raises(ValueError, match="empty string"):
        P.Pattern(r"a?", keys=("a",)).keys


def test_the_environment_switch() -> None:
    code = "from citegraph.text import prefilter; print(prefilter.is_enabled())"
    for value, want in (("0", "False"), ("1", "True")):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "CITEGRAPH_PREFILTER": value})
        assert out.stdout.strip() == want


def test_keys_found_once_per_document() -> None:
    """A long text keeps its key positions: the second stage asking finds them without a scan."""
    text = REAL[0]
    assert len(text) >= P.CACHED
    first = P.key_positions(text, ("Quyết", "/"))
    assert P._cache.text is text and "Quyết" in P._cache.found
    assert P.key_positions(text, ("/",)) == [first[1]]
    assert first[0] == [m.start() for m in re.finditer("Quyết", text)]
