"""Consistency report: every check on tiny literal extractions, the seeds' known conflicts, the CLI hook."""
from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from citegraph.corpus import from_extractions
from citegraph.graph.registry import Registry
from citegraph.cli import cmd_check as cli_check
from citegraph.graph.report import KINDS, check, grammar_problem

ROOT = Path(__file__).resolve().parent.parent
KL = "party/central/tw/kl/xi/114"
REG = Registry.from_entries([{"id": KL, "source": "official record", "date": "2015-07-14", "issuer": "Ban Bí thư"}])


def kinds_of(exs, reg=Registry()):
    return sorted({f.kind for f in check(from_extractions(exs, reg))})


# (name, extractions builder, registry, expected kinds)
CASES = [
    ("clean", lambda lit: [lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", KL, stated_date="2015-07-14",
                                                             stated_issuer="Ban Bí thư", type="Kết luận",
                                                             type_code="KL")], date="2024-01-01")],
     REG, []),
    ("two dates", lambda lit: [lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", KL, stated_date="2015-07-14")]),
                               lit.ex("b.txt", "doc/b", [lit.ref("114-KL/TW", KL, stated_date="2015-07-15")])],
     Registry(), ["date_conflict"]),
    ("two issuers", lambda lit: [lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", KL, stated_issuer="Ban Bí thư")]),
                                 lit.ex("b.txt", "doc/b", [lit.ref("114-KL/TW", KL, stated_issuer="Bộ Chính trị")])],
     Registry(), ["issuer_conflict"]),
    ("one issuer, two spellings", lambda lit: [
        lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", KL, stated_issuer="Ban Bí thư")]),
        lit.ex("b.txt", "doc/b", [lit.ref("114-KL/TW", KL, stated_issuer="Ban Bí thư Trung ương Đảng")])],
     REG, []),
    ("a committee and its standing body", lambda lit: [
        lit.ex("a.txt", "doc/a", [lit.ref("247-KH/TU", "party/bp/tu/kh/x/247", stated_issuer="Tỉnh ủy")]),
        lit.ex("b.txt", "doc/b", [lit.ref("247-KH/TU", "party/bp/tu/kh/x/247", stated_issuer="Ban Thường vụ Tỉnh ủy")])],
     Registry(), []),
    ("two central bodies sharing TW", lambda lit: [
        lit.ex("a.txt", "doc/a", [lit.ref("217-QĐ/TW", "party/central/tw/qd/xi/217", stated_issuer="Bộ Chính trị")]),
        lit.ex("b.txt", "doc/b", [lit.ref("217-QĐ/TW", "party/central/tw/qd/xi/217",
                                          stated_issuer="Ban Chấp hành Trung ương")])],
     Registry(), ["issuer_conflict"]),
    ("type word against code", lambda lit: [lit.ex("a.txt", "doc/a", [
        lit.ref("11-QĐ/TU", "party/dong-nai/tu/qd/_/11", type="Quy chế", type_code="QĐ")])], Registry(),
     ["type_mismatch"]),
    ("Quy định may be QĐ", lambda lit: [lit.ex("a.txt", "doc/a", [
        lit.ref("124-QĐ/TW", "party/central/tw/qd/xii/124", type="Quy định", type_code="QĐ")])], Registry(), []),
    ("registry date", lambda lit: [lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", KL, stated_date="2015-07-15")])],
     REG, ["registry_conflict"]),
    ("registry issuer", lambda lit: [lit.ex("a.txt", "doc/a", [lit.ref("114-KL/TW", KL, stated_issuer="Bộ Chính trị")])],
     REG, ["registry_conflict"]),
    ("date after the citing document", lambda lit: [lit.ex("a.txt", "doc/a", [
        lit.ref("114-KL/TW", KL, stated_date="2015-07-14")], date="2014-01-01")], Registry(), ["date_after_citing"]),
    ("Party code in State grammar", lambda lit: [lit.ex("a.txt", "doc/a", [
        lit.ref("18/CT-TW", "state/central/tw/ct/2022/18")])], Registry(), ["grammar"]),
]


@pytest.mark.parametrize("name, make, reg, expect", CASES, ids=[c[0] for c in CASES])
def test_each_check(lit, name, make, reg, expect):
    assert kinds_of(make(lit), reg) == expect


def test_findings_on_a_partial_identity_say_so(lit):
    p = "party/central/tw/qd/_/6"
    exs = [lit.ex("a.txt", "doc/a", [lit.ref("06-QĐ/TW", p, stated_date="2016-01-01")]),
           lit.ex("b.txt", "doc/b", [lit.ref("06-QĐ/TW", p, stated_date="2021-01-01")])]
    (f,) = check(from_extractions(exs, Registry()))
    assert f.kind == "date_conflict" and "partial identity" in f.label


