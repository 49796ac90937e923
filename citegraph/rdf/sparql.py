"""Canned SPARQL queries for the questions of :mod:`citegraph.graph.queries`, against the RDF view.

Values are always bound, never pasted: an rdflib graph gets ``initBindings``, an Oxigraph store
``substitutions``, an HTTP endpoint a ``VALUES`` block whose terms are serialised and checked
(:func:`sparql_term`). The relation properties in the paths come from ``ontology/relations.json``.

A *target* is a :class:`~citegraph.corpus.CitationGraph`, an ``rdflib.Graph``, a
:class:`citegraph.store.Store`, a ``pyoxigraph.Store`` (data in its default graph) or a
:class:`citegraph.store.Endpoint`.

Examples
--------
>>> from citegraph.corpus import to_rdf
>>> from citegraph.graph.queries import toy_graph
>>> g = to_rdf(toy_graph())
>>> [i.rsplit("/", 1)[-1] for i in grounds(g, "https://w3id.org/citegraph/id/doc/0123456789abcdef")]
['114', '114', '33']
>>> by_symbol(g, '114-KL/TW" } ?x ?y ?z {')   # a hostile string is only ever a literal
[]
"""
from __future__ import annotations

import re
from typing import Any

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.term import Node

from citegraph.graph.model import GraphData
from citegraph.graph.queries import _unit
from citegraph.rdf.namespace import CG, ELI
from citegraph.rdf.triples import to_oxigraph
from citegraph.text.identity import full_id
from citegraph.rdf.skos import relation_property
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
    "coverage": _q("SELECT DISTINCT ?doc ?implementer ?jurisdiction WHERE { ?implementer $PATH+ ?doc . "
                   "?implementer cg:jurisdictionName ?jurisdiction . FILTER (?implementer != ?doc) } "
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
def _doc(doc: str) -> URIRef:
    return URIRef(full_id(doc))


def grounds(target: Any, doc: str) -> list[str]:
    """IRIs of every document ``doc`` rests on (transitively), sorted."""
    return [r["ground"] for r in select(target, QUERIES["grounds"], {"doc": _doc(doc)})]


def implementers(target: Any, doc: str) -> list[str]:
    """IRIs of every document below ``doc`` (citing it, transitively), sorted."""
    return [r["implementer"] for r in select(target, QUERIES["implementers"], {"doc": _doc(doc)})]


def coverage(target: Any, doc: str, level: str = "province") -> dict[str, list[str]]:
    """Jurisdictions of ``level`` that follow ``doc`` up → their implementers (cf. :func:`citegraph.graph.queries.coverage`)."""
    out: dict[str, list[str]] = {}
    for r in select(target, QUERIES["coverage"], {"doc": _doc(doc)}):
        u = _unit(r["jurisdiction"], level)
        if u:
            out.setdefault(u, []).append(r["implementer"])
    return {k: sorted(set(v)) for k, v in sorted(out.items())}


def most_cited(target: Any, n: int = 10) -> list[tuple[str, int]]:
    """The ``n`` documents cited by the most source texts, as (IRI, count)."""
    rows = select(target, QUERIES["most_cited"])
    return [(r["doc"], int(r["n"])) for r in rows][: int(n)]


def by_symbol(target: Any, symbol: str) -> list[str]:
    """IRIs of the documents with this symbol (``eli:id_local``)."""
    return [r["doc"] for r in select(target, QUERIES["by_symbol"], {"symbol": Literal(symbol)})]


def date_conflicts(target: Any) -> list[tuple[str, int]]:
    """Documents cited with more than one date, as (IRI, number of dates)."""
    return [(r["doc"], int(r["n"])) for r in select(target, QUERIES["date_conflicts"])]


__all__ = ["QUERIES", "by_symbol", "coverage", "date_conflicts", "grounds", "implementers", "most_cited",
           "oxigraph_select", "select", "sparql_term", "with_values"]
