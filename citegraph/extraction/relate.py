"""Relating: type the link from the citing document (and from outer references) to each reference.

The preamble (before the first section heading) states what the document rests on: a paragraph that
opens with a cue ("Căn cứ", "Thực hiện", ...) links the document to every top-level reference in it,
and a cue right before a reference ("ban hành Kế hoạch thực hiện ...") links it too. A reference
inside another reference's title ("... về việc thực hiện Kết luận số 114-KL/TW") is linked from that
outer reference. Everything else is ``cites``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import takewhile
from typing import Iterator

from citegraph.extraction.models import Relation
from citegraph.extraction.resolve import Item, relation_of_cue, v_raw_relations
from citegraph.text.normalize import fold
from citegraph.text.vocab import case_variants, factored, vocabulary, words_pattern

_HEADING_TEXT = (
    r"[ \t*#_]*(?:(?:[IVX]+|[A-Z])[.)][ \t]+\S|Điều[ \t]+1\b|Điều[ \t]*\n[ \t]*1\.|Chương[ \t]+I\b|PHẦN[ \t]+(?:I|THỨ)\b|Phần[ \t]+I\b|"
    r"(?:QUYẾT ĐỊNH|NGHỊ QUYẾT|QUY ĐỊNH|CHỈ THỊ)[ \t]*:)")
_HEADING = re.compile("^" + _HEADING_TEXT, re.MULTILINE)
# the same after a line break: a pattern that begins with a literal, which the regex engine skips
# ahead to (it tries "^" at every offset)
_HEADING_AFTER_NL = re.compile("\n" + _HEADING_TEXT)


@lru_cache(maxsize=1)
def _end_cue() -> re.Pattern[str]:
    """A preamble cue ending the text before a reference ("Căn cứ các ")."""
    return re.compile(rf"(?:{_preamble_cues().pattern})[\s,]*(?:các\s+)?$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _end_cue_pieces() -> int:
    """The most blank-separated pieces a preamble cue can match (``words_pattern``: its words, two more
    for each hyphen, ``\\s*-\\s*``, one more for each comma, ``\\s*,``).

    >>> _end_cue_pieces()  # "ban hành kế hoạch hành động thực hiện"
    8
    """
    cues = {c for r in vocabulary().relations for c in r["preamble"]}
    return max(len(c.split()) + 2 * c.count("-") + c.count(",") for c in cues)


def _end_cue_search(text: str, lo: int, hi: int) -> re.Match[str] | None:
    """``_end_cue().search(text[lo:hi])`` (the same cue; offsets in ``text``), tried on the last words only.

    A match is a cue, then blanks and commas, then perhaps "các" and blanks, up to ``hi``. Let ``e``
    be where ``text[lo:hi]`` ends once blanks and commas are taken off its end, three characters
    ("các") and blanks and commas again taken off: the cue ends at or after ``e``, so all but its
    last pieces lie before ``e``, and it begins in one of the last ``_end_cue_pieces()`` pieces of
    ``text[lo:e]``. Searching from there (``rsplit``: ``\\s`` is ``str.isspace()``) finds the same
    leftmost match, since none begins earlier; the pattern looks neither behind where it is tried
    nor past ``hi``, which ``endpos`` makes the end of the text as the slice did.

    >>> t = "ban hành Kế hoạch, Căn cứ vào các  Quyết định"
    >>> _end_cue_search(t, 0, 34).group("cue"), _end_cue_search(t, 0, 12), _end_cue_search(t, 5, 3)
    ('Căn cứ vào', None, None)
    """
    if lo >= hi:
        return None
    e = _strip_end(text, lo, hi)
    e = _strip_end(text, lo, max(lo, e - 3))
    pieces = _end_cue_pieces()
    parts = text[lo:e].rsplit(None, pieces)
    start = lo + len(parts[0]) if len(parts) > pieces else lo
    return _end_cue().search(text, start, hi)


def _strip_end(text: str, lo: int, hi: int) -> int:
    """End of ``text[lo:hi]`` with its trailing blanks and commas taken off (offset in ``text``).

    >>> _strip_end("ab , \\n", 0, 6), _strip_end(" ,", 0, 2)
    (2, 0)
    """
    while hi > lo and (text[hi - 1] == "," or text[hi - 1].isspace()):
        hi -= 1
    return hi


_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _preamble_cues() -> re.Pattern[str]:
    cues = sorted({c for r in vocabulary().relations for c in r["preamble"]}, key=len, reverse=True)
    # grouped by first letter (see vocab.factored): the same matches, found faster
    return re.compile(rf"(?P<cue>{factored([words_pattern(c) for c in cues], re.IGNORECASE)})(?![\w])", re.IGNORECASE)


_EFFECTS = ("amends", "replaces", "repeals", "guides")


@lru_cache(maxsize=1)
def _self_effect() -> re.Pattern[str]:
    """A clause whose subject is the citing document itself stating a legal effect on what follows:
    "Sửa đổi, bổ sung một số điều của ...", "Điều 3. Quyết định này thay thế ...", "Bãi bỏ ..."."""
    v = vocabulary()
    cues = sorted({c for r in v.relations if r["name"] in _EFFECTS for c in r["inline"]}, key=len, reverse=True)
    fillers = "|".join(words_pattern(f) for f in v_raw_relations()["inline_fillers"])
    types = factored([words_pattern(w) for w in v.type_words()], re.IGNORECASE)
    return re.compile(
        rf"^(?:Điều\s+\d+\w*\s*[.:]\s*)?(?:(?:{types})\s+này\s+(?:có\s+hiệu\s+lực[^.;:]{{0,80}}?\s+và\s+)?(?:được\s+)?)?"
        rf"(?P<cue>{'|'.join(words_pattern(c) for c in cues)})(?:\s*,?\s*(?:{fillers}))*\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _self_effect_first() -> frozenset[str] | None:
    """The characters a clause ``_self_effect()`` matches begins with: the first letters of "Điều", of
    the type words and of the effect cues, in all their cases (None, all of them, if one of these
    does not begin with a letter). Its pattern is anchored at the clause's start, so a clause
    beginning with another character (or empty) does not match and is not tried.

    >>> f = _self_effect_first()
    >>> all(c in f for c in "đĐbBsStTQq"), "x" in f, "(" in f
    (True, False, False)
    """
    v = vocabulary()
    words = ["Điều", *v.type_words(), *(c for r in v.relations if r["name"] in _EFFECTS for c in r["inline"])]
    if not all(w[:1].isalpha() for w in words):
        return None
    return case_variants("".join(w[0] for w in words))


def _alternation(words: list[str]) -> str:
    return "|".join(words_pattern(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _passive() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Patterns of ``relations.json`` "passive": the gap between an affected reference and the acting one
    ("được sửa đổi, bổ sung bởi Luật số"), and a clause whose subject is a provision of the text itself
    ("Khoản này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1 của Luật số"); and verb → relation."""
    data = v_raw_relations()["passive"]
    verb_rel = {fold(w): rel for rel, ws in data["verbs"].items() for w in ws}
    verbs = _alternation([w for ws in data["verbs"].values() for w in ws])
    agents = _alternation(data["agents"])
    types = factored([words_pattern(w) for w in vocabulary().type_words()], re.IGNORECASE)
    effect = (rf"(?:đã\s+|cũng\s+)?(?:được|bị)\s+(?P<verb>{verbs})(?:\s+lần\s+thứ\s+\w+)?(?:\s+một\s+số\s+điều)?"
              rf"(?:\s+(?:{agents})\b)")
    tail = (rf"(?:[^.;:\n]{{0,120}}?\s(?:của|tại|theo))?\s*(?:(?:\d{{1,3}}|[a-zđ])[.)]\s*)?(?:các\s+)?(?:(?:{types})\s+)?"
            rf"(?:số\s*)?\Z")
    gap = re.compile(rf"[\s,]*(?:có\s+hiệu\s+lực[^.;:]{{0,60}}?[,\s]+)?(?:và\s+)?{effect}\s*(?P<list>:)?\s*{tail}",
                     re.IGNORECASE)
    provision = re.compile(rf"(?<![\w])(?:{_alternation(data['provisions'])})(?![\w])[^.;:]{{0,120}}?(?<![\w])này\s+"
                           rf"{effect}[^.;]{{0,160}}\Z", re.IGNORECASE)
    return gap, provision, verb_rel


