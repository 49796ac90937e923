"""Lineage queries on the citation graph, networkx style: functions taking the graph first.

``G`` is a :class:`~citegraph.corpus.GraphData` or its networkx ``MultiDiGraph``; ``doc`` an IRI,
an id relative to ``https://w3id.org/citegraph/id/`` or a symbol such as ``"114-KL/TW"`` (an
ambiguous symbol raises :class:`~citegraph.corpus.AmbiguousDocument` listing the candidates).
Edges point from the citing document to the cited one.

Examples
--------
>>> G = toy_graph()
>>> [g["label"] for g in grounds(G, "commune plan")]
['114/KH-UBND', '33/CT-TTg', '114-KL/TW']
>>> most_cited(G, 1)
[('https://w3id.org/citegraph/id/party/central/tw/kl/xi/114', 2)]
"""
from __future__ import annotations

from collections import deque
from functools import lru_cache
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Union

import networkx as nx

from citegraph.graph.model import EDGE_ATTRS, MENTION_KEYS, GraphData, nx_graph, resolve
from citegraph.text.normalize import fold
from citegraph.text.units import TODAY_FIELDS, legacy_provinces, provinces, stated_province, today_fields
from citegraph.text.optional import require
from citegraph.text.vocab import raw, vocabulary

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

GraphLike = Union[GraphData, nx.MultiDiGraph]
LEVELS = ("central", "province", "district", "commune")


def toy_graph() -> nx.MultiDiGraph:
    """A tiny literal graph for examples: a central conclusion, a province plan and a district plan
    implementing it, a commune plan implementing the district plan.

    >>> toy_graph().number_of_nodes(), toy_graph().number_of_edges()
    (5, 4)
    """
    base = "https://w3id.org/citegraph/id/"
    kl, ttg = base + "party/central/tw/kl/xi/114", base + "state/central/ttg/ct/2021/33"
    prov, dist = base + "party/binh-phuoc/tu/kh/x/247", base + "state/binh-phuoc/hon-quan/ubnd/kh/2024/114"
    com = base + "doc/0123456789abcdef"
    G = nx.MultiDiGraph()
    G.add_node(kl, label="114-KL/TW", symbol="114-KL/TW", kind="numbered", level="central", jurisdiction="central")
    G.add_node(ttg, label="33/CT-TTg", symbol="33/CT-TTg", kind="numbered", level="central", jurisdiction="central")
    G.add_node(prov, label="247-KH/TU", symbol="247-KH/TU", kind="numbered", level="province",
               jurisdiction="tỉnh Bình Phước")
    G.add_node(dist, label="114/KH-UBND", symbol="114/KH-UBND", kind="numbered", level="district",
               jurisdiction="huyện Hớn Quản, tỉnh Bình Phước")
    G.add_node(com, label="commune plan", kind="document", level="commune", sources=["c.txt"],
               jurisdiction="xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước")
    G.add_edge(prov, kl, rel="implements", source="a.txt", start=0, end=9)
    G.add_edge(com, dist, rel="implements", source="c.txt", start=10, end=21)
    G.add_edge(dist, kl, rel="cites", source="d.txt", start=5, end=14)
    G.add_edge(com, ttg, rel="cites", source="c.txt", start=30, end=39)
    return G


def _rel_rank() -> dict[str, int]:
    return {r: i for i, r in enumerate(vocabulary().relation_names())}


def _step_rel(g: nx.MultiDiGraph, u: str, v: str, rels: set[str] | None) -> str | None:
    """The strongest relation (vocabulary order) among the edges u → v allowed by ``rels``."""
    rank = _rel_rank()
    found = [d.get("rel", "cites") for d in g.get_edge_data(u, v, default={}).values()
             if rels is None or d.get("rel", "cites") in rels]
    return min(found, key=lambda r: rank.get(r, 99)) if found else None


def _walk(g: nx.MultiDiGraph, start: str, reverse: bool, rels: Iterable[str] | None,
          max_depth: int | None) -> list[dict[str, Any]]:
    allowed = set(rels) if rels is not None else None
    seen = {start: ([start], [])}
    order = []
    q = deque([start])
    while q:
        u = q.popleft()
        path, rs = seen[u]
        if max_depth is not None and len(rs) >= max_depth:
            continue
        nbrs = sorted(set(g.predecessors(u) if reverse else g.successors(u)))
        for v in nbrs:
            if v in seen:
                continue
            r = _step_rel(g, v, u, allowed) if reverse else _step_rel(g, u, v, allowed)
            if r is None:
                continue
            seen[v] = (path + [v], rs + [r])
            order.append(v)
            q.append(v)
    out = []
    for v in order:
        path, rs = seen[v]
        d = g.nodes[v]
        nxt = g.predecessors(v) if reverse else g.successors(v)
        out.append({"document": v, "label": d.get("label") or v, "depth": len(rs), "path": path, "rels": rs,
                    "level": d.get("level"), "jurisdiction": d.get("jurisdiction"),
                    "root": not any(True for w in nxt if w != v)})
    return sorted(out, key=lambda r: (r["depth"], str(r["label"]), r["document"]))


