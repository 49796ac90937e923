"""The RDF view of a citation graph: triples in the citegraph ontology, made from the networkx view.

One triple generator (:func:`iter_triples`, :func:`subject_groups`) serves every consumer: an rdflib
``Graph`` (:func:`to_rdf`), an Oxigraph store (:func:`to_oxigraph`), the file writers of
:mod:`citegraph.outputs.writers` and :func:`triple_count`. :func:`from_rdf` reads the networkx view back;
:func:`validate` checks an RDF graph against the SHACL shapes of ``ontology/shapes.ttl``.

Terms are made by a :class:`_Terms` backend: rdflib terms, pyoxigraph terms, or plain Python values
(``"text"``: an IRI is a ``str``, a literal a ``(lexical form, datatype IRI, language)`` tuple, equal and
hashed as rdflib's ``Literal`` is) for writers that make text without building RDF objects.

Examples
--------
>>> g = nx.MultiDiGraph()
>>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"], mentions=[])
>>> len(to_rdf(g)), triple_count(g)
(5, 5)
"""
from __future__ import annotations

import gc
import hashlib
import heapq
from array import array
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Union

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, Namespace

from citegraph.graph.model import nx_graph
from citegraph.rdf.namespace import CG, ELI, PROV
from citegraph.rdf.skos import (body_concept, bind_prefixes, label_triples, place_concept, place_triples, relation_concept,
                                relation_properties, type_concept, unit_concept, unit_triples, vocabulary_labels)
from citegraph.text.units import unit, unit_fields
from citegraph.text.optional import require
from citegraph.text.vocab import vocabulary

if TYPE_CHECKING:  # pragma: no cover
    from citegraph.graph.model import GraphData

#: XML Schema datatypes (a plain Namespace: rdflib's DefinedNamespace warns under doctest collection).
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

#: Namespaces of the provenance IRIs that are subjects of their own (mentions, citations).
MENTION_NS = str(PROV) + "mention/"
CITATION_NS = str(PROV) + "citation/"


