"""Finding: every place the text mentions a document, with offsets in the matching view.

Three kinds of mention: numbered (a symbol of one of the three grammars, with its type word),
named (documents cited by name: Hiến pháp, Luật ..., Nghị quyết Đại hội ...), and back-references
(``Kế hoạch này``, ``Nghị quyết nêu trên``, a defined short name). Finding works on the raw text
(no tokenizer: a symbol like ``15/2022/NĐ-CP`` must stay whole) and never raises on any input.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Collection

from citegraph.text import startcache
from citegraph.text.prefilter import Pattern, RunBefore, WordsBefore, case_variants, follow_keys, shared_words
from citegraph.text.vocab import (raw, ROMAN_RE, WORD_GAP, Vocabulary, factored, longest_first, vocabulary,
                                  words_pattern)

# compiled once (re.search(str, ...) looks the pattern up in re's cache on every call)
_SO_END = startcache.compile(r"số\s*[:.]?\s*$", re.IGNORECASE)
#: the year after a law's name, with "năm" or bare ("Luật Đất đai năm 2013", "Luật Quản lý thuế 2019")
_LAW_YEAR = startcache.compile(r"\s+(?:năm\s+)?((?:19|20)\d\d)(?![\d/])")

# whitespace allowed inside a symbol: spaces and up to two line breaks
W = r"[ \t]*(?:\r?\n[ \t]*){0,2}"
# a code may join its parts with "&" ("SNN&MT", "CTTN&BĐG"), end in a term or unit number ("UBPLTP15",
# "QLDN2"), and be written with Ư ("TƯ" for TW)
_CODE = r"[A-Za-zĐđƯư]{1,14}(?:&[A-Za-zĐđ]{1,10})*(?:\d{1,2}(?![\d/]))?"
_LETTER_AFTER = r"(?![^\W\d_])"
_NUM = r"(?P<num>\d{1,6})"
SYMBOL_RE = startcache.compile(
    # not inside a word or a symbol, but glued to "số" as scraped texts have it ("Tờ trình số357/TTr-CP")
    r"(?:(?<![\w./\-])|(?<=[Ss]ố))" + _NUM + "(?:"
    # normative: N/YYYY/TYPE-ISSUER or N/YYYY/QH13
    rf"{W}/{W}(?P<year>(?:19|20)\d\d){W}/{W}(?P<ncodes>{_CODE}(?:{W}-{W}{_CODE})*){_LETTER_AFTER}"
    # party: N-TYPE/ISSUER(-ISSUER)*
    rf"|{W}-{W}(?P<ptype>{_CODE}){W}/{W}(?P<pcodes>{_CODE}(?:{W}-{W}{_CODE})*){_LETTER_AFTER}"
    # state: N/TYPE-ISSUER(-UNIT)* (công văn: N/ISSUER-UNIT), or a glued N/TYPEISSUER typo
    rf"|{W}/{W}(?P<scodes>{_CODE}(?:{W}-{W}{_CODE})*){_LETTER_AFTER}"
    # before 1992: N-ISSUER ("Nghị định số 206-CP", "Chỉ thị số 122-CT"), kept only after a type word
    rf"|-(?P<ocode>{_CODE}){_LETTER_AFTER}"
    ")"
)
_FORM_TAIL = startcache.compile(rf"{W}/{W}\d")
_WS = startcache.compile(r"\s+")
_HYPHEN = startcache.compile(r"\s*-\s*")
_NEXT_LINE_END = startcache.compile(r"[ \t]*(?:[,.;:)]|\r?\n|$)")
# SYMBOL_RE tried only at the number before each separator that can follow it ("/", "-")
SYMBOL = Pattern(SYMBOL_RE, keys=follow_keys(SYMBOL_RE, "num"), start=RunBefore(str.isdecimal), name="symbol")


@dataclass(init=False)  # __init__ written out: compiled (a generated one runs as Python)
class Mention:
    """A raw mention found in the view (offsets are view offsets)."""

    kind: str
    start: int
    end: int
    sym_start: int = -1
    sym_end: int = -1
    grammar: str | None = None
    number: str | None = None
    year: int | None = None
    type_code: str | None = None
    issuer_code: str | None = None
    sub_codes: list[str] = field(default_factory=list)
    type_word: str | None = None
    has_so: bool = False
    named_kind: str | None = None
    name: str | None = None
    ordinal: str | None = None
    term: str | None = None
    place: str | None = None
    level: str | None = None
    backref: str | None = None
    alias: str | None = None
    warnings: list[str] = field(default_factory=list)
    sep: str = "/"  # between the number and the code of a symbol of the old form ("206-CP", "74/CP")

    def __init__(self, kind: str, start: int, end: int, sym_start: int = -1, sym_end: int = -1,
                 grammar: str | None = None, number: str | None = None, year: int | None = None,
                 type_code: str | None = None, issuer_code: str | None = None, sub_codes: list[str] | None = None,
                 type_word: str | None = None, has_so: bool = False, named_kind: str | None = None,
                 name: str | None = None, ordinal: str | None = None, term: str | None = None,
                 place: str | None = None, level: str | None = None, backref: str | None = None,
                 alias: str | None = None, warnings: list[str] | None = None, sep: str = "/") -> None:
        self.sep = sep
        self.kind = kind
        self.start = start
        self.end = end
        self.sym_start = sym_start
        self.sym_end = sym_end
        self.grammar = grammar
        self.number = number
        self.year = year
        self.type_code = type_code
        self.issuer_code = issuer_code
        self.sub_codes = [] if sub_codes is None else sub_codes
        self.type_word = type_word
        self.has_so = has_so
        self.named_kind = named_kind
        self.name = name
        self.ordinal = ordinal
        self.term = term
        self.place = place
        self.level = level
        self.backref = backref
        self.alias = alias
        self.warnings = [] if warnings is None else warnings


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    v = vocabulary()
    # IGNORECASE alternations grouped by first letter (see vocab.factored)
    tw = factored([words_pattern(w) for w in v.type_words()], re.IGNORECASE)
    before = factored([words_pattern(w) for w in sorted(v.not_before, key=len, reverse=True)], re.IGNORECASE)
    tw_lower = factored([words_pattern(w.lower()) for w in v.type_words()])
    before_lower = factored([words_pattern(w.lower()) for w in sorted(v.not_before, key=len, reverse=True)])
    prov = factored([words_pattern(p) for p in v.province_names()])
    named = []
    for p in v.named:
        pat = p["pattern"].replace("{ORD}", ROMAN_RE).replace("{PROVINCE}", prov)
        pat = pat.replace("{TERM}", r"(?:19|20)\d\d\s*-\s*(?:19|20)\d\d")
        # tried only where its literal prefix is (keys derived from the pattern)
        named.append((p["kind"], p["type"], Pattern(pat, share="mentions", name=f"named {p['kind']}"), p.get("name")))
    dem_self = "|".join(words_pattern(w) for w in v.backrefs["self"])
    dem_prev = "|".join(words_pattern(w) for w in sorted(v.backrefs["previous"], key=len, reverse=True))
    define = "|".join(words_pattern(w) for w in sorted(v.backrefs["define"], key=len, reverse=True))
    tw_cap = factored([words_pattern(w) for w in v.type_words()])
    short = startcache.compile(rf"(?<![\w])(?P<tw>{tw_cap})\s+(?:số\s+)?(?P<num>\d{{1,6}})(?![\d/\-\w.,]\d|[\d/\-\w])")
    # a back reference is a type word, whitespace, then one of the words pointing back (the anchor)
    type_word_end = startcache.compile(rf"(?<![\w])(?P<tw>{tw})\Z", re.IGNORECASE)
    backref_keys, backref_words = shared_words([*v.backrefs["self"], *v.backrefs["previous"]])
    # The look-behinds below make a plain scan try every offset; each pattern is therefore tried
    # only where its keys are (see citegraph.text.prefilter: the same matches, found faster). The
    # named, short and back-reference patterns share one scan of the document for their keys.
    return {
        "short": Pattern(short, share="mentions", name="short form"),
        # type words capitalised on their first letter only: short forms then found by one scan (_short_matches)
        "short_whole": all(w[:1].isupper() and not any(c.isupper() for c in w[1:])
                           for w in v.type_words()),
        "backref_anchor": Pattern(rf"(?<![\w])(?:{dem_self}|{dem_prev})(?![\w])", keys=backref_keys,
                                  start=WordsBefore(backref_words), share="mentions", name="back-reference word"),
        # a standalone number (\d: any decimal digit, so no literal key): see find_short_forms
        "digits": startcache.compile(r"(?<![\w/.\-])\d{1,6}(?![\d/\-\w])"),
        # the type word (and "số") right before a symbol; searched on a short window ending at the symbol
        "prefix": startcache.compile(rf"(?:(?P<tw>{tw})\s*(?P<so1>số)?|(?P<so2>số))\s*[:.]?\s*$", re.IGNORECASE),
        "not_before": startcache.compile(rf"(?:{before})\s*[:.]?\s*$", re.IGNORECASE),
        # the same, in lower case, for a window put in lower case (str.lower): many times faster than
        # IGNORECASE, which folds the case of every character it tries
        "prefix_lower": startcache.compile(rf"(?:(?P<tw>{tw_lower})\s*(?P<so1>số)?|(?P<so2>số))\s*[:.]?\s*$"),
        "not_before_lower": startcache.compile(rf"(?:{before_lower})\s*[:.]?\s*$"),
        # how many whitespace-separated tokens a "prefix" / "not_before" match can span (see _tail_start)
        "prefix_tokens": max(map(_tokens, v.type_words())) + 2,  # + "số", ":"
        "not_before_tokens": max(map(_tokens, v.not_before)) + 1,  # + ":"
        "named": named,
        "type_word_end": type_word_end,
        # the last word of every type word, lower case: a cheap test before type_word_end is tried
        "type_word_last": frozenset(re.split(r"[\s,\-]+", w)[-1].lower() for w in v.type_words()),
        "type_word_chars": max(len(w) for w in v.type_words()) + 20,  # + spaced "-"
        "self_words": frozenset(" ".join(w.split()) for w in v.backrefs["self"]),
        "define": startcache.compile(rf"\(\s*(?:{define})\s*:?\s*(?P<alias>[^()\n]{{2,80}}?)\s*\)", re.IGNORECASE),
        # words ending in a type word that are none ("pháp luật"): "quy phạm pháp luật số 64/2025/QH15"
        # is numbered with no type word of its own (the name before it is a law's)
        "type_compound": startcache.compile(rf"(?<![\w])(?:{'|'.join(words_pattern(w) for w in raw('header')['type_compounds'])})$",
                                    re.IGNORECASE),
    }


def _tokens(phrase: str) -> int:
    """Most whitespace-separated tokens ``words_pattern(phrase)`` can match ("a-b" may be "a - b")."""
    return len(phrase.split()) + 2 * phrase.count("-") + phrase.count(",")


def _tail_start(window: str, tokens: int) -> int:
    """Where to start searching ``window`` for a match that ends it and spans at most ``tokens`` tokens.

    Such a match cannot start before the ``tokens``-th whitespace-separated token from the end, so
    ``rx.search(window, _tail_start(window, n))`` is ``rx.search(window)``, trying fewer offsets.

    >>> w = "theo Quyết định số "
    >>> w[_tail_start(w, 3):], _tail_start("số ", 3)
    (' Quyết định số ', 0)
    """
    parts = window.rsplit(None, tokens)
    return len(parts[0]) if len(parts) > tokens else 0


def _finditer_near(rx: Pattern, anchor: re.Pattern[str], text: str, before: int, after: int):
    """Matches of ``rx`` in the regions around ``anchor``'s occurrences (each region starts at a space):
    what a short form is (its type word at most ``before`` characters before its number, see
    :func:`find_short_forms`)."""
    return _finditer_in(rx, text, _regions(anchor, text, before, after))


def _regions(anchor: re.Pattern[str], text: str, before: int, after: int) -> list[list[int]]:
    """The merged ``[start, end]`` regions of :func:`_finditer_near` around ``anchor``'s occurrences."""
    regions: list[list[int]] = []
    for a in anchor.finditer(text):
        a_start, a_end = a.span()
        s = max(0, a_start - before)
        sp = text.rfind(" ", 0, s) if s > 0 else -1
        s = 0 if sp < 0 else sp + 1 if s > 0 else 0
        e = min(len(text), a_end + after)
        if regions and s <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], e)
        else:
            regions.append([s, e])
    return regions


