"""The matching view of a text: NFC, one Đ, one hyphen, modern tone placement.

Matching runs on the view; every view offset maps back to the text exactly as read, so a match in
the view is reported with offsets into the original (``text == original[start:end]``).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

# Same-length substitutions applied to the NFC text.
_CHAR_MAP = str.maketrans({
    "\u00d0": "\u0110",  # Ð (Icelandic eth) typed for Đ
    "\u0189": "\u0110",  # Ɖ (African D) typed for Đ
    "\u00f0": "\u0111",  # ð for đ
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2015": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": " ", "\ufeff": " ",
    "\u2044": "/", "\u2215": "/",
})
_CHAR_LIST = tuple(chr(c) for c in _CHAR_MAP)
_CHAR_RX = re.compile("[" + "".join(_CHAR_LIST) + "]")
# Old-style tone placement (hoà, uỷ) to the modern one (hòa, ủy): two characters to two.
_TONE_PAIRS: dict[str, str] = {}
for _a, _b in (("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
               ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
               ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy")):
    _TONE_PAIRS[_a] = _b
    _TONE_PAIRS[_a[0].upper() + _a[1]] = _b[0].upper() + _b[1]
    _TONE_PAIRS[_a.upper()] = _b.upper()
@lru_cache(maxsize=1)
def _tone_re() -> "re.Pattern[str]":
    # only where the pair ends the syllable ("hoà" -> "hòa", "hoàn" stays) and not after q ("quý")
    firsts = "".join(sorted({k[0] for k in _TONE_PAIRS}))
    seconds = "".join(sorted({k[1] for k in _TONE_PAIRS}))
    return re.compile(f"(?<![qQ])([{firsts}][{seconds}])(?![^\\W\\d_])")


@lru_cache(maxsize=1)
def _tone_fast() -> "re.Pattern[str]":
    """:func:`_tone_re` without its look-behind: the regex engine can skip to the candidates."""
    return re.compile(_tone_re().pattern.replace("(?<![qQ])", "", 1))


def _retone(text: str) -> str:
    """``_tone_re().sub(modern pair, text)``, trying the pattern only where a pair of letters could start.

    The look-behind at the head of the pattern makes a plain ``sub`` try every offset of the text;
    the look-behind-free head of :func:`_tone_fast` lets the regex engine skip to the candidates.
    """
    search, match = _tone_fast().search, _tone_re().match
    pieces: list[str] = []
    last = pos = 0
    while True:
        c = search(text, pos)
        if c is None:
            break
        p = c.start()
        m = match(text, p)
        if m is None:
            pos = p + 1
            continue
        pieces.append(text[last:p])
        pieces.append(_TONE_PAIRS.get(m.group(1), m.group(1)))
        last = pos = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


class View:
    """A normalised view of ``original`` with an offset map back to it.

    Examples
    --------
    >>> v = View("Chỉ thị số 33/CT\u2013TTg")
    >>> v.text[-9:]
    '33/CT-TTg'
    >>> s = "Nghi\u0323 quyê\u0301t 25-NQ/TW"   # NFD input
    >>> v = View(s)
    >>> v.text
    'Nghị quyết 25-NQ/TW'
    >>> a, b = v.span(0, 10)
    >>> s[a:b] == s[:12]
    True
    """

    __slots__ = ("original", "text", "_starts", "_shifts", "_identity")

    def __init__(self, original: str) -> None:
        self.original = original
        # the original offset of view character i: i itself (_identity), _starts[i] (one per view
        # character), or i + _shifts[k] with k the last run of _starts (then run starts) at or before i
        self._starts: list[int] = []
        self._shifts: list[int] | None = None
        if original.isascii():
            self.text = original
            self._identity = True
            return
        nfc = unicodedata.normalize("NFC", original)
        starts: list[int] | None = None
        if not (len(nfc) == len(original) and nfc == original):
            nfc, starts, self._shifts = _clusters(original, nfc)
        # "c in text" per character is a fast memchr-like scan; the regex tries a class at every offset
        text = _CHAR_RX.sub(lambda m: _CHAR_MAP[ord(m.group())], nfc) if any(c in nfc for c in _CHAR_LIST) else nfc
        text = _retone(text)
        self.text = text
        self._identity = starts is None
        if starts is not None:
            self._starts = starts

    def offset(self, i: int) -> int:
        """Original offset of view offset ``i`` (``i == len(view)`` maps to the end)."""
        if self._identity:
            return i
        if i >= len(self.text):
            return len(self.original)
        if self._shifts is None:
            return self._starts[i]
        return i + self._shifts[bisect_right(self._starts, i) - 1]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the view span ``[start, end)``."""
        if self._identity:
            return start, end
        a = self.offset(start)
        if end <= start:
            return a, a
        last = self.offset(end - 1)
        # end of the cluster holding the last character
        b = self.offset(end)
        if b <= last:
            b = last + 1
        return a, b


@lru_cache(maxsize=1)
def _mark_run() -> "re.Pattern[str]":
    """A run of combining characters (``unicodedata.combining(c) != 0``; all lie below U+20000)."""
    marks = [c for c in range(0x20000) if unicodedata.combining(chr(c))]
    ranges: list[list[int]] = []
    for c in marks:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[{cls}]+")


@lru_cache(maxsize=1)
def _composition_seconds() -> frozenset[str]:
    """Characters that compose with the one before them under NFC (second of a canonical pair, or a
    Hangul vowel or final jamo), below U+20000 like every such character."""
    out = {chr(c) for c in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}
    for c in range(0x20000):
        d = unicodedata.decomposition(chr(c))
        if d and not d.startswith("<") and " " in d:
            out.add(chr(int(d.split()[1], 16)))
    return frozenset(out)


