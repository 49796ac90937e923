"""API details a notebook user meets first (issue 14 item 7): a short repr of an extraction."""
from __future__ import annotations

from pathlib import Path

import citegraph

ROOT = Path(__file__).resolve().parent.parent


def test_the_repr_of_an_extraction_is_short():
    # repr(Extraction) was the whole dataclass, text included: 28,265 characters for the commune plan
    path = ROOT / "corpus" / "004_68e3b3ec1d53f4cc.txt"
    x = citegraph.extract(path)
    r = repr(x)
    assert len(x.text) > 10_000 and len(r) < 250, r
    assert r.startswith("Extraction(source=") and "Kế hoạch" in r
    assert f"references={len(x.references)}" in r and f"{len(x.text):,} characters" in r
