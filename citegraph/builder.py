"""Build the citation graph of a corpus: :func:`build`, from files, texts or extractions, with or without a store."""
from __future__ import annotations

from typing import Any, Callable, Iterable, Union

from citegraph.corpus import CitationGraph, Input, PathLike, _expand, _registry, extract_items, from_extractions, shed_text
from citegraph.graph.registry import Registry
from citegraph.store import Store


def build(sources: Union[Input, Iterable[Input]], registry: Registry | PathLike | None = None,
          store: Union[Store, PathLike, None] = None, *, keep_text: bool = False,
          progress: bool | None = None, phase: Callable[[str], Any] | None = None) -> CitationGraph:
    """Build the citation graph of a corpus.

    Parameters
    ----------
    sources : path, Document, Extraction, or an iterable of them
        Files or directories (read recursively: ``.txt .md .docx .pdf .html .htm``), documents or
        ready extractions. A plain string that is not a path is read as a text.
    registry : Registry or path, optional
        Known documents; None uses the seed registry (``corpus/registry``); ``Registry()`` for none.
    store : Store or path, optional
        A persistent store (:mod:`citegraph.store`): only new or changed files are extracted,
        removed files leave the graph, and the result is written to the store.
    keep_text : bool
        Keep each extraction's full text in ``G.extractions`` (dropped by default once its mentions are
        built: the graph keeps offsets, sentences and line breaks).
    progress : bool, optional
        A progress bar of the extraction on stderr (None: on long runs when stderr is a terminal).
    phase : callable, optional
        Told (with a short message) when each later phase starts: assembling, writing to the store.

    Returns
    -------
    CitationGraph

    Examples
    --------
    >>> from citegraph.extraction.models import Extraction, Header, Reference
    >>> r = Reference(kind="numbered", start=0, end=9, text="114-KL/TW", symbol="114-KL/TW",
    ...               id="https://w3id.org/citegraph/id/party/central/tw/kl/xi/114")
    >>> a = Extraction("a.txt", "114-KL/TW", Header(id="https://w3id.org/citegraph/id/doc/a"), [r])
    >>> b = Extraction("b.txt", "114-KL/TW", Header(id="https://w3id.org/citegraph/id/doc/b"), [r])
    >>> G = build([a, b])
    >>> n = G.nx.nodes["https://w3id.org/citegraph/id/party/central/tw/kl/xi/114"]
    >>> n["cited_by"], n["date"], n["registry"]["issuer"]   # date filled from the registry
    (2, '2015-07-14', 'Ban Bí thư')
    """
    reg = _registry(registry)
    if store is not None:
        from citegraph.store import Store

        if isinstance(store, Store):
            return store.build(sources, registry=reg, progress=progress, phase=phase)
        with Store(store) as st:
            return st.build(sources, registry=reg, progress=progress, phase=phase)
    items = _expand(sources)
    # without keep_text, the workers send back what the graph needs of each text, not the text
    extracted = extract_items(items, progress=progress, render=None if keep_text else shed_text)
    return from_extractions(extracted, reg, keep_text=keep_text, phase=phase)



__all__ = ["build"]
