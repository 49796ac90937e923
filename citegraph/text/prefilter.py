r"""One prefilter for every pattern: literal keys, found once per text, say where a regex may match.

A pattern of the extraction path is *declared* here instead of compiled bare: it states its regex, the
literal **keys** every match holds, and **where a match may start relative to a key**. The keys are
derived from the regex itself (its literal prefix, or the rarest literal it requires) or from the
vocabulary words it is made of, never typed by hand; under IGNORECASE they are every case variant
the regex engine matches. One scanner finds the keys of a text (``str.find`` for a few, one
Aho-Corasick pass, ``pyahocorasick``, for many) and keeps their positions for the text at hand, so
the stages that look at the same document share them. The regex is then matched only there.

``p.finditer(text, pos, endpos)`` and ``p.search(...)`` yield exactly what ``p.regex.finditer`` and
``p.regex.search`` yield; ``p.match`` and ``p.fullmatch`` exactly what the regex's do, tried only
when the first (and, for ``fullmatch``, the last) character that is not a blank can begin (end) a
match. ``with prefilter.enabled(False):`` (or ``CITEGRAPH_PREFILTER=0`` in the environment) makes every
declared pattern run its plain regex: a property test holds every declared pattern (see
:func:`declared`) to giving the same with and without.

Where a match may start, relative to a key at ``k`` (the ``start`` of :class:`Pattern`):

- ``AT`` (default): at ``k - offset``, the offset of the key in the match's literal prefix (derived);
- ``WordsBefore(n)``: at ``k`` or at the start of one of the ``n`` words (runs of non-blanks) before it;
- ``LINE_START``: at the start of the line holding ``k`` (a ``^`` pattern under MULTILINE);
- ``RunBefore(test)``: at the start of the run of characters passing ``test`` that ends right before
  ``k`` (blanks between allowed): e.g. the number before a symbol's "/";
- ``ANYWHERE``: the keys only gate the regex (eyecite's way): no key in the window, no match;
  otherwise the plain search.

Declaring a pattern
-------------------
``Pattern(regex)`` derives its keys from the regex's literal prefix (``AT``). Give ``keys`` when the
vocabulary says better (``shared_words`` of its phrases, with ``WordsBefore``), ``start=LINE_START`` with
``keys=required_keys(rx)`` for a ``^`` pattern, ``start=None`` for a pattern only tried at given offsets
(``match``/``fullmatch``: then only its first/last character sets work), ``share="name"`` for patterns
that read the same document (one scan for all their keys). Declare patterns once (module level or in
an ``lru_cache``d builder): each is registered, and the property test checks every registered one.

Examples
--------
A pattern whose look-behind would make a plain scan try every offset, tried only at its key:

>>> p = Pattern(r"(?<![\w])Luật\s+[A-ZĐ]\w+")
>>> p.keys
{'Luật': (0,)}
>>> [m.group() for m in p.finditer("theo Luật Đất đai và Luật Nhà ở; BLuật X")]
['Luật Đất', 'Luật Nhà']

Case-blind words are keyed on a rare letter, in every case the engine matches:

>>> q = Pattern(r"điều\s+\d+", re.IGNORECASE)
>>> sorted(q.keys.items())
[('Ề', (2,)), ('ề', (2,))]
>>> q.search("Theo ĐIỀU 5 và điều 7").group()
'ĐIỀU 5'

A phrase found from one of its words (keys from the vocabulary, see :func:`shared_words`):

>>> keys, back = shared_words(["nêu trên", "trên", "này"])
>>> r = Pattern(r"(?<![\w])(?:nêu\s+trên|trên|này)(?![\w])", keys=keys, start=WordsBefore(back))
>>> [m.group() for m in r.finditer("Kế hoạch này, Nghị quyết nêu  trên")]
['này', 'nêu  trên']

The number before a separator; the line holding a key:

>>> s = Pattern(r"(?<![\w/])\d{1,6}\s*/\s*[A-Z]+", keys=("/",), start=RunBefore(str.isdecimal))
>>> [m.group() for m in s.finditer("số 33/CT, 12 / KH và 2021/5")]
['33/CT', '12 / KH']
>>> t = Pattern(r"^[ \t]*Số[ \t]*:", re.MULTILINE, keys=("Số",), start=LINE_START)
>>> t.search("Sở Y tế\n  Số: 12").span()
(8, 13)

A match at a given offset is tried only when its first character other than the pattern's leading
blanks and commas can begin it (derived from the regex):

>>> d = Pattern(r"\s*,?\s*(?:ngày\s+)?\d{1,2}/\d{1,2}", re.IGNORECASE, start=None)
>>> sorted(d.first.chars), d.first.tests
(['N', 'n'], ('isdecimal',))
>>> d.match("  , ngày 5/6", 0).group(), d.match(" về 5/6", 0)
('  , ngày 5/6', None)
>>> with enabled(False):
...     d.match(" về 5/6", 0) is None
True
"""
from __future__ import annotations

import os
import re
import threading
import unicodedata
from bisect import bisect_left
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, cast

import ahocorasick

from citegraph.text import startcache

try:  # Python >= 3.11
    import re._parser as _sre  # type: ignore[import-not-found]
    from re import _compiler  # type: ignore[attr-defined]
    from re import _constants as _C  # type: ignore[attr-defined]
    from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _compiler  # type: ignore[no-redef]
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _sre  # type: ignore[no-redef]
    from sre_compile import _ignorecase_fixes as _EXTRA_CASES  # type: ignore[attr-defined,no-redef]

import _sre as _engine  # the regex engine's own case mapping (unicode_tolower)

__all__ = ["Pattern", "CharSet", "WordsBefore", "RunBefore", "AT", "LINE_START", "ANYWHERE", "enabled",
           "is_enabled", "declared", "RunRule", "prefix_keys", "required_keys", "follow_keys", "case_variants", "caseless", "shared_words", "first_char", "last_char",
           "key_positions"]

# ---- the switch --------------------------------------------------------------------------------

_on: bool = os.environ.get("CITEGRAPH_PREFILTER", "1") != "0"


@contextmanager
def enabled(on: bool = True) -> Iterator[None]:
    """Within the block, every declared pattern uses its keys (``True``) or its plain regex (``False``).

    >>> with enabled(False):
    ...     is_enabled()
    False
    """
    global _on
    old, _on = _on, on
    try:
        yield
    finally:
        _on = old


def is_enabled() -> bool:
    """Whether declared patterns use their keys (``CITEGRAPH_PREFILTER=0`` turns them off)."""
    return _on


_REGISTRY: list["Pattern"] = []


def declared() -> tuple["Pattern", ...]:
    """Every pattern declared so far (patterns are declared when their module first builds them)."""
    return tuple(_REGISTRY)


