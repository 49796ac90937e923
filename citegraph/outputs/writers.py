"""The files of a built graph: Turtle, JSON-LD, GraphML and HTML.

Every writer takes a path (written atomically) or a text file object.

Turtle (:func:`write_turtle`) and JSON-LD (:func:`write_jsonld`) are streamed from the networkx view,
one subject at a time (:func:`citegraph.rdf.triples.subject_groups`), as text: no rdflib term is made per
triple. Their bytes are those of ``canonical_turtle(to_rdf(G))`` and ``jsonld(to_rdf(G))``. JSON-LD has
a context of terms (:func:`jsonld_context`): a node reads ``"title": "…"``, ``"applies": "id:…"``.

* an IRI is written as rdflib's namespace manager writes it (``prefix:name`` when ``split_uri`` gives a
  bound namespace, else ``<IRI>``), from a fixed prefix table instead of rdflib's per-term lookups
  (whose namespace trie grows by one entry per distinct namespace and is scanned linearly: quadratic);
* a literal is escaped as ``rdflib.Literal.n3`` escapes it (:func:`turtle_literal`);
* the JSON of a node is made by :func:`_json_text`, the text of ``json.dumps(indent=1, sort_keys=True)``
  without the pure-Python encoder, whose closures form reference cycles: under :func:`citegraph.rdf.triples.no_gc`
  every call leaked them (8.5 GB on 100,000 documents).

Examples
--------
>>> import io
>>> g = nx.MultiDiGraph()
>>> g.add_node("https://w3id.org/citegraph/id/doc/a", label='say "hi"', kind="document", sources=["a.txt"], mentions=[])
>>> buf = io.StringIO(); write_turtle(g, buf, header=None)
5
>>> print(buf.getvalue().split("\\n\\n")[1])
<https://w3id.org/citegraph/id/doc/a> a eli:LegalResource,
        cg:Document ;
    rdfs:label "say \\"hi\\""@vi ;
    cg:kind "document" ;
    cg:sourceFile "a.txt" .
<BLANKLINE>
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union

import networkx as nx
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import _NUMERIC_INF_NAN_LITERAL_TYPES, _is_valid_uri

from citegraph.graph.model import GraphData, nx_graph
from citegraph.graph.queries import overview
from citegraph.outputs.html import RELATION_STYLES, layout, node_styles, to_html
from citegraph.io.atomic import atomic_open
from citegraph.rdf.triples import LANG, XSD, TextLiteral, _Terms, no_gc, subject_groups, to_rdf
from citegraph.rdf.skos import _PROV_EVENTS as _SKOS_PROV_EVENTS
from citegraph.rdf.skos import PREFIXES, TurtleWriter, canonical_turtle


_RDF_TYPE = str(RDF.type)
#: Namespaces of provenance IRIs (mentions, citations, registry entries): always written in full.
_PROV_EVENTS: tuple[str, ...] = _SKOS_PROV_EVENTS
_INF_NAN_TYPES = frozenset(str(t) for t in _NUMERIC_INF_NAN_LITERAL_TYPES)


# ========================================================================================== Turtle
def turtle_literal(lexical: str) -> str:
    """A lexical form quoted and escaped as ``rdflib.Literal.n3`` does (``\"\"\"`` when it holds a newline).

    >>> print(turtle_literal('a "b" \\\\ c'))
    "a \\"b\\" \\\\ c"
    >>> print(turtle_literal('line\\nline"'))
    \"\"\"line
    line\\\"\"\"\"
    """
    if "\n" in lexical:
        encoded = lexical.replace("\\", "\\\\")
        if '"""' in lexical:
            encoded = encoded.replace('"""', '\\"\\"\\"')
        if encoded[-1] == '"' and encoded[-2] != "\\":
            encoded = encoded[:-1] + "\\" + '"'
        return '"""%s"""' % encoded.replace("\r", "\\r")
    return '"%s"' % lexical.replace("\n", "\\n").replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")


class TurtleText:
    """Turtle text of ``"text"`` terms (:class:`citegraph.rdf.triples._Terms`), as :class:`citegraph.rdf.skos.TurtleWriter` writes rdflib's.

    ``head()`` is the header and the prefixes, ``block(subject, preds)`` one subject. IRIs are written
    with the prefixes of the writer's namespace manager, looked up in a table made once; the text of
    every IRI but the provenance ones (each seen once or twice) is kept.

    >>> t = TurtleText()
    >>> t.iri("https://w3id.org/citegraph/ontology#Document"), t.iri("https://w3id.org/citegraph/id/doc/a")
    ('cg:Document', '<https://w3id.org/citegraph/id/doc/a>')
    >>> t.term(("2024-05-01", "http://www.w3.org/2001/XMLSchema#date", None))
    '"2024-05-01"^^xsd:date'
    """

    def __init__(self, header: str | None = None) -> None:
        self._writer = TurtleWriter(header)
        nm = self._writer.nm
        self._nm = nm
        # what rdflib's store answers for each bound namespace (store.prefix), as normalizeUri asks it
        self._prefix: dict[str, str] = {}
        for _, ns in nm.namespaces():
            p = nm.store.prefix(URIRef(str(ns)))
            if p is not None:
                self._prefix[str(ns)] = p
        self._bound = tuple(self._prefix)
        self._iris: dict[str, str] = {}
        self._dts: dict[str, str] = {}

    def head(self) -> str:
        """The header comment and the ``@prefix`` lines."""
        return self._writer.head()

    def _normalize(self, iri: str) -> str:
        """``NamespaceManager.normalizeUri``: ``prefix:name`` when the namespace ``split_uri`` finds is bound."""
        if not iri.startswith(self._bound):  # then no split of it is a bound namespace
            return f"<{iri}>"
        try:
            ns, name = split_uri(iri)
        except ValueError:
            return f"<{iri}>"
        p = self._prefix.get(ns)
        return f"<{iri}>" if p is None else f"{p}:{name}"

    def iri(self, iri: str) -> str:
        """An IRI as ``URIRef.n3(namespace_manager)`` writes it."""
        if iri.startswith(_PROV_EVENTS):
            return f"<{iri}>"
        r = self._iris.get(iri)
        if r is None:
            if not _is_valid_uri(iri):
                raise ValueError(f'"{iri}" does not look like a valid URI, I cannot serialize this as N3/Turtle. '
                                 "Perhaps you wanted to urlencode it?")
            r = self._iris[iri] = self._normalize(iri)
        return r

    def term(self, t: Union[str, TextLiteral]) -> str:
        """An IRI (``str``) or a literal (tuple) as Turtle."""
        if type(t) is str:
            return self.iri(t)
        lexical, dt, lang = t  # type: ignore[misc]
        if lang:
            return f"{turtle_literal(lexical)}@{lang}"
        if dt is None:
            return turtle_literal(lexical)
        if dt in _INF_NAN_TYPES:  # INF / NaN spellings: rdflib's own code
            return Literal(lexical, datatype=URIRef(dt)).n3(self._nm)
        q = self._dts.get(dt)
        if q is None:
            q = self._dts[dt] = self._normalize(dt)
        return f"{turtle_literal(lexical)}^^{q}"

    def block(self, s: str, preds: dict[Any, Any]) -> str:
        """One subject and its triples, preceded by a blank line (:meth:`citegraph.rdf.skos.TurtleWriter.block`)."""
        out = []
        ps = sorted(preds, key=_pred_key)
        subj = self.iri(s)
        last = len(ps) - 1
        for i, p in enumerate(ps):
            ptxt = "a" if p == _RDF_TYPE else self.iri(p)
            body = (",\n" + " " * 8).join([self.term(o) for o in sorted(preds[p], key=_obj_key)])
            head = f"{subj} {ptxt} " if i == 0 else f"    {ptxt} "
            out.append(head + body + (" ;" if i < last else " ."))
        return "\n" + "\n".join(out) + "\n"


def _pred_key(p: str) -> tuple[bool, str]:
    return (p != _RDF_TYPE, p)


def _obj_key(o: Union[str, TextLiteral]) -> tuple[int, str]:
    """:func:`citegraph.rdf.skos._sort_key` of a ``"text"`` term: IRIs first, then literals by text, datatype, language."""
    if type(o) is str:
        return (0, o)
    return (2, f"{o[0]}\x00{o[1] or ''}\x00{o[2] or ''}")


@contextmanager
def open_output(target: Any) -> Iterator[Any]:
    """A text file to write to: ``target`` itself when it is a file object, else the path opened atomically
    (:func:`citegraph.io.atomic.atomic_open`: readers see the old file or the whole new one)."""
    if isinstance(target, (str, os.PathLike)):
        with atomic_open(target) as fh:
            yield fh
    else:
        yield target


def write_turtle(G: Union[GraphData, nx.MultiDiGraph], fh: Any,
                 header: str | None = "citegraph graph (generated)") -> int:
    """Write the RDF view as :func:`~citegraph.rdf.skos.canonical_turtle` text to ``fh`` (a path or a text file),
    streaming; returns the triple count.

    The bytes are those of ``canonical_turtle(to_rdf(G))``, but no RDF graph is built: subjects are
    sorted by IRI and each one's triples are made and written in turn, as text, so memory stays at the
    size of the networkx view (plus a few bytes per subject).

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"], mentions=[])
    >>> buf = io.StringIO(); n = write_turtle(g, buf)
    >>> buf.getvalue() == canonical_turtle(to_rdf(g), header="citegraph graph (generated)"), n
    (True, 5)
    """
    with open_output(fh) as out, no_gc():
        return _write_turtle(nx_graph(G), out, header)


def _write_turtle(g: nx.MultiDiGraph, fh: Any, header: str | None) -> int:
    w = TurtleText(header)
    fh.write(w.head())
    count = 0
    buf: list[str] = []
    for s, preds in subject_groups(g, _Terms("text")):
        count += sum(len(v) for v in preds.values())
        buf.append(w.block(s, preds))
        if len(buf) >= 2000:
            fh.write("".join(buf))
            buf.clear()
    fh.write("".join(buf))
    return count


# ========================================================================================= JSON-LD
#: The JSON-LD terms of ``graph.jsonld``: name → (IRI as a prefixed name, coercion). The coercion says which
#: values the bare term stands for: ``"@id"`` IRIs, ``"@vi"`` strings tagged ``vi``, ``"xsd:date"`` dates,
#: None plain strings and integers. A value of another shape is written under the prefixed name, in full.
JSONLD_TERMS: dict[str, tuple[str, Union[str, None]]] = {
    # classes
    "Document": ("cg:Document", None), "LegalResource": ("eli:LegalResource", None),
    "Mention": ("cg:Mention", None), "Citation": ("cg:Citation", None),
    "RegistryEntry": ("cg:RegistryEntry", None), "Concept": ("skos:Concept", None),
    # text in Vietnamese
    "label": ("rdfs:label", "@vi"), "prefLabel": ("skos:prefLabel", "@vi"), "title": ("eli:title", "@vi"),
    "typeName": ("cg:typeName", "@vi"), "name": ("cg:name", "@vi"), "issuerName": ("cg:issuerName", "@vi"),
    "text": ("cg:text", "@vi"), "sentence": ("cg:sentence", "@vi"), "statedIssuer": ("cg:statedIssuer", "@vi"),
    "cue": ("cg:cue", "@vi"),
    # codes, numbers, file names
    "kind": ("cg:kind", None), "typeCode": ("cg:typeCode", None), "symbol": ("eli:id_local", None),
    "number": ("eli:number", None), "year": ("cg:year", None), "level": ("cg:level", None),
    "system": ("cg:system", None), "term": ("cg:term", None), "jurisdictionName": ("cg:jurisdictionName", None),
    "todayJurisdiction": ("cg:todayJurisdiction", None), "notation": ("skos:notation", None),
    "sourceFile": ("cg:sourceFile", None), "fromRegistry": ("cg:fromRegistry", None), "start": ("cg:start", None),
    "end": ("cg:end", None), "source": ("dcterms:source", None),
    # dates
    "date": ("eli:date_document", "xsd:date"), "statedDate": ("cg:statedDate", "xsd:date"),
    # links
    "documentType": ("eli:type_document", "@id"), "passedBy": ("eli:passed_by", "@id"),
    "jurisdiction": ("eli:jurisdiction", "@id"), "candidate": ("cg:candidate", "@id"),
    "mention": ("cg:mention", "@id"), "registryEntry": ("cg:registryEntry", "@id"), "citing": ("cg:citing", "@id"),
    "cited": ("cg:cited", "@id"), "relationType": ("cg:relationType", "@id"),
    "resolvedFrom": ("cg:resolvedFrom", "@id"), "inScheme": ("skos:inScheme", "@id"),
    "broader": ("skos:broader", "@id"), "todayUnit": ("cg:todayUnit", "@id"),
    # relations between documents
    "cites": ("eli:cites", "@id"), "basedOn": ("eli:based_on", "@id"), "applies": ("eli:applies", "@id"),
    "amends": ("eli:amends", "@id"), "repeals": ("eli:repeals", "@id"), "replaces": ("cg:replaces", "@id"),
    "guides": ("cg:guides", "@id"),
}


def jsonld_context() -> dict[str, Any]:
    """The ``@context`` of ``graph.jsonld``: citegraph's prefixes and a term per class and property
    (:data:`JSONLD_TERMS`), so that a document reads ``"title": "…"``, ``"applies": "id:…"``.

    >>> ctx = jsonld_context()
    >>> ctx["cg"], ctx["title"], ctx["applies"]
    ('https://w3id.org/citegraph/ontology#', {'@id': 'eli:title', '@language': 'vi'}, {'@id': 'eli:applies', '@type': '@id'})
    """
    ctx: dict[str, Any] = dict(sorted(PREFIXES.items()))
    clash = set(ctx) & set(JSONLD_TERMS)
    if clash:  # pragma: no cover - a data mistake
        raise ValueError(f"JSON-LD terms named like prefixes: {sorted(clash)}")
    for term, (iri, coerce) in JSONLD_TERMS.items():
        if coerce is None:
            ctx[term] = iri
        elif coerce == "@vi":
            ctx[term] = {"@id": iri, "@language": LANG}
        else:
            ctx[term] = {"@id": iri, "@type": coerce}
    return ctx


class JsonLdText:
    """The JSON-LD text of subjects given as (IRI, predicate → objects) in ``"text"`` terms.

    IRIs are compacted with the longest prefix that holds them; each property gets its term when the value
    has the term's shape (:data:`JSONLD_TERMS`), else its prefixed name with the value in full (a value
    object). Nodes and values come out in a fixed order: the same graph always gives the same bytes.
    """

    def __init__(self) -> None:
        self.context = jsonld_context()
        self._ns = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda t: -len(t[0]))
        self._iris: dict[str, str] = {}
        self._terms: dict[str, tuple[str, Union[str, None]]] = {}
        for term, (pname, coerce) in JSONLD_TERMS.items():
            self._terms[self._expand(pname)] = (term, coerce)
        self._date = str(XSD.date)
        self._integer = str(XSD.integer)
        self._string = str(XSD.string)

    def _expand(self, pname: str) -> str:
        p, _, local = pname.partition(":")
        return PREFIXES[p] + local

    def iri(self, iri: str) -> str:
        """An IRI as a compact IRI (``prefix:rest``) when a prefix holds it, else in full."""
        if iri.startswith(_PROV_EVENTS):  # seen once or twice each, and written in full as in Turtle
            return iri
        r = self._iris.get(iri)
        if r is None:
            r = iri
            for ns, p in self._ns:
                if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                    r = f"{p}:{iri[len(ns):]}"
                    break
            if len(self._iris) < 500_000:
                self._iris[iri] = r
        return r

    def full_value(self, o: Union[str, TextLiteral]) -> Any:
        """A value in full: ``{"@id": …}`` or a value object (a plain string or a canonical integer as itself)."""
        if type(o) is str:
            return {"@id": self.iri(o)}
        lexical, dt, lang = o  # type: ignore[misc]
        if lang:
            return {"@language": lang, "@value": lexical}
        if dt is None or dt == self._string:
            return lexical
        if dt == self._integer and _canonical_int(lexical):
            return int(lexical)
        return {"@type": self.iri(dt), "@value": lexical}

    def short_value(self, o: Union[str, TextLiteral], coerce: Union[str, None]) -> Any:
        """The value as the bare term of coercion ``coerce`` stands for it, or None when it has another shape."""
        if coerce == "@id":
            return self.iri(o) if type(o) is str else None
        if type(o) is str:
            return None
        lexical, dt, lang = o  # type: ignore[misc]
        if coerce == "@vi":
            return lexical if lang == LANG else None
        if coerce == "xsd:date":
            return lexical if dt == self._date and not lang else None
        if lang:
            return None
        if dt is None or dt == self._string:
            return lexical
        if dt == self._integer and _canonical_int(lexical):
            return int(lexical)
        return None

    def node(self, s: str, preds: dict[Any, Any]) -> dict[str, Any]:
        """One subject as a JSON-LD node object."""
        node: dict[str, Any] = {"@id": self.iri(s)}
        by_key: dict[str, list[Any]] = {}
        for p, objs in preds.items():
            if p == _RDF_TYPE:
                types = []
                for o in objs:
                    t = self._terms.get(o)
                    types.append(t[0] if t is not None and t[1] is None else self.iri(o))
                by_key["@type"] = types
                continue
            term = self._terms.get(p)
            for o in objs:
                v = self.short_value(o, term[1]) if term is not None else None
                if v is not None:
                    by_key.setdefault(term[0], []).append(v)  # type: ignore[index]
                else:
                    by_key.setdefault(self.iri(p), []).append(self.full_value(o))
        for k, vals in by_key.items():
            node[k] = vals[0] if len(vals) == 1 else sorted(vals, key=_value_key)
        return node

    def write(self, groups: Iterable[tuple[str, dict[Any, Any]]], fh: Any) -> int:
        """Write the document: the context, then the nodes in the order given; returns their number."""
        head = json.dumps({"@context": self.context, "@graph": [0]}, ensure_ascii=False, indent=1, sort_keys=True)
        before, after = head.split("\n  0\n")
        fh.write(before + "\n")
        n = 0
        buf: list[str] = []
        for s, preds in groups:
            buf.append(("  " if n == 0 else ",\n  ") + _json_text(self.node(s, preds), "  "))
            n += 1
            if len(buf) >= 2000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))
        fh.write(("\n" if n else "") + after + "\n")
        return n


