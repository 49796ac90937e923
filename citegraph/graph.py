"""The citation graph: every document one node, every reference a typed, sourced edge.

:func:`build` turns paths, texts, :class:`~citegraph.read.Document` or :class:`~citegraph.models.Extraction`
objects into a :class:`CitationGraph` holding two consistent views: a networkx ``MultiDiGraph``
(``.nx``, attributes as in docs/CONTRACTS.md) and an rdflib ``Graph`` (``.rdf``, the ELI-aligned
ontology of ``ontology/citegraph.ttl``). This module assembles the networkx view; the RDF view is
computed from it by :mod:`citegraph.rdf` (:func:`to_rdf`, read back by :func:`from_rdf`) and the files
are written by :mod:`citegraph.writers` (their names are importable from here too).

Entity resolution across the corpus:

* mentions of one identity in many texts are one node, each mention's provenance kept;
* a corpus document that another document cites is the same node (its header's symbol,
  jurisdiction and year);
* a partial identity (unknown year/term, ``_`` segment) resolves to the unique full identity that
  exists in the corpus or the registry and is not dated after the citing document; otherwise it
  stays a node with its ``candidates`` visible.

Examples
--------
>>> from citegraph.models import Extraction, Header, Reference, Relation
>>> doc = Header(symbol="5/KH-UBND", type="Kế hoạch", date="2024-05-01",
...              id="https://w3id.org/citegraph/id/state/binh-phuoc/ubnd/kh/2024/5")
>>> ref = Reference(kind="numbered", start=10, end=19, text="33/CT-TTg", symbol="33/CT-TTg",
...                 type="Chỉ thị", date="2021-11-26", id="https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33")
>>> ex = Extraction(source="a.txt", text="Thực hiện 33/CT-TTg", document=doc, references=[ref],
...                 relations=[Relation("SELF", "implements", 0, "Thực hiện")])
>>> G = build([ex], registry=Registry())
>>> G.nx.number_of_nodes(), G.nx.number_of_edges()
(2, 1)
>>> G.nx.nodes["https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33"]["cited_by"]
1
>>> len(G.rdf) > 0
True
"""
from __future__ import annotations

import argparse
import hashlib
import sys
from array import array
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence, Union

import networkx as nx
from rdflib import Graph

from .models import Extraction, Reference
from .namespace import ID
from .normalize import fold
# the RDF views and the file writers live in their own modules; their names stay importable from here
from .rdf import (XSD, _Terms, citation_iri, from_rdf, iter_triples, mention_iri, no_gc, nx_graph, shapes_graph,
                  subject_groups, to_oxigraph, to_rdf, triple_count, validate)
from .registry import Registry, RegistryError, full_id, id_key, is_partial, unknown_segment
from .skos import canonical_turtle
from .vocab import vocabulary
from .writers import (HTML_MAX_NODES, graphml, graphml_graph, jsonld, write_graphml, write_html, write_jsonld,
                      write_turtle)

#: The old private names of :func:`citegraph.rdf.no_gc` and :func:`citegraph.rdf.subject_groups`.
_no_gc = no_gc
_subject_groups = subject_groups

if TYPE_CHECKING:  # pragma: no cover
    from .read import Document
    from .store import Store

PathLike = Union[str, Path]
Input = Union[PathLike, "Document", Extraction]

#: File suffixes read when a directory is given.
SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")

#: Node attributes of the contract (docs/CONTRACTS.md), in order; ``title``, ``registry`` (the registry's
#: record) and ``from_registry`` (names of the attributes the registry filled because no text gives them) are extra.
NODE_ATTRS = ("label", "kind", "type", "type_code", "symbol", "name", "number", "year", "date", "issuer",
              "jurisdiction", "level", "system", "term", "sources", "cited_by", "mentions", "candidates",
              "title", "registry", "from_registry")
#: Edge attributes of the contract.
EDGE_ATTRS = ("rel", "cue", "source", "start", "end", "sentence")
#: Keys of one mention.
MENTION_KEYS = ("source", "start", "end", "text", "sentence", "stated_date", "stated_issuer", "resolved_from")

_SCALARS = ("type", "type_code", "symbol", "name", "number", "year", "date", "issuer", "jurisdiction",
            "level", "system", "term")


class BuildError(ValueError):
    """A user mistake in what was given to :func:`build` (the message says what)."""