def _finditer_in(rx: Pattern, text: str, regions: list[list[int]]):
    """Matches of ``rx`` in each region, each span once."""
    seen: set[tuple[int, int]] = set()
    for s, e in regions:
        for m in rx.finditer(text, s, e):
            if m.span() not in seen:
                seen.add(m.span())
                yield m


def split_codes(raw: str) -> list[str]:
    """Codes of a symbol tail, separators and whitespace dropped.

    >>> split_codes("CT -\\nTTg")
    ['CT', 'TTg']
    """
    parts = raw.split("-")
    if all(c.isalnum() for c in parts):
        return parts  # no whitespace, no empty code: the common case, without regexes
    return [c for c in _HYPHEN.split(_WS.sub(" ", raw).strip()) if c]


def find_numbered(text: str, vocab: Vocabulary | None = None) -> list[Mention]:
    """Numbered mentions of ``text`` (a matching view), with their type word when it precedes them.

    Examples
    --------
    >>> [m.number + " " + m.grammar for m in find_numbered("Chỉ thị số 33/CT-TTg và Nghị quyết số 25-NQ/TW")]
    ['33 state', '25 party']
    >>> m = find_numbered("Thông tư số 68/2024/TT-\\nBTC")[0]
    >>> m.grammar, m.year, m.type_code, m.issuer_code, m.type_word
    ('normative', 2024, 'TT', 'BTC', 'Thông tư')
    >>> find_numbered("Mẫu số 02-ĐTD/SHTT/2020 và mã 1.012509")
    []
    """
    v = vocab or vocabulary()
    pats = _patterns()
    out: list[Mention] = []
    known_types = v.type_codes_upper()
    for m in SYMBOL.finditer(text):
        if _FORM_TAIL.match(text, m.end()):
            continue  # "02-ĐTD/SHTT/2020": a form number
        if _search_end(pats, "not_before", text[max(0, m.start() - 60):m.start()]):
            continue
        mention = Mention("numbered", m.start(), m.end(), m.start(), m.end(), number=m.group("num"))
        marker = _footnote_marker(m.group(0), v)
        if marker:
            mention.end = mention.sym_end = m.end() - marker
        if m.group("year"):
            codes = split_codes(m.group("ncodes")[:len(m.group("ncodes")) - marker] if marker else m.group("ncodes"))
            mention.grammar = "normative"
            mention.year = int(m.group("year"))
            if len(codes) == 1:
                # 80/2015/QH13, 02/2020/UBTVQH14: the issuer alone (a law or resolution of the assembly)
                mention.issuer_code = v.canonical_code(codes[0], "issuer")
            else:
                mention.type_code = v.canonical_code(codes[0], "type")
                mention.issuer_code = v.canonical_code(codes[1], "issuer")
                mention.sub_codes = [v.canonical_code(c, "issuer") for c in codes[2:]]
        elif m.group("ptype"):
            codes = split_codes(m.group("pcodes")[:len(m.group("pcodes")) - marker] if marker else m.group("pcodes"))
            mention.grammar = "party"
            mention.type_code = v.canonical_code(m.group("ptype"), "type")
            mention.issuer_code = v.canonical_code(codes[0], "issuer")
            mention.sub_codes = [v.canonical_code(c, "issuer") for c in codes[1:]]
        elif m.group("ocode"):
            mention.sep = "-"
            if not _old_symbol(mention, m.group("ocode")[:len(m.group("ocode")) - marker] if marker else m.group("ocode"), v, known_types):
                continue
        else:
            codes = split_codes(m.group("scodes")[:len(m.group("scodes")) - marker] if marker else m.group("scodes"))
            mention.grammar = "state"
            if len(codes) == 1:
                glued = _split_glued(codes[0], v, known_types)
                if glued is not None:
                    mention.type_code, mention.issuer_code = glued
                    mention.warnings.append(f"symbol {text[m.start():m.end()]!r} lacks the hyphen between type and issuer")
                elif not _old_symbol(mention, codes[0], v, known_types):
                    continue  # "N/WORD" with no hyphen: not a symbol
            elif (type_code := v.canonical_code(codes[0], "type")).upper() in known_types:
                mention.type_code = type_code
                mention.issuer_code = v.canonical_code(codes[1], "issuer")
                mention.sub_codes = [v.canonical_code(c, "issuer") for c in codes[2:]]
            else:
                # công văn: N/ISSUER-UNIT
                mention.issuer_code = v.canonical_code(codes[0], "issuer")
                mention.sub_codes = [v.canonical_code(c, "issuer") for c in codes[1:]]
        if mention.grammar != "normative" and not any(ch.isupper() for ch in text[m.start():m.end()]):
            # all lower case ("qđ-ub") is still a symbol, but "5-ha/ngày" style words are not
            if not (mention.type_code and mention.type_code.upper() in known_types):
                continue
        _attach_prefix(text, mention, pats)
        if mention.grammar == "old" and mention.type_word is None:
            continue  # "N-CODE" or "N/CODE" is a symbol only after a type word ("Nghị định số 74/CP")
        out.append(mention)
    return out


