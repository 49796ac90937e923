"""Canned SPARQL queries for the questions of :mod:`citegraph.graph.queries`, against the RDF view.

Values are always bound, never pasted: an rdflib graph gets ``initBindings``, an Oxigraph store
``substitutions``, an HTTP endpoint a ``VALUES`` block whose terms are serialised and checked
(:func:`sparql_term`). The relation properties in the paths come from ``ontology/relations.json``.

A *target* is a :class:`~citegraph.corpus.CitationGraph`, an ``rdflib.Graph``, a
:class:`citegraph.store.Store`, a ``pyoxigraph.Store`` (data in its default graph) or a
:class:`citegraph.store.Endpoint`. The questions take the arguments of their networkx versions: a document
as an IRI, a relative id or a symbol (:func:`resolve`, raising ``UnknownDocument`` / ``AmbiguousDocument``),
``rels`` and ``max_depth`` for :func:`grounds` and :func:`implementers`, ``level`` and ``universe`` for
:func:`coverage` (which returns the same :class:`~citegraph.graph.queries.Coverage`), ``by``, ``level``,
``system`` and ``rel`` for :func:`most_cited`.

Examples
--------
>>> from citegraph.corpus import to_rdf
>>> from citegraph.graph.queries import toy_graph
>>> g = to_rdf(toy_graph())
>>> [i.rsplit("/", 1)[-1] for i in grounds(g, "https://w3id.org/citegraph/id/doc/0123456789abcdef")]
['114', '114', '33']
>>> [i.rsplit("/", 1)[-1] for i in implementers(g, "114-KL/TW", max_depth=1)]
['247', '114']
>>> by_symbol(g, '114-KL/TW" } ?x ?y ?z {')   # a hostile string is only ever a literal
[]
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Node

from citegraph.graph.model import AmbiguousDocument, GraphData, UnknownDocument
from citegraph.graph.model import resolve as resolve_nx
from citegraph.graph.queries import Coverage, all_units, grouping, unit_key
from citegraph.rdf.namespace import CG, ELI
from citegraph.rdf.triples import to_oxigraph
from citegraph.text.identity import full_id, id_key
from citegraph.rdf.skos import relation_concept, relation_property
from citegraph.text.normalize import fold
from citegraph.text.units import unit, unit_fields
from citegraph.text.vocab import vocabulary

PREFIXES = f"PREFIX cg: <{CG}>\nPREFIX eli: <{ELI}>\n"

_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def relation_path() -> str:
    """The SPARQL alternative path of every relation property (from the vocabulary, not from users).

    >>> relation_path().count("|") + 1 == len(vocabulary().relation_names())
    True
    """
    props = sorted({relation_property(n) for n in vocabulary().relation_names()})
    return "(" + "|".join(f"<{p}>" for p in props) + ")"


def _q(body: str) -> str:
    return PREFIXES + body.replace("$PATH", relation_path())


#: The canned queries, by name. Variables bound by the caller (``?doc``, ``?symbol``) are projected too,
#: as SEP-0007 substitution (Oxigraph) requires.
QUERIES: dict[str, str] = {
    "grounds": _q("SELECT DISTINCT ?doc ?ground WHERE { ?doc $PATH+ ?ground . FILTER (?ground != ?doc) } ORDER BY ?ground"),
    "implementers": _q("SELECT DISTINCT ?doc ?implementer WHERE { ?implementer $PATH+ ?doc . "
                       "FILTER (?implementer != ?doc) } ORDER BY ?implementer"),
    "coverage": _q("SELECT DISTINCT ?doc ?implementer ?jurisdiction ?level ?unit WHERE { ?implementer $PATH+ ?doc . "
                   "?implementer cg:jurisdictionName ?jurisdiction . OPTIONAL { ?implementer cg:level ?level } "
                   "OPTIONAL { ?implementer cg:todayUnit ?unit } FILTER (?implementer != ?doc) } "
                   "ORDER BY ?implementer"),
    "most_cited": _q("SELECT ?doc (COUNT(DISTINCT ?src) AS ?n) WHERE { ?c a cg:Citation ; cg:cited ?doc ; "
                     "cg:sourceFile ?src . } GROUP BY ?doc ORDER BY DESC(?n) ?doc"),
    "by_symbol": _q("SELECT DISTINCT ?symbol ?doc WHERE { ?doc a cg:Document ; eli:id_local ?symbol . } ORDER BY ?doc"),
    "date_conflicts": _q("SELECT ?doc (COUNT(DISTINCT ?date) AS ?n) WHERE { ?doc cg:mention ?m . "
                         "?m cg:statedDate ?date . } GROUP BY ?doc HAVING (COUNT(DISTINCT ?date) > 1) ORDER BY ?doc"),
}


def sparql_term(t: Node) -> str:
    """A term in SPARQL syntax, refusing IRIs that could break out of ``<...>``.

    >>> sparql_term(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    >>> sparql_term(URIRef("http://x/a> } DROP ALL {"))
    Traceback (most recent call last):
    ...
    ValueError: not a valid IRI for a query: 'http://x/a> } DROP ALL {'
    """
    if isinstance(t, URIRef):
        if _IRI_BAD.search(str(t)) or ":" not in str(t):
            raise ValueError(f"not a valid IRI for a query: {str(t)!r}")
        return f"<{t}>"
    if isinstance(t, Literal):
        body = '"' + "".join(_ESC.get(c, c) for c in str(t)) + '"'
        if t.language:
            if not re.fullmatch(r"[A-Za-z]+(-[A-Za-z0-9]+)*", t.language):
                raise ValueError(f"not a valid language tag: {t.language!r}")
            return f"{body}@{t.language}"
        if t.datatype and str(t.datatype) != "http://www.w3.org/2001/XMLSchema#string":
            return f"{body}^^{sparql_term(URIRef(t.datatype))}"
        return body
    raise ValueError(f"cannot bind {t!r} in a query")


_ESC = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def with_values(query: str, bindings: dict[str, Node]) -> str:
    """The query with a ``VALUES`` block binding the variables (for endpoints without substitutions).

    >>> with_values("SELECT ?x WHERE { ?x ?p ?doc }", {"doc": URIRef("http://e/d")})
    'SELECT ?x WHERE { VALUES (?doc) { (<http://e/d>) } ?x ?p ?doc }'
    """
    if not bindings:
        return query
    names = sorted(bindings)
    block = ("VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
             + " ".join(sparql_term(bindings[n]) for n in names) + ") } ")
    m = re.search(r"WHERE\s*\{", query, re.I)
    if not m:
        raise ValueError("the query has no WHERE clause to bind values in")
    return query[:m.end()] + " " + block + query[m.end():].lstrip()


def _py(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, Literal):
        p = v.toPython()
        return p if isinstance(p, (int, float)) else str(v)
    return str(v)


def select(target: Any, query: str, bindings: dict[str, Node] | None = None) -> list[dict[str, Any]]:
    """Run a SELECT query with bound values on any target; rows as dicts of Python values."""
    b = bindings or {}
    if isinstance(target, GraphData):  # its Oxigraph view (made on first use), not the rdflib one
        store = getattr(target, "oxigraph", None) or to_oxigraph(target.nx)
        try:
            return oxigraph_select(store, query, b)
        except RuntimeError:
            if not b:
                raise
            # Oxigraph substitutes only projected variables; bind the others with a VALUES block
            return oxigraph_select(store, with_values(query, b), {})
    if isinstance(target, Graph):
        res = target.query(query, initBindings={Variable(k): v for k, v in b.items()})
        names = [str(v) for v in res.vars or []]
        return [{n: _py(row[i]) for i, n in enumerate(names)} for row in res]
    if hasattr(target, "select"):  # citegraph Store / Endpoint
        return target.select(query, b)
    try:
        import pyoxigraph as ox
    except ImportError:  # pragma: no cover
        ox = None
    if ox is not None and isinstance(target, ox.Store):
        return oxigraph_select(target, query, b)
    raise TypeError(f"cannot query a {type(target).__name__}")


def to_oxigraph(t: Node) -> Any:
    """An rdflib term as a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype))) if t.datatype else ox.Literal(str(t))
    raise ValueError(f"cannot bind {t!r} in a query")