# ---- case variants -----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _lower_inverse() -> dict[str, str]:
    """For each character ``l``, the characters (below U+10000) other than ``l`` itself and its
    ``upper()`` whose lower case, as the regex engine folds it, is ``l`` (the Kelvin sign for "k")."""
    key = ("lower inverse", unicodedata.unidata_version)  # read once, kept between runs (startcache)
    kept = startcache.recall(key)
    if kept is not None:
        return dict(kept)
    out: dict[str, str] = {}
    tolower = _engine.unicode_tolower
    for code in range(0x10000):
        low = tolower(code)
        if low != code:
            c = chr(code)
            lc = chr(low)
            if lc.upper() != c:
                out[lc] = out.get(lc, "") + c
    startcache.keep(key, out)
    return out


@lru_cache(maxsize=4096)
def _variants(c: str) -> frozenset[str]:
    """The characters IGNORECASE matches with ``c`` (``c`` itself included)."""
    tolower = _engine.unicode_tolower
    lows = {tolower(ord(c))}
    lows |= set(_EXTRA_CASES.get(min(lows), ()))
    out = {c}
    for low in lows:
        lc = chr(low)
        for x in (lc, lc.upper(), lc.title(), *_lower_inverse().get(lc, "")):
            if len(x) == 1 and tolower(ord(x)) in lows:
                out.add(x)
    return frozenset(out)


def case_variants(chars: str) -> frozenset[str]:
    """``chars`` with every character IGNORECASE matches with one of them.

    >>> "".join(sorted(case_variants("k("))) == "(Kk\\u212a"  # the Kelvin sign too
    True
    """
    out: set[str] = set()
    for c in chars:
        out |= _variants(c)
    return frozenset(out)


@startcache.memo("words_pattern")
def words_pattern(phrase: str) -> str:
    """Regex for a phrase: words separated by any whitespace, hyphens spaced or not.

    >>> re.fullmatch(words_pattern("Chỉ thị"), "Chỉ\\nthị") is not None
    True
    >>> all(re.fullmatch(words_pattern("Kinh tế - Ngân sách"), t) for t in ("Kinh tế- Ngân sách", "Kinh tế-Ngân sách"))
    True
    """
    out = ""
    parts = re.split(r"\s+", phrase.strip())
    for i, p in enumerate(parts):
        piece = re.escape(p).replace(r"\-", r"\s*-\s*").replace(",", r"\s*,")
        # a hyphen standing alone ("Kinh tế - Ngân sách") is spaced or not, as one written inside a word
        out += piece if i == 0 or p == "-" or parts[i - 1] == "-" else r"\s+" + piece
    return out


def caseless(phrase: str) -> str:
    """A case-sensitive pattern matching what ``words_pattern(phrase)`` matches under IGNORECASE: each
    letter a class of its case variants.

    >>> caseless("ban hành")
    '[Bb][Aa][Nn]\\\\s+[Hh][Àà][Nn][Hh]'
    >>> re.fullmatch(caseless("ban hành"), "BAN  Hành") is not None
    True
    """
    def one(c: str) -> str:
        if not c.isalpha():
            return re.escape(c)
        return "[" + "".join(sorted(_variants(c))) + "]"

    return words_pattern(phrase) if any(ch in phrase for ch in "-,") else r"\s+".join(
        "".join(one(c) for c in w) for w in phrase.split())


def shared_words(phrases: Sequence[str]) -> tuple[tuple[str, ...], int]:
    """Few words that every phrase holds one of, and how many words before one a phrase may begin
    (the keys and ``n`` of a :class:`WordsBefore` pattern): the words most phrases share first, the
    longer first among as many. Phrases with hyphens or commas (spaced variants) get their first words.

    >>> shared_words(["nêu trên", "trên đây", "trên", "đã nêu", "này"])
    (('này', 'nêu', 'trên'), 1)
    """
    split = [p.split() for p in phrases]
    if any(not ws or "-" in p or "," in p for p, ws in zip(phrases, split)):
        heads = {re.split(r"[-,]", ws[0])[0] for ws in split if ws}
        if "" in heads or not heads or any(not ws for ws in split):
            raise ValueError(f"no literal key for {list(phrases)!r}")
        return tuple(sorted(heads)), 0
    chosen: list[str] = []
    left = list(range(len(split)))
    while left:
        counts: dict[str, int] = {}
        for k in left:
            for w in dict.fromkeys(split[k]):
                counts[w] = counts.get(w, 0) + 1
        best = max(counts, key=lambda w: (counts[w], len(w), w))  # then the longer word: rarer in text
        chosen.append(best)
        left = [k for k in left if best not in split[k]]
    back = max(min(ws.index(h) for h in chosen if h in ws) for ws in split)
    return tuple(sorted(chosen)), back


# ---- character sets derived from a regex ---------------------------------------------------------

_TESTS: dict[str, Callable[[str], bool]] = {
    "isdecimal": str.isdecimal, "isspace": str.isspace, "isword": lambda c: c.isalnum() or c == "_"}
# classes that share no character (``\d`` and ``\w`` against ``\s``)
_DISJOINT = {("isdecimal", "isspace"), ("isspace", "isdecimal"), ("isword", "isspace"), ("isspace", "isword")}


class CharSet:
    """A set of characters as the regex engine sees them: listed ``chars``, plus those passing the
    ``tests`` (``"isdecimal"`` for ``\\d``, ``"isspace"`` for ``\\s``, ``"isword"`` for ``\\w``), or any
    character at all (``anything``). ``c in s`` tells whether ``c`` belongs.

    >>> s = CharSet(frozenset(","), ("isspace",))
    >>> [c in s for c in (",", "\\u2003", "a")]
    [True, True, False]
    """

    __slots__ = ("chars", "tests", "anything", "_test_fns", "_space", "_others")

    def __init__(self, chars: frozenset[str] = frozenset(), tests: tuple[str, ...] = (),
                 anything: bool = False) -> None:
        self.chars = frozenset(chars)
        self.tests = tuple(sorted(set(tests)))
        self.anything = anything
        self._test_fns = tuple(_TESTS[t] for t in self.tests)
        self._space = "isspace" in self.tests
        self._others = tuple(_TESTS[t] for t in self.tests if t != "isspace")

    def __contains__(self, c: str) -> bool:
        if self.anything or c in self.chars:
            return True
        for f in self._test_fns:
            if f(c):
                return True
        return False

    def __or__(self, other: "CharSet") -> "CharSet":
        return CharSet(self.chars | other.chars, self.tests + other.tests, self.anything or other.anything)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CharSet) and (self.chars, self.tests, self.anything) == (
            other.chars, other.tests, other.anything)

    def __hash__(self) -> int:
        return hash((self.chars, self.tests, self.anything))

    def __repr__(self) -> str:
        return f"CharSet({''.join(sorted(self.chars))!r}, {self.tests}, anything={self.anything})"

    def meets(self, other: "CharSet") -> bool:
        """Whether the two sets may share a character (True when unsure)."""
        if self.anything or other.anything:
            return True
        if any(c in other for c in self.chars) or any(c in self for c in other.chars):
            return True
        return any((a, b) not in _DISJOINT for a in self.tests for b in other.tests)

    def within(self, other: "CharSet") -> bool:
        """Whether every character of this set is in ``other`` (False when unsure)."""
        return not self.anything and all(c in other for c in self.chars) and set(self.tests) <= set(other.tests)

    def membership(self) -> Callable[[str], bool]:
        """A fast test of membership: ``frozenset.__contains__`` when only listed characters belong."""
        if not self.tests and not self.anything:
            return self.chars.__contains__
        return self.__contains__