class UnknownDocument(LookupError):
    """A document reference (IRI or symbol) that names no node of the graph."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown document"


class AmbiguousDocument(LookupError):
    """A symbol that names several nodes; the message lists them."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "ambiguous document"


# ================================================================================ the CitationGraph
class CitationGraph:
    """Both views of a built corpus: ``nx`` (networkx MultiDiGraph) and ``rdf`` (rdflib Graph).

    The RDF views are made on first use, from ``nx``: ``rdf`` (an rdflib Graph, for rdflib, pyshacl and
    JSON-LD) and ``oxigraph`` (a ``pyoxigraph.Store``, for SPARQL). Building, networkx queries, GraphML,
    HTML, the report and Turtle (:meth:`write_turtle` streams it) never make them.

    Attributes
    ----------
    nx : networkx.MultiDiGraph
        Nodes keyed by identity IRI, edges citing → cited (docs/CONTRACTS.md).
    rdf : rdflib.Graph
        The same graph in the citegraph ontology (computed from ``nx`` on first use; settable).
    oxigraph : pyoxigraph.Store
        The same triples in an in-memory Oxigraph store, default graph (computed on first use).
    extractions : list of Extraction
        What each source said (the report reads offsets from them). Their ``text`` is dropped after
        building unless ``keep_text``; :attr:`lines` keeps where each source's lines start.
    lines : dict
        Source → offsets of its line breaks (for line numbers in the report).
    registry : Registry
        The known documents used to fill and check.
    """

    def __init__(self, G: nx.MultiDiGraph, extractions: Sequence[Extraction] = (),
                 registry: Registry | None = None, rdf: Graph | None = None, *, keep_text: bool = True,
                 lines: dict[str, Any] | None = None) -> None:
        self.nx = G
        self.lines: dict[str, Any] = dict(lines or {})
        exs = list(extractions)
        for e in exs:
            if e.text and e.source not in self.lines:
                self.lines[e.source] = line_breaks(e.text)
        if not keep_text:
            exs = [replace(e, text="") if e.text else e for e in exs]
        self.extractions = exs
        self.registry = registry if registry is not None else Registry()
        self._rdf = rdf
        self._rdf_given = rdf is not None
        self._ox: Any = None
        self._triples: int | None = None

    @property
    def rdf(self) -> Graph:
        """The rdflib Graph (made from ``nx`` on first use)."""
        if self._rdf is None:
            self._rdf = to_rdf(self.nx)
        return self._rdf

    @rdf.setter
    def rdf(self, value: Graph | None) -> None:
        self._rdf = value
        self._rdf_given = value is not None

    @property
    def oxigraph(self) -> Any:
        """The RDF view in an in-memory ``pyoxigraph.Store`` (default graph; made on first use)."""
        if self._ox is None:
            if self._rdf is not None:
                import pyoxigraph as ox

                T = _Terms("oxigraph")
                st = ox.Store()
                st.bulk_extend(ox.Quad(T.conv(s), T.conv(p), T.conv(o)) for s, p, o in self._rdf)
                self._ox = st
            else:
                self._ox = to_oxigraph(self.nx)
        return self._ox

    @oxigraph.setter
    def oxigraph(self, value: Any) -> None:
        self._ox = value

    def triple_count(self) -> int:
        """Number of RDF triples (from a view already made, else counted without keeping one)."""
        if self._rdf is not None:
            return len(self._rdf)
        if self._ox is not None:
            return len(self._ox)
        if self._triples is None:
            self._triples = triple_count(self.nx)
        return self._triples

    def __len__(self) -> int:
        return self.nx.number_of_nodes()

    def __contains__(self, doc: object) -> bool:
        return isinstance(doc, str) and doc in self.nx

    def __repr__(self) -> str:
        return (f"CitationGraph({self.nx.number_of_nodes()} documents, {self.nx.number_of_edges()} citations, "
                f"{len(self.extractions)} sources)")

    def _repr_html_(self) -> str:
        """Notebook view: the summary and the ten most cited documents.

        >>> "<table" in CitationGraph(nx.MultiDiGraph())._repr_html_()
        True
        """
        from html import escape

        from .queries import most_cited

        rows = "".join(
            f"<tr><td>{escape(str(self.nx.nodes[n].get('label') or n))}</td><td>{c}</td>"
            f"<td><code>{escape(n)}</code></td></tr>" for n, c in most_cited(self.nx, 10))
        lines = "<br>".join(escape(x) for x in self.summary().splitlines())
        return (f"<div><p>{lines}</p><table><thead><tr><th>most cited</th><th>texts</th><th>IRI</th></tr>"
                f"</thead><tbody>{rows}</tbody></table></div>")

    def resolve(self, doc: str) -> str:
        """The node IRI for an IRI, a relative id or a symbol (see :func:`resolve`)."""
        return resolve(self.nx, doc)

    def summary(self) -> str:
        """A few lines: counts of documents, citations, sources, ambiguous nodes."""
        return summary(self)

    def report(self) -> "Any":
        """The consistency report (:func:`citegraph.report.check`)."""
        from .report import check

        return check(self)

    def validate(self) -> tuple[bool, str]:
        """Validate the RDF view against ``ontology/shapes.ttl`` (pyshacl); returns (conforms, report text)."""
        return validate(self.rdf)

    def turtle(self) -> str:
        """The RDF view as deterministic Turtle (byte-identical for the same graph)."""
        import io

        buf = io.StringIO()
        self.write_turtle(buf)
        return buf.getvalue()

    def write_jsonld(self, fh: Any) -> None:
        """Write the JSON-LD of the RDF view to ``fh`` (:func:`jsonld`'s text; streamed, see :func:`write_jsonld`)."""
        if self._rdf_given or self.nx.number_of_nodes() < 2:
            fh.write(jsonld(self.rdf))
        else:
            write_jsonld(self.nx, fh)

    def write_turtle(self, fh: Any) -> int:
        """Stream the deterministic Turtle of the RDF view to ``fh`` (see :func:`write_turtle`)."""
        if self._rdf is not None and self._rdf_given:
            text = canonical_turtle(self._rdf, header="citegraph graph (generated)")
            fh.write(text)
            return len(self._rdf)
        self._triples = write_turtle(self.nx, fh)
        return self._triples

    def write(self, out_dir: PathLike) -> dict[str, Path]:
        """Write ``graph.ttl``, ``graph.jsonld``, ``graph.graphml``, ``report.md`` and ``graph.html``.

        Every file is written atomically. Returns the paths by short name.
        """
        from .atomic import atomic_open, atomic_write

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {k: out / f"graph.{k}" for k in ("ttl", "jsonld", "graphml", "html")}
        paths["report"] = out / "report.md"
        with atomic_open(paths["ttl"]) as fh:
            self.write_turtle(fh)
        with atomic_open(paths["jsonld"]) as fh:
            self.write_jsonld(fh)
        with atomic_open(paths["graphml"]) as fh:
            write_graphml(self.nx, fh)
        atomic_write(paths["report"], self.report().to_markdown())
        write_html(self, paths["html"])
        return paths


