"""Helpers that generate input files for the reader tests (.docx, .pdf with a text layer, .html)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def corpus_texts() -> list[str]:
    """The seed corpus texts."""
    return [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]


def dejavu_font() -> str:
    """Path of a TTF font with Vietnamese glyphs (DejaVuSans bundled with matplotlib)."""
    import matplotlib

    return os.path.join(os.path.dirname(matplotlib.__file__), "mpl-data", "fonts", "ttf", "DejaVuSans.ttf")


def make_docx(path: Path, *, header_table: Sequence[Sequence[str]] = (), paragraphs: Sequence[str] = (),
              table: Sequence[Sequence[str]] = (), footnote: str | None = None, footnote_after: str | None = None,
              page_header: str | None = None, page_footer: str | None = None) -> Path:
    """Write a .docx: a header table, paragraphs, a table, a real footnote (w:footnoteReference), page header/footer.

    python-docx cannot write footnotes; the footnote part is added to the saved package by hand.
    """
    import docx

    d = docx.Document()
    if header_table:
        t = d.add_table(rows=len(header_table), cols=len(header_table[0]))
        for i, row in enumerate(header_table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    marker_para = None
    for text in paragraphs:
        p = d.add_paragraph(text)
        if footnote_after and text.endswith(footnote_after):
            marker_para = p
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    if page_header is not None:
        d.sections[0].header.paragraphs[0].text = page_header
    if page_footer is not None:
        d.sections[0].footer.paragraphs[0].text = page_footer
    if footnote is not None and marker_para is not None:
        from docx.oxml import parse_xml

        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        marker_para._p.append(parse_xml(
            f'<w:r {w}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))
        # the paragraph then continues after the marker
        marker_para._p.append(parse_xml(f'<w:r {w}><w:t xml:space="preserve"> ngày 12/12/2013.</w:t></w:r>'))
    d.save(str(path))
    if footnote is not None:
        _add_footnotes(path, footnote)
    return path


def _add_footnotes(path: Path, text: str) -> None:
    import shutil
    import tempfile
    import zipfile
    from xml.sax.saxutils import escape

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{w}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           '</w:footnote>'
           f'<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}'
           '</w:t></w:r></w:p></w:footnote></w:footnotes>')
    tmp = Path(tempfile.mkdtemp()) / "x.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn1" Type="http://schemas.'
                                    b'openxmlformats.org/officeDocument/2006/relationships/footnotes" '
                                    b'Target="footnotes.xml"/></Relationships>')
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", xml)
    shutil.move(str(tmp), str(path))


def make_pdf(path: Path, pages: Sequence[Sequence[str]], *, running_header: str | Callable[[int], str] | None = None,
             page_numbers: bool = True, font_size: float = 11) -> Path:
    """Write a PDF with a text layer. Each page is a list of lines; inside a line, ``^1`` writes a footnote
    marker ``1`` as a raised superscript in a smaller font. A running header is drawn on every page and
    ``Trang i/n`` at the bottom; ``running_header`` may be a function of the page number (from 1).

    Lines are 1.3 font sizes apart (reportlab's default 1.2 lets DejaVu's stacked diacritics of one line
    overlap the next, and PDFium drops a text run that repeats an overlapping one, as it does for fake bold)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", dejavu_font()))
    c = canvas.Canvas(str(path))
    for n, lines in enumerate(pages, 1):
        if running_header:
            c.setFont("DejaVu", 9)
            c.drawString(72, 800, running_header(n) if callable(running_header) else running_header)
        t = c.beginText(72, 740)
        t.setFont("DejaVu", font_size, leading=1.3 * font_size)
        for line in lines:
            for k, piece in enumerate(line.split("^")):
                if k:  # a footnote marker: leading digits of the piece, or digits in brackets: ^(2)
                    digits = piece[: len(piece) - len(piece.lstrip("0123456789"))]
                    if not digits and piece[:1] == "(" and ")" in piece:
                        digits = piece[: piece.index(")") + 1]
                    t.setRise(4)
                    t.setFont("DejaVu", font_size * 0.6)
                    t.textOut(digits)
                    t.setRise(0)
                    t.setFont("DejaVu", font_size)
                    piece = piece[len(digits):]
                t.textOut(piece)
            t.textLine("")
        c.drawText(t)
        if page_numbers:
            c.setFont("DejaVu", 9)
            c.drawString(300, 40, f"Trang {n}/{len(pages)}")
        c.showPage()
    c.save()
    return path