def grounds(G: GraphLike, doc: str, rels: Iterable[str] | None = None,
            max_depth: int | None = None) -> list[dict[str, Any]]:
    """What a document rests on, up to the roots (documents that cite nothing further).

    Parameters
    ----------
    G : GraphData or networkx.MultiDiGraph
    doc : str
        IRI, relative id or symbol.
    rels : iterable of str, optional
        Relation types to follow (default: all).
    max_depth : int, optional
        Stop after this many steps.

    Returns
    -------
    list of dict
        One per document reached (nearest first): ``document``, ``label``, ``depth``, ``path`` (IRIs
        from ``doc``), ``rels`` (relation of each step), ``level``, ``jurisdiction``, ``root``.

    Examples
    --------
    >>> G = toy_graph()
    >>> g = grounds(G, "commune plan")
    >>> [(x["label"], x["depth"], x["rels"], x["root"]) for x in g]
    [('114/KH-UBND', 1, ['implements'], False), ('33/CT-TTg', 1, ['cites'], True), ('114-KL/TW', 2, ['implements', 'cites'], True)]
    >>> [x["label"] for x in grounds(G, "commune plan", rels=["implements"])]
    ['114/KH-UBND']
    """
    g = nx_graph(G)
    return _walk(g, resolve(g, doc), reverse=False, rels=rels, max_depth=max_depth)


def implementers(G: GraphLike, doc: str, rels: Iterable[str] | None = None,
                 max_depth: int | None = None) -> list[dict[str, Any]]:
    """Everything below a document: the documents that cite it, directly or through others.

    Same parameters and records as :func:`grounds`; ``path`` runs from ``doc`` down to the implementer.

    Examples
    --------
    >>> [(x["label"], x["depth"]) for x in implementers(toy_graph(), "114-KL/TW")]
    [('114/KH-UBND', 1), ('247-KH/TU', 1), ('commune plan', 2)]
    >>> [x["label"] for x in implementers(toy_graph(), "114-KL/TW", rels=["implements"])]
    ['247-KH/TU']
    """
    g = nx_graph(G)
    return _walk(g, resolve(g, doc), reverse=True, rels=rels, max_depth=max_depth)


def lineage_path(G: GraphLike, a: str, b: str) -> list[tuple[str, str, str]]:
    """The shortest citation chain from ``a`` down to ``b`` (or from ``b`` to ``a``), as (citing, rel, cited) steps.

    Raises
    ------
    networkx.NetworkXNoPath
        When neither document leads to the other.

    Examples
    --------
    >>> [(u[-6:], r, v[-6:]) for u, r, v in lineage_path(toy_graph(), "commune plan", "114-KL/TW")]
    [('abcdef', 'implements', '24/114'), ('24/114', 'cites', 'xi/114')]
    >>> lineage_path(toy_graph(), "33/CT-TTg", "114-KL/TW")
    Traceback (most recent call last):
    ...
    networkx.exception.NetworkXNoPath: no citation chain between 33/CT-TTg and 114-KL/TW
    """
    g = nx_graph(G)
    u, v = resolve(g, a), resolve(g, b)
    for s, t in ((u, v), (v, u)):
        try:
            path = nx.shortest_path(g, s, t)
        except nx.NetworkXNoPath:
            continue
        return [(x, _step_rel(g, x, y, None) or "cites", y) for x, y in zip(path, path[1:])]
    raise nx.NetworkXNoPath(f"no citation chain between {a} and {b}")


