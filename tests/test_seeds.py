"""The four seed documents against our own annotations (corpus/annotations/*.json), field by field."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import citegraph
from citegraph.text import prefilter

ROOT = Path(__file__).resolve().parent.parent
ANNOTATIONS = sorted((ROOT / "corpus" / "annotations").glob("*.json"))


def _load(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=[(a, on) for a in ANNOTATIONS for on in (True, False)],
                ids=[f"{p.stem}-{'prefilter' if on else 'plain'}" for p in ANNOTATIONS for on in (True, False)])
def case(request) -> tuple[dict, citegraph.Extraction]:
    """Each seed extracted with the prefilter on and off (citegraph.text.prefilter): the same answers."""
    path, on = request.param
    ann = _load(path)
    with prefilter.enabled(on):
        return ann, citegraph.extract(ROOT / "corpus" / ann["file"])


def test_offsets_point_into_the_text(case) -> None:
    ann, x = case
    original = (ROOT / "corpus" / ann["file"]).read_text(encoding="utf-8")
    for r in x.references:
        assert original[r.start:r.end] == r.text


def test_own_header(case) -> None:
    ann, x = case
    for key, want in ann["own"].items():
        assert getattr(x.document, key) == want, key
    assert len(x.document.recipients) == ann["recipients"]


def test_cited_documents(case) -> None:
    ann, x = case
    numbered = [r for r in x.references if r.kind == "numbered"]
    got = {(r.symbol, r.jurisdiction) for r in numbered}
    want = {(c["symbol"], c["jurisdiction"]) for c in ann["cited"]}
    assert got == want
    for c in ann["cited"]:
        mentions = [r for r in numbered if (r.symbol, r.jurisdiction) == (c["symbol"], c["jurisdiction"])]
        assert len(mentions) == c["mentions"], c["symbol"]
        first = mentions[0]
        for key in ("type", "date", "issuer"):
            assert getattr(first, key) == c[key], (c["symbol"], key)
        assert len({m.id for m in mentions}) == 1, "mentions of one document in one text share an identity"


def test_named_references(case) -> None:
    ann, x = case
    assert sorted({r.name for r in x.references if r.kind == "named"}) == ann["named"]


def test_typed_relations(case) -> None:
    ann, x = case
    refs = x.references
    got = []
    for r in x.relations:
        if r.rel == "cites":
            continue
        t = ["SELF" if r.source == "SELF" else refs[r.source].label, r.rel, refs[r.target].label]
        if t not in got:
            got.append(t)
    assert got == ann["relations"]
    # every reference that is not a back-reference is linked from the citing document
    linked = {r.target for r in x.relations if r.source == "SELF"}
    assert linked == {i for i, r in enumerate(refs) if r.kind != "backref"}


def test_backrefs_and_warnings(case) -> None:
    ann, x = case
    assert [[r.text.replace("\n", " "), r.refers_to] for r in x.references if r.kind == "backref"] == ann["backrefs"]
    assert x.warnings == ann["warnings"]


SCORE = ROOT.parent / "shared" / "eval" / "score.py"


@pytest.mark.skipif(not SCORE.exists(), reason="the shared gold (../shared/eval) is not beside this checkout")
def test_shared_gold_scores_perfectly() -> None:
    exe = Path(sys.executable).with_name("citegraph")
    for switch in ("1", "0"):  # the prefilter on, then off
        proc = subprocess.run([sys.executable, str(SCORE), "--cmd", f"{exe} extract --format jsonl"],
                              capture_output=True, text=True, cwd=ROOT, env={**os.environ, "CITEGRAPH_PREFILTER": switch})
        assert proc.returncode == 0, proc.stderr
        last = proc.stdout.strip().splitlines()[-1]
        assert last == ("SCORE P=1.000 R=1.000 date=1.000 issuer=1.000 jur=1.000 named=1.000 relR=1.000 own=1.000"), (
            switch, proc.stdout)
