"""The data files installed with the library (``citegraph/ontology``: the vocabularies, the tables)."""
from __future__ import annotations

import os

__all__ = ["read_text"]

_ONTOLOGY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "ontology")


def read_text(name: str) -> str:
    """The text of the data file ``name`` of ``citegraph.ontology`` (a ``/``-separated path in it).

    A plain file read where the package is a folder (every ordinary install); ``importlib.resources`` where it
    is not (a zipped install), imported only then: it costs a few milliseconds of every command's start-up.

    >>> read_text("terms.json")[:1]
    '{'
    """
    try:
        with open(os.path.join(_ONTOLOGY, *name.split("/")), encoding="utf-8") as f:
            return f.read()
    except (FileNotFoundError, NotADirectoryError):
        from importlib import resources

        return resources.files("citegraph.ontology").joinpath(name).read_text(encoding="utf-8")