def _canonical_int(lexical: str) -> bool:
    try:
        return str(int(lexical)) == lexical
    except ValueError:
        return False


def _value_key(v: Any) -> str:
    return json.dumps(v, sort_keys=True, ensure_ascii=False)


def jsonld(rdf: Graph) -> str:
    """JSON-LD of an RDF graph with citegraph's context (:func:`jsonld_context`): the text :func:`write_jsonld` writes.

    >>> g = Graph(); _ = g.add((URIRef("https://w3id.org/citegraph/id/doc/a"), RDFS.label, Literal("Kế hoạch", lang="vi")))
    >>> print(jsonld(g).split('"@graph": ')[1])
    [
      {
       "@id": "id:doc/a",
       "label": "Kế hoạch"
      }
     ]
    }
    <BLANKLINE>
    """
    import io

    w = JsonLdText()
    T = _Terms("text")
    by_subject: dict[str, dict[Any, set[Any]]] = {}
    for s, p, o in rdf:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise ValueError("graph.jsonld has no blank nodes; give every resource an IRI")
        by_subject.setdefault(str(s), {}).setdefault(str(p), set()).add(T.conv(o))
    buf = io.StringIO()
    w.write(((s, by_subject[s]) for s in sorted(by_subject, key=w.iri)), buf)
    return buf.getvalue()