def line_breaks(text: str) -> "array[int]":
    """Offsets of the line breaks of a text (line of offset ``i``: ``bisect_left(breaks, i) + 1``).

    >>> list(line_breaks("a\\nb\\n"))
    [1, 3]
    """
    out = array("q")
    i = text.find("\n")
    while i >= 0:
        out.append(i)
        i = text.find("\n", i + 1)
    return out


# ======================================================================================== building
def build(sources: Union[Input, Iterable[Input]], registry: Registry | PathLike | None = None,
          store: Union["Store", PathLike, None] = None, *, keep_text: bool = False) -> CitationGraph:
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

    Returns
    -------
    CitationGraph

    Examples
    --------
    >>> from citegraph.models import Extraction, Header, Reference
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
        from .store import Store

        if isinstance(store, Store):
            return store.build(sources, registry=reg)
        with Store(store) as st:
            return st.build(sources, registry=reg)
    items = _expand(sources)
    return from_extractions(extract_items(items), reg, keep_text=keep_text)


#: From this many inputs on, :func:`build` extracts in parallel (:func:`citegraph.batch.extract_many`).
PARALLEL_FROM = 64


def extract_items(items: Sequence[Any], workers: int | None = None) -> Iterator[Extraction]:
    """Extractions of ``items`` (paths, texts, Documents or Extractions), in order, streaming.

    Many inputs are extracted in parallel processes (:func:`citegraph.batch.extract_many`); a file that
    cannot be read or extracted raises its :class:`~citegraph.read.ReadError`, as :func:`citegraph.extract` does.
    """
    todo = [x for x in items if not isinstance(x, Extraction)]
    if len(todo) < PARALLEL_FROM or workers == 1:
        for x in items:
            yield _extract(x)
        return
    try:
        from .batch import extract_many
    except ImportError:  # pragma: no cover - the batch module is another stage
        for x in items:
            yield _extract(x)
        return
    results = extract_many(todo, workers=workers)
    try:
        for x in items:
            if isinstance(x, Extraction):
                yield x
                continue
            r = next(results)
            if isinstance(r, BaseException):
                raise r
            yield r
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()


