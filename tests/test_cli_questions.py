"""Questions to a built graph from the command line (issue 14 item 6): ``citegraph grounds|implementers|lineage|
coverage`` on an output folder's graph.ttl or on a store, as a table or JSON, with the answers of the Python API."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from citegraph.cli import main
from citegraph.graph.queries import coverage, grounds, implementers, lineage_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "corpus").glob("*.txt"))
COMMUNE = "doc/551f1588427d656d"  # the Minh Tâm commune plan (corpus/004)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, list[str]]:
    """The seeds built once into an output folder and once into a store: the ways to name the graph."""
    import os

    d = tmp_path_factory.mktemp("q")
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        assert main(["build", *SEEDS, "--out", str(d / "out"), "--quiet"]) == 0
        assert main(["build", *SEEDS, "--out", str(d / "out2"), "--store", str(d / "st"), "--quiet"]) == 0
    finally:
        os.chdir(cwd)
    return {"folder": ["--graph", str(d / "out")], "ttl": ["--graph", str(d / "out" / "graph.ttl")],
            "store": ["--store", str(d / "st")]}


def ask(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.mark.parametrize("where", ["folder", "ttl", "store"])
@pytest.mark.parametrize("question, fn", [("grounds", grounds), ("implementers", implementers)])
@pytest.mark.parametrize("doc, opts", [(COMMUNE, []), ("114-KL/TW", []), ("33/CT-TTg", ["--depth", "1"]),
                                       (COMMUNE, ["--rel", "implements", "--rel", "based_on"])])
def test_walks_answer_as_the_python_api(built, capsys, seed_graph, where, question, fn, doc, opts):
    code, out, err = ask(capsys, question, doc, *built[where], *opts, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    kw = {"max_depth": 1} if "--depth" in opts else {}
    if "--rel" in opts:
        kw["rels"] = ["implements", "based_on"]
    want = fn(seed_graph, doc, **kw)
    assert data["question"] == question and data["document"] == seed_graph.resolve(doc)
    assert [(r["document"], r["depth"], r["rels"]) for r in data["results"]] == \
        [(r["document"], r["depth"], r["rels"]) for r in want]
    code, table, _ = ask(capsys, question, doc, *built[where], *opts)
    assert code == 0 and f"{len(want)} document(s)" in table.splitlines()[0]
    assert all(r["document"] in table for r in want)


def test_grounds_of_the_commune_plan_reach_the_centre(built, capsys):
    code, out, _ = ask(capsys, "grounds", COMMUNE, *built["folder"])
    assert code == 0
    assert "114/KH-UBND" in out and "huyện Hớn Quản, tỉnh Bình Phước" in out and "114-KL/TW" in out
    assert out.splitlines()[1].split()[:3] == ["depth", "relation", "document"]


@pytest.mark.parametrize("where", ["folder", "store"])
def test_coverage_and_lineage(built, capsys, seed_graph, where):
    code, out, _ = ask(capsys, "coverage", "114-KL/TW", *built[where], "--json")
    c = coverage(seed_graph, "114-KL/TW")
    data = json.loads(out)
    assert code == 0 and data["missing"] == c.missing and data["ratio"] == c.ratio
    assert {u: [d["document"] for d in ds] for u, ds in data["covered"].items()} == c.covered
    code, out, _ = ask(capsys, "coverage", "114-KL/TW", *built[where], "--level", "district")
    assert code == 0 and "followed up in 1 of 1 districts" in out and "huyện Hớn Quản" in out
    code, out, _ = ask(capsys, "lineage", COMMUNE, "114-KL/TW", *built[where], "--json")
    steps = lineage_path(seed_graph, COMMUNE, "114-KL/TW")
    assert code == 0 and [(s["citing"]["document"], s["rel"], s["cited"]["document"])
                          for s in json.loads(out)["steps"]] == steps
    code, out, _ = ask(capsys, "lineage", "33/CT-TTg", "114-KL/TW", *built[where])
    assert code == 1 and out.startswith("no citation chain between 33/CT-TTg and 114-KL/TW")


@pytest.mark.parametrize("args, needles", [
    (["grounds", "114-KL/TW"], ["--graph OUT", "--store DIR"]),
    (["grounds", "114-KL/TW", "--graph", "{d}/nope"], ["no such folder or file"]),
    (["grounds", "114-KL/TW", "--graph", "{d}"], ["no graph.ttl in this folder"]),
    (["grounds", "114-KL/TW", "--graph", "{d}/bad.ttl"], ["not a graph written by citegraph"]),
    (["grounds", "114-KL/TW", "--store", "{d}/nope"], ["no such store"]),
    (["grounds", "114-KL/TW", "--store", "{d}"], ["not a store"]),
    (["grounds", "no such thing", "--graph", "{out}"], ["'no such thing' is not a document of this graph"]),
    (["coverage", "18/CT-UBND", "--graph", "{out}"], ["'18/CT-UBND' names 2 documents"]),
])
def test_question_mistakes_are_one_line(built, capsys, tmp_path, args, needles):
    (tmp_path / "bad.ttl").write_text("garbage <<")
    args = [a.format(d=tmp_path, out=built["folder"][1]) for a in args]
    code, out, err = ask(capsys, *args)
    lines = err.splitlines()
    assert code == 2 and out == "" and len(lines) == 1 and lines[0].startswith("citegraph: error: "), err
    assert all(n in lines[0] for n in needles), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl"]  # asking made no store anywhere