def _json_float(x: float) -> str:
    if x != x:
        return "NaN"
    if x == float("inf"):
        return "Infinity"
    if x == -float("inf"):
        return "-Infinity"
    return float.__repr__(x)


def _json_text(x: Any, indent: str = "") -> str:
    """``json.dumps(x, ensure_ascii=False, indent=1, sort_keys=True)`` with every line after the first
    indented by ``indent`` (for str, int, float, bool, None, lists, tuples and dicts with string keys).

    The standard library writes indented JSON with nested closures that refer to each other: every call
    leaves a reference cycle that only the cyclic GC frees. This one makes none.

    >>> x = {"b": [1, 2.5, True, None, {"@id": "é\\n"}], "a": {}, "c": []}
    >>> _json_text(x) == json.dumps(x, ensure_ascii=False, indent=1, sort_keys=True)
    True
    """
    if isinstance(x, str):
        return encode_basestring(x)
    if x is None:
        return "null"
    if x is True:
        return "true"
    if x is False:
        return "false"
    if isinstance(x, int):
        return int.__repr__(x)
    if isinstance(x, float):
        return _json_float(x)
    inner = indent + " "
    if isinstance(x, (list, tuple)):
        if not x:
            return "[]"
        return "[\n" + ",\n".join([inner + _json_text(v, inner) for v in x]) + "\n" + indent + "]"
    if isinstance(x, dict):
        if not x:
            return "{}"
        items = sorted(x.items())
        return "{\n" + ",\n".join([f"{inner}{encode_basestring(k)}: {_json_text(v, inner)}" for k, v in items]) \
            + "\n" + indent + "}"
    raise TypeError(f"Object of type {type(x).__name__} is not JSON serializable")


