"""The clause that holds a citation, kept as its provenance (``Reference.sentence``, ``sentence_start``/``_end``).

A clause ends

* after final punctuation (``.``, ``?``, ``!``, ``…``, with closing quotes or brackets) followed by whitespace,
  unless the period is an abbreviation's (``ontology/sentences.json``: ``TP.``, ``KT.``, ``No.``); a period
  between digits (``1.500``, ``5.2``) has no whitespace after it;
* after every ``;``: Vietnamese legal drafting ends each item of a list and each ground of a preamble with one;
* after a ``:`` that ends a line, unless the next line goes on in lower case;
* at a blank line, and before a line that begins with a bullet (``-``, ``+``, ``•``, ``*``);
* before and after a block of lines in capitals: a heading or a title (``QUYẾT ĐỊNH``, ``CHỦ TỊCH ỦY BAN NHÂN
  DÂN TỈNH``), however it is wrapped.

A line break alone is not a boundary: the texts are hard-wrapped anywhere. The clause starts at its first
non-space character and ends at its last. benchmarks/sentences.py measures this against a hand-made gold
(tests/data/sentences/) and against underthesea's ``sent_tokenize``: underthesea splits at ``.?!`` only, so it
knows neither the ``;`` of legal lists nor headings and bullets, and is slower; its abbreviation rule (the word
before the period looked up in a list) is the one used here.

Examples
--------
>>> t = "Căn cứ Luật Thương mại\\nngày 14/6/2005;\\nCăn cứ Nghị định số 81/2018/NĐ-CP.\\nĐiều 1. Ban hành"
>>> s = Sentences(t)
>>> a, b = s.span(t.index("Nghị định"), t.index("81/2018/NĐ-CP") + 13)
>>> t[a:b]
'Căn cứ Nghị định số 81/2018/NĐ-CP.'
>>> t = "QUYẾT ĐỊNH\\nVỀ VIỆC THI HÀNH\\nLUẬT ĐẤT ĐAI\\nCăn cứ Luật Đất đai tại TP. Hồ Chí Minh: a) b"
>>> a, b = Sentences(t).span(t.index("LUẬT"), t.index("LUẬT") + 4)
>>> t[a:b]
'QUYẾT ĐỊNH\\nVỀ VIỆC THI HÀNH\\nLUẬT ĐẤT ĐAI'
>>> a, b = Sentences(t).span(t.index("Luật Đất"), t.index("Luật Đất") + 4)
>>> t[a:b]
'Căn cứ Luật Đất đai tại TP. Hồ Chí Minh: a) b'
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache

from citegraph.text import startcache
from citegraph.text.vocab import raw

__all__ = ["Sentences", "abbreviations"]

_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_CLOSE = r"[.?!…]*[\"”’'»)\]]*(?=\s)"


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """The words of ``ontology/sentences.json`` whose period does not end a sentence.

    >>> {"TP", "No", "KT"} <= abbreviations(), "X" in abbreviations()
    (True, False)
    """
    return frozenset(a["word"] for a in raw("sentences")["abbreviations"])


#: the boundaries but those of capital lines: (a character without which the pattern cannot match, or None; the
#: pattern; where the boundary is: "end" of the match, "start" of it, or "period": its end unless the period ends
#: an abbreviation). Each pattern is led by a literal: the engine then skips to its candidates in C, several times
#: faster than one pattern led by a set. After final punctuation before whitespace, after every ``;``, after a
#: line-final ``:`` when the next line is not in lower case; at a line break before a blank line or a bullet.
_PATTERNS = tuple((guard, startcache.compile(p), where) for guard, p, where in (
    (None, r"\." + _CLOSE, "period"), ("?", r"\?" + _CLOSE, "end"), ("!", "!" + _CLOSE, "end"),
    ("…", "…" + _CLOSE, "end"), (None, ";", "end"), (None, rf":(?=[ \t]*\n(?![ \t\n]*[{_LOWER}]))", "end"),
    (None, r"\n(?=[ \t]*(?:\n|[-+•*][ \t]))", "start")))
#: a line in capitals: a word of two or more upper-case letters (not a piece of a symbol: a line holding only
#: ``72/2025/QH15;`` is a wrapped citation, not a heading) and no lower-case letter (NFC text: the precomposed
#: letters are enough). A line with a lower-case letter fails at it, so a search over ordinary lines costs little
_CAPS_BODY = rf"[^\n{_LOWER}]*(?<![\w/-])[^\W\d_{_LOWER}]{{2,}}(?![\w/-])[^\n{_LOWER}]*"
#: a line break, then a line in capitals (group 1); led by a literal; and the text's first line
_CAPS_LINE = startcache.compile(rf"\n(?=({_CAPS_BODY})(?:\n|\Z))")
_CAPS_FIRST = startcache.compile(rf"{_CAPS_BODY}(?=\n|\Z)")
#: the run of letters, digits and periods that ends where the search ends (the word before a period)
_WORD_END = startcache.compile(r"[\w.]+\Z")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[frozenset[str], int, frozenset[str]]:
    """The abbreviations, the length of the longest, the characters they end with (a cheap first test)."""
    words = abbreviations()
    return words, max(map(len, words)), frozenset(w[-1] for w in words)


def _abbreviation_before(t: str, i: int) -> bool:
    """Does the period at ``t[i]`` end an abbreviation (the run of letters, digits and periods before it)?

    >>> _abbreviation_before("tại TP. Huế", 6), _abbreviation_before("xTP. Huế", 3), _abbreviation_before("TP. Huế", 2)
    (True, False, True)
    """
    words, longest, last = _abbreviations()
    if not i or t[i - 1] not in last:
        return False
    w = _WORD_END.search(t, max(0, i - longest - 1), i)
    return w is not None and w.group() in words and (w.start() == 0 or not t[w.start() - 1].isalnum())


class Sentences:
    """The clauses of one text, asked for the one around a span (boundaries found once, on the first ask)."""

    __slots__ = ("text", "_cuts", "_edges")

    def __init__(self, text: str) -> None:
        self.text = text
        self._cuts: list[int] | None = None
        self._edges: dict[tuple[int, int], list[int]] = {}  # (lo, hi) -> the edges of capital lines within

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``(a, b)``: the clause holding ``text[start:end]``, without the whitespace around it."""
        cuts = self._cuts if self._cuts is not None else self._scan()
        t = self.text
        k = bisect_right(cuts, start)
        lo = cuts[k - 1] if k else 0
        j = bisect_left(cuts, end)
        hi = cuts[j] if j < len(cuts) else len(t)
        edges = self._edges.get((lo, hi))
        if edges is None:  # (a clause within one line has no edge of a line inside it)
            edges = self._edges[lo, hi] = _caps_edges(t, lo, hi) if t.find("\n", lo, hi) >= 0 else []
        if edges:
            k = bisect_right(edges, start)
            lo = max(lo, edges[k - 1]) if k else lo
            j = bisect_left(edges, end)
            hi = min(hi, edges[j]) if j < len(edges) else hi
        while lo < start and t[lo].isspace():
            lo += 1
        while hi > end and t[hi - 1].isspace():
            hi -= 1
        return lo, hi

    def _scan(self) -> list[int]:
        t = self.text
        cuts: list[int] = []
        for guard, rx, where in _PATTERNS:
            if guard is not None and guard not in t:  # a rare character: looking for it first is cheaper
                continue
            if where == "start":
                cuts += [m.start() for m in rx.finditer(t)]
            elif where == "period":  # the abbreviation test runs only when the letter before could end one
                last = _abbreviations()[2]
                cuts += [m.end() for m in rx.finditer(t)
                         if t[m.start() - 1] not in last or not _abbreviation_before(t, m.start())]
            else:
                cuts += [m.end() for m in rx.finditer(t)]
        cuts.sort()
        self._cuts = cuts
        return cuts


