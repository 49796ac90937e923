"""The shortcuts of resolve.py and relate.py give what the plain regexes give.

Each shortcut skips a regex where it cannot match (its first or last characters) or runs it on
the last words only; these tests compare them with the plain regexes on random texts made of the
pieces the patterns look for, and check the character sets against ``re`` over all of Unicode.
"""
from __future__ import annotations

import random
import re
import sys

import pytest

from citegraph.extraction.relate import _end_cue, _end_cue_search, _self_effect, _self_effect_first
from citegraph.extraction.resolve import _first_after, _may_coordinate, _meta_char, _rx
from citegraph.text.vocab import vocabulary

ALL = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)


def _matching(pattern: str, flags: int = 0) -> set[str]:
    """Every character ``pattern`` matches (one character long), over all of Unicode."""
    return set(re.findall(pattern, ALL, flags))


def test_classes_are_str_methods() -> None:
    assert _matching(r"\s") == {c for c in ALL if c.isspace()}
    assert _matching(r"\d") == {c for c in ALL if c.isdecimal()}
    assert _matching(r"\d", re.IGNORECASE) == {c for c in ALL if c.isdecimal()}


@pytest.mark.parametrize("key,firsts", [
    ("date_first", "đbn"), ("term_first", "(k"), ("plenum_first", "cth"),
    ("coord_first", ",vhc"), ("coord_last", ",àcg")])
def test_first_characters_cover_ignorecase(key: str, firsts: str) -> None:
    got = _matching("|".join(re.escape(c) for c in firsts), re.IGNORECASE)
    assert got <= _rx()[key]


def test_body_first_characters() -> None:
    aliases = vocabulary().body_aliases()
    assert _rx()["body_first"] == set("cd") | {a[0] for a in aliases}


def test_self_effect_first_characters() -> None:
    v = vocabulary()
    words = ["Điều", *v.type_words(), *(c for r in v.relations if r["name"] in ("amends", "replaces", "repeals", "guides")
                                         for c in r["inline"])]
    first = _self_effect_first()
    assert first is not None
    assert _matching("|".join(re.escape(w[0]) for w in words), re.IGNORECASE) <= first


# pieces of random texts: what the patterns look for, blanks of every kind, lookalike letters
PIECES = [" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2003", ",", ", ", ";", ".", ":", "(", ")", "*", "_",
          "ngày", "Ngày", "NGÀY", "được", "ban hành", "5", "12", "/", "2019", "\u0665", "tháng", "năm",
          "của", "do", "Của", "Ủy ban nhân dân", "UBND", "tỉnh", "Bình Phước", "huyện", "Hớn Quản",
          "Bộ Chính trị", "Ban Chấp hành", "khóa", "KHÓA", "\u212ahóa", "XII", "Hội nghị", "lần thứ", "tại",
          "và", "Và", "hoặc", "cùng", "các", "CÁC", "Các", "về việc", "thực hiện", "Căn cứ", "căn cứ vào",
          "Thực hiện", "Kế hoạch", "ban hành kế hoạch hành động thực hiện", "triển khai", "cụ thể hóa",
          "Quyết định", "này", "thay thế", "Sửa đổi, bổ sung", "bãi bỏ", "Điều 3.", "ſ", "x", "Q",
          "ngày 5 tháng 12 năm 2019", "05/12/2019", "\u0665/1/2020", "Hội nghị lần thứ 5", "Hội nghị Trung ương 7",
          "khóa XII", "(khóa XII)"]


def _texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14))) for _ in range(n)]


def test_meta_patterns_begin_where_meta_char_says() -> None:
    rx = _rx()
    for t in _texts(20000, 1):
        for pos in range(0, len(t), 3):
            c = _meta_char(t, pos)
            if rx["date"].match(t, pos):
                assert c in rx["date_first"] or c.isdecimal(), (t, pos)
            if rx["body"].match(t, pos):
                assert c in rx["body_first"], (t, pos)
            if rx["term"].match(t, pos):
                assert c in rx["term_first"], (t, pos)
            if rx["plenum"].match(t, pos):
                assert c in rx["plenum_first"], (t, pos)


def test_may_coordinate() -> None:
    rx = _rx()
    for t in _texts(20000, 2):
        for a in range(0, len(t) + 1, 4):
            for b in range(a, len(t) + 1, 5):
                if rx["coord"].fullmatch(t, a, b):
                    assert _may_coordinate(t, a, b, rx), (t, a, b)


