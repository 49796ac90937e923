"""The citing document's own header: type, symbol, place and date, issuer, jurisdiction, title, signer.

Everything is read from the text; a part the text does not give is None, never guessed.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from citegraph.text.dates import iso
from citegraph.extraction.find import SYMBOL_RE, Mention, canonical_symbol, find_numbered
from citegraph.extraction.models import Header
from citegraph.text.vocab import Body, Prefiltered, Vocabulary, caseless, factored, vocabulary, words_pattern

# compiled once (re.search(str, ...) looks the pattern up in re's cache on every call)
_ROMAN_WORD = re.compile(r"[IVXL]+")
_PLACE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|TP\.?)\s+", re.I)
_PARA_BREAK = re.compile(r"\n[ \t*_]*\n(?=[\s*_]*\S)")
_BLANK_LINE_FIRST = re.compile(r"[ \t*_]*\n[ \t*_]*\n")
_SO_LINE = re.compile(r"SỐ\b")
_LEVEL_WORD_FIRST = re.compile(r"(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\b")
_LEVEL_AND_NAME = re.compile(r"(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)$")
_PLACE_MARKER_END = re.compile(r"(?:tỉnh|thành phố|tp\.?)\s*$")
_ON_BEHALF = re.compile(r"(?:T/M|TM\.?|THAY MẶT)\s+(.+?)(?:\s*/|$)")
_WS_RUN = re.compile(r"\s+")
_RECIPIENTS = re.compile(r"Nơi\s+nhận\s*:?")

_HEAD_LINES = 40
_ROLE_WORDS = re.compile(
    r"^(?:KT\.|TM\.|T/M|Q\.|TL\.|TUQ\.|K/T|CHỦ TỊCH|PHÓ CHỦ TỊCH|TRƯỞNG BAN|PHÓ TRƯỞNG BAN|BÍ THƯ|PHÓ BÍ THƯ|"
    r"GIÁM ĐỐC|PHÓ GIÁM ĐỐC|CHÁNH VĂN PHÒNG|PHÓ CHÁNH VĂN PHÒNG|TRƯỞNG PHÒNG|THỦ TRƯỞNG|BỘ TRƯỞNG|THỨ TRƯỞNG|"
    r"THỦ TƯỚNG|PHÓ THỦ TƯỚNG|ỦY BAN NHÂN DÂN|BAN THƯỜNG VỤ|BAN CHẤP HÀNH|ĐẢNG ỦY|TỈNH ỦY|HUYỆN ỦY|VĂN PHÒNG)")


@dataclass
class Context:
    """What the header tells about where the document sits, used to resolve its references."""

    province: str | None = None
    district: str | None = None
    commune: str | None = None
    level: str | None = None
    year: int | None = None
    date: str | None = None

    def jurisdiction(self, level: str | None) -> str | None:
        """Jurisdiction string for a body of ``level`` in this context (None when the place is unknown)."""
        if level == "central":
            return "central"
        prov = f"tỉnh {self.province}" if self.province else None
        if level == "province":
            return prov
        if level == "district":
            if not self.district:
                return None
            return ", ".join(p for p in (f"huyện {self.district}", prov) if p)
        if level == "commune":
            if not self.commune:
                return None
            return ", ".join(p for p in (f"xã {self.commune}", f"huyện {self.district}" if self.district else None, prov) if p)
        return None


# "X ban hành Kế hoạch ...": the verb and type word after the issuer's name
_ISSUE_VERBS = ("ban hành", "xây dựng", "triển khai xây dựng")
_ISSUE_VERB = "(?:" + "|".join(map(words_pattern, _ISSUE_VERBS)) + r")\s+(?:{types})(?![\w])"


def context_of(h: Header) -> Context:
    """The context a header gives its references (for a later segment of the same document)."""
    return Context(province=h.province, district=h.district, commune=h.commune, level=h.level,
                   year=int(h.date[:4]) if h.date else None, date=h.date)


@lru_cache(maxsize=1)
def _rx(vocab_id: int = 0) -> dict[str, Any]:
    v = vocabulary()
    types_upper = "|".join(words_pattern(w.upper()) for w in v.type_words())
    bodies = "|".join(words_pattern(a) for a in v.body_aliases())
    prov = factored([words_pattern(p) for p in v.province_names()])
    # the same alternations grouped by first letter, for the IGNORECASE patterns (see vocab.factored)
    bodies_i = factored([words_pattern(a) for a in v.body_aliases()], re.IGNORECASE)
    prov_i = factored([words_pattern(p) for p in v.province_names()], re.IGNORECASE)
    upper_bodies = factored([words_pattern(a.upper()) for a in v.body_aliases()])
    return {
        "type_line": re.compile(rf"^[ \t*#_]*(?P<t>{types_upper})(?P<rest>(?:[ \t]+[A-ZĐÀ-Ỹ]+)*)[ \t*_]*$", re.MULTILINE),
        "symbol_line": re.compile(r"^[ \t*]*Số[ \t]*[:.]?[ \t]*(?=\d)", re.MULTILINE),
        "place_date": re.compile(
            r"^[ \t*]*(?P<place>[^\n,]{2,40}?)[ \t]*,[ \t]*ngày[ \t]+(?P<d>\d{1,2})[ \t]+tháng[ \t]+(?P<m>\d{1,2})"
            r"[ \t]+năm[ \t]+(?P<y>(?:19|20)\d\d)", re.MULTILINE | re.IGNORECASE),
        "issues": re.compile(rf"(?P<body>{bodies_i})(?:\s+(?P<place>{prov_i}))?\s+"
                             + _ISSUE_VERB.format(types="|".join(words_pattern(w) for w in v.type_words())), re.IGNORECASE),
        "closing": re.compile(
            rf"(?:[Kk]ế\s+hoạch|[Qq]uyết\s+định|[Cc]hương\s+trình|[Hh]ướng\s+dẫn|văn\s+bản)[^.;\n]{{0,200}}?\s+của\s+"
            rf"(?P<body>{bodies_i})(?P<tail>[^\n./]{{0,40}})\s*\./\.", re.IGNORECASE),
        # the look-behinds make a plain scan try every offset: try these only where their head matches
        "province": Prefiltered(re.compile(rf"(?<![\w])(?P<p>{prov})(?![\w])"), re.compile(prov)),
        "upper_bodies": Prefiltered(re.compile(rf"(?<![\w])(?:{upper_bodies})(?![\w])"), re.compile(upper_bodies)),
        "district": Prefiltered(re.compile(r"(?<![\w])(?P<own>(?:UBND|Ủy\s+ban\s+nhân\s+dân)[ \t]+)?(?P<k>huyện|quận|thị[ \t]+xã)[ \t]+(?P<n>(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:[ \t]+)?){1,3})"),
                                heads=("UBND", "Ủy", "huyện", "quận", "thị")),
        "commune": Prefiltered(re.compile(r"(?<![\w])(?P<own>(?:UBND|Ủy\s+ban\s+nhân\s+dân)[ \t]+)?(?P<k>xã|phường|thị[ \t]+trấn)[ \t]+(?P<n>(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:[ \t]+)?){1,3})"),
                               heads=("UBND", "Ủy", "xã", "phường", "thị")),
    }


@lru_cache(maxsize=1)
def _issue_barriers() -> str:
    """Characters no "issues" match has before its verb: digits and punctuation that no body alias
    or province name holds (the part before the verb is names, whitespace, hyphens and commas)."""
    v = vocabulary()
    used = set("".join(v.body_aliases()) + "".join(v.province_names()))
    used |= {c.upper() for c in used} | {c.lower() for c in used} | {"-", ","}
    return "".join(c for c in "0123456789.;:()[]/\\\"'“”!?" if c not in used)


@lru_cache(maxsize=1)
def _issue_run() -> re.Pattern[str]:
    """A run of characters that are no barrier (see :func:`_issue_barriers`)."""
    return re.compile("[^" + re.escape(_issue_barriers()) + "]*")


def _backwards(phrase: str) -> str:
    """``words_pattern(phrase)`` read backwards: it matches the reversals of what that matches (the
    words and their letters in reverse order, "\\s*," as ",\\s*").

    >>> re.fullmatch(_backwards("Bà Rịa-Vũng Tàu, X"), "X ,uàT gnũV - aịR  àB") is not None
    True
    """
    words = re.split(r"\s+", phrase.strip())
    return r"\s+".join("".join(r"\s*-\s*" if c == "-" else r",\s*" if c == "," else re.escape(c) for c in reversed(w))
                       for w in reversed(words))


@lru_cache(maxsize=1)
def _issuer_before_verb() -> re.Pattern[str]:
    """What comes before the verb in an "issues" match (blanks, maybe a province's name, a body's
    name), matched on the text before the verb read backwards (``text[p - 1::-1]``).

    ``(?:bodies)(?:\\s+(?:provinces))?\\s+`` read backwards: IGNORECASE matches letter by letter, so
    it matches a string just when the "issues" pattern's part before the verb matches its reversal.
    Matched at the start of the reversed text, it tells whether that part can end right before the
    verb, with one try (searched forwards, the part before the verb is tried at every offset).

    >>> bool(_issuer_before_verb().match(" nâd nâhn nab yỦ ,8")), bool(_issuer_before_verb().match(" nab yỦ ,8"))
    (True, False)
    """
    v = vocabulary()
    bodies = "|".join(_backwards(a) for a in v.body_aliases())
    prov = "|".join(_backwards(p) for p in v.province_names())
    return re.compile(rf"\s+(?:(?:{prov})\s+)?(?:{bodies})", re.IGNORECASE)


Row = tuple[str, int, list[str], list[int], re.Pattern[str]]


def _keyed(phrase: str) -> list[Row]:
    """Where ``caseless(phrase)`` is found from: one letter of its last word, its key (the first one
    outside ASCII, e.g. "à" of "hành"), rarer in Vietnamese than most first letters.

    For each character ``c`` the key matches ("à", "À"), a row ``(c, k, classes, lengths, pattern)``:
    ``k`` the key's place in the last word, ``classes`` the characters each letter of the last word
    matches, ``lengths`` the lengths of the words before it (the nearest first), ``pattern`` the
    compiled ``caseless(phrase)``.

    >>> [row[:4] for row in _keyed("ban hành")]
    [('À', 1, ['Hh', 'Àà', 'Nn', 'Hh'], [3]), ('à', 1, ['Hh', 'Àà', 'Nn', 'Hh'], [3])]
    """
    words = phrase.split()
    # caseless: each letter a class "[..]" of the characters (one each) that match it
    if not all(c.isalpha() for c in "".join(words)) or \
            caseless(phrase) != r"\s+".join("".join(caseless(c) for c in w) for w in words):
        raise ValueError(f"not made of letters: {phrase!r}")
    classes = [caseless(c)[1:-1] for c in words[-1]]
    k = next(i for i, c in enumerate(words[-1]) if not c.isascii())
    lengths = [len(w) for w in reversed(words[:-1])]
    pattern = re.compile(caseless(phrase))
    return [(c, k, classes, lengths, pattern) for c in classes[k]]


@lru_cache(maxsize=1)
def _verb_keys() -> list[Row]:
    """The rows of :func:`_keyed` of each verb of ``_ISSUE_VERBS``. No letter of a verb before its
    key matches a key (see :func:`_issues_search`).

    >>> [row[:4] for row in _verb_keys() if row[0] == "à"]
    [('à', 1, ['Hh', 'Àà', 'Nn', 'Hh'], [3])]
    """
    rows: list[Row] = []
    before_key = ""
    for verb in _ISSUE_VERBS:
        own = _keyed(verb)
        letters = "".join(verb.split())
        before_key += "".join(caseless(c)[1:-1] for c in letters[:len(letters) - len(own[0][2]) + own[0][1]])
        rows += own
    if any(row[0] in before_key or row[0].isspace() for row in rows):
        raise ValueError("an issue verb's letter before its key matches a key")
    return rows


def _keyed_start(text: str, q: int, k: int, classes: list[str], lengths: list[int], endpos: int) -> int:
    """Where a phrase whose key is at ``q`` starts (see :func:`_keyed`), or -1 when its last word
    is not there or the words before it cannot be.

    Each letter of the phrase matches one character, its words are separated by runs of blanks, and a
    word begins and ends with a letter: so a match with its key at ``q`` starts ``k`` characters
    back, then for each word before the last, a run of blanks back and the word's length back.

    >>> t = "ban  hành, TRIỂN KHAI\\nXÂY DỰNG"
    >>> [t[_keyed_start(t, t.index(c), *row[1:4], len(t)):] for row in _verb_keys() for c in "àỰ" if row[0] == c]
    ['ban  hành, TRIỂN KHAI\\nXÂY DỰNG', 'XÂY DỰNG', 'TRIỂN KHAI\\nXÂY DỰNG']
    """
    p = q - k
    if p < 0 or p + len(classes) > endpos:
        return -1
    for i in range(len(classes)):
        if text[p + i] not in classes[i]:
            return -1
    for n in lengths:
        j = p
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j == p or j < n:
            return -1  # no blank before the word, or no room for the word before
        p = j - n
    return p


def _issues_search(text: str, endpos: int) -> re.Match[str] | None:
    """``_rx()["issues"].search(text, 0, endpos)``, with the scan started where a match could begin.

    Every match holds the verb ("ban hành ...") right after a body's name (and a province's), none
    holding a barrier character (see :func:`_issue_barriers`). So the places where a verb matches
    are tried in turn, and the search starts after the last barrier before the first verb that a
    body's name ends right before (none: no match): no match starts before it.

    The verbs are found from their keys (see :func:`_verb_keys`), with ``str.find``, in the order of
    their keys: that is the order of the verbs' starts. For two verbs starting at ``p1 < p2`` with
    keys at ``q1`` and ``q2``: were ``q2 < q1``, the character at ``q2`` would lie in the first verb
    before its key, not blank (a key is a letter), so a letter before the key that matches a key,
    which no verb has. Verbs with the same key are tried in the order of their starts. Places found
    twice are tried twice, with the same outcome. Whether a body's name ends right before the verb
    is matched on the text before it read backwards (see :func:`_issuer_before_verb`): the names
    hold no barrier, so the part before the verb never reaches back past the last barrier.
    """
    rows = _verb_keys()
    keys: list[str] = []
    for row in rows:
        if row[0] not in keys:
            keys.append(row[0])
    nxt = [text.find(c, 0, endpos) for c in keys]
    before = _issuer_before_verb().match
    while True:
        q = -1
        at = 0
        for i in range(len(nxt)):
            if nxt[i] >= 0 and (q < 0 or nxt[i] < q):
                q, at = nxt[i], i
        if q < 0:
            return None
        key = keys[at]
        nxt[at] = text.find(key, q + 1, endpos)
        starts: list[int] = []
        for c, k, classes, lengths, verb in rows:
            if c == key:
                p = _keyed_start(text, q, k, classes, lengths, endpos)
                if p >= 0 and verb.match(text, p, endpos) is not None:
                    starts.append(p)
        if len(starts) > 1:
            starts.sort()
        for p in starts:
            back = text[p - 1::-1] if p > 0 else ""
            if before(back):
                # the first verb with a body before it: no match starts before the last barrier
                run = _issue_run().match(back)
                return _rx()["issues"].search(text, p - (run.end() if run is not None else 0), endpos)


def _proper_words(raw: str) -> str | None:
    """Keep the leading capitalised words of a place name ("Hớn Quản năm 2024" -> "Hớn Quản")."""
    out = []
    for w in raw.split():
        if w[0].isupper() and not _ROMAN_WORD.fullmatch(w) and w.upper() != w or (w[0].isupper() and len(w) > 1 and not w.isupper()):
            out.append(w)
        else:
            break
    return " ".join(out) or None


def parse_header(text: str, vocab: Vocabulary | None = None,
                 numbered: list[Mention] | None = None) -> tuple[Header, Context, tuple[int, int] | None]:
    """Parse the header of a matching-view ``text``.

    Returns the :class:`Header`, the :class:`Context` its references resolve in, and the view span of the
    document's own symbol (so it is not taken for a reference), or None.

    Examples
    --------
    >>> t = "Số: 294/KH-VP\\n\\nĐồng Nai, ngày 08 tháng 4 năm 2024\\n\\nKẾ HOẠCH\\nThực hiện công tác năm 2024\\n"
    >>> h, ctx, span = parse_header(t)
    >>> h.symbol, h.date, h.place, h.type, h.title, ctx.province
    ('294/KH-VP', '2024-04-08', 'Đồng Nai', 'Kế hoạch', 'Thực hiện công tác năm 2024', 'Đồng Nai')
    """
    v = vocab or vocabulary()
    rx = _rx()
    h = Header()
    ctx = Context()
    head_end = _head_end(text)
    head = text[:head_end]
    own_span = None
    # --- symbol
    sm = _symbol_line(head)
    if sm:
        ms = [m for m in (numbered if numbered is not None else find_numbered(text, v)) if m.sym_start == sm.end()]
        if not ms:
            mm = SYMBOL_RE.match(text, sm.end())
            if mm:
                ms = [m for m in find_numbered(text[:mm.end()], v) if m.sym_start == sm.end()]
        if ms:
            m = ms[0]
            own_span = (m.start, m.sym_end)
            h.number, h.type_code, h.issuer_code = m.number, m.type_code, m.issuer_code
            h.symbol = canonical_symbol(m)
            h.system = "party" if m.grammar == "party" else "state"
            if m.year:
                h.year = m.year
    # --- place and date
    pm = _place_date(head)
    if pm:
        h.date = iso(pm.group("d"), pm.group("m"), pm.group("y"))
        place = pm.group("place").strip(" *_")
        h.place = place
        prov = v.province(_PLACE_PREFIX.sub("", place))
        if prov:
            ctx.province = prov
    if h.date:
        ctx.date = h.date
        ctx.year = int(h.date[:4])
        if h.year is None and h.system == "state" and h.symbol and "/" in h.symbol and h.symbol.count("/") == 1:
            h.year = ctx.year
    # --- type and title
    tm = rx["type_line"].search(head)
    if tm:
        t = v.type_for_word(tm.group("t"))
        if t:
            h.type = t.name
            if h.type_code is None:
                h.type_code = t.code
        h.title = _title_after(text, tm.end())
    # --- issuer from the header lines above the symbol/type, then from "X ban hành Kế hoạch"
    top = _issuer_from_top(head[: (tm.start() if tm else len(head))], v)
    body, body_place = top.body, top.province
    im = _issues_search(text, min(len(text), head_end + 3000))
    said = v.body_for_text(im.group("body")) if im else None
    if said is not None and im is not None:
        # the preamble's "X ban hành ..." is the text's own statement of its issuer
        if body is None:
            body, body_place = said, im.group("place")
        else:
            body = _refine(body, said, v)
    if body is None:
        cm = rx["closing"].search(text[-1200:]) if "./." in text[-1200:] else None
        if cm:
            body = v.body_for_text(cm.group("body"))
    if body is None and h.issuer_code:
        body = v.code_info(h.issuer_code)
    h.signer, h.signer_role = _signature(text)
    if said is None:
        body = _refine(body, _on_behalf_of(h.signer_role, body, v), v)
    if body is not None:
        h.issuer = body.name
        h.level = body.level
        h.system = h.system or body.system
    if body_place and v.province(body_place):
        ctx.province = ctx.province or v.province(body_place)
    ctx.level = h.level
    ctx.province = ctx.province or top.province
    ctx.district, ctx.commune = top.district, top.commune
    # --- places named in the text
    _places(text, ctx, v)
    h.province, h.district, h.commune = ctx.province, ctx.district, ctx.commune
    if h.system == "party" and h.date:
        h.term = v.party_term(h.date, "central" if h.level == "central" else "local")
    h.jurisdiction = ctx.jurisdiction(h.level) if h.level else (f"tỉnh {ctx.province}" if ctx.province else None)
    h.recipients = _recipients(text)
    return h, ctx, own_span


def _symbol_line(head: str) -> re.Match[str] | None:
    """``_rx()["symbol_line"].search(head)``, tried only at the lines that begin with "Số".

    The pattern matches at a line's start, after a run of blanks and stars, "Số" (case-sensitive):
    so each "S" is found with ``str.find``, and where "Số" begins there with only blanks and stars
    before it in its line, the pattern is matched at the line's start. The lines come in order, so
    the first match is the search's.

    >>> _symbol_line("Sở Y tế\\n * Số: 12/KH\\nSố 3").group()
    ' * Số: '
    """
    pattern = _rx()["symbol_line"]
    i = head.find("S")
    while i >= 0:
        if head.startswith("Số", i):
            start = head.rfind("\n", 0, i) + 1
            if not head[start:i].strip(" \t*"):
                m = pattern.match(head, start)
                if m is not None:
                    return m
        i = head.find("S", i + 1)
    return None


@lru_cache(maxsize=1)
def _ngay_keys() -> list[Row]:
    """The rows of :func:`_keyed` of "ngày" (its key "à")."""
    return _keyed("ngày")


def _place_date(head: str) -> re.Match[str] | None:
    """``_rx()["place_date"].search(head)``, tried only at the lines that hold "ngày" (any case).

    A match begins at a line's start and holds "ngày" in that line. Those are found from their key
    (see :func:`_keyed`) with ``str.find``, and the pattern is matched at the start of each line
    holding one, in order: the first match is the search's.

    >>> _place_date("Và nơi khác\\nHà Nội, NGÀY 8 tháng 4 năm 2024").group("place", "y")
    ('Hà Nội', '2024')
    """
    lines: list[int] = []
    n = len(head)
    for key, k, classes, lengths, _ in _ngay_keys():
        q = head.find(key)
        while q >= 0:
            p = _keyed_start(head, q, k, classes, lengths, n)
            if p >= 0:
                lines.append(head.rfind("\n", 0, p) + 1)
            q = head.find(key, q + 1)
    lines.sort()
    match = _rx()["place_date"].match
    last = -1
    for start in lines:
        if start != last:
            m = match(head, start)
            if m is not None:
                return m
            last = start
    return None


def _head_end(text: str) -> int:
    """``sum(len(x) + 1 for x in text.split("\n")[:_HEAD_LINES])``: just after the first
    ``_HEAD_LINES`` lines (``len(text) + 1`` in a shorter text), found without splitting the text."""
    i = -1
    for _ in range(_HEAD_LINES):
        i = text.find("\n", i + 1)
        if i < 0:
            return len(text) + 1
    return i + 1


def _paragraphs(s: str):
    """``_PARA_BREAK.split(s)``, one paragraph at a time (the title needs only the first few)."""
    last = 0
    for m in _PARA_BREAK.finditer(s):
        yield s[last:m.start()]
        last = m.end()
    yield s[last:]


def _title_after(text: str, pos: int) -> str | None:
    """The title: the rest of the type line's paragraph, else the next paragraph (lower-case lines continue)."""
    rest = text[pos:]
    paras = _paragraphs(rest.lstrip("\n"))
    first_line_follows = not _BLANK_LINE_FIRST.match(rest) and rest.startswith("\n")
    chunks: list[str] = []
    for i, p in enumerate(paras):
        kept: list[str] = []
        for x in p.split("\n"):
            x = x.strip(" \t*_")  # once per line
            if x:
                kept.append(x)
        clean = " ".join(kept)
        if not clean:
            continue
        if chunks and not clean[0].islower():
            break
        chunks.append(clean)
        if i == 0 and first_line_follows:
            break
        if len(" ".join(chunks)) > 400:
            break
    title = " ".join(chunks).strip() or None
    return title.rstrip(".") if title else None


