"""The synthetic corpus: deterministic, streaming, internally consistent, noisy as real text, and
extraction recovers its known answers at scale."""
from __future__ import annotations

import itertools
import json
import re
import types
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from citegraph import synth
from citegraph.synth import generate, score, symbol_key, write_corpus


@pytest.fixture(scope="module")
def docs() -> list[synth.SynthDoc]:
    return list(generate(600, seed=4))


def _squash(text: str) -> str:
    """Text with the noise a symbol can carry undone: NFC, one Đ, no whitespace or separators, upper case."""
    t = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ")
    return re.sub(r"[\s\-/.]", "", t).upper()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_corpus(40, a, seed=11)
    write_corpus(40, b, seed=11)
    write_corpus(40, c, seed=12)
    names = sorted(p.name for p in a.iterdir())
    assert len(names) == 80 and names == sorted(p.name for p in b.iterdir())
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
    assert any((a / n).read_bytes() != (c / n).read_bytes() for n in names if (c / n).exists())


def test_generate_is_lazy_and_files_match_objects(tmp_path: Path) -> None:
    gen = generate(10**7, seed=1)
    assert isinstance(gen, types.GeneratorType)
    first = list(itertools.islice(gen, 3))  # would not return if the corpus were built up front
    assert [d.name for d in first] == ["syn_000000", "syn_000001", "syn_000002"]
    written = list(generate(3, seed=1, out_dir=tmp_path))
    for d in written:
        assert d.path is not None and d.path.read_bytes() == d.text.encode("utf-8")
        assert json.loads(d.path.with_suffix(".json").read_text(encoding="utf-8")) == d.gold
        assert d.gold["file"] == d.path.name


def test_gold_is_consistent_with_text(docs: list[synth.SynthDoc]) -> None:
    for d in docs:
        squashed = _squash(d.text)
        keys = [symbol_key(c["symbol"]) for c in d.gold["cited"]]
        assert len(keys) == len(set(keys)), d.name  # one entry per distinct document
        for c in d.gold["cited"]:
            num, letters = str(symbol_key(c["symbol"])).split(":")
            assert num + letters in squashed, (d.name, c["symbol"])
            assert c["jurisdiction"] and (c["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", c["date"]))
        own = d.gold["own"]
        if own["symbol"]:
            assert _squash(own["symbol"]) in squashed
            assert symbol_key(own["symbol"]) not in keys
        assert unicodedata.normalize("NFC", d.text).replace("\u00d0", "Đ").rstrip().endswith(own["signer"])
        ends = {c["symbol"] for c in d.gold["cited"]} | {n["name"] for n in d.gold["named"]} | {"SELF"}
        for r in d.gold["relations"]:
            assert r["from"] in ends and r["to"] in ends, (d.name, r)
        flat = re.sub(r"\s+", " ", unicodedata.normalize("NFC", d.text).replace("\u00d0", "Đ"))
        for n in d.gold["named"]:
            first = n["name"].split()[:2]
            assert " ".join(first) in flat, (d.name, n["name"])


def test_noise_and_patterns_are_present(docs: list[synth.SynthDoc]) -> None:
    forms = Counter(f for d in docs for c in d.gold["cited"] for f in c["forms"])
    wanted = {"spaced_separator", "leading_zero", "case", "symbol_linebreak", "linebreaks", "coordinated",
              "shared_type", "nested_outer", "nested_inner", "no_date", "no_issuer", "date:long", "date:dash",
              "date:slash", "doc_nfd", "doc_eth", "doc_hard_wrap", "footnote_after_issuer", "comma_before_date",
              "party", "state", "normative", "central", "province", "district"}
    assert wanted <= set(forms), wanted - set(forms)
    rels = Counter(r["rel"] for d in docs for r in d.gold["relations"])
    assert {"based_on", "implements", "amends", "replaces", "repeals", "guides"} <= set(rels)
    texts = [d.text for d in docs]
    assert any(not unicodedata.is_normalized("NFC", t) for t in texts)
    assert any("\u00d0" in t for t in texts)
    assert any(re.search(r"[Mm]ẫu số \d\d[-/]", t) for t in texts)  # form numbers, not references
    assert any(re.search(r"mã (?:số|thủ tục) \d\.\d{6}", t) for t in texts)  # procedure codes
    assert any(re.search(r"(?m)^\d+$", t) for t in texts)  # page numbers
    levels = Counter(d.gold["own"]["jurisdiction"].count(",") for d in docs)
    assert set(levels) == {0, 1, 2}  # central/provincial, district, commune documents
    # chains: documents of the corpus are cited by later documents of the corpus
    own = {symbol_key(d.gold["own"]["symbol"]) for d in docs if d.gold["own"]["symbol"]}
    cited = {symbol_key(c["symbol"]) for d in docs for c in d.gold["cited"]}
    assert len(own & cited) > len(docs) // 4


def test_module_entry_point(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main(["4", str(tmp_path), "--seed", "3"]) == 0
    assert len(list(tmp_path.glob("*.txt"))) == 4 and len(list(tmp_path.glob("*.json"))) == 4
    assert "wrote 4 documents" in capsys.readouterr().out


def test_score_counts_misses_and_false_hits() -> None:
    d = next(generate(1, seed=9))
    empty = {"references": [], "relations": [], "document": {}}
    sc = score([(d.gold, empty)])
    assert sc.tp == 0 and sc.fn == len(d.gold["cited"]) and sc.recall == 0.0
    wrong = {"references": [{"kind": "numbered", "symbol": "999999/XX-YY"}], "relations": [], "document": {}}
    assert score([(d.gold, wrong)]).fp == 1


# Thresholds fixed in advance of measuring; see the report for the figures measured.
BAR = {"precision": 0.97, "recall": 0.97, "date": 0.97, "issuer": 0.95, "jurisdiction": 0.95,
       "named_recall": 0.95, "relation_recall": 0.90}


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> synth.Score:
    from citegraph.extraction.batch import extract_many

    out = tmp_path_factory.mktemp("syn")
    paths = write_corpus(200, out, seed=2024)
    golds = [json.loads(p.with_suffix(".json").read_text(encoding="utf-8")) for p in paths]
    sc = score(zip(golds, extract_many(paths, workers=2, progress=False)))
    print("\nsynthetic corpus, 200 documents:", sc.summary())
    for form, (missed, seen) in sc.miss_rates().items():
        if missed:
            print(f"  missed {missed}/{seen} cited documents written with {form}")
    return sc


def test_extraction_recovers_known_answers_at_scale(measured: synth.Score) -> None:
    figures = measured.figures()
    low = {k: round(figures[k], 3) for k, bar in BAR.items() if figures[k] < bar}
    assert not low, f"below the bar {BAR}: {low}; misses {measured.misses[:10]} wrong {measured.wrong[:10]}"


def test_own_header_recovered(measured: synth.Score) -> None:
    # headers whose parent body is printed above the issuer (UBND HUYỆN X / ỦY BAN NHÂN DÂN XÃ Y), and the
    # signature block telling Ban Bí thư from the Central Committee (T/M BAN BÍ THƯ)
    assert measured.figures()["own_header"] >= 0.97, [w for w in measured.wrong if w["field"].startswith("own")][:10]
