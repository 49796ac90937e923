"""The citation graph of a corpus: every document one node, every reference a typed, sourced edge.

:class:`CitationGraph` holds two consistent views of a built corpus: a networkx ``MultiDiGraph`` (``.nx``,
attributes as in docs/CONTRACTS.md; the data holder :class:`~citegraph.graph.model.GraphData`) and the RDF views
(``.rdf``, ``.oxigraph``; the ELI-aligned ontology of ``ontology/citegraph.ttl``, made on first use by
:mod:`citegraph.rdf.triples`), and writes the files (:mod:`citegraph.outputs`). :func:`from_extractions`
assembles one (:mod:`citegraph.graph.assemble`); :func:`citegraph.builder.build` builds one from files.

Examples
--------
>>> from citegraph.extraction.models import Extraction, Header, Reference, Relation
>>> doc = Header(symbol="5/KH-UBND", type="Kế hoạch", date="2024-05-01",
...              id="https://w3id.org/citegraph/id/state/binh-phuoc/ubnd/kh/2024/5")
>>> ref = Reference(kind="numbered", start=10, end=19, text="33/CT-TTg", symbol="33/CT-TTg",
...                 type="Chỉ thị", date="2021-11-26", id="https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33")
>>> ex = Extraction(source="a.txt", text="Thực hiện 33/CT-TTg", document=doc, references=[ref],
...                 relations=[Relation("SELF", "implements", 0, "Thực hiện")])
>>> G = from_extractions([ex], registry=Registry())
>>> G.nx.number_of_nodes(), G.nx.number_of_edges()
(2, 1)
>>> G.nx.nodes["https://w3id.org/citegraph/id/state/central/ttg/ct/2021/33"]["cited_by"]
1
>>> len(G.rdf) > 0
True
"""
from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence, Union

import networkx as nx
from rdflib import Graph

from citegraph.extraction.models import Extraction
from citegraph.extraction.pipeline import extract
from citegraph.extraction.batch import extract_many, input_size, workers_for
from citegraph.graph.assemble import assemble, normalize_extraction
from citegraph.graph.model import BuildError, GraphData, line_breaks
from citegraph.graph.queries import most_cited
from citegraph.graph.registry import Registry
from citegraph.graph.report import check
from citegraph.io.atomic import atomic_write
from citegraph.io.document import SUFFIXES, Document
from citegraph.io.files import iter_inputs
from citegraph.io.names import TEXT_SOURCE, source_name, source_path, text_source
from citegraph.io.read import ReadError
from citegraph.outputs.writers import HTML_MAX_NODES, open_output, jsonld, write_graphml, write_html, write_jsonld, write_turtle
from citegraph.rdf.skos import canonical_turtle
from citegraph.rdf.triples import _Terms, no_gc, to_oxigraph, to_rdf, triple_count, validate
from citegraph.text.identity import sha1_16

PathLike = Union[str, Path]
Input = Union[PathLike, Document, Extraction]


