"""What the library derives from its own patterns, kept on disk between runs: a start-up without recompiling.

Each command starts by compiling the patterns of the extraction path (a few hundred, some of them alternations
of every issuer, place or document type, thousands of characters long) and by deriving the prefilter's keys
from them (:mod:`citegraph.text.prefilter`). Both are pure Python work on data that only changes with the
library: about 0.11 s of every command's start-up here. This module keeps the results in one file of the user's
cache directory: the first run records them, later runs read them back.

- :func:`compile` is ``re.compile`` for the library's patterns: it records the regex engine's program of each
  and later hands that program to the engine (which checks it) instead of parsing and compiling the pattern
  again. The pattern object is the same.
- :func:`recall` and :func:`keep` hold any other plain data (numbers, strings, tuples, lists, dicts, sets)
  derived from a pattern, under a key naming what it is and what it was derived from.

The file is named after the interpreter (its cache tag, the regex engine's magic number and code size), so no
other Python reads it, and holds the :func:`fingerprint` of the library that wrote it: after an upgrade or an
edit of the library, what it holds is derived again. A file that is unreadable or damaged is ignored; one that
cannot be written is not written: the cache only ever saves time. Only the process that first used the cache
writes it, at exit, and only when it derived something the file lacked (forked workers never do). ``CITEGRAPH_CACHE_DIR`` chooses the folder; set to the empty string,
nothing is kept on disk. Patterns built from a document's own words (a short name it defines) are compiled with
``re.compile``: the file holds what the library itself is made of.

Examples
--------
>>> rx = compile(r"(?P<n>\\d+)/(?P<y>\\d{4})/NĐ-CP")
>>> rx.search("Nghị định số 15/2020/NĐ-CP").group("n", "y")
('15', '2020')
>>> rx is compile(r"(?P<n>\\d+)/(?P<y>\\d{4})/NĐ-CP") and rx == re.compile(rx.pattern)
True
>>> keep(("example", "a key"), {"keys": ("Luật",), "offsets": [0]})
>>> recall(("example", "a key"))
{'keys': ('Luật',), 'offsets': [0]}
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import threading
from functools import wraps
from typing import Any, Callable, TypeVar

try:  # CPython 3.11 and later: the parser and code generator of the re module itself
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]

    _ENGINE: str | None = f"{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}-{sys.maxunicode}"
except ImportError:  # pragma: no cover - another interpreter or an older Python: nothing recorded
    _ENGINE = None

__all__ = ["cache_file", "compile", "fingerprint", "keep", "memo", "recall"]

F = TypeVar("F", bound=Callable[..., Any])

#: at most this many entries are written (past it, only those this process used)
LIMIT = 4096

_lock = threading.RLock()
_store: dict[Any, Any] | None = None  # the file's entries, read on first use
_used: set[Any] = set()  # the entries this process read or added
_dirty = False  # an entry was added: the file is written at exit
_owner = os.getpid()  # worker processes forked from this one leave the file to it
_compiled: dict[tuple[str, int], re.Pattern[str]] = {}


def cache_file() -> str | None:
    """The cache file of this interpreter, or None when nothing is kept on disk (``CITEGRAPH_CACHE_DIR`` set to
    the empty string, or an interpreter whose regex engine cannot be given a program).

    >>> os.path.basename(cache_file() or "startup-.marshal").startswith("startup-")
    True
    """
    if _ENGINE is None:
        return None
    folder = os.environ.get("CITEGRAPH_CACHE_DIR")
    if folder is None:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = os.path.join(base, "citegraph")
    return os.path.join(folder, f"startup-{_ENGINE}.marshal") if folder else None


def fingerprint() -> str:
    """The library as installed: a checksum of the names, sizes and times of its files (code and vocabularies).
    What was derived by another version of them is not read back (its entries are dropped as the file is read).
    Two 32-bit checksums of the listing (zlib's CRC-32 and Adler-32: no ``hashlib``, whose OpenSSL costs ~2 ms of
    every start-up).

    >>> len(fingerprint())
    16
    """
    import zlib

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    listing: list[str] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.is_dir():
                    if e.name != "__pycache__":
                        stack.append(e.path)
                elif e.name.endswith((".py", ".json", ".so", ".pyd")):
                    st = e.stat()
                    listing.append(f"{e.path[len(root):]}\0{st.st_size}\0{st.st_mtime_ns}\n")
    data = "".join(listing).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


_FINGERPRINT = ("fingerprint",)


def _entries() -> dict[Any, Any]:
    global _store
    if _store is None:
        _store = {}
        path = cache_file()
        try:
            here = fingerprint()
        except OSError:  # the library's files cannot be listed (a zipped install): nothing kept on disk
            path = None
        if path is not None:
            try:
                with open(path, "rb") as f:
                    data = marshal.loads(f.read())  # (marshal.load reads a file piece by piece: 20x slower)
                if isinstance(data, dict) and data.get(_FINGERPRINT) == here:
                    _store = data
            except (OSError, EOFError, ValueError, TypeError):
                pass  # no file yet, or a damaged one: derive as usual (a good one is written at exit)
            _store[_FINGERPRINT] = here
            _used.add(_FINGERPRINT)
            atexit.register(_save)
    return _store


def recall(key: tuple[Any, ...]) -> Any:
    """What was kept under ``key`` (by this process or an earlier run), or None."""
    with _lock:
        value = _entries().get(key)
        if value is not None:
            _used.add(key)
        return value


def keep(key: tuple[Any, ...], value: Any) -> None:
    """Keep ``value`` (plain data: what ``marshal`` writes) under ``key`` for this process and later runs."""
    global _dirty
    with _lock:
        store = _entries()
        if store.get(key) != value:
            store[key] = value
            _dirty = True
        _used.add(key)


def memo(name: str) -> Callable[[F], F]:
    """Keep what a pure function returns, for each of its arguments, across runs: for the pieces of patterns that
    every start-up builds from the vocabularies (``words_pattern``, ``factored``). Arguments and results are plain
    data (a list argument is kept as a tuple, a flag as an ``int``); ``name`` is the table's key in the file.

    >>> @memo("doctest square")
    ... def square(x): return x * x
    >>> square(4), square(4)
    (16, 16)
    """
    key = ("memo", name)

    def wrap(fn: F) -> F:
        table: dict[Any, Any] | None = None

        @wraps(fn)
        def call(*args: Any) -> Any:
            global _dirty
            nonlocal table
            k = tuple(tuple(a) if isinstance(a, list) else int(a) if isinstance(a, int) else a for a in args)
            if table is None:
                table = recall(key) or {}
            try:
                return table[k]
            except KeyError:
                pass
            value = table[k] = fn(*args)
            with _lock:
                _entries()[key] = table
                _used.add(key)
                _dirty = True
            return value

        return call  # type: ignore[return-value]

    return wrap


def _save() -> None:
    """Write the entries (at exit, when this process added one)."""
    path = cache_file()
    if not _dirty or path is None or _store is None or _FINGERPRINT not in _store or os.getpid() != _owner:
        return
    import tempfile  # only at exit, and only when there is something to write

    entries = _store if len(_store) <= LIMIT else {k: v for k, v in _store.items() if k in _used}
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".startup-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                marshal.dump(entries, f)
            os.replace(tmp, path)  # readers see the old file or the whole new one
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):
        pass  # a read-only home, a full disk, a value marshal cannot write: the next run derives again


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` for one of the library's patterns, from its program when one was kept.

    Parameters
    ----------
    pattern : str
        The regular expression.
    flags : int or re.RegexFlag
        As for ``re.compile``.

    Returns
    -------
    re.Pattern
        The compiled pattern; the same object for the same pattern and flags within a process.
    """
    key = (pattern, int(flags))
    rx = _compiled.get(key)
    if rx is None:
        rx = _compiled[key] = _compile(pattern, key[1])
    return rx


def _compile(pattern: str, flags: int) -> re.Pattern[str]:
    if _ENGINE is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = ("re", pattern, flags)
    program = recall(key)
    if program is not None:
        try:
            return _sre.compile(pattern, *program)
        except (TypeError, ValueError, RuntimeError):
            pass  # a program this engine does not take: compile the pattern again
    # as re._compiler.compile does, keeping the program (re.error for a bad pattern, as re.compile raises)
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are an int subclass: plain ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    program = (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
    rx = _sre.compile(pattern, *program)
    keep(key, program)
    return rx
