"""Legacy Vietnamese font encodings (TCVN3/ABC and VNI): detect them and convert to Unicode.

Before Unicode, Vietnamese documents were typed in fonts that drew Vietnamese letters in place of
Latin-1 characters: ``QuyÕt ®Þnh`` in a TCVN3 (.VnTime) font is *Quyết định*, ``Quyeát ñònh`` in a
VNI font is the same. Word files, PDFs and web pages still carry such text. The tables are data in
``ontology/legacy_encodings.json``, keyed by the characters the legacy bytes show as when read as
Windows-1252/Latin-1.

Detection compares how many words are well-formed Vietnamese syllables as the text stands and after
each conversion; text that is already Unicode Vietnamese is left alone.

Examples
--------
>>> fixed, enc, warnings = fix("KÕ ho¹ch thùc hiÖn QuyÕt ®Þnh sè 217-Q§/TW")
>>> fixed, enc
('Kế hoạch thực hiện Quyết định số 217-QĐ/TW', 'tcvn3')
>>> fix("Keá hoaïch thöïc hieän Quyeát ñònh soá 217-QÑ/TW")[:2]
('Kế hoạch thực hiện Quyết định số 217-QĐ/TW', 'vni')
>>> fix("Kế hoạch thực hiện Quyết định số 217-QĐ/TW")[1] is None
True
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from citegraph.text import startcache
from citegraph.text.data import read_text
from citegraph.text.normalize import View, fold

LegacyEncoding = Literal["tcvn3", "vni"]
ENCODINGS: tuple[LegacyEncoding, ...] = ("tcvn3", "vni")

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_TONED = set("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


@lru_cache(maxsize=None)
def _syllable() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], frozenset[str]]:
    """The syllable pattern (initial, vowels, final) and the toneless nuclei: open, closed, needing a final."""
    raw = json.loads(
        read_text("legacy_encodings.json")
    )["syllable"]
    vowels = "aăâeêioôơuưy" + "".join(sorted(_TONED))
    initials = "|".join(sorted(raw["initials"], key=len, reverse=True))
    finals = "|".join(sorted(raw["finals"], key=len, reverse=True))
    pattern = startcache.compile(f"(?:{initials})?([{vowels}]{{1,3}})({finals})?")
    return pattern, frozenset(raw["nuclei"]), frozenset(raw["closed_nuclei"]), frozenset(raw["need_final"])


@lru_cache(maxsize=None)
def _lexicon() -> frozenset[str] | None:
    """Vietnamese syllables from underthesea's word list (Viet74K), when it is installed; else None.

    Read as a file, without importing underthesea (slow). Keys are :func:`citegraph.text.normalize.fold`-ed.
    The list has no proper names: the syllables of ``lexicon_additions`` in
    ``ontology/legacy_encodings.json`` are added (the surname Nguyễn).

    >>> {"nguyễn", "quyết"} <= _lexicon()
    True
    """
    import importlib.util
    from pathlib import Path


    try:
        spec = importlib.util.find_spec("underthesea")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        for rel in ("corpus/data/Viet74K.txt", "transformer/Viet74K.txt"):
            f = Path(base) / rel
            if f.is_file():
                # its folded syllables kept between runs (startcache): folding the 74K entries takes ~0.04 s,
                # in each process that needs the list (every extraction worker, in turn)
                st = f.stat()
                key = ("lexicon", str(f), st.st_size, st.st_mtime_ns)
                kept = startcache.recall(key)
                if kept is None:
                    kept = folded_words(f.read_text(encoding="utf-8", errors="replace"))
                    startcache.keep(key, frozenset(kept))
                words = set(kept)
                if len(words) <= 1000:
                    return None
                extra = json.loads(read_text("legacy_encodings.json"))["lexicon_additions"]["syllables"]
                return frozenset(words | {fold(w) for w in extra})
    return None


def folded_words(text: str) -> set[str]:
    """The words of ``text``, each :func:`citegraph.text.normalize.fold`-ed: what folding it line by line
    gives, in one pass over the whole text (16 times faster on the 74,000 lines of a word list).

    >>> sorted(folded_words("Hoà Bình\\nUỶ BAN  nhân"))
    ['ban', 'bình', 'hòa', 'nhân', 'ủy']
    """
    return set(View(text).text.lower().split())


def _well_formed(word: str, lexicon: bool = True) -> bool:
    """Is ``word`` (lower case, NFC) a well-formed written Vietnamese syllable (and, when underthesea's
    word list is installed and ``lexicon``, one that Vietnamese uses)?

    >>> [_well_formed(w) for w in ["quyết", "nghiêng", "phạm", "phaùm", "khuya", "aâ", "ăn", "ă", "người", "caỷ"]]
    [True, True, True, False, True, False, True, False, True, False]
    """
    if not _well_shaped(word):
        return False  # (the shape first: folding a word for the word list costs more than the shape)
    words = _lexicon() if lexicon else None
    return words is None or _fold(word) in words  # a well-shaped non-word ("lửu", "coõng") is no evidence


@lru_cache(maxsize=1 << 16)
def _well_shaped(word: str) -> bool:
    """:func:`_well_formed` without the word list: initial, vowels, final, one tone where it may sit."""
    pattern, open_, closed, need_final = _syllable()
    m = pattern.fullmatch(word)
    if not m or sum(c in _TONED for c in word) > 1:
        return False
    vowels = m.group(1)
    nucleus, final = _toneless(vowels), m.group(2)
    if final:
        return nucleus in open_
    if nucleus in closed:
        return vowels[-1] not in _TONED  # the tone never sits on the closing glide (hãy, not haỹ)
    return nucleus in open_ and nucleus not in need_final


@lru_cache(maxsize=1 << 16)
def _fold(s: str) -> str:
    return fold(s)


def _toneless(s: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", s) if c not in _TONE_MARKS))


# Characters a legacy text never contains: Unicode Vietnamese letters outside Latin-1.
_UNICODE_VIET = startcache.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")
_TOKEN_SPLIT = startcache.compile(r"[\s0-9!-,./:-@\[-`{-~]+")
_DETECT_SAMPLE = 400_000


@dataclass(frozen=True)
class _Table:
    name: str
    decode: dict[str, str]
    encode: dict[str, str]
    pattern: re.Pattern[str]
    font_prefixes: tuple[str, ...] = ()
    capital_font_suffix: str | None = None


@lru_cache(maxsize=None)
def tables() -> dict[str, _Table]:
    """The conversion tables from ``ontology/legacy_encodings.json``, compiled.

    Examples
    --------
    >>> t = tables()["tcvn3"]
    >>> t.decode["\\xae"], t.encode["ệ"]
    ('đ', 'Ö')
    >>> tables()["vni"].decode["aé"]
    'ắ'
    """
    raw = json.loads(
        read_text("legacy_encodings.json")
    )
    out: dict[str, _Table] = {}
    for key in ENCODINGS:
        mapping: dict[str, str] = raw[key]["map"]
        encode = {u: k for k, u in mapping.items()}
        if key == "tcvn3":
            # VN3 has no capital toned vowels: capital fonts (.VnTimeH) reuse the lower-case codes.
            for k, u in mapping.items():
                up = u.upper()
                if up != u and up not in encode:
                    encode[up] = k
        keys = sorted(mapping, key=len, reverse=True)  # longest first: "aâ" before "a"-less singles
        pattern = startcache.compile("|".join(re.escape(k) for k in keys))
        out[key] = _Table(raw[key]["name"], dict(mapping), encode, pattern,
                          tuple(raw[key].get("font_prefixes", ())), raw[key].get("capital_font_suffix"))
    return out


_CP1252 = {b: bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)}
_FROM_LATIN1 = str.maketrans({chr(b): c for b, c in _CP1252.items() if c != chr(b)})


def decode_8bit(data: bytes) -> str:
    r"""Bytes as a legacy-font text shows them: Windows-1252, with Latin-1 for its five undefined bytes.

    Examples
    --------
    >>> decode_8bit(b"\x93Qu\xfd\x94 \x81")
    '“Quý” \x81'
    """
    return data.decode("latin-1").translate(_FROM_LATIN1)


_PUA = startcache.compile("[\uf020-\uf0ff]")
_PUA_TO_LATIN1 = {c: c - 0xF000 for c in range(0xF020, 0xF100)}


def _pua_to_latin1(text: str) -> str:
    # Symbol-charset fonts in Word store byte b as U+F000+b; fold those back (same length).
    return text.translate(_PUA_TO_LATIN1) if _PUA.search(text) else text


def to_unicode(text: str, encoding: LegacyEncoding) -> str:
    """Convert text typed in a legacy font encoding to Unicode (NFC).

    TCVN3 maps one character to one, so offsets are unchanged; VNI maps two characters to one.
    Words typed in TCVN3 capital fonts come out in capitals (``HO¹CH`` -> ``HOẠCH``).

    Examples
    --------
    >>> to_unicode("C¨n cø LuËt Tæ chøc chÝnh quyÒn", "tcvn3")
    'Căn cứ Luật Tổ chức chính quyền'
    >>> to_unicode("KÕ HO¹CH", "tcvn3")
    'KẾ HOẠCH'
    >>> to_unicode("Ñaûng Coäng saûn Vieät Nam", "vni")
    'Đảng Cộng sản Việt Nam'
    """
    if not _convertible(encoding).search(text):
        return text  # no code of the encoding, no symbol-font code: nothing to convert
    table = tables()[encoding]
    text = _pua_to_latin1(text)
    out = table.pattern.sub(lambda m: table.decode[m.group(0)], text)
    if encoding == "tcvn3":
        out = _repair_caps(text, out)
    return out


@lru_cache(maxsize=None)
def _convertible(encoding: LegacyEncoding) -> re.Pattern[str]:
    """A character that starts a code of ``encoding``, or a symbol-font code (:func:`_pua_to_latin1`): text without
    one is its own conversion (:func:`to_unicode` would match nothing, and upper-case nothing).

    >>> _convertible("vni").search("Xã Tân"), _convertible("tcvn3").search("Xã Tân").group(0)
    (None, 'ã')
    """
    firsts = sorted({code[0] for code in tables()[encoding].decode})
    return startcache.compile("[" + "".join(re.escape(c) for c in firsts) + "\uf020-\uf0ff]")


_ASCII_CAPITAL = startcache.compile("[A-Z]")


def _repair_caps(legacy: str, out: str) -> str:
    """Upper-case converted letters inside words written in capitals (TCVN3 capital fonts).

    A word is in capitals when it has two or more ASCII letters, all capitals; a word with a single
    capital (``KÕ``) is in capitals when a neighbouring word with a converted letter is (``HO¹CH``).
    """
    if len(legacy) != len(out) or not _ASCII_CAPITAL.search(legacy):
        return out  # (no ASCII capital: no word in capitals, none with a single capital)
    decode = tables()["tcvn3"].decode
    words = list(re.finditer(r"\S+", legacy))

    def caps(word: str) -> bool | None:
        if any(c in "0123456789/-" for c in word):
            return False  # a symbol (294/KH-VP) says nothing about the font
        letters = [c for c in word if c.isascii() and c.isalpha()]
        if not letters or not all(c.isupper() for c in letters):
            return False
        return True if len(letters) >= 2 else None

    state = [caps(m.group(0)) for m in words]
    evidence = [st is True and any(c in decode for c in m.group(0)) for st, m in zip(state, words)]
    chars = list(out)
    for k, m in enumerate(words):
        if not any(c in decode for c in m.group(0)):
            continue
        upper = state[k]
        if upper is None:  # a single capital: capitals when a neighbouring Vietnamese word is in capitals
            upper = (k > 0 and evidence[k - 1]) or (k + 1 < len(words) and evidence[k + 1])
        if upper:
            for i in range(m.start(), m.end()):
                chars[i] = chars[i].upper()
    return "".join(chars)


def from_unicode(text: str, encoding: LegacyEncoding) -> str:
    """Write Unicode text as it would be typed in a legacy font encoding (for samples and tests).

    Capital toned vowels have no TCVN3 code: they take the lower-case code, as in the capital fonts.

    Examples
    --------
    >>> from_unicode("Quyết định", "tcvn3")
    'QuyÕt ®Þnh'
    >>> from_unicode("Quyết định", "vni")
    'Quyeát ñònh'
    """
    enc = tables()[encoding].encode
    return "".join(enc.get(c, c) for c in unicodedata.normalize("NFC", text))


def font_encoding(font: str | None) -> tuple[LegacyEncoding | None, bool]:
    """The legacy encoding a font draws, and whether it is a capitals-only font.

    Examples
    --------
    >>> font_encoding(".VnTime"), font_encoding(".VnTimeH"), font_encoding("VNI-Times")
    (('tcvn3', False), ('tcvn3', True), ('vni', False))
    >>> font_encoding("Times New Roman")
    (None, False)
    """
    if not font:
        return None, False
    name = font.strip().lower()
    for enc in sorted(ENCODINGS, key=lambda e: -max((len(p) for p in tables()[e].font_prefixes), default=0)):
        t = tables()[enc]
        if any(name.startswith(p) for p in t.font_prefixes):
            caps = bool(t.capital_font_suffix) and name.endswith(t.capital_font_suffix)  # type: ignore[arg-type]
            return enc, caps
    return None, False


def convert_font_text(text: str, font: str | None) -> str:
    """Convert text drawn in ``font`` when that is a legacy font (``.VnTime``, ``.VnTimeH``, ``VNI-Times``).

    Examples
    --------
    >>> convert_font_text("QuyÕt ®Þnh", ".VnTime"), convert_font_text("QuyÕt ®Þnh", ".VnTimeH")
    ('Quyết định', 'QUYẾT ĐỊNH')
    >>> convert_font_text("Quyết định", "Arial")
    'Quyết định'
    """
    enc, caps = font_encoding(font)
    if enc is None:
        return text
    out = to_unicode(text, enc)
    return out.upper() if caps else out


# an acronym with Đ ("HĐND", "ĐBQH", "BCĐ"): written Vietnamese as much as a syllable is
_D_ACRONYM = startcache.compile(r"[A-Z]{0,6}Đ[A-ZĐ]{0,6}")


def _score(text: str, lexicon: bool = True) -> tuple[int, int]:
    """(well-formed Vietnamese syllables or acronyms with Đ, words with a non-ASCII letter).

    >>> _score("HĐND biên H§ND")
    (2, 3)
    """
    good = total = 0
    for tok in _TOKEN_SPLIT.split(text):
        if not tok or tok.isascii():
            continue
        total += 1
        if (len(tok) > 1 and _D_ACRONYM.fullmatch(tok)) or _well_formed(unicodedata.normalize("NFC", tok).lower(), lexicon):
            good += 1
    return good, total


@lru_cache(maxsize=1 << 16)
def _token_gain(tok: str, enc: LegacyEncoding, lexicon: bool) -> tuple[bool, int, int]:
    """Whether converting a word changes it, and its well-formed syllables before and after (``lexicon``:
    whether the word list, when installed, is asked)."""
    conv = _converted(tok, enc)
    if conv == tok:
        return False, 0, 0
    return True, _good(tok, lexicon), _good(conv, lexicon)


@lru_cache(maxsize=1 << 16)
def _converted(tok: str, enc: LegacyEncoding) -> str:
    """:func:`to_unicode` of a word, kept: :func:`_token_gain` asks it with and without the word list."""
    return to_unicode(tok, enc)


@lru_cache(maxsize=1 << 16)
def _good(word: str, lexicon: bool) -> int:
    """The well-formed syllables of a word (:func:`_score`), kept: a word is scored as it stands once for both
    encodings."""
    return _score(word, lexicon)[0]


def _verdict(text: str, min_words: int) -> LegacyEncoding | None:
    """The legacy encoding under which the words a conversion changes read clearly better as Vietnamese.

    Only the changed words count (words a conversion leaves alone say nothing): with ``a`` of them
    well-formed as they stand and ``b`` after conversion, the text is legacy when ``b >= min_words``,
    ``b >= 0.6 n`` and ``b - a >= max(1, n / 4)``.

    The word list only ever finds fewer words well-formed, so ``b`` counted without it bounds ``b`` (and
    ``b - a``) from above: when that bound already fails, the answer is None without loading the list
    (~0.05 s in each process that would need it; most lines of Unicode text that reach here). The same
    bound rules out each encoding on its own, and ``a`` is counted only when ``b`` passes: what
    :func:`_gains` gives, computed lazily.
    """
    if _UNICODE_VIET.search(text):
        return None
    tokens = Counter(t for t in _TOKEN_SPLIT.split(text) if t and not t.isascii())
    if sum(tokens.values()) < min_words:
        return None
    best: tuple[float, float, LegacyEncoding | None] = (0.0, float("-inf"), None)
    for enc in [enc for enc in ENCODINGS if _may_pass(_after(tokens, enc, False), min_words)]:
        n, _, b = _after(tokens, enc, True)
        if not _may_pass((n, 0, b), min_words):
            continue
        a = _before(tokens, enc)
        if b - a >= max(1.0, n / 4) and (b - a, -a) > best[:2]:
            best = (b - a, -a, enc)  # the most words explained, then the fewest good words changed
    return best[2]


def _after(tokens: Counter[str], enc: LegacyEncoding, lexicon: bool) -> tuple[int, int, int]:
    """``(n, 0, b)`` of :func:`_gains`: what :func:`_may_pass` looks at, without scoring the words as they stand."""
    b = n = 0
    for tok, count in tokens.items():
        conv = _converted(tok, enc)
        if conv != tok:
            n += count
            b += count * _good(conv, lexicon)
    return n, 0, b


def _before(tokens: Counter[str], enc: LegacyEncoding) -> int:
    """``a`` of :func:`_gains` with the word list."""
    return sum(count * _good(tok, True) for tok, count in tokens.items() if _converted(tok, enc) != tok)


def _gains(tokens: Counter[str], enc: LegacyEncoding, lexicon: bool) -> tuple[int, int, int]:
    """Over the words a conversion changes: how many (``n``), well-formed before (``a``) and after (``b``)."""
    a = b = n = 0
    for tok, count in tokens.items():
        changed, good_before, good_after = _token_gain(tok, enc, lexicon)
        if not changed:
            continue
        n += count
        a += count * good_before
        b += count * good_after
    return n, a, b


def _may_pass(nab: tuple[int, int, int], min_words: int) -> bool:
    """The tests of :func:`_verdict` on ``b`` alone (``b - a <= b``)."""
    n, _, b = nab
    return bool(n) and b >= min_words and b >= 0.6 * n and b >= max(1.0, n / 4)


#: a word (a run between the separators of :data:`_TOKEN_SPLIT`) holding a character beyond ASCII
_NON_ASCII_WORD = startcache.compile(r"[^\s0-9!-,./:-@\[-`{-~]*[^\x00-\x7f\s][^\s0-9!-,./:-@\[-`{-~]*")


#: :func:`_words_beyond_ascii` for 3 as one match: three times ASCII or blanks, then a word from its first character
#: beyond ASCII to its end (a word's ASCII start is passed over with the blanks; the word is counted once)
_THREE_WORDS_BEYOND_ASCII = startcache.compile(r"(?:[\x00-\x7f\s]*+[^\x00-\x7f\s][^\s0-9!-,./:-@\[-`{-~]*+){3}")


def _words_beyond_ascii(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` words with a character beyond ASCII, the words :func:`_verdict` counts
    (one regex scan: the verdict's word count without its tokens).

    >>> _words_beyond_ascii("Ghi chú: 0,5 ngày", 3), _words_beyond_ascii("QuyÕt ®Þnh sè 12", 3)
    (False, True)
    """
    return len(_NON_ASCII_WORD.findall(text)) >= n