def write_jsonld(G: Union[GraphData, nx.MultiDiGraph], fh: Any) -> int:
    """Write the RDF view as JSON-LD to ``fh`` (a path or a text file), streaming: no RDF graph is built.

    The text is :func:`jsonld`'s of ``to_rdf(G)``: the context of :func:`jsonld_context`, then one node per
    subject, sorted by compact IRI. Returns the number of nodes written.

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"], mentions=[])
    >>> g.add_node("https://w3id.org/citegraph/id/doc/b", label="b", kind="document", sources=["b.txt"], mentions=[])
    >>> buf = io.StringIO(); n = write_jsonld(g, buf)
    >>> buf.getvalue() == jsonld(to_rdf(g)), n
    (True, 2)
    """
    with open_output(fh) as out, no_gc():
        w = JsonLdText()
        return w.write(subject_groups(nx_graph(G), _Terms("text"), key=w.iri), out)


# ==================================================================================== GraphML, HTML
def _rgb(colour: str) -> dict[str, int]:
    h = colour.lstrip("#")
    return {"r": int(h[0:2], 16), "g": int(h[2:4], 16), "b": int(h[4:6], 16)}


def drawing(G: Union[GraphData, nx.MultiDiGraph]) -> tuple[dict[Any, dict[str, Any]], dict[Any, dict[str, Any]]]:
    """How ``graph.html`` draws the graph, as GraphML attributes Gephi reads (its GraphML importer maps keys
    named ``x``, ``y``, ``size``, ``r``, ``g``, ``b`` to position, size and colour): per node ``x``, ``y``
    (the page's :func:`~citegraph.outputs.html.layout`, ``y`` turned upwards as Gephi draws it), ``size`` and
    the fill colour; per edge ``(u, v, key)`` the colour of its relation.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", level="central", system="party", type_code="KL")
    >>> g.add_node("b", level="province", system="party", type_code="KH")
    >>> _ = g.add_edge("b", "a", rel="implements")
    >>> nodes, edges = drawing(g)
    >>> nodes["a"]["y"] > nodes["b"]["y"], sorted(nodes["a"]), edges[("b", "a", 0)]
    (True, ['b', 'g', 'r', 'size', 'x', 'y'], {'r': 21, 'g': 128, 'b': 61})
    """
    g = nx_graph(G)
    positions, styles = layout(g), node_styles(g)
    nodes: dict[Any, dict[str, Any]] = {}
    for v in g.nodes:
        x, y = positions.get(v, (0.0, 0.0))
        st = styles[v]
        nodes[v] = {"x": float(x), "y": -float(y), "size": float(st["radius"]), **_rgb(st["color"])}
    keys = g.edges(keys=True, data="rel") if g.is_multigraph() else ((u, w, 0, d) for u, w, d in g.edges(data="rel"))
    edges = {(u, w, k): _rgb(RELATION_STYLES.get(rel or "cites", RELATION_STYLES["cites"])[0]) for u, w, k, rel in keys}
    return nodes, edges