def from_extractions(extractions: Iterable[Extraction], registry: Registry | None = None, *,
                     keep_text: bool = False) -> CitationGraph:
    """Assemble a :class:`CitationGraph` from extractions (no reading, no store).

    The extractions are consumed one by one (a generator streams): each is normalized, its line breaks
    noted and, unless ``keep_text``, its text dropped before the next one is read.
    """
    with _no_gc():
        return _from_extractions(extractions, registry, keep_text)


def _from_extractions(extractions: Iterable[Extraction], registry: Registry | None, keep_text: bool) -> CitationGraph:
    reg = registry if registry is not None else Registry()
    exs: list[Extraction] = []
    digests: list[str] = []
    lines: dict[int, Any] = {}
    pool: dict[Any, Any] = {}
    for e in extractions:
        e = normalize_extraction(e, pool)
        digests.append(sha1_16(e.text))
        if e.text:
            lines[len(exs)] = line_breaks(e.text)
            if not keep_text:
                e = replace(e, text="")
        exs.append(e)
    # sources must name one text each (texts given as strings all come from "<text>")
    dup = Counter(e.source for e in exs)
    renamed = [replace(e, source=f"{e.source}#{d}") if dup[e.source] > 1 else e for e, d in zip(exs, digests)]
    by_source = {e.source: lines[i] for i, e in enumerate(renamed) if i in lines}
    order = sorted(range(len(exs)), key=lambda i: (exs[i].source, exs[i].document.id or ""))
    del exs, digests, lines, pool
    exs = [renamed[i] for i in order]
    del renamed
    G = assemble(exs, reg)
    return CitationGraph(G, exs, reg, keep_text=keep_text, lines=by_source)


def _registry(registry: Registry | PathLike | None) -> Registry:
    if registry is None:
        return Registry.default()
    if isinstance(registry, Registry):
        return registry
    return Registry.load(registry)


def _expand(sources: Union[Input, Iterable[Input]]) -> list[Any]:
    if isinstance(sources, (str, Path, Extraction)) or type(sources).__name__ == "Document":
        sources = [sources]  # type: ignore[list-item]
    out: list[Any] = []
    for s in sources:  # type: ignore[union-attr]
        if isinstance(s, Path) or (isinstance(s, str) and s.strip() and "\n" not in s and len(s) < 1024
                                   and Path(s).exists()):
            p = Path(s)
            if p.is_dir():
                out.extend(str(f) for f in sorted(p.rglob("*"))
                           if f.is_file() and f.suffix.lower() in SUFFIXES
                           and not any(part.startswith(".") for part in f.relative_to(p).parts))
            else:
                out.append(str(p))
        elif isinstance(s, Path):
            raise BuildError(f"{s}: no such file or directory")
        else:
            out.append(s)
    return out


def expand_paths(paths: Iterable[PathLike]) -> list[str]:
    """Files named by ``paths`` (directories read recursively); a missing path is a :class:`BuildError`.

    >>> expand_paths(["/nonexistent/x.txt"])
    Traceback (most recent call last):
    ...
    citegraph.graph.BuildError: /nonexistent/x.txt: no such file or directory
    """
    out: list[str] = []
    for p in map(Path, paths):
        if not p.exists():
            raise BuildError(f"{p}: no such file or directory")
        out.extend(_expand([p]))
    return out


def _extract(x: Any) -> Extraction:
    if isinstance(x, Extraction):
        return x
    try:
        from .extract import extract
    except ImportError:  # pragma: no cover - the extraction stage is another module
        raise BuildError("extraction is not available (citegraph.extract is missing)") from None
    return extract(x)


def sha1_16(text: str) -> str:
    """First 16 hex digits of the SHA-1 of a text (ids of documents without a symbol).

    >>> sha1_16("abc")
    'a9993e364706816a'
    """
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


#: Reference fields whose values repeat across a corpus: shared (one string object per value) when pooling.
_POOLED = ("kind", "text", "type", "type_code", "number", "year", "symbol", "name", "date", "stated_date", "issuer",
           "issuer_code", "stated_issuer", "jurisdiction", "level", "system", "term")