EMPTY = CharSet()
ANYTHING = CharSet(anything=True)
SPACE = CharSet(frozenset(), ("isspace",))
_CATEGORY_TESTS = {"CATEGORY_DIGIT": "isdecimal", "CATEGORY_SPACE": "isspace", "CATEGORY_WORD": "isword",
                   "CATEGORY_UNI_DIGIT": "isdecimal", "CATEGORY_UNI_SPACE": "isspace", "CATEGORY_UNI_WORD": "isword"}
_BIG_RANGE = 4096  # a range this long is not listed: it counts as "any character"


def _ignorecase(flags: int) -> bool:
    return bool(flags & re.IGNORECASE)


def _class_of(op: Any, av: Any, flags: int) -> CharSet | None:
    """The characters one-character item ``(op, av)`` matches, or None if it is not one."""
    ic = _ignorecase(flags)
    if op is _C.LITERAL:
        c = chr(av)
        return CharSet(_variants(c) if ic else frozenset(c))
    if op is _C.ANY or op is _C.NOT_LITERAL:
        return ANYTHING
    if op is _C.IN:
        chars: set[str] = set()
        tests: list[str] = []
        for iop, iav in av:
            if iop is _C.NEGATE:
                return ANYTHING
            if iop is _C.LITERAL:
                chars |= _variants(chr(iav)) if ic else {chr(iav)}
            elif iop is _C.RANGE:
                lo, hi = iav
                if hi - lo > _BIG_RANGE:
                    return ANYTHING
                for code in range(lo, hi + 1):
                    chars |= _variants(chr(code)) if ic else {chr(code)}
            elif iop is _C.CATEGORY and str(iav) in _CATEGORY_TESTS:
                tests.append(_CATEGORY_TESTS[str(iav)])
            else:
                return ANYTHING
        return CharSet(frozenset(chars), tuple(tests))
    return None


_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _edge(items: Sequence[tuple[Any, Any]], flags: int, skip: CharSet, last: bool) -> tuple[CharSet, bool]:
    """The characters that can be the first (``last``: the last) character outside ``skip`` of a match
    of ``items``, and whether a match may hold no such character ("transparent")."""
    acc = EMPTY
    for op, av in (reversed(items) if last else items):
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        cls = _class_of(op, av, flags)
        if cls is not None:
            if not cls.within(skip):
                acc = acc | cls
            if not cls.meets(skip):
                return acc, False
            continue
        if name == "SUBPATTERN":
            _, add, remove, sub = av
            f, t = _edge(list(sub), (flags | add) & ~remove, skip, last)
        elif name == "ATOMIC_GROUP":
            f, t = _edge(list(av), flags, skip, last)
        elif name == "BRANCH":
            f, t = EMPTY, False
            for alt in av[1]:
                fa, ta = _edge(list(alt), flags, skip, last)
                f, t = f | fa, t or ta
        elif name in _REPEATS:
            lo, _, sub = av
            f, t = _edge(list(sub), flags, skip, last)
            t = t or lo == 0
        else:  # a back-reference, a conditional: anything
            return ANYTHING, True
        acc = acc | f
        if not t:
            return acc, False
    return acc, True


def _lead(items: Sequence[tuple[Any, Any]], flags: int) -> CharSet:
    """The characters of the pattern's leading optional one-character items (``\\s*,?\\s*``)."""
    acc = EMPTY
    for op, av in items:
        if str(op) in _REPEATS and av[0] == 0:
            sub = list(av[2])
            cls = _class_of(sub[0][0], sub[0][1], flags) if len(sub) == 1 else None
            if cls is not None and not cls.anything:
                acc = acc | cls
                continue
        break
    return acc


def _parse(regex: re.Pattern[str]) -> list[tuple[Any, Any]]:
    return list(_sre.parse(regex.pattern, regex.flags))


def _flags(regex: re.Pattern[str]) -> int:
    return int(_sre.parse(regex.pattern, regex.flags).state.flags)


# ---- keys derived from a regex --------------------------------------------------------------------

_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below


@lru_cache(maxsize=4096)
def _share(c: str) -> float:
    """A rough share of ``c`` among the characters of a Vietnamese text: blanks and plain lower-case
    letters are common, capitals, marked vowels and toned ones rarer (which key to scan for)."""
    if c.isspace():
        return 0.15 if c == " " else 0.02
    if c.isascii():
        return 0.04 if c.islower() else 0.004 if c.isupper() else 0.01 if c.isdigit() else 0.005
    if not c.isalpha():
        return 0.001
    marks = unicodedata.normalize("NFD", c)[1:]
    share = 0.004 if any(m in _TONES for m in marks) else 0.008 if marks else 0.01
    return share if c.islower() else share / 10


class _Run:
    """A prefix token: ``lo`` to ``hi`` characters of ``chars`` (no blank among them)."""

    __slots__ = ("chars", "lo", "hi")

    def __init__(self, chars: frozenset[str], lo: int, hi: int) -> None:
        self.chars, self.lo, self.hi = chars, lo, hi


class _Blanks:
    """A prefix token: a run of at least ``lo`` blanks (characters passing ``str.isspace``)."""

    __slots__ = ("lo",)

    def __init__(self, lo: int) -> None:
        self.lo = lo


class RunRule:
    """Where a match starts relative to its key when its literal prefix is preceded by a run: the key
    at ``offset`` in that literal, before it at least ``blanks`` blanks, before them ``lo`` to ``hi``
    characters of ``chars`` (e.g. a Roman numeral before "Đảng bộ")."""

    __slots__ = ("chars", "lo", "hi", "blanks", "offset")

    def __init__(self, chars: frozenset[str], lo: int, hi: int, blanks: int, offset: int) -> None:
        self.chars, self.lo, self.hi, self.blanks, self.offset = chars, lo, hi, blanks, offset

    def __repr__(self) -> str:
        return f"RunRule({''.join(sorted(self.chars))!r}, {self.lo}, {self.hi}, {self.blanks}, {self.offset})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RunRule) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

    def starts(self, text: str, p: int) -> list[int]:
        """The starts of a match whose key is at ``p``."""
        j = p - self.offset
        q = j
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if q - j < self.blanks:
            return []
        out: list[int] = []
        chars = self.chars
        i = j
        while i > 0 and j - i < self.hi and text[i - 1] in chars:
            i -= 1
            if j - i >= self.lo:
                out.append(i)
        out.reverse()
        return out


