"""Legacy font encodings: TCVN3 (ABC) and VNI, detected and converted; Unicode text left alone."""
from __future__ import annotations

import unicodedata

import pytest

from citegraph.io import legacy
from fixtures_util import corpus_texts

SEEDS = corpus_texts()
LOWER = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
SENTENCES = [
    "Kế hoạch số 247-KH/TU của Tỉnh ủy về việc thực hiện Kết luận số 114-KL/TW của Ban Bí thư.",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ về thực hiện dân chủ.",
    "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị",
    "Đảng Cộng sản Việt Nam; ngữ nghĩa; khuyếch trương; người lưỡng lự nghĩ ngợi",
]


def seed_lines() -> list[str]:
    return [ln.strip() for text in SEEDS for ln in text.splitlines() if ln.strip() and not ln.isascii()]


def test_tables_are_one_to_one_and_cover_the_alphabet() -> None:
    t = legacy.tables()
    for enc in legacy.ENCODINGS:
        values = list(t[enc].decode.values())
        assert len(values) == len(set(values)), enc  # no two codes for one letter
    assert set(LOWER) <= set(t["tcvn3"].decode.values()) | set("aeiouy")
    assert set(LOWER + LOWER.upper()) <= set(t["vni"].decode.values()) | set("aeiouyAEIOUY")
    # TCVN3 codes are single 8-bit characters above ASCII; VNI codes one or two 8-bit characters
    assert all(len(k) == 1 and 0xA0 < ord(k) <= 0xFF for k in t["tcvn3"].decode)
    assert all(1 <= len(k) <= 2 and all(ord(c) <= 0xFF for c in k) for k in t["vni"].decode)


@pytest.mark.parametrize("enc", legacy.ENCODINGS)
def test_every_letter_round_trips(enc: str) -> None:
    letters = LOWER + (LOWER.upper() if enc == "vni" else "ĂÂÊÔƠƯĐ")
    for ch in letters:
        word = f"x{ch}n"
        assert legacy.to_unicode(legacy.from_unicode(word, enc), enc) == word, (enc, ch)


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("enc", legacy.ENCODINGS)
def test_sentences_round_trip(enc: str, sentence: str) -> None:
    encoded = legacy.from_unicode(sentence, enc)
    assert encoded != sentence
    assert legacy.detect(encoded) == enc
    fixed, found, warnings = legacy.fix(encoded, "doc.txt")
    assert found == enc and fixed == sentence
    assert warnings and warnings[0].startswith("doc.txt: text typed in the legacy")


def test_seed_texts_round_trip_vni_exactly() -> None:
    for text in SEEDS:
        encoded = legacy.from_unicode(text, "vni")
        assert legacy.detect(encoded) == "vni"
        assert legacy.fix(encoded)[0] == unicodedata.normalize("NFC", text)


def _tcvn3_representable(line: str) -> bool:
    """TCVN3 has capital toned vowels only through the capital fonts, i.e. in words written in capitals."""
    caps = [c for c in line if c.isalpha() and c.isupper() and not c.isascii() and c not in "ĂÂÊÔƠƯĐ"]
    return not caps or line == line.upper()


def test_seed_texts_round_trip_tcvn3() -> None:
    for text in SEEDS:
        encoded = legacy.from_unicode(text, "tcvn3")
        assert legacy.detect(encoded) == "tcvn3"
        fixed = legacy.fix(encoded)[0]
        assert fixed.casefold() == unicodedata.normalize("NFC", text).casefold()
    exact = [ln for ln in seed_lines() if _tcvn3_representable(ln)]
    assert len(exact) > 50
    for line in exact:
        assert legacy.to_unicode(legacy.from_unicode(line, "tcvn3"), "tcvn3") == line