@dataclass
class Coverage:
    """Which jurisdictions of a level follow a document up (``covered``: jurisdiction → implementers) and which do not."""

    document: str
    level: str
    covered: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Share of the jurisdictions that follow the document up."""
        total = len(self.covered) + len(self.missing)
        return len(self.covered) / total if total else 0.0


def _unit(jurisdiction: str | None, level: str) -> str | None:
    """The stated jurisdiction of ``level`` that contains ``jurisdiction`` (the province's name on the map before
    1 July 2025, or 'huyện X, tỉnh Y')."""
    if not jurisdiction or jurisdiction == "central":
        return None
    if level == "province":
        return stated_province(jurisdiction)
    parts = [p.strip() for p in jurisdiction.split(",") if p.strip()]
    prov_i = next((i for i, p in enumerate(parts) if vocabulary().province_of(p)), None)
    words = {w for w in vocabulary_levels().get(level, [])}
    for i, p in enumerate(parts):
        if i != prov_i and any(fold(p).startswith(fold(w) + " ") for w in words):
            return ", ".join(parts[i:])
    return None


def unit_key(attrs: dict[str, Any], level: str, by: str | None = None) -> str | None:
    """The unit of ``level`` a document (its node attributes) is filed under: its jurisdiction as stated
    (``by="stated"``), or today's unit holding it (``by="today"``: today's province, or today's commune;
    the default but for districts, which only the stated map has). Central documents are filed under none.
    Today's unit is read from the ``today_*`` attributes, or made from the jurisdiction and date when the
    graph does not carry them (a graph built by hand).

    >>> d = {"jurisdiction": "xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước", "level": "commune"}
    >>> unit_key(d, "province"), unit_key(d, "province", by="stated"), unit_key(d, "commune")
    ('Đồng Nai', 'Bình Phước', 'xã Minh Đức, tỉnh Đồng Nai')
    >>> unit_key({"jurisdiction": "central", "today_province": "Hà Nội"}, "province") is None
    True
    """
    by = grouping(level, by)
    j = attrs.get("jurisdiction")
    if not j or j == "central" or attrs.get("level") == "central":
        return None
    if by == "stated":
        return _unit(j, level)
    t = attrs if "today_code" in attrs else today_fields(j, attrs.get("date"))
    if level == "province":
        return t.get("today_province")
    code = t.get("today_code")
    return t.get("today_jurisdiction") if code and len(code) == 5 else None


def grouping(level: str, by: str | None) -> str:
    """The map a coverage of ``level`` groups on: ``by`` checked, or its default (``"today"``; ``"stated"`` for
    districts, gone since 1 July 2025)."""
    if level not in LEVELS[1:]:
        raise ValueError(f"level must be one of {', '.join(LEVELS[1:])}, not {level!r}")
    if by is None:
        return "stated" if level == "district" else "today"
    if by not in ("today", "stated"):
        raise ValueError(f"by must be 'today' or 'stated', not {by!r}")
    if by == "today" and level == "district":
        raise ValueError("there are no districts since 1 July 2025: group districts as stated (by='stated', --by stated)")
    return by


def all_units(level: str, by: str) -> set[str] | None:
    """Every province of the map ``by`` groups on (34 today, the 63 before 1 July 2025 as stated); None for
    districts and communes (the ones present in the graph are used)."""
    if level != "province":
        return None
    return {u.province for u in provinces()} if by == "today" else set(legacy_provinces())


@lru_cache(maxsize=1)
def vocabulary_levels() -> dict[str, list[str]]:
    """Level words of ``places.json`` (``{"district": ["huyện", ...], ...}``)."""

    return {k: v["words"] for k, v in raw("places")["levels"].items()}


def coverage(G: GraphLike, doc: str, level: str = "province", universe: Iterable[str] | None = None,
             by: str | None = None) -> Coverage:
    """Which jurisdictions of ``level`` follow ``doc`` up (have an implementer there) and which do not.

    Parameters
    ----------
    level : {"province", "district", "commune"}
    universe : iterable of str, optional
        The jurisdictions to account for. Default: every province of the map ``by`` groups on for
        ``province`` (34, or 63 as stated); the jurisdictions of that level present in the graph otherwise.
    by : {"today", "stated"}, optional
        Group implementers by today's units (since 1 July 2025: 34 provinces and their communes, no
        districts; the default for provinces and communes), or by their jurisdictions as the documents state
        them (provinces named as on the map before, so that Thừa Thiên Huế and Huế are one; the default for
        districts). Central documents are filed under no unit.

    Examples
    --------
    >>> c = coverage(toy_graph(), "114-KL/TW")
    >>> sorted(c.covered), len(c.covered["Đồng Nai"]), len(c.covered) + len(c.missing)
    (['Đồng Nai'], 3, 34)
    >>> c = coverage(toy_graph(), "114-KL/TW", by="stated")
    >>> sorted(c.covered), "Hải Dương" in c.missing, len(c.covered) + len(c.missing)
    (['Bình Phước'], True, 63)
    >>> coverage(toy_graph(), "114-KL/TW", level="district").covered
    {'huyện Hớn Quản, tỉnh Bình Phước': ['https://w3id.org/citegraph/id/doc/0123456789abcdef', 'https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114']}
    """
    by = grouping(level, by)
    g = nx_graph(G)
    target = resolve(g, doc)
    covered: dict[str, list[str]] = {}
    for r in implementers(g, target):
        u = unit_key(g.nodes[r["document"]], level, by)
        if u:
            covered.setdefault(u, []).append(r["document"])
    if universe is None:
        units = all_units(level, by)
        if units is None:
            units = {u for _, d in g.nodes(data=True) if (u := unit_key(d, level, by))}
    else:
        units = set(universe)
    return Coverage(target, level, {k: sorted(v) for k, v in sorted(covered.items())},
                    sorted(units - set(covered)))


def most_cited(G: GraphLike, n: int = 10, by: str = "sources", level: str | None = None,
               system: str | None = None, rel: str | None = None) -> list[tuple[str, int]]:
    """The ``n`` most cited documents, as (IRI, count), most cited first (ties by IRI).

    Parameters
    ----------
    by : {"sources", "citing", "edges"}
        Count distinct source texts stating a citation (default), distinct citing documents, or edges.
    level, system : str, optional
        Keep only cited documents of this level / system.
    rel : str, optional
        Count only citations of this relation type.

    Examples
    --------
    >>> most_cited(toy_graph(), 2, by="edges")
    [('https://w3id.org/citegraph/id/party/central/tw/kl/xi/114', 2), ('https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114', 1)]
    >>> most_cited(toy_graph(), 5, level="district")
    [('https://w3id.org/citegraph/id/state/binh-phuoc/hon-quan/ubnd/kh/2024/114', 1)]
    """
    if by not in ("sources", "citing", "edges"):
        raise ValueError(f"by must be 'sources', 'citing' or 'edges', not {by!r}")
    g = nx_graph(G)
    counts: list[tuple[str, int]] = []
    for v, d in g.nodes(data=True):
        if (level and d.get("level") != level) or (system and d.get("system") != system):
            continue
        es = [(u, e) for u, _, e in g.in_edges(v, data=True) if rel is None or e.get("rel") == rel]
        if by == "sources":
            c = len({e.get("source") for _, e in es})
        elif by == "citing":
            c = len({u for u, _ in es})
        else:
            c = len(es)
        if c:
            counts.append((v, c))
    counts.sort(key=lambda t: (-t[1], t[0]))
    return counts[:n]


def overview(G: GraphLike, n: int = 2000) -> nx.MultiDiGraph:
    """About ``n`` documents around the most cited ones: a connected view of a graph too big to draw.

    Starting from the most cited document (by in-degree, ties by IRI), documents are taken breadth
    first over citations in either direction; when a component is used up, the next most cited
    document not yet taken starts the next one.

    Examples
    --------
    >>> g = overview(toy_graph(), 2)
    >>> len(g)
    2
    >>> "https://w3id.org/citegraph/id/party/central/tw/kl/xi/114" in g
    True
    """
    g = nx_graph(G)
    order = sorted(g.nodes, key=lambda x: (-g.in_degree(x), x))
    keep: list[str] = []
    seen: set[str] = set()
    undirected = g.to_undirected(as_view=True)
    for root in order:
        if len(keep) >= n:
            break
        if root in seen:
            continue
        frontier = deque([root])
        seen.add(root)
        while frontier and len(keep) < n:
            v = frontier.popleft()
            keep.append(v)
            for w in sorted(undirected.neighbors(v)):
                if w not in seen:
                    seen.add(w)
                    frontier.append(w)
    return g.subgraph(keep).copy()


#: The tables :func:`to_dataframe` makes.
TABLES = ("documents", "citations", "mentions")
#: Columns of each table that hold codes (pandas ``category``); dates become ``datetime64``, counts and
#: offsets integers, the rest strings.
_CATEGORIES = {"kind", "type", "type_code", "issuer", "jurisdiction", "system", "term", "rel", "source",
               "citing_jurisdiction", "cited_jurisdiction", *TODAY_FIELDS}
_LEVEL_COLUMNS = {"level", "citing_level", "cited_level"}
_DATES = {"date", "stated_date", "citing_date", "cited_date"}
_INTS = {"year", "cited_by", "n_sources", "n_mentions", "n_candidates", "start", "end"}
_BOOLS = {"in_registry"}


def _rows(g: nx.MultiDiGraph, table: str) -> tuple[list[dict[str, Any]], list[str]]:
    if table == "documents":
        cols = ["id", "label", "kind", "type", "type_code", "symbol", "name", "number", "year", "date", "issuer",
                "jurisdiction", "level", "system", "term", "title", "cited_by", "n_sources", "n_mentions",
                "n_candidates", "in_registry", *TODAY_FIELDS]
        rows = []
        for n, d in g.nodes(data=True):
            r = {k: d.get(k) for k in (*cols[1:16], *TODAY_FIELDS)}
            r.update(id=n, cited_by=d["cited_by"] if d.get("cited_by") is not None else g.in_degree(n),
                     n_sources=len(d.get("sources") or []), n_mentions=len(d.get("mentions") or []),
                     n_candidates=len(d.get("candidates") or []), in_registry=bool(d.get("registry")))
            rows.append(r)
        return rows, cols
    if table == "citations":
        cols = ["citing", "cited", "rel", "cue", "source", "start", "end", "sentence", "citing_label", "cited_label",
                "citing_date", "cited_date", "citing_level", "cited_level", "citing_jurisdiction",
                "cited_jurisdiction"]
        rows = []
        for u, v, d in g.edges(data=True):
            a, b = g.nodes[u], g.nodes[v]
            rows.append({"citing": u, "cited": v, **{k: d.get(k) for k in EDGE_ATTRS},
                         "citing_label": a.get("label") or u, "cited_label": b.get("label") or v,
                         "citing_date": a.get("date"), "cited_date": b.get("date"), "citing_level": a.get("level"),
                         "cited_level": b.get("level"), "citing_jurisdiction": a.get("jurisdiction"),
                         "cited_jurisdiction": b.get("jurisdiction")})
        return rows, cols
    cols = ["document", *MENTION_KEYS]
    rows = [{"document": n, **{k: m.get(k) for k in MENTION_KEYS}}
            for n, d in g.nodes(data=True) for m in d.get("mentions") or []]
    return rows, cols


def to_dataframe(G: GraphLike, table: str = "documents") -> "pd.DataFrame":
    """One tidy table of the graph as a DataFrame: a row per document, per citation or per mention.

    Parameters
    ----------
    G : GraphData or networkx.MultiDiGraph
    table : {"documents", "citations", "mentions"}
        ``documents``: index ``id`` (the IRI), the node attributes with one value each and counts of the
        others (``n_sources``, ``n_mentions``, ``n_candidates``, ``in_registry``), today's unit last
        (``today_jurisdiction``, ``today_code``, ``today_province``, ``today_province_code``). ``citations``: one row per
        edge, ``citing`` → ``cited`` with its relation, provenance and both documents' labels, dates,
        levels and jurisdictions. ``mentions``: one row per place a text names a document.

    Returns
    -------
    pandas.DataFrame
        Dates as ``datetime64`` (unparsable ones NaT), codes (kind, type, issuer, jurisdiction, system,
        term, relation, source file) as ``category``, levels as an ordered ``category`` (central < province
        < district < commune), years, counts and offsets as nullable ``Int64``, text as ``string``.

    Examples
    --------
    >>> docs = to_dataframe(toy_graph())
    >>> docs.loc[docs["label"] == "114-KL/TW", "level"].item(), str(docs["level"].dtype), str(docs["cited_by"].dtype)
    ('central', 'category', 'Int64')
    >>> cites = to_dataframe(toy_graph(), "citations")
    >>> len(cites), sorted(cites["rel"].unique())
    (4, ['cites', 'implements'])
    >>> to_dataframe(toy_graph(), "nodes")
    Traceback (most recent call last):
    ...
    ValueError: table must be one of documents, citations, mentions, not 'nodes'
    """
    pd = require("pandas", "citegraph.to_dataframe")
    if table not in TABLES:
        raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    rows, cols = _rows(nx_graph(G), table)
    df = pd.DataFrame(rows, columns=cols)
    for c in cols:
        if c in _DATES:
            df[c] = pd.to_datetime(df[c], format="%Y-%m-%d", errors="coerce")
        elif c in _LEVEL_COLUMNS:
            df[c] = pd.Categorical(df[c], categories=list(LEVELS), ordered=True)
        elif c in _CATEGORIES:
            df[c] = df[c].astype("category")
        elif c in _INTS:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
        elif c in _BOOLS:
            df[c] = df[c].astype(bool)
        else:
            df[c] = df[c].astype("string")
    return df.set_index("id") if table == "documents" else df


__all__ = ["TABLES", "Coverage", "coverage", "grounds", "implementers", "lineage_path", "most_cited", "overview", "to_dataframe",
           "toy_graph"]
