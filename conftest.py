"""Collection at the repository root: the doctests of compiled modules run from their sources.

When the extraction modules are compiled (see ``citegraph/_compiled.py``), importing one gives the
compiled module, whose file is not the ``.py`` pytest would read doctests from; those doctests then
run in a process that uses the Python sources (``tests/test_compiled.py``).
"""
from citegraph import _compiled

collect_ignore = [f"citegraph/{m}.py" for m in _compiled.MODULES] if _compiled.active() else []