_LEVEL_WORDS = {"TỈNH": "province", "THÀNH PHỐ": "province", "HUYỆN": "district", "QUẬN": "district",
                "THỊ XÃ": "district", "XÃ": "commune", "PHƯỜNG": "commune", "THỊ TRẤN": "commune"}
_LEVEL_WORD_OF = {"province": "tỉnh", "district": "huyện", "commune": "xã"}


@dataclass
class TopLines:
    """What the upper-case lines at the top say: the lowest issuing body and the places named."""

    body: Body | None = None
    province: str | None = None
    district: str | None = None
    commune: str | None = None


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


def _issuer_from_top(top: str, v: Vocabulary) -> TopLines:
    """Issuer and places from the upper-case lines at the top, read top down: each line names a body
    below the one above it ("UBND HUYỆN X / ỦY BAN NHÂN DÂN XÃ Y", "TỈNH ỦY X / BAN DÂN VẬN",
    "ỦY BAN NHÂN DÂN / TỈNH ĐỒNG NAI"); the lowest is the issuer.

    >>> t = _issuer_from_top("UBND HUYỆN QUANG THẠNH\\nỦY BAN NHÂN DÂN XÃ LỢI LONG\\nCỘNG HÒA", vocabulary())
    >>> t.body.name, t.district, t.commune
    ('Ủy ban nhân dân xã', 'Quang Thạnh', 'Lợi Long')
    >>> _issuer_from_top("TỈNH ỦY HÒA BÌNH\\nBAN DÂN VẬN\\n*", vocabulary()).body.name
    'Ban Dân vận Tỉnh ủy'
    """
    lines: list[str] = []
    for raw in top.split("\n"):
        ln = raw.strip(" \t*_")  # once per line (a method call, not cheap)
        if ln and ln.isupper() and not ln.startswith(("CỘNG HÒA", "CỘNG HOÀ", "ĐẢNG CỘNG SẢN", "ĐỘC LẬP")) \
                and not _SO_LINE.match(ln):
            lines.append(ln)
    out = TopLines()
    upper_bodies = _rx()["upper_bodies"]
    parent: Body | None = None
    for ln in lines:
        bm = upper_bodies.search(ln)
        b = v.body_for_text(bm.group(0)) if bm else None
        rest = (ln[:bm.start()] + " " + ln[bm.end():]).strip() if bm else ln
        if b is not None and bm is not None and bm.start() == 0 and rest and not _LEVEL_WORD_FIRST.match(rest):
            # "TỈNH ỦY HÒA BÌNH", "HUYỆN ỦY QUANG THẠNH": the name after the committee is its place
            if b.level in ("province", "district", "commune"):
                _set_place(out, b.level, rest.title(), v)
                rest = ""
        lm = _LEVEL_AND_NAME.search(rest)
        if lm:
            level = _LEVEL_WORDS[lm.group(1)]
            _set_place(out, level, lm.group(2).title(), v)
            if b is None and parent is not None and parent.level is None:
                b = v.body_for_text(f"{parent.name} {_LEVEL_WORD_OF[level]}")
            elif b is not None and b.level is None:
                b = v.body_for_text(f"{b.name} {_LEVEL_WORD_OF[level]}") or b
        if b is None or (b.level is None and parent is not None):
            combined = _combine(ln.title() if b is None else b.name, parent, v)
            b = combined or b
        if b is not None:
            parent = b
            out.body = b
    return out


