"""The text layer of a PDF through PDFium (``pypdfium2``): lines as they stand on the page.

PDFium reads the text of official gazette PDFs as it is printed, where other readers split Vietnamese
words and symbols (``Ngh ị định s ố 62/2022/N Đ-CP``). On top of PDFium's text this module

- turns the hyphen PDFium marks at a line end (U+FFFE: ``22/2026/NĐ`` U+FFFE ``CP``) back into a hyphen;
- drops superscript footnote markers (smaller and raised: ``25-NQ/TW¹``), keeping exponents (``m²``), and
  joins the pieces of a printed line PDFium cut at the marker;
- joins the pieces of a line PDFium cut in text drawn one glyph at a time, and turns a page whose text
  runs sideways (a landscape table on a page shown turned) upright before reading it;
- puts a blank line where the vertical gap between two lines is clearly wider than the page's usual
  line spacing (a paragraph);
- drops running headers and footers (``CÔNG BÁO/Số 851 + 852/Ngày 01-7-2025`` with its page number) and
  page numbers, and rejoins symbols split at a line or page end (:mod:`citegraph.io.layout`).

PDFium is not thread-safe: every call into it holds one lock, so PDFs read from many threads are read one
at a time (other formats are not held up).
"""
from __future__ import annotations

import ctypes
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citegraph.text import startcache
from citegraph.io import layout
from citegraph.io.document import ReadError

#: PDFium must not be entered from two threads at once.
PDFIUM_LOCK = threading.Lock()

_LINE = startcache.compile(r"[^\r\n]+")
# digits or asterisks glued to what precedes them: where a superscript footnote marker may stand
_GLUED_RUN = startcache.compile(r"(?<=\S)(?:\d{1,8}|\*{1,3})(?=[\s,.;:)\]]|$)")
_NO_SPACE_BEFORE = frozenset(".,;:!?)]}”’%")


@dataclass
class _Line:
    """A piece of a line as PDFium gives it, with where it stands, in the frame of its own writing direction
    (``u`` along the line, ``v`` upwards across it; on an upright page these are x and y in PDF units)."""

    text: str
    u0: float  # start of the first character
    u1: float  # end of the last character
    v: float  # baseline
    h: float  # height of a character box (the font size, in effect)
    lead: bool  # PDFium gave it a leading space
    turn: int  # writing direction in quarter turns (0: upright; 1, 2, 3: turned clockwise)


# writing direction (dx, dy) per quarter turn clockwise, as PDFium measures a character's angle
_DIRECTIONS = ((1.0, 0.0), (0.0, -1.0), (-1.0, 0.0), (0.0, 1.0))


class _Geometry:
    """Character boxes of one text page, by index into the text PDFium returned."""

    def __init__(self, raw: Any, textpage: Any) -> None:
        self.raw = raw
        self.tp = textpage
        self.rect = raw.FS_RECTF()
        self.x = ctypes.c_double()
        self.y = ctypes.c_double()

    def char(self, text_index: int) -> int:
        return int(self.raw.FPDFText_GetCharIndexFromTextIndex(self.tp, text_index))

    def turn(self, text_index: int) -> int:
        """The character's writing direction in quarter turns (a landscape table on a turned page: 3)."""
        ci = self.char(text_index)
        angle = float(self.raw.FPDFText_GetCharAngle(self.tp, ci)) if ci >= 0 else -1.0
        return 0 if angle < 0 else round(angle / (math.pi / 2)) % 4

    def box(self, text_index: int, turn: int = 0) -> tuple[float, float, float, float]:
        """(start, end, height, baseline) of the character at ``text_index`` in the frame of ``turn``."""
        ci = self.char(text_index)
        if ci < 0 or not self.raw.FPDFText_GetLooseCharBox(self.tp, ci, self.rect):
            return 0.0, 0.0, 0.0, 0.0
        r = self.rect
        self.raw.FPDFText_GetCharOrigin(self.tp, ci, self.x, self.y)
        if turn == 0:
            return float(r.left), float(r.right), float(r.top - r.bottom), float(self.y.value)
        dx, dy = _DIRECTIONS[turn]
        nx, ny = -dy, dx  # upwards across the line
        us = (r.left * dx + r.bottom * dy, r.right * dx + r.top * dy)
        vs = (r.left * nx + r.bottom * ny, r.right * nx + r.top * ny)
        return (float(min(us)), float(max(us)), float(abs(vs[1] - vs[0])),
                float(self.x.value * nx + self.y.value * ny))


