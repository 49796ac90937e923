"""The citation graph: every document one node, every reference a typed, sourced edge.

:func:`build` turns paths, texts, :class:`~citegraph.read.Document` or :class:`~citegraph.models.Extraction`
objects into a :class:`CitationGraph` holding two consistent views: a networkx ``MultiDiGraph``
(``.nx``, attributes as in docs/CONTRACTS.md) and an rdflib ``Graph`` (``.rdf``, the ELI-aligned
ontology of ``ontology/citegraph.ttl``). The RDF view is computed from the networkx view
(:func:`to_rdf`) and can be read back (:func:`from_rdf`).

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
import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence, Union

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, Namespace

from .models import Extraction, Reference
from .namespace import CG, ELI, ID, PROV
from .normalize import fold
from .registry import Registry, RegistryError, full_id, id_key, is_partial, unknown_segment
from .skos import (bind_prefixes, body_concept, canonical_turtle, place_concept, place_triples,
                   relation_concept, relation_property, type_concept)
from .vocab import vocabulary

#: XML Schema datatypes (a plain Namespace: rdflib's DefinedNamespace warns under doctest collection).
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

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

    Attributes
    ----------
    nx : networkx.MultiDiGraph
        Nodes keyed by identity IRI, edges citing → cited (docs/CONTRACTS.md).
    rdf : rdflib.Graph
        The same graph in the citegraph ontology (computed from ``nx``).
    extractions : list of Extraction
        What each source said (the report reads offsets from them).
    registry : Registry
        The known documents used to fill and check.
    """

    def __init__(self, G: nx.MultiDiGraph, extractions: Sequence[Extraction] = (),
                 registry: Registry | None = None, rdf: Graph | None = None) -> None:
        self.nx = G
        self.extractions = list(extractions)
        self.registry = registry if registry is not None else Registry()
        self.rdf = rdf if rdf is not None else to_rdf(G)

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
        return canonical_turtle(self.rdf, header="citegraph graph (generated)")

    def write(self, out_dir: PathLike) -> dict[str, Path]:
        """Write ``graph.ttl``, ``graph.jsonld``, ``graph.graphml``, ``report.md`` and ``graph.html``.

        Every file is written atomically. Returns the paths by short name.
        """
        from .atomic import atomic_write

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        paths = {k: out / f"graph.{k}" for k in ("ttl", "jsonld", "graphml", "html")}
        paths["report"] = out / "report.md"
        atomic_write(paths["ttl"], self.turtle())
        atomic_write(paths["jsonld"], jsonld(self.rdf))
        atomic_write(paths["graphml"], graphml(self.nx))
        atomic_write(paths["report"], self.report().to_markdown())
        write_html(self, paths["html"])
        return paths


# ======================================================================================== building
def build(sources: Union[Input, Iterable[Input]], registry: Registry | PathLike | None = None,
          store: Union["Store", PathLike, None] = None) -> CitationGraph:
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
    extractions = [_extract(x) for x in items]
    return from_extractions(extractions, reg)


def from_extractions(extractions: Iterable[Extraction], registry: Registry | None = None) -> CitationGraph:
    """Assemble a :class:`CitationGraph` from extractions (no reading, no store)."""
    reg = registry if registry is not None else Registry()
    exs = sorted((normalize_extraction(e) for e in extractions), key=lambda e: (e.source, e.document.id or ""))
    # sources must name one text each (texts given as strings all come from "<text>")
    dup = Counter(e.source for e in exs)
    exs = [replace(e, source=f"{e.source}#{sha1_16(e.text)}") if dup[e.source] > 1 else e for e in exs]
    G = assemble(exs, reg)
    return CitationGraph(G, exs, reg)


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


