"""Assembly of the corpus graph: extractions in, the networkx view out.

Entity resolution across the corpus:

* mentions of one identity in many texts are one node, each mention's provenance kept;
* a corpus document that another document cites is the same node (its header's symbol,
  jurisdiction and year);
* a partial identity (unknown year/term, ``_`` segment) resolves to the unique full identity that
  exists in the corpus or the registry and is not dated after the citing document; otherwise it
  stays a node with its ``candidates`` visible.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import networkx as nx

from citegraph.extraction.models import Extraction, Reference
from citegraph.graph.names import NameIndex
from citegraph.graph.registry import Registry
from citegraph.text.identity import ID_BASE, full_id, id_key, is_partial, segments, text_iri, unknown_segment
from citegraph.text.normalize import fold
from citegraph.text.units import TODAY_FIELDS, today_fields
from citegraph.text.vocab import vocabulary

_SCALARS = ("type", "type_code", "symbol", "name", "number", "year", "date", "issuer", "jurisdiction",
            "level", "system", "term")


#: Reference fields whose values repeat across a corpus: shared (one string object per value) when pooling.
_POOLED = ("kind", "text", "type", "type_code", "number", "year", "symbol", "name", "date", "stated_date", "issuer",
           "issuer_code", "stated_issuer", "jurisdiction", "level", "system", "term", *TODAY_FIELDS)


def normalize_extraction(ex: Extraction, pool: dict[Any, Any] | None = None) -> Extraction:
    """Give the citing document an id (``doc/{sha1}`` when it has none) and full IRIs everywhere.

    With ``pool`` (a dict kept across a corpus), equal values of the references' repetitive fields become one
    object, and equal sentences of one text too: a large corpus holds each value once.
    """
    h = ex.document
    hid = full_id(h.id) if h.id else text_iri(ex.text)
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
                                 "jurisdiction", "province", "district", "commune", "place", *TODAY_FIELDS)
           if (v := getattr(h, k, None)) is not None}
    return replace(ex, source=P(ex.source, ex.source), document=replace(h, id=P(hid, hid), **hkw), references=refs)


def _sym_key(symbol: str | None, jurisdiction: str | None, year: Any) -> tuple[str, str, str] | None:
    """Key matching a reference to a corpus document's header: symbol, jurisdiction and year (all known)."""
    if not symbol or not jurisdiction or not year:
        return None
    s = "".join(fold(symbol).split()).lstrip("0")
    return (s, fold(jurisdiction or ""), str(year or ""))


def _ref_date_ok(candidate: str, citing_date: str | None, reg: Registry, known_dates: dict[str, str]) -> bool:
    if not citing_date:
        return True
    e = reg.get(candidate)
    d = (e.date if e else None) or known_dates.get(id_key(candidate))
    return not d or d <= citing_date


@dataclass
class _Identities:
    """The identities that exist: corpus documents, full references, registry entries.

    ``canon`` maps an ``id_key`` to its node IRI (the first form seen in the texts, else the registry's);
    ``header_by_key`` a corpus document's symbol, jurisdiction and year to its node; ``by_shape`` and
    ``by_len`` index the full ids by (number of segments, last segment) and by number of segments, for
    matching partial ids quickly; ``known_dates`` is the first date the texts give each identity.
    """

    registry: Registry
    canon: dict[str, str] = field(default_factory=dict)
    header_by_key: dict[tuple[str, str, str], str] = field(default_factory=dict)
    by_shape: dict[tuple[int, str], list[tuple[str, list[str]]]] = field(default_factory=dict)
    by_len: dict[int, list[tuple[str, list[str]]]] = field(default_factory=dict)
    known_dates: dict[str, str] = field(default_factory=dict)
    names: NameIndex = field(default_factory=NameIndex)