@contextmanager
def no_gc() -> Iterator[None]:
    """Cyclic GC paused: building and writing make millions of small acyclic objects, and each full
    collection would walk the whole graph again (superlinear time on large corpora).

    Nothing made under it may form a reference cycle: it would never be freed (see :mod:`citegraph.outputs.writers`).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ======================================================================================== terms
def _hid(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def mention_iri(node: str, m: dict[str, Any]) -> URIRef:
    """Deterministic IRI of a mention."""
    return PROV[f"mention/{_hid(node, m['source'], m['start'], m['end'])}"]


def citation_iri(u: str, v: str, d: dict[str, Any]) -> URIRef:
    """Deterministic IRI of a citation event."""
    return PROV[f"citation/{_hid(u, v, d['rel'], d['source'], d['start'], d['end'])}"]


#: A literal of the ``"text"`` backend: (lexical form, datatype IRI or None, language or None).
TextLiteral = tuple[str, Union[str, None], Union[str, None]]

_XSD_INTEGER = str(XSD.integer)


@lru_cache(maxsize=65536)
def _cached_text_literal(v: Any, dt: str | None) -> TextLiteral:
    return _rdflib_text_literal(v, dt)


def _rdflib_text_literal(v: Any, dt: str | None) -> TextLiteral:
    """What rdflib makes of ``Literal(v, datatype=dt)`` (its lexical normalisation included), as a tuple."""
    lit = Literal(v, datatype=URIRef(dt)) if dt else Literal(v)
    return (str(lit), str(lit.datatype) if lit.datatype is not None else None, lit.language)


def text_literal(v: Any, dt: str | None = None) -> TextLiteral:
    """The ``"text"`` backend's literal for a Python value (and datatype IRI): rdflib's lexical form, as a tuple.

    Strings and integers are made directly; anything else (dates, floats...) goes through rdflib once per
    distinct value, so the lexical form is exactly the one ``rdflib.Literal`` gives.

    >>> text_literal("a"), text_literal(2024), text_literal("2024-05-01", str(XSD.date))
    (('a', None, None), ('2024', 'http://www.w3.org/2001/XMLSchema#integer', None), \
('2024-05-01', 'http://www.w3.org/2001/XMLSchema#date', None))
    """
    if dt is None:
        if type(v) is str:
            return (v, None, None)
        if type(v) is int:
            return (str(v), _XSD_INTEGER, None)
    try:
        return _cached_text_literal(v, dt)
    except TypeError:  # an unhashable value
        return _rdflib_text_literal(v, dt)


#: Language of the texts: Vietnamese literals (labels, titles, names, issuers, matched text) are tagged with it.
LANG = "vi"


class _Terms:
    """Makes RDF terms for one backend: ``iri(str)``, ``lit(value, datatype=None)`` and ``vi(text)`` (a literal
    tagged :data:`LANG`); ``c`` caches fixed IRIs.

    Backends: ``"rdflib"`` (``URIRef``/``Literal``), ``"oxigraph"`` (pyoxigraph terms) and ``"text"``
    (``str`` IRIs and :data:`TextLiteral` tuples, see :func:`text_literal`; ``"key"`` is another name for it).
    """

    def __init__(self, backend: str = "rdflib") -> None:
        if backend == "key":
            backend = "text"
        self.backend = backend
        self._c: dict[str, Any] = {}
        self.iri: Any
        vi: Any
        if backend == "text":
            self.iri = str
            lit: Any = text_literal

            def vi(v: Any) -> Any:
                return (str(v), None, LANG)
        elif backend == "rdflib":
            self.iri = URIRef

            def lit(v: Any, dt: str | None = None) -> Any:
                return Literal(v, datatype=self.c(dt)) if dt else Literal(v)

            def vi(v: Any) -> Any:
                return Literal(str(v), lang=LANG)
        elif backend == "oxigraph":
            import pyoxigraph as ox

            self.iri = ox.NamedNode
            OL = ox.Literal

            def lit(v: Any, dt: str | None = None) -> Any:
                if dt:
                    return OL(str(v), datatype=self.c(dt))
                return OL(v) if isinstance(v, (str, int, float)) else OL(str(v))

            def vi(v: Any) -> Any:
                return OL(str(v), language=LANG)
        else:
            raise ValueError(f"unknown RDF term backend {backend!r}; known: rdflib, oxigraph, text")
        self.lit = lit
        self.vi = vi

    def conv(self, t: Any) -> Any:
        """An rdflib term (IRI or literal) as a term of this backend."""
        if self.backend == "rdflib":
            return t
        if self.backend == "text":
            if isinstance(t, Literal):
                return (str(t), str(t.datatype) if t.datatype is not None else None, t.language)
            return str(t)
        import pyoxigraph as ox

        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            return self.lit(str(t), str(t.datatype)) if t.datatype else self.lit(str(t))
        return self.c(str(t))

    def c(self, iri: str) -> Any:
        """The term of a fixed IRI (ontology terms, concepts), made once."""
        t = self._c.get(iri)
        if t is None:
            t = self._c[iri] = self.iri(str(iri))
        return t


_XSD_DATE = str(XSD.date)


@lru_cache(maxsize=4096)
def _body(issuer: str) -> tuple[str, str] | None:
    """The body concept of an issuer as named, and the body's canonical name (its label), if the vocabulary knows it."""
    b = vocabulary().body_for_text(issuer)
    return (str(body_concept(b.name)), b.name) if b is not None else None


def _body_iri(issuer: str) -> str | None:
    b = _body(issuer)
    return b[0] if b is not None else None


@lru_cache(maxsize=4096)
def _type_iri(name: str) -> str:
    return str(type_concept(name))


@lru_cache(maxsize=None)
def _relation_iris(rel: str) -> tuple[str, ...]:
    return tuple(str(p) for p in relation_properties(rel))


