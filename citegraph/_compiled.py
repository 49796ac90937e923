"""Which extraction modules are compiled (mypyc), and falling back to their Python sources.

``setup.py`` compiles :data:`MODULES` with mypyc; the compiled modules give the same output as the
sources (a test holds them to it). The sources are imported instead of the compiled modules when

* ``CITEGRAPH_PURE=1`` is set (debugging, coverage, trying an edit without rebuilding), or
* any compiled module is older than its source (edited since the last build): a warning then says so,
  and ``pip install -e .`` (or ``make``) compiles them again;
* the library holding the compiled code is missing (a build without a C compiler, whose extensions are
  optional, may leave some modules' parts without it).

The compiled modules call each other directly, so they are used all together or not at all.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path
from typing import Any, Sequence

#: the per-document extraction path (read → find → resolve → relate), in import order
MODULES = ("vocab", "normalize", "dates", "find", "header", "resolve", "relate", "extract")

_HERE = Path(__file__).resolve().parent


def _binary(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        p = _HERE / f"{name}{suffix}"
        if p.exists():
            return p
    return None


def _built_at() -> float | None:
    """When the compiled code was built: the newest of the modules' binaries and the library holding
    their code (``citegraph_compiled__mypyc``, next to the package); None when nothing is compiled."""
    binaries = [b for b in map(_binary, MODULES) if b is not None]
    binaries += list(_HERE.parent.glob("citegraph_compiled__mypyc*"))
    return max((b.stat().st_mtime for b in binaries), default=None)


def incomplete() -> bool:
    """Whether some modules have their compiled part but the library holding the compiled code is
    missing (a build that failed half way): they could not be imported."""
    return any(_binary(m) is not None for m in MODULES) and not any(_HERE.parent.glob("citegraph_compiled__mypyc*"))


def stale() -> list[str]:
    """The compiled modules whose source changed after the build (empty when none is compiled).

    A source counts as changed when it is more than two seconds newer than the build (an installed
    wheel writes its files a moment apart, in any order).
    """
    built = _built_at()
    if built is None:
        return []
    return [name for name in MODULES
            if _binary(name) is not None and (_HERE / f"{name}.py").stat().st_mtime > built + 2.0]


class _SourceFinder:
    """A meta-path finder that gives the Python source of each module in :data:`MODULES`."""

    @staticmethod
    def find_spec(fullname: str, path: Sequence[str] | None = None, target: Any = None) -> Any:
        pkg, _, name = fullname.rpartition(".")
        if pkg != __package__ or name not in MODULES:
            return None
        return importlib.util.spec_from_file_location(fullname, _HERE / f"{name}.py")


def install() -> None:
    """Use the Python sources when asked to (``CITEGRAPH_PURE=1``) or when a compiled module is stale."""
    if any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        return
    old = stale()
    if old:
        warnings.warn(f"citegraph: compiled modules older than their sources ({', '.join(old)}); using the "
                      "Python sources. Run `pip install -e .` (or `make`) to compile them again.",
                      RuntimeWarning, stacklevel=3)
    if old or incomplete() or os.environ.get("CITEGRAPH_PURE", "") not in ("", "0"):
        sys.meta_path.insert(0, _SourceFinder())


def active() -> bool:
    """Whether the extraction modules in use are the compiled ones.

    >>> isinstance(active(), bool)
    True
    """
    mod = sys.modules.get(f"{__package__}.extract")
    return mod is not None and not str(getattr(mod, "__file__", "")).endswith(".py")
