"""The shortcuts of ``citegraph.header`` against what they stand for (see ``_issues_search``)."""
from __future__ import annotations

import re

import pytest

from citegraph.extraction import header
from citegraph.text.vocab import vocabulary, words_pattern

V = vocabulary()


def _issues_plain(text: str, endpos: int) -> re.Match[str] | None:
    return header._rx()["issues"].search(text, 0, endpos)


@pytest.mark.parametrize("phrase", V.body_aliases() + V.province_names())
def test_backwards_matches_the_reversals(phrase: str) -> None:
    """Each name read backwards matches the reversal of its spellings (spaced hyphens, commas)."""
    back = re.compile(header._backwards(phrase), re.IGNORECASE)
    for spelled in {phrase, phrase.upper(), phrase.replace("-", " - "), phrase.replace(" ", "\n  "),
                    phrase.replace(",", " ,")}:
        assert re.fullmatch(words_pattern(phrase), spelled, re.IGNORECASE)
        assert back.fullmatch(spelled[::-1]), (phrase, spelled)


@pytest.mark.parametrize("text", [
    "UBND tỉnh Đồng Nai ban hành Kế hoạch thực hiện",
    "Căn cứ Luật Ban hành văn bản; Ủy ban nhân dân huyện xây  dựng Kế hoạch",
    "Điều 1. Sở Nội vụ TRIỂN KHAI\nXÂY DỰNG Kế hoạch; 2. Bộ Y tế ban hành Quyết định",
    "Ban hành kèm theo. Ban Thường vụ Tỉnh ủy Hà Nội xây dựng Chương trình",
    "xây dựng ban hành Kế hoạch, Ủy ban nhân dân tỉnh ban hành Kế hoạch",
    "ban\xa0hành Kế hoạch", "", "ban hành",
])
def test_issues_search_is_the_plain_search(text: str) -> None:
    for endpos in (len(text), len(text) // 2):
        a, b = header._issues_search(text, endpos), _issues_plain(text, endpos)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


@pytest.mark.parametrize("text", [
    "Tỉnh Quảng Nam, tp. Hồ Chí Minh; BHồ Chí Minh, Huế", "TP.HCM và TP HCM, TP. Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu, Bà Rịa-Vũng Tàu, Bà Rịa – Vũng Tàu, Bà\nRịa  -  Vũng Tàu", "Kontum Kon Tum KONTUM",
    "Thanh Hóa Thanh Hoá Thanhhóa, Hà Nội_ Hà Nội2 Hà Nội", "", "Q", "Đắk Lắk.Đăk Lăk",
] + [n + " " + n for n in V.province_names()])
def test_province_matches_are_the_plain_ones(text: str) -> None:
    plain = header._rx()["province"].exact.finditer(text)
    assert [(m.span(), m.group("p")) for m in header._province_matches(text)] == [(m.span(), m.group("p")) for m in plain]


@pytest.mark.parametrize("head", [
    "Sở Y tế\n * Số: 12/KH\nSố 3", "SỐ: 1\nSố:2", " Số x\n\tSố. 7", "Số", "",
    "Và nơi khác\nHà Nội, NGÀY 8 tháng 4 năm 2024", "Hà Nội, ngày 8 tháng 4 năm 24\nĐồng Nai , ngày  08 THÁNG 12 NĂM 1999",
    "x, ngày\n8 tháng 4 năm 2024", "ngày ngày, ngày 1 tháng 1 năm 2001",
])
def test_head_lines_are_the_plain_search(head: str) -> None:
    for name, found in (("symbol_line", header._symbol_line), ("place_date", header._place_date)):
        a, b = found(head), header._rx()[name].search(head)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))


@pytest.mark.parametrize("text", ["Nơ, nơi nhận; Nơi\nnhận:", "Nơi nhận", "Nơinhận", "NƠI NHẬN:", "ơ Nơi  nhận :", "", "Nơi"])
def test_recipients_line_is_the_plain_search(text: str) -> None:
    a, b = header._recipients_line(text), header._RECIPIENTS.search(text)
    assert (a and a.span()) == (b and b.span())
