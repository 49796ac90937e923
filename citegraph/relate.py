"""Relating: type the link from the citing document (and from outer references) to each reference.

The preamble (before the first section heading) states what the document rests on: a paragraph that
opens with a cue ("Căn cứ", "Thực hiện", ...) links the document to every top-level reference in it,
and a cue right before a reference ("ban hành Kế hoạch thực hiện ...") links it too. A reference
inside another reference's title ("... về việc thực hiện Kết luận số 114-KL/TW") is linked from that
outer reference. Everything else is ``cites``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .models import Relation
from .resolve import Item, relation_of_cue, v_raw_relations
from .vocab import factored, vocabulary, words_pattern

_HEADING = re.compile(
    r"^[ \t*#_]*(?:(?:[IVX]+|[A-Z])[.)][ \t]+\S|Điều[ \t]+1\b|Chương[ \t]+I\b|PHẦN[ \t]+(?:I|THỨ)\b|Phần[ \t]+I\b|"
    r"(?:QUYẾT ĐỊNH|NGHỊ QUYẾT|QUY ĐỊNH|CHỈ THỊ)[ \t]*:)", re.MULTILINE)


@lru_cache(maxsize=1)
def _end_cue() -> re.Pattern[str]:
    """A preamble cue ending the text before a reference ("Căn cứ các ")."""
    return re.compile(rf"(?:{_preamble_cues().pattern})[\s,]*(?:các\s+)?$", re.IGNORECASE)


_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _preamble_cues() -> re.Pattern[str]:
    cues = sorted({c for r in vocabulary().relations for c in r["preamble"]}, key=len, reverse=True)
    # grouped by first letter (see vocab.factored): the same matches, found faster
    return re.compile(rf"(?P<cue>{factored([words_pattern(c) for c in cues], re.IGNORECASE)})(?![\w])", re.IGNORECASE)


_EFFECTS = ("amends", "replaces", "repeals", "guides")


@lru_cache(maxsize=1)
def _self_effect() -> re.Pattern[str]:
    """A clause whose subject is the citing document itself stating a legal effect on what follows:
    "Sửa đổi, bổ sung một số điều của ...", "Điều 3. Quyết định này thay thế ...", "Bãi bỏ ..."."""
    v = vocabulary()
    cues = sorted({c for r in v.relations if r["name"] in _EFFECTS for c in r["inline"]}, key=len, reverse=True)
    fillers = "|".join(words_pattern(f) for f in v_raw_relations()["inline_fillers"])
    types = factored([words_pattern(w) for w in v.type_words()], re.IGNORECASE)
    return re.compile(
        rf"^(?:Điều\s+\d+\w*\s*[.:]\s*)?(?:(?:{types})\s+này\s+(?:có\s+hiệu\s+lực[^.;:]{{0,80}}?\s+và\s+)?(?:được\s+)?)?"
        rf"(?P<cue>{'|'.join(words_pattern(c) for c in cues)})(?:\s*,?\s*(?:{fillers}))*\s*$", re.IGNORECASE)


class TextSearch:
    """``t.rfind(needle, 0, start)`` and ``t.find(needle, end)`` for one text, remembering the last
    answers: asked in text order, each search covers only the stretch since the previous one.

    The last occurrence ending by ``start`` is the one ending by an earlier ``s0`` unless one ends
    in between; the first at or after ``end`` is the one found from an earlier ``e0`` while it is
    still at or after ``end`` (or there was none).
    """

    __slots__ = ("t", "back", "fwd")

    def __init__(self, t: str) -> None:
        self.t = t
        self.back: dict[str, tuple[int, int]] = {}
        self.fwd: dict[str, tuple[int, int]] = {}

    def rfind(self, needle: str, start: int) -> int:
        prev = self.back.get(needle)
        if prev is not None and prev[0] <= start:
            i = self.t.rfind(needle, max(0, prev[0] - len(needle) + 1), start)
            i = i if i >= 0 else prev[1]
        else:
            i = self.t.rfind(needle, 0, start)
        self.back[needle] = (start, i)
        return i

    def find(self, needle: str, end: int) -> int:
        prev = self.fwd.get(needle)
        if prev is not None and prev[0] <= end and (prev[1] < 0 or prev[1] >= end):
            return prev[1]
        i = self.t.find(needle, end)
        self.fwd[needle] = (end, i)
        return i


def _clause_before(text: str, pos: int, search: TextSearch | None = None) -> str:
    """The text from the start of the clause holding ``pos`` up to it."""
    s = search or TextSearch(text)
    lo = max(s.rfind(". ", pos), s.rfind(";", pos), s.rfind("\n", pos), s.rfind(":", pos))
    return text[lo + 1:pos].strip(" \t*_-+•")


def preamble_end(text: str) -> int:
    """Offset where the body starts (the first section heading); the whole text if there is none.

    >>> preamble_end("KẾ HOẠCH\\nThực hiện X\\n\\nI. MỤC ĐÍCH\\n...")
    22
    """
    m = _HEADING.search(text)
    return m.start() if m else len(text)


def paragraph_start(text: str, pos: int) -> int:
    """Start of the paragraph holding ``pos``: after a blank line followed by a capital or a bullet.

    Lines separated by blank lines that go on in lower case belong to the same paragraph.
    """
    i = pos
    while True:
        j = text.rfind("\n", 0, i)
        if j < 0:
            return 0
        k = j
        while k > 0 and text[k - 1] in " \t\r":
            k -= 1
        blank_before = k > 0 and text[k - 1] == "\n"
        line = text[j + 1:i] if i > j else ""
        first = line.lstrip(" \t*_#")
        if blank_before and (not first or first[0].isupper() or first[0] in "-+•"):
            return j + 1
        if first[:1] in ("-", "+", "•") and text[j + 1:].lstrip(" \t")[:1] in ("-", "+", "•"):
            return j + 1
        i = k - 1 if blank_before else j
        if i <= 0:
            return 0


def relations(text: str, items: list[Item], index_of: dict[int, int]) -> list[Relation]:
    """Relations for the resolved ``items`` of a matching-view ``text``.

    ``index_of`` maps an item's position in ``items`` to its index among the output references.
    """
    out: list[Relation] = []
    body_start = preamble_end(text)
    cue_rx = _preamble_cues()
    prev_end = 0
    search = TextSearch(text)
    for k, it in enumerate(items):
        ref_index = index_of[k]
        if it.parent is not None:
            out.append(Relation(index_of[it.parent], it.rel or "cites", ref_index, it.cue))  # type: ignore[arg-type]
            out.append(Relation("SELF", "cites", ref_index, None))
            prev_end = it.meta_end
            continue
        rel, cue = "cites", None
        effect = _self_effect().match(_clause_before(text, it.m.start, search)) if it.m.start - prev_end > 3 else None
        if effect:
            cue = _WS.sub(" ", effect.group("cue"))
            rel = relation_of_cue(cue) or "cites"
        elif it.m.start < body_start:
            para_start = paragraph_start(text, it.m.start)
            before = text[max(prev_end, para_start):it.m.start]
            end_cue = _end_cue().search(before)
            para = text[para_start:it.m.start].lstrip(" \t*_-+•\n")
            open_cue = cue_rx.match(para)
            if end_cue:
                cue = _WS.sub(" ", end_cue.group("cue"))
            elif open_cue:
                cue = _WS.sub(" ", open_cue.group("cue"))
            if cue:
                rel = relation_of_cue(cue, "preamble") or "cites"
        # a coordinated member shares the relation of the first one in its group
        if k > 0 and items[k - 1].group == it.group and out:
            prev_rel = next((r for r in reversed(out) if r.target == index_of[k - 1] and r.source == "SELF"), None)
            if prev_rel is not None and rel == "cites":
                rel, cue = prev_rel.rel, prev_rel.cue
        out.append(Relation("SELF", rel, ref_index, cue))  # type: ignore[arg-type]
        prev_end = it.meta_end
    return out