class CitationGraph(GraphData):
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
    extractions, lines, registry
        As in :class:`~citegraph.graph.model.GraphData`.
    """

    def __init__(self, G: nx.MultiDiGraph, extractions: Sequence[Extraction] = (),
                 registry: Registry | None = None, rdf: Graph | None = None, *, keep_text: bool = True,
                 lines: dict[str, Any] | None = None) -> None:
        super().__init__(G, extractions, registry, keep_text=keep_text, lines=lines)
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

    def _repr_html_(self) -> str:
        """Notebook view: the summary and the ten most cited documents.

        >>> "<table" in CitationGraph(nx.MultiDiGraph())._repr_html_()
        True
        """
        rows = "".join(
            f"<tr><td>{escape(str(self.nx.nodes[n].get('label') or n))}</td><td>{c}</td>"
            f"<td><code>{escape(n)}</code></td></tr>" for n, c in most_cited(self.nx, 10))
        lines = "<br>".join(escape(x) for x in self.summary().splitlines())
        return (f"<div><p>{lines}</p><table><thead><tr><th>most cited</th><th>texts</th><th>IRI</th></tr>"
                f"</thead><tbody>{rows}</tbody></table></div>")

    def summary(self) -> str:
        """A few lines: counts of documents, citations, sources, ambiguous nodes."""
        return summary(self)

    def report(self) -> "Any":
        """The consistency report (:func:`citegraph.graph.report.check`)."""
        return check(self)

    def validate(self, inference: str = "none") -> tuple[bool, str]:
        """Validate the RDF view against ``ontology/shapes.ttl`` (pyshacl), with ``inference="rdfs"`` over the
        ontology or without; returns (conforms, report text)."""
        return validate(self.rdf, inference=inference)

    def turtle(self) -> str:
        """The RDF view as deterministic Turtle (byte-identical for the same graph)."""
        buf = io.StringIO()
        self.write_turtle(buf)
        return buf.getvalue()

    def write_jsonld(self, fh: Any) -> None:
        """Write the JSON-LD of the RDF view to ``fh``, a path or a text file (:func:`jsonld`'s text; streamed,
        see :func:`write_jsonld`)."""
        if self._rdf_given:
            with open_output(fh) as out:
                out.write(jsonld(self.rdf))
        else:
            write_jsonld(self.nx, fh)

    def write_turtle(self, fh: Any) -> int:
        """Stream the deterministic Turtle of the RDF view to ``fh``, a path or a text file (see :func:`write_turtle`)."""
        if self._rdf is not None and self._rdf_given:
            text = canonical_turtle(self._rdf, header="citegraph graph (generated)")
            with open_output(fh) as out:
                out.write(text)
            return len(self._rdf)
        self._triples = write_turtle(self.nx, fh)
        return self._triples

    def write_graphml(self, fh: Any) -> None:
        """Write the GraphML of the networkx view to ``fh``, a path or a text file (see :func:`write_graphml`)."""
        write_graphml(self.nx, fh)

    def write(self, out_dir: PathLike, progress: Callable[[str], Any] | None = None) -> dict[str, Path]:
        """Write ``graph.ttl``, ``graph.jsonld``, ``graph.graphml``, ``report.md`` and ``graph.html``.

        Every file is written atomically; ``progress``, if given, is called with each file's name before
        it is written (and with ``""`` when all are). Returns the paths by short name.
        """
        out = Path(out_dir)
        if out.exists() and not out.is_dir():
            raise BuildError(f"{out}: is a file, not a folder to write the graph files in")
        out.mkdir(parents=True, exist_ok=True)
        _sweep(out)
        # the set is written into a staging folder beside the files, then moved in: a killed build leaves
        # the old set whole (and a staging folder the next write sweeps), never old and new files mixed
        stage = Path(tempfile.mkdtemp(prefix=_STAGE, dir=out))
        names = {"ttl": "graph.ttl", "jsonld": "graph.jsonld", "graphml": "graph.graphml", "report": "report.md",
                 "html": "graph.html"}
        staged = {k: stage / n for k, n in names.items()}
        tell = progress or (lambda name: None)
        try:
            tell(names["ttl"])
            self.write_turtle(staged["ttl"])
            tell(names["jsonld"])
            self.write_jsonld(staged["jsonld"])
            tell(names["graphml"])
            write_graphml(self.nx, staged["graphml"])
            tell(names["report"])
            atomic_write(staged["report"], self.report().to_markdown())
            tell(names["html"])
            write_html(self, staged["html"])
            paths = {k: out / n for k, n in names.items()}
            for k in ("ttl", "jsonld", "graphml", "report", "html"):
                os.replace(staged[k], paths[k])
        finally:
            shutil.rmtree(stage, ignore_errors=True)
        tell("")
        return {k: paths[k] for k in ("ttl", "jsonld", "graphml", "html", "report")}



_STAGE = ".citegraph-new-"


def _sweep(out: Path) -> None:
    """Remove what a killed write left in ``out``: staging folders and the temporary files of atomic writes."""
    for p in out.iterdir():
        if p.name.startswith(_STAGE) and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith((".graph.", ".report.md.")) and p.name.endswith(".tmp") and p.is_file():
            p.unlink(missing_ok=True)


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


def extract_items(items: Sequence[Any], workers: int | None = None, progress: bool | None = None,
                  render: Callable[[Any, Extraction], Any] | None = None) -> Iterator[Any]:
    """Extractions of ``items`` (paths, texts, Documents or Extractions), in order, streaming.

    Inputs worth it (:func:`~citegraph.extraction.batch.workers_for`: by their size) are extracted in parallel
    processes (:func:`citegraph.extraction.batch.extract_many`); a file that cannot be read or extracted raises
    its :class:`~citegraph.io.read.ReadError`, as :func:`citegraph.extract` does. ``render(item, extraction)``,
    if given, is applied to what is extracted where it is extracted (e.g. :func:`shed_text`); given
    extractions are yielded as they are. ``progress`` shows a bar on stderr (None: on long runs, when stderr
    is a terminal; see ``extract_many``).
    """
    todo = [x for x in items if not isinstance(x, Extraction)]
    n = workers or workers_for(map(input_size, todo))
    if n == 1:
        def one(x: Any) -> Any:
            if isinstance(x, Extraction):
                return x
            ex = extract(x)
            return ex if render is None else render(x, ex)

        if progress and todo:
            from tqdm import tqdm

            with tqdm(total=len(todo), unit="doc", desc="extract", file=sys.stderr, dynamic_ncols=True) as bar:
                for x in items:
                    yield one(x)
                    bar.update(not isinstance(x, Extraction))
            return
        for x in items:
            yield one(x)
        return
    results = extract_many(todo, workers=n, progress=progress, render=render)
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


class Shed(NamedTuple):
    """An extraction as a graph is assembled from it, made where it was extracted (:func:`shed_text`): a
    worker's compact answer, which costs the parent less to receive and to take in than the extraction."""

    extraction: Extraction
    digest: str
    breaks: Any