@lru_cache(maxsize=4096)
def _place_iri(jurisdiction: str) -> str:
    return str(place_concept(jurisdiction))


def _issuer_triples(s: Any, issuer: str, T: _Terms) -> list[tuple[Any, Any, Any]]:
    """The issuer of a document or registry entry: its name as stated and, when the vocabulary knows it, the body."""
    out = [(s, T.c(CG.issuerName), T.vi(issuer))]
    b = _body_iri(issuer)
    if b is not None:
        out.append((s, T.c(ELI.passed_by), T.c(b)))
    return out


def _node_triples(g: nx.MultiDiGraph, n: str, d: dict[str, Any], T: _Terms) -> list[tuple[Any, Any, Any]]:
    """The triples whose subject is node ``n``: its attributes and its outgoing relations."""
    c, L = T.c, T.lit
    s = T.iri(n)
    V = T.vi
    out = [(s, c(RDF.type), c(CG.Document)), (s, c(RDF.type), c(ELI.LegalResource)),
           (s, c(RDFS.label), V(d.get("label") or n)), (s, c(CG.kind), L(d.get("kind") or "numbered"))]
    add = out.append
    if d.get("type"):
        add((s, c(CG.typeName), V(d["type"])))
        add((s, c(ELI.type_document), c(_type_iri(d["type"]))))
    if d.get("type_code"):
        add((s, c(CG.typeCode), L(d["type_code"])))
    if d.get("symbol"):
        add((s, c(ELI.id_local), L(d["symbol"])))
    if d.get("name"):
        add((s, c(CG.name), V(d["name"])))
    if d.get("number") is not None:
        add((s, c(ELI.number), L(str(d["number"]))))
    if d.get("year") is not None:
        add((s, c(CG.year), L(int(d["year"]))))
    if d.get("date"):
        add((s, c(ELI.date_document), L(d["date"], _XSD_DATE)))
    if d.get("issuer"):
        out += _issuer_triples(s, d["issuer"], T)
    if d.get("jurisdiction"):
        add((s, c(CG.jurisdictionName), L(d["jurisdiction"])))
        add((s, c(ELI.jurisdiction), c(_place_iri(d["jurisdiction"]))))
    if d.get("today_code"):
        add((s, c(CG.todayJurisdiction), L(d["today_jurisdiction"])))
        add((s, c(CG.todayUnit), c(str(unit_concept(d["today_code"])))))
    for k, p in (("level", CG.level), ("system", CG.system), ("term", CG.term)):
        if d.get(k):
            add((s, c(p), L(d[k])))
    if d.get("title"):
        add((s, c(ELI.title), V(d["title"])))
    for f in d.get("sources") or []:
        add((s, c(CG.sourceFile), L(f)))
    for k in d.get("from_registry") or []:
        add((s, c(CG.fromRegistry), L(k)))
    for x in d.get("candidates") or []:
        add((s, c(CG.candidate), T.iri(x)))
    for m in d.get("mentions") or []:
        add((s, c(CG.mention), T.iri(str(mention_iri(n, m)))))
    if d.get("registry"):
        add((s, c(CG.registryEntry), T.iri(_registry_iri(n))))
    for _, w, e in g.out_edges(n, data=True):
        o = T.iri(w)
        for p in _relation_iris(e["rel"]):
            add((s, c(p), o))
    return out


def _registry_iri(n: str) -> str:
    return str(PROV[f"registry/{_hid(n)}"])