def normalize_extraction(ex: Extraction, pool: dict[Any, Any] | None = None) -> Extraction:
    """Give the citing document an id (``doc/{sha1}`` when it has none) and full IRIs everywhere.

    With ``pool`` (a dict kept across a corpus), equal values of the references' repetitive fields become one
    object, and equal sentences of one text too: a large corpus holds each value once.
    """
    h = ex.document
    hid = full_id(h.id) if h.id else str(ID[f"doc/{sha1_16(ex.text)}"])
    if pool is None:
        refs = [replace(r, id=full_id(r.id) if r.id else None, candidates=[full_id(c) for c in r.candidates])
                for r in ex.references]
        return replace(ex, document=replace(h, id=hid), references=refs)
    P = pool.setdefault
    sentences: dict[str, str] = {}
    refs = []
    for r in ex.references:
        rid = full_id(r.id) if r.id else None
        kw = {k: P(v, v) for k in _POOLED if (v := getattr(r, k, None)) is not None}
        if r.sentence is not None:
            kw["sentence"] = sentences.setdefault(r.sentence, r.sentence)
        refs.append(replace(r, id=P(rid, rid) if rid else None, candidates=[P(c, c) for c in map(full_id, r.candidates)],
                            **kw))
    hkw = {k: P(v, v) for k in ("type", "type_code", "issuer", "issuer_code", "level", "system", "term",
                                 "jurisdiction", "province", "district", "commune", "place")
           if (v := getattr(h, k, None)) is not None}
    return replace(ex, source=P(ex.source, ex.source), document=replace(h, id=P(hid, hid), **hkw), references=refs)


def _sym_key(symbol: str | None, jurisdiction: str | None, year: Any) -> tuple[str, str, str] | None:
    """Key matching a reference to a corpus document's header: symbol, jurisdiction and year (all known)."""
    if not symbol or not jurisdiction or not year:
        return None
    s = "".join(fold(symbol).split()).lstrip("0")
    return (s, fold(jurisdiction or ""), str(year or ""))


def _segs(iri: str) -> list[str]:
    k = id_key(iri)
    return k[len(str(ID)):].split("/") if k.startswith(str(ID)) else [k]


def _ref_date_ok(candidate: str, citing_date: str | None, reg: Registry, known_dates: dict[str, str]) -> bool:
    if not citing_date:
        return True
    e = reg.get(candidate)
    d = (e.date if e else None) or known_dates.get(id_key(candidate))
    return not d or d <= citing_date