def _clusters(original: str, nfc: str | None = None) -> tuple[str, list[int], list[int] | None]:
    """What :func:`_cluster_map` gives: the NFC text and where each NFC character's cluster starts in
    ``original``, as ``(nfc, starts, None)`` (one start per character) or ``(nfc, runs, shifts)``
    (character ``i`` starts at ``i + shifts[k]``, ``k`` the last run with ``runs[k] <= i``).

    ``nfc`` is ``unicodedata.normalize("NFC", original)`` when the caller has it. The common case
    (see :func:`_clusters_simple`) needs no loop over clusters; any other text takes the general path.
    """
    simple = _clusters_simple(original, nfc)
    if simple is not None:
        return simple
    text, starts = _clusters_general(original)
    return text, starts, None


@lru_cache(maxsize=1)
def _bmp_mark_run() -> "re.Pattern[str]":
    """A run of combining characters below U+10000 (a class that compiles to a bitmap: a class
    reaching above U+10000 is a list of ranges, tried one by one on every character)."""
    out: list[str] = []
    start: int | None = None
    prev = 0
    for c in range(0x10000):
        if unicodedata.combining(chr(c)):
            if start is None:
                start = c
            prev = c
        elif start is not None:
            out.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = None
    return re.compile("[" + "".join(out) + "]+")


@lru_cache(maxsize=4096)
def _settled(c: str) -> bool:
    """Whether ``c`` is a combining mark below U+10000, or a character that is NFC on its own and
    never composes with the one before it (not the second of a canonical pair nor a Hangul vowel or
    final jamo): a character of the second kind starts a stretch that NFC handles on its own."""
    if c >= "\U00020000":
        return False
    if unicodedata.combining(c):
        return c <= "\uffff"
    return unicodedata.normalize("NFC", c) == c and c not in _composition_seconds()


def _clusters_simple(original: str, nfc: str | None = None) -> tuple[str, list[int], list[int]] | None:
    """:func:`_clusters` of a text whose every character is :func:`_settled` and which does not start
    with a mark, when each base+marks cluster composes to one character; None for any other text.

    Every non-mark character then starts a stretch NFC treats on its own (one character, or a base and
    its marks), so the NFC of the whole text is the stretches' NFCs in a row, each at least one
    character long; when the whole is as long as the count of non-marks, each stretch gave exactly one,
    which starts where its non-mark character is: its own offset plus the marks before it. Those
    shifts change only after each run of marks, so they are kept per run.

    >>> _clusters_simple("ba\\u0302\\u0323c")  # view "bậc": its "c" is at 2 + 2 in the original
    ('bậc', [0, 2], [0, 2])
    """
    if not original or unicodedata.combining(original[0]):
        return None
    if not all(c < "\x80" or _settled(c) for c in set(original)):
        return None
    runs = [0]
    shifts = [0]
    removed = 0
    for m in _bmp_mark_run().finditer(original):
        s, e = m.span()
        removed += e - s
        runs.append(e - removed)  # the view offset of the character after the marks
        shifts.append(removed)
    if nfc is None:
        nfc = unicodedata.normalize("NFC", original)
    return (nfc, runs, shifts) if len(nfc) == len(original) - removed else None


def _clusters_general(original: str) -> tuple[str, list[int]]:
    """:func:`_clusters` for any text.

    Only the clusters holding combining marks are normalised one by one; the stretches between
    them are copied whole when they are NFC already (then every character in them is).
    """
    pieces: list[str] = []
    starts: list[int] = []

    def plain(a: int, b: int) -> None:
        if a >= b:
            return
        seg = original[a:b]
        if unicodedata.is_normalized("NFC", seg):
            pieces.append(seg)
            starts.extend(range(a, b))
            return
        for i in range(a, b):
            piece = unicodedata.normalize("NFC", original[i])
            pieces.append(piece)
            starts.extend([i] * len(piece))

    last = 0
    for m in _mark_run().finditer(original):
        s, e = m.span()
        cs = s - 1 if s > 0 else 0  # the base before the marks (a run is maximal, so it is no mark)
        plain(last, cs)
        piece = unicodedata.normalize("NFC", original[cs:e])
        pieces.append(piece)
        starts.extend([cs] * len(piece))
        last = e
    plain(last, len(original))
    return "".join(pieces), starts


def _cluster_map(original: str) -> list[tuple[str, int]]:
    """Split into base+combining clusters, NFC each: ``[(nfc_piece, original_start), ...]``."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(original)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(original[j]):
            j += 1
        out.append((unicodedata.normalize("NFC", original[i:j]), i))
        i = j
    return out


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lower-case, NFC, one Đ: the key for comparing names.

    >>> fold("UỶ BAN nhân dân") == fold("Ủy ban Nhân dân")
    True
    """
    v = View(s).text
    return " ".join(v.lower().split())


@lru_cache(maxsize=65536)
def ascii_slug(s: str) -> str:
    """An ASCII slug for IRIs: diacritics dropped, Đ to D, words joined by '-'.

    >>> ascii_slug("Bình Phước")
    'binh-phuoc'
    >>> ascii_slug("QĐ")
    'qd'
    """
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    out = []
    word = []
    for c in s.lower():
        if c.isascii() and c.isalnum():
            word.append(c)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return "-".join(out)


__all__ = ["View", "fold", "ascii_slug", "bisect_right"]