Classes = tuple[Any, ...]  # frozensets of characters (one each), _Run and _Blanks tokens


def _prefixes(items: Sequence[tuple[Any, Any]], flags: int, limit: int) -> list[tuple[Classes, bool]]:
    """The literal prefixes of a match of ``items``: sequences of character classes, with whether the
    sequence is all of the match (so what follows continues it)."""
    out: list[tuple[Classes, bool]] = [((), True)]
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        ext = _item_prefixes(op, av, flags, limit)
        nxt: list[tuple[Classes, bool]] = []
        for pre, complete in out:
            if not complete:
                nxt.append((pre, False))
                continue
            nxt.extend((pre + e, c) for e, c in ext)
        if len(nxt) > limit:
            return [(pre, False) for pre, _ in out]
        out = nxt
        if not any(c for _, c in out):
            break
    return out


def _item_prefixes(op: Any, av: Any, flags: int, limit: int) -> list[tuple[Classes, bool]]:
    cls = _class_of(op, av, flags)
    if cls is not None:
        if cls.tests or cls.anything or len(cls.chars) > 16:
            return [((), False)]
        return [((cls.chars,), True)]
    name = str(op)
    if name == "SUBPATTERN":
        _, add, remove, sub = av
        return _prefixes(list(sub), (flags | add) & ~remove, limit)
    if name == "ATOMIC_GROUP":
        return _prefixes(list(av), flags, limit)
    if name == "BRANCH":
        out: list[tuple[Classes, bool]] = []
        for alt in av[1]:
            out += _prefixes(list(alt), flags, limit)
        return out
    if name in _REPEATS:
        lo, hi, sub = av
        sub = list(sub)
        one = _class_of(sub[0][0], sub[0][1], flags) if len(sub) == 1 else None
        if one is not None and one.within(SPACE):
            return [((_Blanks(lo),), True)]
        if (one is not None and not one.tests and not one.anything and lo >= 1 and hi <= 16
                and not any(c.isspace() for c in one.chars)):
            return [((_Run(one.chars, lo, hi),), True)]
        once = [(p, c and hi == 1) for p, c in _prefixes(sub, flags, limit)]
        # an optional item: its own prefixes, or none and what follows it
        return once + [((), True)] if lo == 0 else once
    return [((), False)]


def _best_window(classes: Classes, max_len: int = 6, max_keys: int = 16) -> tuple[float, int, int]:
    """The stretch ``classes[k:k + n]`` to key a match on, as ``(score, k, n)``: few expected hits
    (rare characters, see :func:`_share`) for few keys (case variants)."""
    best = (-1e18, 0, 0)
    for k in range(len(classes)):
        count = 1
        hits = 1.0
        for n in range(1, min(max_len, len(classes) - k) + 1):
            cls = classes[k + n - 1]
            count *= len(cls)
            if count > max_keys:
                break
            hits *= min(1.0, sum(_share(c) for c in cls))
            score = -(100 * hits + count)
            if score > best[0]:
                best = (score, k, n)
    return best


def _expand(classes: Classes) -> list[str]:
    out = [""]
    for cls in classes:
        out = [s + c for s in out for c in sorted(cls)]
    return out


def prefix_keys(regex: re.Pattern[str], limit: int = 256) -> dict[str, tuple[Any, ...]] | None:
    """Keys and where a match starts relative to each (an offset back, or a :class:`RunRule`), from
    the literal prefix of every match (None if some match has none).

    >>> prefix_keys(re.compile(r"(?<!\w)(?:Bộ\s+luật|Luật)\s"))
    {'Bộ': (0,), 'Luật': (0,)}
    >>> prefix_keys(re.compile(r"(?:[IVX]{1,4}\s+)?Đảng\s+bộ"))
    {'Đảng': (0, RunRule('IVX', 1, 4, 1, 0))}
    """
    return _prefix_keys(_parse(regex), _flags(regex), limit)


def _prefix_keys(items: list[tuple[Any, Any]], flags: int, limit: int) -> dict[str, tuple[Any, ...]] | None:
    found = _prefixes(items, flags, limit)
    keys: dict[str, set[Any]] = {}
    for classes, _ in found:
        lead: Any = None  # a run (and blanks) before the literal
        if classes and isinstance(classes[0], _Run):
            blanks = classes[1].lo if len(classes) > 1 and isinstance(classes[1], _Blanks) else 0
            lead = (classes[0], blanks)
            classes = classes[2:] if len(classes) > 1 and isinstance(classes[1], _Blanks) else classes[1:]
        literal = []
        for c in classes:
            if not isinstance(c, frozenset):
                break
            literal.append(c)
        if not literal:
            return None
        _, k, n = _best_window(tuple(literal))
        rule: Any = k if lead is None else RunRule(lead[0].chars, lead[0].lo, lead[0].hi, lead[1], k)
        for key in _expand(tuple(literal[k:k + n])):
            keys.setdefault(key, set()).add(rule)
    # a key that begins with another key at the same offset adds no place to try
    for key in sorted(keys, key=len):
        for other in list(keys):
            if other != key and other.startswith(key) and keys[other] <= keys[key]:
                del keys[other]
    return {key: tuple(sorted(rules, key=lambda r: (not isinstance(r, int), repr(r))))
            for key, rules in sorted(keys.items())}


_Keys = tuple[float, frozenset[str]]


def _better(best: _Keys | None, option: _Keys | None) -> _Keys | None:
    """``option`` where it scores above ``best`` (or there is no ``best``), else ``best``."""
    return option if option is not None and (best is None or option[0] > best[0]) else best


def _run_keys(run: list[frozenset[str]]) -> _Keys | None:
    """The keys of the best window of a run of character classes, with its score; None for no run."""
    if not run:
        return None
    score, k, n = _best_window(tuple(run))
    return score, frozenset(_expand(tuple(run[k:k + n])))