def from_oxigraph(t: Any) -> Any:
    """A pyoxigraph term as a Python value (IRI → str, literal → int/float/str)."""
    import pyoxigraph as ox

    if t is None:
        return None
    if isinstance(t, ox.Literal):
        return _py(Literal(t.value, datatype=URIRef(t.datatype.value) if t.datatype and not t.language else None,
                           lang=t.language))
    return t.value


def oxigraph_select(store: Any, query: str, bindings: dict[str, Node], **kw: Any) -> list[dict[str, Any]]:
    """SELECT on a pyoxigraph store with ``substitutions``."""
    import pyoxigraph as ox

    subs = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
    res = store.query(query, substitutions=subs, **kw)
    names = [v.value for v in res.variables]
    return [{n: from_oxigraph(sol[n]) for n in names} for sol in res]


# ============================================================================= the canned questions
def _valid_iri(iri: str) -> bool:
    return ":" in iri and not _IRI_BAD.search(iri)


#: Each document with the names a user may give for it (cf. :func:`citegraph.graph.model.resolve`).
_NAMES = _q("SELECT ?doc ?symbol ?label ?name WHERE { ?doc a cg:Document . OPTIONAL { ?doc eli:id_local ?symbol } "
            "OPTIONAL { ?doc <http://www.w3.org/2000/01/rdf-schema#label> ?label } OPTIONAL { ?doc cg:name ?name } }")