@lru_cache(maxsize=1)
def _expiry() -> re.Pattern[str]:
    """After a reference: "... hết hiệu lực (thi hành) kể từ ngày <this document> có hiệu lực"."""
    words = _alternation(v_raw_relations()["expiry"]["words"])
    return re.compile(rf"[^.;]{{0,300}}?(?<![\w])(?:{words})(?![\w])[^.;]{{0,20}}?\s(?:kể\s+)?từ\s+ngày[^.;]{{0,80}}?"
                      rf"(?<![\w])này(?![\w])", re.IGNORECASE)


class AfterBreaks:
    r"""The matches of ``(?:^|BREAK)BODY`` (``BREAK`` a line break or another one-character class), found
    faster: a pattern that begins with an alternation holding ``^`` is tried at every offset of a text, one
    that begins with a character class is searched for that class first (a regex engine's fast scan). So
    ``BODY`` is matched at the text's start, then ``BREAK BODY`` searched after it: the same matches, the
    same spans and groups.

    >>> p = AfterBreaks(r"\n", r"Điều \d+")
    >>> [m.span() for m in p.finditer("Điều 1\nĐiều 2, Điều 3")]
    [(0, 6), (6, 13)]
    """

    def __init__(self, brk: str, body: str, flags: int = 0) -> None:
        self.pattern, self.flags = f"(?:^|{brk})(?:{body})", flags  # what it finds the matches of
        self.first = re.compile(body, flags)
        self.rest = re.compile(f"{brk}(?:{body})", flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``re.finditer(self.pattern, text, self.flags)`` yields."""
        m = self.first.match(text)
        if m is not None:
            yield m
        yield from self.rest.finditer(text, m.end() if m is not None else 0)


@lru_cache(maxsize=1)
def _list_opener() -> AfterBreaks:
    """A clause that states an effect on a list that follows ("Bãi bỏ toàn bộ 14 văn bản ... sau đây:"):
    an effect cue at a line start (after a list marker), a colon ending the clause."""
    cues = {c for r in vocabulary().relations if r["name"] in _EFFECTS for c in r["inline"]}
    cues |= set(v_raw_relations()["expiry"]["words"])
    types = factored([words_pattern(w) for w in vocabulary().type_words()], re.IGNORECASE)
    return AfterBreaks(r"\n", rf"[ \t*_]*(?:(?:\d{{1,3}}|[a-zđ])[.)][ \t]*)?(?:(?:{types})\s+này\s+)?(?P<cue>{_alternation(sorted(cues))})(?![\w])"
                       rf"[^:;.\n]*(?:\n[^:;.\n]*){{0,4}}:[ \t*_]*(?=\n)", re.IGNORECASE)


_LIST_ITEM = re.compile(r"(?:^|\n)[ \t*_|]*(?:\d{1,3}|[a-zđ]|[IVXLC]+)[.)][ \t*_]*\Z|(?:^|\n)[ \t*_|]*[-+•][ \t]*\Z")
_ARTICLE = re.compile(r"\n[ \t*_#]*(?:Điều[ \t]+\d+|Chương[ \t]+[IVXLC\d]+|PHẦN|Phần[ \t]+thứ)")


def clause_starts(text: str) -> list[int]:
    r"""Where the clauses of a text begin: each preamble cue or clause opener ("Xét", "Theo đề nghị") written
    with a capital at the start of a line or after a semicolon. Scraped texts wrap lines anywhere and have no
    blank lines between clauses; one clause may list several documents ("Căn cứ Nghị định số 1/2024/NĐ-CP;
    Nghị định số 2/2024/NĐ-CP").

    >>> clause_starts("Căn cứ Luật A;\nNghị định số 1;\nXét Tờ trình số 2;\ntheo Luật B")
    [0, 31]
    """
    return [m.start("w") for m in _opener_line().finditer(text) if text[m.start("w")].isupper()]


def _clause_opening(text: str, pos: int, starts: list[int]) -> str | None:
    """The clause holding ``pos`` (see :func:`clause_starts`), from its start; None when none begins before it."""
    i = bisect_left(starts, pos)
    return text[starts[i - 1]:pos] if i else None


@lru_cache(maxsize=1)
def _opener_line() -> AfterBreaks:
    words = {c for r in vocabulary().relations for c in r["preamble"]} | set(v_raw_relations()["clause_openers"]["words"])
    return AfterBreaks(r"[\n;]", rf"[ \t*_\-+•]*(?P<w>{_alternation(sorted(words))})(?![\w])", re.IGNORECASE)


def _between(text: str, items: list[Item], index_of: dict[int, int], out: list[Relation]) -> None:
    """Relations the text states between two references, and effects on lists and by expiry (in place).

    * "X được sửa đổi, bổ sung bởi Y[, Z và W]": Y (and the members coordinated with it) amends X;
      likewise replaces and repeals;
    * in a text that states one of these of a document (a consolidated text: "Luật X số N ... được sửa đổi,
      bổ sung bởi: 1. Luật số ..."), "Khoản này được sửa đổi, bổ sung theo ... của Luật số Y": Y amends X;
    * "Bãi bỏ (toàn bộ) các văn bản sau đây:" then list items "1. Thông tư số ...": the citing document
      repeals each (replaces, amends likewise);
    * "X ... hết hiệu lực kể từ ngày Nghị quyết này có hiệu lực": the citing document repeals X.
    """
    gap_rx, provision_rx, verb_rel = _passive()
    expiry = _expiry()
    self_rel = {r.target: r for r in out if r.source == "SELF"}
    have = {(r.source, r.rel, r.target) for r in out}
    tops = [k for k, it in enumerate(items) if it.parent is None]
    base: int | None = None

    def add(src: object, rel: str, dst: int, cue: str) -> None:
        key = (src, rel, dst)
        if key not in have and src != dst:
            have.add(key)
            out.append(Relation(src, rel, dst, cue))  # type: ignore[arg-type]

    def set_self(k: int, rel: str, cue: str) -> None:
        r = self_rel.get(index_of[k])
        if r is not None and r.rel == "cites":
            r.rel, r.cue = rel, cue  # type: ignore[assignment]

    # lists opened by an effect clause ("Bãi bỏ ... sau đây:": the citing document acts on each item) or by
    # a passive one ("X ... được sửa đổi, bổ sung bởi:": each item acts on X)
    openers: list[tuple[int, str, str, int | None]] = [
        (m.end(), relation_of_cue(m.group("cue")) or "repeals", _WS.sub(" ", m.group("cue")), None)
        for m in _list_opener().finditer(text)]
    articles = [m.start() for m in _ARTICLE.finditer(text)]
    for pos, j in enumerate(tops):
        it = items[j]
        prev = items[tops[pos - 1]] if pos else None
        # X <passive> Y: the gap since the previous top-level reference
        if prev is not None and prev.meta_end <= it.m.start and it.m.start - prev.meta_end < 260:
            m = gap_rx.match(text, prev.meta_end, it.m.start)
            if m:
                rel = verb_rel.get(fold(_WS.sub(" ", m.group("verb"))), "amends")
                subject = tops[pos - 1]
                for k in [j, *takewhile(lambda k: items[k].group == it.group, tops[pos + 1:pos + 200])]:
                    add(index_of[k], rel, index_of[subject], m.group("verb"))
                if base is None and rel == "amends":
                    base = subject
                if m.group("list"):
                    openers.append((m.start("list"), rel, m.group("verb"), subject))
                    openers.sort()
                continue
        # "Khoản này được sửa đổi, bổ sung theo ... của Luật số Y"
        if base is not None:
            w = max(0, it.m.start - 600)
            lo = max(text.rfind(". ", w, it.m.start), text.rfind(";", w, it.m.start), text.rfind("\n\n", w, it.m.start), w)
            m = provision_rx.search(text, lo, it.m.start)
            if m:
                rel = verb_rel.get(fold(_WS.sub(" ", m.group("verb"))), "amends")
                add(index_of[j], rel, index_of[base], m.group("verb"))
                continue
        # list items after an effect clause, up to the next article
        o = bisect_right(openers, (it.m.start, "~"))
        opener = openers[o - 1] if o else None
        if opener is not None and bisect_left(articles, it.m.start) == bisect_right(articles, opener[0]):
            line = text[max(text.rfind("\n", max(0, it.m.start - 200), it.m.start), opener[0] - 1):it.m.start]
            if _LIST_ITEM.search(line):
                if opener[3] is None:
                    set_self(j, opener[1], opener[2])
                else:
                    add(index_of[j], opener[1], index_of[opener[3]], opener[2])
                continue
        # X ... hết hiệu lực kể từ ngày ... này có hiệu lực
        m = expiry.match(text, it.meta_end)
        if m and not any(items[k].m.start < m.end() for k in tops[pos + 1:pos + 2]):
            set_self(j, "repeals", "hết hiệu lực")
            for k in reversed(tops[:pos]):
                if items[k].group != it.group:
                    break
                set_self(k, "repeals", "hết hiệu lực")


class TextSearch:
    """``t.rfind(needle, 0, start)`` and ``t.find(needle, end)`` for one text, remembering the last
    answers: asked in text order, each search covers only the stretch since the previous one.

    The last occurrence ending by ``start`` is the one ending by an earlier ``s0`` unless one ends
    in between; the first at or after ``end`` is the one found from an earlier ``e0`` while it is
    still at or after ``end`` (or there was none).
    """

    __slots__ = ("t", "back", "fwd")

    def __init__(self, t: str) -> None:
        self.t = t
        self.back: dict[str, tuple[int, int]] = {}
        self.fwd: dict[str, tuple[int, int]] = {}

    def rfind(self, needle: str, start: int) -> int:
        prev = self.back.get(needle)
        if prev is not None and prev[0] <= start:
            i = self.t.rfind(needle, max(0, prev[0] - len(needle) + 1), start)
            i = i if i >= 0 else prev[1]
        else:
            i = self.t.rfind(needle, 0, start)
        self.back[needle] = (start, i)
        return i

    def find(self, needle: str, end: int) -> int:
        prev = self.fwd.get(needle)
        if prev is not None and prev[0] <= end and (prev[1] < 0 or prev[1] >= end):
            return prev[1]
        i = self.t.find(needle, end)
        self.fwd[needle] = (end, i)
        return i


def _clause_before(text: str, pos: int, search: TextSearch | None = None) -> str:
    """The text from the start of the clause holding ``pos`` up to it."""
    s = search or TextSearch(text)
    # max() of two ints compiles to a comparison; of four it is a call of the builtin
    lo = max(max(s.rfind(". ", pos), s.rfind(";", pos)), max(s.rfind("\n", pos), s.rfind(":", pos)))
    return text[lo + 1:pos].strip(" \t*_-+•")


def preamble_end(text: str) -> int:
    """Offset where the body starts (the first section heading); the whole text if there is none.

    ``_HEADING.search(text)``: its "^" (MULTILINE) matches where the text begins and after each "\\n",
    so the first heading is one at the start or, failing that, the first one after a "\\n".

    >>> preamble_end("KẾ HOẠCH\\nThực hiện X\\n\\nI. MỤC ĐÍCH\\n..."), preamble_end("I. A"), preamble_end("a\\nb")
    (22, 0, 3)
    """
    if _HEADING.match(text):
        return 0
    m = _HEADING_AFTER_NL.search(text)
    return m.start() + 1 if m else len(text)


#: the longest paragraph :func:`paragraph_start` looks back over (a text without paragraphs costs no more)
_PARAGRAPH_MAX = 6000


def paragraph_start(text: str, pos: int, lo: int = 0) -> int:
    r"""Start of the paragraph holding ``pos``: after a blank line followed by a capital or a bullet.

    Lines separated by blank lines that go on in lower case belong to the same paragraph. It is not looked
    for before ``lo`` (the start of a line at or after ``lo`` is then the answer).

    >>> paragraph_start("A\n\nB x\ncon", 9), paragraph_start("a\nb\nc", 5, 3)
    (3, 4)
    """
    i = pos
    lo = max(lo, 0)
    while True:
        j = text.rfind("\n", lo, i)
        if j < 0:
            if not lo:
                return 0
            n = text.find("\n", lo, pos)
            return n + 1 if n >= 0 else lo
        k = j
        while k > 0 and text[k - 1] in " \t\r":
            k -= 1
        blank_before = k > 0 and text[k - 1] == "\n"
        line = text[j + 1:i] if i > j else ""
        first = line.lstrip(" \t*_#")
        if blank_before and (not first or first[0].isupper() or first[0] in "-+•"):
            return j + 1
        if first[:1] in ("-", "+", "•") and text[j + 1:j + 81].lstrip(" \t")[:1] in ("-", "+", "•"):
            return j + 1
        i = k - 1 if blank_before else j
        if i <= 0:
            return 0


def relations(text: str, items: list[Item], index_of: dict[int, int]) -> list[Relation]:
    """Relations for the resolved ``items`` of a matching-view ``text``.

    ``index_of`` maps an item's position in ``items`` to its index among the output references.
    """
    out: list[Relation] = []
    body_start = preamble_end(text)
    cue_rx = _preamble_cues()
    prev_end = 0
    search = TextSearch(text)
    self_effect, effect_first = _self_effect(), _self_effect_first()
    clauses = clause_starts(text[:body_start])
    for k, it in enumerate(items):
        ref_index = index_of[k]
        if it.parent is not None:
            out.append(Relation(index_of[it.parent], it.rel or "cites", ref_index, it.cue))  # type: ignore[arg-type]
            out.append(Relation("SELF", "cites", ref_index, None))
            prev_end = it.meta_end
            continue
        rel, cue = "cites", None
        clause = _clause_before(text, it.m.start, search) if it.m.start - prev_end > 3 else ""
        # tried only where it can begin (see _self_effect_first)
        effect = self_effect.match(clause) if clause and (effect_first is None or clause[0] in effect_first) else None
        if effect:
            cue = _WS.sub(" ", effect.group("cue"))
            rel = relation_of_cue(cue) or "cites"
        elif it.m.start < body_start:
            para_start = paragraph_start(text, it.m.start, it.m.start - _PARAGRAPH_MAX)
            end_cue = _end_cue_search(text, max(prev_end, para_start), it.m.start)
            # the clause's opener ("Căn cứ", "Xét") where lines start clauses, else the paragraph's
            opening = _clause_opening(text, it.m.start, clauses)
            if opening is None:
                opening = text[para_start:it.m.start].lstrip(" \t*_-+•\n")
            open_cue = cue_rx.match(opening)
            if end_cue:
                cue = _WS.sub(" ", end_cue.group("cue"))
            elif open_cue:
                cue = _WS.sub(" ", open_cue.group("cue"))
            if cue:
                rel = relation_of_cue(cue, "preamble") or "cites"
        # a coordinated member shares the relation of the first one in its group
        if k > 0 and items[k - 1].group == it.group and out:
            prev_rel = next((r for r in reversed(out) if r.target == index_of[k - 1] and r.source == "SELF"), None)
            if prev_rel is not None and rel == "cites":
                rel, cue = prev_rel.rel, prev_rel.cue
        out.append(Relation("SELF", rel, ref_index, cue))  # type: ignore[arg-type]
        prev_end = it.meta_end
    _between(text, items, index_of, out)
    return out
