"""The shortcuts of ``citegraph.extraction.header`` against what they stand for."""
from __future__ import annotations

import re

import pytest

from citegraph.extraction import header
from citegraph.text.vocab import vocabulary

V = vocabulary()


@pytest.mark.parametrize("text", [
    "Tỉnh Quảng Nam, tp. Hồ Chí Minh; BHồ Chí Minh, Huế", "TP.HCM và TP HCM, TP. Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu, Bà Rịa-Vũng Tàu, Bà Rịa – Vũng Tàu, Bà\nRịa  -  Vũng Tàu", "Kontum Kon Tum KONTUM",
    "Thanh Hóa Thanh Hoá Thanhhóa, Hà Nội_ Hà Nội2 Hà Nội", "", "Q", "Đắk Lắk.Đăk Lăk",
    "_Huế 2Huế ²Huế ⅣHuế ǅHuế Huế", "XBà Rịa - Vũng Tàu Tàu", "Huế", "\u00a0Huế\u00a0", "HuếHuế Huế",
] + [n + " " + n for n in V.province_names()] + ["x" + n + " " + n for n in V.province_names()])
def test_province_matches_are_the_plain_ones(text: str) -> None:
    plain = header._rx()["province"].exact.finditer(text)
    assert [(m.span(), m.group("p")) for m in header._province_matches(text)] == [(m.span(), m.group("p")) for m in plain]


@pytest.mark.parametrize("text", ["Nơ, nơi nhận; Nơi\nnhận:", "Nơi nhận", "Nơinhận", "NƠI NHẬN:", "ơ Nơi  nhận :", "", "Nơi"])
def test_recipients_line_is_the_plain_search(text: str) -> None:
    a, b = header._recipients_line(text), header._RECIPIENTS.search(text)
    assert (a and a.span()) == (b and b.span())