def _identities(extractions: Sequence[Extraction], registry: Registry) -> _Identities:
    """The identities of normalized extractions and a registry, indexed (see :class:`_Identities`)."""
    ids = _Identities(registry, names=NameIndex.of(extractions))
    canon = ids.canon
    for ex in extractions:
        h = ex.document
        canon.setdefault(id_key(h.id), h.id)  # type: ignore[arg-type]
        k = _sym_key(h.symbol, h.jurisdiction, h.year)
        if k:
            ids.header_by_key.setdefault(k, canon[id_key(h.id)])  # type: ignore[arg-type]
    for ex in extractions:
        for r in ex.references:
            if r.id and r.kind != "backref" and not is_partial(r.id):
                canon.setdefault(id_key(r.id), r.id)
    for e in registry:
        canon.setdefault(id_key(e.id), e.id)
    for f in sorted(set(canon.values())):
        segs = segments(f)
        ids.by_shape.setdefault((len(segs), segs[-1]), []).append((f, segs))
        ids.by_len.setdefault(len(segs), []).append((f, segs))
    for ex in extractions:
        if ex.document.date:
            ids.known_dates.setdefault(id_key(ex.document.id), ex.document.date)  # type: ignore[arg-type]
        for r in ex.references:
            if r.id and r.date:
                ids.known_dates.setdefault(id_key(r.id), r.date)
    return ids


def _node_of_ref(ids: _Identities, ex: Extraction, r: Reference, cands: dict[str, set[str]]) -> str | None:
    """The node a (non-back) reference of ``ex`` names: a corpus document with its symbol, jurisdiction
    and year; its full identity; the one full identity a partial identity can be (not dated after the
    citing document); else the partial identity itself, its candidates added to ``cands``."""
    k = _sym_key(r.symbol, r.jurisdiction, r.year)
    if k and k in ids.header_by_key:
        return ids.header_by_key[k]
    if not r.id:
        return None
    canon = ids.canon
    if r.kind == "named":  # a law cited by name: the numbered version the corpus ties the name to
        fits = ids.names.fits(r, ex.document.date)
        if len(fits) == 1:
            return canon.get(id_key(fits[0]), fits[0])
        if fits:
            cands.setdefault(r.id, set()).update(fits)
    if not is_partial(r.id):
        return canon.get(id_key(r.id), r.id)
    psegs = segments(r.id)
    pool = (ids.by_len.get(len(psegs), []) if unknown_segment(psegs[-1])
            else ids.by_shape.get((len(psegs), psegs[-1]), []))
    matches = {c for c, segs in pool if all(unknown_segment(x) or x == y for x, y in zip(psegs, segs))}
    matches |= {canon[id_key(c)] for c in r.candidates if id_key(c) in canon}
    matches = {c for c in matches if _ref_date_ok(c, ex.document.date, ids.registry, ids.known_dates)}
    if len(matches) == 1:
        return next(iter(matches))
    cands.setdefault(r.id, set()).update(matches | set(r.candidates))
    return r.id


@dataclass
class _Observations:
    """What the texts say about each node, gathered text by text before the nodes are made.

    ``obs``: node -> [(priority, values in ``_SCALARS`` order)] (0: the document's own header, 1: a
    reference); ``mentions``, ``sources``, ``cands`` (candidates of partial identities), ``kinds`` and
    ``titles`` per node; ``edges``: (citing, cited, attributes).
    """

    obs: dict[str, list[tuple[int, tuple[Any, ...]]]] = field(default_factory=dict)
    mentions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    sources: dict[str, set[str]] = field(default_factory=dict)
    cands: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def _targets(ex: Extraction, ids: _Identities, did: str, cands: dict[str, set[str]]) -> Callable[..., str | None]:
    """The node each reference index of ``ex`` stands for, as a function of the index: back-references
    follow ``refers_to``, ``"SELF"`` is the document ``did``; None for nothing (or a loop)."""
    idx: dict[int, str | None] = {}
    for i, r in enumerate(ex.references):
        if r.kind != "backref":
            idx[i] = _node_of_ref(ids, ex, r, cands)

    def target(i: int | str | None, depth: int = 0) -> str | None:
        if i == "SELF":
            return did
        if not isinstance(i, int) or not 0 <= i < len(ex.references) or depth > 20:
            return None
        r = ex.references[i]
        if r.kind == "backref":
            return target(r.refers_to, depth + 1)
        return idx.get(i)

    return target