def test_capital_font_titles_come_out_in_capitals() -> None:
    for title in ["KẾ HOẠCH", "QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]:
        assert legacy.to_unicode(legacy.from_unicode(title, "tcvn3"), "tcvn3") == title


def test_unicode_vietnamese_is_never_converted() -> None:
    for text in SEEDS + SENTENCES:
        assert legacy.detect(text) is None
        assert legacy.fix(text) == (text, None, [])
        nfd = unicodedata.normalize("NFD", text)
        assert legacy.fix(nfd) == (nfd, None, [])


@pytest.mark.parametrize("text", [
    "Café crème, déjà vu: à la carte, naïve façade, señor Müller über Straße.",
    "Résumé of the Conférence on Économie — São Paulo, Zürich, Québec.",
    "Ðiều 5 (typed with an Icelandic eth), số 0124/KH-UBND",
    "Plain ASCII text with 33/CT-TTg and 25-NQ/TW only.",
])
def test_other_latin_text_is_not_converted(text: str) -> None:
    assert legacy.detect(text) is None
    assert legacy.fix(text)[1] is None


def test_windows_1258_decoded_text_is_not_taken_for_legacy() -> None:
    # cp1258 text carries tone marks as combining characters and Ơ/Ư/Đ as their own code points
    text = "Thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương về công tác dân vận"
    nfd = unicodedata.normalize("NFD", text)
    assert legacy.detect(nfd) is None


def test_mixed_document_converts_only_legacy_paragraphs() -> None:
    uni = SENTENCES[:2]
    old = [legacy.from_unicode(s, "tcvn3") for s in SENTENCES[2:]]
    mixed = "\n".join([uni[0], old[0], uni[1], old[1], old[2]])
    fixed, enc, warnings = legacy.fix(mixed, "m.docx")
    assert enc == "tcvn3"
    assert fixed == "\n".join([SENTENCES[0], SENTENCES[2], SENTENCES[1], SENTENCES[3], SENTENCES[4]])
    assert "(3 of 5 lines)" in warnings[0]


def test_one_legacy_paragraph_in_a_unicode_document() -> None:
    body = "\n".join(SENTENCES[:3])
    old = legacy.from_unicode("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ", "vni")
    fixed, enc, _ = legacy.fix(body + "\n" + old)
    assert enc == "vni"
    assert fixed.endswith("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ")
    assert fixed.startswith(body)


def test_tcvn3_keeps_offsets_vni_says_it_does_not() -> None:
    s = SENTENCES[0]
    t3 = legacy.from_unicode(s, "tcvn3")
    assert len(legacy.to_unicode(t3, "tcvn3")) == len(t3)
    _, _, warnings = legacy.fix(legacy.from_unicode(s, "vni"), "v.txt")
    assert any("offsets refer to the text after conversion from VNI" in w for w in warnings)


def test_symbol_font_private_use_codes() -> None:
    # Word stores characters of a symbol-charset font as U+F000 + byte
    t3 = legacy.from_unicode(SENTENCES[1], "tcvn3")
    pua = "".join(chr(0xF000 + ord(c)) if ord(c) >= 0x80 else c for c in t3)
    fixed, enc, _ = legacy.fix(pua)
    assert enc == "tcvn3" and fixed == SENTENCES[1]


def test_names_the_word_list_lacks_still_read_as_vietnamese() -> None:
    # found by the property below: Viet74K has no proper names, so three "Nguyễn" outvoted three words
    s = "Nguyễn Nguyễn Nguyễn biên biến biểu"
    fixed, enc, _ = legacy.fix(legacy.from_unicode(s, "tcvn3"))
    assert (fixed, enc) == (s, "tcvn3")


# ---------------------------------------------------------------- property: any sentence of real words

from hypothesis import assume, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = sorted({w for text in SEEDS for w in text.split() if w.isalpha() and not w.isascii()})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=4, max_size=25).map(" ".join), st.sampled_from(legacy.ENCODINGS))
@example("HĐND HĐND HĐND biên biến biểu", "tcvn3")  # an acronym with Đ is evidence too (it was not)
def test_any_sentence_of_seed_words_round_trips(sentence: str, enc: str) -> None:
    encoded = legacy.from_unicode(sentence, enc)
    # decidable: three Vietnamese words that the encoding turns into something that is not a word
    # ("ơn" in VNI is "ôn", Vietnamese either way; "HĐND" is no syllable at all)
    # and that the other encoding does not read as Vietnamese too ("thuû" is thủ in VNI, thuỷ in TCVN3)
    other = next(e for e in legacy.ENCODINGS if e != enc)

    def telling(w: str) -> bool:
        coded = legacy.from_unicode(w, enc)
        misread = legacy.to_unicode(coded, other)
        # TCVN3 has no capital toned vowels: a word it cannot write back tells nothing
        # names (capitalised) are weak evidence: detection rests on ordinary words
        return (w[0].islower() and legacy.to_unicode(coded, enc) == w and legacy._well_formed(w.lower())
                and not legacy._well_formed(coded.lower())
                and (misread == coded or not legacy._well_formed(misread.lower())))

    assume(legacy.to_unicode(encoded, enc) == sentence)  # text the encoding can write (TCVN3: no capital toned vowels)
    assume(len({w for w in sentence.split() if telling(w)}) >= 3)  # three different words
    fixed, found, _ = legacy.fix(encoded)
    assert found == enc
    if enc == "vni":
        assert fixed == sentence
    else:
        assert fixed.casefold() == sentence.casefold()
    assert legacy.fix(sentence) == (sentence, None, [])