def detect(text: str) -> LegacyEncoding | None:
    """Say whether ``text`` was typed in a legacy encoding: ``"tcvn3"``, ``"vni"`` or None.

    Looks at the lines that carry no Unicode Vietnamese letter (a legacy text never does).

    Examples
    --------
    >>> detect("Thùc hiÖn NghÞ quyÕt sè 25-NQ/TW")
    'tcvn3'
    >>> detect("Thực hiện Nghị quyết số 25-NQ/TW") is None
    True
    >>> detect("Café au lait, déjà vu") is None
    True
    """
    return _detect(text, _candidate_lines(text[:_DETECT_SAMPLE]))


def _detect(text: str, spans: list[tuple[int, int]]) -> LegacyEncoding | None:
    """:func:`detect` given the lines of its sample that hold no Unicode Vietnamese letter and are not ASCII
    (ASCII lines have no word the verdict counts)."""
    return _verdict(_pua_to_latin1(_sample_lines(text, spans)), min_words=3)  # (folded all at once: char by char)


def _sample_lines(text: str, spans: list[tuple[int, int]]) -> str:
    """The lines at ``spans`` within the detection sample, one after another (between them a line break)."""
    return "\n".join([text[a:min(b, _DETECT_SAMPLE)] for a, b in spans if a < _DETECT_SAMPLE])