def _mention_triples(n: str, m: dict[str, Any], T: _Terms) -> list[tuple[Any, Any, Any]]:
    c, L = T.c, T.lit
    mi = T.iri(str(mention_iri(n, m)))
    out = [(mi, c(RDF.type), c(CG.Mention)), (mi, c(CG.sourceFile), L(m["source"])),
           (mi, c(CG.start), L(int(m["start"]))), (mi, c(CG.end), L(int(m["end"]))), (mi, c(CG.text), T.vi(m["text"]))]
    if m.get("sentence"):
        out.append((mi, c(CG.sentence), T.vi(m["sentence"])))
    if m.get("stated_date"):
        out.append((mi, c(CG.statedDate), L(m["stated_date"], _XSD_DATE)))
    if m.get("stated_issuer"):
        out.append((mi, c(CG.statedIssuer), T.vi(m["stated_issuer"])))
    if m.get("resolved_from"):
        out.append((mi, c(CG.resolvedFrom), T.iri(m["resolved_from"])))
    return out


def _registry_triples(n: str, reg: dict[str, Any], T: _Terms) -> list[tuple[Any, Any, Any]]:
    c, L = T.c, T.lit
    ri = T.iri(_registry_iri(n))
    out = [(ri, c(RDF.type), c(CG.RegistryEntry)), (ri, c(DCTERMS.source), L(reg["source"]))]
    add = out.append
    if reg.get("file"):
        add((ri, c(CG.sourceFile), L(reg["file"])))
    if reg.get("date"):
        add((ri, c(ELI.date_document), L(reg["date"], _XSD_DATE)))
    if reg.get("issuer"):
        out += _issuer_triples(ri, reg["issuer"], T)
    for k, p, mk in (("symbol", ELI.id_local, L), ("title", ELI.title, T.vi), ("type", CG.typeName, T.vi),
                     ("name", CG.name, T.vi), ("jurisdiction", CG.jurisdictionName, L)):
        if reg.get(k):
            add((ri, c(p), mk(reg[k])))
    return out


def _citation_triples(u: str, w: str, d: dict[str, Any], T: _Terms) -> list[tuple[Any, Any, Any]]:
    c, L = T.c, T.lit
    ci = T.iri(str(citation_iri(u, w, d)))
    out = [(ci, c(RDF.type), c(CG.Citation)), (ci, c(CG.citing), T.iri(u)), (ci, c(CG.cited), T.iri(w)),
           (ci, c(CG.relationType), c(str(relation_concept(d["rel"])))), (ci, c(CG.sourceFile), L(d["source"])),
           (ci, c(CG.start), L(int(d["start"]))), (ci, c(CG.end), L(int(d["end"])))]
    if d.get("cue"):
        out.append((ci, c(CG.cue), T.vi(d["cue"])))
    if d.get("sentence"):
        out.append((ci, c(CG.sentence), T.vi(d["sentence"])))
    return out


def _concept_triples(g: nx.MultiDiGraph, T: _Terms) -> list[tuple[Any, Any, Any]]:
    """What the graph says of the concepts it links to: the places (units and their ``skos:broader``), the
    document types, the issuing bodies and the relation types, each with its label (:func:`label_triples`)."""
    places: set[str] = set()
    units: set[str] = set()
    types: dict[str, str] = {}
    bodies: dict[str, str] = {}
    for _, d in g.nodes(data=True):
        if d.get("jurisdiction"):
            places.add(d["jurisdiction"])
        if d.get("today_code"):
            units.add(d["today_code"])
        if d.get("type"):
            types.setdefault(_type_iri(d["type"]), d["type"])
        for issuer in (d.get("issuer"), (d.get("registry") or {}).get("issuer")):
            b = _body(issuer) if issuer else None
            if b is not None:
                bodies[b[0]] = b[1]
    rels = sorted({e["rel"] for _, _, e in g.edges(data=True)})
    known = vocabulary_labels()
    out: list[tuple[Any, Any, Any]] = []
    for j in sorted(places):
        out += place_triples(j)
    for code in sorted(units):
        out += unit_triples(code)
    for iri, name in sorted(types.items()):
        out += label_triples(URIRef(iri), known.get(iri) or name, "doc-type")
    for iri, name in sorted(bodies.items()):
        out += label_triples(URIRef(iri), name, "body")
    labels = {r["name"]: r["label"] for r in vocabulary().relations}
    for r in rels:
        out += label_triples(relation_concept(r), labels.get(r, r), "relation", lang="en")
    return [(T.conv(s), T.conv(p), T.conv(o)) for s, p, o in dict.fromkeys(out)]


