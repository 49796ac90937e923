"""Resolving: attach dates, issuers and terms to the right mention, then normalise each into an identity.

The text around a mention decides what belongs to it: a date or issuer right after it; the trailing
date and issuer of a coordinated list ("Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày
12/12/2013 của Bộ Chính trị"); a second "của ..." that belongs to the outer reference of a nested one;
the citing document's own context for "Tỉnh ủy", "UBND tỉnh", "/TU", "-UBND".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from citegraph.text import startcache
from citegraph.text.dates import DATE_RE, match_iso
from citegraph.extraction.find import Mention, canonical_symbol
from citegraph.extraction.header import Context
from citegraph.text.identity import ID_BASE, identity_iri, issuer_slug, jurisdiction_slug
from citegraph.text.normalize import ascii_slug, fold
from citegraph.text.prefilter import ANYWHERE, Pattern, first_char
from citegraph.text.vocab import raw, ROMAN_RE, WORD_GAP, Body, DocType, Vocabulary, factored, longest_first, vocabulary, words_pattern

_WS = startcache.compile(r"\s+")
_DIVISION_END = startcache.compile(r"(?:huyện|quận|thị\s+xã|xã|phường|thị\s+trấn)$", re.IGNORECASE)
#: "Theo đề nghị của Giám đốc Sở Tài chính tại Tờ trình số 45/TTr-STC": the issuer stated before the mention,
#: "của" (or "do") then the body up to "tại" or "(" right before it ("kiến nghị của Ủy ban nhân dân tỉnh Hưng
#: Yên (văn bản số 84/BC-UBND ...)"); the window ends where the mention starts
_STATED_BEFORE = startcache.compile(r"(?<![\w])(?:của|do)\s+(?:(?!(?:của|do)\s)[^;:()])+?(?:\s+tại\s+|\s*\(\s*)\Z")
_AT_GAP = startcache.compile(r"\s+tại\s+|\s*\(\s*")
#: after "của <body>": the body is stated for a mention that follows ("tại văn bản số 213-KL/TW")
_NEXT_ONES = startcache.compile(r"\s+tại\s+[^\d;:.]{0,40}?số\s*\d")
_CLAUSE_BREAK = startcache.compile(r"[.:!?](?=\s)|\n[ \t]*\n|\n(?=[ \t]*[-+•*]|[ \t]*\d+[.)])")
#: the words that may follow a pinpoint before the mention it points into ("Điều 5 của", "khoản 2 tại")
_PIN_TAILS = ("của", "tại")
_TITLE_CUT = Pattern(r";|\n[ \t]*\n|\.(?=\s)", name="title cut")


# __init__ written out: compiled (a generated one runs as Python); slots: 30 fields, past what an instance dict
# shares its keys for (made three times as fast, and read faster)
@dataclass(init=False, slots=True)
class Item:
    """A mention with everything resolved about it (view offsets)."""

    m: Mention
    meta_end: int
    date: str | None = None
    stated_date: str | None = None
    body: Body | None = None
    body_place: str | None = None
    body_district: str | None = None
    level_word: str | None = None
    term: str | None = None
    plenum: bool = False
    extra_body: Body | None = None
    extra_place: str | None = None
    role: str | None = None
    group: int = -1
    parent: int | None = None  # index of the item whose title holds this one
    cue: str | None = None
    rel: str | None = None
    type_name: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    level: str | None = None
    jurisdiction: str | None = None
    system: str | None = None
    year: int | None = None
    key: tuple | None = None
    id: str | None = None
    candidates: list[str] = field(default_factory=list)
    title_place: tuple[str | None, str | None] = (None, None)
    pinpoint: str | None = None
    warnings: list[str] = field(default_factory=list)

    def __init__(self, m: Mention, meta_end: int) -> None:
        self.m = m
        self.meta_end = meta_end
        self.date = None
        self.stated_date = None
        self.body = None
        self.body_place = None
        self.body_district = None
        self.level_word = None
        self.term = None
        self.plenum = False
        self.extra_body = None
        self.extra_place = None
        self.role = None
        self.group = -1
        self.parent = None
        self.cue = None
        self.rel = None
        self.type_name = None
        self.symbol = None
        self.issuer = None
        self.level = None
        self.jurisdiction = None
        self.system = None
        self.year = None
        self.key = None
        self.id = None
        self.candidates = []
        self.title_place = (None, None)
        self.pinpoint = None
        self.warnings = []


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    v = vocabulary()
    # grouped by first letter (see vocab.factored): the same matches, found faster
    bodies = factored([words_pattern(a) for a in v.body_aliases()])  # case-sensitive
    prov = factored([words_pattern(p) for p in v.province_names()])
    rels = v.relations
    inline = longest_first(c for r in rels for c in r["inline"])
    fillers = "|".join(words_pattern(f) for f in v_raw_relations()["inline_fillers"])
    blockers = factored([words_pattern(b) for b in v_raw_relations()["inline_blockers"]], re.IGNORECASE)
    openers_list: list[str] = v_raw_relations()["title_openers"]
    openers = factored([words_pattern(o) for o in openers_list], re.IGNORECASE)
    # a name of up to three capitalised words; a line break may fall between two (a text wraps anywhere)
    proper = rf"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:{WORD_GAP}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){{0,2}}"
    roles = "|".join(words_pattern(r) for r in sorted(raw("issuers")["roles"]["words"], key=len, reverse=True))
    verbs = "|".join(words_pattern(r) for r in sorted(raw("issuers")["issuing_verbs"]["words"], key=len, reverse=True))
    date = Pattern(rf"\s*,?\s*(?:(?:được\s+)?ban\s+hành\s+)?(?:ngày\s*:?\s*)?(?:{DATE_RE.pattern})", re.IGNORECASE,
                   start=None, name="meta date")
    # the patterns parse_meta tries at one offset share date's leading blanks and comma, so the
    # first other character is found once for them all (see parse_meta)
    meta: dict[str, Any] = {"start": None, "lead": date.lead}
    # provisions of a document: "Điều 4", "khoản 2 Điều 5", "điểm a, khoản 1 Điều 3, Điều 4 và Điều 13"
    pin = r"(?:(?:điểm\s+[a-zđ]\s*,?\s*)?(?:khoản\s+\d+\s*,?\s*)?Điều\s+\d+[a-zđ]?)"
    pins = rf"{pin}(?:\s*(?:,|và)\s*{pin})*"
    return {
        "date": date,
        "body": Pattern(
            rf"\s*,?\s*(?P<cua>(?:của|do)\s+(?:(?P<role>{roles})\s+)?)?(?P<body>{bodies})(?![^\W\d_])(?:\d{{1,2}}(?![\w]))?"
            rf"(?:[ \t]*(?:\r?\n[ \t]*){{0,2}}(?:(?:tỉnh|thành\s+phố)\s+)?(?P<prov>{prov})(?![^\W\d_])(?:\d{{1,2}}(?![\w]))?"
            rf"|{WORD_GAP}(?P<lvl>huyện|quận|thị\s+xã|xã|phường|thị\s+trấn){WORD_GAP}(?P<pname>{proper})"
            rf"|{WORD_GAP}(?P<pname2>{proper}))?", **meta, name="meta body"),
        "term": Pattern(rf"\s*,?\s*\(?\s*khóa\s+(?P<term>{ROMAN_RE})\s*\)?", re.IGNORECASE, **meta, name="meta term"),
        "plenum": Pattern(rf"\s*,?\s*(?:của\s+|tại\s+)?Hội\s+nghị\s+(?:lần\s+(?:thứ\s+)?\S+|Trung\s+ương\s+\S+)"
                          rf"(?:\s+(?:Ban\s+Chấp\s+hành\s+Trung\s+ương(?:\s+Đảng)?))?(?:\s*\(?\s*khóa\s+(?P<term>{ROMAN_RE})\s*\)?)?",
                          re.IGNORECASE, **meta, name="meta plenum"),
        "level_word": startcache.compile(r"[ \t]+(?P<lvl>tỉnh|huyện|xã)(?![\w])"),
        # tried only on a gap whose first and last characters other than blanks can begin and end it
        "coord": Pattern(r"\s*(?:,|và|hoặc|cùng)?\s*(?:,\s*)?(?:và\s+)?(?:các\s+)?", re.IGNORECASE, start=None,
                         name="coordination"),
        # the cue may act on provisions of the next mention ("sửa đổi, bổ sung Điều 4, Điều 13 (của) Nghị định số")
        "cue_end": startcache.compile(rf"(?P<cue>{factored([words_pattern(c) for c in inline], re.IGNORECASE)})"
                              rf"(?:\s*,?\s*(?:{fillers}))*(?:\s+{pins}(?:\s+(?:{'|'.join(_PIN_TAILS)}))?)?\s*$",
                              re.IGNORECASE),
        # a title may open in parentheses ("Nghị định số X (sửa đổi, bổ sung ... Nghị định số Y)")
        "opener": Pattern(rf"\s*,?\s*\(?\s*(?:{openers})", re.IGNORECASE, start=None, name="title opener"),
        "blocker": startcache.compile(rf"(?<![\w])(?:{blockers})(?![\w])", re.IGNORECASE),
        # tried only on a region holding its rarest letters
        "title_place": Pattern(rf"trên\s+địa\s+bàn\s+(?P<lvl>tỉnh|thành\s+phố|huyện|quận|thị\s+xã|xã|phường|thị\s+trấn)"
                               rf"(?:\s+(?P<name>{proper}))?", re.IGNORECASE, start=ANYWHERE, name="title place"),
        # a match ends the text before a mention: tried only where its last character can end one,
        # then at its keys (the rare letters of its first words)
        "pinpoint": Pattern(rf"(?P<pin>{pins})\s*(?:(?:{'|'.join(_PIN_TAILS)})\s+)?$", re.IGNORECASE, name="pinpoint"),
        # "Bộ Chính trị (đã) ban hành Quyết định số ...": the issuer stated before a mention (issuers.json)
        "issued_by": startcache.compile(rf"(?<![\w])(?:đã\s+)?(?:ký\s+)?(?:{verbs})\s+\Z"),
        "issued_by_last": frozenset(w.split()[-1] for w in raw("issuers")["issuing_verbs"]["words"]),
        "body_end": startcache.compile(rf"(?<![\w])(?P<body>{bodies})(?:{WORD_GAP}(?:(?:tỉnh|thành\s+phố)\s+)?(?P<prov>{prov}))?\s+\Z"),
    }


@lru_cache(maxsize=1)
def v_raw_relations() -> dict:
    """The raw relations vocabulary (cues, fillers, blockers)."""

    return raw("relations")


@lru_cache(maxsize=4096)
def relation_of_cue(cue: str, where: str = "inline") -> str | None:
    """Relation a cue states (longest cue first).

    >>> relation_of_cue("về việc thực hiện"), relation_of_cue("Căn cứ", "preamble"), relation_of_cue("sửa đổi, bổ sung")
    ('implements', 'based_on', 'amends')
    """
    f = fold(cue)
    best = None
    for r in vocabulary().relations:
        for c in r[where]:
            fc = fold(c)
            if f.endswith(fc) or f.startswith(fc):
                if best is None or len(fc) > best[0]:
                    best = (len(fc), r["name"])
    return best[1] if best else None


def compatible(body: Body, m: Mention, v: Vocabulary) -> bool:
    """Whether ``body`` can be the issuer of the numbered mention ``m`` (its symbol's issuer code)."""
    if m.kind != "numbered" or not m.issuer_code:
        return True
    bodies = v.bodies_for_code(m.issuer_code)
    system = "party" if m.grammar == "party" else "state"
    if not bodies:
        # unknown code: any body of the same system fits
        return body.system == system or body.system is None
    if body in bodies:
        return True
    # a body of the same system and level as the code's ("Công văn số 123-CV/TU của Văn phòng Tỉnh ủy"),
    # not one of another level ("... 217-QĐ/TW ... của Bộ Chính trị của Ban Thường vụ Tỉnh ủy")
    level = v.code_level(m.issuer_code, system)
    return body.system == system and level is not None and body.level == level


def admits(body: Body, m: Mention, v: Vocabulary) -> bool:
    """Whether ``body`` is the issuer of ``m``'s symbol for sure: one of the bodies of its known issuer code,
    or, the code unknown, a :func:`compatible` one. Stricter than :func:`compatible`, for an issuer stated
    away from the symbol (before it, or after a later member of its list: "Luật Đất đai số 31/2024/QH15,
    Nghị định số 151/2025/NĐ-CP của Chính phủ" is no law of the Government).

    >>> from citegraph.extraction.find import find_numbered
    >>> v = vocabulary()
    >>> law, government = find_numbered("Luật số 31/2024/QH15")[0], v.body_for_text("Chính phủ")
    >>> admits(government, law, v), compatible(government, law, v), admits(v.body_for_text("Quốc hội"), law, v)
    (False, True, True)
    """
    known = v.bodies_for_code(m.issuer_code) if m.kind == "numbered" and m.issuer_code else []
    return body in known if known else compatible(body, m, v)


def parse_meta(text: str, m: Mention, v: Vocabulary) -> Item:
    """Read the date, issuer, term and level that directly follow a mention."""
    rx = _rx()
    it = Item(m=m, meta_end=m.end)
    pos = m.end
    if m.kind == "numbered" and (m.issuer_code or "").upper() in ("UBND", "HĐND"):
        lw = rx["level_word"].match(text, pos)
        if lw and not rx["body"].match(text, pos):
            it.level_word = lw.group("lvl")
            pos = lw.end()
    date, body_rx, term, plenum = rx["date"], rx["body"], rx["term"], rx["plenum"]
    lead = date.lead
    party = m.kind == "numbered" and m.grammar == "party"
    for _ in range(6):
        # each pattern is tried only where its first word can begin: the first character after the
        # blanks and commas they share (see citegraph.text.prefilter)
        c = first_char(text, pos, lead)
        if not c:
            break
        date_may, body_may, term_may, plenum_may = _meta_admits(c)
        if it.date is None and date_may:
            dm = date.regex.match(text, pos)
            if dm:
                dm_end = dm.end()
                # the date itself is short; a run of blanks in or before it counts as one space (a line
                # break and a layout's indent, a table's cell boundary blanked in place)
                if len(" ".join(dm.group(0).split())) < 40:
                    it.date = match_iso(dm)
                    pos = dm_end
                    continue
        bm = body_rx.regex.match(text, pos) if body_may else None
        if bm and bm.group("cua") and _NEXT_ONES.match(text, bm.end()):
            break  # "…, của Ban Bí thư tại văn bản số 213-KL/TW": the issuer of the next mention
        if bm:
            body_text = bm.group("body")
            body = v.body_for_text(body_text)
            if body is not None:
                prov = bm.group("prov")
                place = v.province(prov) if prov else None
                end = bm.end()
                pname = bm.group("pname")
                pname2 = bm.group("pname2")
                if pname2:
                    # a name right after "UBND huyện" / "UBND xã" or a local committee ("Huyện ủy Thành
                    # Minh") is its place; after other bodies it is not
                    if _DIVISION_END.search(body_text) or body.level in ("district", "commune"):
                        pname = pname2
                    else:
                        end = bm.end("body")
                if it.body is None and compatible(body, m, v):
                    it.body, it.body_place = body, place
                    if bm.group("role"):
                        it.role = _WS.sub(" ", bm.group("role"))
                    if pname:
                        it.body_district = _proper(pname)
                    pos = end
                    continue
                if bm.group("cua") and it.extra_body is None:
                    it.extra_body, it.extra_place = body, place
                    pos = end
                    continue
        tm = term.regex.match(text, pos) if term_may else None
        if tm:
            it.term = tm.group("term")
            pos = tm.end()
            continue
        pm = plenum.regex.match(text, pos) if party and plenum_may else None
        if pm:
            it.plenum = True
            if pm.group("term"):
                it.term = pm.group("term")
            pos = pm.end()
            continue
        break
    it.meta_end = pos
    if it.body is None and m.kind == "numbered":
        _body_before(text, m, it, v)
    return it


@lru_cache(maxsize=4096)
def _meta_admits(c: str) -> tuple[bool, bool, bool, bool]:
    """Whether a date, a body, a term and a plenum (:func:`parse_meta`'s patterns) can begin with ``c``, the
    first character after their shared lead: asked once per character."""
    rx = _rx()
    return (rx["date"].admits_first(c), rx["body"].admits_first(c), rx["term"].admits_first(c),
            rx["plenum"].admits_first(c))


def issuing_verb_before(text: str, pos: int) -> re.Match[str] | None:
    """The issuing verb (``issuers.json`` ``issuing_verbs``, "ban hành", "đã ra") that ends right before ``pos``.

    >>> issuing_verb_before("Quốc hội ban hành Luật", 18).group(0)
    'ban hành '
    """
    return _rx()["issued_by"].search(text, max(0, pos - 30), pos)


def _body_before(text: str, m: Mention, it: Item, v: Vocabulary) -> None:
    """The issuer stated before a mention ("của Bộ trưởng Bộ Tư pháp tại Tờ trình số 34/TTr-BTP", "Bộ Chính trị
    ban hành Quyết định số 162-QĐ/TW"), when it is the body of the symbol's issuer code, or, the code unknown,
    one it admits (in place)."""
    rx = _rx()
    lo = max(0, m.start - 200)
    # the word right before the mention decides which form can hold (most mentions have neither): a search
    # over the window costs more than the rest of the mention's metadata
    j = m.start
    while j > lo and text[j - 1].isspace():
        j -= 1
    k = j
    while k > lo and not text[k - 1].isspace() and text[k - 1] != "(":
        k -= 1
    last = text[k:j] or text[j - 1:j]  # the word, or "(" right before the mention
    if last in ("tại", "("):  # "của <body> tại <mention>", "của <body> (<mention>"
        sm = _STATED_BEFORE.search(text, lo, m.start)
        bm = rx["body"].regex.match(text, sm.start(), m.start) if sm is not None else None
        if bm is None or not _AT_GAP.fullmatch(text, bm.end(), m.start):
            return
    elif last in rx["issued_by_last"]:  # "<body> (đã) ban hành <mention>"
        vm = issuing_verb_before(text, m.start)
        bm = rx["body_end"].search(text, lo, vm.start()) if vm is not None else None
        if bm is None:
            return
    else:
        return
    body = v.body_for_text(bm.group("body"))
    if body is not None and admits(body, m, v):
        it.body = body
        it.body_place = v.province(bm.group("prov")) if bm.group("prov") else None
        if "role" in bm.re.groupindex and bm.group("role"):
            it.role = _WS.sub(" ", bm.group("role"))


def _proper(s: str) -> str | None:
    words = []
    for w in s.split():
        if w[:1].isupper() and not w.isupper():
            words.append(w)
        else:
            break
    return " ".join(words) or None


def is_clause_break(gap: str) -> bool:
    """Whether the text between two mentions ends a clause (so nothing is shared across it).

    >>> is_clause_break(" về việc; "), is_clause_break(", "), is_clause_break(". Tiếp tục ")
    (True, False, True)
    """
    if ";" in gap or "./." in gap or len(gap) > 400:
        return True
    for mm in _CLAUSE_BREAK.finditer(gap):
        first = _first_after(gap, mm.end())
        if mm.group(0) in ".:!?" and first and first.isupper():
            return True
        if mm.group(0).startswith("\n") and (not first or first.isupper() or first in "-+•*" or first.isdigit()):
            return True
    return False


def _first_after(s: str, i: int, end: int | None = None) -> str:
    """``s[i:end].lstrip(" \\t\\r\\n*_")[:1]`` without copying the rest of ``s`` (a loop: cheaper than a
    regex for the one or two characters skipped).

    >>> _first_after("a. \\n*_Tiếp", 2), _first_after("x \\t", 1), _first_after("ab", 5)
    ('T', '', '')
    """
    n = len(s) if end is None else end
    while i < n and s[i] in " \t\r\n*_":
        i += 1
    return s[i:i + 1] if i < n else ""


def _breaks(gap: str) -> bool:
    """Whether a gap between two mentions ends the clause. Line breaks after a connective or a cue
    ("... và ⏎⏎Quyết định số", "về việc thực hiện ⏎⏎Nghị quyết") are wrapping, not a new paragraph.

    >>> _breaks(" và \\n\\n"), _breaks("\\n\\n"), _breaks("; ")
    (False, True, True)
    """
    stripped = gap.rstrip()
    return is_clause_break(stripped if stripped.strip() else gap)


def _peer(items: list[Item], prev: int, it: Item) -> Item:
    """The reference ``it`` is coordinated with: the one before it, or, where that one is of another type and
    inside a title, the nearest of ``it``'s type among the references whose titles hold it."""
    p = items[prev]
    if it.m.type_word is None or p.m.type_word is None or p.m.type_word == it.m.type_word:
        return p
    a = p.parent
    while a is not None:
        if items[a].m.type_word == it.m.type_word:
            return items[a]
        a = items[a].parent
    return p


_CONJUNCTION = startcache.compile(r"(?<![\w])(?:và|hoặc)(?![\w])", re.IGNORECASE)


def link(text: str, items: list[Item], v: Vocabulary) -> None:
    """Group coordinated mentions, nest mentions found in another's title, share trailing metadata."""
    rx = _rx()
    coord, opener, cue_end = rx["coord"], rx["opener"], rx["cue_end"]
    group_id = -1
    # whether the last member of the current group was joined by a conjunction ("A và B"): in "A và B, C",
    # "và" joins the last member of a list, so C begins another one
    closed = False
    for i, it in enumerate(items):
        if i == 0:
            group_id += 1
            it.group = group_id
            continue
        prev = items[i - 1]
        # the gap text[a:b] is sliced only when it is short or coordinates: "coord" and "opener" (no
        # look-arounds) match on the text within (a, b) as on the slice
        b = it.m.start
        a = min(prev.meta_end, b)
        if coord.fullmatch(text, a, b) and not _breaks(text[a:b]):
            conj = _CONJUNCTION.search(text, a, b) is not None
            if not (closed and not conj and "," in text[a:b]):
                closed = closed or conj
                # like joins like: "... của Nghị định số X quy định chi tiết Luật Y và Nghị định số Z" joins
                # Z to X, the nearest reference of its type among those whose title holds the previous one
                peer = _peer(items, i - 1, it)
                it.group = peer.group
                it.parent, it.rel, it.cue = peer.parent, peer.rel, peer.cue
                continue
        closed = False
        gap = text[a:b] if b - a < 400 else ""
        # "opener" is tried only where its first word can begin (see citegraph.text.prefilter); a gap that
        # ends the clause is not searched for a cue (about half of those "opener" lets through)
        cm = (cue_end.search(gap, max(0, len(gap) - 90))
              if b - a < 400 and opener.match(text, a, b) and not _breaks(gap) else None)
        if cm and not rx["blocker"].search(gap[:cm.start()]):
            group_id += 1
            it.group = group_id
            it.parent = i - 1
            it.cue = _WS.sub(" ", gap.strip(" ,"))[-60:]
            it.rel = relation_of_cue(cm.group("cue"))
            continue
        group_id += 1
        it.group = group_id
        it.parent = None
    # share the trailing metadata of each coordinated group backwards
    groups: dict[int, list[Item]] = {}
    for it in items:
        groups.setdefault(it.group, []).append(it)
    for members in groups.values():
        last = members[-1]
        for it in members[:-1]:
            if it.m.type_word is None and it.m.kind == "numbered" and it.m.has_so:
                prev_tw = next((x.m.type_word for x in reversed(members[:members.index(it)]) if x.m.type_word), None)
                it.m.type_word = prev_tw
        for it in reversed(members[:-1]):
            if it.body is None and last.body is not None and admits(last.body, it.m, v):
                it.body, it.body_place = last.body, last.body_place
            if it.date is None and last.date is not None and (_same_type(it, last) or _same_sender(it, last)):
                it.date = last.date
            if it.term is None and last.term is not None and it.m.grammar == last.m.grammar:
                it.term = last.term
        # a second "của ..." after a nested group belongs to the outer reference
        if last.extra_body is not None and last.parent is not None:
            parent = items[last.parent]
            if parent.body is None and compatible(last.extra_body, parent.m, v):
                parent.body, parent.body_place = last.extra_body, last.extra_place


def _same_sender(a: Item, b: Item) -> bool:
    """Two papers one body numbered one after the other, neither with a year of its own ("Tờ trình số 359/TTr-CP
    và Đề án số 360/ĐA-CP ngày 09 tháng 5 năm 2025": sent together, under one date). Other documents of one
    issuer listed together keep their own dates ("Kế hoạch số 31-KH/TU, Quyết định số 728-QĐ/TU ngày ...")."""
    x, y = a.m, b.m
    if x.kind != "numbered" or y.kind != "numbered" or x.year is not None or y.year is not None:
        return False
    if not x.issuer_code or x.issuer_code.upper() != (y.issuer_code or "").upper():
        return False
    return (x.number or "").isdigit() and (y.number or "").isdigit() and abs(int(x.number or 0) - int(y.number or 0)) == 1


def _same_type(a: Item, b: Item) -> bool:
    if a.m.kind != b.m.kind:
        return False
    if a.m.type_word and b.m.type_word:
        return fold(a.m.type_word) == fold(b.m.type_word)
    return (a.m.type_code or "") == (b.m.type_code or "")


def title_region(text: str, it: Item, nxt: int | None) -> str:
    """The text after a mention's metadata up to the end of its clause (its title, "về ...")."""
    a, b = _title_span(text, it, nxt)
    return text[a:b]


def _title_span(text: str, it: Item, nxt: int | None) -> tuple[int, int]:
    """Where :func:`title_region` lies in ``text``."""
    return it.meta_end, _title_end(text, it.meta_end, _title_limit(text, it, nxt))


def _title_limit(text: str, it: Item, nxt: int | None) -> int:
    """Where a mention's title ends at the latest: 300 characters on, or at the next mention."""
    end = min(len(text), it.meta_end + 300)
    return nxt if nxt is not None and nxt < end else end


def _title_end(text: str, pos: int = 0, endpos: int | None = None) -> int:
    """Where a title ends in ``text[pos:endpos]`` (an offset in ``text``): at the first cut
    (``_TITLE_CUT``: ";", a blank line, a "." before a blank) that is a ";" or is followed (blanks, "*"
    and "_" aside) by nothing, a capital, a bullet or a digit; ``endpos`` if there is none.

    >>> [_title_end(r) for r in (" về việc X. Tiếp", " về X; y", " a.b. c\\n\\n- d", " a\\n \\n\\nb", " a.")]
    [10, 5, 7, 7, 3]
    """
    end = len(text) if endpos is None or endpos > len(text) else endpos
    for cut in _TITLE_CUT.finditer(text, pos, end):
        first = _first_after(text, cut.end(), end)
        if cut.group(0) == ";" or not first or first.isupper() or first in "-+•" or first.isdigit():
            return cut.start()
    return end


def normalise(text: str, items: list[Item], ctx: Context, v: Vocabulary) -> None:
    """Type, canonical symbol, issuer, level, jurisdiction, year/term and identity for every item."""
    rx = _rx()
    title_place, pinpoint = rx["title_place"], rx["pinpoint"]
    for k, it in enumerate(items):
        m = it.m
        nxt = items[k + 1].m.start if k + 1 < len(items) else None
        # the place is looked for in the title; where the text up to the title's latest end holds none (most
        # mentions), the title, within it, holds none either (the pattern sees nothing after the end of a
        # match), and where the title ends need not be known
        tp = title_place.search(text, it.meta_end, _title_limit(text, it, nxt))
        if tp:
            tp = title_place.search(text, *_title_span(text, it, nxt))
        if tp:
            it.title_place = (_level_of_word(tp.group("lvl")), _proper(tp.group("name")) if tp.group("name") else None)
        # what ends the 160 characters before the mention (searched there: the same as on that slice)
        lo = m.start - 160 if m.start > 160 else 0
        pp = pinpoint.search(text, lo, m.start) if _may_end_pin(text, lo, m.start) else None
        if pp:
            it.pinpoint = _WS.sub(" ", pp.group("pin")).strip()
        if m.kind == "numbered":
            _normalise_numbered(it, ctx, v)
        elif m.kind == "named":
            _normalise_named(it, ctx, v)
    _merge_within(items)


def _may_end_pin(text: str, pos: int, end: int) -> bool:
    """Whether a pinpoint ("Điều 4", "khoản 2 Điều 5 của ") can end ``text[pos:end]``: a necessary test,
    cheaper than the search. Its last provision ends in ``\\d+[a-zđ]?``, then come blanks, perhaps a word of
    :data:`_PIN_TAILS` and blanks: a digit is the last or last but one character other than blanks, either of
    the window or before a word as long as one of those ending it.

    >>> _may_end_pin("khoản 2 Điều 5 của ", 0, 19), _may_end_pin("Điều 4a\\n", 0, 8), _may_end_pin("theo ", 0, 5)
    (True, True, False)
    """
    # the window without its trailing blanks (``text[pos:j]``), then that before a tail word (any characters of
    # its length: the test stays a necessary one) without its own: read in place, not sliced
    j = end
    while j > pos and text[j - 1].isspace():
        j -= 1
    for n in _PIN_TAIL_CUTS:
        k = j - n
        if k <= pos:
            continue
        while n and k > pos and text[k - 1].isspace():
            k -= 1
        if text[k - 1].isdecimal() or (k - 1 > pos and text[k - 2].isdecimal()):
            return True
    return False


#: how much :func:`_may_end_pin` cuts off the window: nothing, then a word of :data:`_PIN_TAILS` as long
_PIN_TAIL_CUTS = (0, *sorted({len(w) for w in _PIN_TAILS}))


def _level_of_word(w: str) -> str:
    w = fold(w)
    return {"tỉnh": "province", "thành phố": "province", "huyện": "district", "quận": "district",
            "thị xã": "district", "xã": "commune", "phường": "commune", "thị trấn": "commune"}.get(w, "province")


def _normalise_numbered(it: Item, ctx: Context, v: Vocabulary) -> None:
    m = it.m
    it.symbol = canonical_symbol(m)
    it.system = "party" if m.grammar == "party" else "state"
    # type
    tw = v.type_for_word(m.type_word) if m.type_word else None
    if tw is not None:
        it.type_name = tw.name
        if m.type_code and tw.code and not _has_code(tw, m.type_code.upper()):
            it.warnings.append(f"type word {m.type_word!r} disagrees with the code {m.type_code} of {it.symbol}")
    elif m.type_code:
        by_code = v.type_for_code(m.type_code, "normative" if m.grammar == "normative" else it.system)
        if by_code is not None:
            it.type_name = by_code.name
    elif m.type_code is None and m.grammar == "state":
        it.type_name = "Công văn"
    if m.grammar == "normative" and m.type_code is None:
        it.type_name = it.type_name or "Luật"
    # level and issuer
    code = m.issuer_code or ""
    level = v.code_level(code, it.system)
    if it.body is not None and it.body.level:
        level = it.body.level
    elif level is None and it.level_word:
        level = _level_of_word(it.level_word)
    elif level is None and it.title_place[0]:
        level = it.title_place[0]
    elif level is None:
        # the citing document's level, unless the code's bodies are all local and it is central: a central
        # text's "Báo cáo số 84/BC-UBND" is of some province it does not name, not of the centre
        bodies = v.bodies_for_code(code) if code else []
        local = any(b.level in ("province", "district", "commune") for b in bodies) and all(
            b.level != "central" for b in bodies)
        level = None if local and ctx.level == "central" else ctx.level
    it.level = level
    if it.body is not None:
        it.issuer = f"{it.role} {it.body.name}" if it.role else it.body.name
    elif it.plenum:
        it.issuer = "Ban Chấp hành Trung ương"
    else:
        default = v.code_info(code)
        if default is not None and default.level is not None and len(v.bodies_for_code(code)) == 1 or (
                default is not None and default.level is not None and code.upper() not in ("TW",)):
            it.issuer = default.name
        elif code.upper() in ("UBND", "HĐND") and level in ("province", "district", "commune"):
            word = {"province": "tỉnh", "district": "huyện", "commune": "xã"}[level]
            base = "Ủy ban nhân dân" if code.upper() == "UBND" else "Hội đồng nhân dân"
            it.issuer = f"{base} {word}"
    # jurisdiction
    it.jurisdiction = _jurisdiction(it, level, ctx)
    # a centrally-run city is a "thành phố", never a "tỉnh": "Ủy ban nhân dân thành phố" (Hà Nội, Huế, ...)
    if level == "province" and it.issuer and it.issuer.endswith(" tỉnh") and (it.jurisdiction or "").startswith("thành phố "):
        it.issuer = it.issuer[:-len("tỉnh")] + "thành phố"
    # year / term
    if m.grammar == "normative":
        it.year = m.year
    elif it.date:
        it.year = int(it.date[:4])
    if it.system == "party":
        if it.date:
            it.term = v.party_term(it.date, "central" if level == "central" else "local") or it.term
    elif m.grammar == "normative" and m.issuer_code:
        it.term = v.assembly_term_of_code(m.issuer_code) or it.term
    when = (it.term if it.system == "party" else (str(it.year) if it.year else None))
    jslug = jurisdiction_slug(it.jurisdiction, level, it.body_place or ctx.province)
    # an old symbol ("74/CP") names no type: the type word's code does ("Nghị định": NĐ)
    type_code = m.type_code or (tw.code if m.grammar == "old" and tw is not None and tw.code else None)
    tcode = ascii_slug(type_code) if type_code else ("l" if m.grammar == "normative" else "cv")
    it.key = (it.system, jslug, issuer_slug(code),
              tcode, str(int(m.number or "")))  # a numbered mention always has its number
    it.id = identity_iri(it.key, when)


def _has_code(tw: DocType, code: str) -> bool:
    """Whether ``code`` (upper case) is the code or an alternative code of ``tw``, in any case: the set
    ``{c.upper() for c in (tw.code, *tw.alt_codes) if c}`` without building it.

    >>> _has_code(DocType("Quyết định", "QĐ", ("state",), ("QD",)), "QD"), _has_code(DocType("X", None, ()), "X")
    (True, False)
    """
    if tw.code and tw.code.upper() == code:
        return True
    for c in tw.alt_codes:
        if c and c.upper() == code:
            return True
    return False


def _jurisdiction(it: Item, level: str | None, ctx: Context) -> str | None:
    """Jurisdiction of a mention: the citing document's context, with the places the mention names itself
    (the issuer's "tỉnh X" or "huyện Y", the title's "trên địa bàn huyện Y") taking precedence.

    ``Context.jurisdiction`` depends on the level and the three places only, and is "central" for the
    central level: a new ``Context`` (a costly dataclass ``__init__``) is made only when a place differs.

    >>> it = Item(Mention("numbered", 0, 1), 1)
    >>> ctx = Context(province="Bình Phước", district="Hớn Quản")
    >>> _jurisdiction(it, "district", ctx), _jurisdiction(it, "central", ctx)
    ('huyện Hớn Quản, tỉnh Bình Phước', 'central')
    >>> it.body_district = "Lộc Ninh"
    >>> _jurisdiction(it, "district", ctx), _jurisdiction(it, "province", ctx)
    ('huyện Lộc Ninh, tỉnh Bình Phước', 'tỉnh Bình Phước')
    """
    if level == "central":
        return "central"
    named = it.body_district or (it.title_place[1] if it.title_place[0] == level else None)
    province = it.body_place or ctx.province
    district = (named if level == "district" else None) or ctx.district
    commune = (named if level == "commune" else None) or ctx.commune
    if province == ctx.province and district == ctx.district and commune == ctx.commune:
        return ctx.jurisdiction(level)
    return Context(province=province, district=district, commune=commune).jurisdiction(level)


def _normalise_named(it: Item, ctx: Context, v: Vocabulary) -> None:
    m = it.m
    it.type_name = m.type_word
    it.year = m.year
    kind = m.named_kind
    if kind == "constitution":
        it.system, it.level, it.jurisdiction, it.issuer = "state", "central", "central", "Quốc hội"
        it.id = f"{ID_BASE}state/central/constitution/{m.year or '_'}"
    elif kind == "fixed":
        entry = next(p for p in v.named if p.get("name") == m.name)
        it.system, it.level, it.jurisdiction, it.issuer = entry["system"], "central", "central", entry["issuer"]
        it.id = f"{ID_BASE}{entry['id']}"
    elif kind == "law":
        entry = next(p for p in v.named if p["kind"] == "law" and p["type"] == m.type_word)
        it.system, it.level, it.jurisdiction, it.issuer = "state", "central", "central", entry["issuer"]
        name = m.name or ""  # a law mention always has its name
        it.id = f"{ID_BASE}state/central/law/{ascii_slug(name.split(' ', 1)[1] if name.startswith('Luật') else name)}"
    elif kind == "national_congress":
        it.system, it.level, it.jurisdiction = "party", "central", "central"
        it.issuer = "Đại hội đại biểu toàn quốc"
        it.term = m.ordinal
        it.id = f"{ID_BASE}party/central/congress/{ascii_slug(m.ordinal or '_')}"
    elif kind == "plenum":
        it.system, it.level, it.jurisdiction, it.issuer = "party", "central", "central", "Ban Chấp hành Trung ương"
        it.term = m.term
        it.id = f"{ID_BASE}party/central/plenum/{ascii_slug(m.term or '_')}/{m.ordinal or '_'}"
    elif kind == "local_congress":
        level = _level_of_word(m.level or "tỉnh")
        it.system, it.level = "party", level
        province = m.place or ctx.province
        it.jurisdiction = _jurisdiction(it, level, ctx) if not m.place else f"tỉnh {m.place}"
        it.issuer = f"Đại hội đại biểu Đảng bộ {m.level}"
        it.term = m.term
        if province and m.name and province not in m.name and level == "province":
            m.name = m.name.replace(f"Đảng bộ {m.level}", f"Đảng bộ {m.level} {province}", 1)
        which = m.ordinal or (m.term and f"term-{m.term}") or "_"
        it.id = f"{ID_BASE}party/{jurisdiction_slug(it.jurisdiction, level, province)}/congress/{ascii_slug(which)}"
    it.symbol = None


def _merge_within(items: list[Item]) -> None:
    """Mentions of one symbol in one text are one document: share the date stated first, year and term."""
    by_key: dict[tuple, list[Item]] = {}
    for it in items:
        it.stated_date = it.date
        if it.key is not None:
            by_key.setdefault(it.key, []).append(it)
    for key, its in by_key.items():
        stated = sorted({x.date for x in its if x.date})
        if len(stated) > 1:
            its[0].warnings.append(f"{its[0].symbol} is cited with different dates in this text: {', '.join(stated)}")
        whens = []
        for it in its:
            w = it.term if it.system == "party" else (str(it.year) if it.year else None)
            if it.m.grammar == "normative":
                w = str(it.year)
            if it.date or it.m.grammar == "normative" or (it.system == "party" and it.term):
                if w and w not in whens:
                    whens.append(w)
        full = [identity_iri(key, w) for w in whens]
        first_date = next((x.date for x in its if x.date), None)
        for it in its:
            has_own = it.date or it.m.grammar == "normative" or (it.system == "party" and it.term)
            if has_own:
                continue
            if len(full) == 1:
                it.id = full[0]
                src = next(x for x in its if x.id == full[0] and (x.date or x.term or x.year))
                it.year = it.year or src.year
                it.term = it.term or src.term
                it.date = it.date or first_date
            elif len(full) > 1:
                it.candidates = full