def _candidate_lines(text: str) -> list[tuple[int, int]]:
    r"""Where the lines are (``str.splitlines(keepends=True)``) that legacy detection looks at: those with a
    character beyond ASCII and no Unicode Vietnamese letter (a legacy text never has one).

    One regex scan (:data:`_CANDIDATES`) instead of a list of all the lines and a search in each: a match is a run
    of lines that are not candidates (ASCII, or holding a Unicode Vietnamese letter) and the candidate line that
    ends it. When ``\n`` (or ``\r\n``) is the only line break of the text, :data:`_CANDIDATES_LF` scans the rest
    of a line after its first Vietnamese letter with ``.`` (a tight loop of the regex engine, not a character
    class). The line by line definition is in ``tests/test_read_speed.py``.

    >>> t = "Căn cứ\nQuyÕt ®Þnh\r\nabc\nCafé"
    >>> [t[a:b] for a, b in _candidate_lines(t)]
    ['QuyÕt ®Þnh\r\n', 'Café']
    >>> u = t.replace("\r\n", "\x85\n")  # a line break beyond ASCII: a line that is not ASCII
    >>> [u[a:b] for a, b in _candidate_lines(u)]
    ['QuyÕt ®Þnh\x85', 'Café']
    """
    if text.isascii():
        return []  # no line has a character beyond ASCII
    pattern = _CANDIDATES_LF if _lf_only(text) else _CANDIDATES
    return [m.span(1) for m in pattern.finditer(text) if m.end(1) > m.start(1)]


