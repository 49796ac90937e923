"""PDFs through PDFium: hyphens at line ends, superscript markers, turned pages, running headers, encryption,
threads; and, with the shared corpus beside the checkout, the official gazette PDFs against the text their
publisher extracted from the same files."""
from __future__ import annotations

import concurrent.futures
import logging
import re
from pathlib import Path

import pytest

from citegraph.io.read import ReadError, read
from fixtures_util import make_pdf, make_turned_pdf

ROOT = Path(__file__).resolve().parent.parent
GAZETTE = ROOT.parent / "shared" / "real" / "gazette"


def _pdfium_text(path: Path) -> str:
    """What bare PDFium gives for the first page (to show a test exercises what it claims to)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


# ---------------------------------------------------------------- text as printed


def test_hyphen_pdfium_marks_at_a_line_end_is_a_hyphen(tmp_path: Path) -> None:
    p = make_pdf(tmp_path / "nd.pdf", [["Căn cứ Nghị định số 22/2026/NĐ-", "CP ngày 16 tháng 01 năm 2026 của Chính phủ;"]],
                 page_numbers=False)
    assert "\ufffe" in _pdfium_text(p)  # PDFium joins the lines and marks the hyphen with U+FFFE
    t = read(p).text
    assert "\ufffe" not in t
    assert "22/2026/NĐ-CP ngày 16 tháng 01 năm 2026" in t


def test_superscript_footnote_markers_are_dropped(tmp_path: Path) -> None:
    lines = ["Căn cứ Nghị quyết số 25-NQ/TW^1 ngày 12/12/2013 của Bộ Chính trị;",
             "Căn cứ Luật số 35/2018/QH14^12",
             "4 Thẩm định Thông tư^3 Văn bản thẩm định 18%",
             "được sửa đổi như sau^(2): Diện tích 120 m^2 đất ở."]
    p = make_pdf(tmp_path / "fn.pdf", [lines], page_numbers=False)
    t = read(p).text
    assert t.splitlines() == ["Căn cứ Nghị quyết số 25-NQ/TW ngày 12/12/2013 của Bộ Chính trị;",
                              "Căn cứ Luật số 35/2018/QH14",
                              "4 Thẩm định Thông tư Văn bản thẩm định 18%",
                              "được sửa đổi như sau: Diện tích 120 m2 đất ở."]
    from citegraph.extraction.pipeline import extract

    assert {r.symbol for r in extract(p).references if r.symbol} >= {"25-NQ/TW", "35/2018/QH14"}


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_turned_page_reads_as_lines(tmp_path: Path, rotation: int) -> None:
    lines = ["STT Văn bản hết hiệu lực Lý do hết hiệu lực",
             "1 Quyết định số 169/QĐ-BLĐTBXH ngày 24/01/2025 của Bộ trưởng",
             "Được bãi bỏ bởi Thông tư số 03/2024/TT-BLĐTBXH ngày 18/4/2024"]
    p = make_turned_pdf(tmp_path / f"turned{rotation}.pdf", lines, rotation)
    if rotation != 180:  # PDFium alone cuts such a page into pieces of words
        assert "Quyết định số 169/QĐ-BLĐTBXH" not in _pdfium_text(p)
    assert read(p).text == "\n".join(lines)


def test_gazette_running_header_and_page_numbers_are_dropped(tmp_path: Path) -> None:
    def header(n: int) -> str:  # the page number outside: after the header on odd pages, before it on even ones
        issue = "CÔNG BÁO/Số 851 + 852/Ngày 01-7-2025"
        return f"{issue} {60 + n}" if n % 2 else f"{60 + n} {issue}"

    pages = [["BỘ TÀI CHÍNH", "Số: 07/2025/TT-BTC", "Hà Nội, ngày 20 tháng 6 năm 2025", "THÔNG TƯ",
              "Hướng dẫn quản lý kinh phí", "Căn cứ Nghị định số 29/2025/NĐ-CP ngày 24 tháng 02 năm 2025;"],
             ["Điều 1. Phạm vi điều chỉnh", "Thông tư này hướng dẫn Nghị định số 60/2021/NĐ-CP."],
             ["Điều 2. Hiệu lực thi hành", "Thông tư này có hiệu lực từ ngày 01 tháng 8 năm 2025."]]
    p = make_pdf(tmp_path / "gazette.pdf", pages, running_header=header, page_numbers=False)
    t = read(p).text
    assert "CÔNG BÁO" not in t and not re.search(r"^\f?6\d$", t, re.M)
    assert t.split("\f")[1].startswith("Điều 1. Phạm vi điều chỉnh")
    from citegraph.extraction.pipeline import extract

    x = extract(p)
    assert x.document.symbol == "07/2025/TT-BTC"
    assert {r.symbol for r in x.references if r.symbol} - {x.document.symbol} == {"29/2025/NĐ-CP", "60/2021/NĐ-CP"}


# ---------------------------------------------------------------- encryption, threads


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_locked_only_by_an_owner_password_is_read(tmp_path: Path, algorithm: str) -> None:
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("cryptography")  # pypdf needs it to write AES
    src = make_pdf(tmp_path / "plain.pdf", [["Thực hiện Kết luận số 114-KL/TW ngày 20/7/2015"]])
    w = pypdf.PdfWriter(clone_from=str(src))
    w.encrypt(user_password="", owner_password="owner", algorithm=algorithm)
    p = tmp_path / "owner.pdf"
    with open(p, "wb") as f:
        w.write(f)
    assert b"/Encrypt" in p.read_bytes()
    assert "114-KL/TW" in read(p).text
    w = pypdf.PdfWriter(clone_from=str(src))
    w.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as f:
        w.write(f)
    with pytest.raises(ReadError, match=r"locked\.pdf: encrypted PDF \(needs a password\)$"):
        read(locked)


def test_pdfs_read_from_many_threads_give_what_one_thread_gives(tmp_path: Path) -> None:
    """PDFium is not thread-safe (pypdfium2 says so): the reader holds a lock while it is in PDFium. Readers that
    silenced the library's logging each on their own left it silenced for good (found by this test)."""
    paths = [make_pdf(tmp_path / f"p{i}.pdf", [[f"Căn cứ Quyết định số {i}/QĐ-UBND ngày 0{i % 9 + 1}/4/2024;"] * 30] * 4)
             for i in range(8)]
    alone = [read(p).text for p in paths]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for _ in range(3):
            assert list(pool.map(lambda p: read(p).text, paths)) == alone
    # the library's logging is silenced while a file is read, and restored after the last reader
    assert logging.getLogger("pypdfium2").level == logging.NOTSET


