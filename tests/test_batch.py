"""extract_many: parallel results equal sequential ones, in input order, with bounded work in flight,
on processes, threads and a local Dask cluster."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import pytest

import citegraph
from citegraph import ReadError
from citegraph.extraction.batch import extract_many
from citegraph.synth import write_corpus

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "corpus").glob("*.txt"))

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(40, tmp_path_factory.mktemp("syn"), seed=5)


def _as_data(results: list[Any]) -> list[Any]:
    return [(r.to_dict(), r.text) if not isinstance(r, Exception) else ("error", str(r)) for r in results]


def test_processes_equal_sequential_on_seeds_and_synthetic(corpus: list[Path]) -> None:
    paths = SEEDS + corpus
    sequential = [citegraph.extract(p) for p in paths]
    parallel = list(extract_many(paths, workers=2, chunksize=3, progress=False))
    assert _as_data(parallel) == _as_data(sequential)
    assert [r.source for r in parallel] == [str(p) for p in paths]
    assert list(extract_many(paths[:5], workers=1, progress=False)) == sequential[:5]


def test_read_errors_are_yielded_in_place(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   ")
    paths = [SEEDS[0], tmp_path / "missing.txt", empty, SEEDS[1]]
    out = list(extract_many(paths, workers=2, chunksize=1, progress=False))
    assert [type(r).__name__ for r in out] == ["Extraction", "ReadError", "ReadError", "Extraction"]
    assert "missing.txt" in str(out[1]) and "empty" in str(out[2])


def _boom(text: str) -> int:
    if "boom" in text:
        raise RuntimeError("exploded")
    return len(text)


def test_errors_inside_extraction_do_not_stop_the_batch(tmp_path: Path) -> None:
    files = []
    for i, body in enumerate(["một", "boom", "ba"]):
        f = tmp_path / f"{i}.txt"
        f.write_text(body, encoding="utf-8")
        files.append(f)
    out = list(extract_many(files, workers=2, func=_boom, progress=False))
    assert out[0] == 3 and out[2] == 2
    assert isinstance(out[1], ReadError) and "RuntimeError: exploded" in str(out[1])


def test_order_kept_and_work_in_flight_bounded() -> None:
    consumed = 0
    lock = threading.Lock()

    def paths() -> Iterator[str]:
        nonlocal consumed
        for i in range(200):
            with lock:
                consumed += 1
            yield "x" * (i + 1)

    seen = []
    with ThreadPoolExecutor(4) as ex:
        for r in extract_many(paths(), executor=ex, func=len, chunksize=2, max_in_flight=3, progress=False):
            if not seen:
                # before the first result is consumed, at most max_in_flight chunks were read
                assert consumed <= 2 * 3
            seen.append(r)
            assert consumed <= len(seen) + 2 * 3 + 2
    assert seen == list(range(1, 201))


def test_given_executor_is_left_open() -> None:
    with ThreadPoolExecutor(2) as ex:
        assert list(extract_many(["ab", "abc"], executor=ex, func=len, progress=False)) == [2, 3]
        assert ex.submit(len, "abcd").result() == 4


def test_progress_bar_only_when_asked_or_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    list(extract_many(["a"] * 5, workers=1, func=len))
    assert capsys.readouterr().err == ""  # stderr is not a terminal under pytest
    list(extract_many(["a"] * 5, workers=1, func=len, progress=False))
    assert capsys.readouterr().err == ""
    list(extract_many(["a"] * 5, workers=1, func=len, progress=True))
    err = capsys.readouterr().err
    assert "5/5" in err


def test_bad_chunksize() -> None:
    with pytest.raises(ValueError):
        list(extract_many(["a"], func=len, chunksize=0))


def test_local_dask_cluster_runs_the_same_code(corpus: list[Path]) -> None:
    distributed = pytest.importorskip("distributed")
    paths = SEEDS + corpus[:16]
    sequential = [citegraph.extract(p) for p in paths]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        got = list(extract_many(paths, executor=client.get_executor(), workers=2, chunksize=4, progress=False))
    assert _as_data(got) == _as_data(sequential)
