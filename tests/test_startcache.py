"""The start-up cache (citegraph.text.startcache): the same patterns and prefilter facts, from disk or not.

Each case runs Python in a new process on a cache folder of its own, as a command does: a first run records,
a second one reads back. The checks: the pattern objects are equal to ``re.compile``'s (same program), a
warm run parses no library pattern, the prefilter's facts read back equal those derived afresh, and a
damaged, unwritable or disabled cache costs nothing but time.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from citegraph.text import prefilter, startcache

PATTERNS = [  # (pattern, flags): what the library's patterns are made of
    (r"(?P<n>\d{1,6})\s*/\s*(?P<y>\d{4})/NĐ-CP", 0),
    (r"(?<![\w])(?:Luật|Bộ\s+luật)\s+[A-ZĐ]\w+", 0),
    (r"điều\s+\d+", re.IGNORECASE),
    (r"^[ \t]*Số[ \t]*:", re.MULTILINE),
    (r"(?:ngày\s+)?(\d{1,2})\s+tháng\s+(\d{1,2})(?=\s|$)", re.IGNORECASE | re.MULTILINE),
    (r"(?P<a>x)(?(a)y|z)(?>ab|a)c*+", 0),
    ("|".join(["Ủy ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND"]) * 3, re.IGNORECASE),
]


@pytest.mark.parametrize("pattern,flags", PATTERNS)
def test_compile_equals_re(pattern: str, flags: int) -> None:
    rx = startcache.compile(pattern, flags)
    assert rx == re.compile(pattern, flags)  # pattern objects compare equal only with the same program
    assert (rx.flags, rx.groups, rx.groupindex) == (re.compile(pattern, flags).flags,) + (
        re.compile(pattern, flags).groups, re.compile(pattern, flags).groupindex)


def test_bad_pattern_raises_as_re_does() -> None:
    with pytest.raises(re.error):
        startcache.compile(r"(?P<x>a")


CHILD = r"""
import json, re, sys
from re import _parser
parsed = []
original = _parser.parse
def parse(p, *a, **k):
    parsed.append(p)
    return original(p, *a, **k)
_parser.parse = parse
from citegraph.text import prefilter, startcache
DANG = r"(?<![\w])(?:[IVX]{1,4}\s+)?Đảng\s+bộ\s+\w+"
rx = startcache.compile(sys.argv[1], int(sys.argv[2]))
p = prefilter.Pattern(DANG)
facts = [sorted(p.keys), repr(p.keys), repr(p.first), repr(p.last), repr(p.lead), p.transparent, p.ends]
print(json.dumps({"parsed": sum(x in (sys.argv[1], DANG) for x in parsed), "equal": rx == re.compile(sys.argv[1], int(sys.argv[2])),
                  "facts": facts, "file": startcache.cache_file()}))
"""


def _run(folder: str, pattern: str = PATTERNS[0][0], flags: int = 0) -> dict:
    env = {**os.environ, "CITEGRAPH_CACHE_DIR": folder}
    out = subprocess.run([sys.executable, "-c", CHILD, pattern, str(flags)], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stderr == ""
    return json.loads(out.stdout)


def test_second_run_parses_nothing(tmp_path: Path) -> None:
    cold = _run(str(tmp_path))
    assert cold["parsed"] == 3 and cold["equal"]  # the two patterns, and the prefilter's analysis of one
    assert Path(cold["file"]).is_file()
    warm = _run(str(tmp_path))
    assert warm["parsed"] == 0 and warm["equal"]
    assert warm["facts"] == cold["facts"]
    assert "RunRule('IVX', 1, 4, 1, 0)" in warm["facts"][1]  # a derived start read back as itself


def test_damaged_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    cold = _run(str(tmp_path))
    Path(cold["file"]).write_bytes(b"\x00not marshal data")
    again = _run(str(tmp_path))
    assert again["parsed"] == 3 and again["facts"] == cold["facts"]
    assert _run(str(tmp_path))["parsed"] == 0  # written anew at the damaged run's exit


def test_unwritable_folder_costs_only_time(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("x")
    first = _run(str(blocker / "cache"))  # the folder cannot be made: nothing written, no error
    assert first["equal"] and first["parsed"] == _run(str(blocker / "cache"))["parsed"] == 3


def test_disabled(tmp_path: Path) -> None:
    out = _run("")
    assert out["file"] is None and out["equal"]
    assert out["parsed"] == _run("")["parsed"] == 3


def test_forked_worker_does_not_write(tmp_path: Path) -> None:
    code = (
        "import os, sys\n"
        "from citegraph.text import startcache\n"
        "if os.fork() == 0:\n"
        "    startcache.compile('worker-only pattern')\n"
        "    sys.exit(0)\n"  # a normal exit runs atexit: the child must still leave the file alone
        "os.wait()\n"
    )
    env = {**os.environ, "CITEGRAPH_CACHE_DIR": str(tmp_path)}
    for _ in range(2):  # the second time, the parent has nothing new to write: only the child could
        subprocess.run([sys.executable, "-c", code], env=env, check=True)
    import marshal

    kept = marshal.loads(next(tmp_path.iterdir()).read_bytes())  # the parent's, written at its exit
    assert kept and not any("worker-only pattern" in k for k in kept)


def test_prefilter_facts_survive_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every declared pattern's facts, written and read back as the file does, rebuild the same pattern."""
    import marshal

    import citegraph.extraction.pipeline  # noqa: F401 - declares the extraction path's patterns
    from citegraph.extraction.batch import warm

    warm()
    checked = 0
    for p in prefilter.declared():
        try:
            p.keys
        except ValueError:  # a pattern another test declared wrongly on purpose
            continue
        keys, lead = p._given
        derive = "none" if p.start is None else "given" if keys is not None else (
            "ANYWHERE" if p.start is prefilter.ANYWHERE else "AT" if p.start is prefilter.AT else "missing")
        facts = prefilter._analyse(p.regex, lead, derive, p.name)
        back = marshal.loads(marshal.dumps(facts))
        assert back == facts
        startcache.keep(("prefilter", prefilter._FACTS, p.regex.pattern, p.regex.flags,
                         None if lead is None else prefilter._plain_set(lead), derive), back)
        with monkeypatch.context() as m:  # built from what was kept, not analysed again
            m.setattr(prefilter, "_analyse", lambda *a: pytest.fail("analysed again"))
            q = prefilter.Pattern(p.regex, keys=keys, start=p.start, lead=lead, name=p.name)
            q.keys
        prefilter._REGISTRY.remove(q)
        assert (q.keys, q.lead, q.first, q.last, q.transparent, q.ends) == (
            p.keys, p.lead, p.first, p.last, p.transparent, p.ends), p.name
        checked += 1
    assert checked >= 20


