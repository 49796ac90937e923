"""The shortcuts relate.py still has (until it declares its patterns, citegraph.text.prefilter) give
what the plain regexes give, on random texts made of the pieces the patterns look for.

(The shortcuts of resolve.py are declared patterns now: tests/test_prefilter.py covers them.)
"""
from __future__ import annotations

import random
import re
import sys

from citegraph.extraction.relate import _end_cue, _end_cue_search, _self_effect, _self_effect_first
from citegraph.extraction.resolve import _first_after
from citegraph.text.vocab import vocabulary

ALL = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)


def _matching(pattern: str, flags: int = 0) -> set[str]:
    """Every character ``pattern`` matches (one character long), over all of Unicode."""
    return set(re.findall(pattern, ALL, flags))


def test_classes_are_str_methods() -> None:
    assert _matching(r"\s") == {c for c in ALL if c.isspace()}
    assert _matching(r"\d") == {c for c in ALL if c.isdecimal()}
    assert _matching(r"\d", re.IGNORECASE) == {c for c in ALL if c.isdecimal()}

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


def test_preamble_end() -> None:
    from citegraph.extraction.relate import _HEADING, preamble_end
    rnd = random.Random(10)
    pieces = ["\n", "\n", "\r\n", " ", "\t", "*", "#", "_", "I.", "IV)", "A.", "a.", " x", "Điều 1", "Điều 12", "Chương I",
              "PHẦN THỨ", "PHẦN I", "Phần I", "QUYẾT ĐỊNH:", "NGHỊ QUYẾT :", "CHỈ THỊ", "Thực hiện", "KẾ HOẠCH", "1."]
    for _ in range(50000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        m = _HEADING.search(t)
        assert preamble_end(t) == (m.start() if m else len(t)), t


def test_after_breaks_is_the_plain_pattern() -> None:
    """``AfterBreaks(brk, body)`` finds what ``(?:^|brk)(?:body)`` finds (spans and groups), for the patterns
    that use it and for a body that may start with a break itself."""
    from citegraph.extraction.relate import AfterBreaks, _list_opener, _opener_line

    pieces = PIECES + ["Bãi bỏ các văn bản sau đây:", "sau đây", ":", " - ", "•", "1.", "a)", "Nghị quyết này ", "\n"] * 2
    rnd = random.Random(11)
    texts = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 16))) for _ in range(20000)]
    cases = [(p, re.compile(p.pattern, p.flags))
             for p in (_opener_line(), _list_opener(), AfterBreaks(r"[\n;]", r"\n?[ \t]*(?P<w>Căn\s+cứ|x)", re.I))]
    found = 0
    for p, plain in cases:
        for t in texts:
            want = [(m.span(), m.groups()) for m in plain.finditer(t)]
            assert [(m.span(), m.groups()) for m in p.finditer(t)] == want, (plain.pattern[:40], t)
            found += len(want)
    assert found > 1000  # the texts hold matches, at the start and after breaks


def test_keyed_tests_pass_every_match() -> None:
    """The passive patterns are tried only where ``_passive_effect`` finds "được"/"bị" and a verb, the expiry
    pattern where ``_expiry_words`` finds its words: each test passes wherever the pattern matches."""
    from citegraph.extraction.relate import (_EXPIRY_REACH, _expiry, _expiry_words, _passive, _passive_effect,
                                             _titled_passive, _titled_opener)

    pieces = PIECES + ["ĐƯỢC", "Được", "được sửa đổi, bổ sung bởi", "đã được thay thế theo", "bị BÃI BỎ tại", "bởi", "theo",
                       "Luật số", "về", "quy định", "khoản", "Khoản này", "hết hiệu lực", "HẾT HIỆU LỰC", "kể từ ngày",
                       "này", "nghị", "\n"] * 2
    gap, provision, _ = _passive()
    titled, opener, effect, expiry, words = _titled_passive(), _titled_opener(), _passive_effect(), _expiry(), _expiry_words()
    rnd = random.Random(7)
    found = 0
    for _ in range(2000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        for lo in range(0, len(t), 2):
            for hi in range(lo, len(t) + 1, 3):
                if gap.match(t, lo, hi) or titled.match(t, lo, hi) or provision.search(t, lo, hi):
                    found += 1
                    assert effect.starts_in(t, lo, hi), t[lo:hi]
                    assert not titled.match(t, lo, hi) or opener.match(t, lo, hi), t[lo:hi]
            if expiry.match(t, lo):
                found += 1
                assert words.starts_in(t, lo, lo + _EXPIRY_REACH + 1), t[lo:]
    assert found > 100


def test_clause_cuts() -> None:
    """``ClauseCuts.before`` asked in text order (and, now and then, out of it) gives the last cut by ``rfind``."""
    from citegraph.extraction.relate import ClauseCuts

    pieces = PIECES + [". ", ".", ";", ":", "\n", "x. y"] * 3
    rnd = random.Random(12)
    for _ in range(5000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 16)))
        cuts = ClauseCuts(t)
        positions = sorted(rnd.randint(0, len(t)) for _ in range(6)) + [rnd.randint(0, len(t))]
        for p in positions:
            want = max(t.rfind(". ", 0, p), t.rfind(";", 0, p), t.rfind("\n", 0, p), t.rfind(":", 0, p))
            assert cuts.before(p) == want, (t, positions, p)