def iter_triples(G: Union["GraphData", nx.MultiDiGraph], backend: str = "rdflib") -> Iterator[tuple[Any, Any, Any]]:
    """Every triple of the RDF view of the networkx graph, as rdflib (``"rdflib"``) or pyoxigraph (``"oxigraph"``) terms.

    Nothing is held but the current node's triples: the RDF view of a large graph streams into a store.
    """
    g = nx_graph(G)
    T = _Terms(backend)
    for n, d in g.nodes(data=True):
        yield from _node_triples(g, n, d, T)
        for m in d.get("mentions") or []:
            yield from _mention_triples(n, m, T)
        if d.get("registry"):
            yield from _registry_triples(n, d["registry"], T)
    yield from _concept_triples(g, T)
    for u, w, d in g.edges(data=True):
        yield from _citation_triples(u, w, d, T)


def to_rdf(G: Union["GraphData", nx.MultiDiGraph]) -> Graph:
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
    out = bind_prefixes(Graph())
    add = out.add
    for t in iter_triples(G, "rdflib"):
        add(t)
    return out


def to_oxigraph(G: Union["GraphData", nx.MultiDiGraph], store: Any = None, graph: str | None = None) -> Any:
    """The RDF view of the networkx graph loaded into a ``pyoxigraph.Store`` (a new in-memory one by default).

    About six times faster than :func:`to_rdf` and far smaller in memory; ``graph`` names the graph
    the triples go to (default graph otherwise).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"], mentions=[])
    >>> len(to_oxigraph(g)) == len(to_rdf(g))
    True
    """
    import pyoxigraph as ox

    st = store if store is not None else ox.Store()
    gn = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    Q = ox.Quad

    def quads() -> Iterator[Any]:
        for s, p, o in iter_triples(G, "oxigraph"):
            yield Q(s, p, o, gn)

    st.bulk_extend(quads())
    return st


