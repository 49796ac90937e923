"""Collection rules for the whole tree (``--doctest-modules`` over citegraph/, see setup.cfg).

A module compiled with mypyc (``make compiled``) has its extension beside its source, and the import
system loads the extension: the doctests of the source cannot be collected from it (pytest stops on an
"import file mismatch"), nor can the source named on the command line be collected as a module. Such a
module is left out, and the run says which; the pure build (no extension) runs every doctest.
"""
from __future__ import annotations

import importlib.machinery
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Generator

import pytest

_LEFT_OUT: list[Path] = []

# The start-up cache (citegraph.text.startcache) of this run, the tests' subprocesses included: a folder of its
# own, not the user's (set before citegraph is first imported, and removed at the end).
if "CITEGRAPH_CACHE_DIR" not in os.environ:
    os.environ["CITEGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix="citegraph-test-cache-")
_CACHE = os.environ["CITEGRAPH_CACHE_DIR"]


def pytest_unconfigure(config: pytest.Config) -> None:
    if os.path.basename(_CACHE).startswith("citegraph-test-cache-"):
        shutil.rmtree(_CACHE, ignore_errors=True)


def _compiled_beside(path: Path) -> bool:
    """Whether an extension module of the same name sits beside the source ``path``."""
    return any(path.with_name(path.stem + suffix).exists() for suffix in importlib.machinery.EXTENSION_SUFFIXES)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Generator[None, Any, Any]:
    collected = yield
    # pytest.Module: the doctests (a DoctestModule is one) and, for a path named on the command line,
    # the source read as a test module
    if file_path.suffix == ".py" and any(isinstance(c, pytest.Module) for c in collected) \
            and _compiled_beside(file_path):
        _LEFT_OUT.append(file_path)
        return [c for c in collected if not isinstance(c, pytest.Module)]
    return collected


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _LEFT_OUT:
        names = ", ".join(sorted(str(p.relative_to(terminalreporter.config.rootpath)) for p in _LEFT_OUT))
        terminalreporter.write_line(f"not collected (doctests), the module is compiled: {names}")
