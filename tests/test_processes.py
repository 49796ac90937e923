"""Process hygiene: pool workers die with their parent; the umask is read without being changed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from citegraph.io import atomic

SCRIPT = r"""
import sys, time
from citegraph.extraction.batch import extract_many

def slow(text):
    time.sleep(60)
    return text

if __name__ == "__main__":
    for _ in extract_many([f"t{i}" for i in range(8)], workers=2, func=slow, chunksize=1):
        pass
"""


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return {int(x) for x in out.split()}


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_when_the_parent_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)])
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = {w for w in _children(proc.pid) if _alive(w)}
        assert len(workers) >= 2, "the pool did not start"
        time.sleep(1.0)  # the workers run their initializer
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(map(_alive, workers)), "workers outlived their killed parent"
    finally:
        if proc.poll() is None:
            proc.kill()


def test_umask_is_read_without_being_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = os.umask
    monkeypatch.setattr(os, "umask", lambda m: calls.append(m) or real(m))
    mask = atomic._umask()
    assert calls == [] and mask == atomic._IMPORT_UMASK


def test_threads_writing_never_make_world_writable_directories(tmp_path: Path) -> None:
    def write(i: int) -> None:
        for j in range(40):
            atomic.atomic_write(tmp_path / f"t{i}" / f"d{j}" / "f.txt", "x")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    modes = {p.stat().st_mode & 0o002 for p in tmp_path.rglob("*")}
    assert modes == {0}


def test_a_killed_write_leaves_the_old_set_whole_and_the_next_write_sweeps(tmp_path: Path) -> None:
    """Issue 15 defect 11: the files are written into a staging folder and moved in together."""
    import citegraph
    from citegraph import corpus

    G = citegraph.build(["Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ."])
    out = tmp_path / "out"
    first = {p.name: p.read_bytes() for p in G.write(out).values()}

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as if the build died while writing graph.html

    stale = out / ".graph.ttl.x1y2.tmp"
    stale.write_text("half")
    orig = corpus.write_html
    corpus.write_html = killed  # type: ignore[assignment]
    try:
        with pytest.raises(KeyboardInterrupt):
            citegraph.build(["Căn cứ Chỉ thị số 34/CT-TTg."]).write(out)
    finally:
        corpus.write_html = orig  # type: ignore[assignment]
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == first
    G.write(out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