def subject_groups(G: Union["GraphData", nx.MultiDiGraph], T: _Terms,
                   key: Callable[[str], str] | None = None) -> Iterator[tuple[str, dict[Any, set[Any]]]]:
    """(subject IRI, predicate → objects) for every subject of the RDF view, sorted by ``key(IRI)`` (the IRI).

    Each subject's triples are made when it comes: what is held is one locator per subject. Nodes,
    registry entries and concepts are few and keep theirs as tuples; mentions and citations (most subjects
    of a large graph) are held as the 64-bit numbers their IRIs end in (16 hex digits) in ``array`` buffers,
    with what finds them again (node and mention indices; the edge's ``(u, v, key)``), ordered by a numpy
    argsort and made into IRIs as they are written. A key that moves the provenance IRIs gets them all as
    strings instead.

    Parameters
    ----------
    G : CitationGraph or networkx.MultiDiGraph
        The graph.
    T : _Terms
        The term backend of the objects and predicates.
    key : callable, optional
        Sort key of a subject IRI (default: the IRI). It must be one-to-one.

    Yields
    ------
    tuple
        The subject IRI (a ``str``) and its predicates, each with the set of its objects.
    """
    import numpy as np

    g = nx_graph(G)
    k = key if key is not None else _same
    # the provenance subjects sort by their IRIs, i.e. by the hex digits, when the key leaves them alone
    compact = all(k(ns + "0123456789abcdef") == ns + "0123456789abcdef" for ns in (MENTION_NS, CITATION_NS))
    nodes = list(g)
    few: list[tuple[str, str, int, Any]] = []  # (sort key, subject IRI, kind, where)
    m_hash, m_node, m_idx = array("Q"), array("q"), array("q")
    for ni, n in enumerate(nodes):
        d = g.nodes[n]
        few.append((k(n), n, 0, n))
        for i, m in enumerate(d.get("mentions") or []):
            h = _hid(n, m["source"], m["start"], m["end"])
            if compact:
                m_hash.append(int(h, 16))
                m_node.append(ni)
                m_idx.append(i)
            else:
                iri = MENTION_NS + h
                few.append((k(iri), iri, 1, (n, i)))
        if d.get("registry"):
            iri = _registry_iri(n)
            few.append((k(iri), iri, 2, n))
    edges: list[tuple[str, str, int]] = []
    c_hash = array("Q")
    for u, w, ek, d in g.edges(keys=True, data=True):
        h = _hid(u, w, d["rel"], d["source"], d["start"], d["end"])
        if compact:
            c_hash.append(int(h, 16))
            edges.append((u, w, ek))
        else:
            iri = CITATION_NS + h
            few.append((k(iri), iri, 3, (u, w, ek)))
    concepts: dict[str, list[tuple[Any, Any, Any]]] = {}
    for t in _concept_triples(g, T):
        concepts.setdefault(str(t[0]), []).append(t)
    for p in concepts:
        few.append((k(p), p, 4, p))
    few.sort(key=itemgetter(0))

    def hashed(ns: str, hashes: "array[int]", kind: int, where: Callable[[int], Any]) -> Iterator[tuple[str, str, int, Any]]:
        arr = np.frombuffer(hashes, dtype=np.uint64) if len(hashes) else np.zeros(0, dtype=np.uint64)
        for j in np.argsort(arr, kind="stable").tolist():
            iri = f"{ns}{hashes[j]:016x}"
            yield iri, iri, kind, where(j)

    streams = [iter(few)]
    if compact:
        streams.append(hashed(MENTION_NS, m_hash, 1, lambda j: (nodes[m_node[j]], m_idx[j])))
        streams.append(hashed(CITATION_NS, c_hash, 3, edges.__getitem__))

    def triples(kind: int, where: Any) -> list[tuple[Any, Any, Any]]:
        if kind == 0:
            return _node_triples(g, where, g.nodes[where], T)
        if kind == 1:
            return _mention_triples(where[0], g.nodes[where[0]]["mentions"][where[1]], T)
        if kind == 2:
            return _registry_triples(where, g.nodes[where]["registry"], T)
        if kind == 3:
            return _citation_triples(where[0], where[1], g.edges[where], T)
        return concepts[where]

    merged = heapq.merge(*streams, key=itemgetter(0)) if len(streams) > 1 else streams[0]
    cur_key: str | None = None
    cur_iri = ""
    preds: dict[Any, set[Any]] = {}
    for sk, iri, kind, where in merged:
        if sk != cur_key:
            if cur_key is not None:
                yield cur_iri, preds
            cur_key, cur_iri, preds = sk, iri, {}
        for _, p, o in triples(kind, where):
            preds.setdefault(p, set()).add(o)
    if cur_key is not None:
        yield cur_iri, preds


def _same(x: str) -> str:
    return x


#: The old private name of :func:`subject_groups`.
_subject_groups = subject_groups


def triple_count(G: Union["GraphData", nx.MultiDiGraph]) -> int:
    """Number of distinct triples of the RDF view, counted without making it.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"], mentions=[])
    >>> triple_count(g) == len(to_rdf(g))
    True
    """
    with no_gc():
        return sum(len(objs) for _, preds in subject_groups(G, _Terms("text")) for objs in preds.values())


def from_rdf(rdf: Graph) -> nx.MultiDiGraph:
    """Read the networkx view back from an RDF graph written by :func:`to_rdf` (round trip).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"],
    ...            mentions=[], candidates=[], year=2024)
    >>> h = from_rdf(to_rdf(g))
    >>> h.nodes["https://w3id.org/citegraph/id/doc/a"]["year"], h.nodes["https://w3id.org/citegraph/id/doc/a"]["sources"]
    (2024, ['a.txt'])
    """
    T = _Terms("text")
    return from_triples((str(s), str(p), T.conv(o)) for s, p, o in rdf)


