"""The spaCy component: tokenizer, spans from references, ents, saved pipeline in a fresh process, displacy."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import spacy
from spacy import displacy
from spacy.tokens import Doc, DocBin

import citegraph
from citegraph import Reference
from citegraph.spacy_component import (
    CitegraphRefs,
    add_references,
    blank,
    make_citegraph_refs,
    use_symbol_tokenizer,
)

ROOT = Path(__file__).resolve().parent.parent
COMMUNE_PLAN = ROOT / "corpus" / "004_68e3b3ec1d53f4cc.txt"
SYMBOLS = ["33/CT-TTg", "04/2015/NĐ-CP", "25-NQ/TW", "05-QC/BTCTU-BDVTU", "34/2007/PL-UBTVQH11", "4919/VPCP-KTTH",
           "02/2020/UBTVQH14", "3225/QĐ-UBND", "0124/KH-UBND"]


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_symbol_is_one_token(symbol: str) -> None:
    for nlp in (blank(), use_symbol_tokenizer(spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}}))):
        words = [t.text for t in nlp(f"theo Văn bản số {symbol}; ({symbol}), {symbol}.")]
        assert words.count(symbol) == 3, words
        assert ";" in words and "(" in words and ")" in words and "." in words


def test_blank_vi_without_pyvi_and_dates() -> None:
    plain = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    assert [t.text for t in plain("số 33/CT-TTg;")] == ["số", "33/CT-TTg;"]  # whitespace only: why we offer a tokenizer
    words = [t.text for t in blank()("ngày 26/11/2021, Quyết định 217-QĐ/TW.")]
    assert "217-QĐ/TW" in words and "26/11/2021" in words


def hand_refs(text: str) -> list[Reference]:
    refs = []
    for sym, code in (("33/CT-TTg", "CT"), ("114-KL/TW", "KL")):
        start = text.index(sym)
        refs.append(Reference(kind="numbered", start=start, end=start + len(sym), text=sym, symbol=sym, type_code=code,
                              id=f"urn:test:{code}"))
    return refs


def test_add_references_hand_made_spans() -> None:
    nlp = blank()
    text = "Thực hiện Chỉ thị số 33/CT-TTg; và Kết luận số 114-KL/TW của Ban Bí thư."
    doc = nlp(text)
    spans = add_references(doc, hand_refs(text))
    assert [(s.text, s.label_) for s in spans] == [("33/CT-TTg", "CT"), ("114-KL/TW", "KL")]
    assert [s._.citation["id"] for s in doc.spans["citegraph"]] == ["urn:test:CT", "urn:test:KL"]
    assert doc.ents == ()
    # a reference whose offsets fall inside tokens expands to whole tokens
    inside = Reference(kind="numbered", start=text.index("Chỉ") + 1, end=text.index("33/CT") + 3, text="hỉ thị số 33")
    (s,) = add_references(doc, [inside], spans_key="x")
    assert s.text == "Chỉ thị số 33/CT-TTg"
    # objects instead of dicts
    (s,) = add_references(doc, hand_refs(text)[:1], spans_key="obj", as_dict=False)
    assert isinstance(s._.citation, Reference) and s._.citation.symbol == "33/CT-TTg"


def test_set_ents_keeps_longest_and_other_entities() -> None:
    nlp = blank()
    text = "Chỉ thị số 33/CT-TTg của Thủ tướng, tỉnh Bình Phước"
    doc = nlp(text)
    doc.ents = [doc.char_span(text.index("tỉnh"), len(text), label="LOC")]
    long = Reference(kind="numbered", start=0, end=text.index(" của"), text="Chỉ thị số 33/CT-TTg", type_code="CT")
    short = Reference(kind="numbered", start=text.index("33"), end=text.index(" của"), text="33/CT-TTg", type_code="CT")
    add_references(doc, [short, long], set_ents=True)
    assert [(e.text, e.label_) for e in doc.ents] == [("Chỉ thị số 33/CT-TTg", "CT"), ("tỉnh Bình Phước", "LOC")]
    assert len(doc.spans["citegraph"]) == 2


def test_offsets_into_another_text_are_found_by_matched_text() -> None:
    nlp = blank()
    source = "xx Chỉ thị số 33/CT-TTg"
    doc = nlp("Chỉ thị số 33/CT-TTg")
    ref = Reference(kind="numbered", start=3, end=len(source), text="Chỉ thị số 33/CT-TTg", type_code="CT")
    (s,) = add_references(doc, [ref], text=source)
    assert s.start_char == 0 and s.text == "Chỉ thị số 33/CT-TTg"
    missing = Reference(kind="numbered", start=0, end=5, text="không có")
    assert add_references(doc, [missing], text=source) == []


def test_component_with_injected_extraction() -> None:
    text = "Thực hiện Chỉ thị số 33/CT-TTg; và Kết luận số 114-KL/TW."
    seen = []

    def fake_extract(document: citegraph.Document) -> citegraph.Extraction:
        seen.append(document.text)
        return citegraph.Extraction(source="", text=document.text, document=citegraph.Header(symbol="1/KH-X"),
                                    references=hand_refs(document.text))

    nlp = blank()
    nlp.add_pipe("citegraph_refs")
    nlp.get_pipe("citegraph_refs")._extract = fake_extract
    doc = nlp(text)
    assert seen == [text]
    assert [s.text for s in doc.spans["citegraph"]] == ["33/CT-TTg", "114-KL/TW"]
    assert doc._.citegraph_document["symbol"] == "1/KH-X"


def test_component_on_the_commune_plan() -> None:
    nlp = blank()
    nlp.add_pipe("citegraph_refs", config={"set_ents": True})
    text = COMMUNE_PLAN.read_text(encoding="utf-8")
    doc = nlp(text)
    ex = citegraph.extract(citegraph.Document(text=text))
    spans = doc.spans["citegraph"]
    placed = {(s._.citation["start"], s._.citation["end"]) for s in spans}
    assert placed == {(r.start, r.end) for r in ex.references}
    by_symbol = {s._.citation["symbol"]: s for s in spans if s._.citation["symbol"]}
    for symbol in ("33/CT-TTg", "114-KL/TW", "114/KH-UBND"):
        span = by_symbol[symbol]
        assert symbol in span.text and span.start_char <= span._.citation["start"]
        assert span._.citation["id"]
    assert doc.ents and all(e.label_ for e in doc.ents)
    assert doc._.citegraph_document["level"] == ex.document.level
    # the citations travel with the doc
    restored = list(DocBin(docs=[doc], store_user_data=True).get_docs(blank().vocab))[0]
    def plain(x: object) -> object:  # msgpack gives tuples back for lists
        return json.loads(json.dumps(x))

    assert plain([s._.citation for s in restored.spans["citegraph"]]) == plain([s._.citation for s in spans])


def test_entry_point_is_the_factory() -> None:
    eps = [ep for ep in entry_points(group="spacy_factories") if ep.name == "citegraph_refs"]
    assert len(eps) == 1, "reinstall: .venv/bin/pip install -e ."
    assert eps[0].value == "citegraph.spacy_component:make_citegraph_refs"
    assert eps[0].load() is make_citegraph_refs
    assert isinstance(make_citegraph_refs(blank(), "x", "k", False, True), CitegraphRefs)


def test_saved_pipeline_loads_in_a_process_that_never_imports_citegraph(tmp_path: Path) -> None:
    nlp = blank()
    nlp.add_pipe("citegraph_refs", config={"set_ents": True, "spans_key": "refs"})
    nlp.to_disk(tmp_path / "pipeline")
    script = textwrap.dedent(
        """
        import json, sys
        import spacy
        assert not any(m == "citegraph" or m.startswith("citegraph.") for m in sys.modules)
        nlp = spacy.load(sys.argv[1])
        doc = nlp("Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ; Kết luận số 114-KL/TW.")
        print(json.dumps({
            "pipeline": nlp.pipe_names,
            "tokens": [t.text for t in doc],
            "spans": [[s.text, s.label_, s._.citation["symbol"], s._.citation["id"]] for s in doc.spans["refs"]],
            "ents": [e.text for e in doc.ents],
        }, ensure_ascii=False))
        """
    )
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "pipeline")], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["pipeline"] == ["citegraph_refs"]
    assert "33/CT-TTg" in got["tokens"] and "114-KL/TW" in got["tokens"]  # the tokenizer came back too
    symbols = [s[2] for s in got["spans"]]
    assert "33/CT-TTg" in symbols and "114-KL/TW" in symbols
    assert all(s[3] for s in got["spans"])
    assert len(got["ents"]) == len(got["spans"])


@pytest.mark.parametrize("style", ["span", "ent"])
def test_displacy_renders_references(style: str) -> None:
    nlp = blank()
    nlp.add_pipe("citegraph_refs", config={"set_ents": True})
    doc = nlp("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ <script>x</script>")
    options = {"spans_key": "citegraph"} if style == "span" else {}
    page = displacy.render(doc, style=style, options=options, jupyter=False)
    assert "33/CT-TTg" in page and "CT" in page
    assert "<script>x" not in page  # displacy escapes the text


def test_doc_extension_default() -> None:
    assert blank()("x")._.citegraph_document is None
    assert Doc.has_extension("citegraph_document")
