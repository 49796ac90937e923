"""The registry of known documents: file format, errors, identity keys, the seed registry against the seeds."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from citegraph.cli import cli_registry
from citegraph.corpus import from_extractions
from citegraph.graph.registry import (DEFAULT_DIR, Registry, RegistryError, id_key, is_partial, matches_partial,
                                unknown_segment)
from citegraph.graph.report import check

B = "https://w3id.org/citegraph/id/"


def write(tmp_path: Path, data: object, name: str = "r.json") -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


@pytest.mark.parametrize("data, message", [
    ("{not json", "not a readable JSON registry"),
    ({"docs": []}, "'documents' list"),
    ({"documents": ["x"]}, "an entry is a JSON object"),
    ({"documents": [{"symbol": "1/KH-UBND", "source": "s"}]}, "missing 'id'"),
    ({"documents": [{"id": "a/b", "date": "2020-01-01"}]}, "missing 'source'"),
    ({"documents": [{"id": "a/b", "source": "s", "date": "1/1/2020"}]}, "not ISO"),
    ({"documents": [{"id": "a/b", "source": "s", "colour": "red"}]}, "unknown field"),
])
def test_registry_file_mistakes_are_named(tmp_path, data, message):
    p = write(tmp_path, data)
    with pytest.raises(RegistryError, match=message) as e:
        Registry.load(p)
    assert str(p) in str(e.value) and "\n" not in str(e.value)


def test_missing_registry_path():
    with pytest.raises(RegistryError, match="no such registry"):
        Registry.load("/nonexistent/registry")


def test_directories_load_sorted_and_later_entries_win(tmp_path):
    write(tmp_path, {"documents": [{"id": "x/1", "source": "a", "date": "2020-01-01"}]}, "a.json")
    write(tmp_path, {"documents": [{"id": "x/01", "source": "b", "date": "2020-01-02"}]}, "b.json")
    r = Registry.load(tmp_path)
    assert len(r) == 1 and r.get("x/1").source == "b" and r.get(B + "x/1").file.endswith("b.json")


@pytest.mark.parametrize("a, b, same", [
    ("party/central/tw/ct/xii/05", B + "party/central/tw/ct/xii/5", True),
    ("state/central/ttg/ct/2021/33", "state/central/ttg/ct/2021/34", False),
    ("state/central/ttg/ct/2021/033", "state/central/ttg/ct/2021/33", True),
])
def test_id_keys(a, b, same):
    assert (id_key(a) == id_key(b)) is same


@pytest.mark.parametrize("partial, full, match", [
    ("party/central/tw/ct/_/5", "party/central/tw/ct/xii/5", True),
    ("party/central/tw/ct/_/5", "party/central/tw/ct/xii/6", False),
    ("state/district-unknown/ubnd/kh/2011/13", "state/long-tay/ubnd/kh/2011/13", True),
    ("state/ha-tinh/_/ubnd/kh/2011/13", "state/ha-tinh/long-tay/ubnd/kh/2011/13", True),
    ("state/ha-tinh/_/ubnd/kh/2011/13", "state/ha-tinh/ubnd/kh/2011/13", False),
    ("party/central/tw/ct/_/5", "party/central/tw/ct/_/5", False),
])
def test_partial_matching(partial, full, match):
    assert is_partial(partial)
    assert matches_partial(partial, full) is match


def test_unknown_segments():
    assert [unknown_segment(s) for s in ("_", "district-unknown", "2011", "unknown-x")] == [True, True, False, False]


def test_partial_with_placeholder_segment_resolves_to_the_unique_candidate(lit):
    full = "state/ha-tinh/long-tay/ubnd/kh/2011/13"
    exs = [lit.ex("a.txt", "doc/a", [lit.ref("13/KH-UBND", full)]),
           lit.ex("b.txt", "doc/b", [lit.ref("13/KH-UBND", "state/ha-tinh/district-unknown/ubnd/kh/2011/13")])]
    G = from_extractions(exs, Registry())
    assert [v for _, v in G.nx.out_edges(B + "doc/b")] == [B + full]


# ================================================================================ the seed registry
def test_every_seed_registry_entry_is_a_document_the_seeds_cite(seed_graph):
    reg = Registry.default()
    assert len(reg) >= 20
    for e in reg:
        assert e.id in seed_graph.nx, e.id
        d = seed_graph.nx.nodes[e.id]
        assert d["mentions"] and d["registry"]["source"] == e.source
        assert d.get("symbol") == e.symbol, e.id
        assert e.date and e.issuer and e.source


def test_seed_registry_agrees_with_the_seeds_except_the_known_217_218_dates(seed_graph):
    fs = check(seed_graph).of_kind("registry_conflict")
    assert sorted(f.label for f in fs) == ["217-QĐ/TW", "218-QĐ/TW"]


def test_seed_registry_fills_dates_the_seeds_do_not_state(seed_graph):
    (n,) = [n for n, d in seed_graph.nx.nodes(data=True) if d.get("symbol") == "25-NQ/TW"]
    d = seed_graph.nx.nodes[n]
    assert not any(m.get("stated_date") for m in d["mentions"])
    assert d["date"] == "2013-06-03" == d["registry"]["date"]


def test_cli_registry_extends_the_seed_registry(tmp_path):
    p = write(tmp_path, {"documents": [{"id": "state/binh-phuoc/hon-quan/ubnd/kh/2024/114", "source": "district office",
                                        "date": "2024-04-10", "issuer": "Ủy ban nhân dân huyện"}]})
    reg = cli_registry(argparse.Namespace(registry=str(p)))
    assert len(reg) == len(Registry.load(DEFAULT_DIR)) + 1
    assert "party/central/tw/kl/xi/114" in reg and "state/binh-phuoc/hon-quan/ubnd/kh/2024/114" in reg
    assert cli_registry(argparse.Namespace(registry=None)) is None
