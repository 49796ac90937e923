"""A short, seeded run of the fuzzer (benchmarks/fuzz.py) on mutations of seed, synthetic and real documents,
and on corrupted real PDFs and made .docx/.pdf/.html/.txt files: no crash, no hang, no offset violation."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _fuzz():
    spec = importlib.util.spec_from_file_location("citegraph_fuzz", ROOT / "benchmarks" / "fuzz.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["citegraph_fuzz"] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_short_fuzz_finds_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fuzz = _fuzz()
    assert any(p.parent.name == "real" for p in fuzz.real_text_paths())  # real documents are among the seeds
    status = fuzz.main(["--runs", "400", "--seed", "11", "--jobs", "2", "--files", "60", "--timeout", "20",
                        "--json", "--save", str(tmp_path)])
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["inputs"] == 400 and summary["files"] == 60
    assert (status, summary["crashes"], summary["violations"], summary["file_failures"]) == (0, 0, 0, 0), summary