_TRAILING_DIGITS = startcache.compile(r"([A-Za-zĐđƯư])(\d{1,2})$")


def _footnote_marker(symbol: str, v: Vocabulary) -> int:
    """How many digits at the end of ``symbol`` are a footnote marker ("33/CT-TTg1"), not part of its last
    code: those after a known code that takes no term ("UBPLTP15" and "QH15" take one; "QLDN2", of an
    unknown code, is kept).

    >>> _footnote_marker("33/CT-TTg1", vocabulary()), _footnote_marker("427/BC-UBPLTP15", vocabulary())
    (1, 0)
    """
    m = _TRAILING_DIGITS.search(symbol)
    if m is None:
        return 0
    last = re.split(r"[-/\s]", symbol[:m.end(1)])[-1]
    if v.code_info(last) is None or last.upper() in v.term_codes():
        return 0
    return len(m.group(2))


def _old_symbol(mention: Mention, code: str, v: Vocabulary, known_types: Collection[str]) -> bool:
    """Read a symbol of the forms used before 1992, a number and one code: the issuer ("74/CP", "206-CP",
    "111-HĐBT") or the type ("122-CT"). False when the code is neither."""
    if v.code_info(code) is not None:
        mention.issuer_code = v.canonical_code(code, "issuer")
    elif (type_code := v.canonical_code(code, "type")).upper() in known_types:
        mention.type_code = type_code
    else:
        return False
    mention.grammar = "old"
    return True


