"""The command line as a user runs it: the JSON contract, the table, errors that name the file."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("citegraph"))
SEEDS = sorted(str(p) for p in (ROOT / "corpus").glob("*.txt"))

DOC_KEYS = {"type", "symbol", "date", "place", "issuer", "jurisdiction", "title", "signer", "signer_role", "recipients", "id"}
REF_KEYS = {"kind", "start", "end", "text", "type", "type_code", "number", "year", "symbol", "name", "date", "issuer",
            "jurisdiction", "system", "pinpoint", "id"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, cwd=ROOT)


def test_jsonl_contract() -> None:
    proc = run("extract", "--format", "jsonl", *SEEDS)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == len(SEEDS)
    for line, path in zip(lines, SEEDS):
        rec = json.loads(line)
        assert rec["source"] == path
        assert DOC_KEYS <= set(rec["document"])
        original = Path(path).read_text(encoding="utf-8")
        for r in rec["references"]:
            assert REF_KEYS <= set(r)
            assert r["kind"] in ("numbered", "named", "backref")
            assert original[r["start"]:r["end"]] == r["text"]
            if r["date"] is not None:
                assert len(r["date"]) == 10 and r["date"][4] == "-"
        for rel in rec["relations"]:
            assert rel["rel"] in ("based_on", "implements", "amends", "replaces", "repeals", "guides", "cites")
            assert rel["from"] == "SELF" or 0 <= rel["from"] < len(rec["references"])
            assert 0 <= rel["to"] < len(rec["references"])
        assert isinstance(rec["warnings"], list)


def test_table_is_readable() -> None:
    proc = run("extract", "--format", "table", SEEDS[-1])
    assert proc.returncode == 0
    assert "114/KH-UBND" in proc.stdout and "implements" in proc.stdout
    assert all("\n" not in line for line in proc.stdout.splitlines())


@pytest.mark.parametrize("bad, reason", [("does-not-exist.txt", "no such file"), ("corpus", None)])
def test_bad_file_is_named_and_others_still_processed(tmp_path: Path, bad: str, reason: str | None) -> None:
    target = str(tmp_path / bad) if reason else str(tmp_path)
    if reason is None:
        (tmp_path / "empty.txt").write_bytes(b"")
        target = str(tmp_path / "empty.txt")
        reason = "empty"
    proc = run("extract", target, SEEDS[0])
    assert proc.returncode == 2
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and target in err[0] and reason in err[0]
    assert "Traceback" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 1 and json.loads(proc.stdout)["source"] == SEEDS[0]


def test_usage_errors_are_not_tracebacks() -> None:
    proc = run("extract")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "PATH" in proc.stderr
    assert run("--version").stdout.startswith("citegraph ")