def make_turned_pdf(path: Path, lines: Sequence[str], rotation: int = 90, font_size: float = 11) -> Path:
    """A page shown turned (``/Rotate``) whose text is drawn turned the other way, so that it reads upright on
    screen, one glyph at a time, as word processors write landscape tables into gazette PDFs."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", dejavu_font()))
    width, height = 595, 842
    c = canvas.Canvas(str(path), pagesize=(width, height))
    c.setPageRotation(rotation)
    c.translate(*{0: (0, 0), 90: (width, 0), 180: (width, height), 270: (0, height)}[rotation])
    c.rotate(rotation)
    y = (width if rotation in (90, 270) else height) - 72
    for line in lines:
        x = 40.0
        for ch in line:
            t = c.beginText(x, y)
            t.setFont("DejaVu", font_size)
            t.textOut(ch)
            c.drawText(t)
            x += pdfmetrics.stringWidth(ch, "DejaVu", font_size)
        y -= 1.4 * font_size
    c.showPage()
    c.save()
    return path


def make_image_pdf(path: Path) -> Path:
    """A PDF whose page is only a drawing (no text layer), like a scan."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(2):
        c.rect(72, 72, 400, 600, fill=1)
        c.showPage()
    c.save()
    return path


def to_markdown(text: str) -> str:
    """A plain-text document written as scraped corpora write it in Markdown: the header lines in pairs as
    the two cells of table rows, with a delimiter row, the type line in bold, lines in capitals as headings,
    ``Điều n.`` in bold, numbered items escaped (``1\\.``), each symbol a link to a page whose address spells
    the symbol, ``Nơi nhận:`` in italics, ``&`` as an entity. Line breaks stay where they are."""
    import re

    lines = text.split("\n")
    # the header: up to the place-and-date line ("Hà Nội, ngày 12 tháng 6 năm 2025")
    date_at = next((i for i, ln in enumerate(lines[:40]) if re.match(r"^[^\d,;]{2,40},\s*ngày\s+\d", ln.strip())), -1)
    head = lines[:date_at + 1] if date_at >= 0 else []
    out: list[str] = []
    group: list[str] = []
    for ln in head + [""]:  # each run of header lines without a blank line is one table
        if ln.strip():
            group.append(ln.replace("|", "/"))
            continue
        for k in range(0, len(group), 2):
            out.append("| " + " | ".join(group[k:k + 2]) + " |")
            if k == 0:
                out.append("|---|---|" if len(group) > 1 else "|---|")
        group = []
        out.append(ln)
    out = out[:-1] if head else out
    typed = False
    for ln in lines[len(head):]:
        s = ln.strip()
        if not typed and s.isupper() and len(s) > 3:
            ln, typed = f"**{s}**", True
        elif s.isupper() and len(s) > 3 and not re.search(r"\d/", s):
            ln = f"## {s}"
        elif re.match(r"Điều \d+\.", s):
            m = re.match(r"(Điều \d+\.)(.*)", s)
            ln = f"**{m.group(1)}**{m.group(2)}"
        elif re.match(r"\d+\. ", s):
            ln = re.sub(r"^(\d+)\. ", r"\1\\. ", s)
        elif s.startswith("Nơi nhận:"):
            ln = "*Nơi nhận:*" + s[len("Nơi nhận:"):]
        ln = re.sub(r"(?<![\w/.-])(\d+[\w./&-]*/[\w./&-]*[A-ZĐ][\w&-]*)",
                    lambda m: f"[{m.group(1)}](https://thuvienphapluat.vn/van-ban/{m.group(1).lower().replace('/', '-')}.aspx)",
                    ln)
        out.append(ln.replace("&", "&amp;") if "](" not in ln else ln)
    return "\n".join(out)