def _split_glued(code: str, v: Vocabulary, known_types: Collection[str]) -> tuple[str, str] | None:
    """Split a typo like ``CTTg`` into a known type and a known issuer code, else None."""
    up = code.upper()
    for i in range(len(up) - 1, 0, -1):
        head, tail = up[:i], code[i:]
        if head in known_types:
            if v.code_info(tail) is not None:
                return v.canonical_code(code[:i]), v.canonical_code(tail)
            if v.code_info(code[i - 1] + tail) is not None:  # "CTTg": CT + TTg sharing a letter
                return v.canonical_code(code[:i]), v.canonical_code(code[i - 1] + tail)
    return None


def _search_end(pats: dict[str, Any], name: str, window: str) -> re.Match[str] | None:
    """``pats[name]`` (a case-blind pattern ending in ``$``) searched in ``window``: its lower-case twin
    ``pats[name + "_lower"]`` on the window in lower case when that keeps every offset (so read a
    match's text from ``window``, not from the match)."""
    low = window.lower()
    start = _tail_start(window, pats[name + "_tokens"])
    if len(low) == len(window):
        return pats[name + "_lower"].search(low, start)
    return pats[name].search(window, start)


def _attach_prefix(text: str, mention: Mention, pats: dict[str, Any]) -> None:
    lo = max(0, mention.sym_start - 50)
    window = text[lo:mention.sym_start]
    pm = _search_end(pats, "prefix", window)
    if not pm:
        return
    if pm.group("tw"):
        mention.type_word = _WS.sub(" ", window[pm.start("tw"):pm.end("tw")])
        mention.start = lo + pm.start("tw")
        # a type word must start a word, and not end a word that is no type ("pháp luật")
        if (mention.start > 0 and text[mention.start - 1].isalnum()) or pats["type_compound"].search(
                text, max(0, mention.start - 20), lo + pm.end("tw")):
            mention.type_word = None
            mention.start = mention.sym_start
            pm2 = _SO_END.search(window)
            if pm2:
                mention.has_so = True
                mention.start = lo + pm2.start()
            return
        mention.has_so = bool(pm.group("so1"))
    else:
        mention.has_so = True
        start = lo + pm.start("so2")
        if start > 0 and text[start - 1].isalnum():
            mention.has_so = False
            return
        mention.start = start