_OX_PLAIN = ("http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")


def read_turtle(source: Any) -> nx.MultiDiGraph:
    """The networkx view of a Turtle file written by citegraph (a path or a binary file), parsed by Oxigraph
    without building an rdflib graph (a graph of half a million triples reads in seconds).

    Raises ``SyntaxError`` when the text is not Turtle.
    """
    import pyoxigraph as ox

    def triples(fh: Any) -> Iterator[tuple[str, str, Any]]:
        return plain_triples(ox.parse(fh, ox.RdfFormat.TURTLE))

    if isinstance(source, (str, bytes)) or hasattr(source, "__fspath__"):
        with open(source, "rb") as fh:
            return from_triples(triples(fh))
    return from_triples(triples(source))


def plain_triples(items: Iterable[Any]) -> Iterator[tuple[str, str, Any]]:
    """pyoxigraph triples or quads as :func:`from_triples` takes them: subject and predicate IRIs, the object
    an IRI or ``(text, datatype or None for a plain string, language)``."""
    from pyoxigraph import Literal

    for t in items:
        o = t.object
        if isinstance(o, Literal):
            dt = o.datatype.value if o.datatype is not None else None
            yield t.subject.value, t.predicate.value, (o.value, None if dt in _OX_PLAIN else dt, o.language)
        else:
            yield t.subject.value, t.predicate.value, o.value


def from_triples(triples: Iterable[tuple[str, str, Any]]) -> nx.MultiDiGraph:
    """The networkx view from the triples of its RDF view in the ``"text"`` form (IRIs as ``str``, literals as
    :data:`TextLiteral` tuples): what :func:`from_rdf` and :func:`read_turtle` read."""
    by_s: dict[str, dict[str, list[Any]]] = {}
    for s, p, o in triples:
        by_s.setdefault(s, {}).setdefault(p, []).append(o)
    rdf_type, doc_class, cit_class = str(RDF.type), str(CG.Document), str(CG.Citation)
    integer = _XSD_INTEGER

    def py(o: Any) -> Any:
        if type(o) is str:
            return o
        lexical, dt, _ = o
        if dt == integer:
            try:
                return int(lexical)
            except ValueError:
                return lexical
        return lexical

    def one(s: str, p: Any) -> Any:
        vals = by_s.get(s, {}).get(str(p))
        return py(vals[0]) if vals else None

    def many(s: str, p: Any) -> list[Any]:
        return [py(o) for o in by_s.get(s, {}).get(str(p), [])]

    G = nx.MultiDiGraph()
    for s in sorted(x for x, preds in by_s.items() if doc_class in preds.get(rdf_type, ())):
        d: dict[str, Any] = {
            "label": one(s, RDFS.label), "kind": one(s, CG.kind), "type": one(s, CG.typeName),
            "type_code": one(s, CG.typeCode), "symbol": one(s, ELI.id_local), "name": one(s, CG.name),
            "number": one(s, ELI.number), "year": one(s, CG.year), "date": one(s, ELI.date_document),
            "issuer": one(s, CG.issuerName), "jurisdiction": one(s, CG.jurisdictionName),
            "level": one(s, CG.level), "system": one(s, CG.system), "term": one(s, CG.term),
            "sources": sorted(str(o) for o in many(s, CG.sourceFile)), "cited_by": 0,
            "candidates": sorted(str(o) for o in many(s, CG.candidate)), "title": one(s, ELI.title),
            "from_registry": sorted(str(o) for o in many(s, CG.fromRegistry)),
            **_today_of(one(s, CG.todayUnit)),
        }
        ms = []
        for mi in many(s, CG.mention):
            ms.append({"source": one(mi, CG.sourceFile), "start": one(mi, CG.start), "end": one(mi, CG.end),
                       "text": one(mi, CG.text), "sentence": one(mi, CG.sentence),
                       "stated_date": one(mi, CG.statedDate), "stated_issuer": one(mi, CG.statedIssuer),
                       "resolved_from": one(mi, CG.resolvedFrom)})
        d["mentions"] = sorted(ms, key=lambda m: (m["source"], m["start"], m["end"]))
        ri = one(s, CG.registryEntry)
        if ri is not None:
            reg = {"id": s, "source": one(ri, DCTERMS.source), "symbol": one(ri, ELI.id_local),
                   "name": one(ri, CG.name), "type": one(ri, CG.typeName), "date": one(ri, ELI.date_document),
                   "issuer": one(ri, CG.issuerName), "jurisdiction": one(ri, CG.jurisdictionName),
                   "title": one(ri, ELI.title), "file": one(ri, CG.sourceFile)}
            d["registry"] = {k: v for k, v in reg.items() if v is not None}
        else:
            d["registry"] = None
        G.add_node(s, **d)
    events = []
    for ci, preds in by_s.items():
        if cit_class not in preds.get(rdf_type, ()):
            continue
        rc = one(ci, CG.relationType)
        rel = str(rc).rsplit("/", 1)[-1] if rc is not None else "cites"
        events.append((str(one(ci, CG.citing)), str(one(ci, CG.cited)),
                       {"rel": rel, "cue": one(ci, CG.cue), "source": one(ci, CG.sourceFile),
                        "start": one(ci, CG.start), "end": one(ci, CG.end), "sentence": one(ci, CG.sentence)}))
    for u, v, d in sorted(events, key=lambda e: (e[0], e[1], e[2]["source"], e[2]["start"], e[2]["rel"])):
        G.add_edge(u, v, **d)
    for n in G:
        G.nodes[n]["cited_by"] = G.in_degree(n)
    return G


