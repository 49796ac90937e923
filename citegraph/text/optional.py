"""Optional packages: imported where they are used, and when missing, one error that names the extra.

A core install (``pip install citegraph``) extracts, builds the graph, writes RDF and the offline HTML
page. The packages below come with an extra (setup.cfg ``[options.extras_require]``); ``[all]`` has
them all.

Examples
--------
>>> require("json", "this example").__name__
'json'
>>> require("no_such_module_citegraph", "citegraph.example")
Traceback (most recent call last):
...
citegraph.text.optional.MissingExtra: citegraph.example needs no_such_module_citegraph: pip install no_such_module_citegraph
"""
from __future__ import annotations

import importlib
from types import ModuleType

#: the top-level module of each optional package → the extra that installs it (and the package's name on PyPI)
EXTRAS: dict[str, tuple[str, str]] = {
    "spacy": ("spacy", "spacy"),
    "pandas": ("notebooks", "pandas"),
    "pyvis": ("notebooks", "pyvis"),
    "matplotlib": ("notebooks", "matplotlib"),
    "IPython": ("notebooks", "ipython"),
    "pyshacl": ("shacl", "pyshacl"),
    "distributed": ("dask", "distributed"),
    "underthesea": ("nlp", "underthesea"),
}


class MissingExtra(ImportError):
    """An optional package is not installed; the message says which extra installs it."""


def install_hint(module: str) -> str:
    """How to install the package of ``module``.

    >>> install_hint("pyvis")
    "pip install 'citegraph[notebooks]'"
    """
    top = module.split(".")[0]
    if top in EXTRAS:
        return f"pip install 'citegraph[{EXTRAS[top][0]}]'"
    return f"pip install {top}"


def require(module: str, what: str) -> ModuleType:
    """Import ``module`` (``"pyvis.network"``); when its package is missing, raise :class:`MissingExtra`
    saying that ``what`` needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        top = module.split(".")[0]
        if e.name is not None and e.name.split(".")[0] != top:
            raise  # the package is there but one of its own imports failed: show that error as it is
        package = EXTRAS[top][1] if top in EXTRAS else top
        raise MissingExtra(f"{what} needs {package}: {install_hint(module)}", name=top) from e