def _observe(ex: Extraction, ids: _Identities, seen: _Observations) -> None:
    """Add what one extraction says to ``seen``: its document, each reference's node and mention, the
    edges of its relations, and a ``cites`` edge for every other reference."""
    h = ex.document
    did: str = ids.canon[id_key(h.id)]  # type: ignore[arg-type]
    seen.sources.setdefault(did, set()).add(ex.source)
    seen.kinds.setdefault(did, []).append("document")
    term = vocabulary().party_term(h.date, h.level or "central") if h.system == "party" and h.date else None
    seen.obs.setdefault(did, []).append((0, tuple(term if a == "term" else getattr(h, a, None) for a in _SCALARS)))
    if h.title:
        seen.titles.setdefault(did, h.title)
    target = _targets(ex, ids, did, seen.cands)
    for i, r in enumerate(ex.references):
        n = target(i)
        if n is None or n == did:
            continue
        if r.kind != "backref":
            seen.kinds.setdefault(n, []).append(r.kind)
            seen.obs.setdefault(n, []).append((1, tuple(getattr(r, a, None) for a in _SCALARS)))
        resolved = (r.id if r.kind != "backref" and r.id and n != r.id and (is_partial(r.id) or r.kind == "named")
                    else None)
        seen.mentions.setdefault(n, []).append({
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
        seen.edges.append((u, v, {"rel": rel.rel, "cue": rel.cue, "source": ex.source, "start": r.start,
                                  "end": r.end, "sentence": r.sentence}))
    for i, r in enumerate(ex.references):
        if i in targeted or r.kind == "backref":
            continue
        v = target(i)
        if v is None or v == did:
            continue
        seen.edges.append((did, v, {"rel": "cites", "cue": None, "source": ex.source, "start": r.start,
                                    "end": r.end, "sentence": r.sentence}))


def _graph(seen: _Observations, registry: Registry) -> nx.MultiDiGraph:
    """The nodes and edges of the observations, in a stable order. What each node is made of is
    released as soon as it is made (``seen`` is emptied)."""
    G = nx.MultiDiGraph()
    edges = seen.edges
    nodes = set(seen.obs) | set(seen.mentions) | {u for u, _, _ in edges} | {v for _, v, _ in edges}
    for n in sorted(nodes):
        G.add_node(n, **_node_attrs(n, seen.obs.pop(n, []), seen.mentions.pop(n, []), seen.sources.get(n, set()),
                                    seen.cands.get(n, set()), seen.kinds.pop(n, []), seen.titles.get(n), registry))
    edges.sort(key=lambda e: (e[0], e[1], e[2]["source"], e[2]["start"], e[2]["rel"]))
    for i, (u, v, d) in enumerate(edges):
        edges[i] = None  # type: ignore[call-overload]  # networkx copies d: drop ours as we go
        G.add_edge(u, v, **d)
    edges.clear()
    for n in G:
        G.nodes[n]["cited_by"] = G.in_degree(n)
    return G


def assemble(extractions: Sequence[Extraction], registry: Registry) -> nx.MultiDiGraph:
    """The networkx view of normalized extractions (see the module docstring for the resolution rules).

    Four steps: the identities that exist (:func:`_identities`), the node each reference names
    (:func:`_node_of_ref`), what the texts say about each node (:func:`_observe`), the nodes and edges
    (:func:`_graph`).
    """
    ids = _identities(extractions, registry)
    seen = _Observations()
    for ex in extractions:
        _observe(ex, ids, seen)
    return _graph(seen, registry)


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
            a["system"] = n[len(ID_BASE):].split("/")[0] if n.startswith(ID_BASE) else None
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
            "from_registry": sorted(filled), **today_fields(a.get("jurisdiction"), a.get("date"))}


__all__ = ["assemble", "normalize_extraction"]
