"""Build citegraph. The modules on the per-document extraction path are compiled with mypyc.

The compiled modules give the same output as the pure-Python ones, about a quarter faster (see
benchmarks/RESULTS.md). ``CITEGRAPH_COMPILE=0 pip install ...`` installs the pure-Python modules only;
``CITEGRAPH_PURE=1`` at run time makes an installed package use its Python sources (see
``citegraph/_compiled.py``).
"""
import ast
import os

from setuptools import setup



def compiled_sources() -> list[str]:
    """The sources of ``citegraph._compiled.MODULES`` (read from that file: the package is not built yet)."""
    tree = ast.parse(open(os.path.join("citegraph", "_compiled.py"), encoding="utf-8").read())
    modules = next(ast.literal_eval(n.value) for n in tree.body
                   if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "MODULES")
    return [os.path.join("citegraph", f"{m}.py") for m in modules]


def ext_modules() -> list:
    if os.environ.get("CITEGRAPH_COMPILE", "1") == "0":
        return []
    from mypyc.build import mypycify

    exts = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *compiled_sources()],
                    opt_level="3", group_name="citegraph_compiled")
    for ext in exts:  # no C compiler: the install goes on with the Python sources (citegraph/_compiled.py)
        ext.optional = True
    return exts


setup(ext_modules=ext_modules())