def test_last_provision_start() -> None:
    """``_last_provision_start`` gives the last match ``_PROVISION_START.finditer`` finds, over any stretch."""
    from citegraph.extraction.relate import _PROVISION_START, _last_provision_start

    pieces = [" ", "\t", "\f", "\n", "\n\n", "\r\n", ".", ";", ":", "1.", "a)", "12)", "đ.", "*", "_", "x", "Bãi bỏ", "IV."]
    rnd = random.Random(13)
    found = 0
    for _ in range(20000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        for lo in range(0, len(t) + 1, 3):
            for pos in range(lo, len(t) + 1, 2):
                want = None
                for want in _PROVISION_START.finditer(t, lo, pos):
                    pass
                got = _last_provision_start(t, lo, pos)
                assert (got and got.span()) == (want and want.span()), (t, lo, pos)
                found += want is not None
    assert found > 10000


def test_after_breaks_last() -> None:
    """``AfterBreaks.last(text, pos, endpos)`` is the last match the plain pattern finds from ``pos`` to ``endpos``
    (its "^" only where the text begins)."""
    from citegraph.extraction.relate import _opener_line, _type_line

    pieces = PIECES + ["NGHỊ QUYẾT", "THÔNG TƯ", "QUYẾT ĐỊNH", "\n", "\n", "*", "# ", "Căn cứ", ";"] * 2
    rnd = random.Random(14)
    cases = [(p, re.compile(p.pattern, p.flags)) for p in (_type_line(), _opener_line())]
    found = 0
    for _ in range(3000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        for pos in range(0, len(t) + 1, 4):
            for endpos in range(pos, len(t) + 1, 5):
                for p, plain in cases:
                    want = None
                    for want in plain.finditer(t, pos, endpos):
                        pass
                    got = p.last(t, pos, endpos)
                    assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (t, pos, endpos)
                    found += want is not None
    assert found > 1000


def test_paragraph_start_floor() -> None:
    """``paragraph_start(t, pos, lo, floor)`` is ``max(floor, paragraph_start(t, pos, lo))``."""
    from citegraph.extraction.relate import paragraph_start

    pieces = ["\n", "\n\n", "\n \n", " \r\n", "\t", " ", "A", "a", "Căn cứ", "x y", "- ", "+ ", "• ", "*", "#", "_"]
    rnd = random.Random(15)
    for _ in range(20000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        for pos in range(0, len(t) + 1, 2):
            for lo in (0, pos - 3, pos - 9):
                plain = paragraph_start(t, pos, lo)
                for floor in range(0, pos + 1, 2):
                    assert paragraph_start(t, pos, lo, floor) == max(floor, plain), (t, pos, lo, floor)


def test_list_opener_factored() -> None:
    """The list opener's cues grouped by first letter find what their plain alternation finds."""
    from citegraph.extraction.relate import _EFFECTS, _alternation, _list_opener
    from citegraph.extraction.resolve import v_raw_relations
    from citegraph.text.vocab import factored, words_pattern

    v = vocabulary()
    cues = {c for r in v.relations if r["name"] in _EFFECTS for c in r["inline"]} | set(v_raw_relations()["expiry"]["words"])
    types = factored([words_pattern(w) for w in v.type_words()], re.IGNORECASE)
    plain = re.compile(rf"(?:^|\n)(?:[ \t*_]*(?:(?:\d{{1,3}}|[a-zđ])[.)][ \t]*)?(?:(?:{types})\s+này\s+)?"
                       rf"(?P<cue>{_alternation(sorted(cues))})(?![\w])[^:;.\n]*(?:\n[^:;.\n]*){{0,4}}:[ \t*_]*(?=\n))",
                       re.IGNORECASE)
    pieces = PIECES + ["Bãi bỏ", "BÃI BỎ", "sửa đổi, bổ sung", "Sửa đổi bổ sung một số điều của", "hết hiệu lực",
                       "Hết hiệu lực thi hành", "hủy bỏ", "thay thế", "hướng dẫn", "các văn bản sau đây:", ":",
                       "1.", "a)", "Nghị quyết này ", "\n"] * 2 + ["\n", ":\n", "\n1. ", "\nb) ", "\n Thông tư này "] * 6
    rnd = random.Random(16)
    found = 0
    for _ in range(20000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        want = [(m.span(), m.group("cue")) for m in plain.finditer(t)]
        assert [(m.span(), m.group("cue")) for m in _list_opener().finditer(t)] == want, t
        found += len(want)
    assert found > 500