# ---------------------------------------------------------------- the official gazette (shared corpus)


def _symbols(x) -> set[str]:
    return {r.symbol for r in x.references if r.kind == "numbered" and r.symbol}


@pytest.mark.skipif(not GAZETTE.is_dir(), reason="the shared corpus (../shared/real/gazette) is not beside this checkout")
def test_gazette_pdfs_give_the_symbols_of_their_dataset_text(capsys: pytest.CaptureFixture[str]) -> None:
    """For each gazette PDF, the numbered references found in the PDF and in the text the dataset's publisher
    extracted from it: the same symbols for at least 99% of the references (the union) overall."""
    from citegraph.extraction.pipeline import extract

    same = total = 0
    rows = []
    for pdf in sorted(GAZETTE.glob("*.pdf")):
        ds = pdf.with_suffix(".dataset.txt")
        if not ds.exists():
            continue
        a = _symbols(extract(pdf))
        b = _symbols(extract(read(ds.read_text(encoding="utf-8"))))
        same += len(a & b)
        total += len(a | b)
        if a != b:
            rows.append(f"{pdf.name}: PDF only {sorted(a - b)}, dataset text only {sorted(b - a)}")
    assert total > 500  # the 40 PDFs hold some 650 distinct references
    with capsys.disabled():
        print(f"\ngazette PDFs: {same}/{total} = {same / total:.4f} of the references the same", *rows, sep="\n  ")
    assert same / total >= 0.99, rows