def test_findings_carry_places_with_lines(lit):
    text = "first line\nThực hiện Kết luận số 114-KL/TW ngày 15/7/2015"
    start = text.index("Kết luận")
    ref = lit.ref("114-KL/TW", KL, start=start, text=text[start:start + 23], stated_date="2015-07-15")
    rep = check(from_extractions([lit.ex("a.txt", "doc/a", [ref], text=text)], REG))
    (f,) = rep.of_kind("registry_conflict")
    (p,) = f.places
    assert (p.source, p.start, p.end, p.line) == ("a.txt", start, start + 23, 2)
    assert text[p.start:p.end] == p.text
    assert "2015-07-14" in f.message and "official record" in f.message


@pytest.mark.parametrize("symbol, problem", [
    ("33/CT-TTg", None), ("25-NQ/TW", None), ("04/2015/NĐ-CP", None), ("80/2015/QH13", None),
    ("34/2007/PL-UBTVQH11", None), ("4919/VPCP-KTTH", None), ("05-QC/BTCTU-BDVTU", None), ("3225/QĐ-UBND", None),
    ("18/CT-TW", "Party code"), ("27-CT/TTg", "State code"), ("27/CTTg", "not separated"),
    ("CT-TTg", "matches no symbol grammar"), ("12/", "matches no symbol grammar"),
])
def test_grammar(symbol, problem):
    got = grammar_problem(symbol)
    assert (got is None) if problem is None else (problem in got)


# ================================================================================== on the seeds
def test_217_218_date_conflict_is_in_the_seed_report(seed_graph):
    rep = check(seed_graph)
    by_label = {f.label: f for f in rep.of_kind("date_conflict")}
    for sym in ("217-QĐ/TW", "218-QĐ/TW"):
        f = by_label[sym]
        assert {p.says for p in f.places} >= {"states 2013-12-12", "states 2013-12-13", "states 2014-12-12"}
        assert {Path(p.source).name[:3] for p in f.places} >= {"000", "002", "003"}
        from citegraph.io.read import read

        texts = {e.source: read(ROOT / e.source).text for e in seed_graph.extractions}
        for p in f.places:
            assert texts[p.source][p.start:p.end] == p.text and sym.split("/")[0].split("-")[0] in p.text
    md = rep.to_markdown()
    assert "## date_conflict" in md and "217-QĐ/TW" in md and "2014-12-12" in md


def test_seed_report_flags_the_quy_che_with_a_decision_code(seed_graph):
    (f,) = [f for f in check(seed_graph).of_kind("type_mismatch") if f.label == "11-QĐ/TU"]
    assert "Quy chế" in f.message and "002_" in f.places[0].source


def test_seed_registry_disagreements_are_those_of_corpus_003(seed_graph):
    fs = check(seed_graph).of_kind("registry_conflict")
    assert {f.label for f in fs} >= {"217-QĐ/TW", "218-QĐ/TW"}
    assert all("003_" in p.source for f in fs if f.label in ("217-QĐ/TW", "218-QĐ/TW") for p in f.places)


def test_report_orders_findings_by_check(seed_graph):
    ks = [f.kind for f in check(seed_graph)]
    assert ks == sorted(ks, key=KINDS.index)


def test_cli_check_prints_and_fails_when_flagged(capsys):
    args = argparse.Namespace(paths=sorted(str(p) for p in (ROOT / "corpus").glob("*.txt")), store=None, registry=None)
    assert cli_check(args) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("in 4 source(s)") and "date_conflict: 217-QĐ/TW" in out


def test_cli_check_passes_a_clean_document(tmp_path, capsys):
    f = tmp_path / "clean.txt"
    f.write_text("Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ.\n", encoding="utf-8")
    args = argparse.Namespace(paths=[str(f)], store=None, registry=None)
    assert cli_check(args) == 0
    assert capsys.readouterr().out.startswith("0 finding(s)")


def test_cli_check_user_mistake(capsys):
    assert cli_check(argparse.Namespace(paths=["/nonexistent"], store=None, registry=None)) == 2
    err = capsys.readouterr().err
    assert err.startswith("citegraph: error: /nonexistent: ") and err.count("\n") == 1


def test_line_numbers_do_not_need_the_texts(seed_paths):
    import os

    from citegraph.builder import build

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        kept, dropped = build(seed_paths, keep_text=True), build(seed_paths)
    finally:
        os.chdir(cwd)
    assert all(e.text == "" for e in dropped.extractions)
    a, b = check(kept), check(dropped)
    assert a.to_markdown() == b.to_markdown()
    assert any(p.line and p.line > 1 for f in b for p in f.places)