def find_named(text: str, vocab: Vocabulary | None = None) -> list[Mention]:
    """Documents cited by name without a number.

    Examples
    --------
    >>> [m.named_kind for m in find_named("theo Hiến pháp năm 2013 và Luật Tiếp công dân, Luật Khiếu nại")]
    ['constitution', 'law', 'law']
    >>> m = find_named("Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng")[0]
    >>> m.named_kind, m.ordinal
    ('national_congress', 'XIII')
    >>> m = find_named("Nghị quyết Trung ương 4 (khóa XII)")[0]
    >>> m.named_kind, m.ordinal, m.term
    ('plenum', '4', 'XII')
    """
    v = vocab or vocabulary()
    pats = _patterns()
    found: list[Mention] = []
    for kind, type_name, rx, fixed_name in pats["named"]:
        for m in rx.finditer(text):
            gd = m.groupdict()
            mention = Mention("named", m.start(), m.end(), named_kind=kind, type_word=type_name)
            if kind == "constitution":  # with its year, or by its full name without one
                year = gd.get("year") or gd.get("year2")
                mention.year = int(year) if year else None
                mention.name = f"Hiến pháp năm {year}" if year else "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"
            elif kind == "law":
                lt = _WS.sub(" ", gd["lt"])
                end, lname = _law_name(text, m.end(), lt)
                if not lname:
                    continue
                mention.end = end
                mention.name = f"{lt} {lname}"
                ym = _LAW_YEAR.match(text[end:end + 12])
                if ym:
                    mention.year = int(ym.group(1))
                    mention.end = end + ym.end()
            elif kind == "national_congress":
                mention.ordinal = gd["ord"]
                mention.name = f"Nghị quyết Đại hội đại biểu toàn quốc lần thứ {gd['ord']} của Đảng"
                if not gd.get("nq"):
                    mention.alias = "elided"
            elif kind == "local_congress":
                ordinal = gd.get("ord1") or gd.get("ord2") or gd.get("ord3")
                term = _WS.sub("", gd["term"]).replace("–", "-") if gd.get("term") else None
                level = _WS.sub(" ", gd["level"]).lower()
                if not ordinal and not term and not gd.get("nq"):
                    continue
                if not gd.get("nq"):
                    mention.alias = "elided"
                mention.ordinal, mention.term, mention.level = ordinal, term, level
                mention.place = v.province(gd["place"]) if gd.get("place") else None
                parts = [f"Nghị quyết Đại hội đại biểu Đảng bộ {level}"]
                if mention.place:
                    parts.append(mention.place)
                if ordinal:
                    parts.append(f"lần thứ {ordinal}")
                if term:
                    parts.append(f"nhiệm kỳ {term}")
                mention.name = " ".join(parts)
            elif kind == "fixed":
                # a document with one name and no number (Điều lệ Đảng): its name and identity are data
                mention.name = fixed_name
            elif kind == "plenum":
                n = gd.get("n1") or gd.get("n2")
                if n and not n.isdigit():
                    n = str(v.ordinal_words.get(n.lower(), n))
                mention.ordinal, mention.term = n, gd["term"]
                mention.name = (f"Nghị quyết Hội nghị Trung ương {n} khóa {gd['term']}" if n
                                else f"Nghị quyết Trung ương khóa {gd['term']}")
            found.append(mention)
    # keep the longest of overlapping matches
    found.sort(key=lambda x: (x.start, -(x.end - x.start)))
    out: list[Mention] = []
    for m in found:
        if out and m.start < out[-1].end:
            continue
        out.append(m)
    return out