def assemble(extractions: Sequence[Extraction], registry: Registry) -> nx.MultiDiGraph:
    """The networkx view of normalized extractions (see the module docstring for the resolution rules)."""
    G = nx.MultiDiGraph()
    # --- the identities that exist: corpus documents, full references, registry entries
    canon: dict[str, str] = {}  # id_key -> node IRI (the first form seen in the texts, else the registry's)
    header_by_key: dict[tuple[str, str, str], str] = {}
    for ex in extractions:
        h = ex.document
        canon.setdefault(id_key(h.id), h.id)  # type: ignore[arg-type]
        k = _sym_key(h.symbol, h.jurisdiction, h.year)
        if k:
            header_by_key.setdefault(k, canon[id_key(h.id)])  # type: ignore[arg-type]
    for ex in extractions:
        for r in ex.references:
            if r.id and r.kind != "backref" and not is_partial(r.id):
                canon.setdefault(id_key(r.id), r.id)
    for e in registry:
        canon.setdefault(id_key(e.id), e.id)
    full_ids = sorted(set(canon.values()))
    # index of full ids by (number of segments, last segment) for matching partial ids quickly
    by_shape: dict[tuple[int, str], list[tuple[str, list[str]]]] = {}
    by_len: dict[int, list[tuple[str, list[str]]]] = {}
    for f in full_ids:
        segs = _segs(f)
        by_shape.setdefault((len(segs), segs[-1]), []).append((f, segs))
        by_len.setdefault(len(segs), []).append((f, segs))
    known_dates: dict[str, str] = {}
    for ex in extractions:
        if ex.document.date:
            known_dates.setdefault(id_key(ex.document.id), ex.document.date)  # type: ignore[arg-type]
        for r in ex.references:
            if r.id and r.date:
                known_dates.setdefault(id_key(r.id), r.date)

    obs: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}  # node -> [(priority, values in _SCALARS order)]
    mentions: dict[str, list[dict[str, Any]]] = {}
    sources: dict[str, set[str]] = {}
    cands: dict[str, set[str]] = {}
    kinds: dict[str, list[str]] = {}
    titles: dict[str, str] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []

    def node_of_ref(ex: Extraction, r: Reference) -> str | None:
        k = _sym_key(r.symbol, r.jurisdiction, r.year)
        if k and k in header_by_key:
            return header_by_key[k]
        if not r.id:
            return None
        if not is_partial(r.id):
            return canon.get(id_key(r.id), r.id)
        psegs = _segs(r.id)
        pool = (by_len.get(len(psegs), []) if unknown_segment(psegs[-1])
                else by_shape.get((len(psegs), psegs[-1]), []))
        matches = {c for c, segs in pool if all(unknown_segment(x) or x == y for x, y in zip(psegs, segs))}
        matches |= {canon[id_key(c)] for c in r.candidates if id_key(c) in canon}
        matches = {c for c in matches if _ref_date_ok(c, ex.document.date, registry, known_dates)}
        if len(matches) == 1:
            return next(iter(matches))
        cands.setdefault(r.id, set()).update(matches | set(r.candidates))
        return r.id

    for ex in extractions:
        h = ex.document
        did: str = canon[id_key(h.id)]  # type: ignore[arg-type]
        sources.setdefault(did, set()).add(ex.source)
        kinds.setdefault(did, []).append("document")
        term = vocabulary().party_term(h.date, h.level or "central") if h.system == "party" and h.date else None
        obs.setdefault(did, []).append((0, tuple(term if a == "term" else getattr(h, a, None) for a in _SCALARS)))
        if h.title:
            titles.setdefault(did, h.title)
        # map every reference index to a node (backrefs follow refers_to; "SELF" is the document)
        idx: dict[int, str | None] = {}
        for i, r in enumerate(ex.references):
            if r.kind != "backref":
                idx[i] = node_of_ref(ex, r)

        def target(i: int | str | None, depth: int = 0) -> str | None:
            if i == "SELF":
                return did
            if not isinstance(i, int) or not 0 <= i < len(ex.references) or depth > 20:
                return None
            r = ex.references[i]
            if r.kind == "backref":
                return target(r.refers_to, depth + 1)
            return idx.get(i)

        for i, r in enumerate(ex.references):
            n = target(i)
            if n is None or n == did:
                continue
            if r.kind != "backref":
                kinds.setdefault(n, []).append(r.kind)
                obs.setdefault(n, []).append((1, tuple(getattr(r, a, None) for a in _SCALARS)))
            resolved = r.id if r.kind != "backref" and r.id and is_partial(r.id) and n != r.id else None
            mentions.setdefault(n, []).append({
                "source": ex.source, "start": r.start, "end": r.end, "text": r.text, "sentence": r.sentence,
                "stated_date": r.stated_date, "stated_issuer": r.stated_issuer, "resolved_from": resolved})
        targeted: set[int] = set()
        for rel in ex.relations:
            u = target(rel.source)
            v = target(rel.target)
            if u is None or v is None or u == v:
                continue
            targeted.add(rel.target)
            r = ex.references[rel.target]
            edges.append((u, v, {"rel": rel.rel, "cue": rel.cue, "source": ex.source, "start": r.start,
                                 "end": r.end, "sentence": r.sentence}))
        for i, r in enumerate(ex.references):
            if i in targeted or r.kind == "backref":
                continue
            v = target(i)
            if v is None or v == did:
                continue
            edges.append((did, v, {"rel": "cites", "cue": None, "source": ex.source, "start": r.start,
                                   "end": r.end, "sentence": r.sentence}))

    nodes = set(obs) | set(mentions) | {u for u, _, _ in edges} | {v for _, v, _ in edges}
    for n in sorted(nodes):  # what each node is made of is released as soon as it is made
        G.add_node(n, **_node_attrs(n, obs.pop(n, []), mentions.pop(n, []), sources.get(n, set()),
                                    cands.get(n, set()), kinds.pop(n, []), titles.get(n), registry))
    del obs, mentions, kinds
    edges.sort(key=lambda e: (e[0], e[1], e[2]["source"], e[2]["start"], e[2]["rel"]))
    for i, (u, v, d) in enumerate(edges):
        edges[i] = None  # type: ignore[call-overload]  # networkx copies d: drop ours as we go
        G.add_edge(u, v, **d)
    del edges
    for n in G:
        G.nodes[n]["cited_by"] = G.in_degree(n)
    return G