def _runs(items: Sequence[tuple[Any, Any]], flags: int) -> _Keys | None:
    """The best set of keys one of which every match holds somewhere, with its score, or None."""
    # (module-level helpers, not closures: compiled with mypyc, closures calling one another form a
    # reference cycle with their shared environment, left for the cyclic collector)
    best: _Keys | None = None
    run: list[frozenset[str]] = []
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        cls = _class_of(op, av, flags)
        if cls is not None and not cls.tests and not cls.anything and len(cls.chars) <= 16:
            run.append(cls.chars)
            continue
        best = _better(best, _run_keys(run))
        run.clear()
        if name == "SUBPATTERN":
            _, add, remove, sub = av
            best = _better(best, _runs(list(sub), (flags | add) & ~remove))
        elif name == "ATOMIC_GROUP":
            best = _better(best, _runs(list(av), flags))
        elif name in _REPEATS and av[0] >= 1:
            best = _better(best, _runs(list(av[2]), flags))
        elif name == "BRANCH":
            alts = [_runs(list(alt), flags) for alt in av[1]]
            if all(a is not None for a in alts):
                best = _better(best, (sum(a[0] for a in alts if a), frozenset().union(*(a[1] for a in alts if a))))
    return _better(best, _run_keys(run))


def required_keys(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    """Keys one of which every match holds somewhere (its rarest literal), or None.

    >>> required_keys(re.compile(r"trên\\s+địa\\s+bàn", re.IGNORECASE))
    ('Ị', 'ị')
    """
    best = _runs(_parse(regex), _flags(regex))
    return None if best is None else tuple(sorted(best[1]))


def follow_keys(regex: re.Pattern[str], group: str, blanks: str = " \t\r\n") -> tuple[str, ...]:
    """The characters that can come first after the named ``group`` (blanks skipped): the keys of a
    :class:`RunBefore` pattern whose run is that group.

    >>> follow_keys(re.compile(r"(?P<n>\d+)\s*(?:/[A-Z]|-\s*[A-Z])"), "n")
    ('-', '/')
    """
    items = _parse(regex)
    fl = _flags(regex)
    index = regex.groupindex[group]
    for i, (op, av) in enumerate(items):
        if str(op) == "SUBPATTERN" and av[0] == index:
            chars, _ = _edge(items[i + 1:], fl, CharSet(frozenset(blanks), ("isspace",)), False)
            if chars.tests or chars.anything or not chars.chars:
                raise ValueError(f"no literal follows group {group!r}")
            return tuple(sorted(c for c in chars.chars if c not in blanks))
    raise ValueError(f"group {group!r} is not at the top of the pattern")


# ---- where a match may start, relative to a key ------------------------------------------------------

class _Start:
    """Where a match may start relative to a key (see the module's docstring)."""

    name = ""

    def starts(self, text: str, p: int, key: str, offsets: tuple[int, ...]) -> Iterable[int]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class _At(_Start):
    name = "AT"

    def starts(self, text: str, p: int, key: str, offsets: tuple[int, ...]) -> Iterable[int]:
        return [p - o for o in offsets] if len(offsets) > 1 else (p - offsets[0],)


class _LineStart(_Start):
    name = "LINE_START"

    def starts(self, text: str, p: int, key: str, offsets: tuple[int, ...]) -> Iterable[int]:
        return (text.rfind("\n", 0, p) + 1,)


class _Anywhere(_Start):
    name = "ANYWHERE"


class WordsBefore(_Start):
    """At the key, or at the start of one of the ``n`` words before it (the word holding it first)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.name = f"WordsBefore({n})"

    def starts(self, text: str, p: int, key: str, offsets: tuple[int, ...]) -> Iterable[int]:
        out = [p]
        j = p
        for _ in range(self.n):
            while j > 0 and text[j - 1].isspace():
                j -= 1
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            out.append(j)
        out.reverse()
        return out


class RunBefore(_Start):
    """At the start of the run of characters passing ``test`` that ends right before the key, blanks
    (``" \\t\\r\\n"``) between them allowed."""

    def __init__(self, test: Callable[[str], bool], blanks: str = " \t\r\n") -> None:
        self.test = test
        self.blanks = blanks
        self.name = f"RunBefore({getattr(test, '__name__', test)})"

    def starts(self, text: str, p: int, key: str, offsets: tuple[int, ...]) -> Iterable[int]:
        k = p - 1
        blanks, test = self.blanks, self.test
        while k >= 0 and text[k] in blanks:
            k -= 1
        if k < 0 or not test(text[k]):
            return ()
        while k > 0 and test(text[k - 1]):
            k -= 1
        return (k,)


AT = _At()
LINE_START = _LineStart()
ANYWHERE = _Anywhere()


# ---- the scanner -----------------------------------------------------------------------------------

#: a text at least this long keeps its key positions (the document); shorter ones are scanned each time
CACHED = 2048
#: more keys than this are found by one Aho-Corasick pass, fewer by ``str.find`` each (measured on the
#: real texts: a pass of the automaton costs about as much as three or four ``str.find`` scans)
FEW = 3


#: per thread, the document whose key positions are kept (``text``) and those positions (``found``): a
#: plain ``threading.local`` read with ``getattr`` (a thread's first read finds neither), as a subclass
#: of it crashes once compiled with mypyc
_cache = threading.local()


@lru_cache(maxsize=256)
def _automaton(keys: tuple[str, ...]) -> Any:
    a = ahocorasick.Automaton()
    for k in keys:
        a.add_word(k, k)
    a.make_automaton()
    return a


def _scan(text: str, keys: Sequence[str]) -> dict[str, list[int]]:
    """Every position of each key in ``text`` (``str.find`` for a few keys, else one Aho-Corasick pass)."""
    found: dict[str, list[int]] = {k: [] for k in keys}
    if len(keys) <= FEW:
        for k in keys:
            hits = found[k]
            i = text.find(k)
            while i >= 0:
                hits.append(i)
                i = text.find(k, i + 1)
        return found
    for end, k in _automaton(tuple(sorted(keys))).iter(text):
        found[k].append(end - len(k) + 1)
    return found


#: a window of a long text shorter than this is scanned on its own (unless its keys are known already)
WINDOW = 1024


def _scan_window(text: str, keys: Sequence[str], pos: int, end: int) -> dict[str, list[int]]:
    """Every position of each key within ``text[pos:end]``."""
    found: dict[str, list[int]] = {}
    for k in keys:
        hits: list[int] = []
        i = text.find(k, pos, end)
        while i >= 0:
            hits.append(i)
            i = text.find(k, i + 1, end)
        found[k] = hits
    return found


#: the keys of the patterns that share one scan of a document, by the name of their group
_SHARED: dict[str, dict[str, None]] = {}


def key_positions(text: str, keys: Sequence[str], share: str | None = None) -> list[list[int]]:
    """The positions of each key in ``text``, in order. A long text (a document) keeps them for the
    next call, so the stages reading one document find each key once; with ``share``, the first call
    finds the keys of every pattern declared with that ``share`` in one pass.

    >>> key_positions("a-b/c-d", ("-", "/"))
    [[1, 5], [3]]
    """
    if len(text) < CACHED:
        found = _scan(text, keys)
        return [found[k] for k in keys]
    c = _cache
    if getattr(c, "text", None) is not text:
        c.text = text
        c.found = {}
    known: dict[str, list[int]] = c.found
    missing = [k for k in keys if k not in known]
    if missing:
        if share is not None:
            missing = [k for k in _SHARED[share] if k not in known]
        known.update(_scan(text, missing))
    return [known[k] for k in keys]


def first_char(text: str, pos: int, skip: CharSet, endpos: int | None = None) -> str:
    """The first character at or after ``pos`` (before ``endpos``) that is not in ``skip``, "" if none.

    >>> first_char("  , ngày", 0, CharSet(frozenset(","), ("isspace",)))
    'n'
    """
    end = len(text) if endpos is None or endpos > len(text) else endpos
    if skip.anything:
        return ""
    chars, space, others = skip.chars, skip._space, skip._others
    while pos < end:
        c = text[pos]
        if c in chars or (space and c.isspace()) or (others and any(f(c) for f in others)):
            pos += 1
            continue
        return c
    return ""


def last_char(text: str, pos: int, endpos: int, skip: CharSet) -> str:
    """The last character before ``endpos`` (at or after ``pos``) that is not in ``skip``, "" if none.

    >>> last_char("a, và ", 0, 6, CharSet(frozenset(), ("isspace",)))
    'à'
    """
    if skip.anything:
        return ""
    chars, space, others = skip.chars, skip._space, skip._others
    while endpos > pos:
        c = text[endpos - 1]
        if c in chars or (space and c.isspace()) or (others and any(f(c) for f in others)):
            endpos -= 1
            continue
        return c
    return ""


# ---- what a pattern's regex says, as plain data (kept between runs: see citegraph.text.startcache) ----

_PlainSet = tuple[str, tuple[str, ...], bool]


def _plain_set(s: CharSet) -> _PlainSet:
    return "".join(sorted(s.chars)), s.tests, s.anything


def _set_of(p: _PlainSet) -> CharSet:
    return CharSet(frozenset(p[0]), p[1], p[2])


def _plain_offset(o: Any) -> Any:
    return o if o.__class__ is int else ("run", "".join(sorted(o.chars)), o.lo, o.hi, o.blanks, o.offset)


def _offset_of(o: Any) -> Any:
    return o if o.__class__ is int else RunRule(frozenset(o[1]), o[2], o[3], o[4], o[5])


#: the version of what :func:`_analyse` returns (part of its key in the start-up cache)
_FACTS = 2


def _analyse(rx: re.Pattern[str], lead: CharSet | None, derive: str, name: str) -> tuple[Any, ...]:
    """What the regex says for :meth:`Pattern._derive`: the sets skipped before (``lead``), beginning and ending a
    match, whether those tests are void (``transparent``), whether a match ends the window, the keys derived
    from the regex (``derive``: ``"AT"`` its literal prefix, ``"ANYWHERE"`` its rarest required literal; None when
    it has none or they are not derived), and whether the regex engine finds the first characters of a match
    itself (its compiled program opens with a literal prefix or a character set), all as plain data.

    >>> _analyse(re.compile(r"Luật\\s+\\w+$"), None, "AT", "x")[2:]
    (('', ('isword',), False), False, True, {'Luật': (0,)}, True)
    >>> _analyse(re.compile(r"(?<!\\w)Luật\\s+\\w+$"), None, "AT", "x")[-1]
    False
    """
    parsed = _sre.parse(rx.pattern, rx.flags)
    items = list(parsed)
    fl = int(parsed.state.flags)
    if derive != "none" and parsed.getwidth()[0] == 0:
        raise ValueError(f"pattern {name!r} can match the empty string")
    # what is skipped before the first (after the last) character tested: the leading optional
    # one-character items, and blanks (any set gives a true test; blanks make it a sharp one)
    skip = (_lead(items, fl) | SPACE) if lead is None else lead
    first, t1 = _edge(items, fl, skip, False)
    last, t2 = _edge(items, fl, skip, True)
    # a match ends at the end of the window ("$" or "\Z" last, no MULTILINE): tested with "last"
    tail = [i for i in items if str(i[0]) not in ("ASSERT", "ASSERT_NOT")]
    ends = bool(tail) and str(tail[-1][0]) == "AT" and str(tail[-1][1]) in (
        "AT_END_STRING",) + (("AT_END",) if not fl & re.MULTILINE else ())
    derived: Any = None
    if derive == "ANYWHERE":
        best = _runs(items, fl)
        derived = None if best is None else {k: (0,) for k in sorted(best[1])}
    elif derive == "AT":
        found = _prefix_keys(items, fl, 256)
        derived = None if found is None else {k: tuple(_plain_offset(o) for o in offs) for k, offs in found.items()}
    code = _compiler._code(parsed, rx.flags)
    self_led = code[0] == _C.INFO and bool(code[2] & (_C.SRE_INFO_PREFIX | _C.SRE_INFO_CHARSET))
    return _plain_set(skip), _plain_set(first), _plain_set(last), t1 or t2, ends, derived, self_led


#: a given key of a case-blind pattern stands for this many spellings at most (see :func:`_caseless_keys`)
MAX_SPELLINGS = 64


def _caseless_keys(keys: dict[str, tuple[Any, ...]], name: str) -> dict[str, tuple[Any, ...]]:
    """Keys given for a case-blind (IGNORECASE) pattern, each with every spelling the engine matches with it, at
    the same offsets: a match of "như sau" holds "sau", "SAU", "Sau", ... (bug: only the key as given was looked
    for, and "QUY ĐỊNH NHƯ SAU:" was missed with the prefilter on).

    >>> sorted(_caseless_keys({"sau": (0,)}, "x"))
    ['SAU', 'SAu', 'SaU', 'Sau', 'sAU', 'sAu', 'saU', 'sau', 'ſAU', 'ſAu', 'ſaU', 'ſau']
    """
    out: dict[str, tuple[Any, ...]] = {}
    for key, offsets in keys.items():
        spellings = _expand(tuple(_variants(c) for c in key))
        if len(spellings) > MAX_SPELLINGS:
            raise ValueError(f"key {key!r} of the case-blind pattern {name!r} has {len(spellings)} spellings: "
                             "declare a shorter or rarer key")
        for spelling in spellings:
            out[spelling] = tuple(dict.fromkeys(out.get(spelling, ()) + offsets))
    return out


# ---- the declared pattern ----------------------------------------------------------------------------

class Pattern:
    """A regex declared with its keys and where its matches may start relative to them.

    Parameters
    ----------
    regex : str or compiled pattern
        The pattern; one with keys must not match the empty string.
    flags : int
        Flags, when ``regex`` is a string.
    keys : mapping or sequence of str, optional
        The literal keys every match holds, as ``{key: offsets}`` (for ``AT``) or a sequence. Derived
        from the regex when not given: its literal prefix (``AT``) or its rarest required literal
        (``ANYWHERE``); other starts need keys from the caller (derived from the vocabulary).
    start : where a match may start relative to a key (``AT``, ``WordsBefore(n)``, ``LINE_START``,
        ``RunBefore(test)``, ``ANYWHERE``), or None for a pattern only tried at given offsets
        (:meth:`match`, :meth:`fullmatch`), which needs no keys.
    lead : CharSet, optional
        The characters skipped before the first one is tested (default: derived, see ``lead`` below);
        patterns tried at the same offsets can share one, so the first character is found once.
    share : str, optional
        Patterns declared with the same ``share`` that read the same document have its keys found in
        one pass (the first of them to ask scans for the keys of all).
    name : str, optional
        A name for reports.

    Attributes
    ----------
    lead : CharSet
        Characters of the regex's leading optional one-character items (``\\s*,?``): skipped before
        the first character is tested in :meth:`match`.
    first, last : CharSet
        What the first (last) character of a match that is not in ``lead`` can be.
    """

    __slots__ = ("regex", "start", "name", "share", "transparent", "ends", "_given", "_ready", "_keys", "_lead", "_self_led",
                 "_first", "_last", "_key_tuple", "_offsets", "_plain", "_admits_first", "_admits_last")

    def __init__(self, regex: str | re.Pattern[str], flags: int = 0, *,
                 keys: Mapping[str, Sequence[int]] | Sequence[str] | None = None,
                 start: _Start | None = AT, lead: CharSet | None = None, share: str | None = None,
                 name: str | None = None) -> None:
        rx = regex if isinstance(regex, re.Pattern) else startcache.compile(regex, flags)
        self.regex: re.Pattern[str] = rx
        self.start = start
        self.name = name or rx.pattern[:60]
        self.share = share
        self._given = (keys, lead)
        self._ready = False
        _REGISTRY.append(self)

    def _prepare(self) -> None:
        """Derive the keys and the character sets (on first use: a big vocabulary alternation takes a
        while to analyse, and a pattern a run never uses never needs it)."""
        if self._ready:
            return
        if self.share is not None:  # the patterns sharing a scan know all their keys before it
            self._ready = True
            for p in _REGISTRY:
                if p.share == self.share and p is not self:
                    p._derive()
        self._derive()

    def _derive(self) -> None:
        if getattr(self, "_key_tuple", None) is not None:
            self._ready = True
            return
        rx, start = self.regex, self.start
        keys, lead = self._given
        derive = "none" if start is None else "given" if keys is not None else (
            "ANYWHERE" if start is ANYWHERE else "AT" if start is AT else "missing")
        # what the regex says, as plain data: kept between runs (the analysis parses the pattern again)
        facts_key = ("prefilter", _FACTS, rx.pattern, rx.flags, None if lead is None else _plain_set(lead), derive)
        facts = startcache.recall(facts_key)
        if facts is None:
            facts = _analyse(rx, lead, derive, self.name)
            startcache.keep(facts_key, facts)
        lead_set, first, last, self.transparent, self.ends, derived, self._self_led = facts
        self._lead = _set_of(lead_set)
        self._first = _set_of(first)
        self._last = _set_of(last)
        self._admits_first = self._first.membership()
        self._admits_last = self._last.membership()
        if start is None:  # matched at given offsets only (match, fullmatch): no keys
            keys = {}
        elif keys is None:
            if derived is None:
                raise ValueError(f"no literal key for pattern {self.name!r}: declare its keys")
            keys = {k: tuple(_offset_of(o) for o in offs) for k, offs in derived.items()}
        if isinstance(keys, Mapping):
            self._keys: dict[str, tuple[Any, ...]] = {k: tuple(v) for k, v in keys.items()}
        else:
            self._keys = {k: (0,) for k in keys}
        if start is not None and (not self._keys or any(not k for k in self._keys)):
            raise ValueError(f"empty key for pattern {self.name!r}")
        if derive == "given" and rx.flags & re.IGNORECASE:
            self._keys = _caseless_keys(self._keys, self.name)
        if self.share is not None:
            _SHARED.setdefault(self.share, {}).update(dict.fromkeys(self._keys))
        self._offsets = tuple(self._keys.values())
        # (key, offset) pairs when each key has one plain offset back (AT): the fast path
        self._plain = (tuple((k, o[0]) for k, o in self._keys.items())
                       if start is AT and all(len(o) == 1 and o[0].__class__ is int for o in self._offsets)
                       else None)
        self._key_tuple = tuple(self._keys)
        self._ready = True

    @property
    def keys(self) -> dict[str, tuple[Any, ...]]:
        """The keys, each with where a match starts relative to it (offsets back for ``AT``)."""
        self._prepare()
        return self._keys

    @property
    def lead(self) -> CharSet:
        """Characters skipped before the first one is tested: the regex's leading optional
        one-character items (``\\s*,?``) and blanks."""
        self._prepare()
        return self._lead

    @property
    def first(self) -> CharSet:
        """What the first character of a match that is not in ``lead`` can be."""
        self._prepare()
        return self._first

    @property
    def last(self) -> CharSet:
        """What the last character of a match that is not in ``lead`` can be."""
        self._prepare()
        return self._last

    def __repr__(self) -> str:
        return f"Pattern({self.name!r}, keys={len(self.keys)}, start={self.start!r})"

    @property
    def pattern(self) -> str:
        """The regex's pattern string."""
        return self.regex.pattern

    @property
    def exact(self) -> re.Pattern[str]:
        """The regex (the name ``vocab.Prefiltered`` gave it)."""
        return self.regex

    # -- scanning
    def _starts(self, text: str, pos: int, end: int) -> list[int]:
        """Where a match may start in ``[pos, end)``, in order (repeats possible)."""
        keys = self._key_tuple
        if end - pos < WINDOW:  # a window of a text: its own keys, found in it
            find = text.find
            out: list[int] = []
            if self._plain is not None:  # AT, one offset each
                for k, o in self._plain:
                    i = find(k, pos, end)
                    while i >= 0:
                        out.append(i - o)
                        i = find(k, i + 1, end)
                if len(keys) > 1:
                    out.sort()
                return out
            found = _scan_window(text, keys, pos, end)
            lists = [found[k] for k in keys]
            lo_hi = None
        else:
            lists = key_positions(text, keys, self.share)
            lo_hi = (pos, end)
        start = self.start
        at = start is AT
        run_test = start.test if isinstance(start, RunBefore) else None
        out = []
        for key, offs, hits in zip(keys, self._offsets, lists):
            if not hits:
                continue
            if lo_hi is not None and (pos > 0 or end < len(text)):
                lo = bisect_left(hits, pos) if pos > 0 else 0
                hi = bisect_left(hits, end) if end < len(text) else len(hits)
                if lo >= hi:
                    continue
                hits = hits[lo:hi]
            if at:
                if len(offs) == 1 and offs[0].__class__ is int:
                    o = offs[0]
                    out.extend(hits if o == 0 else [h - o for h in hits])
                else:
                    for o in offs:
                        if o.__class__ is int:
                            out.extend(h - o for h in hits)
                        else:
                            for h in hits:
                                out.extend(o.starts(text, h))
            elif run_test is not None:
                blanks = start.blanks  # type: ignore[union-attr]
                for h in hits:
                    j = h - 1
                    while j >= 0 and text[j] in blanks:
                        j -= 1
                    if j >= 0 and run_test(text[j]):
                        while j > 0 and run_test(text[j - 1]):
                            j -= 1
                        out.append(j)
            elif start is LINE_START:
                out.extend(text.rfind("\n", 0, h) + 1 for h in hits)
            else:
                for h in hits:
                    out.extend(cast(_Start, start).starts(text, h, key, offs))
        if len(lists) > 1 or not at:
            out.sort()
        return out

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        """The matches ``self.regex.finditer(text, pos, endpos)`` gives, in order."""
        if not self._ready:
            self._prepare()
        n = len(text)
        end = n if endpos is None or endpos > n else endpos
        if not _on or self.start is None or pos < 0 or end < 0:
            yield from self.regex.finditer(text, pos, n if endpos is None else endpos)
            return
        if self._self_led and end - pos < WINDOW:  # a short window: the engine's own scan costs less than keys
            yield from self.regex.finditer(text, pos, end)
            return
        if self.start is ANYWHERE:
            if self.has_key(text, pos, end):
                yield from self.regex.finditer(text, pos, end)
            return
        if self.ends and not self.may_end(text, pos, end):
            return
        match = self.regex.match
        p = pos
        tried = -1
        for s in self._starts(text, pos, end):
            if s < p or s == tried:
                continue
            tried = s
            m = match(text, s, end)
            if m is not None:
                yield m
                p = m.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """What ``self.regex.search(text, pos, endpos)`` gives."""
        if not self._ready:
            self._prepare()
        n = len(text)
        end = n if endpos is None or endpos > n else endpos
        if not _on or self.start is None or pos < 0 or end < 0 or (self._self_led and end - pos < WINDOW):
            return self.regex.search(text, pos, n if endpos is None else endpos)
        if self.start is ANYWHERE:
            return self.regex.search(text, pos, end) if self.has_key(text, pos, end) else None
        if self.ends and not self.may_end(text, pos, end):
            return None
        match = self.regex.match
        tried = -1
        for s in self._starts(text, pos, end):
            if s >= pos and s != tried:
                tried = s
                m = match(text, s, end)
                if m is not None:
                    return m
        return None

    def findall_spans(self, text: str) -> list[tuple[int, int]]:
        """The spans of :meth:`finditer`'s matches (for tests and reports)."""
        return [m.span() for m in self.finditer(text)]

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        """What ``self.regex.sub(repl, text)`` gives, for a function ``repl``."""
        pieces: list[str] = []
        last = 0
        for m in self.finditer(text):
            pieces.append(text[last:m.start()])
            pieces.append(repl(m))
            last = m.end()
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)

    def has_key(self, text: str, pos: int = 0, endpos: int | None = None) -> bool:
        """Whether one of the keys lies within ``text[pos:endpos]``."""
        if not self._ready:
            self._prepare()
        end = len(text) if endpos is None or endpos > len(text) else endpos
        if getattr(_cache, "text", None) is not text or len(text) < CACHED or end - pos < WINDOW:
            for k in self._key_tuple:
                if text.find(k, pos, end) >= 0:
                    return True
            return False
        for k, hits in zip(self._key_tuple, key_positions(text, self._key_tuple, self.share)):
            i = bisect_left(hits, pos)
            if i < len(hits) and hits[i] + len(k) <= end:
                return True
        return False

    def starts_in(self, text: str, lo: int, hi: int) -> bool:
        """Whether a match of the regex (in the whole text: it may end after ``hi``) starts in ``text[lo:hi]``:
        ``any(self.regex.match(text, p) for p in range(lo, hi))``, tried only where a key puts a start (a pattern
        with one offset per key, ``AT``; any other tries every offset).

        >>> p = Pattern(r"được\\s+sửa", re.IGNORECASE)
        >>> t = "X ĐƯỢC  sửa đổi"
        >>> p.starts_in(t, 0, 3), p.starts_in(t, 3, 9), p.starts_in(t, 2, 3)
        (True, False, True)
        """
        if not self._ready:
            self._prepare()
        match = self.regex.match
        if not _on or self._plain is None:
            return any(match(text, p) for p in range(max(lo, 0), min(hi, len(text) + 1)))
        find = text.find
        for key, off in self._plain:
            end = hi + off + len(key) - 1  # the key of a match starting before hi ends before this
            i = find(key, lo + off, end)
            while i >= 0:
                if match(text, i - off):
                    return True
                i = find(key, i + 1, end)
        return False

    def may_start(self, text: str, pos: int, endpos: int | None = None) -> bool:
        """False when no match can start at ``pos`` (its first character outside ``lead`` cannot begin one)."""
        if not self._ready:
            self._prepare()
        if self.transparent:
            return True
        c = first_char(text, pos, self._lead, endpos)
        return c != "" and self._admits_first(c)

    def may_end(self, text: str, pos: int, endpos: int) -> bool:
        """False when no match within ``text[pos:endpos]`` can end at ``endpos`` (or before a last "\\n")."""
        if not self._ready:
            self._prepare()
        if self.transparent:
            return True
        c = last_char(text, pos, endpos, self._lead)
        if c != "" and self._admits_last(c):
            return True
        # "$" also matches before a line break that ends the window
        return endpos > pos and text[endpos - 1] == "\n" and self.may_end(text, pos, endpos - 1)

    def admits_first(self, c: str) -> bool:
        """Whether ``c``, the first character outside ``lead`` at some offset, can begin a match there."""
        if not self._ready:
            self._prepare()
        return self.transparent or (c != "" and self._admits_first(c))

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """What ``self.regex.match(text, pos, endpos)`` gives."""
        if not self._ready:
            self._prepare()
        end = len(text) if endpos is None else endpos
        if _on and not self.transparent:
            c = first_char(text, pos, self._lead, end)
            if c == "" or not self._admits_first(c):
                return None
        return self.regex.match(text, pos, end)

    def fullmatch(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        """What ``self.regex.fullmatch(text, pos, endpos)`` gives."""
        if not self._ready:
            self._prepare()
        end = len(text) if endpos is None else endpos
        if _on:
            # the window is the match: its first and last characters outside ``lead`` are the match's
            c = first_char(text, pos, self._lead, end)
            if c != "" and not (self._admits_first(c) and self._admits_last(
                    last_char(text, pos, min(end, len(text)), self._lead))):
                return None
        return self.regex.fullmatch(text, pos, end)
