"""The citing document's own header: type, symbol, place and date, issuer, jurisdiction, title, signer.

Everything is read from the text; a part the text does not give is None, never guessed. A page that is
not an official document (an encyclopedia article, a news Q&A) gets no header at all.

Real headers are wrapped anywhere ("Số:⏎38/2025/QĐ-UBND", "Hà⏎Nội, ngày 26 tháng 11 năm 2025",
"ỦY BAN NHÂN⏎DÂN⏎TỈNH X"), come as table cells in any order, or lose their lines altogether when a text is
re-wrapped. So the header is read as a run of words: every pattern here allows any whitespace between
words, and no field depends on where a line breaks. The parts, in the order a header prints them:

- the issuer's lines (upper case, before the national motto): :func:`_top_units`;
- the own symbol after "Số:" (also "Luật số:", "Số 384-QĐ/TW"): :func:`_own_symbol`;
- "<place>, ngày D tháng M năm Y": :func:`_place_date`;
- the type line ("QUYẾT ĐỊNH") and the title after it, up to the enacting body's line ("CHỦ TỊCH ỦY BAN
  NHÂN DÂN TỈNH X") and the preamble ("Căn cứ ..."): :func:`_type_line`, :func:`_authority`;
- a Công văn's subject line ("V/v ...") instead of a type line;
- the signature block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / name"; "(Đã ký) name"): :func:`_signature`;
- a consolidated text's authentication block at its end ("Số: 40/VBHN-VPQH / XÁC THỰC VĂN BẢN HỢP NHẤT /
  Hà Nội, ngày ... / CHỦ NHIỆM / name"): :func:`_consolidation`;
- a law's or resolution's adoption sentence when the header has no date ("Luật này đã được Quốc hội ...
  thông qua ngày ..."): :func:`_adoption_date`.

The words these parts look for are data: ``ontology/header.json``.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator, Optional

from citegraph.text import startcache
from citegraph.text.dates import iso
from citegraph.extraction.find import SYMBOL_RE, Mention, canonical_symbol, find_numbered
from citegraph.extraction.models import Header
from citegraph.text.normalize import View, visible
from citegraph.text.prefilter import prefix_keys
from citegraph.text.vocab import (WORD_GAP, Body, Prefiltered, Vocabulary, caseless, factored, longest_first, raw, vocabulary,
                                  words_pattern)

# how far the header may reach when no preamble word ends it
_HEAD_CHARS = 3000
# how much text after the header a statement "X ban hành ..." may be in
_ISSUES_REACH = 3000
# the signature block is looked for after the header; a name has at most this many words
_NAME_WORDS = 4
_TITLE_CHARS = 400
# how far after the symbol, the date or the motto the type line may be
_TYPE_REACH = 600

_ROMAN_WORD = startcache.compile(r"[IVXL]+")
# letters typed for Đ and đ (as the matching view has them: citegraph.text.normalize)
_D_LETTERS = str.maketrans({"\u00d0": "\u0110", "\u0189": "\u0110", "\u00f0": "\u0111"})
_PLACE_PREFIX = startcache.compile(r"^(?:tỉnh|thành phố|TP\.?)\s+", re.I)
_RECIPIENTS = startcache.compile(r"Nơi\s+nhận\s*:?")
_PLACE_MARKER_END = startcache.compile(r"(?:tỉnh|thành\s+phố|tp\.?)\s*$")
_ON_BEHALF = startcache.compile(r"(?:T/M|TM\.?|THAY MẶT)\s+(.+?)(?:\s*/|$)")
_TOKEN = startcache.compile(r"\S+")
# a recipient's bullet: at the list's start or after what ends an item
_BULLET = startcache.compile(r"(?:^|(?<=[;,.:)])|(?<=[;,.:)][ \t\r\n*_]))[ \t\r\n*_]*[-+•](?=[ \t\r\n])")
# the bullet's own character, as _bullet_split finds it (the blanks before it: _BULLET_BLANKS)
_BULLET_MARK = startcache.compile(r"[-+•](?=[ \t\r\n])")
_BULLET_BLANKS = " \t\r\n*_"
_BULLET_AFTER = ";,.:)"
# markdown and table marks, read as blanks in a header (see _unmarked)
_MARKS = ("*", "|", "#")
_PAGE_BEFORE = startcache.compile(r"(?<!\S)\d{1,4}[ \t]+\Z")
_PAGE_AFTER = startcache.compile(r"[ \t]\d{1,4}\Z")
# a page number alone on the line right above a running header, or below it (after a blank line or not);
# not a year ("ngày 21 tháng 11 năm⏎2025" before a page break)
_PAGE_LINE_ABOVE = startcache.compile(r"(?<![^\n])[ \t]*(?!(?:19|20)\d\d)(\d{1,4})[ \t]*\n[ \t]*\Z")
_PAGE_LINE_BELOW = startcache.compile(r"[ \t]*\n(?:[ \t]*\n)?[ \t]*(?!(?:19|20)\d\d)\d{1,4}[ \t]*(?=\n|\Z)")

_DATE_GAP = startcache.compile(r"\s*,?\s*")
# what follows the subject of an adoption sentence ("Luật này đã được ..."), and its first word: see _adoptions
_ADOPTED_WORD = "này"
_ADOPTED = _ADOPTED_WORD + r"\s+(?:đã\s+)?được\s+"
_DIGITS = startcache.compile(r"\d+(?![\w/-])")
# a numbered heading that begins a body ("I. MỤC ĐÍCH", "1. Phạm vi"), ending a title
_HEADING = startcache.compile(r"(?<![\w.])(?:[IVX]{1,5}|\d{1,2})\.\s+(?=[A-ZĐÀ-Ỹ])")
# characters that end an upper-case run of header words (a separator line, a table cell's pipe)
_RUN_BREAK = startcache.compile(r"[-_=*~|.]{3,}|[|*#]")


@dataclass
class Context:
    """What the header tells about where the document sits, used to resolve its references."""

    province: str | None = None
    district: str | None = None
    commune: str | None = None
    level: str | None = None
    year: int | None = None
    date: str | None = None
    district_kind: str | None = None
    commune_kind: str | None = None

    def jurisdiction(self, level: str | None) -> str | None:
        """Jurisdiction string for a body of ``level`` in this context (None when the place is unknown).

        A centrally-run city is a "thành phố", never a "tỉnh"; a district or commune is called as its
        header calls it ("quận", "phường"; "huyện", "xã" when not known). Since 2025 a commune may lie
        directly under its province.

        >>> Context(province="Hà Nội").jurisdiction("province"), Context(province="Bắc Ninh").jurisdiction("province")
        ('thành phố Hà Nội', 'tỉnh Bắc Ninh')
        >>> Context(province="Hồ Chí Minh", commune="Bến Thành", commune_kind="phường").jurisdiction("commune")
        'phường Bến Thành, thành phố Hồ Chí Minh'
        """
        if level == "central":
            return "central"
        prov = f"{_province_kind(self.province)} {self.province}" if self.province else None
        if level == "province":
            return prov
        if level == "district":
            if not self.district:
                return None
            return ", ".join(p for p in (f"{self.district_kind or 'huyện'} {self.district}", prov) if p)
        if level == "commune":
            if not self.commune:
                return None
            district = f"{self.district_kind or 'huyện'} {self.district}" if self.district else None
            return ", ".join(p for p in (f"{self.commune_kind or 'xã'} {self.commune}", district, prov) if p)
        return None


def context_of(h: Header) -> Context:
    """The context a header gives its references (for a later segment of the same document).

    >>> context_of(Header(commune="Bến Thành", jurisdiction="phường Bến Thành, thành phố Hồ Chí Minh")).commune_kind
    'phường'
    """
    kinds: dict[str, str] = {}
    for part in (h.jurisdiction or "").split(","):
        for word, level in _level_words().items():
            if part.strip().startswith(word + " "):
                kinds.setdefault(level, word)
                break
    return Context(province=h.province, district=h.district, commune=h.commune, level=h.level,
                   year=int(h.date[:4]) if h.date else None, date=h.date,
                   district_kind=kinds.get("district") if h.district else None,
                   commune_kind=kinds.get("commune") if h.commune else None)


# ------------------------------------------------------------------------------------------ vocabulary

@lru_cache(maxsize=1)
def header_words() -> dict[str, Any]:
    """The word lists of ``ontology/header.json``.

    >>> "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header_words()["mottos"]
    True
    """
    return {k: v for k, v in raw("header").items() if not k.startswith("$")}


@lru_cache(maxsize=4096)
def _province(name: str) -> str | None:
    """``vocabulary().province(name)``, remembered (a header's place words repeat across documents)."""
    return vocabulary().province(name)


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    return frozenset(p["name"] for p in vocabulary().provinces if p.get("kind") == "thành phố")


def _province_kind(name: str | None) -> str:
    """ "thành phố" for a centrally-run city, else "tỉnh"."""
    return "thành phố" if name in _cities() else "tỉnh"


def _alts(phrases: list[str]) -> str:
    """An alternation of phrases (longest first), any whitespace between their words."""
    return "|".join(words_pattern(p) for p in longest_first(phrases))


def _types() -> list[str]:
    """The type words a title may begin after (not those in ``not_titles``)."""
    not_titles = header_words()["not_titles"]
    return [t for t in vocabulary().type_words() if t not in not_titles]


def _bodies_caseless() -> str:
    """The alternation of the bodies' names in any case (compiled with IGNORECASE)."""
    return factored([words_pattern(a) for a in vocabulary().body_aliases()], re.IGNORECASE)


# the look-behind "not inside a word" many patterns begin with, and those of them read through a whole text
# or a header with _word_matches (the others are read in a few words)
_NOT_IN_WORD = r"(?<![\w])"
_SCANNED = ("province", "preamble", "type_line", "upper_bodies")


@lru_cache(maxsize=1)
def _rx() -> dict[str, Any]:
    """The patterns of a header, compiled on first use; those few texts need are :func:`_rare`'s.

    Each pattern of :data:`_SCANNED` has a twin ``<name>_scan``: the pattern less the look-behind
    "not inside a word" it begins with, for :func:`_word_matches`.
    """
    out = _patterns()
    for name in _SCANNED:
        exact = out[name]
        rx: re.Pattern[str] = exact if isinstance(exact, re.Pattern) else exact.exact
        if not rx.pattern.startswith(_NOT_IN_WORD):
            raise ValueError(f"pattern {name!r} does not begin with {_NOT_IN_WORD}")
        out[name + "_scan"] = startcache.compile(rx.pattern[len(_NOT_IN_WORD):], rx.flags)
    return out


def _patterns() -> dict[str, Any]:
    """The patterns of :func:`_rx` as written."""
    v = vocabulary()
    w = header_words()
    types = _types()
    types_upper = factored([words_pattern(t.upper()) for t in sorted(types, key=len, reverse=True)])
    upper_bodies = factored([words_pattern(a.upper()) for a in v.body_aliases()])
    bodies_i = _bodies_caseless()
    prov = factored([words_pattern(p) for p in v.province_names()])
    prov_i = factored([words_pattern(p) for p in v.province_names()], re.IGNORECASE)
    day = r"(?P<d>\d{1,2})"
    return {
        "motto": startcache.compile(_alts(w["mottos"])),
        "running_header": startcache.compile("|".join(w["running_headers"])),
        # "Số:", "Số 384-QĐ/TW", "SỐ:", and "Luật số:" (the type word is checked before it)
        # (the look-behind "not inside a word, not after a slash" is checked in code: see _own_symbol;
        # each spelling begins with its plain letter, not a group, so the engine scans for "S" and "s")
        "symbol_label": startcache.compile(r"(?:S(?P<cap>ố)|S(?P<up>Ố)|số)[ \t]*(?P<colon>[:.])?\s*(?=\d)"),
        "date": startcache.compile(
            rf"{caseless('ngày')}\s*{day}\s*(?:{caseless('tháng')}\s*(?P<m>\d{{1,2}})\s*{caseless('năm')}"
            rf"|/\s*(?P<m2>\d{{1,2}})\s*/)\s*(?P<y>(?:19|20)\d\d)(?!\d)"),
        # the type word, alone or glued to a title that begins in lower case ("NGHỊ QUYẾTVề việc")
        "type_compound": startcache.compile(rf"(?:{_alts(w['type_compounds'])})$"),
        "type_line": startcache.compile(rf"(?<![\w])(?P<t>{types_upper})(?:(?![\w])|(?=[^\W\d_][^\W\d_]))"),
        "preamble": startcache.compile(rf"(?<![\w])(?:{_alts(w['preamble_starts'])})(?![\w])"),
        # the look-behind "not inside a word" is checked in code (see _body_start)
        "body_start": startcache.compile(rf"(?:{_alts(['Căn cứ', 'Kính gửi', 'Điều 1', 'Chương I'])})(?![\w])"),
        "subject": startcache.compile(rf"[\s|*_]*(?:{_alts(w['subject_marks'])})(?![\w])[\s:.]*"),
        "upper_bodies": startcache.compile(rf"(?<![\w])(?:{upper_bodies})(?![\w])"),
        "upper_province": startcache.compile(rf"(?<![\w])(?:{factored([words_pattern(p.upper()) for p in v.province_names()])})(?![\w])"),
        "unit_head": startcache.compile(rf"(?<![\w])(?:{_alts(w['unit_heads'])})(?![\w])"),
        "level_then_name": startcache.compile(rf"(?<![\w])(?:{_alts([x.upper() for x in _level_words()])})\s+(?P<name>.+)$"),
        "level_and_name": startcache.compile(rf"^(?P<lw>{_alts([x.upper() for x in _level_words()])})\s+(?P<name>.+)$"),
        "chair": startcache.compile(rf"(?:{_alts([c['printed'] for c in w['chair_roles']])})\s*$"),
        "authority_verb": startcache.compile(rf"\s+(?:{_alts(w['authority_verbs'])})\s*:?\s*$"),
        "session": startcache.compile(rf"^[\s,.;:()0-9IVXL-]*(?:(?:{_alts(w['session_words'])})[\s,.;:()0-9IVXL-]*)*$"),
        "consolidation": startcache.compile(_alts(w["consolidation_marks"])),
        # a verb ending where the match must end (searched in a short window before its last word's end)
        "issue_verb": startcache.compile("(?:" + "|".join(caseless(x) for x in sorted(w["issue_verbs"], key=len, reverse=True)) + ")$"),
        "issued_type": startcache.compile(rf"\s+(?:{factored([words_pattern(t) for t in v.type_words()], re.IGNORECASE)})(?![\w])",
                                  re.IGNORECASE),
        "issuer_before": startcache.compile(rf"(?P<body>{bodies_i})(?:\s+(?P<place>{prov_i}))?\s+", re.IGNORECASE),
        "adoption": startcache.compile(
            rf"(?:{_alts(w['adoption']['subjects'])})\s+{_ADOPTED}(?P<by>[^.;]{{0,240}}?)\s*"
            rf"(?:{_alts(w['adoption']['verbs'])})\s+(?:vào\s+)?"),
        # the look-behind "after a blank" is checked in code: with it the scan would try every offset
        "sign_start": startcache.compile(rf"(?:{factored([words_pattern(x) for x in longest_first(w['signature_prefixes'] + w['signature_roles'])])})"),
        "body_end": startcache.compile(_alts(w["body_ends"])),
        "rank": startcache.compile(rf"(?:{_alts(w['ranks'])})\s+"),
        "signed_mark": startcache.compile(r"\(\s*(?:[Đđ]ã\s+ký|ĐÃ\s+KÝ)[^)\n]{0,30}\)"),
        # the look-behinds make a plain scan try every offset: try these only where their head matches
        "province": Prefiltered(startcache.compile(rf"(?<![\w])(?P<p>{prov})(?![\w])")),
        "district": Prefiltered(startcache.compile(rf"(?<![\w])(?P<own>(?:UBND|Ủy\s+ban\s+nhân\s+dân){WORD_GAP})?(?P<k>huyện|quận|thị[ \t]+xã)"
                                           rf"{WORD_GAP}(?P<n>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:{WORD_GAP}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){{0,2}})"),
                                heads=("UBND", "Ủy", "huyện", "quận", "thị")),
        "commune": Prefiltered(startcache.compile(rf"(?<![\w])(?P<own>(?:UBND|Ủy\s+ban\s+nhân\s+dân){WORD_GAP})?(?P<k>xã|phường|thị[ \t]+trấn)"
                                          rf"{WORD_GAP}(?P<n>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:{WORD_GAP}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){{0,2}})"),
                               heads=("UBND", "Ủy", "xã", "phường", "thị")),
    }


def _word_matches(name: str, text: str, pos: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """``_rx()[name].finditer(text, pos, end)`` for a pattern of :data:`_SCANNED`, read with its twin
    less the look-behind "not inside a word" it begins with.

    The look-behind first keeps the regex engine from scanning for the letters a match can begin with
    (it tries the whole alternation at every offset); without it the engine scans for them itself. A
    match of the twin is the pattern's where no word character (``\\w``: ``str.isalnum`` or "_") is
    right before it; where one is, the pattern has no match at that offset, and the search goes on
    from the next one, as ``finditer`` does (it never matches the empty string; its look-behind sees
    the text before ``pos``).

    >>> t = "Tỉnh Quảng Nam, tp. Hồ Chí Minh; BHồ Chí Minh, Huế_Huế"
    >>> [m.group() for m in _word_matches("province", t)] == [m.group() for m in _rx()["province"].exact.finditer(t)]
    True
    >>> [m.group() for m in _word_matches("upper_bodies", "XBỘ TÀI CHÍNH, BỘ TÀI CHÍNH", 2)]
    ['BỘ TÀI CHÍNH']
    """
    e = len(text) if end is None else end
    search = _rx()[name + "_scan"].search
    m = search(text, pos, e)
    while m is not None:
        at = m.start()
        if at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_"):
            m = search(text, at + 1, e)
            continue
        yield m
        m = search(text, m.end(), e)


@lru_cache(maxsize=None)
def _rare(name: str) -> Any:
    """The pattern ``name`` that few texts need, compiled the first time one does (a process that
    extracts, :func:`citegraph.extraction.batch.warm` included, compiles :func:`_rx` at its start):

    - ``typed_label_end``: the type word of "Luật số:" (a lower-case "số" with its colon);
    - ``gazette_heading``: a continued issue of the official gazette (a text with no motto, no "Số");
    - ``closing``: a closing sentence naming the issuer ("... Kế hoạch của UBND tỉnh X./."), read
      only when nothing else names it;
    - ``adopted``: what follows the subject of an adoption sentence (``_ADOPTED``), read for a law
      with no date in its header.

    >>> _rare("closing").search("Trên đây là Kế hoạch của UBND tỉnh./.").group("body")
    'UBND tỉnh'
    """
    if name == "typed_label_end":
        return startcache.compile(rf"(?:{factored([words_pattern(t) for t in _types()], re.IGNORECASE)})\s+$", re.IGNORECASE)
    if name == "gazette_heading":
        return startcache.compile(rf"(?:{_alts(header_words()['gazette_sections'])})(?P<issuer>[^a-z]{{0,200}}?)"
                          rf"(?P<tw>{factored([words_pattern(t) for t in _types()])})\s+số\s+(?=\d)")
    if name == "adopted":
        return startcache.compile(_ADOPTED)
    if name == "closing":
        return startcache.compile(
            rf"(?:[Kk]ế\s+hoạch|[Qq]uyết\s+định|[Cc]hương\s+trình|[Hh]ướng\s+dẫn|văn\s+bản)[^.;\n]{{0,200}}?\s+của\s+"
            rf"(?P<body>{_bodies_caseless()})(?P<tail>[^\n./]{{0,40}})\s*\./\.", re.IGNORECASE)
    raise KeyError(name)


@lru_cache(maxsize=1)
def _level_words() -> dict[str, str]:
    """Level words (places.json) to their level, longest first; "thành phố" is a province's word.

    >>> _level_words()["phường"], _level_words()["thành phố"]
    ('commune', 'province')
    """
    out: dict[str, str] = {}
    for level in ("province", "district", "commune"):
        for word in raw("places")["levels"][level]["words"]:
            out.setdefault(word, level)
    return dict(sorted(out.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def _name_stops() -> frozenset[str]:
    return frozenset(header_words()["name_stops"])


# ------------------------------------------------------------------------------------------ parse

def parse_header(text: str, vocab: Vocabulary | None = None, numbered: list[Mention] | None = None,
                 view: View | None = None) -> tuple[Header, Context, tuple[int, int] | None]:
    """Parse the header of a matching-view ``text``.

    Returns the :class:`Header`, the :class:`Context` its references resolve in, and the view span of the
    document's own symbol (so it is not taken for a reference), or None. ``view`` (whose ``text`` is
    ``text``) lets the signer's name be given as the source writes it.

    Examples
    --------
    >>> t = "Số: 294/KH-VP\\n\\nĐồng Nai, ngày 08 tháng 4 năm 2024\\n\\nKẾ HOẠCH\\nThực hiện công tác năm 2024\\n"
    >>> h, ctx, span = parse_header(t)
    >>> h.symbol, h.date, h.place, h.type, h.title, ctx.province
    ('294/KH-VP', '2024-04-08', 'Đồng Nai', 'Kế hoạch', 'Thực hiện công tác năm 2024', 'Đồng Nai')

    Wrapped anywhere, the same header:

    >>> h2, _, _ = parse_header("Số:\\n294/KH-VP Đồng\\nNai, ngày 08\\ntháng 4 năm 2024 KẾ\\nHOẠCH Thực hiện công tác năm 2024")
    >>> (h2.symbol, h2.date, h2.place, h2.type, h2.title) == (h.symbol, h.date, h.place, h.type, h.title)
    True
    """
    v = vocab or vocabulary()
    text = _unmarked(text)
    head = _head(text, numbered, v)
    ctx = Context()
    if not head.is_document:
        _places(text, ctx, v)
        return Header(), ctx, None
    h = Header()
    own_span = None
    if head.sym is not None:
        own_span = (head.sym[0].start, _set_symbol(h, head.sym[0], text))
    if head.pd is not None:
        h.date, h.place = head.pd[0], head.pd[1]
    auth = _type_and_title(h, head, text, v)
    # --- consolidated text: symbol, date, issuer and signer at its end
    cons = _consolidation(text, head.stop, numbered, v)
    if cons is not None and (h.symbol is None or h.type_code == "VBHN"):
        if cons[0] is not None and h.symbol is None:
            own_span = (cons[0].start, _set_symbol(h, cons[0], text))
        if h.date is None or (cons[1] and h.type_code == "VBHN" and head.pd is None):
            h.date, h.place = cons[1], h.place or cons[2]
    if h.type_code == "VBHN":
        t = v.type_for_code("VBHN", "normative")
        h.type = t.name if t else h.type
    # --- date of a text without a dated header: its adoption
    if h.date is None and h.type in ("Luật", "Bộ luật", "Nghị quyết", "Pháp lệnh"):
        h.date = _adoption_date(text, head.stop)
    if h.date:
        ctx.date = h.date
        ctx.year = int(h.date[:4])
        if h.year is None and h.system == "state" and h.symbol and h.symbol.count("/") == 1:
            h.year = ctx.year
    if h.place:
        ctx.province = v.province(_PLACE_PREFIX.sub("", h.place))
    # --- signature, issuer, places
    sig_from = max(head.title_from, head.stop if head.stop_m is not None else 0)
    sig = _signature(text, sig_from, cons[4] if cons is not None else None) or _name_at_end(text, sig_from)
    if sig is not None:
        h.signer, h.signer_role = sig[0], sig[1]
        if view is not None and sig[2] is not None:
            # the name as the source writes it ("Lê Hải Hoà"), in NFC and with one Đ
            a, b = view.span(*sig[2])
            written = unicodedata.normalize("NFC", visible(view.original[a:b])).translate(_D_LETTERS)
            written = written.replace("\r\n", "\n").replace("\r", "\n")  # a page break in it: as in the view
            h.signer = " ".join(_unmarked(written).split())
    body, chair, top = _issuer(h, head, auth, cons, ctx, text, v)
    ctx.province = ctx.province or top.province
    ctx.district, ctx.commune = top.district, top.commune
    ctx.district_kind, ctx.commune_kind = top.district_kind, top.commune_kind
    if body is not None:
        h.level = body.level
        h.system = h.system or body.system
        if h.level is None and h.issuer_code:
            # a unit no list has: the level its symbol's code has ("BCĐNNDL": a central body)
            h.level = v.code_level(h.issuer_code.split("-")[0], h.system or "state")
        ctx.level = h.level
    _places(text, ctx, v)
    if body is not None:
        h.issuer = _issuer_name(body, chair, ctx)
    h.province, h.district, h.commune = ctx.province, ctx.district, ctx.commune
    if h.system == "party" and h.date:
        h.term = v.party_term(h.date, "central" if h.level == "central" else "local")
    h.jurisdiction = ctx.jurisdiction(h.level) if h.level else (
        f"{_province_kind(ctx.province)} {ctx.province}" if ctx.province else None)
    h.recipients = _recipients(text, sig[3] if sig is not None else None)
    return h, ctx, own_span


def _unmarked(text: str) -> str:
    """``text`` with the marks of markdown and of scraped tables (``*``, ``|``, ``#``) and the gazette's
    running headers (:func:`without_running_headers`) as blanks, in place (offsets unchanged): "**Số:**
    12/KH-UBND", "| Số: 12/KH-UBND |" read as "Số: 12/KH-UBND".

    A text :func:`page_breaks` has just found without the running header's first word (the pipeline's,
    when it had no page break to replace) has none with its marks as blanks either: it is not read for
    them again.

    >>> _unmarked("| **Số:** 1/KH |")
    '    Số:   1/KH  '
    """
    # (a mark made a blank changes no letter: the word is in the copy only where it is in the text)
    clean = _NO_RUNNING[0] is text
    for c in _MARKS:
        if c in text:
            text = text.replace(c, " ")
    return text if clean else without_running_headers(text)


#: the last text :func:`page_breaks` found without the first word of a running header (one slot:
#: a text is only ever taken for itself, ``is``, so another thread's text in it costs a scan, no more)
_NO_RUNNING: list[str | None] = [None]


@lru_cache(maxsize=1)
def _running_word() -> re.Pattern[str] | None:
    """The literal every running header begins with ("CÔNG"), as a pattern; None if there is none."""
    keys = prefix_keys(_rx()["running_header"])
    if keys is None or len(keys) != 1 or list(keys.values())[0] != (0,):
        return None
    return startcache.compile(re.escape(next(iter(keys))))


def page_breaks(text: str) -> list[tuple[int, int, str]]:
    """A PDF's page breaks in ``text``: the official gazette's running header printed anywhere in a text
    from a PDF ("CÔNG BÁO/Số 851 + 852/Ngày 01-7-2025"), its page number (on its line, before or after it,
    or alone on a line just above or below it) and the blank lines around it, each as ``(start, end,
    what stands for it)``: the one line break (or space) a page break is. A reference, a name or a list
    the page cuts then reads on as if the page had not ended there.

    >>> page_breaks("- Như trên;\\nCÔNG BÁO/Số 851 + 852/Ngày 01-7-2025      49\\n- Lưu: VT.")
    [(11, 57, '\\n')]
    >>> t = "Nghị định số 81/2018/NĐ-CP\\n\\nCÔNG BÁO/Số 252/Ngày 27-04-2026 \\n90\\n\\nngày 22/5/2018"
    >>> [t[a:b] for a, b, _ in page_breaks(t)]
    ['\\n\\nCÔNG BÁO/Số 252/Ngày 27-04-2026 \\n90\\n\\n']
    """
    out: list[tuple[int, int, str]] = []
    last = 0
    word = _running_word()
    first = word.search(text) if word is not None else None
    if word is not None and first is None:
        _NO_RUNNING[0] = text  # see _unmarked
        return out
    # (no match begins before the first word: the scan for the word goes on in the pattern's)
    for m in _rx()["running_header"].finditer(text, first.start() if first is not None else 0):
        a, e = m.span()
        if a < last:
            continue
        # its page number (one): on its line before or after it, alone on the line above, or alone below
        line = text.rfind("\n", last, a) + 1 or last
        if _PAGE_AFTER.search(m.group(0)):
            pass  # in the match
        elif before := _PAGE_BEFORE.search(text, line, a):
            a = before.start()
        elif not text[line:a].strip() and (above := _PAGE_LINE_ABOVE.search(text, max(last, line - 24), line)):
            a = above.start(1)
        elif below := _PAGE_LINE_BELOW.match(text, e):
            e = below.end()
        # and the blank lines around it (not the indent of the line after them)
        while a > last and text[a - 1].isspace():
            a -= 1
        j = e
        while j < len(text) and text[j].isspace():
            j += 1
        e = text.rfind("\n", e, j) + 1 or j
        out.append((a, e, "\n" if "\n" in text[a:e] else " "))
        last = e
    return out


def without_running_headers(text: str) -> str:
    """``text`` with its :func:`page_breaks` blanked in place (offsets unchanged), each keeping its line break.

    >>> without_running_headers("- Như trên;\\nCÔNG BÁO/Số 851 + 852/Ngày 01-7-2025      49\\n- Lưu: VT.").split()
    ['-', 'Như', 'trên;', '-', 'Lưu:', 'VT.']
    """
    pieces: list[str] = []
    last = 0
    for a, e, keep in page_breaks(text):
        nl = text.find("\n", a, e) - a
        pieces += [text[last:a], " " * (e - a) if keep == " " else " " * nl + "\n" + " " * (e - a - nl - 1)]
        last = e
    return "".join(pieces) + text[last:] if pieces else text


PlaceDate = tuple[str, Optional[str], int, int]


@dataclass
class _Head:
    """Where the parts of a header are: the preamble's first word (``stop``), the motto, the own symbol
    (a mention, where its label starts, the type word of "Luật số:"), the place and date, a Công văn's
    subject line, the type line, where the title starts, and whether this is an official text at all."""

    stop: int
    stop_m: re.Match[str] | None
    motto: re.Match[str] | None
    sym: tuple[Mention, int, str | None] | None
    gazette: bool
    pd: PlaceDate | None
    subject: re.Match[str] | None
    tm: re.Match[str] | None
    title_from: int
    is_document: bool


def _head(text: str, numbered: list[Mention] | None, v: Vocabulary) -> _Head:
    """Find the header's parts (see :class:`_Head`). An official text has a motto, a symbol with a date
    or a type line, or a type line at its very top; a gazette's continued issue has its heading."""
    rx = _rx()
    limit = min(len(text), _HEAD_CHARS)
    stop_m = _body_start(text, limit)
    stop = stop_m.start() if stop_m else limit
    motto = rx["motto"].search(text, 0, stop)
    sym = _own_symbol(text, 0, stop, numbered, v)
    gazette = sym is None and motto is None
    if gazette:
        sym = _gazette_heading(text, numbered, v)
        gazette = sym is not None
    sym_end = _symbol_end(text, sym[0]) if sym is not None else None
    pd: PlaceDate | None = _place_date(text, 0, stop, v)
    # the type line comes after whatever header part comes first, else a Công văn's subject line
    after = max(motto.end() if motto else 0, sym_end or 0, pd[3] if pd else 0)
    subject = rx["subject"].match(text, sym_end) if sym_end is not None else None
    tm = None if subject or gazette else _type_line(text, after, min(stop, after + _TYPE_REACH))
    if gazette and sym is not None and pd is None:
        # "Thông tư số 102/2018/TT-BTC ngày 14 tháng 11 năm 2018" of a gazette's heading: its date
        gap = _DATE_GAP.match(text, sym[0].sym_end)
        dm = rx["date"].match(text, gap.end() if gap is not None else sym[0].sym_end)
        if dm is not None:
            pd = (iso(dm.group("d"), dm.group("m") or dm.group("m2"), dm.group("y")) or "", None, sym[1], dm.end())
    is_document = bool(motto or (sym is not None and (pd is not None or tm is not None))
                       or (tm is not None and tm.start() < 200))
    title_from = tm.end() if tm else (subject.end() if subject else after)
    return _Head(stop, stop_m, motto, sym, gazette, pd, subject, tm, title_from, is_document)


def _type_and_title(h: Header, head: _Head, text: str, v: Vocabulary) -> tuple[int, Body, bool, str | None] | None:
    """Fill the type and title: from the type line, a Công văn's subject line, the type word of
    "Luật số:" or the symbol's type code. Returns the enacting body's line (see :func:`_authority`)."""
    auth = _authority(text, head.title_from, head.stop) if head.stop_m is not None else None
    if head.tm is not None:
        t = v.type_for_word(head.tm.group("t"))
        if t is not None:
            h.type = t.name
            h.type_code = h.type_code or t.code
        end = auth[0] if auth else _role_line(text, head.tm.end(), head.stop) if head.stop_m else head.stop
        h.title = _title(text, head.tm.end(), end)
    elif head.subject is not None:
        h.type = "Công văn"
        pd = head.pd
        h.title = _title(text, head.subject.end(), pd[2] if pd and pd[2] > head.subject.end() else head.stop)
        # a Công văn's symbol has no type code: "5615/CT-CS" is the Cục Thuế's, not a Chỉ thị
        h.issuer_code = h.symbol.split("/", 1)[1] if h.symbol and "/" in h.symbol else h.issuer_code
        h.type_code = None
    elif head.sym is not None and head.sym[2] is not None:
        t = v.type_for_word(head.sym[2])
        h.type = t.name if t else None
    elif h.type_code:
        t = v.type_for_code(h.type_code, "normative" if h.year and h.system == "state" else h.system or "state")
        h.type = t.name if t else None
    return auth


def _issuer(h: Header, head: _Head, auth: tuple[int, Body, bool, str | None] | None,
            cons: Consolidation | None, ctx: Context, text: str, v: Vocabulary) -> tuple[Body | None, bool, TopLines]:
    """The issuing body, whether a chair issues for it, and what the issuer's lines say.

    The issuer's lines (or a consolidated text's authenticating body) first; refined by the enacting
    body's line, the preamble's "X ban hành ...", and, when the text does not say, by the body a
    signature signs for or a title names; then the closing sentence, then the symbol's code."""
    rx = _rx()
    firsts = [x for x in (head.motto.start() if head.motto else None, head.sym[1] if head.sym else None,
                          head.pd[2] if head.pd else None, head.tm.start() if head.tm else None) if x is not None]
    top = _issuer_from_units(_top_units(text, 0, min(firsts or [0]), v), v, text)
    if top.body is None and firsts:
        # header cells in another order: the issuer's cell after the motto's, the symbol's or the date's
        top = _issuer_from_units(_top_units(text, min(firsts), head.tm.start() if head.tm else head.title_from, v),
                                 v, text)
    if cons is not None and top.body is None and cons[3]:
        # a consolidated text without issuer's lines at its top: the body that authenticates it
        top = _issuer_from_units(cons[3], v, text)
    body, chair = top.body, top.chair
    if auth is not None:
        a_body, a_chair = auth[1], auth[2]
        body = a_body if body is None else _refine(body, a_body, v)
        chair = chair or (a_chair and (body is None or a_body.codes == body.codes))
        if a_body.level in ("province", "district", "commune") and auth[3]:
            _set_place(top, a_body.level, auth[3], v)
    # the preamble's "X ban hành Kế hoạch ..." is the text's own statement of its issuer
    said = _issues_statement(text, 0, min(len(text), head.stop + _ISSUES_REACH), v)
    if said is not None:
        body = said[0] if body is None else _refine(body, said[0], v)
        if said[1] and v.province(said[1]):
            ctx.province = ctx.province or v.province(said[1])
    if body is None:
        tail = text[-1200:]
        cm = _rare("closing").search(tail) if "./." in tail else None
        if cm:
            body = v.body_for_text(cm.group("body"))
    if body is None and h.issuer_code:
        body = v.code_info(h.issuer_code)
    if said is None:
        behalf = _on_behalf_of(h.signer_role, body, v)
        # the body a signature signs for, else the one a title names ("KẾT LUẬN CỦA BỘ CHÍNH TRỊ")
        body = _refine(body, behalf if behalf is not None else _title_body(h.title, v), v)
    if h.issuer_code and any(h.issuer_code.upper() == c.upper() for r in header_words()["chair_roles"]
                             for c in r["codes"]):
        chair = True
    return body, chair, top


def _body_start(text: str, limit: int) -> re.Match[str] | None:
    """The first preamble word ("Căn cứ", "Kính gửi", "Điều 1") before ``limit`` that begins a word."""
    for m in _rx()["body_start"].finditer(text, 0, limit):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            return m
    return None


def _symbol_end(text: str, m: Mention) -> int:
    """Where an own symbol ends: after its mention, and a unit code's digits glued to it ("QLDN3")."""
    tail = _DIGITS.match(text, m.sym_end)
    return tail.end() if tail else m.sym_end


def _set_symbol(h: Header, m: Mention, text: str) -> int:
    """Fill the header's symbol fields from the mention of its own symbol; returns where the symbol
    ends. A unit code ending in digits ("1539/VLO-QLDN3") keeps them."""
    h.number, h.type_code, h.issuer_code = m.number, m.type_code, m.issuer_code
    tail = _DIGITS.match(text, m.sym_end)
    h.symbol = canonical_symbol(m) + (tail.group() if tail else "")
    h.system = "party" if m.grammar == "party" else "state"
    if m.year:
        h.year = m.year
    return tail.end() if tail else m.sym_end


# ------------------------------------------------------------------------------------------ symbol

def _own_symbol(text: str, start: int, end: int, numbered: list[Mention] | None,
                v: Vocabulary) -> tuple[Mention, int, str | None] | None:
    """The own symbol after the first "Số" label in ``text[start:end]``, where the label starts and
    the type word before it (None after a bare "Số").

    "Số" capitalised ("Số:", "Số 384-QĐ/TW"), "SỐ:" with its colon, or "số:" after a type word
    ("Luat số: 51/2024/QH15"); a lower-case "số" without a type word and colon is a reference's.

    >>> m, at, tw = _own_symbol("Luật số: 51/2024/QH15 | Hà Nội", 0, 30, None, vocabulary())
    >>> canonical_symbol(m), at, tw
    ('51/2024/QH15', 0, 'Luật')
    >>> _own_symbol("theo Nghị định số 12/2024/NĐ-CP", 0, 40, None, vocabulary()) is None
    True
    """
    rx = _rx()
    for lm in rx["symbol_label"].finditer(text, start, end):
        at = lm.start()
        if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "_/"):
            continue
        tw_text = None
        if lm.group("up") and not lm.group("colon"):
            continue
        if not lm.group("cap") and not lm.group("up"):
            if not lm.group("colon"):
                continue
            tw = _rare("typed_label_end").search(text, max(0, at - 40), at)
            if tw is None:
                continue
            at = tw.start()
            tw_text = " ".join(text[tw.start():tw.end()].split())
        m = _mention_at(text, lm.end(), numbered, v)
        if m is not None:
            return m, at, tw_text
    return None


def _gazette_heading(text: str, numbered: list[Mention] | None, v: Vocabulary) -> tuple[Mention, int, str | None] | None:
    """A continued issue of the official gazette opens with its section, the issuer and the document
    it continues: "VĂN BẢN QUY PHẠM PHÁP LUẬT / BỘ TÀI CHÍNH / Thông tư số 102/2018/TT-BTC ngày 14
    tháng 11 năm 2018": that symbol, where its type word starts, the type word.

    >>> m, at, tw = _gazette_heading("2\\nVĂN BẢN QUY PHẠM PHÁP LUẬT\\nBỘ TÀI CHÍNH\\nThông tư số 102/2018/TT-BTC ngày 14", None, vocabulary())
    >>> canonical_symbol(m), tw
    ('102/2018/TT-BTC', 'Thông tư')
    """
    gm = _rare("gazette_heading").search(text, 0, min(len(text), 600))
    if gm is None or (gm.group("issuer").strip(" \t\r\n-–") and not gm.group("issuer").isupper()):
        return None
    m = _mention_at(text, gm.end(), numbered, v)
    return (m, gm.start("tw"), " ".join(gm.group("tw").split())) if m is not None else None


def _mention_at(text: str, pos: int, numbered: list[Mention] | None, v: Vocabulary) -> Mention | None:
    """The numbered mention whose symbol starts at ``pos``, or None."""
    if numbered is not None:
        for m in numbered:  # in text order
            if m.sym_start == pos:
                return m
            if m.start > pos:
                break
    mm = SYMBOL_RE.match(text, pos)
    if mm:
        for m in find_numbered(text[:mm.end()], v):
            if m.sym_start == pos:
                return m
    return None


# ------------------------------------------------------------------------------------------ place, date

def _place_date(text: str, start: int, end: int, v: Vocabulary) -> tuple[str, str | None, int, int] | None:
    """``(iso date, place, start, end)`` of the first "<place>, ngày D tháng M năm Y" in ``text[start:end]``.

    The place is the run of capitalised words right before the date (lower-case level words inside:
    "Thành phố Hồ Chí Minh"); a date with no place before it is a reference's ("... NĐ-CP ngày 10
    tháng 7 năm 2024") and is passed over.

    >>> _place_date("V/v chính sách thuế Hà\\nNội, ngày 01\\ntháng 12 năm 2025", 0, 60, vocabulary())[:2]
    ('2025-12-01', 'Hà Nội')
    >>> _place_date("Số: 1/KH Thành phố Hồ Chí Minh ngày 1/2/2025", 0, 60, vocabulary())[:2]
    ('2025-02-01', 'Thành phố Hồ Chí Minh')
    """
    for dm in _rx()["date"].finditer(text, start, end):
        place_start, place = _place_before(text, dm.start(), v)
        if not place:
            continue
        date = iso(dm.group("d"), dm.group("m") or dm.group("m2"), dm.group("y"))
        if date is None:
            continue
        return date, place, place_start, dm.end()
    return None


def _is_place_word(w: str) -> bool:
    """A capitalised word ("Nội", "Rịa-Vũng", "TP.") or a lower-case word of a place's level ("phố")."""
    if w in ("-", "–"):
        return True
    if w.islower():
        return w in ("phố", "thành", "tỉnh", "xã", "phường", "huyện", "quận", "thị", "trấn", "xã")
    parts = w.rstrip(".").split("-")
    return all(p and p[0].isupper() and p[0].isalpha() and (p[1:].islower() or not p[1:] or p == "TP") for p in parts)


def _place_before(text: str, pos: int, v: Vocabulary) -> tuple[int, str | None]:
    """Where the place before a header date starts, and the place (None if there is none)."""
    window = text[max(0, pos - 80):pos]
    base = max(0, pos - 80)
    toks = list(_TOKEN.finditer(window))
    if toks and toks[-1].group() == ",":
        toks.pop()
    elif toks and toks[-1].group().endswith(","):
        pass
    kept: list[re.Match[str]] = []
    for i in range(len(toks) - 1, -1, -1):
        w = toks[i].group()
        if i == len(toks) - 1 and w.endswith(","):
            w = w[:-1]
        if not w or not _is_place_word(w) or len(kept) >= 6:
            break
        kept.insert(0, toks[i])
    words = [t.group().rstrip(",") for t in kept]
    while words and (words[0].islower() or words[0] in ("-", "–")):
        words.pop(0)
        kept.pop(0)
    if not words:
        return pos, None
    # a known province (after "Thành phố", "Tỉnh", "TP.") is the place; else the words, at most four
    for i in range(len(words)):
        name = " ".join(words[i:])
        if _province(name):
            j = i
            if i >= 1 and words[i - 1].lower() in ("tỉnh", "tp.", "tp"):
                j = i - 1
            elif i >= 2 and words[i - 2].lower() == "thành" and words[i - 1] == "phố":
                j = i - 2
            return base + kept[j].start(), " ".join(words[j:])
    words = words[-4:]
    kept = kept[-4:]
    return base + kept[0].start(), " ".join(words)


def _adoption_date(text: str, start: int) -> str | None:
    """The date of "Luật này đã được Quốc hội ... thông qua ngày ..." after ``start``, or None."""
    rx = _rx()
    for m in _adoptions(text, start):
        dm = rx["date"].match(text, m.end())
        if dm is not None:
            return iso(dm.group("d"), dm.group("m") or dm.group("m2"), dm.group("y"))
    return None


def _adoptions(text: str, start: int) -> Iterator[re.Match[str]]:
    """``_rx()["adoption"].finditer(text, start)``, tried only where a subject ends before "này đã được".

    The pattern's alternation of subjects ("Luật", "Bộ luật", "Nghị quyết", ...) sends the engine to a
    try at each of their first letters, through a whole law. Each match holds a subject, blanks and
    ``_ADOPTED`` (``_rare("adopted")``, a literal's scan, found far less often); the subject's words,
    read back from there (blanks between them: as ``words_pattern`` joins them), give where it may
    start. No subject holds "này", so the places found from one such phrase all come before those of the
    next, and each place the pattern matches at is one of them: matched in order, each past the end of
    the last match, they are ``finditer``'s.

    >>> t = "Bộ luật này được sửa. Luật  này  đã được Quốc hội thông qua ngày 1; Pháp\\nlệnh này được X thông qua ngày 2"
    >>> [m.start() for m in _adoptions(t, 0)] == [m.start() for m in _rx()["adoption"].finditer(t, 0)] == [22, 68]
    True
    """
    exact = _rx()["adoption"]
    subjects = _adoption_subjects()
    if subjects is None:
        yield from exact.finditer(text, start)
        return
    p = start  # where the next match may start
    for a in _rare("adopted").finditer(text, start):
        j = a.start()
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j == a.start():
            continue  # no blank before "này"
        places = sorted({b for b in (_words_ending(text, j, words) for words in subjects) if b >= p})
        for b in places:
            if b < p:
                continue
            m = exact.match(text, b)
            if m is not None:
                yield m
                p = m.end()


@lru_cache(maxsize=1)
def _adoption_subjects() -> tuple[tuple[str, ...], ...] | None:
    """The subjects of an adoption sentence as their words; None when ``words_pattern`` would not
    match one as its words with blanks between (a hyphen or a comma in it), or when one holds "này"
    (:func:`_adoptions` would not find their places in order)."""
    out: list[tuple[str, ...]] = []
    for subject in header_words()["adoption"]["subjects"]:
        words = tuple(subject.split())
        if not words or any("-" in x or "," in x or _ADOPTED_WORD in x for x in words):
            return None
        out.append(words)
    return tuple(out)


def _words_ending(text: str, end: int, words: tuple[str, ...]) -> int:
    """Where ``words``, blanks between them (one or more: ``\\s+``), start when they end at ``end``; -1
    when they do not end there. The blanks before a word are all those there (a word ends in a letter)."""
    e = end
    for k in range(len(words) - 1, -1, -1):
        if k < len(words) - 1:
            if e == 0 or not text[e - 1].isspace():
                return -1
            while e > 0 and text[e - 1].isspace():
                e -= 1
        b = e - len(words[k])
        if b < 0 or not text.startswith(words[k], b):
            return -1
        e = b
    return e


# ------------------------------------------------------------------------------------------ type, title

def _type_line(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first type word in capitals in ``text[start:end]`` that is not part of a body's name
    ("BỘ KẾ HOẠCH VÀ ĐẦU TƯ", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ").

    >>> _type_line("BỘ KẾ HOẠCH VÀ ĐẦU TƯ Số: 1 QUYẾT ĐỊNH Về việc", 0, 60).group("t")
    'QUYẾT ĐỊNH'
    >>> _type_line("ỦY BAN NHÂN DÂN TỈNH BẾN TRE KẾ HOẠCH Về công tác", 0, 60).group("t")
    'KẾ HOẠCH'
    >>> _type_line("VĂN BẢN QUY PHẠM PHÁP LUẬT BỘ TÀI CHÍNH", 0, 60) is None
    True
    """
    rx = _rx()
    for m in _word_matches("type_line", text, start, end):
        after = text[m.end():m.end() + 2]
        if after[:1].isalpha() and not (after[:1].isupper() and after[1:].islower()):
            continue
        if rx["type_compound"].search(text, _back(text, m.start(), 20, start), m.end()):
            continue  # "PHÁP LUẬT" is no "LUẬT"
        if any(a <= m.start() < b for a, b in
               (n.span() for n in rx["upper_bodies"].finditer(text, _back(text, m.start(), 40, start), m.end()))):
            continue
        head = rx["unit_head"].search(text, _back(text, m.start(), 12, start), m.start())
        if head is not None and not text[head.end():m.start()].strip():
            continue
        return m
    return None


def _upper_word(w: str) -> bool:
    """Whether a word is in capitals: it has cased letters, none in lower case ("V/V", "(ĐỢT"; not "2025")."""
    return w.isupper()


def _title(text: str, start: int, end: int) -> str | None:
    """The title: the words from ``start`` to ``end`` (a heading or a preamble word ends it earlier),
    whitespace collapsed, at most :data:`_TITLE_CHARS` characters."""
    end = min(end, start + _TITLE_CHARS + 200)
    lead = len(text[start:end]) - len(text[start:end].lstrip(" \t\r\n*_|:-"))
    m = _preamble_word(text, start + lead + 1, end)
    if m is not None:
        end = m.start()
    m = _HEADING.search(text, start + lead + 1, end)
    if m is not None:
        end = m.start()
    words = _RUN_BREAK.sub(" ", text[start:end]).split()
    if words and _upper_word(words[0].strip(",.:;()\"“”")):
        # a title in capitals ends where the capitals do
        for i, w in enumerate(words):
            if w.upper() != w:  # a letter in lower case
                words = words[:i]
                break
    title = " ".join(words).strip(" :;,-")
    if len(title) > _TITLE_CHARS:
        title = title[:_TITLE_CHARS].rsplit(" ", 1)[0]
    return title.rstrip(".") or None


def _preamble_word(text: str, pos: int, end: int) -> re.Match[str] | None:
    """``_rx()["preamble"].search(text, pos, end)`` (see :func:`_word_matches`).

    >>> _preamble_word("Xét Tờ trình; Căn cứ", 0, 20).group(), _preamble_word("ACăn cứ", 0, 7)
    ('Xét Tờ trình', None)
    """
    return next(_word_matches("preamble", text, pos, end), None)


def _title_body(title: str | None, v: Vocabulary) -> Body | None:
    """The body a title names as the author ("KẾT LUẬN CỦA BỘ CHÍNH TRỊ" -> Bộ Chính trị), or None."""
    if not title:
        return None
    m = re.match(r"(?:của|CỦA)\s+(.+)$", title)
    if m is None:
        return None
    for bm in _rx()["upper_bodies"].finditer(m.group(1).upper(), 0, 60):
        if bm.start() == 0:
            return v.body_for_text(bm.group(0))
    return None


def _back(text: str, pos: int, n: int, floor: int = 0) -> int:
    """Where a window of ``n`` characters that ends at ``pos`` starts (not before ``floor``), a run of blanks
    counting as one character: to a text wrapped anywhere, a line break and an indent are one space.

    >>> t = "CHỦ TỊCH  \\n  ỦY BAN"
    >>> t[_back(t, 13, 9):13]
    'CHỦ TỊCH  \\n  '
    """
    i = pos
    while n > 0 and i > floor:
        i -= 1
        while text[i].isspace() and i > floor and text[i - 1].isspace():
            i -= 1
        n -= 1
    return i


def _authority(text: str, start: int, end: int) -> tuple[int, Body, bool, str | None] | None:
    """The enacting body's line right before the preamble ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ",
    "QUỐC HỘI", "HỘI ĐỒNG NHÂN DÂN THÀNH PHỐ HÀ NỘI KHÓA XVI, KỲ HỌP THỨ 28"): where it starts, the
    body, whether a chair speaks for it, and the place it names. Only capitals, a place and session
    words may follow the body's name.

    >>> a = _authority("QUYẾT ĐỊNH VỀ VIỆC X CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ Căn cứ", 0, 61)
    >>> a[1].name, a[2], a[3]
    ('Ủy ban nhân dân tỉnh', True, 'Quảng Trị')
    """
    rx = _rx()
    v = vocabulary()
    last = None
    for bm in _word_matches("upper_bodies", text, start, end):
        if bm.start() > 0 and text[bm.start() - 1] in "-/":
            continue  # a code in a symbol ("5/NQ-HĐND")
        last = bm
    if last is None:
        return None
    rest = text[last.end():end]
    vm = rx["authority_verb"].search(rest)
    if vm is not None:
        rest = rest[:vm.start()]
    if any(c.islower() for c in rest):
        return None
    before = text[_back(text, last.start(), 12, start):last.start()].split()
    if before and before[-1] in ("CỦA", "CHO", "VỚI", "VÀ", "THUỘC", "TẠI", "TRỰC"):
        return None
    body = v.body_for_text(last.group(0))
    if body is None:
        return None
    place = None
    rest_words = _RUN_BREAK.sub(" ", rest).split()
    # the place after the name: "TỈNH QUẢNG TRỊ", "THÀNH PHỐ HÀ NỘI" or, after "ỦY BAN NHÂN DÂN TỈNH", "QUẢNG TRỊ"
    sm = None
    for i in range(len(rest_words), -1, -1):
        if rx["session"].match(" ".join(rest_words[i:])):
            sm = i
    cut = rest_words[:sm] if sm is not None else rest_words
    if cut:
        lm = rx["level_and_name"].match(" ".join(cut))
        name = lm.group("name") if lm else " ".join(cut)
        place = v.province(name.title()) or (name.title() if lm else None)
        if lm:
            level = _level_words().get(lm.group("lw").lower())
            if body.level is None and level:
                body = v.body_for_text(f"{body.name} {_level_of_place(lm.group('lw'), name, v)}") or body
    cm = rx["chair"].search(text, _back(text, last.start(), 12, start), last.start())
    return (cm.start() if cm else last.start()), body, cm is not None, place


def _role_line(text: str, start: int, end: int) -> int:
    """Where an enacting person's line the lists do not know begins, right before the preamble
    ("... TRƯỞNG BAN CHỈ ĐẠO NHÀ NƯỚC VỀ DU LỊCH / Căn cứ"): the first role word in capitals with
    only capitals after it and no joining word before it ("... CHO CHÁNH VĂN PHÒNG ..." is a title's);
    ``end`` when there is none.

    >>> t = "QUY CHẾ CỦA BAN X TRƯỞNG BAN CHỈ ĐẠO X Căn cứ"
    >>> t[_role_line(t, 0, t.index("Căn")):]
    'TRƯỞNG BAN CHỈ ĐẠO X Căn cứ'
    """
    for m in _rx()["sign_start"].finditer(text, start, end):
        if m.start() > 0 and not text[m.start() - 1].isspace():
            continue
        if not any(c.islower() for c in text[m.start():end]):
            before = text[start:m.start()].split()
            if before and before[-1] not in header_words()["unit_joiners"]:
                return m.start()
    return end


def _level_of_place(level_word: str, name: str, v: Vocabulary) -> str:
    """The level word of a body's place: "thành phố" is a province's word for a known province
    ("THÀNH PHỐ HÀ NỘI"), a district's otherwise ("THÀNH PHỐ BIÊN HÒA")."""
    lw = level_word.lower()
    if lw == "thành phố":
        return "tỉnh" if v.province(name.title()) else "huyện"
    level = _level_words().get(lw)
    return {"province": "tỉnh", "district": "huyện", "commune": "xã"}.get(level or "", lw)


# ------------------------------------------------------------------------------------------ issuer

@dataclass
class TopLines:
    """What the upper-case lines at the top say: the lowest issuing body and the places named."""

    body: Body | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    chair: bool = False
    district_kind: str | None = None
    commune_kind: str | None = None


@dataclass
class Unit:
    """One issuing unit printed in the issuer's lines: a known body's name or a unit head ("CỤC"),
    the words after it up to the next unit, and whether a chair's title comes before it."""

    head: str
    rest: str
    known: bool
    chair: bool = False
    inner: str | None = None


def _upper_runs(text: str, start: int, end: int) -> list[str]:
    """The runs of upper-case words in ``text[start:end]``, mottos cut out, separator lines and table
    pipes between runs; a lone hyphen or comma stays inside a run ("BỘ LAO ĐỘNG - THƯƠNG BINH")."""
    rx = _rx()
    pieces: list[str] = []
    pos = start
    for mm in rx["motto"].finditer(text, start, end):
        pieces.append(text[pos:mm.start()])
        pos = mm.end()
    pieces.append(text[pos:end])
    runs: list[str] = []
    for piece in pieces:
        for chunk in _RUN_BREAK.split(piece):
            cur: list[str] = []
            for tok in chunk.split():
                w = tok.strip(",;:")
                if (_upper_word(w) and not any(c.isdigit() for c in w)) or (tok in ("-", "–", "&", ",") and cur):
                    cur.append(tok)
                    continue
                if cur:
                    runs.append(" ".join(cur))
                cur = []
            if cur:
                runs.append(" ".join(cur))
    return [r.strip(" -–&,") for r in runs if r.strip(" -–&,")]


def _top_units(text: str, start: int, end: int, v: Vocabulary) -> list[Unit]:
    """The issuing units printed in upper case in ``text[start:end]``, top down.

    >>> [(u.head, u.rest) for u in _top_units("BỘ TÀI CHÍNH\\nCỤC THUẾ\\n------\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0, 60, vocabulary())]
    [('BỘ TÀI CHÍNH', ''), ('CỤC', 'THUẾ')]
    """
    out: list[Unit] = []
    for run in _upper_runs(text, start, end):
        out += _units_of_run(run)
    return out


def _units_of_run(run: str) -> list[Unit]:
    """Split an upper-case run into units: at each known body's name and each unit head, except a
    head inside a word ("NỘI VỤ"), after a joining word ("... VÀ HỘI ĐỒNG NHÂN DÂN"), or at the end of
    the run; a head right after a bare head names it ("CỤC THUẾ THUẾ TỈNH X": "CỤC THUẾ", "THUẾ TỈNH X").

    >>> [(u.head, u.rest, u.chair) for u in _units_of_run("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP")]
    [('ỦY BAN NHÂN DÂN TỈNH', 'ĐỒNG THÁP', True)]
    >>> [(u.head, u.rest) for u in _units_of_run("CỤC THUẾ THUẾ TỈNH VĨNH LONG")]
    [('CỤC', 'THUẾ'), ('THUẾ', 'TỈNH VĨNH LONG')]
    >>> [(u.head, u.rest) for u in _units_of_run("SỞ DU LỊCH")]
    [('SỞ', 'DU LỊCH')]
    >>> [(u.head, u.rest) for u in _units_of_run("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG")]
    [('ỦY BAN NHÂN DÂN', 'THÀNH PHỐ HẢI PHÒNG')]
    >>> [(u.head, u.rest, u.inner) for u in _units_of_run("VĂN PHÒNG QUỐC HỘI")]
    [('VĂN PHÒNG', 'QUỐC HỘI', 'QUỐC HỘI')]
    """
    rx = _rx()
    w = header_words()
    compounds = set(w["unit_compounds"])
    joiners = set(w["unit_joiners"])
    found: list[tuple[int, int, bool]] = [(m.start(), m.end(), True) for m in rx["upper_bodies"].finditer(run)]
    places = [m.span() for m in rx["upper_province"].finditer(run)]
    for m in rx["unit_head"].finditer(run):
        if not any(s <= m.start() < e for s, e, _ in found) and not any(a < m.start() < b for a, b in places):
            found.append((m.start(), m.end(), False))
    found.sort()
    units: list[Unit] = []
    spans: list[list[int]] = []  # [head start, head end, end of what belongs to the head] of each unit
    bare = False  # the last unit is a unit head with no name yet
    for s, e, known in found:
        if spans and s < spans[-1][2]:
            continue
        before = run[:s].split()
        prev = before[-1] if before else ""
        if spans:
            if bare and _next_word(run, spans[-1][2]) == s:
                # "CỤC" + "THUẾ", "VĂN PHÒNG" + "QUỐC HỘI": the head's name
                spans[-1][2] = e
                if known:
                    units[-1].inner = run[s:e]
                bare = False
                continue
            if prev in joiners or f"{prev} {run[s:e].split()[0]}" in compounds:
                continue
        chair = rx["chair"].search(run, spans[-1][2] if spans else 0, s) is not None
        units.append(Unit(head=run[s:e], rest="", known=known, chair=chair))
        spans.append([s, e, e])
        bare = not known
    for k, u in enumerate(units):
        nxt = spans[k + 1][0] if k + 1 < len(units) else len(run)
        u.rest = run[spans[k][1]:nxt].strip(" ,-–&")
    return units


def _next_word(s: str, pos: int) -> int:
    while pos < len(s) and s[pos] in " ,-–&":
        pos += 1
    return pos


def _issuer_from_units(units: list[Unit], v: Vocabulary, text: str) -> TopLines:
    """Issuer and places from the units read top down: each names a body below the one above it
    ("UBND HUYỆN X / ỦY BAN NHÂN DÂN XÃ Y", "TỈNH ỦY X / BAN DÂN VẬN", "BỘ TÀI CHÍNH / CỤC THUẾ");
    the lowest is the issuer. A unit no list has is named as the text writes it elsewhere.

    >>> t = _issuer_from_units(_top_units("UBND HUYỆN QUANG THẠNH\\nỦY BAN NHÂN DÂN XÃ LỢI LONG\\n", 0, 60, vocabulary()), vocabulary(), "")
    >>> t.body.name, t.district, t.commune
    ('Ủy ban nhân dân xã', 'Quang Thạnh', 'Lợi Long')
    >>> _issuer_from_units(_top_units("TỈNH ỦY HÒA BÌNH\\nBAN DÂN VẬN\\n*", 0, 30, vocabulary()), vocabulary(), "").body.name
    'Ban Dân vận Tỉnh ủy'
    >>> _issuer_from_units(_top_units("BỘ TÀI CHÍNH CỤC THUẾ", 0, 30, vocabulary()), vocabulary(), "Cục Thuế trả lời").body.name
    'Cục Thuế'
    """
    rx = _rx()
    out = TopLines()
    parent: Body | None = None
    for u in units:
        b = v.body_for_text(u.head) if u.known else None
        rest = u.rest
        own_level: str | None = None
        lm = rx["level_and_name"].match(rest) if rest else None
        if b is not None and rest and lm is None and b.level in ("province", "district", "commune"):
            # "TỈNH ỦY HÒA BÌNH", "ỦY BAN NHÂN DÂN TỈNH BẮC NINH": the name after the body is its place
            printed = next((w for w in _level_words() if u.head.lower().endswith(" " + w)), None)
            _set_place(out, b.level, rest.title(), v, printed)
            own_level = b.level
        elif lm is not None:
            word = _level_of_place(lm.group("lw"), lm.group("name"), v)
            level = {"tỉnh": "province", "huyện": "district"}.get(word) or _level_words().get(word)
            if level:
                _set_place(out, level, lm.group("name").title(), v, lm.group("lw").lower())
                own_level = level
                if b is not None and b.level is None:
                    b = v.body_for_text(f"{b.name} {word}") or b
        if b is None:
            phrase = f"{u.head} {rest}".strip() if not u.known else u.head
            if lm is not None and not u.known:
                phrase = f"{u.head} {lm.group('lw')} {lm.group('name')}" if lm.group(0) == rest else phrase
            written = _written(text, phrase)
            combined = _combine(written, parent, v)
            if combined is not None:
                b = combined
            elif not u.known:
                inner = v.body_for_text(u.inner) if u.inner else None
                level = own_level or (parent.level if parent is not None else inner.level if inner else None)
                system = parent.system if parent is not None else inner.system if inner else "state"
                b = Body(name=written, system=system, level=level, codes=())
        if b is not None:
            parent = b
            out.body = b
            out.chair = u.chair
    return out


def _written(text: str, upper: str) -> str:
    """How the text writes an upper-case name elsewhere ("CỤC THUẾ" -> "Cục Thuế"), else the name in
    lower case after its first letter, with the names it holds written as names: a known body's
    ("VĂN PHÒNG QUỐC HỘI" -> "Văn phòng Quốc hội") and a place after its level word ("Thuế tỉnh
    Vĩnh Long").

    >>> _written("", "VĂN PHÒNG QUỐC HỘI"), _written("", "THUẾ TỈNH VĨNH LONG"), _written("Cục Thuế trả lời", "CỤC THUẾ")
    ('Văn phòng Quốc hội', 'Thuế tỉnh Vĩnh Long', 'Cục Thuế')
    """
    words = upper.split()
    if not words:
        return upper
    # the first word as a name begins ("Cục"), the others in any case: a literal the scan skips to
    pat = startcache.compile(re.escape(words[0][:1] + words[0][1:].lower()) + "".join(
        r"\s+" + "".join(caseless(c) if c.isalpha() else re.escape(c) for c in w) for w in words[1:]) + r"(?![\w])")
    for m in pat.finditer(text):
        if m.start() == 0 or not text[m.start() - 1].isalnum():
            return " ".join(m.group(0).split())
    rx = _rx()
    v = vocabulary()
    out = " ".join(words).lower()
    phrase = " ".join(words)
    for bm in rx["upper_bodies"].finditer(phrase):
        body = v.body_for_text(bm.group(0))
        if body is not None and bm.start() > 0:
            out = out[:bm.start()] + body.name + out[bm.end():]
    lm = rx["level_then_name"].search(phrase)
    if lm is not None:
        out = out[:lm.start("name")] + lm.group("name").title() + out[lm.end("name"):]
    return out[:1].upper() + out[1:]


def _combine(unit: str, parent: Body | None, v: Vocabulary) -> Body | None:
    """A unit printed under its parent ("BAN DÂN VẬN" under "TỈNH ỦY") as one body, or None."""
    if parent is None:
        return None
    tails = [parent.name, " ".join(parent.name.split()[-2:])]
    if parent.level == "central" and parent.system == "party":
        tails.append("Trung ương")
    for tail in tails:
        b = v.body_for_text(f"{unit} {tail}")
        if b is not None:
            return b
    return None


def _set_place(out: TopLines, level: str, name: str, v: Vocabulary, word: str | None = None) -> None:
    """Record a place the issuer's lines name, at its level, with the level word printed before it."""
    if level == "province":
        out.province = v.province(name) or out.province
    elif getattr(out, level) is None:
        setattr(out, level, name)
        if word:
            setattr(out, f"{level}_kind", word)


def _refine(body: Body | None, other: Body | None, v: Vocabulary) -> Body | None:
    """``other`` when it names a body more precisely than ``body`` (same symbol code, not the default)."""
    if other is None:
        return body
    if body is None:
        return other
    if other.name == body.name:
        return body
    if set(other.codes) & set(body.codes) and not other.default and (body.default or body.level is None or other.level == body.level):
        return other
    return body


def _issuer_name(body: Body, chair: bool, ctx: Context) -> str:
    """The issuer as a name: a centrally-run city's bodies by the city's words ("Ủy ban nhân dân
    thành phố", "Thành ủy"), a district's or commune's as its header calls it ("Ủy ban nhân dân
    phường"), a chair before the body it heads ("Chủ tịch Ủy ban nhân dân tỉnh").

    >>> b = vocabulary().body_for_text("Ủy ban nhân dân tỉnh")
    >>> _issuer_name(b, True, Context(province="Hà Nội")), _issuer_name(b, False, Context(province="Bắc Ninh"))
    ('Chủ tịch Ủy ban nhân dân thành phố', 'Ủy ban nhân dân tỉnh')
    >>> _issuer_name(vocabulary().body_for_text("UBND xã"), False, Context(commune="Bến Thành", commune_kind="phường"))
    'Ủy ban nhân dân phường'
    """
    name = body.name
    w = header_words()
    words: dict[str, str] = {}
    if body.level == "province" and ctx.province in _cities():
        words = w["city_words"]
    elif body.level == "district" and ctx.district_kind:
        words = {"huyện": ctx.district_kind}
    elif body.level == "commune" and ctx.commune_kind:
        words = {"xã": ctx.commune_kind}
    for a, b in words.items():
        name = re.sub(rf"(?<![\w]){re.escape(a)}(?![\w])", b, name)
    if chair:
        for role in w["chair_roles"]:
            if body.name in role["bodies"]:
                return f"{role['written']} {name}"
    return name


def _issues_statement(text: str, start: int, end: int, v: Vocabulary) -> tuple[Body, str | None] | None:
    """The body of the first "X ban hành Kế hoạch ..." in ``text[start:end]`` and the province named
    after it. X begins a clause (after ";", ":", ",", "." or ")", or the text's start): a body cited
    ("... của Chính phủ ban hành ...") is no statement of the issuer.

    The verbs are found from their last words (each a literal pattern: the regex engine finds a literal
    faster than ``str.find`` does here); at each, the type word after it is matched, then a verb
    ending there, then the name from the clause's start to the verb.

    >>> _issues_statement("Căn cứ Luật; Ủy ban nhân dân xã ban hành Kế hoạch", 0, 60, vocabulary())[0].name
    'Ủy ban nhân dân xã'
    >>> _issues_statement("Nghị quyết số 1/NQ-CP của Chính phủ ban hành kế hoạch", 0, 60, vocabulary()) is None
    True
    """
    rx = _rx()
    ends: list[int] = []
    for key in _verb_finders():
        k = key.search(text, start, end)
        while k is not None:
            ends.append(k.end())
            k = key.search(text, k.start() + 1, end)
    for q in sorted(ends):
        # the type word first: one try at one offset rules out most ends ("hành chính", "thi hành")
        if rx["issued_type"].match(text, q) is None:
            continue
        vm = rx["issue_verb"].search(text, max(start, q - 40), q)
        if vm is None:
            continue
        lo = max(0, vm.start() - 90)
        p = max(text.rfind(c, lo, vm.start()) for c in ";:,.)")
        if p < 0 and lo > 0:
            continue
        s = p + 1
        while s < vm.start() and text[s].isspace():
            s += 1
        bm = rx["issuer_before"].fullmatch(text, s, vm.start())
        if bm is not None:
            b = v.body_for_text(bm.group("body"))
            if b is not None:
                return b, bm.group("place")
    return None


@lru_cache(maxsize=1)
def _verb_keys() -> tuple[str, ...]:
    """The last words of the issue verbs in each case they are printed in ("hành", "HÀNH", "Hành")."""
    last = {x.split()[-1] for x in header_words()["issue_verbs"]}
    return tuple(sorted({f(w) for w in last for f in (str.lower, str.upper, str.capitalize)}))


@lru_cache(maxsize=1)
def _verb_finders() -> tuple[re.Pattern[str], ...]:
    """:func:`_verb_keys` as patterns of those literals."""
    return tuple(startcache.compile(re.escape(k)) for k in _verb_keys())


def _on_behalf_of(role: str | None, body: Body | None, v: Vocabulary) -> Body | None:
    """The collective a signature signs for ("T/M BAN THƯỜNG VỤ", "TM. BỘ CHÍNH TRỊ"), or None."""
    if not role:
        return None
    m = _ON_BEHALF.match(role)
    if not m:
        return None
    unit = m.group(1).strip()
    found = v.body_for_text(unit)
    if found is not None and found.level is not None:
        return found
    return _combine(unit.title(), body, v)


# ------------------------------------------------------------------------------------------ places

def _places(text: str, ctx: Context, v: Vocabulary) -> None:
    """Fill the province, district and commune of the context from the places the text names.

    A name after "tỉnh"/"thành phố" counts three times a bare one; names that are also people's
    (``needs_marker`` in places.json, e.g. Hồ Chí Minh) count only after a marker. For a district or
    commune, the body's own name ("UBND xã Minh Tâm") wins over the most frequent one.
    """
    rx = _rx()
    if ctx.province is None:
        counts: Counter[str] = Counter()
        for m in _province_matches(text):
            name = v.province(m.group("p"))
            before = text[_back(text, m.start(), 12):m.start()].lower()
            marked = bool(_PLACE_MARKER_END.search(before))
            if name and (marked or not _needs_marker(name)):
                counts[name] += 3 if marked else 1
        if counts:
            ctx.province = counts.most_common(1)[0][0]
    for level, key in (("district", "district"), ("commune", "commune")):
        if ctx.level not in (("district", "commune") if level == "district" else ("commune",)) \
                or getattr(ctx, level) is not None:
            continue  # not needed, or already named by the header
        own: Counter[str] = Counter()
        names: Counter[str] = Counter()
        for m in rx[key].finditer(text):
            n = _proper_words(m.group("n"))
            if n:
                (own if m.group("own") else names)[n] += 1
        pick = own or names
        if pick:
            setattr(ctx, level, pick.most_common(1)[0][0])


def _proper_words(raw_name: str) -> str | None:
    """Keep the leading capitalised words of a place name ("Hớn Quản năm 2024" -> "Hớn Quản")."""
    out = []
    for w in raw_name.split():
        if w[0].isupper() and not _ROMAN_WORD.fullmatch(w) and w.upper() != w or (w[0].isupper() and len(w) > 1 and not w.isupper()):
            out.append(w)
        else:
            break
    return " ".join(out) or None


def _province_matches(text: str) -> list[re.Match[str]]:
    """``list(_rx()["province"].finditer(text))`` (see :func:`_word_matches`).

    >>> [m.group("p") for m in _province_matches("Tỉnh Quảng Nam, tp. Hồ Chí Minh; BHồ Chí Minh, Huế")]
    ['Quảng Nam', 'Hồ Chí Minh', 'Huế']
    """
    return list(_word_matches("province", text))


@lru_cache(maxsize=1)
def _marker_names() -> frozenset[str]:
    return frozenset(p["name"] for p in vocabulary().provinces if p.get("needs_marker"))


def _needs_marker(name: str) -> bool:
    return name in _marker_names()


# ------------------------------------------------------------------------------------------ end of text

# a signature block: the signer's name, the role above it, the name's span, where the block starts
Signature = tuple[Optional[str], Optional[str], Optional[tuple[int, int]], int]


Consolidation = tuple[Optional[Mention], Optional[str], Optional[str], list["Unit"], int]


def _consolidation(text: str, start: int, numbered: list[Mention] | None, v: Vocabulary) -> Consolidation | None:
    """A consolidated text's authentication block ("BỘ TÀI CHÍNH / Số: 22/VBHN-BTC / XÁC THỰC VĂN BẢN
    HỢP NHẤT / Hà Nội, ngày 29 tháng 5 năm 2020 / KT. BỘ TRƯỞNG ..."): its symbol, date, place, the
    issuer's units above it and where the block's mark ends (the signature follows it); None without one."""
    rx = _rx()
    mark = None
    for head in {x.split()[0] for x in header_words()["consolidation_marks"]}:
        i = text.rfind(head, max(start, 0))
        while i >= 0 and mark is None:
            mark = rx["consolidation"].match(text, i)
            i = text.rfind(head, max(start, 0), i)
    if mark is None:
        return None
    lo = max(start, mark.start() - 400)
    hi = min(len(text), mark.end() + 300)
    sym = _own_symbol(text, lo, hi, numbered, v)
    m = sym[0] if sym is not None and sym[0].type_code == "VBHN" else None
    pd = _place_date(text, mark.end(), hi, v) or _place_date(text, lo, hi, v)
    unit_end = sym[1] if m is not None and sym is not None and sym[1] < mark.start() else mark.start()
    # the issuer's name is the upper-case run right above the block ("VĂN PHÒNG QUỐC HỘI / Số: ...")
    runs = _upper_runs(text, lo, unit_end)
    units = _units_of_run(runs[-1]) if runs else []
    return m, pd[0] if pd else None, pd[1] if pd else None, units, mark.end()


def _signature(text: str, start: int, after: int | None) -> Signature | None:
    """The signature block: ``(name, role, name span, start)`` of the first block after ``start`` (after a
    consolidated text's authentication mark ``after`` when there is one). A block is an upper-case
    role ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH ...") and/or a web copy's
    "(Đã ký)", then a person's name; a role and "(đã ký)" without a name give the role only.

    A signature is printed near the body's end: it is looked for from a little before the first
    "./.", "Nơi nhận" or appendix (``body_ends`` in header.json), not through the whole body.

    >>> _signature("Nơi nhận: - Lưu: VT, HCC. KT. CHỦ TỊCH\\nPHÓ CHỦ TỊCH\\nMai Sơn\\nPHỤ LỤC", 0, None)[:2]
    ('Mai Sơn', 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH')
    >>> _signature("- Lưu: VT, NC (02). MC |\\n( Đã ký) Lê Thành Long |", 0, None)[:2]
    ('Lê Thành Long', None)
    """
    pos = start if after is None else after
    if after is None:
        end = _body_end(text, pos)
        if end >= 0:
            pos = max(pos, end - 1500)
    role_only: Signature | None = None
    for at in _sign_starts(text, pos):
        got = _block_at(text, at)
        if got is None:
            continue
        if got[0] is not None:
            return got
        if role_only is None:
            role_only = got
    return role_only


def _body_end(text: str, pos: int) -> int:
    """Where the first mark of a body's end (``body_ends``) is after ``pos``, or -1: what
    ``_rx()["body_end"].search(text, pos)`` finds, tried only where a mark's first word is.

    Each mark begins with a literal word ("./.", "Nơi", "chịu", "(Ban", "Kèm" and "(Kèm" found as
    "Kèm": :func:`_body_end_words`), which the regex engine finds fast on its own, while the
    alternation of the marks sends it to a try at each of their first letters. The pattern looks at
    nothing before its match, so the first place it matches at is the search's: each word is looked
    for only where it gives a place before the best one found so far (a place where the pattern
    matches starts with one of the words, or holds it at one of its offsets).

    >>> t = "chịu trách nhiệm; Nơi ở; Kèm theo X. Nơi nhận: - Lưu"
    >>> _body_end(t, 0), _body_end(t, 26), _rx()["body_end"].search(t, 26).start()
    (25, 37, 37)
    >>> t = "(Kèm; Kèm theo ./."
    >>> [_body_end(t, p) for p in range(len(t) + 1)] == [(lambda m: m.start() if m else -1)(
    ...     _rx()["body_end"].search(t, p)) for p in range(len(t) + 1)]
    True
    """
    exact = _rx()["body_end"]
    words = _body_end_words()
    if words is None:
        m = exact.search(text, pos)
        return m.start() if m else -1
    match = exact.match
    best = -1
    for word, size, offsets in words:
        # a place before ``best`` comes from a word that ends before ``best + offset + size``
        reach = offsets[0] + size - 1
        w = word.search(text, pos, len(text) if best < 0 else best + reach)
        while w is not None:
            at = w.start()
            for o in offsets:  # the places from this word, in order
                c = at - o
                if c >= pos and (best < 0 or c < best) and match(text, c) is not None:
                    best = c
                    break
            w = word.search(text, at + 1, len(text) if best < 0 else best + reach)
    return best


@lru_cache(maxsize=1)
def _body_end_words() -> tuple[tuple[re.Pattern[str], int, tuple[int, ...]], ...] | None:
    """The first word of each mark of a body's end as a pattern of that literal, its length and where
    the marks it is found for start before it (largest first: "(Kèm" is found as "Kèm", one before);
    None when a mark's pattern does not begin with its first word as it is written.

    >>> [(w.pattern, size, offsets) for w, size, offsets in _body_end_words()][1:]
    [('Nơi', 3, (0,)), ('Kèm', 3, (1, 0)), ('chịu', 4, (0,)), ('\\\\(Ban', 4, (0,))]
    """
    words: list[str] = []
    for phrase in header_words()["body_ends"]:
        word = phrase.split()[0]
        if "-" in word or "," in word or not words_pattern(phrase).startswith(re.escape(word)):
            return None
        words.append(word)
    found: dict[str, set[int]] = {}
    for word in sorted(dict.fromkeys(words), key=len):
        # a word holding one kept already is found as that one
        inner = next((k for k in found if k in word), None)
        if inner is None:
            found[word] = {0}
        else:
            found[inner].add(word.index(inner))
    return tuple((startcache.compile(re.escape(w)), len(w), tuple(sorted(offs, reverse=True)))
                 for w, offs in found.items())


def _sign_starts(text: str, pos: int) -> Iterator[int]:
    """Places where a signature block may begin, in order: a role's first word (after a blank, a
    bracket or a table's pipe) or a signed mark ("(Đã ký)"); one that overlaps the place before it
    is none.

    The roles and the marks are two scans, merged by where they start (a role begins with a letter, a
    mark with its "(": never at one place). The marks are looked for only up to the role at hand, from
    each "(" (``str.find``): a mark is found where ``finditer`` finds it (the pattern begins with "("
    and looks at nothing before it), and the text after the block a caller takes is not read.

    >>> t = "Lưu: VT. (Đã ký) KT. CHỦ TỊCH (đã ký) Mai Sơn"
    >>> [t[i:i + 4] for i in _sign_starts(t, 0)]
    ['(Đã ', 'KT. ', 'CHỦ ', '(đã ']
    """
    rx = _rx()
    mark = rx["signed_mark"].match
    n = len(text)
    last_end = -1
    p = pos  # the marks that start before p are given
    for m in rx["sign_start"].finditer(text, pos):
        a, b = m.span()
        if a > 0 and text[a - 1] not in " \t\r\n|*_(":
            continue
        # a whole word ("TM6." is no "TM"), but "KT.THỐNG ĐỐC" may glue a prefix to its role
        if b < n and text[b].isalnum() and text[b - 1] != ".":
            continue
        i = text.find("(", p, a)
        while i >= 0:
            mk = mark(text, i)
            if mk is None:
                i = text.find("(", i + 1, a)
                continue
            p = mk.end()
            if i >= last_end:
                last_end = p
                yield i
            i = text.find("(", p, a)
        p = max(p, a)
        if a >= last_end:
            last_end = b
            yield a
    for mk in rx["signed_mark"].finditer(text, p):
        if mk.start() >= last_end:
            last_end = mk.end()
            yield mk.start()


def _block_at(text: str, pos: int) -> Signature | None:
    """The signature block beginning at ``pos``: its role run (upper-case words), an optional signed
    mark, then the name (``_person_name``). None when neither a role nor a mark is there."""
    rx = _rx()
    role_words: list[str] = []
    p = pos
    n = len(text)
    signed = False
    while p < n:
        while p < n and text[p] in " \t\r\n|*_":
            p += 1
        mk = rx["signed_mark"].match(text, p)
        if mk is not None:
            signed = True
            p = mk.end()
            continue
        q = p
        while q < n and not text[q].isspace() and text[q] not in "|*":
            q += 1
        tok = text[p:q]
        if not tok:
            break
        if _upper_word(tok.strip(",.;:")) or tok in ("-", "&", ",") or (tok.endswith(".") and tok[:-1].isupper()):
            if signed:
                break
            role_words.append(tok)
            p = q
            continue
        break
    if not role_words and not signed:
        return None
    name_span = _person_name(text, p)
    role = " ".join(role_words).strip(" ,-&") or None
    if role is not None:
        role = _split_role(role)
    if name_span is None:
        # a role with no name: a web copy's "CHỦ TỊCH (Đã ký)" or "TM. ..." (a form's "THỦ TRƯỞNG ĐƠN VỊ" is none)
        prefixed = role is not None and _starts_with(role.split(), 0, _role_heads()[0]) > 0
        return (None, role, None, pos) if role and (signed or prefixed) else None
    return " ".join(text[name_span[0]:name_span[1]].split()), role, name_span, pos


@lru_cache(maxsize=1)
def _role_heads() -> tuple[dict[str, list[list[str]]], dict[str, list[list[str]]], dict[str, list[list[str]]]]:
    """The signature prefixes, role words and upper-case body names as word lists, by first word,
    longest first."""
    w = header_words()
    v = vocabulary()

    def by_first(phrases: list[str]) -> dict[str, list[list[str]]]:
        out: dict[str, list[list[str]]] = {}
        for p in sorted({p for p in phrases}, key=lambda x: -len(x.split())):
            out.setdefault(p.split()[0], []).append(p.split())
        return out

    return (by_first(w["signature_prefixes"]), by_first(w["signature_roles"]),
            by_first([a.upper() for a in v.body_aliases()]))


def _starts_with(words: list[str], i: int, heads: dict[str, list[list[str]]]) -> int:
    """How many words of the first of ``heads`` that ``words[i:]`` begins with (0 for none)."""
    for hd in heads.get(words[i], ()) if i < len(words) else ():
        if words[i:i + len(hd)] == hd:
            return len(hd)
    return 0


def _split_role(role: str) -> str | None:
    """A role run as a signature prints its lines, " / " between them ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ
    TỊCH / PHÓ CHỦ TỊCH"): a line begins at each prefix (KT., TM., T/M ...) and at each role word not
    right after a prefix or a comma; a prefix's line holds the body it signs for ("T/M BAN BÍ THƯ").
    Prefixes right before another prefix ("Lưu: VT, KT." above "TM. ...") are dropped.

    >>> _split_role("KT. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH")
    'TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH'
    >>> _split_role("T/M BAN BÍ THƯ"), _split_role("KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM")
    ('T/M BAN BÍ THƯ', 'KT. BỘ TRƯỞNG, CHỦ NHIỆM / PHÓ CHỦ NHIỆM')
    """
    prefixes, roles, bodies = _role_heads()
    words: list[str] = []
    for tok in role.split():
        # "KT.THỐNG ĐỐC": a prefix glued to the role
        k = tok.find(".")
        if 0 < k < len(tok) - 1 and [tok[:k + 1]] in prefixes.get(tok[:k + 1], ()):
            words += [tok[:k + 1], tok[k + 1:]]
        else:
            words.append(tok)
    while len(words) > 1 and _starts_with(words, 0, prefixes) and _starts_with(words, _starts_with(words, 0, prefixes), prefixes):
        words = words[_starts_with(words, 0, prefixes):]
    lines: list[list[str]] = []
    i = 0
    after_prefix = False
    while i < len(words):
        k = _starts_with(words, i, prefixes)
        if k:
            lines.append(words[i:i + k])
            i += k
            b = _starts_with(words, i, bodies)
            if b:
                lines[-1] += words[i:i + b]
                i += b
                after_prefix = False
            else:
                after_prefix = True
            continue
        r = _starts_with(words, i, roles)
        if r:
            if lines and not after_prefix and not lines[-1][-1].endswith(","):
                lines.append([])
            elif not lines:
                lines.append([])
            lines[-1] += words[i:i + r]
            i += r
            after_prefix = False
            continue
        if not lines:
            lines.append([])
        lines[-1].append(words[i])
        i += 1
        after_prefix = False
    out = " / ".join(" ".join(x) for x in lines if x).strip(" ,-&/")
    return out or None


def _person_name(text: str, pos: int) -> tuple[int, int] | None:
    """The span of a person's name at ``pos``: two to four capitalised words of at most seven letters
    (a Vietnamese syllable; "Phạm Thị Minh Hiền"), ending before a word that never continues a name
    ("Phụ lục", "Nơi nhận") or one that begins a phrase ("Thông tư ...").

    >>> t = "Cao Anh Tuấn Thông tư 110/2025/TT-BTC"
    >>> t[slice(*_person_name(t, 0))]
    'Cao Anh Tuấn'
    """
    n = len(text)
    p = pos
    while p < n and text[p] in " \t\r\n|*_":
        p += 1
    rk = _rx()["rank"].match(text, p)
    if rk is not None:
        p = rk.end()
    words: list[tuple[int, int]] = []
    q = p
    while len(words) < _NAME_WORDS:
        while q < n and text[q] in " \t\r\n":
            q += 1
        e = q
        while e < n and (text[e].isalpha()):
            e += 1
        w = text[q:e]
        if not w or len(w) > 7 or not (w[0].isupper() and (len(w) == 1 or w[1:].islower())):
            break
        if words and w in _name_stops():
            break
        if not words and w in _name_stops():
            return None
        words.append((q, e))
        q = e
        if q < n and not text[q].isspace() and text[q] not in "|*,.;":
            return None
    if len(words) > 2:
        # "Cao Anh Tuấn / Thông tư 110/2025/TT-BTC ...": a word followed by one in lower case begins a phrase
        nxt = text[words[-1][1]:words[-1][1] + 30].split()
        if nxt and nxt[0][:1].islower():
            words.pop()
    if len(words) < 2:
        return None
    return words[0][0], words[-1][1]


def _name_at_end(text: str, start: int) -> Signature | None:
    """A signer's name that ends the text with no role above it ("... (Số 107/2024- UBND tỉnh)
    Nguyễn Kim Long"): two to four capitalised words after ``start``, the first a family name, after a
    closing bracket or punctuation.

    >>> _name_at_end("- Lưu: VT.\\n\\nNguyễn Kim Long\\n", 0)[0]
    'Nguyễn Kim Long'
    >>> _name_at_end("tại Thành phố Hà Nội", 0) is None
    True
    """
    tail = text[max(start, len(text) - 200):].rstrip(" \t\r\n|*_")
    base = len(text) - len(text[max(start, len(text) - 200):])
    toks = list(_TOKEN.finditer(tail))
    surnames = _surnames()
    for k in range(min(_NAME_WORDS, len(toks)), 1, -1):
        first = toks[len(toks) - k]
        span = _person_name(text, base + first.start())
        prev = toks[len(toks) - k - 1].group() if len(toks) > k else ""
        if span is not None and span[1] == base + toks[-1].end() and first.group() in surnames \
                and prev[-1:] in ").;:|" and not vocabulary().province(text[span[0]:span[1]]):
            return " ".join(text[span[0]:span[1]].split()), None, span, span[0]
    return None


@lru_cache(maxsize=1)
def _surnames() -> frozenset[str]:
    return frozenset(header_words()["surnames"])


def _recipients_line(text: str) -> re.Match[str] | None:
    """``_RECIPIENTS.search(text)``: the first "Nơi nhận:". The pattern begins with the literal "Nơi",
    which the regex engine finds itself, faster than a scan for its "ơ" in Python (that character is
    frequent: "nơi", "hơn", "cơ quan").

    >>> _recipients_line("Nơ, nơi nhận; Nơi\\nnhận:").span()
    (14, 23)
    """
    return _RECIPIENTS.search(text)


def _bullet_split(region: str) -> list[str]:
    """``_BULLET.split(region)``, found from the bullets' own characters (``_BULLET_MARK``).

    The look-behinds the pattern begins with make the engine try it at every offset. A match is a
    bullet character with a blank after it, and the whole run of blanks (``_BULLET_BLANKS``) right
    before the bullet: the pattern's blanks are greedy and a bullet is no blank. It starts where that
    run does, and only when the run begins the region or follows what ends an item (``_BULLET_AFTER``):
    a place inside the run has a blank right before it and, two before it, a blank or the character
    the run follows. The runs of two bullets never overlap, so these matches are those ``split`` finds.

    >>> ts = ["Nơi nhận:\\n- Như Điều 3;\\n- Vụ Pháp chế - Bộ Tài chính;\\n+ LĐVP, TH;\\n- Lưu: VT", " - a; * _ - b",
    ...       "- a,- b; -c; •\\td.\\n\\n- e", "x - y", ";-", "; - ", "", ") \\t- z", "a;\\n*\\n+ b:- c"]
    >>> all(_bullet_split(t) == _BULLET.split(t) for t in ts)
    True
    """
    pieces: list[str] = []
    last = 0
    for bm in _BULLET_MARK.finditer(region):
        b = bm.start()
        r = b
        while r > 0 and region[r - 1] in _BULLET_BLANKS:
            r -= 1
        if r == 0 or region[r - 1] in _BULLET_AFTER:
            pieces.append(region[last:r])
            last = b + 1
    pieces.append(region[last:])
    return pieces


def _recipients(text: str, stop: int | None = None) -> list[str]:
    """The recipients after "Nơi nhận:": its bullets ("-", "+", "•" at the list's start or after the
    ";", ",", ".", ":" or ")" that ends an item: a spaced hyphen inside an item, "Vụ Pháp chế - Bộ Tài
    chính", is none), up to the archive's item ("Lưu: VT, ..."), the signature block (``stop``) or a
    table's pipe. Read as a run of words: the same list however the lines are wrapped.

    >>> _recipients("Nơi nhận:\\n- Như Điều 3;\\n- Vụ Pháp chế - Bộ Tài chính;\\n+ LĐVP, TH;\\n- Lưu: VT, KTTH. TM. ỦY BAN")
    ['Như Điều 3', 'Vụ Pháp chế - Bộ Tài chính', 'LĐVP, TH', 'Lưu: VT, KTTH']
    """
    m = _recipients_line(text)
    if not m:
        return []
    end = min(len(text), m.end() + 3000)
    if stop is not None and m.end() < stop < end:
        end = stop
    pipe = text.find("|", m.end(), end)
    if pipe >= 0:
        end = pipe
    region = text[m.end():end]
    out: list[str] = []
    for piece in _bullet_split(region)[1:]:
        item = " ".join(piece.split()).strip(" ;,.*_")
        if not item:
            continue
        if item.startswith("Lưu"):
            # the archive's item ends the list: "Lưu: VT, KTTH" before what follows it
            cut = re.search(r"\.\s|\.$", item)
            out.append((item[:cut.start()] if cut else item[:60]).rstrip(" ;,."))
            break
        out.append(item[:200])
    return out
