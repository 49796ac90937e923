"""The command line as a user runs it: the JSON contract, the table, errors that name the file."""
from __future__ import annotations

import json
import os
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


def test_stats_counts_own_header_fields(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Giải thưởng Hồ Chí Minh là giải thưởng của Nhà nước, theo Nghị định số 90/2014/NĐ-CP.",
                    encoding="utf-8")
    proc = run("stats", *SEEDS, str(page))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith(f"own header of {len(SEEDS) + 1} texts: {len(SEEDS)} documents, 1 without")
    assert [ln.split()[0] for ln in lines[2:]] == ["type", "symbol", "date", "place", "issuer", "jurisdiction",
                                                   "title", "signer"]
    as_json = json.loads(run("stats", "--json", *SEEDS, str(page)).stdout)
    assert as_json["texts"] == len(SEEDS) + 1 and as_json["documents"] == len(SEEDS)
    # every seed states its type and issuer; one of the four has a symbol
    assert as_json["fields"]["type"] == {"found": 4, "of_texts": 0.8, "of_documents": 1.0}
    assert as_json["fields"]["issuer"]["found"] == 4 and as_json["fields"]["symbol"]["found"] == 1
    row = next(ln for ln in lines if ln.startswith("symbol"))
    assert row.split()[1:] == ["1", "20.0%", "25.0%"]


def test_stats_errors_are_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    proc = run("stats", missing, SEEDS[0])
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [f"citegraph: error: {missing}: no such file"]
    assert json.loads(run("stats", "--json", SEEDS[0]).stdout)["texts"] == 1
    (tmp_path / "sub").mkdir()
    proc = run("stats", str(tmp_path / "sub"))
    assert proc.returncode == 2 and "no documents found" in proc.stderr and "Traceback" not in proc.stderr


def test_extract_in_worker_processes_prints_what_one_process_prints(monkeypatch, capsys, tmp_path):
    """Many files go to worker processes; the lines, their order and the errors are the same."""
    from citegraph import cli
    from citegraph.extraction import batch

    bad = tmp_path / "empty.txt"
    bad.write_text("")
    args = [*SEEDS[:2], str(bad), *SEEDS[2:], str(tmp_path / "missing.txt")]
    assert batch.workers_for(batch.input_size(Path(p)) for p in SEEDS) == 1  # a few small files: no pool
    one = (cli.main(["extract", "--format", "jsonl", *args]), capsys.readouterr())
    monkeypatch.setattr(batch, "BYTES_PER_WORKER", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pools: list[int] = []
    real_pool = batch.worker_pool
    monkeypatch.setattr(batch, "worker_pool", lambda n, **kw: pools.append(n) or real_pool(n, **kw))
    many = (cli.main(["extract", "--format", "jsonl", *args]), capsys.readouterr())
    assert pools == [2]
    assert one[0] == many[0] == 2
    assert one[1].out == many[1].out and one[1].out.count("\n") == len(SEEDS)
    assert one[1].err == many[1].err and "empty file" in many[1].err and "missing.txt" in many[1].err


def test_extract_imports_no_graph_library(tmp_path) -> None:
    """``citegraph extract`` never imports the graph, RDF, table or progress libraries, nor does the parent
    its workers are forked from: their import time would be most of a short run's."""
    code = (
        "import sys, os\n"
        "from citegraph import cli\n"
        "from citegraph.extraction import batch\n"
        "batch.BYTES_PER_WORKER = 1\n"
        "os.cpu_count = lambda: 2\n"
        "assert cli.main(['extract', *sys.argv[1:]]) == 0\n"
        "heavy = ('rdflib', 'networkx', 'pandas', 'spacy', 'pyoxigraph', 'tqdm', 'pyvis', 'numpy')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *SEEDS], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("\n") == len(SEEDS)
    assert proc.stderr.strip() == "[]"


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_output_survives_a_terminal_that_cannot_write_vietnamese(encoding: str) -> None:
    """A bug: with stdout in cp1252 (a Windows console) the command stopped at the first Vietnamese letter with a
    traceback. JSON lines are UTF-8 whatever the terminal; the table writes escapes for what it cannot show."""
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    utf8 = subprocess.run([EXE, "extract", "--format", "jsonl", *SEEDS], capture_output=True, cwd=ROOT)
    other = subprocess.run([EXE, "extract", "--format", "jsonl", *SEEDS], capture_output=True, cwd=ROOT, env=env)
    assert other.returncode == 0 and b"Traceback" not in other.stderr, other.stderr
    assert other.stdout == utf8.stdout and "Kế hoạch".encode() in other.stdout
    table = subprocess.run([EXE, "extract", "--format", "table", SEEDS[-1]], capture_output=True, cwd=ROOT, env=env)
    assert table.returncode == 0 and b"114/KH-UBND" in table.stdout and b"\\u1ebf" in table.stdout, table.stderr