def graphml_graph(G: Union[GraphData, nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """A copy of the networkx view that GraphML can hold: lists and dicts as JSON strings, None left out, and
    the drawing of :func:`drawing` (position, size, colour) added."""
    g = nx_graph(G)
    h = nx.MultiDiGraph()
    node_draw, edge_draw = drawing(g)

    def conv(d: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in d.items():
            if v is None:
                continue
            out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict, tuple)) else v
        return out

    for n, d in g.nodes(data=True):
        h.add_node(n, **conv({**d, **node_draw[n]}))
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **conv({**d, **edge_draw[(u, v, k)]}))
    return h


def graphml(G: Union[GraphData, nx.MultiDiGraph]) -> str:
    """GraphML text of the networkx view (opens in Gephi / Cytoscape): :func:`write_graphml`'s text."""
    import io

    buf = io.StringIO()
    write_graphml(G, buf)
    return buf.getvalue()


def _xml_text(s: str) -> str:
    """ElementTree's escaping of element text."""
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(s: str) -> str:
    """ElementTree's escaping of an attribute value."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;"))


def _graphml_chunk(text: str) -> str:
    """A piece of the document as networkx's ``generate_graphml`` lines joined by newlines give it: ASCII
    with character references (ElementTree's default encoding), every line break (``str.splitlines``) a newline."""
    text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    return "\n".join(text.splitlines())


def write_graphml(G: Union[GraphData, nx.MultiDiGraph], fh: Any) -> None:
    """Write the GraphML of the networkx view to ``fh`` (a path or a text file), one element at a time.

    The text is ``"\\n".join(nx.generate_graphml(graphml_graph(G))) + "\\n"`` (lists and dicts as JSON
    strings, None left out; position, size and colours of :func:`drawing`, so that Gephi opens the graph
    as ``graph.html`` draws it), but neither the copy of the graph nor the XML tree of the whole document
    (networkx builds both, then the text three times over) is made: a first pass finds the data keys,
    a second writes each node and edge.

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="Bình & <b>", sources=["a.txt"], year=2024, title=None)
    >>> _ = g.add_edge("a", "b", rel="cites", start=0)
    >>> buf = io.StringIO(); write_graphml(g, buf)
    >>> buf.getvalue() == "\\n".join(nx.generate_graphml(graphml_graph(g))) + "\\n"
    True
    """
    with open_output(fh) as out:
        _write_graphml(nx_graph(G), out)


def _write_graphml(g: nx.MultiDiGraph, fh: Any) -> None:
    from networkx.readwrite.graphml import GraphMLWriter

    node_draw, edge_draw = drawing(g)
    types = GraphMLWriter()  # networkx's table of GraphML types (and its error for others)
    listy = (list, dict, tuple)
    keys: dict[tuple[str, str, str], str] = {}
    order: list[tuple[str, str, str]] = []

    def key(name: Any, v: Any, scope: str) -> str:
        kk = (str(name), types.get_xml_type(str if isinstance(v, listy) else type(v)), scope)
        r = keys.get(kk)
        if r is None:
            r = keys[kk] = f"d{len(keys)}"
            order.append(kk)
        return r

    def nodes() -> Iterator[tuple[Any, dict[str, Any]]]:
        for n, d in g.nodes(data=True):
            yield n, {**d, **node_draw[n]}

    def edges() -> Iterator[tuple[Any, Any, Any, dict[str, Any]]]:
        for u, v, k, d in g.edges(keys=True, data=True):
            yield u, v, k, {**d, **edge_draw[(u, v, k)]}

    for _, d in nodes():
        for k, v in d.items():
            if v is not None:
                key(k, v, "node")
    for _, _, _, d in edges():
        for k, v in d.items():
            if v is not None:
                key(k, v, "edge")

    def data(d: dict[str, Any], scope: str, pad: str) -> list[str]:
        out = []
        for k, v in d.items():
            if v is None:
                continue
            text = json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, listy) else str(v)
            kid = key(k, v, scope)
            out.append(f'{pad}<data key="{kid}">{_xml_text(text)}</data>' if text else f'{pad}<data key="{kid}" />')
        return out

    fh.write(f'<graphml xmlns="{types.NS_GRAPHML}" xmlns:xsi="{types.NS_XSI}" '
             f'xsi:schemaLocation="{types.SCHEMALOCATION}">\n')
    for name, xml_type, scope in reversed(order):  # networkx inserts each new key first
        fh.write(_graphml_chunk(f'  <key id="{keys[(name, xml_type, scope)]}" for="{scope}" '
                                f'attr.name="{_xml_attr(name)}" attr.type="{xml_type}" />') + "\n")
    if g.number_of_nodes() == 0:
        fh.write('  <graph edgedefault="directed" />\n</graphml>\n')
        return
    fh.write('  <graph edgedefault="directed">\n')
    buf: list[str] = []

    def element(head: str, tag: str, d: dict[str, Any], scope: str) -> None:
        lines = data(d, scope, "      ")
        if lines:
            buf.append(_graphml_chunk(f"    {head}>\n" + "\n".join(lines) + f"\n    </{tag}>") + "\n")
        else:
            buf.append(_graphml_chunk(f"    {head} />") + "\n")
        if len(buf) >= 2000:
            fh.write("".join(buf))
            buf.clear()

    for n, d in nodes():
        element(f'<node id="{_xml_attr(str(n))}"', "node", d, "node")
    for u, v, k, d in edges():
        element(f'<edge source="{_xml_attr(str(u))}" target="{_xml_attr(str(v))}" id="{_xml_attr(str(k))}"',
                "edge", d, "edge")
    fh.write("".join(buf))
    fh.write("  </graph>\n</graphml>\n")


#: the most documents ``graph.html`` draws (5,000 draw in about two seconds); a bigger graph gets
#: its :func:`citegraph.graph.queries.overview` and the files hold the whole
HTML_MAX_NODES = 5000


def write_html(G: Union[GraphData, nx.MultiDiGraph], path: Path, max_nodes: int = HTML_MAX_NODES) -> None:
    """``graph.html``: :func:`citegraph.outputs.html.to_html` of the graph, or of the ``max_nodes`` documents
    around the most cited ones when it has more (the page's title says so)."""
    g = nx_graph(G)
    if len(g) > max_nodes:
        part = overview(G, max_nodes)
        to_html(part, path, title=f"citegraph: the {len(part):,} documents around the most cited of "
                                  f"{len(g):,} (all of them are in graph.ttl, graph.jsonld and graph.graphml)")
    else:
        to_html(G, path)


__all__ = ["JSONLD_TERMS", "JsonLdText", "TurtleText", "drawing", "graphml", "graphml_graph", "jsonld", "jsonld_context",
           "open_output", "turtle_literal", "write_graphml", "write_html",
           "write_jsonld", "write_turtle"]