def _today_of(unit_iri: str | None) -> dict[str, Any]:
    """The ``today_*`` node attributes of a ``cg:todayUnit`` IRI (all None without one, or for a code the
    table does not know)."""
    code = str(unit_iri).rsplit("/", 1)[-1] if unit_iri is not None else None
    try:
        return unit_fields(unit(code) if code else None)
    except KeyError:
        return unit_fields(None)


def shapes_graph() -> Graph:
    """The SHACL shapes of ``ontology/shapes.ttl``."""
    from importlib import resources

    return Graph().parse(data=resources.files("citegraph.ontology").joinpath("shapes.ttl").read_text("utf-8"),
                         format="turtle")


def ontology_graph() -> Graph:
    """The OWL ontology of ``ontology/citegraph.ttl``."""
    from importlib import resources

    return Graph().parse(data=resources.files("citegraph.ontology").joinpath("citegraph.ttl").read_text("utf-8"),
                         format="turtle")


def validate(rdf: Graph, inference: str = "none") -> tuple[bool, str]:
    """Validate an RDF graph against the SHACL shapes; returns (conforms, report text).

    ``inference="rdfs"`` first adds what RDFS entails from the graph and the ontology (``ontology/citegraph.ttl``,
    pyshacl's ``ont_graph``), as a user validating with inference does: a built graph conforms either way.

    >>> validate(to_rdf(nx.MultiDiGraph()))[0], validate(to_rdf(nx.MultiDiGraph()), inference="rdfs")[0]
    (True, True)
    """
    shacl_validate = require("pyshacl", "SHACL validation").validate
    if inference not in ("none", "rdfs"):
        raise ValueError(f"inference must be 'none' or 'rdfs', not {inference!r}")
    ont = ontology_graph() if inference == "rdfs" else None
    conforms, _, text = shacl_validate(rdf, shacl_graph=shapes_graph(), ont_graph=ont, inference=inference,
                                       advanced=True)
    return bool(conforms), str(text)

