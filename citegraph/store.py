"""Triple stores: in memory or persistent on disk (Oxigraph), and any SPARQL 1.1 endpoint over HTTP.

:class:`Store` keeps two named graphs in an Oxigraph store: the built graph (:data:`DATA_GRAPH`)
and a cache of extractions by source file and content hash (:data:`CACHE_GRAPH`). Building on a
persistent store extracts only new or changed files, drops removed ones, and rebuilds the graph
from the cached extractions, so the result equals a full rebuild. Adding the same document twice
changes nothing.

:class:`Endpoint` pushes a graph to, and queries, a SPARQL 1.1 server: Graph Store Protocol
(``PUT``) or SPARQL Update (``DROP`` + ``INSERT DATA``), with the standard library only.

Examples
--------
>>> from citegraph.extraction.models import Extraction, Header
>>> st = Store()                      # in memory
>>> ex = Extraction("a.txt", "text", Header(id="https://w3id.org/citegraph/id/doc/a"))
>>> G = st.build([ex])
>>> n = len(st); _ = st.build([ex]); len(st) == n
True
>>> st.graph().nx.number_of_nodes()
1
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar, Union, cast

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from citegraph._version import __version__
from citegraph.corpus import (CitationGraph, _expand, _registry, extract_items, from_extractions, source_name, source_path,
                              text_name)
from citegraph.io.names import TEXT_SOURCE, text_source
from citegraph.graph.assemble import normalize_extraction
from citegraph.rdf.triples import from_rdf, from_triples, iter_triples, plain_triples
from citegraph.extraction.models import Extraction, Header, Reference, Relation
from citegraph.rdf.namespace import CG
from citegraph.graph.registry import Registry
from citegraph.rdf.sparql import oxigraph_select, sparql_term, with_values

PathLike = Union[str, "os.PathLike[str]"]

#: Named graph holding the built citation graph.
DATA_GRAPH = "https://w3id.org/citegraph/graph/data"
#: Named graph holding the extraction cache.
CACHE_GRAPH = "https://w3id.org/citegraph/graph/cache"


class StoreError(OSError):
    """A store or endpoint that cannot be used (the message says which and why)."""


_F = TypeVar("_F", bound=Callable[..., Any])


def _guarded(method: _F) -> _F:
    """A store operation whose storage errors (a damaged or vanished store) become one :class:`StoreError`."""

    @functools.wraps(method)
    def run(self: "Store", *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except (RuntimeError, OSError) as e:
            raise StoreError(_storage_problem(self.path, e)) from None

    return cast(_F, run)


def _storage_problem(path: Path | None, e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    where = str(path) if path is not None else "the in-memory store"
    if "corrupt" in text.lower() or "checksum" in text.lower():
        return f"{where}: the store is damaged ({text}); remove the folder and build again"
    if "lock" in text.lower():
        return f"{where}: the store is in use by another process ({text})"
    return f"{where}: cannot use the store ({text})"


def _check_location(path: Path) -> None:
    """Refuse a store location that is a file, or a folder that holds anything but an Oxigraph store (a
    mistyped ``--store`` must not fill someone's folder with database files)."""
    if not path.exists():
        return
    if not path.is_dir():
        raise StoreError(f"{path}: cannot open the store (a file is there; a store is a folder: name a new or "
                         "empty folder)")
    try:
        entries = sorted(e for e in os.listdir(path) if not e.startswith("."))
    except OSError as e:
        raise StoreError(f"{path}: cannot open the store ({e.strerror or e})") from None
    if entries and not ("CURRENT" in entries and any(e.startswith("MANIFEST-") for e in entries)):
        raise StoreError(f"{path}: not a store (the folder holds {len(entries)} other file(s), e.g. "
                         f"{source_name(entries[0])!r}); name a new or empty folder for the store")


# ============================================================================ (de)serialising
def extraction_to_json(ex: Extraction) -> str:
    """An extraction (text included) as JSON."""
    return json.dumps({"extraction": ex.to_dict(), "text": ex.text}, ensure_ascii=False, sort_keys=True)


def _only(cls: type, d: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def extraction_from_json(text: str) -> Extraction:
    """The inverse of :func:`extraction_to_json` (unknown keys from other versions are ignored).

    >>> ex = Extraction("a.txt", "t", Header(id="x"), [Reference("numbered", 0, 1, "t")], [Relation("SELF", "cites", 0)])
    >>> extraction_from_json(extraction_to_json(ex)) == ex
    True
    """
    d = json.loads(text)
    e = d["extraction"]
    return Extraction(
        source=e["source"], text=d.get("text", ""), document=Header(**_only(Header, e["document"])),
        references=[Reference(**_only(Reference, r)) for r in e.get("references", [])],
        relations=[Relation(source=r["from"], rel=r["rel"], target=r["to"], cue=r.get("cue"))
                   for r in e.get("relations", [])],
        warnings=list(e.get("warnings", [])))


#: the cache graph's record of what the data graph was built from (see Store.build)
_DATA_INPUTS = ox.NamedNode("https://w3id.org/citegraph/prov/data-graph")


def _inputs_digest(hashes: dict[str, str], registry: Registry) -> str:
    """Digest of what a graph is made of: each source and its content hash (the hash carries the
    extractor's fingerprint), and the registry's entries."""
    h = hashlib.sha256()
    for key in sorted(hashes):
        h.update(f"{key}\0{hashes[key]}\n".encode())
    entries = sorted(json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False) for e in registry)
    h.update("\n".join(entries).encode())
    return h.hexdigest()


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """SHA-256 of the code and vocabularies extraction depends on (``citegraph/*.py``, ``ontology/*.json``).

    Cached extractions made by another version of either are stale and are redone.
    """
    from importlib import resources

    h = hashlib.sha256(__version__.encode())
    roots = [Path(__file__).resolve().parent, Path(str(resources.files("citegraph.ontology")))]
    for root, pattern in zip(roots, ("*.py", "*.json")):
        for f in sorted(root.glob(pattern)):
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def content_hash(data: bytes) -> str:
    """SHA-256 of content, salted with :func:`extractor_fingerprint` (a new extractor re-reads everything)."""
    return hashlib.sha256(extractor_fingerprint().encode() + b"\0" + data).hexdigest()


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _rdflib_term(t: Any) -> Any:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value if t.datatype is not None else _XSD_STRING
        return Literal(t.value) if dt in (_XSD_STRING, _LANG_STRING) else Literal(t.value, datatype=URIRef(dt))
    raise StoreError(f"unexpected term in the data graph: {t!r}")


def _nt(rdf: Graph) -> str:
    return rdf.serialize(format="nt")


def _is_file(item: str) -> bool:
    """Whether a string names a file (a long text is not a path: asking the system would fail, ENAMETOOLONG)."""
    if "\n" in item or len(item) > 4096:
        return False
    try:
        return Path(item).is_file()
    except (OSError, ValueError):
        return False


# ===================================================================================== the store
@dataclass
class BuildStats:
    """What an incremental build did, by source."""

    extracted: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class Store:
    """An Oxigraph store: in memory (``path=None``) or persistent in directory ``path`` (reopenable).

    Parameters
    ----------
    path : path, optional
        Directory of a persistent store (created if missing).
    """

    def __init__(self, path: PathLike | None = None) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            _check_location(self.path)
        try:
            self.oxi = ox.Store(str(self.path)) if self.path is not None else ox.Store()
        except (OSError, RuntimeError, ValueError) as e:
            problem = _storage_problem(self.path, e)
            raise StoreError(problem if "damaged" in problem or "in use" in problem
                             else f"{self.path}: cannot open the store ({' '.join(str(e).split())})") from None
        self.last = BuildStats()

    def __len__(self) -> int:
        return len(self.oxi)

    def __repr__(self) -> str:
        where = str(self.path) if self.path else "memory"
        return f"Store({where}: {len(self.oxi)} quads)"

    def close(self) -> None:
        """Flush to disk and release the store."""
        try:
            if self.path is not None and hasattr(self, "oxi"):
                self.oxi.flush()
        except (RuntimeError, OSError) as e:
            raise StoreError(_storage_problem(self.path, e)) from None
        finally:
            self.__dict__.pop("oxi", None)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- cache ---------------------------------------------------------------------------------
    @_guarded
    def _cache(self) -> dict[str, tuple[str, str]]:
        """source → (content hash, extraction JSON)."""
        rows = oxigraph_select(self.oxi, f"SELECT ?src ?h ?x WHERE {{ GRAPH <{CACHE_GRAPH}> {{ ?f <{CG.sourceFile}> ?src ;"
                                         f" <{CG.contentHash}> ?h ; <{CG.extraction}> ?x }} }}", {})
        return {r["src"]: (r["h"], r["x"]) for r in rows}

    @_guarded
    def _cache_put(self, source: str, h: str, ex: Extraction) -> None:
        f = ox.NamedNode("https://w3id.org/citegraph/prov/file/" + hashlib.sha1(source.encode()).hexdigest()[:16])
        g = ox.NamedNode(CACHE_GRAPH)
        for q in list(self.oxi.quads_for_pattern(f, None, None, g)):
            self.oxi.remove(q)
        self.oxi.extend([
            ox.Quad(f, ox.NamedNode(str(CG.sourceFile)), ox.Literal(source), g),
            ox.Quad(f, ox.NamedNode(str(CG.contentHash)), ox.Literal(h), g),
            ox.Quad(f, ox.NamedNode(str(CG.extraction)), ox.Literal(extraction_to_json(ex)), g),
        ])

    @_guarded
    def _cache_drop(self, source: str) -> None:
        f = ox.NamedNode("https://w3id.org/citegraph/prov/file/" + hashlib.sha1(source.encode()).hexdigest()[:16])
        for q in list(self.oxi.quads_for_pattern(f, None, None, ox.NamedNode(CACHE_GRAPH))):
            self.oxi.remove(q)

    def sources(self) -> list[str]:
        """The sources the store holds, sorted."""
        return sorted(self._cache())

    # ---- building --------------------------------------------------------------------------------
    def build(self, sources: Any, registry: Registry | PathLike | None = None, *, keep_others: bool = False,
              progress: bool | None = None, phase: Callable[[str], Any] | None = None) -> CitationGraph:
        """Make the store hold exactly ``sources`` (or add them, with ``keep_others``) and return the graph.

        Only new or changed sources are extracted (content hash); sources no longer given (or, with
        ``keep_others``, no longer on disk) leave the graph. :attr:`last` tells what happened. A source is
        named as every output names it (:func:`citegraph.corpus.source_name`). ``progress`` shows a bar of
        the extraction on stderr (None: on long runs, when stderr is a terminal); ``phase`` is told when the
        later phases start (assembling, writing the store).
        """
        reg = _registry(registry)
        cache = self._cache()
        stats = BuildStats()
        current: dict[str, Extraction | None] = {}
        hashes: dict[str, str] = {}  # source -> content hash, of every source the graph is made of
        todo: list[tuple[str, str, Any]] = []  # (source, content hash, item) to extract
        for item in _expand(sources):
            if isinstance(item, Extraction):
                key = source_name(item.source) if item.source != TEXT_SOURCE else text_name(item)
                data = extraction_to_json(item).encode()
            elif isinstance(item, Path) or (isinstance(item, str) and _is_file(item)):
                key, data = source_name(item), Path(item).read_bytes()
            else:
                text = item.text if hasattr(item, "text") else str(item)
                given = getattr(item, "source", None)
                key = source_name(given) if given else text_source(text)
                data = text.encode("utf-8", "surrogatepass")
            h = hashes[key] = content_hash(data)
            if key in cache and cache[key][0] == h:
                current[key] = extraction_from_json(cache[key][1])
                stats.reused.append(key)
                continue
            current[key] = None  # filled below, in this order
            todo.append((key, h, item))
        # new or changed sources: extracted in parallel when there are many (citegraph.extraction.batch.extract_many)
        for (key, h, _), ex in zip(todo, extract_items([item for _, _, item in todo], progress=progress)):
            ex = normalize_extraction(ex)
            if ex.source != key:
                ex = Extraction(key, ex.text, ex.document, ex.references, ex.relations, ex.warnings)
            self._cache_put(key, h, ex)
            current[key] = ex
            stats.extracted.append(key)
        for key in sorted(set(cache) - set(current)):
            gone = not (key.startswith("<") or Path(source_path(key)).exists())
            if keep_others and not gone:
                current[key] = extraction_from_json(cache[key][1])
                hashes[key] = cache[key][0]
                stats.reused.append(key)
            else:
                self._cache_drop(key)
                stats.removed.append(key)
        G = from_extractions((e for e in current.values() if e is not None), reg, phase=phase)
        digest = _inputs_digest(hashes, reg)
        if self._data_digest() != digest:  # else the data graph already is this graph's RDF view
            if phase is not None:
                phase(f"writing the store {self.path or '(in memory)'}")
            self.put(G)
            self._set_data_digest(digest)
        self.last = stats
        return G

    @_guarded
    def _data_digest(self) -> str | None:
        """The digest of the inputs the data graph was last built from by :meth:`build`, or None."""
        for q in self.oxi.quads_for_pattern(_DATA_INPUTS, ox.NamedNode(str(CG.contentHash)), None,
                                            ox.NamedNode(CACHE_GRAPH)):
            return str(q.object.value)
        return None

    @_guarded
    def _set_data_digest(self, digest: str | None) -> None:
        g = ox.NamedNode(CACHE_GRAPH)
        for q in list(self.oxi.quads_for_pattern(_DATA_INPUTS, None, None, g)):
            self.oxi.remove(q)
        if digest is not None:
            self.oxi.add(ox.Quad(_DATA_INPUTS, ox.NamedNode(str(CG.contentHash)), ox.Literal(digest), g))

    def add(self, sources: Any, registry: Registry | PathLike | None = None) -> CitationGraph:
        """Add or update ``sources``, keeping the others the store holds (those still on disk)."""
        return self.build(sources, registry, keep_others=True)

    @_guarded
    def put(self, G: CitationGraph) -> None:
        """Make the data graph the RDF view of ``G``: only the quads that differ are removed or added.

        Into an empty data graph the quads stream in (Oxigraph's bulk loader, no set of them in memory);
        otherwise the store's quads stream past a set of the new ones: each found there leaves the set,
        each not found is removed from the store, and what is left of the set is added.
        """
        self._set_data_digest(None)  # whatever the graph, it is no longer known what it was built from
        g = ox.NamedNode(DATA_GRAPH)
        if G._rdf_given:  # a graph read from RDF: its own triples
            quads: Iterable[Any] = (ox.Quad(q.subject, q.predicate, q.object, g)
                                    for q in ox.parse(_nt(G.rdf), ox.RdfFormat.N_TRIPLES))
        else:  # straight from the networkx view, no rdflib graph
            quads = (ox.Quad(s, p, o, g) for s, p, o in iter_triples(G.nx, "oxigraph"))
        if next(iter(self.oxi.quads_for_pattern(None, None, None, g)), None) is None:
            self.oxi.bulk_extend(quads)
        else:
            new = set(quads)
            stale = []
            for q in self.oxi.quads_for_pattern(None, None, None, g):
                if q in new:
                    new.discard(q)  # there already
                else:
                    stale.append(q)
            for q in stale:
                self.oxi.remove(q)
            if new:
                self.oxi.extend(new)
        if self.path is not None:
            self.oxi.flush()

    @_guarded
    def rdf(self) -> Graph:
        """The data graph as an rdflib Graph (terms converted directly, no re-parsing)."""
        g = Graph()
        add = g.add
        conv = _rdflib_term
        for q in self.oxi.quads_for_pattern(None, None, None, ox.NamedNode(DATA_GRAPH)):
            add((conv(q.subject), conv(q.predicate), conv(q.object)))
        return g

    @_guarded
    def nx_view(self) -> Any:
        """The networkx view of the data graph, read from the quads without an rdflib graph (for questions)."""
        return from_triples(plain_triples(self.oxi.quads_for_pattern(None, None, None, ox.NamedNode(DATA_GRAPH))))

    def graph(self, registry: Registry | None = None) -> CitationGraph:
        """The stored graph (networkx view read back from RDF; extractions from the cache)."""
        exs = sorted((extraction_from_json(x) for _, x in self._cache().values()), key=lambda e: e.source)
        rdf = self.rdf()
        return CitationGraph(from_rdf(rdf), exs, registry, rdf=rdf)

    @_guarded
    def select(self, query: str, bindings: dict[str, Node] | None = None) -> list[dict[str, Any]]:
        """SELECT over the data graph with bound values (``substitutions``)."""
        return oxigraph_select(self.oxi, query, bindings or {}, default_graph=ox.NamedNode(DATA_GRAPH))

    def push(self, endpoint: "Endpoint", method: str = "gsp") -> None:
        """Push the data graph to a SPARQL endpoint (see :meth:`Endpoint.push`)."""
        endpoint.push(self.rdf(), method=method)


# ==================================================================================== endpoints
class Endpoint:
    """A SPARQL 1.1 server: query URL, update URL, Graph Store Protocol URL; data in one named graph.

    Parameters
    ----------
    query_url : str
        SPARQL query endpoint (e.g. ``http://127.0.0.1:7878/query``).
    update_url, store_url : str, optional
        SPARQL Update and Graph Store Protocol endpoints (``/update`` and ``/store`` for Oxigraph).
    graph : str
        The named graph holding the citation graph.

    Examples
    --------
    >>> e = Endpoint.oxigraph("http://127.0.0.1:7878")
    >>> e.query_url, e.store_url
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/store')
    """

    def __init__(self, query_url: str, update_url: str | None = None, store_url: str | None = None,
                 graph: str = DATA_GRAPH, timeout: float = 30.0) -> None:
        for u in (query_url, update_url, store_url):
            if u is not None and urllib.parse.urlparse(u).scheme not in ("http", "https"):
                raise StoreError(f"{u}: an endpoint URL starts with http:// or https://")
        try:
            sparql_term(URIRef(graph))
        except ValueError as e:
            raise StoreError(f"graph name: {e}") from None
        self.query_url, self.update_url, self.store_url = query_url, update_url, store_url
        self.graph, self.timeout = graph, timeout

    @classmethod
    def oxigraph(cls, base: str, graph: str = DATA_GRAPH) -> "Endpoint":
        """The endpoints of an ``oxigraph serve`` at ``base``."""
        b = base.rstrip("/")
        return cls(f"{b}/query", f"{b}/update", f"{b}/store", graph=graph)

    def _request(self, url: str, data: bytes | None, headers: dict[str, str], method: str) -> bytes:
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            body = e.read()[:300].decode("utf-8", "replace")
            raise StoreError(f"{url}: HTTP {e.code} {e.reason}: {body}") from None
        except (urllib.error.URLError, OSError) as e:
            raise StoreError(f"{url}: cannot reach the endpoint ({getattr(e, 'reason', e)})") from None

    def select(self, query: str, bindings: dict[str, Node] | None = None) -> list[dict[str, Any]]:
        """SELECT over the endpoint's graph; values bound by a checked ``VALUES`` block."""
        q = with_values(query, bindings or {})
        url = self.query_url + "?" + urllib.parse.urlencode({"default-graph-uri": self.graph})
        raw = self._request(url, q.encode("utf-8"), {"Content-Type": "application/sparql-query",
                                                     "Accept": "application/sparql-results+json"}, "POST")
        res = json.loads(raw)
        names = res["head"]["vars"]
        out = []
        for b in res["results"]["bindings"]:
            row: dict[str, Any] = {}
            for n in names:
                t = b.get(n)
                if t is None:
                    row[n] = None
                elif t["type"] == "literal" and t.get("datatype", "").endswith(("#integer", "#int", "#long")):
                    row[n] = int(t["value"])
                else:
                    row[n] = t["value"]
            out.append(row)
        return out

    def push(self, rdf: Union[Graph, CitationGraph], method: str = "gsp") -> None:
        """Replace the endpoint's graph with ``rdf``: ``gsp`` (HTTP PUT) or ``update`` (DROP + INSERT DATA)."""
        g = rdf.rdf if isinstance(rdf, CitationGraph) else rdf
        nt = _nt(g)
        if method == "gsp":
            if not self.store_url:
                raise StoreError("this endpoint has no Graph Store Protocol URL")
            url = self.store_url + "?" + urllib.parse.urlencode({"graph": self.graph})
            self._request(url, nt.encode("utf-8"), {"Content-Type": "application/n-triples"}, "PUT")
        elif method == "update":
            if not self.update_url:
                raise StoreError("this endpoint has no SPARQL Update URL")
            upd = f"DROP SILENT GRAPH <{self.graph}> ;\nINSERT DATA {{ GRAPH <{self.graph}> {{\n{nt}\n}} }}"
            self._request(self.update_url, upd.encode("utf-8"), {"Content-Type": "application/sparql-update"}, "POST")
        else:
            raise ValueError(f"method must be 'gsp' or 'update', not {method!r}")

    def fetch(self) -> Graph:
        """The endpoint's graph as an rdflib Graph (Graph Store Protocol GET)."""
        if not self.store_url:
            raise StoreError("this endpoint has no Graph Store Protocol URL")
        url = self.store_url + "?" + urllib.parse.urlencode({"graph": self.graph})
        raw = self._request(url, None, {"Accept": "application/n-triples"}, "GET")
        return Graph().parse(data=raw.decode("utf-8"), format="nt")

    def graph_view(self) -> CitationGraph:
        """The endpoint's graph as a :class:`CitationGraph` (no extractions)."""
        rdf = self.fetch()
        return CitationGraph(from_rdf(rdf), [], None, rdf=rdf)


__all__ = ["CACHE_GRAPH", "DATA_GRAPH", "BuildStats", "Endpoint", "Store", "StoreError", "content_hash",
           "extraction_from_json", "extraction_to_json"]