def test_patterns_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """The library's patterns are the same strings in every run (bug: word lists sorted from sets by length
    alone came in the set's order among equal lengths, which the hash seed changes; the cache then missed the
    largest patterns, and a tie between two alternatives could be resolved differently from run to run)."""
    code = ("import json\n"
            "from citegraph.extraction.batch import warm\n"
            "from citegraph.text import prefilter, startcache\n"
            "warm()\n"
            "print(json.dumps(sorted({p for p, _ in startcache._compiled if isinstance(p, str)}\n"
            "                        | {p.pattern for p in prefilter.declared()})))\n")
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "CITEGRAPH_CACHE_DIR": "", "PYTHONHASHSEED": seed}
        runs.append(json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                              check=True).stdout))
    assert len(runs[0]) > 200
    assert runs[0] == runs[1], sorted(set(runs[0]) ^ set(runs[1]))[:3]


def test_another_version_of_the_library_is_derived_again(tmp_path: Path) -> None:
    import marshal

    cold = _run(str(tmp_path))
    path = Path(cold["file"])
    kept = marshal.loads(path.read_bytes())
    assert kept[("fingerprint",)] == startcache.fingerprint()
    kept[("fingerprint",)] = "another version"
    path.write_bytes(marshal.dumps(kept))
    assert _run(str(tmp_path))["parsed"] == 3  # nothing read back from another version's file
    assert _run(str(tmp_path))["parsed"] == 0  # and the file now is this version's


def test_lexicon_read_back_is_the_same(tmp_path: Path) -> None:
    from citegraph.io import legacy

    if legacy._lexicon() is None:
        pytest.skip("underthesea's word list is not installed")
    code = "import hashlib; from citegraph.io import legacy; print(hashlib.sha1(' '.join(sorted(legacy._lexicon())).encode()).hexdigest())"
    env = {**os.environ, "CITEGRAPH_CACHE_DIR": str(tmp_path)}
    digests = {subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                              check=True).stdout for _ in range(2)}
    assert len(digests) == 1 and len(next(iter(digests))) == 41


def test_a_library_whose_files_cannot_be_listed_keeps_nothing(tmp_path: Path) -> None:
    """A zipped install (no folder to list): the cache is off, nothing is read or written, nothing fails."""
    code = ("import os, sys\n"
            "from citegraph.text import startcache\n"
            "def nope(): raise OSError('no folder')\n"
            "startcache.fingerprint = nope\n"
            "startcache._store = None\n"
            "rx = startcache.compile('zipped (?P<x>install)')\n"
            "print(rx.search('a zipped install').group('x'))\n")
    env = {**os.environ, "CITEGRAPH_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "install" and out.stderr == ""
    assert not any(
        "zipped (?P<x>install)" in k for f in tmp_path.iterdir() for k in __import__("marshal").loads(f.read_bytes()))


MEMO_CHILD = r"""
import json, sys
from citegraph.text import prefilter, startcache, vocab
calls = []
original = prefilter.re.escape
prefilter.re.escape = lambda s: calls.append(s) or original(s)  # words_pattern's own work
import re
out = [prefilter.words_pattern("Kinh tế - Ngân sách"), vocab.factored(["Bộ Tài chính", "Ban", "UBND"], re.IGNORECASE)]
print(json.dumps({"out": out, "worked": len(calls), "table": sorted(map(repr, startcache.recall(("memo", "words_pattern")) or {}))}))
"""


def test_memo_reads_back_what_it_kept(tmp_path: Path) -> None:
    env = {**os.environ, "CITEGRAPH_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", MEMO_CHILD], env=env, capture_output=True, text=True,
                                      check=True).stdout) for _ in range(2)]
    from citegraph.text import vocab

    fresh = [prefilter.words_pattern.__wrapped__("Kinh tế - Ngân sách"),  # computed, not read from a table
             vocab.factored.__wrapped__(["Bộ Tài chính", "Ban", "UBND"], re.IGNORECASE)]
    assert runs[0]["out"] == runs[1]["out"] == fresh
    assert runs[0]["worked"] > 0 and runs[1]["worked"] == 0  # the second run computed nothing again
    assert "('Kinh tế - Ngân sách',)" in runs[1]["table"]
