"""Build citegraph: pure Python unless ``CITEGRAPH_COMPILE=1`` asks for the mypyc build.

``CITEGRAPH_COMPILE=1 pip install --no-build-isolation .`` (with ``mypy`` installed; ``make compiled``)
compiles the modules on the per-document extraction path with mypyc, for wheels and the benchmark. The
compiled modules give the same output as the sources. A plain install, and every checkout, runs the sources.
"""
import os

from setuptools import setup

#: the per-document extraction path (read → find → resolve → relate), in import order
COMPILED = ("text/vocab", "text/normalize", "text/dates", "text/prefilter", "text/sentences", "text/identity",
            "io/legacy", "extraction/find",
            "extraction/header", "extraction/resolve", "extraction/relate", "extraction/pipeline")


def ext_modules() -> list:
    if os.environ.get("CITEGRAPH_COMPILE", "0") != "1":
        return []
    from mypyc.build import mypycify  # the switch needs mypy installed (make compiled does it)

    sources = [os.path.join("citegraph", f"{m}.py") for m in COMPILED]
    return mypycify(["--ignore-missing-imports", "--follow-imports=silent",
                     *(s for s in sources if os.path.exists(s))],  # a module of the list not written yet: skipped
                    opt_level="3", group_name="citegraph_compiled")


setup(ext_modules=ext_modules())