def _lf_only(text: str) -> bool:
    r"""Whether ``\n`` is the only character ``str.splitlines`` breaks ``text`` at, but for the ``\r`` of ``\r\n``
    (each test a search for one character, none of the regex engine).

    >>> _lf_only("a\r\nb\n"), _lf_only("a\rb"), _lf_only("a\x0cb"), _lf_only("a\u2028b")
    (True, False, False, False)
    """
    for c in _RARE_BREAKS:
        if c in text:
            return False
    if text.count("\x1e"):  # (not `in`: its byte 1E is the high byte of every letter U+1Exx, a false hit each)
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


# the characters str.splitlines breaks at beyond \n, \r and \x1e (\x85, \u2028, \u2029 are beyond ASCII)
_RARE_BREAKS = "\x0b\x0c\x1c\x1d\x85\u2028\u2029"
_VIET_CLASS = _UNICODE_VIET.pattern[1:-1]
# A line that is not a candidate: ASCII up to an ASCII line break, or with a Vietnamese letter (found by a class
# without the letters nor the breaks, then the rest of the line); after the run of them, the candidate line.
_CANDIDATES = startcache.compile(
    r"(?:[\x00-\x09\x0e-\x1b\x1f-\x7f]*+(?:[\n\x0b\x0c\x1c-\x1e]|\r\n?+|\Z"
    rf"|[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029{_VIET_CLASS}]*+[{_VIET_CLASS}]"
    r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*+(?:[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\r\n?+|\Z)))*+"
    r"([^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*+(?:[\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|\r\n?+|\Z))?"
)
# the same for a text whose only line break is \n (\r only in \r\n, as part of the line before the \n)
_CANDIDATES_LF = startcache.compile(
    rf"(?:[\x00-\x09\x0b-\x7f]*+(?:\n|\Z|[^\n{_VIET_CLASS}]*+[{_VIET_CLASS}].*+(?:\n|\Z)))*+(.*+(?:\n|\Z))?"
)