def _caps_edges(t: str, lo: int, hi: int) -> list[int]:
    """The edges of the blocks of lines in capitals (a heading, a title) that meet ``t[lo:hi]``: where each
    block starts and where it ends, found over whole lines.

    >>> t = "x.\\nTHÔNG TƯ\\nQUY ĐỊNH\\nCăn cứ Luật\\nNƠI NHẬN\\n72/2025/QH15"
    >>> [t[e:e + 3] for e in _caps_edges(t, 2, len(t))]
    ['THÔ', '\\nCă', 'NƠI', '\\n72']
    """
    a = t.rfind("\n", 0, lo) + 1
    b = t.find("\n", hi)
    b = b if b >= 0 else len(t)
    lines = [m.span(1) for m in _CAPS_LINE.finditer(t, a - 1 if a else 0, b)]
    if a == 0:  # the text's first line has no line break before it
        first = _CAPS_FIRST.match(t, 0, b)
        if first is not None:
            lines.insert(0, first.span())
    edges: list[int] = []
    block_end = -2
    for ls, le in lines:
        if ls != block_end + 1:  # not the line right after the previous capital line: a new block
            if block_end >= 0:
                edges.append(block_end)
            edges.append(ls)
        block_end = le
    if block_end >= 0:
        edges.append(block_end)
    return edges
