"""The extraction pipeline: read → find → resolve → relate, for one document.

Examples
--------
>>> x = extract("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ về tiếp tục ...")
>>> r = x.references[0]
>>> r.symbol, r.date, r.issuer, r.jurisdiction, r.system
('33/CT-TTg', '2021-11-26', 'Thủ tướng Chính phủ', 'central', 'state')
>>> r.id
'https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33'
>>> x.relations[0].to_dict()
{'from': 'SELF', 'rel': 'implements', 'to': 0, 'cue': 'Thực hiện'}
"""
from __future__ import annotations

import gc
import re
from functools import lru_cache
from typing import Any, Iterable, Iterator
from bisect import bisect_left, bisect_right

from citegraph.text import startcache
from citegraph.extraction.find import Mention, canonical_symbol, find_backrefs, find_definitions, find_named, find_numbered, find_short_forms
from citegraph.extraction.header import context_of, page_breaks, parse_header
from citegraph.extraction.models import Extraction, Header, Reference, Relation
from citegraph.io.names import TEXT_SOURCE
from citegraph.io.read import Document, read
from citegraph.extraction.relate import amended_laws, relations as relate
from citegraph.text.normalize import View, ascii_slug, fold
from citegraph.text.units import today_fields
from citegraph.text.sentences import Sentences
from citegraph.extraction.resolve import Item, issuing_verb_before, link, normalise, parse_meta
from citegraph.text.identity import identity_iri, issuer_slug, jurisdiction_slug, text_iri
from citegraph.text.vocab import Vocabulary, vocabulary, words_pattern

# compiled once (re.search(str, ...) looks the pattern up in re's cache on every call)
_SYMBOL_SEPARATORS = startcache.compile(r"[\s/.\-]")