def resolve(target: Any, doc: str) -> str:
    """The document IRI of ``doc`` in ``target``, given as :func:`citegraph.graph.model.resolve` takes it: an IRI,
    an id relative to ``https://w3id.org/citegraph/id/`` or a symbol, label or name (case and accents aside).

    Raises
    ------
    UnknownDocument
        When nothing matches.
    AmbiguousDocument
        When a symbol names several documents (the message lists them).

    Examples
    --------
    >>> from citegraph.corpus import to_rdf
    >>> from citegraph.graph.queries import toy_graph
    >>> resolve(to_rdf(toy_graph()), "114-kl/tw")
    'https://w3id.org/citegraph/id/party/central/tw/kl/xi/114'
    """
    if isinstance(target, GraphData):
        return resolve_nx(target.nx, doc)
    full = full_id(doc)
    for iri in dict.fromkeys((doc, full)):
        if _valid_iri(iri) and select(target, _q("SELECT ?doc WHERE { ?doc a cg:Document . }"), {"doc": URIRef(iri)}):
            return iri
    key = id_key(full)
    rows = select(target, _NAMES)
    for iri in sorted({r["doc"] for r in rows}):
        if id_key(iri) == key:
            return iri
    want = "".join(fold(doc).split())
    hits = sorted({r["doc"] for r in rows
                   if want in {"".join(fold(str(r[k] or "")).split()) for k in ("symbol", "label", "name")}})
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise AmbiguousDocument(f"{doc!r} names {len(hits)} documents: {', '.join(hits)}")
    raise UnknownDocument(f"{doc!r} is not a document of this graph")


