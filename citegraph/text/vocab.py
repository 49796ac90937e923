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
from typing import Any, Iterable

from citegraph.text.data import read_text
from citegraph.text import startcache
from citegraph.text.normalize import fold
from citegraph.text.prefilter import Pattern, WordsBefore, case_variants, caseless, words_pattern

__all__ = ["vocabulary", "longest_first", "raw", "raw_defaults", "Vocabulary", "DocType", "Body", "words_pattern", "caseless",
           "case_variants", "factored", "Prefiltered", "ROMAN_RE"]

ROMAN_RE = r"[IVXL]{1,6}(?![\w])"
#: Blanks between two words of a name (a place's, a law's), with at most one line break in them: a text may
#: be wrapped anywhere, and a blank line ends the name.
WORD_GAP = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"


def raw(name: str) -> dict[str, Any]:
    """The JSON vocabulary ``ontology/<name>.json`` as loaded (a fresh copy each call).

    >>> sorted(raw("terms"))[:2]
    ['$comment', 'national_assembly']
    """
    return json.loads(read_text(f"{name}.json"))


def _province_words() -> tuple[str, ...]:
    """The level words of a province ("tỉnh", "thành phố"), longest first."""
    return tuple(sorted(raw("places")["levels"]["province"]["words"], key=len, reverse=True))


def longest_first(words: Iterable[str]) -> list[str]:
    """The distinct ``words``, longest first, equal lengths in code-point order: the order an alternation of them
    needs (a phrase before its own beginning), and the same in every run (a set's order changes with the hash
    seed, and with it the patterns built from it).

    >>> longest_first({"Bộ", "Ban", "UBND", "Ban Bí thư", "Bộ"})
    ['Ban Bí thư', 'UBND', 'Ban', 'Bộ']
    """
    return sorted(set(words), key=lambda w: (-len(w), w))


@startcache.memo("factored")
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


def Prefiltered(exact: re.Pattern[str], fast: re.Pattern[str] | None = None, resume: int | str | None = None,
                heads: tuple[str, ...] | None = None, back_words: int = 0) -> Pattern:  # noqa: N802
    """The name ``header.py`` still uses for a declared :class:`~citegraph.text.prefilter.Pattern`.

    ``heads`` are its keys, with ``back_words`` words before them where a match may start
    (``WordsBefore``); without them the keys are derived from ``exact`` (``fast`` and ``resume``,
    the old hand-written prefilter, are no longer needed). Use ``prefilter.Pattern`` in new code.

    >>> p = Prefiltered(re.compile(r"(?<![\\w])(?:nêu\\s+trên|trên)(?![\\w])"), heads=("trên",), back_words=1)
    >>> [m.group() for m in p.finditer("nêu  trên, ở trên")]
    ['nêu  trên', 'trên']
    """
    if heads is not None:
        return Pattern(exact, keys=heads, start=WordsBefore(back_words))
    return Pattern(exact)


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


_TERM_DIGITS = startcache.compile(r"(?<=[A-ZĐ])\d{1,2}$")


_HYPHEN_SPACING = startcache.compile(r"\s*-\s*")


def _alias_key(name: str) -> str:
    """How a body's name is looked up: folded, a hyphen spaced one way ("Kinh tế- Ngân sách").

    >>> _alias_key("Ban Kinh tế- Ngân  sách") == _alias_key("ban kinh tế - ngân sách")
    True
    """
    return _HYPHEN_SPACING.sub(" - ", fold(name))