def _set_place(out: TopLines, level: str, name: str, v: Vocabulary) -> None:
    if level == "province":
        out.province = v.province(name) or out.province
    elif getattr(out, level) is None:
        setattr(out, level, name)


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
            before = text[max(0, m.start() - 12):m.start()].lower()
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


@lru_cache(maxsize=1)
def _province_heads() -> list[tuple[str, str]] | None:
    """How a province name can begin: for each first letter, the characters that can follow it (""
    when any can). None when a name does not begin with a letter of its own (``words_pattern`` lets
    blanks come before a leading hyphen or comma).

    >>> [h for h in _province_heads() if h[0] == "Q"]
    [('Q', 'u')]
    """
    seconds: dict[str, str] = {}
    for name in vocabulary().province_names():
        if name[0] in "-,":
            return None
        # the second character is the name's own unless blanks may come before it or it is blank
        second = name[1] if len(name) > 1 and name[1] not in "-," and not name[1].isspace() else ""
        old = seconds.get(name[0])
        if old is None:
            seconds[name[0]] = second
        elif old and second:
            seconds[name[0]] = old + second if second not in old else old
        else:
            seconds[name[0]] = ""
    return sorted(seconds.items())


def _province_matches(text: str) -> list[re.Match[str]]:
    """``list(_rx()["province"].finditer(text))``, found from the names' first two characters.

    The pattern is case-sensitive, so a match begins with the first two characters of a name (see
    :func:`_province_heads`). Each first letter is found with ``str.find`` (a regex scan for the
    set of first letters, capitals frequent in the text, costs several times more) and kept when
    the character after it can follow it; the pattern is matched at the places kept, in order, each
    past the end of the last match, as ``finditer`` does (it never matches the empty string; its
    look-behind sees the text before the place it is matched at).

    >>> [m.group("p") for m in _province_matches("Tỉnh Quảng Nam, tp. Hồ Chí Minh; BHồ Chí Minh, Huế")]
    ['Quảng Nam', 'Hồ Chí Minh', 'Huế']
    """
    province = _rx()["province"]
    heads = _province_heads()
    if heads is None:
        return list(province.finditer(text))
    n = len(text)
    places: list[int] = []
    for first, seconds in heads:
        i = text.find(first)
        while i >= 0:
            if not seconds or (i + 1 < n and text[i + 1] in seconds):
                places.append(i)
            i = text.find(first, i + 1)
    places.sort()
    match = province.exact.match
    out: list[re.Match[str]] = []
    end = 0
    for p in places:
        if p >= end:
            m = match(text, p)
            if m is not None:
                out.append(m)
                end = m.end()
    return out