def _values(var: str, terms: list[Node]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(sparql_term(t) for t in terms) + " } "


def _walk(target: Any, start: str, reverse: bool, rels: Iterable[str] | None, max_depth: int | None) -> list[str]:
    """The documents reached from ``start`` over citations (``reverse``: against them), as the networkx walk of
    :func:`citegraph.graph.queries.grounds` reaches them: by relation-type events, one step per query."""
    allowed = None
    if rels is not None:
        names = set(vocabulary().relation_names())
        unknown = sorted(set(rels) - names)
        if unknown:
            raise ValueError(f"unknown relation type(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
        allowed = _values("rt", [relation_concept(r) for r in sorted(set(rels))]) if rels else None
        if not rels:
            return []
    here, there = ("cited", "citing") if reverse else ("citing", "cited")
    step = ("SELECT DISTINCT ?y WHERE { $X ?c a cg:Citation ; cg:" + here + " ?x ; cg:" + there + " ?y ; "
            "cg:relationType ?rt . " + (allowed or "") + "}")
    seen = {start}
    frontier = [start]
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        nxt: set[str] = set()
        for i in range(0, len(frontier), 200):
            chunk = [URIRef(x) for x in frontier[i:i + 200]]
            for r in select(target, _q(step.replace("$X", _values("x", chunk)))):
                if r["y"] not in seen:
                    seen.add(r["y"])
                    nxt.add(r["y"])
        frontier = sorted(nxt)
        depth += 1
    return sorted(seen - {start})


def grounds(target: Any, doc: str, rels: Iterable[str] | None = None, max_depth: int | None = None) -> list[str]:
    """IRIs of every document ``doc`` rests on (transitively), sorted; the arguments of
    :func:`citegraph.graph.queries.grounds` (``doc`` an IRI, a relative id or a symbol; ``rels``; ``max_depth``)."""
    d = resolve(target, doc)
    if rels is None and max_depth is None:  # one property-path query
        return [r["ground"] for r in select(target, QUERIES["grounds"], {"doc": URIRef(d)})]
    return _walk(target, d, False, rels, max_depth)


def implementers(target: Any, doc: str, rels: Iterable[str] | None = None, max_depth: int | None = None) -> list[str]:
    """IRIs of every document below ``doc`` (citing it, transitively), sorted; the arguments of
    :func:`citegraph.graph.queries.implementers`."""
    d = resolve(target, doc)
    if rels is None and max_depth is None:
        return [r["implementer"] for r in select(target, QUERIES["implementers"], {"doc": URIRef(d)})]
    return _walk(target, d, True, rels, max_depth)


def coverage(target: Any, doc: str, level: str = "province", universe: Iterable[str] | None = None,
             by: str | None = None) -> Coverage:
    """Which jurisdictions of ``level`` follow ``doc`` up and which do not: :func:`citegraph.graph.queries.coverage`
    (same arguments, same :class:`~citegraph.graph.queries.Coverage`) answered by SPARQL."""
    by = grouping(level, by)
    d = resolve(target, doc)
    covered: dict[str, list[str]] = {}
    for r in select(target, QUERIES["coverage"], {"doc": URIRef(d)}):
        u = unit_key(_attrs(r), level, by)
        if u:
            covered.setdefault(u, []).append(r["implementer"])
    if universe is None:
        units = all_units(level, by)
        if units is None:
            rows = select(target, _q("SELECT DISTINCT ?jurisdiction ?level ?unit WHERE { ?d a cg:Document ; "
                                     "cg:jurisdictionName ?jurisdiction . OPTIONAL { ?d cg:level ?level } "
                                     "OPTIONAL { ?d cg:todayUnit ?unit } }"))
            units = {u for r in rows if (u := unit_key(_attrs(r), level, by))}
    else:
        units = set(universe)
    return Coverage(d, level, {k: sorted(set(v)) for k, v in sorted(covered.items())}, sorted(units - set(covered)))


def _attrs(row: dict[str, Any]) -> dict[str, Any]:
    """The attributes :func:`~citegraph.graph.queries.unit_key` reads, from a row with ``?jurisdiction``,
    ``?level`` and ``?unit`` (today's unit, when the graph states it)."""
    out = {"jurisdiction": row["jurisdiction"], "level": row.get("level")}
    if row.get("unit"):
        out.update(unit_fields(unit(str(row["unit"]).rsplit("/", 1)[-1])))
    return out


def most_cited(target: Any, n: int = 10, by: str = "sources", level: str | None = None,
               system: str | None = None, rel: str | None = None) -> list[tuple[str, int]]:
    """The ``n`` most cited documents as (IRI, count), most cited first, ties by IRI; the arguments of
    :func:`citegraph.graph.queries.most_cited` (``by`` counts distinct source texts, citing documents or
    citation events; ``level``, ``system``, ``rel`` filter)."""
    counted = {"sources": "?src", "citing": "?citing", "edges": "?c"}
    if by not in counted:
        raise ValueError(f"by must be 'sources', 'citing' or 'edges', not {by!r}")
    b: dict[str, Node] = {}
    where = "?c a cg:Citation ; cg:cited ?doc ; cg:citing ?citing ; cg:sourceFile ?src . "
    if level:
        where += "?doc cg:level ?level . "
        b["level"] = Literal(level)
    if system:
        where += "?doc cg:system ?system . "
        b["system"] = Literal(system)
    if rel:
        if rel not in vocabulary().relation_names():
            raise ValueError(f"unknown relation type {rel!r}; known: {', '.join(vocabulary().relation_names())}")
        where += "?c cg:relationType ?rt . "
        b["rt"] = relation_concept(rel)
    q = _q(f"SELECT ?doc (COUNT(DISTINCT {counted[by]}) AS ?n) WHERE {{ {where}}} GROUP BY ?doc ORDER BY DESC(?n) ?doc")
    # bound variables go in a VALUES block: an aggregate query projects only ?doc and ?n
    rows = select(target, with_values(q, b) if b else q)
    return [(r["doc"], int(r["n"])) for r in rows][: int(n)]


def by_symbol(target: Any, symbol: str) -> list[str]:
    """IRIs of the documents with this symbol (``eli:id_local``)."""
    return [r["doc"] for r in select(target, QUERIES["by_symbol"], {"symbol": Literal(symbol)})]


def date_conflicts(target: Any) -> list[tuple[str, int]]:
    """Documents cited with more than one date, as (IRI, number of dates)."""
    return [(r["doc"], int(r["n"])) for r in select(target, QUERIES["date_conflicts"])]


__all__ = ["QUERIES", "by_symbol", "coverage", "date_conflicts", "grounds", "implementers", "most_cited",
           "oxigraph_select", "resolve", "select", "sparql_term", "with_values"]
