"""Readers: .txt/.md in every encoding officials' files come in, .docx, .pdf with a text layer, scraped .html."""
from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import pytest

from citegraph.io import legacy
from citegraph.io.read import ReadError, read
from citegraph.io.readers import OFFSET_NOTES, page_of
from fixtures_util import corpus_texts, make_docx, make_image_pdf, make_pdf

SEEDS = corpus_texts()


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed where the code page has the letter, else base + tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = [c for c in d if c in "\u0300\u0301\u0303\u0309\u0323"]
            rest = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += rest.encode("cp1258") + "".join(tones).encode("cp1258")
    return bytes(out)


# ---------------------------------------------------------------- text files


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_encodings_read_back_exactly(tmp_path: Path, codec: str) -> None:
    text = SEEDS[0][:5000]
    p = tmp_path / "seed.txt"
    p.write_bytes(text.encode(codec))
    doc = read(p)
    assert doc.text == text
    assert doc.format == "text"
    assert doc.encoding in (codec, "utf-16", "utf-8-sig", "utf-16-le", "utf-16-be")
    # offsets are offsets in the file's text: a symbol is where the file has it
    i = text.index("01-CTr/BDVTW")
    assert doc.text[i:i + len("01-CTr/BDVTW")] == "01-CTr/BDVTW"


def test_windows_1258_with_combining_tones(tmp_path: Path) -> None:
    text = "Thực hiện Kết luận số 114-KL/TW ngày 20/7/2015 của Ban Bí thư về nâng cao chất lượng."
    p = tmp_path / "cp1258.txt"
    p.write_bytes(to_cp1258(text))
    doc = read(p)
    assert doc.encoding == "cp1258"
    assert unicodedata.normalize("NFC", doc.text) == text
    assert doc.view.text == text
    assert any("Windows-1258" in w for w in doc.warnings)


@pytest.mark.parametrize("k", range(len(SEEDS)))
def test_seed_texts_in_windows_1258_are_not_taken_for_legacy(tmp_path: Path, k: int) -> None:
    p = tmp_path / "seed.txt"
    p.write_bytes(to_cp1258(SEEDS[k]))
    doc = read(p)
    assert doc.encoding == "cp1258"
    assert unicodedata.normalize("NFC", doc.text) == unicodedata.normalize("NFC", SEEDS[k])


def test_markdown_is_text_with_its_own_format(tmp_path: Path) -> None:
    p = tmp_path / "kh.md"
    p.write_text("**KẾ HOẠCH**\n\nThực hiện Chỉ thị số 33/CT-TTg", encoding="utf-8")
    doc = read(p)
    assert doc.format == "markdown"
    assert doc.text.endswith("33/CT-TTg")


def test_forced_encoding(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes("Số 18/CT-UBND".encode("utf-16-le"))
    assert read(p, encoding="utf-16-le").text == "Số 18/CT-UBND"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"S\xe1\xbb plain text")
    with pytest.raises(ReadError, match=r"bad\.txt: not valid utf-8 \(byte 1\)"):
        read(bad, encoding="utf-8")
    with pytest.raises(ReadError, match="unknown encoding"):
        read(bad, encoding="no-such-codec")


@pytest.mark.parametrize("data", [b" \t\r\n\x0b\x0c", "\u00a0\n\u2003".encode(), "\u3000".encode("utf-16"), b"\xef\xbb\xbf \n"])
def test_a_file_of_blanks_is_empty(tmp_path: Path, data: bytes) -> None:
    """Blanks only, ASCII or beyond (a text file is read once: its bytes, then its text, looked at for blanks)."""
    for suffix in (".txt", ".md", ".html", ".text", ".log"):
        p = tmp_path / f"blank{suffix}"
        p.write_bytes(data)
        with pytest.raises(ReadError, match=r"blank\.\w+: (empty file|no text in the HTML page)"):
            read(p)


def test_a_text_file_named_as_another_format_is_read_by_its_content(tmp_path: Path, docx_file: Path) -> None:
    """The format comes from the content where it is unmistakable, the file read whole or by its head alike."""
    as_txt = tmp_path / "kh.txt"
    as_txt.write_bytes(docx_file.read_bytes())
    assert read(as_txt).format == "docx" and read(as_txt).text == read(docx_file).text
    plain = tmp_path / "kh.dat"
    plain.write_text("Căn cứ Chỉ thị số 33/CT-TTg", encoding="utf-8")
    doc = read(plain)
    assert (doc.format, doc.text, doc.encoding) == ("text", "Căn cứ Chỉ thị số 33/CT-TTg", "utf-8")