_WORD = startcache.compile(r"[^\W\d_][\w-]*|\d+")


def _law_name(text: str, pos: int, lt: str) -> tuple[int, str | None]:
    """Read the name of a law of type ``lt`` ("Luật", "Bộ luật") at ``pos``: an amending law's, the longest
    known name, else words up to a stop."""
    amending = _amending_law(text, pos)
    if amending is not None:
        return amending
    by_first = _known_laws_by_first(lt)
    rx, names = by_first.get(text[pos:pos + 1], (None, [])) if by_first is not None else _known_laws_of(lt)
    km = rx.match(text, pos) if rx is not None else None
    if km:
        return km.end(), names[km.lastindex - 1][len(lt) + 1:]  # type: ignore[operator]
    stops, firsts = _law_stop_res(), _law_stop_firsts()
    words: list[str] = []
    ends: list[int] = []
    i = pos
    max_words = _named_data()["law_name_max_words"]
    while len(words) < max_words:
        j = _LAW_GAP.match(text, i).end()  # type: ignore[union-attr]
        wm = _WORD.match(text, j)
        if not wm or _NOT_NAME_WORD.match(text, wm.start()):
            break  # no word, or one that is no part of a name
        # (a stop is tried only at a word it can begin with: the word characters before a "-" of the word)
        if words and (firsts is None or wm.group(0).partition("-")[0] in firsts) and any(
                st.match(text, j, j + n + 12) for n, st in stops):
            break
        if not words and not wm.group(0)[0].isupper():
            return pos, None
        if words and _YEAR_WORD.fullmatch(wm.group(0)):
            break  # a year ends the name, and is its year ("Luật Quản lý thuế 2019")
        words.append(wm.group(0))
        ends.append(wm.end())
        i = wm.end()
    while words and words[-1] in _NAME_JOINERS:  # "Luật Đường bộ và Điều 77 ...": the name ends before "và"
        words.pop()
        ends.pop()
    return (ends[-1], " ".join(words)) if words else (pos, None)