def _vote(values: list[tuple[int, Any]]) -> Any:
    """The value of the best priority; among equals the most frequent, ties to the first seen."""
    vals = [(p, v) for p, v in values if v not in (None, "", [])]
    if not vals:
        return None
    best = min(p for p, _ in vals)
    cnt = Counter(v for p, v in vals if p == best)
    top = max(cnt.values())
    for p, v in vals:
        if p == best and cnt[v] == top:
            return v
    return None  # pragma: no cover


def _node_attrs(n: str, obs: list[tuple[int, tuple[Any, ...]]], mentions: list[dict[str, Any]], sources: set[str],
                cands: set[str], kinds: list[str], title: str | None, registry: Registry) -> dict[str, Any]:
    a: dict[str, Any] = {k: _vote([(p, o[i]) for p, o in obs]) for i, k in enumerate(_SCALARS)}
    e = registry.get(n)
    reg = e.to_dict() if e else None
    filled: list[str] = []
    if e:
        for k in ("type", "date", "issuer", "jurisdiction", "symbol", "name"):
            if a.get(k) is None and getattr(e, k) is not None:
                a[k] = getattr(e, k)
                filled.append(k)
        if a.get("system") is None:
            a["system"] = n[len(str(ID)):].split("/")[0] if n.startswith(str(ID)) else None
    if a.get("level") is None and a.get("jurisdiction") == "central":
        a["level"] = "central"
    if a.get("year") is None and a.get("date"):
        a["year"] = int(a["date"][:4])
    if a.get("year") is not None:
        a["year"] = int(a["year"])
    if a.get("term") is None and a.get("system") == "party" and a.get("date") and a.get("level") in (None, "central"):
        a["term"] = vocabulary().party_term(a["date"])
    kind = "document" if "document" in kinds else (Counter(kinds).most_common(1)[0][0] if kinds else "numbered")
    label = a.get("symbol") or a.get("name") or title or n.rsplit("/", 1)[-1]
    ms = sorted(mentions, key=lambda m: (m["source"], m["start"], m["end"]))
    return {"label": label, "kind": kind, **a, "sources": sorted(sources), "cited_by": 0, "mentions": ms,
            "candidates": sorted(c for c in cands if c != n), "title": title, "registry": reg,
            "from_registry": sorted(filled)}


# ================================================================================ document lookup
def resolve(G: Union[CitationGraph, nx.MultiDiGraph], doc: str) -> str:
    """The node IRI for an IRI, an id relative to ``https://w3id.org/citegraph/id/``, or a symbol.

    Raises
    ------
    UnknownDocument
        When nothing matches.
    AmbiguousDocument
        When a symbol names several nodes (the message lists them).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/state/hai-duong/ubnd/ct/2016/18", symbol="18/CT-UBND", label="18/CT-UBND")
    >>> g.add_node("https://w3id.org/citegraph/id/state/binh-phuoc/ubnd/ct/2016/18", symbol="18/CT-UBND", label="18/CT-UBND")
    >>> resolve(g, "state/hai-duong/ubnd/ct/2016/18")[-31:]
    'state/hai-duong/ubnd/ct/2016/18'
    >>> resolve(g, "18/CT-UBND")
    Traceback (most recent call last):
    ...
    citegraph.graph.AmbiguousDocument: '18/CT-UBND' names 2 documents: https://w3id.org/citegraph/id/state/binh-phuoc/ubnd/ct/2016/18, https://w3id.org/citegraph/id/state/hai-duong/ubnd/ct/2016/18
    """
    g = G.nx if isinstance(G, CitationGraph) else G
    if doc in g:
        return doc
    f = full_id(doc)
    if f in g:
        return f
    key = id_key(f)
    for n in g:
        if id_key(n) == key:
            return n
    want = "".join(fold(doc).split())
    hits = sorted(n for n, d in g.nodes(data=True)
                  if want in {"".join(fold(str(d.get(k) or "")).split()) for k in ("symbol", "label", "name")})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AmbiguousDocument(f"{doc!r} names {len(hits)} documents: {', '.join(hits)}")
    raise UnknownDocument(f"{doc!r} is not a document of this graph")


