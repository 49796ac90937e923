"""Command-line mistakes and hostile inputs (issue 15 item 3, defects 3, 12, 13, 14; issue 14 item 6): every
argument a user can get wrong is one clear line and a non-zero exit; file names that are not UTF-8 or hold a
line break or backticks are escaped wherever they are printed; outputs name the registry relatively;
``--quiet``, ``--json`` and progress for every long phase."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from itertools import islice
from pathlib import Path

import pytest

from citegraph.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("citegraph"))
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([EXE, *args], capture_output=True, cwd=cwd, timeout=300)


def one_error(stderr: str | bytes, *needles: str) -> str:
    """The single error line of a command, holding every needle (and no traceback)."""
    text = stderr.decode("utf-8") if isinstance(stderr, bytes) else stderr
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, text
    assert lines[0].startswith("citegraph") and "error: " in lines[0], text
    assert "Traceback" not in text and "[Errno" not in text, text
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    """The commune plan under hostile names: bytes that are not UTF-8, a line break, backticks and HTML."""
    d = tmp_path / "in"
    d.mkdir()
    text = SEEDS[-1].read_bytes()
    for name in (b"k\xe9 ho\xe1ch.txt", b"a\nb.txt", b"x`<img src=x onerror=alert(1)>`.txt", b"plain.txt"):
        with open(os.path.join(os.fsencode(d), name), "wb") as f:
            f.write(text)
    return d


# ================================================================= defects 3 and 12: names of files
def test_names_that_are_not_utf8_or_hold_a_line_break_are_escaped_everywhere(odd_names: Path, tmp_path: Path):
    # defect 3: build and build --store crashed with a traceback (UnicodeEncodeError); extract wrote the raw
    # byte into its JSONL. A name with a line break was read as a text (its name), not as the file.
    proc = run("extract", str(odd_names))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(ln) for ln in proc.stdout.decode("utf-8").splitlines()]  # valid UTF-8
    sources = sorted(r["source"][len(str(odd_names)) + 1:] for r in records)
    assert sources == ["a\\x0ab.txt", "k\\xe9 ho\\xe1ch.txt", "plain.txt", "x`<img src=x onerror=alert(1)>`.txt"]
    assert len({len(r["references"]) for r in records}) == 1  # the same text read four times
    outs = {}
    for name, extra in (("memory", []), ("store", ["--store", str(tmp_path / "st")])):
        out = tmp_path / name
        proc = run("build", str(odd_names), "--out", str(out), *extra)
        assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
        outs[name] = (out / "graph.ttl").read_bytes()
        ttl = outs[name].decode("utf-8")
        assert 'cg:sourceFile "' + str(odd_names) + '/k\\\\xe9 ho\\\\xe1ch.txt"' in ttl
        assert 'cg:sourceFile "' + str(odd_names) + '/a\\\\x0ab.txt"' in ttl
        for f in ("graph.jsonld", "graph.graphml", "report.md", "graph.html"):
            (out / f).read_bytes().decode("utf-8")
    assert outs["memory"] == outs["store"]


def test_a_name_with_a_line_break_cannot_forge_error_lines(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bad\ncitegraph: error: forged.txt").write_bytes(b"")  # an empty file: one error line
    shutil.copy(SEEDS[0], d / "good.txt")
    for cmd in (["extract", str(d)], ["build", str(d), "--out", str(tmp_path / "o")], ["check", str(d)]):
        proc = run(*cmd)
        assert proc.returncode == 2
        one_error(proc.stderr, "bad\\x0acitegraph: error: forged.txt", "empty")


def test_backticks_in_a_name_cannot_inject_markdown_into_the_report(tmp_path: Path):
    d = tmp_path / "in"
    d.mkdir()
    for p in SEEDS:  # seed 003 states 217-QĐ/TW with other dates: findings name its file
        name = "x`<img src=x onerror=alert(1)>`.txt" if p.name.startswith("003") else p.name
        shutil.copy(p, d / name)
    assert main(["build", str(d), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    report = (tmp_path / "o" / "report.md").read_text(encoding="utf-8")
    name = f"{d}/x`<img src=x onerror=alert(1)>`.txt"
    assert f"  - `` {name} `` line" in report  # one code span: a fence longer than the backticks inside
    assert f"`{name}`" not in report


# ============================================================== defect 14: the registry named relatively
def test_outputs_name_the_registry_relatively(seed_graph, tmp_path: Path):
    written = seed_graph.write(tmp_path / "o")
    ttl = written["ttl"].read_text(encoding="utf-8")
    assert 'cg:sourceFile "ontology/registry/central.json"' in ttl
    for p in written.values():
        assert str(ROOT) not in p.read_text(encoding="utf-8"), p.name  # no path of this checkout


# ========================================================== issue 15 item 3: one line per user mistake
@pytest.mark.parametrize("cmd", ["extract", "build", "check"])
def test_an_explicit_folder_with_nothing_to_read_is_an_error(tmp_path: Path, cmd: str, capsys):
    # extract printed nothing and exited 0
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.png").write_bytes(b"x")
    args = [cmd, str(tmp_path / "empty")] + (["--out", str(tmp_path / "o")] if cmd == "build" else [])
    assert main(args) == 2
    one_error(capsys.readouterr().err, str(tmp_path / "empty"), "no documents to read", ".txt")


@pytest.mark.parametrize("cmd", ["extract", "build", "check"])
def test_a_missing_folder_is_an_error(tmp_path: Path, cmd: str, capsys):
    args = [cmd, str(tmp_path / "nope")] + (["--out", str(tmp_path / "o")] if cmd == "build" else [])
    assert main(args) == 2
    one_error(capsys.readouterr().err, str(tmp_path / "nope"), "no such file")


@pytest.mark.parametrize("where", ["file", "under a file"])
def test_an_output_path_that_is_a_file_is_one_line_before_any_work(tmp_path: Path, where: str, capsys, monkeypatch):
    # it gave a raw "[Errno 17] File exists" after the whole build
    (tmp_path / "afile").write_text("x")
    out = tmp_path / "afile" if where == "file" else tmp_path / "afile" / "sub"
    import citegraph.builder

    monkeypatch.setattr(citegraph.builder, "build", lambda *a, **k: pytest.fail("built before checking --out"))
    assert main(["build", str(SEEDS[0]), "--out", str(out)]) == 2
    one_error(capsys.readouterr().err, f"--out {out}", "is a file")


def test_a_store_path_that_is_a_file_is_one_line(tmp_path: Path, capsys):
    (tmp_path / "afile").write_text("x")
    assert main(["build", str(SEEDS[0]), "--out", str(tmp_path / "o"), "--store", str(tmp_path / "afile")]) == 2
    one_error(capsys.readouterr().err, str(tmp_path / "afile"), "a store is a folder")


@pytest.mark.parametrize("cmd", ["build", "check"])
def test_an_unrelated_folder_as_store_is_refused_and_left_alone(tmp_path: Path, cmd: str, capsys):
    # defect 13: the database files were written into it
    d = tmp_path / "mine"
    d.mkdir()
    (d / "thesis.txt").write_text("mine")
    args = [cmd, str(SEEDS[0]), "--store", str(d)] + (["--out", str(tmp_path / "o")] if cmd == "build" else [])
    assert main(args) == 2
    one_error(capsys.readouterr().err, str(d), "not a store", "thesis.txt")
    assert [p.name for p in d.iterdir()] == ["thesis.txt"]


@pytest.mark.parametrize("damage", ["sst truncated", "sst bytes flipped", "CURRENT garbled"])
def test_a_damaged_store_is_one_line(tmp_path: Path, damage: str, capsys):
    # defect 13: a corrupted store gave a traceback (RuntimeError: Corruption ...)
    st = tmp_path / "st"
    assert main(["build", *map(str, SEEDS), "--out", str(tmp_path / "o"), "--store", str(st), "--quiet"]) == 0
    for f in sorted(st.glob("*.sst")) if damage.startswith("sst") else [st / "CURRENT"]:
        data = bytearray(f.read_bytes())
        if damage == "sst truncated":
            data = data[:100]
        elif damage == "sst bytes flipped":
            for i in range(len(data) // 4, len(data) // 2):
                data[i] ^= 0xFF
        else:
            data = bytearray(b"garbage\n")
        f.write_bytes(bytes(data))
    capsys.readouterr()
    for args in (["build", *map(str, SEEDS), "--out", str(tmp_path / "o")], ["check", str(SEEDS[0])],
                 ["grounds", "114-KL/TW"]):
        assert main([*args, "--store", str(st)]) == 2
        one_error(capsys.readouterr().err, str(st), "the store is damaged", "remove the folder")


def test_usage_mistakes_are_one_line(capsys):
    for args in (["build", str(SEEDS[0])], ["grounds", "114-KL/TW", "--depth", "0", "--graph", "x"],
                 ["coverage", "x", "--level", "galaxy", "--graph", "x"], ["frobnicate"]):
        with pytest.raises(SystemExit) as e:
            main(args)
        assert e.value.code == 2
        one_error(capsys.readouterr().err, "--help")


# =============================================================================== --quiet, --json
def test_quiet_prints_nothing_and_the_status_still_tells(tmp_path: Path, capsys):
    assert main(["build", *map(str, SEEDS), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "o" / "graph.ttl").exists()
    assert main(["check", *map(str, SEEDS), "--quiet"]) == 1  # the seeds have findings
    assert capsys.readouterr() == ("", "")


def test_json_output_of_build_and_check(tmp_path: Path, capsys, seed_graph):
    missing = str(tmp_path / "nope.txt")
    assert main(["build", *map(str, SEEDS), missing, "--out", str(tmp_path / "o"), "--json"]) == 2
    cap = capsys.readouterr()
    data = json.loads(cap.out)
    assert data["documents"] == len(seed_graph.nx) and data["citations"] == seed_graph.nx.number_of_edges()
    assert data["known_to_registry"] == 21 and data["triples"] == seed_graph.triple_count()
    assert set(data["files"]) == {"ttl", "jsonld", "graphml", "html", "report"}
    assert data["errors"] == [f"{missing}: no such file"]
    one_error(cap.err, missing)
    assert main(["check", *map(str, SEEDS), "--json"]) == 1
    rep = json.loads(capsys.readouterr().out)
    kinds = {f["kind"] for f in rep["findings"]}
    assert rep["sources"] == 4 and "date_conflict" in kinds and rep["errors"] == []
    place = rep["findings"][0]["places"][0]
    assert {"source", "start", "end", "text", "line"} <= set(place)


# ==================================================================================== progress
def test_progress_covers_every_long_phase(tmp_path: Path, capsys):
    assert main(["build", *map(str, SEEDS), "--out", str(tmp_path / "o"), "--progress"]) == 0
    err = capsys.readouterr().err.replace("\r", "\n")
    for phase in ("read: 100%", "4/4", "citegraph: extracting 4 documents", "extract: 100%",
                  "citegraph: assembling the graph of 4 sources", "write: 100%", "5/5", "graph.ttl", "graph.html"):
        assert phase in err, phase
    assert main(["build", *map(str, SEEDS), "--out", str(tmp_path / "o"), "--progress", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")


def test_the_extraction_bar_reaches_the_total(monkeypatch):
    # the bar stopped at 2999/3000: it counted after each yield, and the consumer stops after the last one
    from concurrent.futures import ThreadPoolExecutor

    import tqdm

    from citegraph.extraction.batch import extract_many

    bars = []

    class Bar:
        def __init__(self, total=None, **kw):
            self.total, self.n = total, 0
            bars.append(self)

        def update(self, n=1):
            self.n += n

        def close(self):
            pass

    monkeypatch.setattr(tqdm, "tqdm", Bar)
    items = [f"/x{i}.txt" for i in range(30)]
    for workers, executor in ((1, None), (2, ThreadPoolExecutor(2))):
        gen = extract_many(items, workers=workers, executor=executor, func=len, progress=True, chunksize=4)
        got = list(islice(gen, len(items)))  # exactly the results, as extract_items takes them
        gen.close()
        assert len(got) == len(items) and bars[-1].n == bars[-1].total == len(items)