def _spans(text: str, geo: _Geometry) -> list[tuple[int, int, bool, int]]:
    """(start, end, leading space, turn) of PDFium's lines, whitespace stripped; a line PDFium ran on across
    baselines (it does with short lines set one under the other) is cut where the baseline drops."""
    out: list[tuple[int, int, bool, int]] = []
    for m in _LINE.finditer(text):
        piece = m.group(0)
        start = m.start() + (len(piece) - len(piece.lstrip()))
        end = m.start() + len(piece.rstrip())
        if end <= start:
            continue
        lead = piece[:1].isspace()
        turn = geo.turn((start + end) // 2)
        _, _, h, v0 = geo.box(start, turn)
        _, _, _, v1 = geo.box(end - 1, turn)
        if not h or v0 - v1 <= 0.6 * h:
            out.append((start, end, lead, turn))
            continue
        base, cut = v0, start
        for i in range(start + 1, end):  # rare: walk the characters
            if text[i].isspace():
                continue
            _, _, hi, vi = geo.box(i, turn)
            if hi and base - vi > 0.6 * max(h, hi):
                j = i
                while j > cut and text[j - 1].isspace():
                    j -= 1
                out.append((cut, j, lead, turn))
                cut, base, lead = i, vi, text[i - 1].isspace()
        out.append((cut, end, lead, turn))
    return out


def _pieces(text: str, geo: _Geometry) -> list[_Line]:
    """PDFium's lines of one page with their position; superscript footnote markers glued to a word or a
    symbol (``tư³``, ``25-NQ/TW¹``, ``QH14²``) are dropped, exponents after a unit (``m²``) kept.

    A piece's size and baseline are the median of five of its characters' (either end, or one inside, may be a
    raised marker).
    """
    out: list[_Line] = []
    for start, end, lead, turn in _spans(text, geo):
        u0, _, h0, v0 = geo.box(start, turn)
        _, u1, h1, v1 = geo.box(end - 1, turn)
        hs, vs = [h0, h1], [v0, v1]
        for k in range(1, 4):  # three characters inside, spaces skipped
            i = start + k * (end - start) // 4
            while i < end - 1 and text[i].isspace():
                i += 1
            _, _, hi, vi = geo.box(i, turn)
            hs.append(hi)
            vs.append(vi)
        h, v = sorted(hs)[2], sorted(vs)[2]
        cuts: list[tuple[int, int]] = []
        for m in _GLUED_RUN.finditer(text, start, end):
            k = m.end()
            while k > m.start() and m.end() - k < 3:  # the marker: small raised characters at the run's end
                _, _, hk, vk = geo.box(k - 1, turn)
                if not (0 < hk <= 0.8 * h and vk > v + 0.1 * h):
                    break
                k -= 1
            if k < m.end() and not layout.is_exponent(text[start:k], text[k:m.end()]):
                c0, c1 = k, m.end()
                if k == m.start() and start < c0 and c1 < end and text[c0 - 1] + text[c1] in ("()", "[]"):
                    c0, c1 = c0 - 1, c1 + 1  # a marker in brackets: ⁽²⁾
                cuts.append((c0, c1))
        if cuts:
            parts, at = [], start
            for c0, c1 in cuts:
                parts.append(text[at:c0])
                at = c1
            parts.append(text[at:end])
            body = "".join(parts).rstrip()
            if cuts[-1][1] == end:
                u1 = geo.box(cuts[-1][0] - 1, turn)[1]
        else:
            body = text[start:end]
        out.append(_Line(_soft_hyphens(body), u0, u1, v, h, lead, turn))
    return out


def _visual_lines(pieces: list[_Line]) -> list[_Line]:
    """Join the pieces of one printed line that PDFium cut (where a raised marker stood, or in turned text);
    drop superscript markers PDFium gave a line of their own."""
    out: list[_Line] = []
    for p in pieces:
        if out and out[-1].turn == p.turn and out[-1].h:
            a = out[-1]
            gap = p.u0 - a.u1
            touching = -0.2 * a.h <= gap <= 1.0 * a.h
            if (layout.MARKER.match(p.text) and 0 < p.h <= 0.8 * a.h and a.v < p.v <= a.v + a.h
                    and touching and not layout.is_exponent(a.text, p.text)):
                continue  # a superscript marker PDFium put on a line of its own
            if abs(p.v - a.v) <= 0.2 * a.h and touching:  # the rest of the printed line
                glued = p.text[0] in _NO_SPACE_BEFORE or (not p.lead and gap <= 0.15 * a.h)
                out[-1] = _Line(a.text + ("" if glued else " ") + p.text, a.u0, p.u1, a.v, a.h, a.lead, a.turn)
                continue
        out.append(p)
    return out


def _paragraphs(lines: list[_Line]) -> list[str]:
    """Lines of a page with a blank line where the gap between two lines is clearly wider than the usual
    spacing (lines written in different directions are never compared)."""
    def gap(i: int) -> float:
        a, b = lines[i - 1], lines[i]
        return a.v - b.v if a.turn == b.turn else 0.0

    seen: dict[float, int] = {}
    for i in range(1, len(lines)):
        g = round(gap(i), 1)
        if g > 0:
            seen[g] = seen.get(g, 0) + 1
    repeated = sorted(g for g, c in seen.items() if c >= 2)  # many one-line paragraphs must not hide it
    usual = repeated[0] if repeated else 0.0
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and usual:
            g = gap(i)
            if g > 1.25 * usual and g > 1.4 * max(line.h, lines[i - 1].h):
                out.append("")
        out.append(line.text)
    return out


def _dominant_turn(textpage: Any, raw: Any, samples: int = 32) -> int:
    """The writing direction of most of the page's characters, in quarter turns (sampled; the spaces and line
    breaks PDFium adds carry no direction)."""
    n = textpage.count_chars()
    votes = [0, 0, 0, 0]
    for ci in range(0, n, max(1, n // samples)):
        if raw.FPDFText_IsGenerated(textpage, ci) or chr(raw.FPDFText_GetUnicode(textpage, ci) or 32).isspace():
            continue
        angle = float(raw.FPDFText_GetCharAngle(textpage, ci))
        if angle >= 0:
            votes[round(angle / (math.pi / 2)) % 4] += 1
    return max(range(4), key=lambda q: (votes[q], q == 0))


# content transforms that turn text written in a direction (quarter turns clockwise) upright: (a, b, c, d)
_UPRIGHT = {1: (0.0, 1.0, -1.0, 0.0), 2: (-1.0, 0.0, 0.0, -1.0), 3: (0.0, -1.0, 1.0, 0.0)}


def _read_page(pdf: Any, i: int, raw: Any) -> list[str]:
    """The lines of page ``i``. A page whose text runs sideways (a landscape table on a turned page) is
    turned upright first, so that PDFium sees its lines as lines."""
    page = textpage = None
    try:
        page = pdf[i]
        textpage = page.get_textpage()
        turn = _dominant_turn(textpage, raw)
        if turn:
            textpage.close()
            textpage = None
            left, bottom, right, top = page.get_mediabox()
            a, b, c, d = _UPRIGHT[turn]
            # x' = a x + c y + e, y' = b x + d y + f; the offsets keep the page in positive coordinates
            e = max(0.0, -(a * right + c * top)) + max(0.0, -(a * left + c * bottom))
            f = max(0.0, -(b * right + d * top)) + max(0.0, -(b * left + d * bottom))
            matrix = raw.FS_MATRIX(a, b, c, d, e, f)
            raw.FPDFPage_TransFormWithClip(page, ctypes.byref(matrix), None)
            page.set_rotation(0)  # PDFium orders text in the page's display frame: the content is upright now
            page.close()
            page = None
            page = pdf[i]  # parsed again, from the transformed content
            textpage = page.get_textpage()
        text = textpage.get_text_range() if textpage.count_chars() > 0 else ""
        geo = _Geometry(raw, textpage)
        return _paragraphs(_visual_lines(_pieces(text.replace("\ufffe", "-"), geo)))
    finally:
        if textpage is not None:
            textpage.close()
        if page is not None:
            page.close()


def read_pages(path: Path, name: str) -> tuple[list[list[str]], list[int], int]:
    """The lines of every page, the pages whose text could not be extracted, and the number of pages.

    Raises
    ------
    ReadError
        When the file is not a PDF PDFium can open, or is locked with a user password.
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pages: list[list[str]] = []
    failed: list[int] = []
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == raw.FPDF_ERR_PASSWORD:
                raise ReadError(f"{name}: encrypted PDF (needs a password)") from None
            if code == raw.FPDF_ERR_SECURITY:
                raise ReadError(f"{name}: encrypted PDF (an encryption PDFium does not support)") from None
            reason = {raw.FPDF_ERR_FORMAT: "corrupt or not a PDF", raw.FPDF_ERR_FILE: "cannot open the file"}
            raise ReadError(f"{name}: not readable as a PDF ({reason.get(code, str(e))})") from None
        try:
            count = len(pdf)
            for i in range(count):
                try:
                    pages.append(_read_page(pdf, i, raw))
                except Exception:  # noqa: BLE001 - one broken page must not lose the others
                    failed.append(i + 1)
                    pages.append([])
        finally:
            pdf.close()
    return pages, failed, count


_SOFT_HYPHEN = startcache.compile("\u00ad+(?=$)|(?<=[\\dA-ZĐ])\u00ad+(?=[\\dA-ZĐ])")


def _soft_hyphens(line: str) -> str:
    r"""A soft hyphen at a line end or inside a symbol is printed as a hyphen; elsewhere it is invisible.

    >>> _soft_hyphens("Nghị định số 22/2026/NĐ\u00adCP"), _soft_hyphens("Thông tư số 68/2024/TT\u00ad")
    ('Nghị định số 22/2026/NĐ-CP', 'Thông tư số 68/2024/TT-')
    >>> _soft_hyphens("tổ\u00adchức")
    'tổchức'
    """
    if "\u00ad" not in line:
        return line
    return _SOFT_HYPHEN.sub("-", line).replace("\u00ad", "")


def load_pdf(path: Path, name: str, note: str) -> tuple[str, list[str]]:
    """The text of a PDF's text layer and the warnings (``note`` first: what offsets refer to).

    Raises
    ------
    ReadError
        Encrypted with a user password, no pages, no text layer (it needs OCR), nothing but page furniture.
    """
    pages, failed, count = read_pages(path, name)
    if not count:
        raise ReadError(f"{name}: PDF without pages")
    empty = [i + 1 for i, lines in enumerate(pages) if not any(ln.strip() for ln in lines)]
    if len(empty) == len(pages):
        if failed and len(failed) == len(pages):
            raise ReadError(f"{name}: not readable as a PDF (the text of no page could be extracted)")
        raise ReadError(f"{name}: the PDF has no text layer (scanned images?); it needs OCR"
                        " (e.g. ocrmypdf) before it can be read")
    warnings = [f"{name}: {note}"]
    if failed:
        warnings.append(f"{name}: text of page(s) {layout.ranges(failed)} could not be extracted")
    scanned = [i for i in empty if i not in failed]
    if scanned:
        warnings.append(f"{name}: page(s) {layout.ranges(scanned)} have no text layer (scanned?); they need OCR")
    text = layout.join_pages(layout.drop_furniture(pages))
    if not text.strip():
        raise ReadError(f"{name}: no text in the PDF besides page numbers and running headers")
    return text, warnings


__all__ = ["PDFIUM_LOCK", "load_pdf", "read_pages"]