def summary(G: CitationGraph) -> str:
    """A short summary of a built graph."""
    g = G.nx
    kinds = Counter(d.get("kind") for _, d in g.nodes(data=True))
    rels = Counter(d.get("rel") for _, _, d in g.edges(data=True))
    amb = sum(1 for _, d in g.nodes(data=True) if d.get("candidates"))
    return "\n".join([
        f"{g.number_of_nodes()} documents ({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}), "
        f"{g.number_of_edges()} citations ({', '.join(f'{v} {k}' for k, v in sorted(rels.items()))})",
        f"{len(G.extractions)} sources, {amb} documents with uncertain identity, "
        f"{sum(1 for _, d in g.nodes(data=True) if d.get('registry'))} known to the registry",
        f"{G.triple_count()} RDF triples",
    ])


# ============================================================================================= CLI
def cli_registry(args: argparse.Namespace) -> Registry | None:
    """The registry for the CLI: the seed registry plus ``--registry PATH`` (a file or directory), if given."""
    extra = getattr(args, "registry", None)
    if not extra:
        return None
    from .registry import DEFAULT_DIR

    return Registry.load(*([DEFAULT_DIR] if DEFAULT_DIR.is_dir() else []), extra)


def readable_inputs(paths: Iterable[PathLike], *, keep_paths: bool | str = False) -> tuple[list[Any], list[str]]:
    """Expand ``paths`` (directories recursively) and read each file once.

    Returns the inputs that could be read (``Document`` objects, or the paths themselves with
    ``keep_paths``, e.g. for an incremental store; with ``keep_paths="text"`` the paths of plain-text
    files, cheap to read again, and the documents of the others) and one message per file that could not.
    """
    from .files import iter_inputs
    from .read import ReadError, read

    good: list[Any] = []
    errors: list[str] = []
    for p in iter_inputs([str(x) for x in paths]):
        if isinstance(p, ReadError):
            errors.append(str(p))
            continue
        try:
            doc = read(p)
        except ReadError as e:
            errors.append(str(e))
            continue
        cheap = keep_paths == "text" and Path(str(p)).suffix.lower() in (".txt", ".md")
        good.append(str(p) if keep_paths is True or cheap else doc)
    return good, errors


def run_cli(args: argparse.Namespace, then: Callable[[CitationGraph], int]) -> int:
    """Build the graph of the CLI's paths and hand it to ``then``; shared by ``build`` and ``check``.

    A file that cannot be read gets a one-line error and the others go on; the exit status is then 2,
    else what ``then`` returns. User mistakes (no documents, a bad registry or store) are one-line errors.
    """
    store = getattr(args, "store", None)
    # texts are not all held at once: plain-text files are read again, in parallel, as they are extracted
    inputs, errors = readable_inputs(args.paths, keep_paths=True if store is not None else "text")
    for e in errors:
        print(f"citegraph: error: {e}", file=sys.stderr)
    if not inputs and errors:
        return 2
    try:
        if not inputs:
            raise BuildError("no documents found in " + ", ".join(args.paths))
        status = then(build(inputs, registry=cli_registry(args), store=store))
    except (BuildError, RegistryError, OSError) as e:
        print(f"citegraph: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a store error carries its own one-line message
        if type(e).__name__ in ("ReadError", "StoreError"):
            print(f"citegraph: error: {e}", file=sys.stderr)
            return 2
        raise
    return 2 if errors else status


def cli_build(args: argparse.Namespace) -> int:
    """``citegraph build PATH... --out DIR [--store DIR] [--registry PATH]``: write the files, print a summary."""
    def write(G: CitationGraph) -> int:
        written = G.write(args.out)
        print(G.summary())
        print("wrote " + ", ".join(str(p) for p in written.values()))
        if len(G.nx) > HTML_MAX_NODES:
            print(f"{written['html']} draws the {HTML_MAX_NODES:,} documents around the most cited of {len(G.nx):,}")
        return 0

    return run_cli(args, write)


__all__ = ["AmbiguousDocument", "BuildError", "CitationGraph", "UnknownDocument", "assemble", "build",
           "cli_build", "readable_inputs", "run_cli", "expand_paths", "from_extractions", "from_rdf", "graphml", "jsonld", "resolve",
           "to_rdf", "summary", "validate",
           # re-exported from citegraph.rdf and citegraph.writers, where they live
           "XSD", "citation_iri", "graphml_graph", "iter_triples", "mention_iri", "nx_graph", "shapes_graph",
           "subject_groups", "to_oxigraph", "triple_count", "write_graphml", "write_html", "write_jsonld", "write_turtle"]
