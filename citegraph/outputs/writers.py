"""The files of a built graph: Turtle, JSON-LD, GraphML and HTML.

Turtle (:func:`write_turtle`) and JSON-LD (:func:`write_jsonld`) are streamed from the networkx view,
one subject at a time (:func:`citegraph.rdf.triples.subject_groups`), as text: no rdflib term is made per
triple. Their bytes are those of ``canonical_turtle(to_rdf(G))`` and ``jsonld(to_rdf(G))``:

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
    rdfs:label "say \\"hi\\"" ;
    cg:kind "document" ;
    cg:sourceFile "a.txt" .
<BLANKLINE>
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import split_uri
from rdflib.term import _NUMERIC_INF_NAN_LITERAL_TYPES, _is_valid_uri

from citegraph.graph.model import GraphData, nx_graph
from citegraph.graph.queries import overview
from citegraph.outputs.html import to_html
from citegraph.rdf.triples import XSD, TextLiteral, _Terms, no_gc, subject_groups, to_rdf
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


def write_turtle(G: Union[GraphData, nx.MultiDiGraph], fh: Any,
                 header: str | None = "citegraph graph (generated)") -> int:
    """Write the RDF view as :func:`~citegraph.rdf.skos.canonical_turtle` text to ``fh``, streaming; returns the triple count.

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
    with no_gc():
        return _write_turtle(nx_graph(G), fh, header)


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
def jsonld(rdf: Graph) -> str:
    """JSON-LD of the RDF view with citegraph's prefixes as context (triples sorted for stable output)."""
    ctx = _jsonld_context()
    data = json.loads(rdf.serialize(format="json-ld", context=ctx, auto_compact=True))
    graph = data.get("@graph", [])
    if isinstance(graph, list):
        graph.sort(key=lambda o: str(o.get("@id", "")))
        for o in graph:
            for k, v in list(o.items()):
                if isinstance(v, list):
                    o[k] = sorted(v, key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _jsonld_context() -> dict[str, str]:
    return {p: ns for p, ns in sorted(PREFIXES.items())}


def _split_iri(iri: str) -> tuple[str, str | None]:
    for delim in ("#", "/", ":"):  # as rdflib's JSON-LD context splits
        at = iri.rfind(delim)
        if at > -1:
            return iri[: at + 1], iri[at + 1:]
    return iri, None


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
    """Write the RDF view as the JSON-LD of :func:`jsonld` to ``fh``, streaming (no RDF graph is built).

    Same text as ``jsonld(to_rdf(G))`` for a graph of two subjects or more (rdflib's compaction with
    citegraph's prefixes, nodes sorted by ``@id``, values sorted); returns the number of nodes written.

    >>> import io
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("https://w3id.org/citegraph/id/doc/a", label="a", kind="document", sources=["a.txt"], mentions=[])
    >>> g.add_node("https://w3id.org/citegraph/id/doc/b", label="b", kind="document", sources=["b.txt"], mentions=[])
    >>> buf = io.StringIO(); n = write_jsonld(g, buf)
    >>> buf.getvalue() == jsonld(to_rdf(g)), n
    (True, 2)
    """
    with no_gc():
        return _write_jsonld(nx_graph(G), fh)


def _write_jsonld(g: nx.MultiDiGraph, fh: Any) -> int:
    ctx = _jsonld_context()
    by_ns = {ns: p for p, ns in ctx.items()}
    cache: dict[str, str] = {}

    def shrink(iri: str) -> str:
        r = cache.get(iri)
        if r is None:
            ns, name = _split_iri(iri)
            pfx = by_ns.get(ns)
            r = f"{pfx}:{name}" if pfx else iri
            if len(cache) < 500_000:
                cache[iri] = r
        return r

    integer = str(XSD.integer)
    native = {integer, str(XSD.boolean), str(XSD.double), str(XSD.string)}

    def value(o: Union[str, TextLiteral]) -> Any:
        if type(o) is str:
            return {"@id": shrink(o)}
        lexical, dt, lang = o  # type: ignore[misc]
        if dt:
            if dt == integer:
                return int(lexical)
            if dt in native:
                return Literal(lexical, datatype=URIRef(dt)).toPython()
            return {"@type": shrink(dt), "@value": lexical}
        if lang:
            return {"@language": lang, "@value": lexical}
        return lexical

    def dumps(x: Any) -> str:
        return json.dumps(x, sort_keys=True, ensure_ascii=False)

    head = json.dumps({"@context": ctx, "@graph": [0]}, ensure_ascii=False, indent=1, sort_keys=True)
    before, after = head.split("\n  0\n")
    fh.write(before + "\n")
    n = 0
    buf: list[str] = []
    for s, preds in subject_groups(g, _Terms("text"), key=shrink):
        node: dict[str, Any] = {"@id": shrink(s)}
        for p, objs in preds.items():
            if p == _RDF_TYPE:
                vals = [shrink(o) for o in objs]
                k = "@type"
            else:
                vals = [value(o) for o in objs]
                k = shrink(p)
            node[k] = vals[0] if len(vals) == 1 else sorted(vals, key=dumps)
        buf.append(("  " if n == 0 else ",\n  ") + _json_text(node, "  "))
        n += 1
        if len(buf) >= 2000:
            fh.write("".join(buf))
            buf.clear()
    fh.write("".join(buf))
    fh.write("\n" + after + "\n")
    return n


# ==================================================================================== GraphML, HTML
def graphml_graph(G: Union[GraphData, nx.MultiDiGraph]) -> nx.MultiDiGraph:
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
    """Write the GraphML of the networkx view to ``fh``, one element at a time.

    The text is ``"\\n".join(nx.generate_graphml(graphml_graph(G))) + "\\n"`` (lists and dicts as JSON
    strings, None left out), but neither the copy of the graph nor the XML tree of the whole document
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
    from networkx.readwrite.graphml import GraphMLWriter

    g = nx_graph(G)
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

    for _, d in g.nodes(data=True):
        for k, v in d.items():
            if v is not None:
                key(k, v, "node")
    for _, _, d in g.edges(data=True):
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

    for n, d in g.nodes(data=True):
        element(f'<node id="{_xml_attr(str(n))}"', "node", d, "node")
    for u, v, k, d in g.edges(keys=True, data=True):
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


__all__ = ["TurtleText", "graphml", "graphml_graph", "jsonld", "turtle_literal", "write_graphml", "write_html",
           "write_jsonld", "write_turtle"]
