"""The matching view (``citegraph.text.normalize``) against its simple definitions, on random strings.

- ``_clusters_simple`` (numpy; its own composition by ``_composed``) gives the NFC of the text and
  the same original offsets as ``_clusters_general``, or None;
- the character substitutions one by one give what one translation gives;
- a text in NFC does not load numpy.

(The tone pairs are a declared pattern: tests/test_prefilter.py covers them.)
"""
from __future__ import annotations

import random
import subprocess
import sys
import unicodedata
from bisect import bisect_right

from citegraph.text import normalize as N

MARKS = ["\u0301", "\u0300", "\u0323", "\u0302", "\u031b", "\u0306", "\u0303", "\u0309", "\u0308", "\u0345",
         "\u0313", "\u0342", "\u0338", "\u093c", "\u0654", "\u20d0", "\u0327", "\u1161", "\u11a8", "\u0b3e",
         "\U0001d165", "\U000e0100"]
BASES = list("aeiouyAEIOUYxqQđĐ ωαη1.\n") + ["\u0915", "\u0627", "\u1100", "\uac00", "\U0001d15e", "\U00020000",
                                            "\u0b47", "ı", "<", "\u2126", "\ud800"]


VIET = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ 1q.\n"


def _random_text(rng: random.Random) -> str:
    if rng.random() < 0.3:  # decomposed Vietnamese
        return unicodedata.normalize("NFD", "".join(rng.choice(VIET + VIET.upper()) for _ in range(rng.randint(1, 40))))
    parts: list[str] = []
    viet = rng.random() < 0.5  # Vietnamese letters and marks only: mostly the numpy composition
    for _ in range(rng.randint(1, 25)):
        parts.append(rng.choice(BASES[:18] if viet else BASES))
        marks = MARKS[:9] if viet or rng.random() < 0.8 else MARKS
        parts.extend(rng.choice(marks) for _ in range(rng.choice((0, 0, 1, 1, 2) if viet else (0, 0, 1, 1, 2, 3))))
    text = "".join(parts)
    if rng.random() < 0.7 and "\ud800" not in text:
        text = unicodedata.normalize("NFD", text)
    return rng.choice(MARKS) + text if rng.random() < 0.05 else text


def test_clusters_simple_matches_general() -> None:
    rng = random.Random(7)
    simple = 0
    for _ in range(20000):
        text = _random_text(rng)
        got = N._clusters_simple(text)
        if got is None:
            continue
        simple += 1
        nfc, runs, shifts = got
        assert nfc == unicodedata.normalize("NFC", text), ascii(text)
        general, starts = N._clusters_general(text)
        assert general == nfc
        assert [i + shifts[bisect_right(runs, i) - 1] for i in range(len(nfc))] == starts, ascii(text)
    assert simple > 5000  # about a third


def test_view_of_decomposed_text() -> None:
    text = unicodedata.normalize("NFD", "Quyết định số 12/QĐ-UBND của Uỷ ban nhân dân tỉnh Hoà Bình")
    view = N.View(text)
    assert view.text == "Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh Hòa Bình"
    start = view.text.index("Ủy")
    a, b = view.span(start, start + 2)
    assert unicodedata.normalize("NFC", text[a:b]) == "Uỷ"


def test_nfc_text_does_not_import_numpy() -> None:
    code = ("import sys; from citegraph.text.normalize import View; "
            "View('Hòa Bình \u2013 Ủy ban ' * 50); View('x'); assert 'numpy' not in sys.modules")
    subprocess.run([sys.executable, "-W", "ignore", "-c", code], check=True)


def test_char_substitutions_match_translate() -> None:
    rng = random.Random(5)
    alphabet = ["a", "đ", "Đ", "-", " ", "/", "ộ", "\n"] + [c for c, _ in N._CHAR_PAIRS]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        assert N.View(text).text == N._retone(text.translate(N._CHAR_MAP)), ascii(text)