def shed_text(item: Any, ex: Extraction) -> Shed:
    """What :func:`from_extractions` needs of an extraction's text, taken before the text is dropped: the
    digest of the text, its line breaks (None for no text) and, for a document without an id, the id made
    from its text (:func:`~citegraph.graph.assemble.normalize_extraction`).

    >>> s = shed_text(None, extract("Căn cứ Chỉ thị số 33/CT-TTg;\\nthực hiện"))
    >>> s.extraction.text, list(s.breaks), len(s.digest)
    ('', [28], 16)
    >>> from citegraph.extraction.models import Header
    >>> shed_text(None, Extraction("a.txt", "x", Header())).extraction.document.id
    'https://w3id.org/citegraph/id/doc/11f6ad8ec52a2984'
    """
    if not ex.document.id:
        ex = normalize_extraction(ex)
    if ex.source == TEXT_SOURCE:
        ex = replace(ex, source=text_name(ex))  # named by its text while it has it, as a store names it
    return Shed(replace(ex, text=""), sha1_16(ex.text), line_breaks(ex.text) if ex.text else None)


def from_extractions(extractions: Iterable[Extraction | Shed], registry: Registry | None = None, *,
                     keep_text: bool = False, phase: Callable[[str], Any] | None = None) -> CitationGraph:
    """Assemble a :class:`CitationGraph` from extractions (no reading, no store).

    The extractions are consumed one by one (a generator streams): each is normalized, its line breaks
    noted and, unless ``keep_text``, its text dropped before the next one is read (a :class:`Shed` made by
    :func:`shed_text` where it was extracted comes with its line breaks, without its text). ``phase``, if
    given, is told when the assembling starts (a progress line of the command line).
    """
    with no_gc():
        return _from_extractions(extractions, registry, keep_text, phase)