@lru_cache(maxsize=1)
def _marker_names() -> frozenset[str]:
    return frozenset(p["name"] for p in vocabulary().provinces if p.get("needs_marker"))


def _needs_marker(name: str) -> bool:
    return name in _marker_names()


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


def _signature(text: str) -> tuple[str | None, str | None]:
    # only the last 50 lines are ever looked at (39 for the name, 11 above it for the role): splitting
    # off 50 leaves the rest of the text as element 0, never reached when there are more; each line
    # is stripped when it is looked at (most are not)
    lines = text.rstrip().rsplit("\n", 50)
    idx = None
    for i in range(len(lines) - 1, max(-1, len(lines) - 40), -1):
        ln = lines[i].strip(" \t*_")
        if not ln:
            continue
        if _is_person_name(ln):
            idx = i
            break
        if len(ln) > 60:
            break
    if idx is None:
        return None, None
    role: list[str] = []
    for j in range(idx - 1, max(-1, idx - 12), -1):
        ln = lines[j].strip(" \t*_")
        if not ln:
            continue
        if ln.isupper() and _ROLE_WORDS.match(ln):
            role.insert(0, _WS_RUN.sub(" ", ln))
            continue
        if role:
            break
        if ln.startswith(("(", "-", "Lưu")) or len(ln) < 60:
            continue
        break
    return lines[idx].strip(" \t*_"), " / ".join(role) or None


def _is_person_name(ln: str) -> bool:
    words = ln.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in ln):
        return False
    return all(w[0].isupper() and (len(w) == 1 or w[1:].islower()) and w.isalpha() for w in words)


def _recipients_line(text: str) -> re.Match[str] | None:
    """``_RECIPIENTS.search(text)``, tried only where "Nơi" begins (found from its "ơ", rarer than
    "N"). The pattern begins with "Nơi" (case-sensitive) and looks at nothing before its match, so
    the first place it matches at is the search's.

    >>> _recipients_line("Nơ, nơi nhận; Nơi\\nnhận:").span()
    (14, 23)
    """
    i = text.find("ơ")
    while i >= 0:
        if i > 0 and text[i - 1] == "N":
            m = _RECIPIENTS.match(text, i - 1)
            if m is not None:
                return m
        i = text.find("ơ", i + 1)
    return None


def _recipients(text: str) -> list[str]:
    m = _recipients_line(text)
    if not m:
        return []
    out = []
    for ln in text[m.end():].split("\n"):
        s = ln.strip(" \t*_")
        if not s:
            continue
        if s[0] in "-+•":
            out.append(s.lstrip("-+• \t").rstrip(" ;,.").strip())
            continue
        if out:
            break
    return out