def _lookup_key(code: str) -> str:
    """A code as the bodies list spells it: "SNN&MT" is SNNMT with its parts joined, "TƯ" (Trung ương) is TW,
    "UBPLTP15" the committee UBPLTP of the 15th assembly.

    >>> _lookup_key("SNN&MT"), _lookup_key("TƯ"), _lookup_key("Ubnd"), _lookup_key("UBPLTP15")
    ('SNNMT', 'TW', 'UBND', 'UBPLTP')
    """
    return _TERM_DIGITS.sub("", code.upper().replace("&", "").replace("Ư", "W"))


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
                self._body_by_alias.setdefault(_alias_key(a), b)
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
        return longest_first(ws)

    # ---- codes and bodies --------------------------------------------------------------------
    def canonical_code(self, code: str, role: str | None = None) -> str:
        """Official spelling of a code if known (``TTG`` -> ``TTg``), else as given with Đ unified. A code typed
        without Đ is the known one it stands for ("QD" -> "QĐ"), of the ``role`` its place in a symbol gives
        ("type" or "issuer"; any known code without one): in "1155-TTr/ND" the issuer ND is no "NĐ".

        >>> v = vocabulary()
        >>> v.canonical_code("QD", "type"), v.canonical_code("ND", "issuer"), v.canonical_code("HDND", "issuer")
        ('QĐ', 'ND', 'HĐND')
        """
        key = ("canon", code, role)
        if key not in self._memo:
            self._memo[key] = self._canonical_code(code, role)
        return self._memo[key]

    def _canonical_code(self, code: str, role: str | None = None) -> str:
        c = code.replace("Ð", "Đ").replace("đ", "Đ") if code.upper() == code else code.replace("Ð", "Đ")
        m = re.fullmatch(r"(UBTVQH|QH)(\d+)", c, re.I)
        if m:
            return m.group(1).upper() + m.group(2)
        known = self._code_upper.get(c.upper())
        if known is None and "D" in c.upper():
            known = self._restored_d(c.upper(), role)
        return known if known is not None else (c.upper() if c.islower() else c)

    def _restored_d(self, up: str, role: str | None) -> str | None:
        """The known code (of ``role``) a code typed without Đ stands for ("QD", "HDND", "BLDTBXH"), trying each
        of its D as Đ (at most the first four); None when none is known.

        >>> vocabulary().canonical_code("BGDĐT"), vocabulary().canonical_code("XD"), vocabulary().canonical_code("BLDTBXH")
        ('BGDĐT', 'XD', 'BLĐTBXH')
        """
        of_role = None if role is None else self.type_codes_upper() if role == "type" else self._issuer_codes_upper()
        ds = [i for i, ch in enumerate(up) if ch == "D"][:4]
        for mask in range(1, 1 << len(ds)):
            chars = list(up)
            for k, i in enumerate(ds):
                if mask >> k & 1:
                    chars[i] = "Đ"
            cand = "".join(chars)
            known = self._code_upper.get(cand)
            if known is not None and (of_role is None or cand in of_role):
                return known
        return None

    def _issuer_codes_upper(self) -> frozenset[str]:
        return self._memoised("issuer_codes_upper", lambda: frozenset(c.upper() for b in self.bodies for c in b.codes))

    def code_info(self, code: str) -> Body | None:
        """The default body a symbol's issuer code stands for, or None if the code is unknown."""
        return self._memoised("code_info", self._code_info, code)

    def _code_info(self, code: str) -> Body | None:
        c = self.canonical_code(code)
        m = re.fullmatch(r"(UBTVQH|QH)\d+", c)
        if m:
            c = m.group(1)
        return self._default_body.get(_lookup_key(c))

    def bodies_for_code(self, code: str) -> list[Body]:
        """Every body compatible with an issuer code."""
        key = ("bodies", code)
        if key not in self._memo:
            self._memo[key] = self._bodies_for_code(code)
        return self._memo[key]

    def _bodies_for_code(self, code: str) -> list[Body]:
        c = _lookup_key(re.sub(r"\d+$", "", self.canonical_code(code)))
        return [b for b in self.bodies if c in (x.upper() for x in b.codes)]

    def body_for_text(self, text: str) -> Body | None:
        """The body an issuer phrase names (alias lookup), or None."""
        return self._body_by_alias.get(_alias_key(text))

    def body_aliases(self) -> list[str]:
        """All body aliases, longest first."""
        return longest_first(a for b in self.bodies for a in (b.name, *b.aliases))

    def code_level(self, code: str, system: str) -> str | None:
        """Level of an issuer code, known or by suffix rule (party ...TW central, ...TU province)."""
        return self._memoised("code_level", self._code_level, code, system)

    def term_codes(self) -> frozenset[str]:
        """Known codes that may carry a term or unit number after them ("UBPLTP15"), upper case."""
        key = ("term_codes",)
        if key not in self._memo:
            self._memo[key] = frozenset(_lookup_key(c) for c in self.code_rules.get("term_codes", []))
        return self._memo[key]

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
        return longest_first(self._province_by_alias_surface())

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
        for w in self._memoised("province_words", _province_words):
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