def test_detection_without_the_word_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without underthesea's word list, the syllable shape alone still tells legacy text from Unicode."""
    monkeypatch.setattr(legacy, "_lexicon", lambda: None)
    assert not legacy._well_formed("phaùm") and legacy._well_formed("phạm")
    for text in SEEDS:
        for enc in legacy.ENCODINGS:
            assert legacy.detect(legacy.from_unicode(text, enc)) == enc
        assert legacy.fix(text) == (text, None, [])
    for sentence in SENTENCES:
        for enc in legacy.ENCODINGS:
            assert legacy.fix(legacy.from_unicode(sentence, enc))[1] == enc


def test_word_list_is_used_when_installed() -> None:
    lexicon = legacy._lexicon()
    if lexicon is None:
        pytest.skip("underthesea's word list is not installed")
    assert {"quyết", "định", "thủy"} <= lexicon and "lửu" not in lexicon
    assert not legacy._well_formed("lửu")  # well shaped, but not a Vietnamese syllable


def test_folded_words_is_fold_line_by_line() -> None:
    """The lexicon is folded in one pass: the same words as folding each line of the file as it reads
    (old tone marks, NFD, capitals, CRLF and CR line ends, blanks of every kind), on a sample of the word
    list itself when it is installed."""
    import importlib.util
    import io
    import random
    from pathlib import Path

    from citegraph.io.legacy import folded_words
    from citegraph.text.normalize import fold

    root = Path(__file__).resolve().parent.parent
    texts = ["Hoà Bình\r\nUỶ BAN\rquý hoàn\n", "Nghi\u0323 quyê\u0301t\u00a0HOÀ\u2003x\n\nthuỷ\x0bkhoẻ", ""]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    spec = importlib.util.find_spec("underthesea")
    for base in (spec.submodule_search_locations or []) if spec is not None else []:
        f = Path(base) / "corpus" / "data" / "Viet74K.txt"
        if f.is_file():
            lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
            texts.append("".join(random.Random(0).sample(lines, 5000)))
    for text in texts:
        # as the file is read: a text file object (line ends translated), line by line
        want = {w for line in io.StringIO(text, newline=None) for w in fold(line).split()}
        got = folded_words(io.StringIO(text, newline=None).read())
        assert got == want


def _verdict_with_list(text: str, min_words: int):
    """The verdict as it was before its bound without the word list: every changed word scored with it."""
    from collections import Counter

    if legacy._UNICODE_VIET.search(text):
        return None
    tokens = Counter(t for t in legacy._TOKEN_SPLIT.split(text) if t and not t.isascii())
    if sum(tokens.values()) < min_words:
        return None
    best = (0.0, float("-inf"), None)
    for enc in legacy.ENCODINGS:
        n, a, b = legacy._gains(tokens, enc, True)
        if n and b >= min_words and b >= 0.6 * n and b - a >= max(1.0, n / 4) and (b - a, -a) > best[:2]:
            best = (b - a, -a, enc)
    return best[2]


def test_verdict_bound_without_the_word_list_changes_nothing() -> None:
    """The verdict first bounds what the word list could find: the same answers, line by line and whole,
    on the seeds, the real texts, legacy-encoded lines and lines of Latin-1 letters only."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((root / "corpus" / "real").glob("*.txt"))]
    unicode_lines = [line for t in texts for line in t.splitlines() if not line.isascii()]
    lines = unicode_lines + [legacy.from_unicode(line, enc) for line in unicode_lines[:400] for enc in legacy.ENCODINGS]
    lines += ["Xã Tân Yên", "Thành viên chính", "Café au lait, déjà vu", "KÕ ho¹ch thùc hiÖn", "Keá hoaïch thöïc hieän"]
    decided = set()
    for line in lines + texts:
        got = legacy._verdict(line, 3)
        assert got == _verdict_with_list(line, 3), line
        decided.add(got)
    assert decided == {None, "tcvn3", "vni"}


def test_a_unicode_text_does_not_load_the_word_list() -> None:
    legacy._lexicon.cache_clear()
    text, enc, _ = legacy.fix("Xã Tân Yên\nThành viên chính, Hà Nội\nThôn Hoàng Hoa Thám, xã")
    assert enc is None and text.startswith("Xã Tân Yên")
    assert legacy._lexicon.cache_info().currsize == 0