def test_legacy_tcvn3_text_file_is_converted(tmp_path: Path) -> None:
    text = SEEDS[1][:3000]
    p = tmp_path / "tcvn3.txt"
    p.write_bytes(legacy.from_unicode(text, "tcvn3").encode("cp1252"))
    doc = read(p)
    assert doc.encoding == "tcvn3"
    assert doc.text.casefold() == text.casefold()  # TCVN3 has no capital toned vowels in mixed-case words
    assert any("TCVN3" in w for w in doc.warnings)


def test_legacy_vni_pasted_into_utf8_file_is_converted(tmp_path: Path) -> None:
    text = SEEDS[2][:3000]
    p = tmp_path / "vni.txt"
    p.write_text(legacy.from_unicode(text, "vni"), encoding="utf-8")
    doc = read(p)
    assert doc.encoding == "vni"
    assert doc.text == text
    assert any("VNI" in w for w in doc.warnings)


# ---------------------------------------------------------------- .docx


@pytest.fixture()
def docx_file(tmp_path: Path) -> Path:
    return make_docx(
        tmp_path / "kh.docx",
        header_table=[["ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                      ["Số: 294/KH-VP", "Đồng Nai, ngày 08 tháng 4 năm 2024"]],
        paragraphs=["KẾ HOẠCH", "Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ;",
                    "Thực hiện Quyết định số 217-QĐ/TW"],
        footnote_after="217-QĐ/TW",
        footnote="Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị.",
        table=[["STT", "Văn bản"], ["1", "Kết luận số 114-KL/TW"]],
        page_header="Kế hoạch thực hiện Chỉ thị số 05-CT/TW",
        page_footer="Lưu: VT, 3225/QĐ-UBND",
    )


def test_docx_reads_paragraphs_tables_footnotes_headers(docx_file: Path) -> None:
    doc = read(docx_file)
    assert doc.format == "docx"
    t = doc.text
    # body paragraphs are paragraphs of the text (blank line between); a table cell's lines stay together
    assert "KẾ HOẠCH\n\nCăn cứ Chỉ thị" in t
    assert "ỦY BAN NHÂN DÂN\nTỈNH ĐỒNG NAI\n\nCỘNG HÒA" in t
    for piece in ["Số: 294/KH-VP", "33/CT-TTg ngày 26/11/2021", "114-KL/TW", "218-QĐ/TW ngày 12/12/2013",
                  "05-CT/TW", "3225/QĐ-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]:
        assert piece in t, piece
    # the footnote marker does not glue a digit to the symbol; the paragraph continues after it
    assert "217-QĐ/TW ngày 12/12/2013." in t
    # body first, then page header/footer, then footnotes
    assert t.index("33/CT-TTg") < t.index("05-CT/TW") < t.index("218-QĐ/TW")
    assert t.index("Số: 294/KH-VP") < t.index("KẾ HOẠCH")
    assert any(OFFSET_NOTES["docx"] in w for w in doc.warnings)
    assert all(w.startswith(str(docx_file)) for w in doc.warnings)


def test_docx_typed_in_tcvn3_is_converted(tmp_path: Path) -> None:
    body = [line.rstrip() for line in SEEDS[0].splitlines() if line.strip()][:30]
    p = make_docx(tmp_path / "old.docx", paragraphs=[legacy.from_unicode(x, "tcvn3") for x in body])
    doc = read(p)
    assert doc.encoding == "tcvn3"
    assert [ln for ln in doc.text.casefold().splitlines() if ln] == [ln.casefold() for ln in body]


def test_docx_runs_in_legacy_fonts_are_converted_by_font(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("Căn cứ ")  # a Unicode run
    r = p.add_run(legacy.from_unicode("Quyết định", "tcvn3"))
    r.font.name = ".VnTime"
    p.add_run(" số 217-QĐ/TW của ")
    r = p.add_run(legacy.from_unicode("Bộ Chính trị", "vni"))
    r.font.name = "VNI-Times"
    title = d.add_paragraph().add_run(legacy.from_unicode("kế hoạch", "tcvn3"))
    title.font.name = ".VnTimeH"  # capital font: lower-case codes drawn as capitals
    d.add_paragraph().add_run(legacy.from_unicode("Đảng", "tcvn3")).font.name = ".VnArial"  # one word: no heuristic
    path = tmp_path / "fonts.docx"
    d.save(str(path))
    doc = read(path)
    assert doc.text.split("\n\n")[:3] == ["Căn cứ Quyết định số 217-QĐ/TW của Bộ Chính trị", "KẾ HOẠCH", "Đảng"]
    assert doc.encoding == "tcvn3"
    warning = next(w for w in doc.warnings if "legacy fonts" in w)
    assert "4 text run(s)" in warning and ".VnTimeH (TCVN3 (ABC))" in warning and "VNI-Times (VNI Windows)" in warning


def test_docx_normal_style_in_a_legacy_font(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.styles["Normal"].font.name = ".VnTime"
    lines = ["Thực hiện Kết luận số 114-KL/TW", "Tỉnh ủy"]
    for line in lines:
        d.add_paragraph(legacy.from_unicode(line, "tcvn3"))
    d.add_paragraph("Café, déjà vu").runs[0].font.name = "Times New Roman"  # é would become ộ in TCVN3
    path = tmp_path / "style.docx"
    d.save(str(path))
    assert read(path).text.split("\n\n") == lines + ["Café, déjà vu"]


def test_docx_with_no_text(tmp_path: Path) -> None:
    p = make_docx(tmp_path / "blank.docx", paragraphs=["", "   "])
    with pytest.raises(ReadError, match=r"blank\.docx: no text"):
        read(p)


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(ReadError, match=r"x\.docx: a zip archive, not a Word document"):
        read(p)


def test_truncated_docx(docx_file: Path) -> None:
    data = docx_file.read_bytes()
    docx_file.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError) as e:
        read(docx_file)
    assert str(e.value).startswith(str(docx_file)) and "\n" not in str(e.value)


def test_legacy_word_doc_is_refused_with_advice(tmp_path: Path) -> None:
    p = tmp_path / "old.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match=r"old\.doc: an OLE2 file .*save it as \.docx"):
        read(p)


# ---------------------------------------------------------------- .pdf

PAGES = [
    ["Căn cứ Nghị quyết số 25-NQ/TW^1 ngày 12/12/2013 của Bộ Chính trị;",
     "Thực hiện Thông tư số 68/2024/TT-",
     "BTC của Bộ Tài chính về hướng dẫn;",
     "1 Nghị quyết về công tác dân vận."],
    ["Các sở, ban, ngành triển khai Chỉ thị số 33/CT-",
     "TTg ngày 26/11/2021 của Thủ tướng Chính phủ;",
     "báo cáo kết quả về Văn phòng."],
    ["Giao Văn phòng theo dõi, đôn đốc thực hiện Kế hoạch",
     "này; tổng hợp, báo cáo theo quy định. Diện tích 120 m^2 đất ở."],
]
RUNNING = "ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI — Kế hoạch số 294/KH-VP"


def test_pdf_text_layer_headers_footers_markers(tmp_path: Path) -> None:
    p = make_pdf(tmp_path / "kh.pdf", PAGES, running_header=RUNNING)
    doc = read(p)
    t = doc.text
    assert doc.format == "pdf"
    assert "294/KH-VP" not in t and "Trang" not in t  # running header and page numbers dropped
    assert "25-NQ/TW ngày 12/12/2013" in t  # superscript footnote marker not glued to the symbol
    assert "25-NQ/TW1" not in t
    assert "68/2024/TT-BTC" in t and "33/CT-TTg" in t  # symbols split at a line end rejoined
    assert "1 Nghị quyết về công tác dân vận." in t  # footnote text itself kept
    assert "120 m2 đất ở." in t  # an exponent after a unit is not a footnote marker
    assert t.count("\f") == len(PAGES) - 1  # pages separated by a form feed
    assert [page_of(t, t.index(s)) for s in ("25-NQ/TW", "33/CT-TTg", "Giao Văn phòng")] == [1, 2, 3]
    assert any(OFFSET_NOTES["pdf"] in w for w in doc.warnings)


def test_pdf_paragraph_gaps_become_blank_lines(tmp_path: Path) -> None:
    lines = ["Số: 294/KH-VP", "", "Đồng Nai, ngày 08 tháng 4 năm 2024", "", "KẾ HOẠCH", "Thực hiện công tác dân vận",
             "", "Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng", "Chính phủ về tăng cường công tác;",
             "", "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:"]
    p = make_pdf(tmp_path / "gaps.pdf", [lines], page_numbers=False)
    t = read(p).text
    assert t == "\n".join(lines)  # a blank line where the page has a paragraph gap, none inside a paragraph
    from citegraph.extraction.pipeline import extract
    h = extract(p).document
    assert (h.symbol, h.type, h.title) == ("294/KH-VP", "Kế hoạch", "Thực hiện công tác dân vận")


def test_single_page_pdf_keeps_its_lines(tmp_path: Path) -> None:
    p = make_pdf(tmp_path / "one.pdf", [PAGES[1]], running_header=RUNNING)
    t = read(p).text
    assert "33/CT-TTg" in t and RUNNING in t and "Trang" not in t


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    p = make_image_pdf(tmp_path / "scan.pdf")
    with pytest.raises(ReadError, match=r"scan\.pdf: the PDF has no text layer.*needs OCR"):
        read(p)


def test_corrupt_pdf(tmp_path: Path) -> None:
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage \x00\x01\x02")
    with pytest.raises(ReadError) as e:
        read(p)
    assert str(e.value).startswith(str(p)) and "\n" not in str(e.value)


def test_pdf_typed_in_vni_is_converted(tmp_path: Path) -> None:
    # Fonts with VNI glyphs put Latin-1 characters in the text layer; DejaVu draws them as such.
    lines = ["Thực hiện Kết luận số 114-KL/TW ngày 20/7/2015 của Ban Bí thư",
             "về tiếp tục nâng cao chất lượng công tác dân vận của cơ quan nhà nước"]
    p = make_pdf(tmp_path / "vni.pdf", [[legacy.from_unicode(x, "vni") for x in lines]], page_numbers=False)
    doc = read(p)
    assert doc.encoding == "vni"
    assert doc.text == "\n".join(lines)


# ---------------------------------------------------------------- .html

HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Cổng thông tin</title>
<script>var s = "99/CT-TTg"; document.write('<p>' + s + '</p>');</script>
<style>.x { content: "98/QĐ-TTg"; }</style></head>
<body><nav>Trang chủ | Văn bản</nav>
<div class="content"><p>Căn cứ <b>Chỉ thị</b> số 33/CT-TTg<br>ngày 26/11/2021 của Thủ tướng Chính phủ &amp; các bộ;</p>
<p style="display:none">Quyết định số 97/QĐ-TTg</p><!-- 96/QĐ-TTg -->
<table><tr><td>Số: 294/KH-VP</td><td>Đồng Nai, ngày 08 tháng 4 năm 2024</td></tr></table>
<noscript>95/QĐ-TTg</noscript></div></body></html>"""


def test_html_text_only(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    doc = read(p)
    t = doc.text
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert "Căn cứ Chỉ thị số 33/CT-TTg\nngày 26/11/2021 của Thủ tướng Chính phủ & các bộ;" in t
    for hidden in ["99/CT-TTg", "98/QĐ-TTg", "97/QĐ-TTg", "96/QĐ-TTg", "95/QĐ-TTg", "<", "document.write"]:
        assert hidden not in t, hidden
    assert "Số: 294/KH-VP\nĐồng Nai, ngày 08 tháng 4 năm 2024" in t
    assert any(OFFSET_NOTES["html"] in w for w in doc.warnings)


def test_html_footnote_markers_and_wrong_meta_charset(tmp_path: Path) -> None:
    page = ('<html><head><meta charset="iso-8859-1"></head><body><p>Căn cứ Nghị quyết số 25-NQ/TW<sup>1</sup> '
            'ngày 12/12/2013 và Chỉ thị số 05-CT/TW<sup><a href="#fn2">[2]</a></sup>; m<sup>2</sup> đất</p>'
            '<p><sup>1</sup> Nghị quyết về công tác dân vận.</p></body></html>')
    p = tmp_path / "fn.html"
    p.write_bytes(page.encode("utf-8"))
    doc = read(p)
    assert doc.encoding == "utf-8"
    assert "Căn cứ Nghị quyết số 25-NQ/TW ngày 12/12/2013 và Chỉ thị số 05-CT/TW; m2 đất" in doc.text
    assert "Nghị quyết về công tác dân vận." in doc.text


def test_html_legacy_font_faces(tmp_path: Path) -> None:
    page = ('<html><body><p><font face=".VnTime">' + legacy.from_unicode("Căn cứ Quyết định", "tcvn3") + '</font> số '
            '217-QĐ/TW <span style="font-family: \'VNI-Times\', serif">' + legacy.from_unicode("của Bộ Chính trị", "vni")
            + '<span style="font-family: Arial">Côte</span></span></p>'
            '<h1><font face=".VnTimeH">' + legacy.from_unicode("kế hoạch", "tcvn3") + '</font></h1></body></html>')
    p = tmp_path / "old.html"
    p.write_bytes(page.encode("utf-8"))
    doc = read(p)
    assert doc.text.splitlines()[0] == "Căn cứ Quyết định số 217-QĐ/TW của Bộ Chính trịCôte"
    assert "KẾ HOẠCH" in doc.text
    assert any("3 text piece(s) in legacy fonts converted to Unicode: .VnTime (TCVN3 (ABC)), .VnTimeH (TCVN3 (ABC)), "
               "VNI-Times (VNI" in w for w in doc.warnings)


def test_html_declared_charset_windows_1258(tmp_path: Path) -> None:
    body = "Thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương"
    page = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head><body><p>{body}</p></body></html>'
    p = tmp_path / "old.htm"
    p.write_bytes(to_cp1258(page))
    doc = read(p)
    assert unicodedata.normalize("NFC", doc.text) == body


def test_deeply_nested_html_does_not_overflow(tmp_path: Path) -> None:
    p = tmp_path / "deep.html"
    p.write_text("<div>" * 5000 + "Chỉ thị số 33/CT-TTg" + "</div>" * 5000, encoding="utf-8")
    try:
        t = read(p).text
    except ReadError as e:  # a clear refusal is acceptable, a crash is not
        assert str(e).startswith(str(p))
    else:
        assert "33/CT-TTg" in t


def test_html_without_text(tmp_path: Path) -> None:
    p = tmp_path / "empty.html"
    p.write_text("<html><head><script>x()</script></head><body>  </body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match=r"empty\.html: no text in the HTML page"):
        read(p)


# ---------------------------------------------------------------- end to end with the finder


def test_references_found_in_every_format(tmp_path: Path, docx_file: Path) -> None:
    from citegraph.extraction.pipeline import extract
    pdf = make_pdf(tmp_path / "kh.pdf", PAGES, running_header=RUNNING)
    html = tmp_path / "page.html"
    html.write_text(HTML, encoding="utf-8")
    expected = {docx_file: {"33/CT-TTg", "217-QĐ/TW", "218-QĐ/TW", "114-KL/TW"},
                pdf: {"25-NQ/TW", "68/2024/TT-BTC", "33/CT-TTg"},
                html: {"33/CT-TTg"}}
    for path, symbols in expected.items():
        ex = extract(path)
        found = {r.symbol for r in ex.references}
        assert symbols <= found, (path.name, found)
        for r in ex.references:
            assert ex.text[r.start:r.end] == r.text
    h = extract(docx_file).document  # the header table of a Word file reads as a header
    assert (h.symbol, h.date, h.place, h.type) == ("294/KH-VP", "2024-04-08", "Đồng Nai", "Kế hoạch")


def _docx_with_body(path: Path, body_xml: str) -> Path:
    """A .docx whose body is ``body_xml`` (WordprocessingML, namespaces w/mc/wps declared)."""
    import re
    import shutil
    import tempfile

    make_docx(path, paragraphs=["placeholder"])
    tmp = Path(tempfile.mkdtemp()) / "x.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = re.sub(r"<w:body>.*</w:body>", lambda m: f"<w:body>{body_xml}</w:body>", xml, flags=re.S)
                data = xml.encode("utf-8")
            dst.writestr(item, data)
    shutil.move(str(tmp), str(path))
    return path


def test_docx_tracked_changes_fields_nested_tables_text_boxes(tmp_path: Path) -> None:
    r = lambda t: f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>'  # noqa: E731
    body = (
        f"<w:p>{r('Căn cứ Quyết định số ')}<w:del><w:r><w:delText>999/QĐ-XX</w:delText></w:r></w:del>"
        f"<w:ins>{r('3225/QĐ-UBND')}</w:ins>{r(' ngày 08/4/2024;')}</w:p>"
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "x/1-QĐ/TW" </w:instrText>'
        f'</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{r("Kết luận số 114-KL/TW")}'
        f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        f"<w:tbl><w:tr><w:tc><w:p>{r('ngoài')}</w:p><w:tbl><w:tr><w:tc><w:p>{r('Chỉ thị số 05-CT/TW')}</w:p>"
        f"</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>"
        f"<w:p>{r('Trước hộp.')}<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>"
        f"<w:txbxContent><w:p>{r('Nghị quyết số 25-NQ/TW')}</w:p></w:txbxContent></wps:txbx></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p>{r('Nghị quyết số 25-NQ/TW')}</w:p>"
        f"</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>{r('Sau hộp.')}</w:p>"
    )
    p = _docx_with_body(tmp_path / "tracked.docx", body)
    t = read(p).text
    assert "Căn cứ Quyết định số 3225/QĐ-UBND ngày 08/4/2024;" in t
    assert "999/QĐ-XX" not in t and "HYPERLINK" not in t and "1-QĐ/TW" not in t
    assert "Kết luận số 114-KL/TW" in t
    assert t.index("ngoài") < t.index("05-CT/TW")
    assert t.count("25-NQ/TW") == 1  # the text box once, not again from its fallback
    assert "Trước hộp.Sau hộp.\n\nNghị quyết số 25-NQ/TW" in t


def test_offsets_exact_says_the_truth(tmp_path: Path) -> None:
    from citegraph.io.readers import offsets_exact

    sentence = "Thực hiện Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ Chính trị về công tác dân vận"
    cases = {"tcvn3": legacy.from_unicode(sentence, "tcvn3"), "vni": legacy.from_unicode(sentence, "vni"),
             "utf-8": sentence}
    for enc, raw in cases.items():
        p = tmp_path / f"{enc}.txt"
        p.write_bytes(("Mở đầu.\n\n" if enc == "utf-8" else "Mo dau.\n\n").encode() + raw.encode("cp1252" if enc != "utf-8" else "utf-8"))
        doc = read(p)
        on_disk = p.read_bytes().decode("cp1252" if enc != "utf-8" else "utf-8")
        i = doc.text.index("217-QĐ/TW ngày")
        same_place = on_disk[i:i + 14] == legacy.from_unicode("217-QĐ/TW ngày", enc) if enc != "utf-8" else \
            on_disk[i:i + 14] == "217-QĐ/TW ngày"
        assert doc.encoding == enc
        assert offsets_exact(doc.format, doc.encoding) == same_place, enc


# ---------------------------------------------------------------- round trips (hypothesis)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_VIET = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
_WORD = st.text(alphabet=_VIET + _VIET.upper() + "bcdghklmnpqrstvxBCDGHKLMNPQRSTVX0123456789/-.,;:()",
                min_size=1, max_size=12)
_PARAS = st.lists(st.lists(_WORD, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6)
_RT = settings(max_examples=25, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_RT
@given(_PARAS)
def test_docx_round_trip(tmp_path: Path, paras: list[str]) -> None:
    p = make_docx(tmp_path / "rt.docx", paragraphs=paras)
    assert read(p).text == "\n\n".join(paras)


@_RT
@given(_PARAS)
def test_html_round_trip(tmp_path: Path, paras: list[str]) -> None:
    from html import escape

    p = tmp_path / "rt.html"
    p.write_text("<html><body>" + "".join(f"<p>{escape(x)}</p>" for x in paras) + "</body></html>", encoding="utf-8")
    assert read(p).text == "\n\n".join(paras)


@_RT
@given(st.lists(st.lists(_WORD, min_size=1, max_size=8).map(" ".join).filter(lambda s: any(c.isalpha() for c in s)),
                min_size=1, max_size=5))
def test_pdf_round_trip(tmp_path: Path, lines: list[str]) -> None:
    # (a line of digits alone at the top or bottom of a page is taken for a page number and dropped)
    p = make_pdf(tmp_path / "rt.pdf", [lines], page_numbers=False)
    assert unicodedata.normalize("NFC", read(p).text) == "\n".join(lines)