@lru_cache(maxsize=1)
def _amending_rx() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The opening of an amending law's name after its head ("sửa đổi, bổ sung một số điều của "), the head
    of the first law it names, and the joint before each further one (", Luật", " và Bộ luật")."""
    rel = raw("relations")
    cues = sorted((c for r in rel["relations"] if r["name"] == "amends" for c in r["inline"]), key=len, reverse=True)
    heads = sorted(rel["amending_names"]["heads"], key=len, reverse=True)
    head = "|".join(words_pattern(h) for h in heads)
    opening = startcache.compile(rf"(?:{'|'.join(words_pattern(c) for c in cues)})(?:\s+một\s+số\s+điều)?\s+(?:của|trong)\s+"
                         rf"(?=(?:{head})\s)", re.IGNORECASE)
    joint = startcache.compile(rf"(?:\s*,\s*|\s+và\s+)(?P<head>{head})\s+", re.IGNORECASE)
    return opening, startcache.compile(rf"(?P<head>{head})\s+", re.IGNORECASE), joint


def _amending_law(text: str, pos: int) -> tuple[int, str] | None:
    """The name of an amending law at ``pos`` (after its head): "sửa đổi, bổ sung một số điều của Luật A,
    Luật B và Luật C", each law it names read as a law's name is.

    >>> t = "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22"
    >>> _amending_law(t, 5)[1]
    'sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương'
    """
    opening, first, joint = _amending_rx()
    om = opening.match(text, pos)
    if om is None:
        return None
    name = _WS.sub(" ", text[pos:om.end()])
    i, rx, laws = om.end(), first, 0
    while True:
        hm = rx.match(text, i)
        if hm is None:
            break
        end, law = _law_name(text, hm.end(), "Bộ luật" if _CODE_HEAD.match(hm.group("head")) else "Luật")
        if not law:
            break
        sep = "" if not laws else " và " if "và" in text[i:hm.start("head")] else ", "
        name += f"{sep}{_WS.sub(' ', hm.group('head'))} {law}"
        i, rx, laws = end, joint, laws + 1
    return (i, name) if laws else None


@lru_cache(maxsize=1)
def _named_data() -> dict:

    return raw("named")


@lru_cache(maxsize=1)
def _known_laws() -> list[tuple[str, str]]:
    """The known laws' names, the longest first, each with the pattern of its name after the type word (under
    IGNORECASE)."""
    names = sorted(_named_data()["known_laws"], key=len, reverse=True)
    # what a law's name begins with: relations.json's heads ("luật", "bộ luật", "pháp lệnh"), as names write them
    heads = sorted((h[:1].upper() + h[1:] for h in raw("relations")["amending_names"]["heads"]), key=len, reverse=True)
    out = []
    for n in names:
        lt = next(h for h in heads if n.startswith(h + " "))
        rest = n[len(lt) + 1:]
        out.append((n, words_pattern(rest) + r"(?![\w])"))
    return out


@lru_cache(maxsize=2)
def _known_laws_of(lt: str) -> tuple[re.Pattern[str] | None, list[str]]:
    """The known laws whose type word is ``lt`` as one alternation, in the order of :func:`_known_laws` (the
    longest first): group ``i`` matches the ``i``-th name. One match where a loop tried each law's pattern.

    >>> rx, names = _known_laws_of("Luật")
    >>> names[rx.match("Luật Ban hành văn bản quy phạm pháp luật năm 2015", 5).lastindex - 1]
    'Luật Ban hành văn bản quy phạm pháp luật'
    """
    laws = [(n, rx) for n, rx in _known_laws() if n.startswith(lt)]
    if not laws:
        return None, []
    return startcache.compile("|".join(f"({rx})" for _, rx in laws), re.IGNORECASE), [n for n, _ in laws]


@lru_cache(maxsize=8)  # one per head of a law's name ("Luật", "Bộ luật", "Pháp lệnh")
def _known_laws_by_first(lt: str) -> dict[str, tuple[re.Pattern[str] | None, list[str]]] | None:
    """:func:`_known_laws_of` split by the character a name begins with (in each case IGNORECASE matches):
    the alternation of the names that can begin with that character, in the same order, so the match tried
    at a word tries only the names it can be. None when a name begins with no letter (then try them all).

    >>> rx, names = _known_laws_by_first("Luật")["b"]
    >>> names[rx.match("Luật ban hành văn bản quy phạm pháp luật", 5).lastindex - 1]
    'Luật Ban hành văn bản quy phạm pháp luật'
    """
    names = _known_laws_of(lt)[1]
    firsts = [n[len(lt) + 1:len(lt) + 2] for n in names]
    if not all(c.isalpha() for c in firsts):
        return None
    patterns = dict(_known_laws())
    out: dict[str, tuple[re.Pattern[str] | None, list[str]]] = {}
    for c in sorted(case_variants("".join(firsts))):
        these = [n for n, f in zip(names, firsts) if c in case_variants(f)]
        out[c] = startcache.compile("|".join(f"({patterns[n]})" for n in these), re.IGNORECASE), these
    return out


# between two words of a law's name (where a line ends is no clue: a text may be wrapped anywhere)
_LAW_GAP = startcache.compile(rf"{WORD_GAP}?")
_YEAR_WORD = startcache.compile(r"(?:19|20)\d\d")
_CODE_HEAD = startcache.compile(r"bộ\s+luật", re.IGNORECASE)
# a word that is no part of a law's name: the number of a date or a symbol ("30/11/2025"), a list's number
# ("1.", "2)"), a heading's word in capitals with a vowel mark ("NÓNG:"; an acronym of a name has none: GTGT)
_MARKED_CAPS = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_NOT_NAME_WORD = startcache.compile(rf"\d+[/.-]\d|\d{{1,3}}[.)](?!\d)|[A-ZĐ]*[{_MARKED_CAPS}][A-ZĐ{_MARKED_CAPS}]*(?![\w])")
_NAME_JOINERS = frozenset({"và", "hoặc"})


@lru_cache(maxsize=1)
def _law_stop_res() -> list[tuple[int, re.Pattern[str]]]:
    """The stops compiled (``stop(?![\w])``), with the length of their pattern (the look-ahead window): those
    of one length as one alternation, which matches in that window where one of them does (10 patterns to try
    at each word of a law's name instead of 31)."""
    by_len: dict[int, list[str]] = {}
    for st in _law_stops():
        by_len.setdefault(len(st), []).append(st)
    return [(n, startcache.compile("|".join(rf"(?:{st})(?![\w])" for st in sts))) for n, sts in by_len.items()]


@lru_cache(maxsize=1)
def _law_stop_phrases() -> list[str]:
    """The stops of a law's name as written and capitalised ("Được bãi bỏ" after a name starts a sentence),
    the longest first."""
    return longest_first(w for s in _named_data()["law_name_stops"] for w in (s, s[:1].upper() + s[1:]))


@lru_cache(maxsize=1)
def _law_stops() -> list[str]:
    return [words_pattern(s) for s in _law_stop_phrases()]


_WORD_RUN = startcache.compile(r"\w+")


@lru_cache(maxsize=1)
def _law_stop_firsts() -> frozenset[str] | None:
    """The run of word characters each stop begins with: a stop matches only where the text's run of word
    characters is one of them (what follows it in a stop is a blank, a hyphen, a comma or its end, none a
    word character). None when a stop begins with no letter (then every word is tried).

    >>> sorted(w for w in _law_stop_firsts() if w.startswith("c"))
    ['cho', 'có', 'của']
    """
    firsts = set()
    for s in _law_stop_phrases():
        run = _WORD_RUN.match(s)
        if run is None or not run.group()[0].isalpha():
            return None
        firsts.add(run.group())
    return frozenset(firsts)


def find_backrefs(text: str) -> list[Mention]:
    """``Kế hoạch này`` (the citing document), ``Nghị quyết nêu trên`` (an earlier reference).

    >>> [(m.type_word, m.backref) for m in find_backrefs("thực hiện Kế hoạch này; Nghị quyết nêu trên")]
    [('Kế hoạch', 'self'), ('Nghị quyết', 'previous')]
    """
    out: list[Mention] = []
    pats = _patterns()
    type_word_end, last_words = pats["type_word_end"], pats["type_word_last"]
    span, self_words = pats["type_word_chars"], pats["self_words"]
    for a in pats["backref_anchor"].finditer(text):
        s = k = a.start()
        while k > 0 and text[k - 1].isspace():
            k -= 1
        j = k
        while j > 0 and text[j - 1].isalnum():
            j -= 1
        if k == s or text[j:k].lower() not in last_words:
            continue
        # the leftmost (longest) type word ending there, not overlapping the last back reference
        tm = type_word_end.search(text, max(0, k - span, out[-1].end if out else 0), k)
        if tm is None:
            continue
        word = " ".join(a.group().split())
        if word == "trên" and not _NEXT_LINE_END.match(text, a.end()):
            continue  # "kế hoạch hành động trên lĩnh vực ...": the preposition
        out.append(Mention("backref", tm.start(), a.end(), type_word=_WS.sub(" ", tm.group("tw")),
                           backref="self" if word in self_words else "previous"))
    return out


def find_short_forms(text: str) -> list[Mention]:
    """Later, shortened mentions by type word and number only: ``Chỉ thị 33``, ``Nghị quyết số 25``.

    >>> [(m.type_word, m.number) for m in find_short_forms("theo Chỉ thị 33 và Nghị quyết số 25; Kế hoạch 2021-2025")]
    [('Chỉ thị', '33'), ('Nghị quyết', '25')]
    """
    out = []
    pats = _patterns()
    found = _short_matches(text, pats) if pats["short_whole"] else None
    if found is None:
        found = list(_finditer_near(pats["short"], pats["digits"], text, 40, 8))
    for m in found:
        if not m.group("tw")[0].isupper():
            continue
        out.append(Mention("backref", m.start(), m.end(), type_word=_WS.sub(" ", m.group("tw")),
                           number=m.group("num"), backref="short"))
    return out


def _short_matches(text: str, pats: dict) -> list[re.Match[str]] | None:
    """The matches ``_finditer_near(short, digits, text, 40, 8)`` gives, from one scan of the whole text;
    None when a match starts too far before its number for that search to see it (then ask it).

    The number of a short form is always one of the standalone numbers ("digits") that search looks
    around, and the search sees a match iff the match starts in the region of its own number (or of
    a region merged before it, which this does not work out: None then). Two short forms never
    overlap, and none starts inside another (a type word is capitalised only on its first letter,
    ``short_whole``), so a scan of a region from its start finds just the whole-text matches in it.
    """
    out = []
    for m in pats["short"].finditer(text):
        s = m.start("num") - 40  # the region of the number, as _regions draws it
        if s > 0:
            s = text.rfind(" ", 0, s) + 1
        if m.start() < s:
            return None
        out.append(m)
    return out


def find_definitions(text: str) -> list[tuple[int, int, str]]:
    """Defined short names: ``(sau đây viết tắt là X)`` → ``(start, end, X)`` in view offsets.

    >>> find_definitions("Nghị định số 112/2017/NĐ-CP (sau đây viết tắt là Nghị định 112)")
    [(28, 63, 'Nghị định 112')]
    """
    return [(m.start(), m.end(), m.group("alias").strip(" “”\"'")) for m in _patterns()["define"].finditer(text)]


def canonical_symbol(m: Mention) -> str:
    """Official form of a numbered mention's symbol: no spaces, ASCII hyphen, U+0110 for Đ.

    >>> canonical_symbol(find_numbered("Chỉ thị số 10 - CT/TU")[0]), canonical_symbol(find_numbered("số 27/CTTg")[0])
    ('10-CT/TU', '27/CT-TTg')
    """
    codes = [c for c in (m.type_code, m.issuer_code, *m.sub_codes) if c]
    if m.grammar == "party":
        return f"{m.number}-{m.type_code}/" + "-".join([m.issuer_code or "", *m.sub_codes])
    if m.grammar == "normative":
        return f"{m.number}/{m.year}/" + "-".join(codes)
    if m.grammar == "old":
        return f"{m.number}{m.sep}{codes[0]}"
    return f"{m.number}/" + "-".join(codes)
