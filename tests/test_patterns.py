"""Table-driven edge cases of DESIGN.md §2 (corpus/patterns.json): each row is a text and what it must give."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import citegraph
from citegraph.text import prefilter

ROWS = json.loads((Path(__file__).parent.parent / "corpus" / "patterns.json").read_text(encoding="utf-8"))["rows"]


def _label(r: citegraph.Reference) -> str:
    return r.symbol or r.name or r.text


@pytest.fixture(scope="module", params=[True, False], ids=["prefilter", "plain"])
def extractions(request) -> dict[str, citegraph.Extraction]:
    """Every row extracted with the prefilter on and off (citegraph.text.prefilter): the table holds for both."""
    with prefilter.enabled(request.param):
        return {row["id"]: citegraph.extract(row["text"]) for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_row(row: dict, extractions: dict[str, citegraph.Extraction]) -> None:
    x = extractions[row["id"]]
    text = row["text"]
    for r in x.references:
        assert text[r.start:r.end] == r.text
    for key, value in row.get("document", {}).items():
        assert getattr(x.document, key) == value, (key, getattr(x.document, key))
    found = [r for r in x.references if r.kind != "backref"]
    if "refs" in row:
        assert len(found) == len(row["refs"]), [_label(r) for r in found]
        for got, want in zip(found, row["refs"]):
            for key, value in want.items():
                if key == "jurisdiction" and value not in (None, "central"):
                    assert got.jurisdiction and value in got.jurisdiction, (got.symbol, got.jurisdiction)
                else:
                    assert getattr(got, key) == value, (key, _label(got), getattr(got, key))
    for sym in row.get("absent", []):
        assert all(sym not in (r.symbol or "") for r in x.references)
    backs = [r for r in x.references if r.kind == "backref"]
    for want in row.get("backrefs", []):
        match = [b for b in backs if b.text == want["text"]]
        assert match, [b.text for b in backs]
        for key, value in want.items():
            assert getattr(match[0], key) == value, (key, getattr(match[0], key))
    refs = x.references
    stated = {(("SELF" if r.source == "SELF" else _label(refs[r.source])), r.rel, _label(refs[r.target]))
              for r in x.relations}
    for rel in row.get("relations", []):
        assert tuple(rel) in stated, sorted(stated)
    for rel in row.get("not_relations", []):
        assert tuple(rel) not in stated, rel
    for a, b in row.get("same_id", []):
        assert refs[a].id == refs[b].id
    for a, b in row.get("different_id", []):
        assert refs[a].id != refs[b].id