def test_first_after() -> None:
    lead = re.compile(r"[ \t\r\n*_]*")
    for t in _texts(5000, 3):
        for i in range(len(t) + 2):
            j = lead.match(t, i).end()  # type: ignore[union-attr]
            assert _first_after(t, i) == t[j:j + 1], (t, i)


def test_end_cue_search() -> None:
    for t in _texts(20000, 4):
        for lo in range(0, len(t) + 1, 7):
            for hi in (len(t), max(0, len(t) - 1), max(0, len(t) - 4)):
                want = _end_cue().search(t[lo:hi])
                got = _end_cue_search(t, lo, hi)
                assert (got and (got.span(), got.group("cue"))) == (want and (
                    (want.start() + lo, want.end() + lo), want.group("cue"))), (t, lo, hi)


def test_self_effect_first() -> None:
    first = _self_effect_first()
    assert first is not None
    for t in _texts(20000, 5):
        if _self_effect().match(t):
            assert t[0] in first, t


def test_title_end() -> None:
    from citegraph.extraction.resolve import _TITLE_CUT, _title_end

    def plain(region: str) -> int:  # title_region as it was: the regex's cuts in turn
        for cut in _TITLE_CUT.finditer(region):
            first = _first_after(region, cut.end())
            if cut.group(0) == ";" or not first or first.isupper() or first in "-+•" or first.isdigit():
                return cut.start()
        return len(region)

    rnd = random.Random(6)
    chars = [" ", " ", "\t", "\n", "\n", ".", ".", ";", "a", "b", "A", "Đ", "*", "_", "-", "+", "•", "3", "\u00a0", "\r"]
    for _ in range(100000):
        r = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 16)))
        assert _title_end(r) == plain(r), r
    for t in _texts(5000, 7):
        assert _title_end(t) == plain(t), t


def test_caseless_heads() -> None:
    from citegraph.extraction.resolve import _caseless_heads
    old = re.compile(r"điểm|khoản|điều", re.IGNORECASE)
    new = _caseless_heads(("điểm", "khoản", "điều"))
    pieces = ["điểm", "ĐIỂM", "ĐiỂm", "khoản", "KHOẢN", "\u212ahoản", "điều", "ĐİỀU", "đıều", "Điều", "kiểm",
              "đ", "k", "K", " ", "a", "ề", "Ề", "ểm"]
    rnd = random.Random(8)
    for _ in range(20000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        assert [m.span() for m in new.finditer(t)] == [m.span() for m in old.finditer(t)], t
    # one letter at a time: every character IGNORECASE matches with each letter of the words
    for w in ("điểm", "khoản", "điều"):
        for k, c in enumerate(w):
            for x in _matching(re.escape(c), re.IGNORECASE):
                t = w[:k] + x + w[k + 1:]
                assert [m.span() for m in new.finditer(t)] == [m.span() for m in old.finditer(t)], t


def test_opener_begins_where_meta_char_says() -> None:
    rx = _rx()
    first = rx["opener_first"]
    assert first is not None
    from citegraph.extraction.resolve import v_raw_relations
    openers = v_raw_relations()["title_openers"]
    assert _matching("|".join(re.escape(o[0]) for o in openers), re.IGNORECASE) <= first
    for t in _texts(20000, 9) + [f"{p} {o}" for o in openers for p in ("", ",", " , ", "\n")]:
        for pos in range(0, len(t), 3):
            if rx["opener"].match(t, pos):
                assert _meta_char(t, pos) in first, (t, pos)


def test_preamble_end() -> None:
    from citegraph.extraction.relate import _HEADING, preamble_end
    rnd = random.Random(10)
    pieces = ["\n", "\n", "\r\n", " ", "\t", "*", "#", "_", "I.", "IV)", "A.", "a.", " x", "Điều 1", "Điều 12", "Chương I",
              "PHẦN THỨ", "PHẦN I", "Phần I", "QUYẾT ĐỊNH:", "NGHỊ QUYẾT :", "CHỈ THỊ", "Thực hiện", "KẾ HOẠCH", "1."]
    for _ in range(50000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        m = _HEADING.search(t)
        assert preamble_end(t) == (m.start() if m else len(t)), t