def fix(text: str, name: str = "<text>") -> tuple[str, LegacyEncoding | None, list[str]]:
    """Convert legacy-encoded text to Unicode where it is detected; say so in a warning.

    The whole text is judged first; lines holding Unicode Vietnamese are never converted, so a
    document mixing Unicode and TCVN3 paragraphs comes out all Unicode. When the text as a whole
    does not look legacy, single lines with strong evidence are still converted.

    Returns
    -------
    (text, encoding or None, warnings)

    Examples
    --------
    >>> text, enc, warnings = fix("Căn cứ Luật Tổ chức\\nC¨n cø LuËt Tæ chøc chÝnh quyÒn", "a.docx")
    >>> text.splitlines()[1], enc
    ('Căn cứ Luật Tổ chức chính quyền', 'tcvn3')
    >>> warnings[0]
    'a.docx: text typed in the legacy TCVN3 (ABC) font encoding was converted to Unicode (1 of 2 lines)'
    """
    spans = _candidate_lines(text)
    if not spans:
        return text, None, []  # every line is ASCII or holds a Unicode Vietnamese letter: nothing to judge
    if len(text) <= _DETECT_SAMPLE:  # the sample is the whole text: its candidate lines are all the lines judged
        lines = _sample_lines(text, spans)
        enc = _verdict(_pua_to_latin1(lines), min_words=3)  # _detect(text, spans)
        symbols = _PUA.search(lines) is not None
    else:
        enc, symbols = detect(text), True  # detect reads a sample
    changes: list[tuple[int, int, str]] = []  # (start, end, converted line): the text is rebuilt only for them
    used: set[str] = set()
    for a, b in spans:  # only these lines can change; the others stay as they are
        if enc is not None:
            line_enc: LegacyEncoding | None = enc
        elif b - a < 5:
            continue  # judged alone it needs three words, separated: five characters at least
        elif not symbols:  # judged alone: most such lines (a word or two, "Ghi chú", "0,5 ngày") have too few words
            line_enc = _verdict(text[a:b], min_words=3) if _THREE_WORDS_BEYOND_ASCII.match(text, a, b) else None
        else:  # symbol-font codes folded first (U+F020 is a space, U+F041 an A ...)
            judged = _pua_to_latin1(text[a:b])
            line_enc = _verdict(judged, min_words=3) if _words_beyond_ascii(judged, 3) else None
        if line_enc is None:
            continue
        line = text[a:b]
        new = to_unicode(line, line_enc)
        if enc is not None:  # judged on the whole text: still leave a line that conversion makes worse
            good0, total = _score(line)
            if total and _score(new)[0] < good0:
                continue
        if new != line:
            changes.append((a, b, new))
            used.add(line_enc)
    if not changes:
        return text, None, []
    converted = len(changes)
    out: list[str] = []
    at = 0
    for a, b, new in changes:
        out += (text[at:a], new)
        at = b
    out.append(text[at:])
    final: LegacyEncoding = enc if enc is not None else sorted(used)[0]  # type: ignore[assignment]
    names = " and ".join(tables()[e].name for e in sorted(used))
    warnings = [
        f"{name}: text typed in the legacy {names} font encoding was converted to Unicode"
        f" ({converted} of {len(text.splitlines(keepends=True))} lines)"
    ]
    if "vni" in used:
        warnings.append(f"{name}: offsets refer to the text after conversion from VNI, not to the original characters")
    return "".join(out), final, warnings


__all__ = ["ENCODINGS", "LegacyEncoding", "convert_font_text", "decode_8bit", "detect", "font_encoding", "fix", "from_unicode", "tables", "to_unicode"]
