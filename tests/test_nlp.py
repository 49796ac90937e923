"""Sentence spans: offsets map back to the text, both backends, the fallback, sentence_at."""
from __future__ import annotations

from pathlib import Path

import pytest

from citegraph import nlp

CORPUS = sorted((Path(__file__).resolve().parent.parent / "corpus").glob("*.txt"))


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    assert spans, "no sentence found"
    prev = 0
    for a, b in spans:
        assert prev <= a < b <= len(text)
        assert not text[a].isspace() and not text[b - 1].isspace()
        prev = b
    # nothing but white space is left outside the sentences
    covered = set()
    for a, b in spans:
        covered.update(range(a, b))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
@pytest.mark.parametrize("backend", ["regex", "underthesea"])
def test_spans_cover_the_corpus(path: Path, backend: str) -> None:
    if backend == "underthesea" and not nlp.underthesea_available():
        pytest.skip("underthesea not installed")
    text = path.read_text(encoding="utf-8")
    spans = nlp.sentences(text, backend=backend)  # type: ignore[arg-type]
    check_spans(text, spans)
    assert len(spans) > 10


def test_cue_sentence_on_the_commune_plan() -> None:
    text = (CORPUS[0].parent / "004_68e3b3ec1d53f4cc.txt").read_text(encoding="utf-8")
    at = text.index("114/KH-UBND")
    for spans in (nlp.sentences(text), nlp.regex_sentences(text)):
        a, b = nlp.sentence_at(text, at, spans)
        sentence = " ".join(text[a:b].split())
        assert sentence.startswith("Thực hiện Kế hoạch số 114/KH-UBND ngày 10/4/2024")
        assert "Kết luận số 114-KL/TW" not in sentence


def test_list_numbers_join_the_next_sentence() -> None:
    text = "Mục đích. 2. Triển khai thực hiện. II. NỘI DUNG"
    got = [text[a:b] for a, b in nlp.sentences(text)]
    assert "2. Triển khai thực hiện." in got and got[-1] == "II. NỘI DUNG"


def test_fallback_when_underthesea_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nlp, "_sent_tokenize", lambda: None)
    text = "Căn cứ Hiến pháp năm 2013. Thực hiện Chỉ thị số 33/CT-TTg."
    assert nlp.sentences(text) == nlp.regex_sentences(text) == [(0, 26), (27, 58)]
    with pytest.raises(ImportError):
        nlp.sentences(text, backend="underthesea")


def test_whitespace_normalised_by_tokenizer_is_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Thực   hiện\nKế hoạch   số 1/KH-UBND.  Ủy ban ban hành."
    monkeypatch.setattr(nlp, "_sent_tokenize", lambda: lambda t: ["Thực hiện Kế hoạch số 1/KH-UBND.", "Ủy ban ban hành."])
    spans = nlp.sentences(text)
    assert [text[a:b] for a, b in spans] == ["Thực   hiện\nKế hoạch   số 1/KH-UBND.", "Ủy ban ban hành."]
    # a sentence that is not in the text makes the regex answer instead
    monkeypatch.setattr(nlp, "_sent_tokenize", lambda: lambda t: ["something else"])
    assert nlp.sentences(text) == nlp.regex_sentences(text)


def test_sentence_at_edges() -> None:
    text = "A b. C d."
    spans = nlp.regex_sentences(text)
    assert spans == [(0, 4), (5, 9)]
    assert nlp.sentence_at(text, 4, spans) == (0, 4)
    assert nlp.sentence_at(text, 5, spans) == (5, 9)
    assert nlp.sentence_at(text, 99, spans) == (5, 9)
    assert nlp.sentence_at("", 0) == (0, 0)


def test_underthesea_is_not_imported_by_citegraph() -> None:
    import subprocess
    import sys

    code = "import sys, citegraph; print('underthesea' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