def normalize_extraction(ex: Extraction) -> Extraction:
    """Give the citing document an id (``doc/{sha1}`` when it has none) and full IRIs everywhere."""
    h = ex.document
    hid = full_id(h.id) if h.id else str(ID[f"doc/{sha1_16(ex.text)}"])
    refs = [replace(r, id=full_id(r.id) if r.id else None, candidates=[full_id(c) for c in r.candidates])
            for r in ex.references]
    return replace(ex, document=replace(h, id=hid), references=refs)


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

    obs: dict[str, list[tuple[int, dict[str, Any]]]] = {}  # node -> [(priority, values)]
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
        obs.setdefault(did, []).append((0, {**{a: getattr(h, a, None) for a in _SCALARS if hasattr(h, a)},
                                            "term": term}))
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
                obs.setdefault(n, []).append((1, {a: getattr(r, a, None) for a in _SCALARS}))
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
    for n in sorted(nodes):
        G.add_node(n, **_node_attrs(n, obs.get(n, []), mentions.get(n, []), sources.get(n, set()),
                                    cands.get(n, set()), kinds.get(n, []), titles.get(n), registry))
    for u, v, d in sorted(edges, key=lambda e: (e[0], e[1], e[2]["source"], e[2]["start"], e[2]["rel"])):
        G.add_edge(u, v, **d)
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


def _node_attrs(n: str, obs: list[tuple[int, dict[str, Any]]], mentions: list[dict[str, Any]], sources: set[str],
                cands: set[str], kinds: list[str], title: str | None, registry: Registry) -> dict[str, Any]:
    a: dict[str, Any] = {k: _vote([(p, o.get(k)) for p, o in obs]) for k in _SCALARS}
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