def extract(source: "str | bytes | Document | object", *, vocab: Vocabulary | None = None,
            header: Header | None = None) -> Extraction:
    """Extract the header, every reference and the relations from one document.

    Parameters
    ----------
    source : path, str, bytes or Document
        A path to a file, the text itself, raw bytes, or a :class:`~citegraph.io.read.Document`.
    header : Header, optional
        The citing document's header when ``source`` is a later part of it (a segment of a huge file):
        its references then resolve in that header's context instead of a header of their own.

    Returns
    -------
    Extraction
        ``references`` are in text order with offsets into the text as read.

    Notes
    -----
    The cyclic garbage collector is paused for the call: extraction makes no reference cycles (a test
    holds it to that), and the collector's passes over the caller's live objects would cost several
    percent of the time.
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        return _extract(source, vocab, header)
    finally:
        if paused:
            gc.enable()


def _extract(source: "str | bytes | Document | object", vocab: Vocabulary | None,
             header: Header | None) -> Extraction:
    doc = read(source)  # type: ignore[arg-type]
    v = vocab or vocabulary()
    view = doc.view.replaced(page_breaks(doc.view.text))  # a PDF's page furniture: the line break it stands for
    text = view.text
    numbered = find_numbered(text, v)
    if header is None:
        header, ctx, own_span = parse_header(text, v, numbered, view)
    else:
        ctx, own_span = context_of(header), None
    warnings = list(doc.warnings)
    if own_span is not None:
        numbered = [m for m in numbered if not (m.sym_start >= own_span[0] and m.sym_end <= own_span[1])]
    taken = _Spans.of(numbered)
    named = [m for m in find_named(text, v) if not taken.overlaps(m)]
    mentions = sorted(numbered + named, key=lambda m: m.start)
    items = _not_self([parse_meta(text, m, v) for m in mentions], header)
    link(text, items, v)
    items = _drop_stray_elided(items)
    normalise(text, items, ctx, v)
    header.id = header.id or _own_id(header, text)
    # back-references and defined names
    taken = _Spans.of(mentions)
    backs = [b for b in find_backrefs(text) if not taken.overlaps(b)]
    taken_backs = _Spans.of(backs)
    backs += [b for b in find_short_forms(text) if not taken.overlaps(b) and not taken_backs.overlaps(b)]
    backs.sort(key=lambda b: b.start)
    defs = find_definitions(text)
    alias_items = _alias_mentions(text, defs, items, backs)
    # assemble references in text order
    entries: list[tuple[int, str, Any]] = [(it.m.start, "item", it) for it in items]
    entries += [(b.start, "back", b) for b in backs]
    entries += [(a[0].start, "alias", a) for a in alias_items]
    entries.sort(key=lambda e: e[0])
    refs: list[Reference] = []
    spans: list[tuple[int, int]] = []  # each reference's span in the view
    index_of: dict[int, int] = {}
    item_pos = {id(it): k for k, it in enumerate(items)}
    sentences: dict[tuple[int, int], str] = {}
    clauses = Sentences(text)
    for _, kind, obj in entries:
        if kind == "item":
            index_of[item_pos[id(obj)]] = len(refs)
            refs.append(_reference(doc, view, obj, sentences, clauses))
            spans.append((obj.m.start, obj.m.end))
            for w in obj.warnings + obj.m.warnings:
                warnings.append(w)
        elif kind == "back":
            refs.append(_backref(doc, view, obj, refs, header))
            spans.append((obj.start, obj.end))
        else:
            m, target = obj
            refs.append(_alias_ref(doc, view, m, refs[index_of[target]] if target is not None else None,
                                   index_of.get(target) if target is not None else None))
            spans.append((m.start, m.end))
    for r in refs:
        if r.kind == "backref" and r.refers_to is None:
            warnings.append(f"back-reference {r.text!r} at {r.start} points to nothing found earlier in the text")
    rels = relate(text, items, index_of)
    _share_relations(rels, _tie_names(text, refs, spans))
    # two mentions of one document state no link between them (it neither amends nor guides itself)
    rels = [r for r in rels if r.source == "SELF" or not refs[r.source].id or refs[r.source].id != refs[r.target].id]
    _check_dates(refs, header, warnings)
    _today_units(header, refs)
    return Extraction(source=doc.source or TEXT_SOURCE, text=doc.text, document=header, references=refs,
                      relations=rels, warnings=_dedupe(warnings))


def _today_units(h: Header, refs: list[Reference]) -> None:
    """Today's unit of each stated jurisdiction (the header's, each reference's), on the map of its date.

    >>> from citegraph.extraction.models import Reference as R
    >>> h, r = Header(jurisdiction="tỉnh Bình Phước"), R("numbered", 0, 1, "x", jurisdiction="central")
    >>> _today_units(h, [r])
    >>> h.today_jurisdiction, h.today_code, h.today_province, r.today_province
    ('tỉnh Đồng Nai', '75', 'Đồng Nai', None)
    """
    stated: list[tuple[Header | Reference, str | None]] = [(h, h.date), *((r, r.date or h.date) for r in refs)]
    known: dict[tuple[str, str | None], dict[str, str | None]] = {}  # the references of a text share a few
    for x, date in stated:
        if x.jurisdiction and x.jurisdiction != "central":
            fields = known.get((x.jurisdiction, date))
            if fields is None:
                fields = known[x.jurisdiction, date] = today_fields(x.jurisdiction, date)
            for k, v in fields.items():
                setattr(x, k, v)


# between a law's name and its number: blanks, a comma, "số", a colon
_NAME_NUMBER_GAP = startcache.compile(r"[ \t\n,]*(?:[Ss]ố)?[ \t\n:]*")


def _tie_names(text: str, refs: list[Reference], spans: list[tuple[int, int]]) -> dict[int, int]:
    """A document named and numbered at once ("Luật Tổ chức chính quyền địa phương số 72/2025/QH15") is one
    document: the named reference takes the numbered one's identity, the numbered one the name (in place).
    ``spans`` are the references' spans in the matching view ``text`` (where a page break is one line break).

    >>> from citegraph.extraction.models import Reference as R
    >>> refs = [R("named", 0, 8, "Luật Đất", name="Luật Đất", id="n"),
    ...         R("numbered", 12, 24, "31/2024/QH15", symbol="31/2024/QH15", id="d")]
    >>> _tie_names("Luật Đất số 31/2024/QH15", refs, [(0, 8), (12, 24)])
    {0: 1}
    >>> refs[0].id, refs[1].name
    ('d', 'Luật Đất')

    A name the text ties so is that document wherever else the text names it, when the mention's year and date
    fit and the text ties the name to no other number ("… hướng dẫn thi hành Luật Đất" later on): those are tied
    too, for their relations; their identity is left to the graph, which keeps the evidence (``NameIndex``).

    >>> refs.append(R("named", 40, 48, "Luật Đất", name="Luật đất", id="n"))
    >>> _tie_names("Luật Đất số 31/2024/QH15 được hướng dẫn. Luật Đất", refs, [(0, 8), (12, 24), (40, 48)])
    {0: 1, 2: 1}

    Returns the position of each named reference so tied and of its numbered one.
    """
    tied: dict[int, int] = {}
    for i, ((a, b), ((a_start, a_end), (b_start, _))) in enumerate(zip(zip(refs, refs[1:]), zip(spans, spans[1:]))):
        # the number follows the name at once ("số 72/2025/QH15"), with no type word of its own
        if (a.kind == "named" and b.kind == "numbered" and a.name and b.id and b.symbol and a_end <= b_start
                and (text[b_start:b_start + 1].isdigit() or text[b_start:b_start + 2].lower() == "số")
                and _NAME_NUMBER_GAP.fullmatch(text, a_end, b_start)):
            # the enacting formula of an amending law ("Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của
            # Luật X số N"): N is the amended law's, the amending one being this text
            inner = amended_laws(a.name) if issuing_verb_before(text, a_start) else []
            if inner:
                b.name = b.name or inner[-1]
                continue
            a.id, a.candidates = b.id, list(b.candidates)
            tied[i] = i + 1
            if b.name is None:
                b.name = a.name
    numbered: dict[str, dict[str, int]] = {}  # folded name -> identity -> its first numbered reference
    for j, b in enumerate(refs):
        if b.kind == "numbered" and b.name and b.id:
            numbered.setdefault(fold(b.name), {}).setdefault(b.id, j)
    if numbered:
        for i, a in enumerate(refs):
            if a.kind != "named" or i in tied or not a.name:
                continue
            year = a.year or (int(a.date[:4]) if a.date else None)
            fits = [j for j in numbered.get(fold(a.name), {}).values()
                    if year in (None, refs[j].year) and refs[j].date in (None, a.date or refs[j].date)]
            if len(fits) == 1:
                tied[i] = fits[0]
    return tied


def _share_relations(rels: list[Relation], tied: dict[int, int]) -> None:
    """A relation stated of a name tied to a number holds for the numbered reference too (in place): a
    typed link of the citing document replaces its ``cites``, a link between two references is repeated.

    >>> rels = [Relation("SELF", "repeals", 0, "bãi bỏ"), Relation("SELF", "cites", 1, None),
    ...         Relation(2, "amends", 0, "sửa đổi")]
    >>> _share_relations(rels, {0: 1})
    >>> [(r.source, r.rel, r.target) for r in rels]
    [('SELF', 'repeals', 0), ('SELF', 'repeals', 1), (2, 'amends', 0), (2, 'amends', 1)]
    """
    if not tied:
        return
    have: set[tuple[int | str, str, int]] = {(r.source, r.rel, r.target) for r in rels}
    own = {r.target: r for r in rels if r.source == "SELF"}
    for r in list(rels):
        if r.rel == "cites":
            continue
        source = tied.get(r.source, r.source) if r.source != "SELF" else "SELF"
        target = tied.get(r.target, r.target)  # type: ignore[arg-type]
        if (source, target) == (r.source, r.target) or source == target:
            continue
        mine = own.get(target) if source == "SELF" else None
        if mine is not None and mine.rel == "cites":
            mine.rel, mine.cue = r.rel, r.cue
        elif (source, r.rel, target) not in have:
            have.add((source, r.rel, target))
            rels.append(Relation(source, r.rel, target, r.cue))  # type: ignore[arg-type]


class _Spans:
    """Spans ``(start, end)``, asked whether a mention overlaps any of them, or an offset lies in one (in log time).

    Some span overlaps ``[a, b)`` iff the largest end among the spans starting before ``b`` is after ``a``.

    >>> spans = _Spans([(0, 4), (2, 9), (20, 25)])
    >>> [spans.covers(x) for x in (0, 8, 9, 19, 24, 25)]
    [True, True, False, False, True, False]
    """

    __slots__ = ("starts", "max_end")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []
        top = None
        for _, e in ordered:
            top = e if top is None or e > top else top
            self.max_end.append(top)

    @classmethod
    def of(cls, mentions: list[Mention]) -> "_Spans":
        return cls((m.start, m.end) for m in mentions)

    def overlaps(self, m: Mention) -> bool:
        k = bisect_left(self.starts, m.end)  # spans starting before m.end
        return k > 0 and self.max_end[k - 1] > m.start

    def covers(self, x: int) -> bool:
        """Whether some span holds offset ``x`` (``start <= x < end``)."""
        k = bisect_right(self.starts, x)  # spans starting at or before x
        return k > 0 and self.max_end[k - 1] > x


def _not_self(items: list[Item], h: Header) -> list[Item]:
    """The items without the document's mentions of itself: its own symbol is never a reference
    ("Kế hoạch số 157/KH-UBND" in plan 157/KH-UBND, an appendix's "Kèm theo Nghị định số 128/2026/NĐ-CP").
    A mention of the same symbol with another date is another document (a plan of another year).

    >>> h = Header(symbol="157/KH-UBND", date="2025-11-18")
    >>> x = extract("Kế hoạch số 157/KH-UBND ngày 18/11/2025; Kế hoạch số 157/KH-UBND ngày 02/3/2023", header=h)
    >>> [(r.symbol, r.date) for r in x.references if r.kind == "numbered"]
    [('157/KH-UBND', '2023-03-02')]
    """
    if not h.symbol:
        return items
    own = _symbol_key(h.symbol)
    return [it for it in items if not (it.m.kind == "numbered" and _symbol_key(canonical_symbol(it.m)) == own
                                       and (it.date is None or h.date is None or it.date == h.date))]


def _symbol_key(symbol: str) -> str:
    """A symbol compared without separators, case or leading zeros ("031/2025/QĐ-UBND" ~ "31/2025/qđ-ubnd")."""
    return _SYMBOL_SEPARATORS.sub("", symbol).upper().lstrip("0")


def _drop_stray_elided(items: list[Item]) -> list[Item]:
    """An elided named mention ("Đại hội Đảng bộ tỉnh lần thứ XI" with no "Nghị quyết") is a document
    only as a member of a list headed by a named resolution; alone it is the event, not a document."""
    keep: list[Item] = []
    new_index: dict[int, int] = {}
    for k, it in enumerate(items):
        if it.m.kind == "named" and it.m.alias == "elided":
            head = next((x for x in reversed(items[:k]) if x.group == it.group), None)
            if head is None or head.m.kind != "named":
                continue
        new_index[k] = len(keep)
        keep.append(it)
    for it in keep:  # parents are positions in the list: renumber them, forget dropped ones
        if it.parent is not None:
            it.parent = new_index.get(it.parent)
            if it.parent is None:
                it.rel = it.cue = None
    return keep


def _sentence_text(doc: Document, sa: int, sb: int, cache: dict[tuple[int, int], str] | None) -> str:
    """The sentence ``doc.text[sa:sb]`` on one line (whitespace runs to one space), at most 500 characters.

    ``" ".join(s.split())`` is ``re.sub(r"\s+", " ", s).strip()``: both use the same notion of whitespace.
    """
    key = (sa, sb)
    if cache is not None and key in cache:
        return cache[key]
    s = _one_line_head(doc.text, sa, sb, 500)
    if cache is not None:
        cache[key] = s
    return s


def _one_line_head(text: str, a: int, b: int, n: int) -> str:
    """``" ".join(text[a:b].split())[:n]``, reading only as much of a long ``text[a:b]`` as it needs.

    Most clauses need no split: wrapped at single line breaks, their first ``n`` characters with each line break a
    space (``q``) are printable (the only whitespace left is " ": every other one is a control or a separator
    character) with no two spaces running and none at either end. Every run of whitespace in them is then one
    character that becomes the one space it stands for, nothing is dropped at the start, and the last character,
    not a space, is no trailing blank that the join would drop: ``q`` is the answer.

    Else, cut at a space, the words before it are the first words of the whole, so their join is a
    prefix of the whole join: when it holds ``n`` characters, they are the answer.

    >>> t = "x Căn cứ Luật\\nĐất đai  số 31;\\n"
    >>> [_one_line_head(t, 2, b, k) for b, k in ((30, 500), (30, 12), (14, 500), (15, 500))]
    ['Căn cứ Luật Đất đai số 31;', 'Căn cứ Luật ', 'Căn cứ Luật', 'Căn cứ Luật Đ']
    """
    q = text[a:b if b - a <= n else a + n].replace("\n", " ")
    if q.isprintable() and "  " not in q and q[:1] != " " and q[-1:] != " ":
        return q
    if b - a > 2 * n:
        head = text[a:a + 2 * n]
        cut = head.rfind(" ")
        if cut >= 0:
            s = " ".join(head[:cut].split())
            if len(s) >= n:
                return s[:n]
    return " ".join(text[a:b].split())[:n]


def _reference(doc: Document, view: View, it: Item, sentences: dict[tuple[int, int], str] | None = None,
               clauses: Sentences | None = None) -> Reference:
    m = it.m
    a, b = view.span(m.start, m.end)
    sa, sb = view.span(*(clauses or Sentences(view.text)).span(m.start, m.end))
    return Reference(
        kind=m.kind,  # type: ignore[arg-type]
        start=a, end=b, text=doc.text[a:b],
        type=it.type_name, type_code=m.type_code, number=m.number, year=it.year,
        symbol=it.symbol, name=m.name, date=it.date, stated_date=it.stated_date,
        issuer=it.issuer, issuer_code=m.issuer_code, stated_issuer=it.body.name if it.body else None,
        jurisdiction=it.jurisdiction, level=it.level, system=it.system, term=it.term,
        pinpoint=it.pinpoint, id=it.id, candidates=list(it.candidates),
        sentence=_sentence_text(doc, sa, sb, sentences), sentence_start=sa, sentence_end=sb,
    )


def _backref(doc: Document, view: View, b: Mention, refs: list[Reference], header: Header) -> Reference:
    a, e = view.span(b.start, b.end)
    v = vocabulary()
    t = v.type_for_word(b.type_word or "")
    ref = Reference(kind="backref", start=a, end=e, text=doc.text[a:e], type=t.name if t else b.type_word,
                    name=doc.text[a:e])
    if b.backref == "self" and (header.type is None or t is None or t.name == header.type):
        ref.refers_to = "SELF"
        ref.id, ref.symbol = header.id, header.symbol
        return ref
    for k in range(len(refs) - 1, -1, -1):
        r = refs[k]
        if r.kind != "backref" and (t is None or r.type == t.name):
            if b.backref == "short" and (r.number is None or int(r.number) != int(b.number or -1)):
                continue
            _copy_target(ref, r, k)
            return ref
    return ref


def _copy_target(ref: Reference, target: Reference, index: int) -> None:
    ref.refers_to = index
    for f in ("symbol", "id", "date", "issuer", "jurisdiction", "system", "level", "year", "term", "type_code"):
        setattr(ref, f, getattr(target, f))


def _alias_mentions(text: str, defs: list[tuple[int, int, str]], items: list[Item],
                    taken: list[Mention]) -> list[tuple[Mention, int | None]]:
    """Later uses of a defined short name, each with the item it stands for."""
    out: list[tuple[Mention, int | None]] = []
    if not defs:  # most texts define no short name
        return out
    spans = _Spans([(it.m.start, it.meta_end) for it in items] + [(b.start, b.end) for b in taken])
    found: list[tuple[int, int]] = []  # the uses found so far (few)
    for dstart, dend, alias in defs:
        target = None
        for k, it in enumerate(items):
            if it.m.start < dstart and dstart - it.meta_end < 300:
                target = k
        if target is None:
            continue
        pats = [words_pattern(alias)]
        low = alias.lower()
        bare = next((w for w, w_low in _type_words_lower() if low.startswith(w_low)), None)
        if bare:
            pats.append(words_pattern(bare) + r"(?!\s*(?:số|\d|này|nêu|trên|nói|liên\s+tịch))")
        for m in _uses(text, re.compile(rf"(?:{'|'.join(pats)})(?![\w])"), dend):
            if spans.covers(m.start()) or any(s <= m.start() < e for s, e in found):
                continue
            if m.group(0)[:1].islower():
                continue
            out.append((Mention("backref", m.start(), m.end(), alias=alias), target))
            found.append((m.start(), m.end()))
    return out


@lru_cache(maxsize=1)
def _type_words_lower() -> tuple[tuple[str, str], ...]:
    """The type words, longest first, each with its lower case."""
    return tuple((w, w.lower()) for w in vocabulary().type_words())


def _uses(text: str, rx: "re.Pattern[str]", pos: int) -> Iterator["re.Match[str]"]:
    r"""What ``(?<![\w])`` followed by ``rx`` finds from ``pos`` (``finditer``): the look-behind tested here, at the
    matches of ``rx``, so that the regex engine, led by the words' first letters, skips ahead to them instead of
    trying the look-behind at every offset of the rest of the text.

    >>> [m.span() for m in _uses("xKế hoạch; Kế hoạch này, Kế hoạchs", re.compile(r"Kế hoạch(?![\w])"), 0)]
    [(11, 19)]
    """
    m = rx.search(text, pos)
    while m is not None:
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):  # \w before: tried again one further
            m = rx.search(text, start + 1)
            continue
        yield m
        m = rx.search(text, m.end() if m.end() > start else start + 1)


def _alias_ref(doc: Document, view: View, m: Mention, target: Reference | None, index: int | None) -> Reference:
    a, e = view.span(m.start, m.end)
    ref = Reference(kind="backref", start=a, end=e, text=doc.text[a:e], name=m.alias)
    if target is not None and index is not None:
        ref.type = target.type
        _copy_target(ref, target, index)
    return ref


def _own_id(h: Header, text: str) -> str:
    """The citing document's identity: as a reference to it would get, else a hash of its words (``text`` is the
    matching view's text)."""
    if h.symbol and h.number:
        code = h.issuer_code or ""
        key = (h.system or "state", jurisdiction_slug(h.jurisdiction, h.level, h.province),
               issuer_slug(code),
               ascii_slug(h.type_code) if h.type_code else "cv", str(int(h.number)))
        return identity_iri(key, h.term if h.system == "party" else (str(h.year) if h.year else None))
    return text_iri(text, viewed=True)


def _check_dates(refs: list[Reference], h: Header, warnings: list[str]) -> None:
    if not h.date:
        return
    for r in refs:
        if r.kind != "backref" and r.stated_date and r.stated_date > h.date:
            warnings.append(f"{r.label} is dated {r.stated_date}, after this document's own date {h.date}")


def _dedupe(xs: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in xs if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