def _from_extractions(extractions: Iterable[Extraction | Shed], registry: Registry | None, keep_text: bool,
                      phase: Callable[[str], Any] | None = None) -> CitationGraph:
    reg = registry if registry is not None else Registry()
    exs: list[Extraction] = []
    digests: list[str] = []
    lines: dict[int, Any] = {}
    pool: dict[Any, Any] = {}
    seen: set[tuple[str, str]] = set()
    for e in extractions:
        if isinstance(e, Shed):
            e, digest, breaks = e
        else:
            digest, breaks = sha1_16(e.text), line_breaks(e.text) if e.text else None
        e = normalize_extraction(e, pool)
        name = source_name(e.source) if e.source != TEXT_SOURCE else text_name(e)
        if name != e.source:
            e = replace(e, source=name)
        if breaks is not None and (name, digest) in seen:
            continue  # the same source with the same text again is one source (as a store keeps it)
        seen.add((name, digest))
        digests.append(digest)
        if breaks is not None:
            lines[len(exs)] = breaks
        if e.text and not keep_text:
            e = replace(e, text="")
        exs.append(e)
    # sources must name one text each (two Extractions may name one file with two texts)
    dup = Counter(e.source for e in exs)
    renamed = [replace(e, source=f"{e.source}#{d}") if dup[e.source] > 1 else e for e, d in zip(exs, digests)]
    by_source = {e.source: lines[i] for i, e in enumerate(renamed) if i in lines}
    order = sorted(range(len(exs)), key=lambda i: (exs[i].source, exs[i].document.id or ""))
    del exs, digests, lines, pool
    exs = [renamed[i] for i in order]
    del renamed
    if phase is not None:
        phase(f"assembling the graph of {len(exs):,} sources")
    G = assemble(exs, reg)
    return CitationGraph(G, exs, reg, keep_text=keep_text, lines=by_source)


def text_name(e: Extraction) -> str:
    """The source name of an extraction of a text given as a string (``<text>``), in memory and in a store
    alike: its text's :func:`~citegraph.io.names.text_source` or, kept without its text, its document's
    identity's."""
    return text_source(e.text or e.document.id or "")


def _registry(registry: Registry | PathLike | None) -> Registry:
    if registry is None:
        return Registry.default()
    if isinstance(registry, Registry):
        return registry
    return Registry.load(registry)


def _expand(sources: Union[Input, Iterable[Input]]) -> list[Any]:
    """Paths (directories walked by :func:`~citegraph.io.files.iter_inputs`), texts, Documents, Extractions."""
    if isinstance(sources, (str, Path, Extraction, Document)):
        sources = [sources]  # type: ignore[list-item]
    out: list[Any] = []
    for s in sources:  # type: ignore[union-attr]
        if isinstance(s, Path) or (isinstance(s, str) and s.strip() and "\n" not in s and len(s) < 1024
                                   and Path(s).exists()):
            if not Path(s).exists():
                raise BuildError(f"{s}: no such file or directory")
            for f in iter_inputs([s]):
                if isinstance(f, ReadError):
                    raise f
                out.append(f)  # a Path: read as a file whatever its name (a str with a line break is a text)
        else:
            out.append(s)
    return out


def expand_paths(paths: Iterable[PathLike]) -> list[str]:
    """Files named by ``paths`` (directories read recursively); a missing path is a :class:`BuildError`.

    >>> expand_paths(["/nonexistent/x.txt"])
    Traceback (most recent call last):
    ...
    citegraph.graph.model.BuildError: /nonexistent/x.txt: no such file or directory
    """
    out: list[str] = []
    for p in map(Path, paths):
        if not p.exists():
            raise BuildError(f"{p}: no such file or directory")
        out.extend(str(f) for f in _expand([p]))
    return out


__all__ = ["CitationGraph", "Shed", "expand_paths", "extract_items", "from_extractions", "shed_text", "source_name", "source_path", "summary"]