def nx_graph(G: Union[CitationGraph, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """The networkx view of a CitationGraph (or the graph itself)."""
    return G.nx if isinstance(G, CitationGraph) else G


# ======================================================================================== RDF view
def _lit(v: Any, datatype: URIRef | None = None) -> Literal:
    return Literal(v, datatype=datatype) if datatype else Literal(v)


def _hid(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def mention_iri(node: str, m: dict[str, Any]) -> URIRef:
    """Deterministic IRI of a mention."""
    return PROV[f"mention/{_hid(node, m['source'], m['start'], m['end'])}"]


def citation_iri(u: str, v: str, d: dict[str, Any]) -> URIRef:
    """Deterministic IRI of a citation event."""
    return PROV[f"citation/{_hid(u, v, d['rel'], d['source'], d['start'], d['end'])}"]


def to_rdf(G: Union[CitationGraph, nx.MultiDiGraph]) -> Graph:
    """The RDF view of the networkx graph in the citegraph ontology (see ``ontology/citegraph.ttl``).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> a, b = "https://w3id.org/citegraph/id/doc/a", "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114"
    >>> g.add_node(a, label="a", kind="document", sources=["a.txt"], mentions=[], candidates=[])
    >>> g.add_node(b, label="114-KL/TW", kind="numbered", symbol="114-KL/TW", sources=[], mentions=[], candidates=[])
    >>> _ = g.add_edge(a, b, rel="implements", cue="Thực hiện", source="a.txt", start=0, end=9, sentence=None)
    >>> r = to_rdf(g)
    >>> (URIRef(a), ELI.applies, URIRef(b)) in r
    True
    """
    g = nx_graph(G)
    out = bind_prefixes(Graph())
    add = out.add
    v = vocabulary()
    places: set[str] = set()
    for n, d in g.nodes(data=True):
        s = URIRef(n)
        add((s, RDF.type, CG.Document))
        add((s, RDF.type, ELI.LegalResource))
        add((s, RDFS.label, Literal(d.get("label") or n)))
        add((s, CG.kind, Literal(d.get("kind") or "numbered")))
        if d.get("type"):
            add((s, CG.typeName, Literal(d["type"])))
            add((s, ELI.type_document, type_concept(d["type"])))
        if d.get("type_code"):
            add((s, CG.typeCode, Literal(d["type_code"])))
        if d.get("symbol"):
            add((s, ELI.id_local, Literal(d["symbol"])))
        if d.get("name"):
            add((s, CG.name, Literal(d["name"])))
        if d.get("number") is not None:
            add((s, ELI.number, Literal(str(d["number"]))))
        if d.get("year") is not None:
            add((s, CG.year, Literal(int(d["year"]))))
        if d.get("date"):
            add((s, ELI.date_document, Literal(d["date"], datatype=XSD.date)))
        if d.get("issuer"):
            add((s, CG.issuerName, Literal(d["issuer"])))
            b = v.body_for_text(d["issuer"])
            if b is not None:
                add((s, ELI.passed_by, body_concept(b.name)))
        if d.get("jurisdiction"):
            add((s, CG.jurisdictionName, Literal(d["jurisdiction"])))
            add((s, ELI.jurisdiction, place_concept(d["jurisdiction"])))
            places.add(d["jurisdiction"])
        for k, p in (("level", CG.level), ("system", CG.system), ("term", CG.term)):
            if d.get(k):
                add((s, p, Literal(d[k])))
        if d.get("title"):
            add((s, ELI.title, Literal(d["title"])))
        for f in d.get("sources") or []:
            add((s, CG.sourceFile, Literal(f)))
        for k in d.get("from_registry") or []:
            add((s, CG.fromRegistry, Literal(k)))
        for c in d.get("candidates") or []:
            add((s, CG.candidate, URIRef(c)))
        for m in d.get("mentions") or []:
            mi = mention_iri(n, m)
            add((s, CG.mention, mi))
            add((mi, RDF.type, CG.Mention))
            add((mi, CG.sourceFile, Literal(m["source"])))
            add((mi, CG.start, Literal(int(m["start"]))))
            add((mi, CG.end, Literal(int(m["end"]))))
            add((mi, CG.text, Literal(m["text"])))
            if m.get("sentence"):
                add((mi, CG.sentence, Literal(m["sentence"])))
            if m.get("stated_date"):
                add((mi, CG.statedDate, Literal(m["stated_date"], datatype=XSD.date)))
            if m.get("stated_issuer"):
                add((mi, CG.statedIssuer, Literal(m["stated_issuer"])))
            if m.get("resolved_from"):
                add((mi, CG.resolvedFrom, URIRef(m["resolved_from"])))
        reg = d.get("registry")
        if reg:
            ri = PROV[f"registry/{_hid(n)}"]
            add((s, CG.registryEntry, ri))
            add((ri, RDF.type, CG.RegistryEntry))
            add((ri, DCTERMS.source, Literal(reg["source"])))
            if reg.get("file"):
                add((ri, CG.sourceFile, Literal(reg["file"])))
            if reg.get("date"):
                add((ri, ELI.date_document, Literal(reg["date"], datatype=XSD.date)))
            if reg.get("issuer"):
                add((ri, CG.issuerName, Literal(reg["issuer"])))
                b = v.body_for_text(reg["issuer"])
                if b is not None:
                    add((ri, ELI.passed_by, body_concept(b.name)))
            for k, p in (("symbol", ELI.id_local), ("title", ELI.title), ("type", CG.typeName),
                         ("name", CG.name), ("jurisdiction", CG.jurisdictionName)):
                if reg.get(k):
                    add((ri, p, Literal(reg[k])))
    for j in sorted(places):
        for t in place_triples(j):
            add(t)  # type: ignore[arg-type]
    for u, w, d in g.edges(data=True):
        add((URIRef(u), relation_property(d["rel"]), URIRef(w)))
        ci = citation_iri(u, w, d)
        add((ci, RDF.type, CG.Citation))
        add((ci, CG.citing, URIRef(u)))
        add((ci, CG.cited, URIRef(w)))
        add((ci, CG.relationType, relation_concept(d["rel"])))
        add((ci, CG.sourceFile, Literal(d["source"])))
        add((ci, CG.start, Literal(int(d["start"]))))
        add((ci, CG.end, Literal(int(d["end"]))))
        if d.get("cue"):
            add((ci, CG.cue, Literal(d["cue"])))
        if d.get("sentence"):
            add((ci, CG.sentence, Literal(d["sentence"])))
    return out


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """Read the networkx view back from an RDF graph written by :func:`to_rdf` (round trip).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"],
    ...            mentions=[], candidates=[], year=2024)
    >>> h = from_rdf(to_rdf(g))
    >>> h.nodes["https://w3id.org/citegraph/id/doc/a"]["year"], h.nodes["https://w3id.org/citegraph/id/doc/a"]["sources"]
    (2024, ['a.txt'])
    """
    G = nx.MultiDiGraph()

    def one(s: Any, p: URIRef) -> Any:
        o = rdf.value(s, p)
        return None if o is None else (o.toPython() if isinstance(o, Literal) else str(o))

    def text(o: Any) -> Any:
        return str(o) if o is not None and not isinstance(o, str) else o

    for s in sorted(set(rdf.subjects(RDF.type, CG.Document))):
        d: dict[str, Any] = {
            "label": one(s, RDFS.label), "kind": one(s, CG.kind), "type": one(s, CG.typeName),
            "type_code": one(s, CG.typeCode), "symbol": one(s, ELI.id_local), "name": one(s, CG.name),
            "number": one(s, ELI.number), "year": one(s, CG.year), "date": text(one(s, ELI.date_document)),
            "issuer": one(s, CG.issuerName), "jurisdiction": one(s, CG.jurisdictionName),
            "level": one(s, CG.level), "system": one(s, CG.system), "term": one(s, CG.term),
            "sources": sorted(str(o) for o in rdf.objects(s, CG.sourceFile)), "cited_by": 0,
            "candidates": sorted(str(o) for o in rdf.objects(s, CG.candidate)), "title": one(s, ELI.title),
            "from_registry": sorted(str(o) for o in rdf.objects(s, CG.fromRegistry)),
        }
        ms = []
        for mi in rdf.objects(s, CG.mention):
            ms.append({"source": one(mi, CG.sourceFile), "start": one(mi, CG.start), "end": one(mi, CG.end),
                       "text": one(mi, CG.text), "sentence": one(mi, CG.sentence),
                       "stated_date": text(one(mi, CG.statedDate)), "stated_issuer": one(mi, CG.statedIssuer),
                       "resolved_from": one(mi, CG.resolvedFrom)})
        d["mentions"] = sorted(ms, key=lambda m: (m["source"], m["start"], m["end"]))
        ri = rdf.value(s, CG.registryEntry)
        if ri is not None:
            reg = {"id": str(s), "source": one(ri, DCTERMS.source), "symbol": one(ri, ELI.id_local),
                   "name": one(ri, CG.name), "type": one(ri, CG.typeName), "date": text(one(ri, ELI.date_document)),
                   "issuer": one(ri, CG.issuerName), "jurisdiction": one(ri, CG.jurisdictionName),
                   "title": one(ri, ELI.title), "file": one(ri, CG.sourceFile)}
            d["registry"] = {k: v for k, v in reg.items() if v is not None}
        else:
            d["registry"] = None
        G.add_node(str(s), **d)
    events = []
    for ci in set(rdf.subjects(RDF.type, CG.Citation)):
        rc = rdf.value(ci, CG.relationType)
        rel = str(rc).rsplit("/", 1)[-1] if rc is not None else "cites"
        events.append((str(rdf.value(ci, CG.citing)), str(rdf.value(ci, CG.cited)),
                       {"rel": rel, "cue": one(ci, CG.cue), "source": one(ci, CG.sourceFile),
                        "start": one(ci, CG.start), "end": one(ci, CG.end), "sentence": one(ci, CG.sentence)}))
    for u, v, d in sorted(events, key=lambda e: (e[0], e[1], e[2]["source"], e[2]["start"], e[2]["rel"])):
        G.add_edge(u, v, **d)
    for n in G:
        G.nodes[n]["cited_by"] = G.in_degree(n)
    return G


def shapes_graph() -> Graph:
    """The SHACL shapes of ``ontology/shapes.ttl``."""
    from importlib import resources

    return Graph().parse(data=resources.files("citegraph.ontology").joinpath("shapes.ttl").read_text("utf-8"),
                         format="turtle")


def validate(rdf: Graph) -> tuple[bool, str]:
    """Validate an RDF graph against the SHACL shapes; returns (conforms, report text).

    >>> validate(to_rdf(nx.MultiDiGraph()))[0]
    True
    """
    from pyshacl import validate as shacl_validate

    conforms, _, text = shacl_validate(rdf, shacl_graph=shapes_graph(), inference="none", advanced=True)
    return bool(conforms), str(text)


# ========================================================================================= writers
def jsonld(rdf: Graph) -> str:
    """JSON-LD of the RDF view with citegraph's prefixes as context (triples sorted for stable output)."""
    ctx = {p: ns for p, ns in sorted(__import__("citegraph.skos", fromlist=["PREFIXES"]).PREFIXES.items())}
    data = json.loads(rdf.serialize(format="json-ld", context=ctx, auto_compact=True))
    graph = data.get("@graph", [])
    if isinstance(graph, list):
        graph.sort(key=lambda o: str(o.get("@id", "")))
        for o in graph:
            for k, v in list(o.items()):
                if isinstance(v, list):
                    o[k] = sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def graphml_graph(G: Union[CitationGraph, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """A copy of the networkx view that GraphML can hold: lists and dicts as JSON strings, None left out."""
    g = nx_graph(G)
    h = nx.MultiDiGraph()

    def conv(d: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in d.items():
            if v is None:
                continue
            out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict, tuple)) else v
        return out

    for n, d in g.nodes(data=True):
        h.add_node(n, **conv(d))
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **conv(d))
    return h


def graphml(G: Union[CitationGraph, nx.MultiDiGraph]) -> str:
    """GraphML text of the networkx view (opens in Gephi / Cytoscape)."""
    return "\n".join(nx.generate_graphml(graphml_graph(G))) + "\n"


def write_html(G: CitationGraph, path: Path) -> None:
    """``graph.html``: ``citegraph.html.to_html`` when that module exists, else a plain pyvis page."""
    try:
        from .html import to_html  # type: ignore[attr-defined]
    except ImportError:
        to_html = None
    if to_html is not None:
        to_html(G, path)
        return
    from pyvis.network import Network  # pragma: no cover - fallback only

    from .atomic import atomic_write  # pragma: no cover

    net = Network(directed=True, cdn_resources="remote")  # pragma: no cover
    for n, d in G.nx.nodes(data=True):  # pragma: no cover
        net.add_node(n, label=str(d.get("label") or n), title=n)
    for u, v, d in G.nx.edges(data=True):  # pragma: no cover
        net.add_edge(u, v, title=d.get("rel"), label=d.get("rel"))
    atomic_write(path, net.generate_html())  # pragma: no cover


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
        f"{len(G.rdf)} RDF triples",
    ])


# ============================================================================================= CLI
def cli_registry(args: argparse.Namespace) -> Registry | None:
    """The registry for the CLI: the seed registry plus ``--registry PATH`` (a file or directory), if given."""
    extra = getattr(args, "registry", None)
    if not extra:
        return None
    from .registry import DEFAULT_DIR

    return Registry.load(*([DEFAULT_DIR] if DEFAULT_DIR.is_dir() else []), extra)


def readable_inputs(paths: Iterable[PathLike], *, keep_paths: bool = False) -> tuple[list[Any], list[str]]:
    """Expand ``paths`` (directories recursively) and read each file once.

    Returns the inputs that could be read (``Document`` objects, or the paths themselves with
    ``keep_paths``, e.g. for an incremental store) and one message per file that could not.
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
        good.append(str(p) if keep_paths else doc)
    return good, errors


def cli_build(args: argparse.Namespace) -> int:
    """``citegraph build PATH... --out DIR [--store DIR] [--registry PATH]``: write the files, print a summary.

    A file that cannot be read gets a one-line error; the others are still built and written, and the
    exit status is 2.
    """
    store = getattr(args, "store", None)
    inputs, errors = readable_inputs(args.paths, keep_paths=store is not None)
    for e in errors:
        print(f"citegraph: error: {e}", file=sys.stderr)
    if not inputs and errors:
        return 2
    try:
        if not inputs:
            raise BuildError("no documents found in " + ", ".join(args.paths))
        G = build(inputs, registry=cli_registry(args), store=store)
        written = G.write(args.out)
    except (BuildError, RegistryError, OSError) as e:
        print(f"citegraph: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a store error carries its own one-line message
        if type(e).__name__ in ("ReadError", "StoreError"):
            print(f"citegraph: error: {e}", file=sys.stderr)
            return 2
        raise
    print(G.summary())
    print("wrote " + ", ".join(str(p) for p in written.values()))
    return 2 if errors else 0


__all__ = ["AmbiguousDocument", "BuildError", "CitationGraph", "UnknownDocument", "assemble", "build",
           "cli_build", "readable_inputs", "expand_paths", "from_extractions", "from_rdf", "graphml", "jsonld", "resolve",
           "to_rdf", "summary", "validate"]
