"""Vocabularies: the JSON data in ``ontology/`` loaded once and compiled for matching.

Examples
--------
>>> v = vocabulary()
>>> v.type_for_word("nghị   quyết").name
'Nghị quyết'
>>> v.code_info("TTG").name, v.code_info("TTG").level
('Thủ tướng Chính phủ', 'central')
>>> v.body_for_text("Ban Bí thư Trung ương Đảng").name
'Ban Bí thư'
>>> v.party_term("2015-07-14")
'XI'
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from citegraph.text.normalize import fold

ROMAN_RE = r"[IVXL]{1,6}(?![\w])"


def raw(name: str) -> dict[str, Any]:
    """The JSON vocabulary ``ontology/<name>.json`` as loaded (a fresh copy each call).

    >>> sorted(raw("terms"))[:2]
    ['$comment', 'national_assembly']
    """
    return json.loads(resources.files("citegraph.ontology").joinpath(f"{name}.json").read_text(encoding="utf-8"))


def words_pattern(phrase: str) -> str:
    """Regex for a phrase: words separated by any whitespace, hyphens spaced or not.

    >>> re.fullmatch(words_pattern("Chỉ thị"), "Chỉ\\nthị") is not None
    True
    """
    parts = re.split(r"\s+", phrase.strip())
    out = []
    for p in parts:
        out.append(re.escape(p).replace(r"\-", r"\s*-\s*").replace(",", r"\s*,"))
    return r"\s+".join(out)


#: characters that re.IGNORECASE matches with a letter besides its upper and lower case
_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def caseless(phrase: str) -> str:
    """A case-sensitive pattern matching what ``words_pattern(phrase)`` matches under IGNORECASE: each
    letter a class of its cases. The regex engine then skips ahead to a possible first letter, which
    it cannot do under IGNORECASE.

    >>> caseless("ban hành")
    '[Bb][Aa][Nn]\\\\s+[Hh][Àà][Nn][Hh]'
    >>> re.fullmatch(caseless("ban hành"), "BAN  Hành") is not None
    True
    """
    def one(c: str) -> str:
        if not c.isalpha():
            return re.escape(c)
        return "[" + "".join(sorted(set(c.upper() + c.lower() + _FOLDS.get(c.lower(), "")))) + "]"

    return words_pattern(phrase) if any(ch in phrase for ch in "-,") else r"\s+".join(
        "".join(one(c) for c in w) for w in phrase.split())


def case_variants(chars: str) -> frozenset[str]:
    """``chars`` with every character IGNORECASE matches with one of them (as in :func:`caseless`):
    what a case-blind pattern can begin with, tested a character at a time.

    >>> "".join(sorted(case_variants("k("))) == "(Kk\\u212a"  # the Kelvin sign too
    True
    """
    return frozenset(x for c in chars for x in c + c.upper() + c.lower() + _FOLDS.get(c.lower(), ""))


def factored(alternatives: list[str], flags: int = 0) -> str:
    """``"|".join(alternatives)``, grouped by first character: the same matches, found faster.

    The regex engine tries the alternatives of ``a|b|c`` one by one at every offset; under
    IGNORECASE it cannot rule one out by its first letter cheaply, so a long list of names costs a
    try of each name at each offset. Grouped as ``U(?:BND|ỷ ban)|B(?:ộ ...|an ...)``, an offset is
    ruled out after one try per first letter. Alternatives keep their order within a group, and
    two groups never match at the same offset (their first letters differ, also under ``flags``),
    so the first alternative that matches is the same as in the plain list. Unless every
    alternative starts with a plain letter (not quantified, no ``|``), the plain list is returned.

    >>> p = factored(["Ban Bí thư", "Bộ Chính trị", "UBND", "Ban"])
    >>> p
    'B(?:an Bí thư|ộ Chính trị|an)|UBND'
    >>> [re.match(p, s).group() for s in ("Ban Bí thư", "Bandit", "UBND")]
    ['Ban Bí thư', 'Ban', 'UBND']
    """
    plain = "|".join(alternatives)
    groups: dict[str, list[str]] = {}
    for alt in alternatives:
        if len(alt) < 2 or not alt[0].isalpha() or alt[1] in "?*+{" or "|" in alt:
            return plain
        groups.setdefault(alt[0].lower() if flags & re.IGNORECASE else alt[0], []).append(alt)
    heads = list(groups)
    for i, x in enumerate(heads):  # first letters must not match each other (under flags)
        for y in heads[i + 1:]:
            if re.fullmatch(re.escape(x), y, flags) or re.fullmatch(re.escape(y), x, flags):
                return plain
    return "|".join(alts[0] if len(alts) == 1 else alts[0][0] + "(?:" + "|".join(a[1:] for a in alts) + ")"
                    for alts in groups.values())


class Prefiltered:
    """A pattern whose matches are found by trying it only where a cheap ``fast`` pattern matches.

    ``Prefiltered(exact, fast).finditer(text, pos, endpos)`` yields exactly what
    ``exact.finditer(text, pos, endpos)`` yields, provided every match of ``exact`` starts with a
    match of ``fast`` at the same offset and ``exact`` never matches the empty string. ``fast`` should
    begin with a literal or a character class (no look-behind, no IGNORECASE on cased letters), so
    that the regex engine can skip ahead to its first character instead of trying every offset; a
    leading look-behind like ``(?<![\\w])`` or a big IGNORECASE alternation makes ``exact`` try
    every offset of the text.

    >>> p = Prefiltered(re.compile(r"(?<![\\w])ab+(?![\\w])"), re.compile(r"ab"))
    >>> [m.group() for m in p.finditer("xab abb ab-abx")]
    ['abb', 'ab']
    >>> p.search("xab") is None, p.search("q abbb").span()
    (True, (2, 6))

    ``resume`` (a group of ``fast``) skips ahead after a miss: when ``exact`` does not match where
    ``fast`` matched, the next try is at the end of that group instead of one character on. Give it
    only when ``exact`` cannot match inside the group (e.g. a run of digits, when ``exact`` must not
    start right after a digit).

    >>> d = Prefiltered(re.compile(r"(?<![\\w/])\\d+"), re.compile(r"(\\d+)"), resume=1)
    >>> [m.group() for m in d.finditer("1/2024 x12 7")]
    ['1', '7']

    Instead of ``fast``, ``heads`` may list plain strings every match starts with: they are found
    with ``str.find``, many times faster than a regex scanning for a set of first characters.

    >>> h = Prefiltered(re.compile(r"(?<![\\w])(?:ab|cd)+(?![\\w])"), heads=("ab", "cd"))
    >>> [m.group() for m in h.finditer("xab abcd cdab ab")]
    ['abcd', 'cdab', 'ab']

    With ``back_words``, each match holds one of the heads in one of its first ``back_words + 1``
    words (words without blanks, blanks between them): it is tried where a head is and where each of
    the ``back_words`` words before a head starts. Fewer heads, fewer scans of the text.

    >>> b = Prefiltered(re.compile(r"(?<![\\w])(?:nêu\\s+trên|trên)(?![\\w])"), heads=("trên",), back_words=1)
    >>> [m.group() for m in b.finditer("nêu  trên, ở trên")]
    ['nêu  trên', 'trên']
    """

    __slots__ = ("exact", "fast", "resume", "heads", "back_words")

    def __init__(self, exact: re.Pattern[str], fast: re.Pattern[str] | None = None,
                 resume: int | str | None = None, heads: tuple[str, ...] | None = None,
                 back_words: int = 0) -> None:
        self.exact = exact
        self.fast = fast
        self.resume = resume
        self.heads = heads
        self.back_words = back_words

    @property
    def pattern(self) -> str:
        """The pattern string of ``exact``."""
        return self.exact.pattern

    def _head_starts(self, text: str, pos: int, endpos: int) -> list[int]:
        """Every offset in ``[pos, endpos)`` where one of the heads occurs, in order."""
        out: set[int] = set()
        back = self.back_words
        for h in self.heads or ():
            i = text.find(h, pos, endpos)
            while i >= 0:
                out.add(i)
                j = i
                for _ in range(back):  # the start of each word before it
                    while j > 0 and text[j - 1].isspace():
                        j -= 1
                    while j > 0 and not text[j - 1].isspace():
                        j -= 1
                    out.add(j)
                i = text.find(h, i + 1, endpos)
        return sorted(out)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        """Matches of ``exact`` in ``text[pos:endpos]``, in order, as ``re.Pattern.finditer`` gives them."""
        if endpos is None or endpos > len(text):
            endpos = len(text)
        if self.fast is None:
            match = self.exact.match
            for p in self._head_starts(text, pos, endpos):
                if p < pos:
                    continue
                m = match(text, p, endpos)
                if m is not None:
                    yield m
                    pos = m.end() if m.end() > p else p + 1
            return
        search, match, resume = self.fast.search, self.exact.match, self.resume
        while pos <= endpos:
            c = search(text, pos, endpos)
            if c is None:
                return
            p = c.start()
            m = match(text, p, endpos)
            if m is None:
                pos = p + 1 if resume is None else max(p + 1, c.end(resume))
                continue
            yield m
            pos = m.end() if m.end() > p else p + 1

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """The first match of ``exact``, as ``re.Pattern.search`` gives it."""
        return next(self.finditer(text, pos, endpos), None)


@dataclass(frozen=True)
class DocType:
    """A document type: its name (type word), code, systems, surface variants."""

    name: str
    code: str | None
    systems: tuple[str, ...]
    alt_codes: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Body:
    """An issuing body: canonical name, system, level, compatible symbol codes."""

    name: str
    system: str
    level: str | None
    codes: tuple[str, ...]
    default: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    """All vocabularies, compiled."""

    types: list[DocType]
    bodies: list[Body]
    provinces: list[dict[str, Any]]
    terms: dict[str, list[dict[str, str]]]
    relations: list[dict[str, Any]]
    backrefs: dict[str, Any]
    not_before: list[str]
    named: list[dict[str, Any]]
    ordinal_words: dict[str, int]
    code_rules: dict[str, Any]
    _type_by_word: dict[str, DocType] = field(default_factory=dict)
    _body_by_alias: dict[str, Body] = field(default_factory=dict)
    _code_upper: dict[str, str] = field(default_factory=dict)
    _default_body: dict[str, Body] = field(default_factory=dict)
    _province_by_alias: dict[str, str] = field(default_factory=dict)
    _memo: dict[tuple, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for t in self.types:
            for w in (t.name, *t.variants):
                self._type_by_word.setdefault(fold(w), t)
        for b in self.bodies:
            for a in (b.name, *b.aliases):
                self._body_by_alias.setdefault(fold(a), b)
            for c in b.codes:
                self._code_upper.setdefault(c.upper(), c)
                if b.default:
                    self._default_body.setdefault(c.upper(), b)
        for t in self.types:
            for tc in (t.code, *t.alt_codes):
                if tc:
                    self._code_upper.setdefault(tc.upper(), tc)
        for p in self.provinces:
            for a in (p["name"], *p.get("aliases", [])):
                self._province_by_alias[fold(a)] = p["name"]

    # ---- types -------------------------------------------------------------------------------
    def type_for_word(self, word: str) -> DocType | None:
        """The type a type word (any case, spacing) names, or None."""
        return self._type_by_word.get(fold(word))

    def type_codes(self) -> set[str]:
        """Every known type code (canonical case)."""
        out = set()
        for t in self.types:
            for c in (t.code, *t.alt_codes):
                if c:
                    out.add(c)
        return out

    def _memoised(self, name: str, compute: Any, *args: Any) -> Any:
        """``compute(*args)``, computed once per vocabulary (the vocabularies never change once loaded)."""
        key = (name, *args)
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute(*args)
            return value

    def type_codes_upper(self) -> frozenset[str]:
        """Every known type code, upper case."""
        return self._memoised("type_codes_upper", lambda: frozenset(c.upper() for c in self.type_codes()))

    def type_for_code(self, code: str, system: str) -> DocType | None:
        """The type a code denotes in a system when the text gives no type word."""
        return self._memoised("type_for_code", self._type_for_code, code, system)

    def _type_for_code(self, code: str, system: str) -> DocType | None:
        defaults = raw_defaults().get(system, {})
        canon = self.canonical_code(code)
        if canon in defaults:
            return self.type_for_word(defaults[canon])
        for t in self.types:
            if (t.code == canon or canon in t.alt_codes) and system in t.systems:
                return t
        for t in self.types:
            if t.code == canon or canon in t.alt_codes:
                return t
        return None

    def type_words(self) -> list[str]:
        """All type words and variants, longest first (for building patterns)."""
        ws = {w for t in self.types for w in (t.name, *t.variants)}
        ws |= {"Công văn", "Văn bản"}
        return sorted(ws, key=len, reverse=True)

    # ---- codes and bodies --------------------------------------------------------------------
    def canonical_code(self, code: str) -> str:
        """Official spelling of a code if known (``TTG`` -> ``TTg``), else as given with Đ unified."""
        key = ("canon", code)
        if key not in self._memo:
            self._memo[key] = self._canonical_code(code)
        return self._memo[key]

    def _canonical_code(self, code: str) -> str:
        c = code.replace("Ð", "Đ").replace("đ", "Đ") if code.upper() == code else code.replace("Ð", "Đ")
        m = re.fullmatch(r"(UBTVQH|QH)(\d+)", c, re.I)
        if m:
            return m.group(1).upper() + m.group(2)
        return self._code_upper.get(c.upper(), c.upper() if c.islower() else c)

    def code_info(self, code: str) -> Body | None:
        """The default body a symbol's issuer code stands for, or None if the code is unknown."""
        return self._memoised("code_info", self._code_info, code)

    def _code_info(self, code: str) -> Body | None:
        c = self.canonical_code(code)
        m = re.fullmatch(r"(UBTVQH|QH)\d+", c)
        if m:
            c = m.group(1)
        return self._default_body.get(c.upper())

    def bodies_for_code(self, code: str) -> list[Body]:
        """Every body compatible with an issuer code."""
        key = ("bodies", code)
        if key not in self._memo:
            self._memo[key] = self._bodies_for_code(code)
        return self._memo[key]

    def _bodies_for_code(self, code: str) -> list[Body]:
        c = re.sub(r"\d+$", "", self.canonical_code(code)).upper()
        return [b for b in self.bodies if c in (x.upper() for x in b.codes)]

    def body_for_text(self, text: str) -> Body | None:
        """The body an issuer phrase names (alias lookup), or None."""
        return self._body_by_alias.get(fold(text))

    def body_aliases(self) -> list[str]:
        """All body aliases, longest first."""
        return sorted({a for b in self.bodies for a in (b.name, *b.aliases)}, key=len, reverse=True)

    def code_level(self, code: str, system: str) -> str | None:
        """Level of an issuer code, known or by suffix rule (party ...TW central, ...TU province)."""
        return self._memoised("code_level", self._code_level, code, system)

    def _code_level(self, code: str, system: str) -> str | None:
        b = self.code_info(code)
        if b is not None and b.level:
            return b.level
        c = self.canonical_code(code).upper()
        if system == "party":
            for suf, lvl in sorted(self.code_rules["party_suffix_levels"].items(), key=lambda kv: -len(kv[0])):
                if c.endswith(suf.upper()):
                    return lvl
            return None
        if c in ("UBND", "HĐND"):
            return None
        if re.fullmatch(r"(UBTVQH|QH)\d*", c):
            return "central"
        if c.startswith("S") and len(c) <= 6 and c not in ("STTTT",):
            return "province"
        if c.startswith("B") and len(c) >= 3:
            return "central"
        return None

    # ---- places and terms --------------------------------------------------------------------
    def province_names(self) -> list[str]:
        """Province names and aliases, longest first."""
        return sorted(self._province_by_alias_surface(), key=len, reverse=True)

    def _province_by_alias_surface(self) -> set[str]:
        return {a for p in self.provinces for a in (p["name"], *p.get("aliases", []))}

    def province(self, text: str) -> str | None:
        """Canonical province name for a surface form, or None."""
        return self._province_by_alias.get(fold(text))

    def province_of(self, part: str) -> str | None:
        """Canonical province of one part of a jurisdiction, with or without its level word.

        >>> vocabulary().province_of("tỉnh Bình Phước"), vocabulary().province_of("huyện Hớn Quản")
        ('Bình Phước', None)
        """
        return self._memoised("province_of", self._province_of, part)

    def _province_of(self, part: str) -> str | None:
        low = part.lower()
        for w in sorted(raw("places")["levels"]["province"]["words"], key=len, reverse=True):
            if low.startswith(w + " "):
                return self.province(part[len(w) + 1:])
        return self.province(part)

    def party_term(self, iso_date: str | None, level: str = "central") -> str | None:
        """The Party term (central khóa, or local nhiệm kỳ) a date falls in."""
        if not iso_date:
            return None
        return self._memoised("party_term", self._party_term, iso_date, level)

    def _party_term(self, iso_date: str, level: str) -> str | None:
        key = "party_central" if level == "central" else "party_local"
        for t in self.terms[key]:
            if t["start"] <= iso_date <= t["end"]:
                return t["term"]
        return None

    def assembly_term_of_code(self, code: str) -> str | None:
        """Quốc hội term (Roman) of a code like ``QH13`` or ``UBTVQH11``."""
        return self._memoised("assembly_term", self._assembly_term_of_code, code)

    def _assembly_term_of_code(self, code: str) -> str | None:
        m = re.search(r"QH(\d+)$", code.upper())
        if not m:
            return None
        for t in self.terms["national_assembly"]:
            if t["code"] == f"QH{m.group(1)}":
                return t["term"]
        return None

    # ---- relations ---------------------------------------------------------------------------
    def relation_names(self) -> list[str]:
        """Relation type names, in the order of the vocabulary."""
        return [r["name"] for r in self.relations]


@lru_cache(maxsize=1)
def raw_defaults() -> dict[str, dict[str, str]]:
    """Code-to-type defaults per system (from doc_types.json)."""
    d = raw("doc_types")["code_defaults"]
    return {k: v for k, v in d.items() if not k.startswith("$")}


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """Load and compile every vocabulary once."""
    dt = raw("doc_types")
    iss = raw("issuers")
    rel = raw("relations")
    named = raw("named")
    types = [DocType(t["name"], t.get("code"), tuple(t["systems"]), tuple(t.get("alt_codes", [])),
                     tuple(t.get("variants", []))) for t in dt["types"]]
    bodies = [Body(b["name"], b["system"], b.get("level"), tuple(b.get("codes", [])), bool(b.get("default")),
                   tuple(b.get("aliases", []))) for b in iss["bodies"]]
    return Vocabulary(
        types=types,
        bodies=bodies,
        provinces=raw("places")["provinces"],
        terms={k: v for k, v in raw("terms").items() if not k.startswith("$")},
        relations=rel["relations"],
        backrefs=rel["backrefs"],
        not_before=rel["not_references"]["before"],
        named=named["patterns"],
        ordinal_words=named["ordinal_words"],
        code_rules=iss["code_rules"],
    )
