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
from typing import Callable, Iterator

from citegraph.text import startcache
from citegraph.extraction.models import Relation
from citegraph.extraction.resolve import Item, relation_of_cue, v_raw_relations
from citegraph.text.prefilter import Pattern, WordsBefore, shared_words
from citegraph.text.normalize import fold
from citegraph.text.vocab import case_variants, factored, longest_first, vocabulary, words_pattern

_HEADING_TEXT = (
    r"[ \t*#_]*(?:(?:[IVX]+|[A-Z])[.)][ \t]+\S|Điều[ \t]+1\b|Điều[ \t]*\n[ \t]*1\.|Chương[ \t]+I\b|PHẦN[ \t]+(?:I|THỨ)\b|Phần[ \t]+I\b|"
    r"(?:QUYẾT ĐỊNH|NGHỊ QUYẾT|QUY ĐỊNH|CHỈ THỊ)[ \t]*:)")
_HEADING = startcache.compile("^" + _HEADING_TEXT, re.MULTILINE)
# the same after a line break: a pattern that begins with a literal, which the regex engine skips
# ahead to (it tries "^" at every offset)
_HEADING_AFTER_NL = startcache.compile("\n" + _HEADING_TEXT)


@lru_cache(maxsize=1)
def _end_cue() -> re.Pattern[str]:
    """A preamble cue ending the text before a reference ("Căn cứ các ")."""
    return startcache.compile(rf"(?:{_preamble_cues().pattern})[\s,]*(?:các\s+)?$", re.IGNORECASE)


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


_WS = startcache.compile(r"\s+")


@lru_cache(maxsize=1)
def _preamble_cues() -> re.Pattern[str]:
    cues = longest_first(c for r in vocabulary().relations for c in r["preamble"])
    # grouped by first letter (see vocab.factored): the same matches, found faster
    return startcache.compile(rf"(?P<cue>{factored([words_pattern(c) for c in cues], re.IGNORECASE)})(?![\w])", re.IGNORECASE)


_EFFECTS = ("amends", "replaces", "repeals", "guides")
#: ``add(source, rel, target, cue)``: a relation between two items (positions in the item list)
_Add = Callable[[int, str, int, str], None]


@lru_cache(maxsize=1)
def _self_effect() -> re.Pattern[str]:
    """A clause whose subject is the citing document itself stating a legal effect on what follows:
    "Sửa đổi, bổ sung một số điều của ...", "Điều 3. Quyết định này thay thế ...", "Bãi bỏ ..."."""
    v = vocabulary()
    cues = longest_first(c for r in v.relations if r["name"] in _EFFECTS for c in r["inline"])
    fillers = "|".join(words_pattern(f) for f in v_raw_relations()["inline_fillers"])
    types = factored([words_pattern(w) for w in v.type_words()], re.IGNORECASE)
    return startcache.compile(
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
    return "|".join(words_pattern(w) for w in longest_first(words))


@lru_cache(maxsize=1)
def _passive_verbs() -> str:
    """The alternation of ``relations.json`` "passive" verbs ("sửa đổi, bổ sung", "thay thế", ...)."""
    return _alternation([w for ws in v_raw_relations()["passive"]["verbs"].values() for w in ws])


@lru_cache(maxsize=1)
def _passive_effect() -> Pattern:
    """"được" or "bị" and a passive verb ("được sửa đổi", "bị bãi bỏ"): what every match of the patterns of
    :func:`_passive` and :func:`_titled_passive` holds, found faster than they fail."""
    return Pattern(rf"(?:được|bị)\s+(?:{_passive_verbs()})", re.IGNORECASE, name="passive effect")


@lru_cache(maxsize=1)
def _passive() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Patterns of ``relations.json`` "passive": the gap between an affected reference and the acting one
    ("được sửa đổi, bổ sung bởi Luật số"), and a clause whose subject is a provision of the text itself
    ("Khoản này được sửa đổi, bổ sung theo quy định tại khoản 1 Điều 1 của Luật số"); and verb → relation."""
    data = v_raw_relations()["passive"]
    verb_rel = {fold(w): rel for rel, ws in data["verbs"].items() for w in ws}
    verbs = _passive_verbs()
    agents = _alternation(data["agents"])
    types = factored([words_pattern(w) for w in vocabulary().type_words()], re.IGNORECASE)
    parts = _alternation(data["provisions"])  # "một số điều", "một số nội dung", "một số điều, khoản"
    effect = (rf"(?P<eff>(?:đã\s+|cũng\s+)?(?:được|bị))\s+(?P<verb>{verbs})(?:\s+lần\s+thứ\s+\w+)?"
              rf"(?:\s+một\s+số\s+(?:{parts})(?:\s*,\s*(?:{parts}))*)?(?:\s+(?:{agents})\b)")
    tail = (rf"(?:[^.;:\n]{{0,120}}?\s(?:của|tại|theo))?\s*(?:(?:\d{{1,3}}|[a-zđ])[.)]\s*)?(?:các\s+)?(?:(?:{types})\s+)?"
            rf"(?:số\s*)?\Z")
    gap = startcache.compile(rf"[\s,]*(?:\(\s*)?(?:có\s+hiệu\s+lực[^.;:]{{0,60}}?[,\s]+)?(?:và\s+)?{effect}\s*(?P<list>:)?\s*{tail}",
                     re.IGNORECASE)
    provision = startcache.compile(rf"(?<![\w])(?:{_alternation(data['provisions'])})(?![\w])[^.;:]{{0,120}}?(?<![\w])này\s+"
                           rf"{effect}[^.;]{{0,160}}\Z", re.IGNORECASE)
    return gap, provision, verb_rel


@lru_cache(maxsize=1)
def _titled_opener() -> re.Pattern[str]:
    """How a match of :func:`_titled_passive` begins: a title opener ("về", "quy định", ...)."""
    openers = _alternation([o for o in v_raw_relations()["title_openers"] if o[:1].isalpha()])
    return startcache.compile(rf"[\s,]*(?:{openers})(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _titled_passive() -> re.Pattern[str]:
    """The gap of :func:`_passive` behind the affected reference's title ("Thông tư số X ... quy định chuẩn
    ...⏎Được thay thế bởi Thông tư số Y", a row of a table of expired documents): a title opener, then
    text with no sentence end, colon or clause-ending semicolon, then the gap."""
    return startcache.compile(rf"{_titled_opener().pattern}(?:[^.:;]|[.;](?![ \t\r\n])|;(?=[ \t]*[a-zđà-ỹ]))*?(?=[\s,])"
                      + _passive()[0].pattern, re.IGNORECASE)


#: how far after a reference :func:`_expiry` looks for its words
_EXPIRY_REACH = 300


@lru_cache(maxsize=1)
def _expiry_words() -> Pattern:
    """The words of :func:`_expiry` ("hết hiệu lực"), which it finds within ``_EXPIRY_REACH`` characters."""
    return Pattern(_alternation(v_raw_relations()["expiry"]["words"]), re.IGNORECASE, name="expiry words")


@lru_cache(maxsize=1)
def _expiry() -> re.Pattern[str]:
    """After a reference: "... hết hiệu lực (thi hành) kể từ ngày <this document> có hiệu lực"."""
    words = _alternation(v_raw_relations()["expiry"]["words"])
    return startcache.compile(rf"[^.;]{{0,{_EXPIRY_REACH}}}?(?<![\w])(?:{words})(?![\w])[^.;]{{0,20}}?\s(?:kể\s+)?từ\s+ngày[^.;]{{0,80}}?"
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
        self.first = startcache.compile(body, flags)
        self.rest = startcache.compile(f"{brk}(?:{body})", flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``re.finditer(self.pattern, text, self.flags)`` yields."""
        m = self.first.match(text)
        if m is not None:
            yield m
        yield from self.rest.finditer(text, m.end() if m is not None else 0)

    def last(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        r"""The last match ``re.compile(self.pattern, self.flags).finditer(text, pos, endpos)`` yields, None if none.
        Its "^" (no MULTILINE) matches where the text begins only, not at ``pos``: ``BODY`` alone is tried
        only when ``pos`` is 0.

        >>> p = AfterBreaks(r"\n", r"Điều \d+")
        >>> [m and m.span() for m in (p.last("Điều 1\nĐiều 2", 0, 7), p.last("Điều 1\nĐiều 2", 1, 13))]
        [(0, 6), (6, 13)]
        """
        last = self.first.match(text, 0, endpos) if pos == 0 else None
        for last in self.rest.finditer(text, pos if last is None else last.end(), endpos):
            pass
        return last


#: a colon that ends a line (blanks and emphasis between)
_COLON_AT_LINE_END = startcache.compile(r":[ \t*_]*\n")


class LinesToColon(AfterBreaks):
    r"""The matches of ``(?:^|\n)BODY`` for a ``BODY`` that ends at a colon closing a line (``:[ \t*_]*(?=\n)``)
    and matches no colon or semicolon before it, nor a full stop but on its first line (a list marker's):
    found from the colons that close a line, not tried after every line break.

    A match ending at such a colon ``c`` begins after the last colon or semicolon before ``c``, and not before
    the line holding the last full stop between them (that stop is on the match's first line, or before the
    match). So the pattern is searched only over that stretch, up to the line break after ``c``: the same
    matches, one after the other as ``finditer`` finds them (each ends at its colon, the next begins after).

    >>> p = LinesToColon(r"[ \t]*(?:\d\.[ \t]*)?(?P<cue>Bãi bỏ)[^:;.\n]*(?:\n[^:;.\n]*){0,4}:[ \t]*(?=\n)")
    >>> t = "Bãi bỏ các văn bản:\n1. Thông tư số 1.\n2. Bãi bỏ văn bản\nsau đây:\na) X; Bãi bỏ: \n"
    >>> [m.span() for m in p.finditer(t)] == [m.span() for m in re.finditer(p.pattern, t)] == [(0, 19), (37, 64)]
    True
    """

    def __init__(self, body: str, flags: int = 0) -> None:
        super().__init__(r"\n", body, flags)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """What ``re.finditer(self.pattern, text, self.flags)`` yields."""
        m = self.first.match(text)
        last = 0
        if m is not None:
            yield m
            last = m.end()
        rfind = text.rfind
        for c in _COLON_AT_LINE_END.finditer(text, last):
            colon = c.start()
            lo = max(rfind(";", last, colon), rfind(":", last, colon), last - 1) + 1
            stop = rfind(".", lo, colon)
            if stop >= 0:
                lo = max(lo, rfind("\n", lo, stop))
            m = self.rest.search(text, lo, c.end())
            if m is not None:
                yield m
                last = m.end()


@lru_cache(maxsize=1)
def _list_opener() -> AfterBreaks:
    """A clause that states an effect on a list that follows ("Bãi bỏ toàn bộ 14 văn bản ... sau đây:"):
    an effect cue at a line start (after a list marker), a colon ending the clause."""
    cues = {c for r in vocabulary().relations if r["name"] in _EFFECTS for c in r["inline"]}
    cues |= set(v_raw_relations()["expiry"]["words"])
    types = factored([words_pattern(w) for w in vocabulary().type_words()], re.IGNORECASE)
    # grouped by first letter (see vocab.factored): the same matches, found faster
    alts = factored([words_pattern(c) for c in longest_first(cues)], re.IGNORECASE)
    body = (rf"[ \t*_]*(?:(?:\d{{1,3}}|[a-zđ])[.)][ \t]*)?(?:(?:{types})\s+này\s+)?(?P<cue>{alts})(?![\w])"
            rf"[^:;.\n]*(?:\n[^:;.\n]*){{0,4}}:[ \t*_]*(?=\n)")
    # no colon, semicolon or full stop in the cues and type words: the colon ends the clause (see LinesToColon)
    if any(c in w for w in [*cues, *vocabulary().type_words()] for c in ":;."):
        return AfterBreaks(r"\n", body, re.IGNORECASE)
    return LinesToColon(body, re.IGNORECASE)


@lru_cache(maxsize=1)
def _quoting() -> Pattern:
    """The words that introduce a passage quoted from another document ("... có căn cứ ban hành như sau:",
    "... quy định như sau: “"); group ``q`` when the words need an opening quote after them. Tried only
    around a word all the phrases share (see citegraph.text.prefilter)."""
    data = v_raw_relations()["quoting"]
    need = set(data["quote_required"])
    free = _alternation([w for w in data["words"] if w not in need])
    quoted = _alternation(sorted(need))
    keys, back = shared_words(data["words"])
    return Pattern(rf"(?<![\w])(?:{free}|(?P<q>{quoted}))[ \t]*:?(?(q)\s*(?=[“\"]))", re.IGNORECASE,
                   keys=keys, start=WordsBefore(back), share="mentions", name="quoting")


@lru_cache(maxsize=1)
def _effect_cue() -> re.Pattern[str]:
    """An effect cue anywhere in a clause ("... ban hành Luật sửa đổi, bổ sung một số điều của")."""
    # "thi hành" alone states guides only in a title ("về thi hành Điều lệ Đảng"); in a clause it is the
    # document's own entry into force ("Luật này có hiệu lực thi hành")
    cues = [c for r in vocabulary().relations if r["name"] in _EFFECTS for c in r["inline"] if c != "thi hành"]
    return startcache.compile(rf"(?<![\w])(?P<cue>{_alternation(cues)})(?![\w])", re.IGNORECASE)


# where a sentence of a footnote ends: a full stop or semicolon before a blank or a closing quote, a closing
# quote before one
_SENTENCE_END = startcache.compile(r"[.;][ \t]*[”\"]|[”\"][ \t]*[.;]|[.;](?=\s)")
_QUOTE_PAIRS = {"“": "”", '"': '"'}


def _closing_quote(text: str, q: int) -> int:
    """Where the quotation opening at ``q`` closes, quotations inside it skipped; -1 if it does not.

    >>> _closing_quote('“a “b” c” d', 0), _closing_quote('"a" b', 0), _closing_quote('a', 0)
    (8, 2, -1)
    """
    close = _QUOTE_PAIRS.get(text[q:q + 1])
    if close is None:
        return -1
    if close == text[q]:
        return text.find(close, q + 1)
    depth, i = 1, q + 1
    while depth:
        o, c = text.find(text[q], i), text.find(close, i)
        if c < 0:
            return -1
        if 0 <= o < c:
            depth, i = depth + 1, o + 1
        else:
            depth, i = depth - 1, c + 1
    return i - 1


def _amender_like(items: list[Item], k: int) -> bool:
    """Whether item ``k`` can continue a list of acting documents ("được sửa đổi theo Luật số X, Luật số Y và
    Pháp lệnh sửa đổi ... năm 1989"): one cited by number alone, or by an amending name. A law cited by its
    own name ("Luật Dầu khí năm 1993", "Luật Đất đai số 45/2013/QH13") begins the next member of an outer list."""
    it = items[k]
    if it.m.kind == "numbered":
        return not (k and items[k - 1].m.kind == "named" and items[k - 1].group == it.group)
    return bool(it.m.name and _effect_cue().search(it.m.name))


def quoted_scopes(text: str, items: list[Item], tops: list[int]) -> list[tuple[int, int, int]]:
    """Passages a text quotes from a document it cites, as ``(start, end, speaker)``: the speaker is the
    first reference of the sentence introducing the passage (an item position), and inside the passage
    it is the citing document ("Luật này", "Căn cứ ...", "Bãi bỏ ...").

    A consolidated text quotes the enacting formula and the final provisions of each document it merges:
    "Luật số X ... có căn cứ ban hành như sau: “Căn cứ A; Quốc hội ban hành Luật sửa đổi ... của Luật B số
    Y.”" and "Điều 2 của Luật số X ... quy định như sau: “... Bãi bỏ ... các luật sau đây: a) ...”".
    """
    starts = [items[k].m.start for k in tops]
    scopes: list[tuple[int, int, int]] = []
    for m in _quoting().finditer(text):
        if scopes and m.start() < scopes[-1][1]:
            continue
        lo = max(0, m.start() - 1500)
        ends = [e.end() for e in _SENTENCE_END.finditer(text, lo, m.start())]
        a, b = bisect_left(starts, ends[-1] if ends else lo), bisect_left(starts, m.start())
        if a >= b:
            continue
        speaker = next((tops[i] for i in range(a, b) if items[tops[i]].m.kind == "numbered"), tops[a])
        q = m.end()
        while q < len(text) and text[q].isspace():
            q += 1
        end = _closing_quote(text, q)
        if end < 0:
            e = _SENTENCE_END.search(text, q, min(len(text), q + 6000))
            end = e.start() if e else min(len(text), q + 6000)
        scopes.append((q, end, speaker))
    return scopes


def _quoted_clauses(text: str, items: list[Item], scope: tuple[int, int, int], add: _Add) -> None:
    """Relations a quoted passage states of its speaker (see :func:`quoted_scopes`), clause by clause: a
    preamble cue opening the clause ("Căn cứ A") or an effect cue in it ("ban hành Luật sửa đổi, bổ sung ...
    của Luật B số Y"). A document the passage names as the agent of an earlier change ("Luật C số Z đã được
    sửa đổi, bổ sung theo Luật số W") is a basis where the clause states one, not an object."""
    q, end, speaker = scope
    gap_rx = _passive()[0]
    first = bisect_left(items, q, key=lambda it: it.m.start)
    last = bisect_left(items, end, key=lambda it: it.m.start)
    # the passage's own top level: references not inside the title of another one in it
    inside: list[int] = []
    for k in range(first, last):
        parent = items[k].parent
        if parent is None or parent < first:
            inside.append(k)
    agents: set[int] = set()
    for i, k in enumerate(inside):
        it = items[k]
        clause_lo = max(text.rfind(";", q, it.m.start), q)
        clause = text[clause_lo:it.m.start].lstrip(" \t\n;“\"")
        opener = _preamble_cues().match(clause)
        if opener:
            cue = _WS.sub(" ", opener.group("cue"))
            rel = relation_of_cue(cue, "preamble") or "cites"
        else:
            c = None
            for c in _effect_cue().finditer(clause):
                pass
            if c is None:
                continue
            rel, cue = relation_of_cue(c.group("cue")) or "amends", _WS.sub(" ", c.group("cue"))
        prev = items[inside[i - 1]] if i else None
        if prev is not None and clause_lo <= prev.m.start and prev.meta_end <= it.m.start and (
                it.group == prev.group and inside[i - 1] in agents and it.type_name == prev.type_name
            and _amender_like(items, k)
                or gap_rx.match(text, prev.meta_end, it.m.start)):
            agents.add(k)
            if rel != "based_on":
                continue
        if rel != "cites":
            add(speaker, rel, k, cue)


_LIST_ITEM = startcache.compile(r"(?:^|\n)[ \t\f*_|]*(?:\d{1,3}|[a-zđ]|[IVXLC]+)[.)][ \t*_]*\Z|(?:^|\n)[ \t*_|]*[-+•][ \t]*\Z")


@lru_cache(maxsize=1)
def _marker_item() -> re.Pattern[str]:
    """A list item whose first reference comes after a pinpoint ("a) Khoản 2 Điều 7 của Luật X số N", "b) Khoản
    1, khoản 13 Điều 1 Thông tư số N": "của" or an article's number right before it)."""
    provisions = _alternation(v_raw_relations()["passive"]["provisions"])
    return startcache.compile(rf"\n[ \t\f*_|]*(?:(?:\d{{1,3}}|[a-zđ]|[IVXLC]+)[.)]|[-+•])[ \t]+(?:các\s+)?(?:{provisions})(?![\w])"
                      rf"(?:[^.:]{{0,300}}?(?:\s(?:của|tại)|(?<![\w])Điều\s+\d+[a-zđ]?)|\s+\d+[a-zđ]?)\s+\Z", re.IGNORECASE)


_ARTICLE = startcache.compile(r"\n[ \t*_#]*(?:Điều[ \t]+\d+|Chương[ \t]+[IVXLC\d]+|PHẦN|Phần[ \t]+thứ)")


def clause_starts(text: str, end: int | None = None) -> list[int]:
    r"""Where the clauses of a text begin: each preamble cue or clause opener ("Xét", "Theo đề nghị") written
    with a capital at the start of a line or after a semicolon. Scraped texts wrap lines anywhere and have no
    blank lines between clauses; one clause may list several documents ("Căn cứ Nghị định số 1/2024/NĐ-CP;
    Nghị định số 2/2024/NĐ-CP"). With ``end``, those before it only: the matches, found in text order, are
    not looked for further.

    >>> t = "Căn cứ Luật A;\nNghị định số 1;\nXét Tờ trình số 2;\ntheo Luật B"
    >>> clause_starts(t), clause_starts(t, 31), clause_starts(t, 32)
    ([0, 31], [0], [0, 31])
    """
    out: list[int] = []
    for m in _opener_line().finditer(text):
        w = m.start("w")
        if end is not None and w >= end:
            break
        if text[w].isupper():
            out.append(w)
    return out


def _clause_opening(text: str, pos: int, starts: list[int]) -> str | None:
    """The clause holding ``pos`` (see :func:`clause_starts`), from its start; None when none begins before it."""
    i = bisect_left(starts, pos)
    return text[starts[i - 1]:pos] if i else None


@lru_cache(maxsize=1)
def _opener_line() -> AfterBreaks:
    words = {c for r in vocabulary().relations for c in r["preamble"]} | set(v_raw_relations()["clause_openers"]["words"])
    alts = [words_pattern(w) for w in longest_first(words)]  # as _alternation orders them
    return AfterBreaks(r"[\n;]", rf"[ \t*_\-+•]*(?P<w>{factored(alts, re.IGNORECASE)})(?![\w])", re.IGNORECASE)


class _Effects:
    """The relations :func:`_between` adds to ``out`` (in place), none twice. Methods of an object, not
    closures: compiled with mypyc, closures calling one another form a reference cycle with their shared
    environment, left for the cyclic collector, which extract() pauses."""

    def __init__(self, items: list[Item], index_of: dict[int, int], out: list[Relation]) -> None:
        self.items = items
        self.index_of = index_of
        self.out = out
        self.self_rel = {r.target: r for r in out if r.source == "SELF"}
        self.have: set[tuple[object, str, int]] = {(r.source, r.rel, r.target) for r in out}
        #: the quoted passages (see :func:`quoted_scopes`) and where each starts
        self.scopes: list[tuple[int, int, int]] = []
        self.scope_starts: list[int] = []

    def add(self, src: object, rel: str, dst: int, cue: str) -> None:
        key = (src, rel, dst)
        if key not in self.have and src != dst:
            self.have.add(key)
            self.out.append(Relation(src, rel, dst, cue))  # type: ignore[arg-type]

    def set_self(self, k: int, rel: str, cue: str) -> None:
        # inside a quoted passage the speaker is the document quoted
        items, scopes = self.items, self.scopes
        i = bisect_right(self.scope_starts, items[k].m.start) - 1
        if i >= 0 and items[k].m.start < scopes[i][1]:
            self.add_items(scopes[i][2], rel, k, cue)
            return
        r = self.self_rel.get(self.index_of[k])
        if r is not None and r.rel == "cites":
            r.rel, r.cue = rel, cue  # type: ignore[assignment]

    def add_items(self, a: int, rel: str, b: int, cue: str) -> None:
        self.add(self.index_of[a], rel, self.index_of[b], cue)


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
    titled_rx = _titled_passive()
    expiry, expiry_words, effect = _expiry(), _expiry_words(), _passive_effect()
    fx = _Effects(items, index_of, out)
    tops = [k for k, it in enumerate(items) if it.parent is None]
    base: int | None = None
    _amending_names(items, fx.add_items)
    scopes = fx.scopes = quoted_scopes(text, items, tops)
    for scope in scopes:
        _quoted_clauses(text, items, scope, fx.add_items)
    fx.scope_starts = [sc[0] for sc in scopes]
    # lists opened by an effect clause ("Bãi bỏ ... sau đây:": the citing document acts on each item) or by
    # a passive one ("X ... được sửa đổi, bổ sung bởi:": each item acts on X)
    # an opener acts on the references after it: none is looked for past the last one
    last_start = max((items[k].m.start for k in tops), default=-1)
    openers: list[tuple[int, str, str, int | None]] = []
    for found in _list_opener().finditer(text):
        if found.end() > last_start:
            break
        openers.append((found.end(), relation_of_cue(found.group("cue")) or "repeals", _WS.sub(" ", found.group("cue")), None))
    articles: list[int] | None = None  # where articles begin: looked for when a list opener needs them
    listed: set[int] = set()
    agent_of: dict[int, int] = {}
    for pos, j in enumerate(tops):
        it = items[j]
        prev = items[tops[pos - 1]] if pos else None
        # X <passive> Y: the gap since the previous top-level reference
        if prev is not None and prev.meta_end <= it.m.start and it.m.start - prev.meta_end < 1200:
            m, subject = _passive_subject(text, items, tops[pos - 1], j, gap_rx, titled_rx)
            # "X, đã được sửa đổi bởi Y, được thay thế bởi Z": Z acts on X
            subject = agent_of.get(subject, subject)
            if m:
                rel = verb_rel.get(fold(_WS.sub(" ", m.group("verb"))), "amends")
                # the agents: those coordinated with the first one, written like it ("theo Luật số X, Luật số Y";
                # in "theo Luật số X, Luật Đất đai số Y" the outer list goes on)
                same = takewhile(lambda k: items[k].group == it.group and items[k].type_name == it.type_name
                                 and _amender_like(items, k), tops[pos + 1:pos + 200])
                for k in [j, *same]:
                    fx.add(index_of[k], rel, index_of[subject], m.group("verb"))
                    agent_of[k] = subject
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
            m = provision_rx.search(text, lo, it.m.start) if effect.starts_in(text, lo, it.m.start) else None
            if m:
                rel = verb_rel.get(fold(_WS.sub(" ", m.group("verb"))), "amends")
                fx.add(index_of[j], rel, index_of[base], m.group("verb"))
                continue
        # list items after an effect clause, up to the next article
        o = bisect_right(openers, (it.m.start, "~"))
        opener = openers[o - 1] if o else None
        if opener is not None and articles is None:
            articles = [m.start() for m in _ARTICLE.finditer(text)]
        if opener is not None and articles is not None and (
                bisect_left(articles, it.m.start) == bisect_right(articles, opener[0])):
            line = text[max(text.rfind("\n", max(0, it.m.start - 200), it.m.start), opener[0] - 1):it.m.start]
            # the first reference of a list item ("a) Khoản 2 Điều 7 của Luật X số N"), or one written with it
            since = max(opener[0] - 1, prev.meta_end if prev is not None else 0)
            if (_LIST_ITEM.search(line) or _marker_item().search(text, since, it.m.start)
                    or prev is not None and tops[pos - 1] in listed and (prev.group == it.group or prev.m.kind == "named" and it.m.kind == "numbered")):
                listed.add(j)
                if opener[3] is None:
                    fx.set_self(j, opener[1], opener[2])
                else:
                    fx.add(index_of[j], opener[1], index_of[opener[3]], opener[2])
                continue
        # X ... hết hiệu lực kể từ ngày ... này có hiệu lực
        m = (expiry.match(text, it.meta_end)
             if expiry_words.starts_in(text, it.meta_end, it.meta_end + _EXPIRY_REACH + 1) else None)
        if m and not any(items[k].m.start < m.end() for k in tops[pos + 1:pos + 2]):
            fx.set_self(j, "repeals", "hết hiệu lực")
            for k in reversed(tops[:pos]):
                if items[k].group != it.group:
                    break
                fx.set_self(k, "repeals", "hết hiệu lực")


def _passive_gap(text: str, lo: int, hi: int, gap_rx: re.Pattern[str],
                 titled_rx: re.Pattern[str]) -> re.Match[str] | None:
    """The passive gap ``text[lo:hi]``: ``gap_rx`` (a short one) or ``titled_rx``, which is costly when it
    fails, so tried only when the stretch opens a title and holds a passive verb (see :func:`_passive_effect`)."""
    m = gap_rx.match(text, lo, hi) if hi - lo < 260 else None
    if m is None and _titled_opener().match(text, lo, hi) and _passive_effect().starts_in(text, lo, hi):
        m = titled_rx.match(text, lo, hi)
    return m


def _passive_subject(text: str, items: list[Item], t: int, j: int, gap_rx: re.Pattern[str],
                     titled_rx: re.Pattern[str]) -> tuple[re.Match[str] | None, int]:
    """The passive gap before item ``j`` and the reference it affects; ``t`` is the top-level one before ``j``.

    A passive written on in lower case ("... Nghị định 121/2016/NĐ-CP ngày ... đã được sửa đổi tại Nghị định
    74/2020/NĐ-CP") affects the reference right before it, with its title or not, even inside another one's
    title; one opening a line ("⏎Được thay thế bởi ...", the verdict of a table row) the top-level one. A
    document acts on one of its own type: "Nghị định số X quy định chi tiết Luật Y, được sửa đổi bởi Nghị
    định số Z" gives Z amends X, the nearest reference of Z's type.
    """
    it, top = items[j], items[t]
    p = items[j - 1]
    m = None
    if j - 1 != t and p.meta_end <= it.m.start and it.m.start - p.meta_end < 1200:
        m = _passive_gap(text, p.meta_end, it.m.start, gap_rx, titled_rx)
        if m and text[m.start("eff")].isupper():
            m = None
    subject = j - 1
    if m is None:
        m = _passive_gap(text, top.meta_end, it.m.start, gap_rx, titled_rx)
        subject = t
    if m is None or items[subject].type_name == it.type_name:
        return m, subject
    lo = max(0, items[subject].m.start - 1200)
    same = next((k for k in range(j - 1, -1, -1) if items[k].m.start < lo or items[k].type_name == it.type_name), None)
    return m, (same if same is not None and items[same].m.start >= lo else subject)


@lru_cache(maxsize=1)
def _amending_name() -> re.Pattern[str]:
    """The name of an amending law ("Luật sửa đổi, bổ sung một số điều của Luật A và Luật B"): the laws it
    amends follow the cue, each opening with a law head ("Luật", "Bộ luật", "Pháp lệnh")."""
    cues = [c for r in vocabulary().relations if r["name"] == "amends" for c in r["inline"]]
    heads = _alternation(v_raw_relations()["amending_names"]["heads"])
    return startcache.compile(rf"(?:{heads})\s+(?:{_alternation(cues)})(?:\s+một\s+số\s+điều)?(?:\s+(?:của|trong))?\s+"
                      rf"(?P<tail>(?:{heads})\s.+)", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1)
def _law_split() -> re.Pattern[str]:
    heads = _alternation(v_raw_relations()["amending_names"]["heads"])
    return startcache.compile(rf"\s*(?:,|\s(?:và|và\s+các))\s+(?=(?:{heads})\s)", re.IGNORECASE)


_YEAR = startcache.compile(r"\s+(?:năm\s+)?(?:19|20)\d\d\b.*$|\s*\(.*$", re.IGNORECASE)


@lru_cache(maxsize=1024)  # a text names the laws it cites again and again
def _law_key(name: str) -> str:
    """A law's name without its year and case: "Luật Bảo hiểm y tế năm 2008" and "Luật bảo hiểm y tế" meet."""
    return fold(_WS.sub(" ", _YEAR.sub("", name.strip())))


def amended_laws(name: str) -> list[str]:
    """The laws an amending law's name names, in order; [] for any other name.

    >>> amended_laws("Luật sửa đổi, bổ sung một số điều của Luật Đất đai và Luật Nhà ở")
    ['Luật Đất đai', 'Luật Nhà ở']
    >>> amended_laws("Luật Đất đai")
    []
    """
    m = _amending_name().fullmatch(name)
    return [] if m is None else [law.strip() for law in _law_split().split(m.group("tail"))]


def _amending_names(items: list[Item], add: _Add) -> None:
    """"Luật sửa đổi, bổ sung một số điều của Luật A và Luật B" amends A and B where the text cites them (the
    nearest mention by that name)."""
    amending = [(k, inner) for k, it in enumerate(items) if it.m.kind == "named" and it.m.name
                for inner in amended_laws(it.m.name)]
    if not amending:  # most texts cite no amending law: their names need no key
        return
    named: dict[str, list[int]] = {}
    for k, it in enumerate(items):
        if it.m.kind == "named" and it.m.name:
            named.setdefault(_law_key(it.m.name), []).append(k)
    for k, inner in amending:
        found = [c for c in named.get(_law_key(inner), []) if c != k]
        if found:
            add(k, "amends", min(found, key=lambda c: abs(c - k)), "sửa đổi, bổ sung")


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


@lru_cache(maxsize=1)
def _statement() -> re.Pattern[str]:
    """A provision of the citing document stating an effect, up to the first reference it names: "6. Bãi bỏ
    quy định tại Điều 5 ", "1. Thông tư này có hiệu lực kể từ ngày ... và thay thế "."""
    v = vocabulary()
    types = factored([words_pattern(w) for w in v.type_words()], re.IGNORECASE)
    acts = [c for r in v.relations if r["name"] in ("amends", "replaces", "repeals") for c in r["inline"]]
    # guiding is stated by the document of itself ("Thông tư này quy định chi tiết ..."); amending, replacing
    # and repealing also in the imperative ("Bãi bỏ ...")
    # and the imperative only in a numbered provision: unnumbered, it is often a proposal ("Kiến nghị: Sửa đổi ...")
    marker = r"(?:\d{1,3}|[a-zđ])[.)][ \t]*"
    article = r"Điều\s+\d+\w*\s*[.:]\s*"
    return startcache.compile(
        rf"[ \t\f*_]*(?:(?:{marker})?(?:{article})?(?:{types})\s+này\s+(?:có\s+hiệu\s+lực[^.;:]{{0,80}}?\s+và\s+)?"
        rf"(?:được\s+)?{_effect_cue().pattern}|(?:{marker}|{article})(?P<act>{_alternation(acts)})(?![\w]))"
        rf"[^.;:“”\"]{{0,300}}", re.IGNORECASE)


#: where a provision of the body begins: a sentence end, a blank line or a list marker opening a line
_PROVISION_START = startcache.compile(r"(?:[.;:][ \t]*\n|\n[ \t\f]*\n|\n(?=[ \t\f*_]*(?:\d{1,3}|[a-zđ])[.)][ \t]))[ \t\f]*")


def _provision_effect(text: str, pos: int, prev_end: int) -> re.Match[str] | None:
    r"""The effect a provision of the body states of ``pos``, the first reference in it (see :func:`_statement`).

    >>> t = "x.\n6. Bãi bỏ quy định tại Điều 5 Nghị định số 61/2006/NĐ-CP"
    >>> _provision_effect(t, t.index("Nghị"), 0).group("act")
    'Bãi bỏ'
    """
    start = _last_provision_start(text, max(prev_end, pos - 400), pos)
    if start is None:
        return None
    return _statement().fullmatch(text, start.end(), pos)


def _last_provision_start(text: str, lo: int, pos: int) -> re.Match[str] | None:
    r"""The last of ``_PROVISION_START.finditer(text, lo, pos)``, looked for from the end, line break by line break.

    A match begins with "\n" or with one of ".;:" before blanks and a "\n", and goes on only over blanks
    (" \t\f\n"). So each holds a line break, no match goes on over a character that is no blank, and ``finditer``
    from ``lo`` finds, among the blanks around the last line break ``n`` and the character ``s`` before them, the
    matches it finds from ``s`` on: tried at each offset from ``s`` up to ``n`` (after a match, from its end), as
    ``finditer`` tries them. The last found is the answer; with none there, the line break before ``s`` is next.

    >>> t = "1. A;\nb x\n\n  c d"
    >>> [m and m.span() for m in (_last_provision_start(t, 0, len(t)), _last_provision_start(t, 0, 9),
    ...                           _last_provision_start(t, 5, 9), _last_provision_start(t, 0, 3))]
    [(9, 13), (4, 6), None, None]
    """
    match = _PROVISION_START.match
    hi = pos
    while True:
        n = text.rfind("\n", lo, hi)
        if n < 0:
            return None
        s = n
        while s > lo and text[s - 1] in " \t\f\n":
            s -= 1
        s = max(s - 1, lo)
        last = None
        q = s
        while q <= n:
            m = match(text, q, pos) if text[q] in ".;:\n" else None
            if m is None:
                q += 1
            else:
                last, q = m, m.end()
        if last is not None:
            return last
        hi = s


class ClauseCuts:
    r"""Where the clause holding a position begins, for one text: ``cuts.before(pos)`` is the last ". ", ";",
    "\n" or ":" ending by ``pos`` (-1 if none). Asked in text order, each search covers only the stretch since
    the previous one: the last cut ending by ``pos`` is the one ending by an earlier ``p0`` unless one ends in
    between, and such a cut begins at ``p0 - 1`` or later (none is longer than two characters).

    >>> c = ClauseCuts("a. b; c\nd: e")
    >>> [c.before(p) for p in (1, 3, 7, 9, 12, 2, 3)]
    [-1, 1, 4, 7, 9, -1, 1]
    """

    __slots__ = ("t", "pos", "cut")

    def __init__(self, t: str) -> None:
        self.t = t
        self.pos = 0
        self.cut = -1

    def before(self, pos: int) -> int:
        t = self.t
        lo, cut = (max(self.pos - 1, 0), self.cut) if self.pos <= pos else (0, -1)
        # the line break first: the other cuts are looked for after it only
        nl = t.rfind("\n", lo, pos)
        lo = max(lo, nl)
        # max() of two ints compiles to a comparison; of four it is a call of the builtin
        found = max(max(t.rfind(". ", lo, pos), t.rfind(";", lo, pos)), max(nl, t.rfind(":", lo, pos)))
        self.pos, self.cut = pos, max(found, cut)
        return self.cut


def _clause_before(text: str, pos: int, cuts: ClauseCuts | None = None) -> str:
    """The text from the start of the clause holding ``pos`` up to it."""
    lo = (cuts or ClauseCuts(text)).before(pos)
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


def paragraph_start(text: str, pos: int, lo: int = 0, floor: int = 0) -> int:
    r"""Start of the paragraph holding ``pos``: after a blank line followed by a capital or a bullet.

    Lines separated by blank lines that go on in lower case belong to the same paragraph. It is not looked
    for before ``lo`` (the start of a line at or after ``lo`` is then the answer). With ``floor`` (>= 0), the
    answer is ``max(floor, start)``, found without walking back past ``floor``: once a line break before it is
    reached, every answer left (a line start after a line break not later, or 0) is at most ``floor``.

    >>> paragraph_start("A\n\nB x\ncon", 9), paragraph_start("a\nb\nc", 5, 3), paragraph_start("A\n\nB x\ncon", 9, 0, 4)
    (3, 4, 4)
    """
    i = pos
    lo = max(lo, 0)
    while True:
        j = text.rfind("\n", lo, i)
        if j < 0:
            if not lo:
                return floor
            n = text.find("\n", lo, pos)
            return max(floor, n + 1 if n >= 0 else lo)
        if j < floor:
            return floor
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
            return floor


@lru_cache(maxsize=1)
def _type_line() -> AfterBreaks:
    """A line holding only a document type in capitals ("THÔNG TƯ", "NGHỊ QUYẾT"): where the own title begins."""
    types = factored([words_pattern(w.upper()) for w in vocabulary().type_words()])
    return AfterBreaks(r"\n", rf"[ \t*_#]*(?:{types})[ \t*_]*(?=\n)")


@lru_cache(maxsize=1)
def _title_effect() -> re.Pattern[str]:
    """A title that states an effect ("BÃI BỎ THÔNG TƯ SỐ ...", "VỀ VIỆC SỬA ĐỔI, BỔ SUNG ... TẠI NGHỊ QUYẾT SỐ").
    The last effect cue before a reference is the one it takes ("SỬA ĐỔI ... NGHỊ QUYẾT SỐ X VÀ BÃI BỎ ... Y")."""
    return startcache.compile(rf"[\s*_]*(?:về\s+(?:việc\s+)?)?{_effect_cue().pattern}", re.IGNORECASE)


_AFTER_PASSIVE = startcache.compile(r"(?<![\w])(?:được|bị)\s+\Z", re.IGNORECASE)


def _own_title_relation(text: str, pos: int, clauses: list[int]) -> tuple[str, str] | None:
    r"""The relation the own title states of a reference at ``pos`` in it, if it states one.

    >>> t = "NGHỊ QUYẾT\nSỬA ĐỔI KHOẢN 1 NGHỊ QUYẾT SỐ 1/2024 VÀ BÃI\nBỎ NGHỊ QUYẾT SỐ 2/2024"
    >>> _own_title_relation(t, t.index("NGHỊ QUYẾT SỐ 1"), []), _own_title_relation(t, t.index("NGHỊ QUYẾT SỐ 2"), [])
    (('amends', 'SỬA ĐỔI'), ('repeals', 'BÃI BỎ'))
    """
    line = _type_line().last(text, max(0, pos - 800), pos)
    if line is None or bisect_right(clauses, line.end()) != bisect_left(clauses, pos):
        return None
    if not _title_effect().match(text, line.end(), pos):
        return None
    cue = None
    for cue in _effect_cue().finditer(text, line.end(), pos):
        pass
    assert cue is not None
    if _AFTER_PASSIVE.search(text, max(0, cue.start() - 12), cue.start()):
        return None  # "... được sửa đổi, bổ sung bởi Luật số X": X acts, the title does not
    c = _WS.sub(" ", cue.group("cue"))
    return relation_of_cue(c) or "cites", c


def relations(text: str, items: list[Item], index_of: dict[int, int]) -> list[Relation]:
    """Relations for the resolved ``items`` of a matching-view ``text``.

    ``index_of`` maps an item's position in ``items`` to its index among the output references.
    """
    out: list[Relation] = []
    body_start = preamble_end(text)
    cue_rx = _preamble_cues()
    prev_end = 0
    cuts = ClauseCuts(text)
    self_effect, effect_first = _self_effect(), _self_effect_first()
    # the clause starts are asked for up to the last reference of the preamble (see _clause_opening, _own_title_relation)
    last_in_preamble = max((it.m.start for it in items if it.parent is None and it.m.start < body_start), default=-1)
    clauses = clause_starts(text[:body_start], last_in_preamble + 1)
    for k, it in enumerate(items):
        ref_index = index_of[k]
        if it.parent is not None:
            out.append(Relation(index_of[it.parent], it.rel or "cites", ref_index, it.cue))  # type: ignore[arg-type]
            out.append(Relation("SELF", "cites", ref_index, None))
            prev_end = it.meta_end
            continue
        rel, cue = "cites", None
        clause = _clause_before(text, it.m.start, cuts) if it.m.start - prev_end > 3 else ""
        # tried only where it can begin (see _self_effect_first)
        effect = self_effect.match(clause) if clause and (effect_first is None or clause[0] in effect_first) else None
        if effect is None and it.m.start >= body_start:
            effect = _provision_effect(text, it.m.start, prev_end)
        if effect:
            cue = _WS.sub(" ", effect.group("cue") or effect.group("act"))
            rel = relation_of_cue(cue) or "cites"
        elif it.m.start < body_start:
            # the clause's opener ("Căn cứ", "Xét") where lines start clauses, else the paragraph's
            opening = _clause_opening(text, it.m.start, clauses)
            # the paragraph's start, or (the opening known) only where it comes after prev_end
            para_start = paragraph_start(text, it.m.start, it.m.start - _PARAGRAPH_MAX, 0 if opening is None else prev_end)
            end_cue = _end_cue_search(text, max(prev_end, para_start), it.m.start)
            if opening is None:
                opening = text[para_start:it.m.start].lstrip(" \t*_-+•\n")
            open_cue = cue_rx.match(opening)
            if end_cue:
                cue = _WS.sub(" ", end_cue.group("cue"))
            elif open_cue:
                cue = _WS.sub(" ", open_cue.group("cue"))
            if cue:
                rel = relation_of_cue(cue, "preamble") or "cites"
            else:
                titled = _own_title_relation(text, it.m.start, clauses)
                # a text without headings is all preamble: its numbered provisions may still act
                stated = titled is None and _provision_effect(text, it.m.start, prev_end)
                if titled:
                    rel, cue = titled
                elif stated:
                    cue = _WS.sub(" ", stated.group("cue") or stated.group("act"))
                    rel = relation_of_cue(cue) or "cites"
        # a coordinated member shares the relation of the first one in its group
        if k > 0 and items[k - 1].group == it.group and out:
            prev_rel = next((r for r in reversed(out) if r.target == index_of[k - 1] and r.source == "SELF"), None)
            if prev_rel is not None and rel == "cites":
                rel, cue = prev_rel.rel, prev_rel.cue
        out.append(Relation("SELF", rel, ref_index, cue))  # type: ignore[arg-type]
        prev_end = it.meta_end
    _between(text, items, index_of, out)
    return out
