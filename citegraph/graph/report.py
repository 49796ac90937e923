"""Consistency report: citations that contradict each other, the registry, the calendar or the grammar.

The checks are a table (:data:`CHECKS`): one function per kind of finding, each taking the graph and
the maker of places and yielding its findings; :func:`check` runs them all. Each finding carries the
places in the texts: file, offsets, line, matched text.

``date_conflict``
    one document cited with different dates (the seeds cite 217-QĐ/TW as 12/12/2013, 13/12/2013, 12/12/2014);
``issuer_conflict``
    one document cited with different issuers;
``type_mismatch``
    a type word that disagrees with the symbol's type code (``Quy chế số 11-QĐ/TU``);
``registry_conflict``
    a citation whose date or issuer disagrees with the registry of known documents;
``date_after_citing``
    a cited date after the citing document's own date;
``grammar``
    a symbol that breaks its grammar (Party ``N-TYPE/ISSUER``, State ``N/TYPE-ISSUER``,
    normative ``N/YYYY/TYPE-ISSUER``; the grammars of :mod:`citegraph.extraction.find`, docs/GRAMMAR.md)
    or uses the other system's grammar for its issuer code.

Examples
--------
>>> from citegraph.extraction.models import Extraction, Header, Reference
>>> from citegraph.corpus import from_extractions
>>> from citegraph.graph.registry import Registry
>>> i = "https://w3id.org/citegraph/id/party/central/tw/qd/xi/217"
>>> r1 = Reference("numbered", 0, 9, "217-QĐ/TW", symbol="217-QĐ/TW", stated_date="2013-12-12", id=i)
>>> r2 = Reference("numbered", 5, 14, "217-QĐ/TW", symbol="217-QĐ/TW", stated_date="2014-12-12", id=i)
>>> G = from_extractions([Extraction("a.txt", "x", Header(id="doc/a"), [r1]),
...                       Extraction("b.txt", "x", Header(id="doc/b"), [r2])], Registry())
>>> rep = check(G)
>>> [f.kind for f in rep]
['date_conflict']
>>> print(rep.to_text().splitlines()[1])
date_conflict: 217-QĐ/TW is cited with 2 different dates: 2013-12-12, 2014-12-12
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from citegraph.extraction.find import Mention, find_numbered
from citegraph.graph.model import GraphData, line_breaks
from citegraph.graph.registry import is_partial
from citegraph.text.normalize import fold
from citegraph.text.vocab import vocabulary


@dataclass(frozen=True)
class Place:
    """A place in a text: file, offsets into the text as read, line (1-based, if known), matched text, claim."""

    source: str
    start: int
    end: int
    text: str
    line: int | None = None
    says: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        say = f" ({self.says})" if self.says else ""
        return f"{where} [{self.start}-{self.end}] «{' '.join(self.text.split())}»{say}"


@dataclass
class Finding:
    """One flagged inconsistency."""

    kind: str
    document: str | None
    label: str
    message: str
    places: list[Place] = field(default_factory=list)


@dataclass
class Report:
    """All findings of a graph, in a stable order."""

    findings: list[Finding] = field(default_factory=list)
    sources: int = 0

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def __bool__(self) -> bool:
        return bool(self.findings)

    def of_kind(self, kind: str) -> list[Finding]:
        """The findings of one check."""
        return [f for f in self.findings if f.kind == kind]

    def to_text(self) -> str:
        """Plain text for the terminal: one line per finding, its places indented below."""
        lines = [f"{len(self.findings)} finding(s) in {self.sources} source(s)"]
        for f in self.findings:
            lines.append(f"{f.kind}: {f.message}")
            lines.extend(f"    {p}" for p in f.places)
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """Markdown for ``report.md``: a summary table, then one section per check."""
        out = ["# Consistency report", "", f"{len(self.findings)} finding(s) in {self.sources} source(s).", ""]
        if self.findings:
            out += ["| check | findings |", "|---|---|"]
            out += [f"| {k} | {len(self.of_kind(k))} |" for k in KINDS if self.of_kind(k)]
        for k in KINDS:
            fs = self.of_kind(k)
            if not fs:
                continue
            out += ["", f"## {k}", ""]
            for f in fs:
                out.append(f"- **{_md(f.label)}**: {_md(f.message)}")
                for p in f.places:
                    out.append(f"  - {_code(p.source)}" + (f" line {p.line}" if p.line else "")
                               + f", offsets {p.start}–{p.end}: «{_md(' '.join(p.text.split()))}»"
                               + (f" — {_md(p.says)}" if p.says else ""))
        return "\n".join(out) + "\n"


def _md(s: str) -> str:
    return s.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _code(s: str) -> str:
    """``s`` as one Markdown code span, whatever it holds (CommonMark: a fence of more backticks than any run
    inside; a line break is shown as ``\\x0a``): a file name cannot end the span and inject Markdown or HTML.

    >>> print(_code("a.txt"), _code("x`<b>hi</b>`.txt"), _code("two\\nlines"))
    `a.txt` `` x`<b>hi</b>`.txt `` `two\\x0alines`
    """
    s = s.replace("\r", "\\x0d").replace("\n", "\\x0a")
    runs = [len(r) for r in re.findall("`+", s)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or runs else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def _issuer_key(name: str | None) -> str | None:
    if not name:
        return None
    b = vocabulary().body_for_text(name)
    return b.name if b is not None else fold(name)


def same_issuer(a: str | None, b: str | None) -> bool:
    """True when two issuer names may denote the issuer of one document.

    The same body (any alias) always; below the centre, a committee's generic name (``Tỉnh ủy``,
    ``Huyện ủy``: the default body of the code) also stands for its standing bodies (``Ban Thường vụ
    Tỉnh ủy``), which issue in its name. Central bodies sharing ``TW`` stay distinct.

    >>> same_issuer("Ban Bí thư", "Ban Bí thư Trung ương Đảng"), same_issuer("Tỉnh ủy", "Ban Thường vụ Tỉnh ủy")
    (True, True)
    >>> same_issuer("Bộ Chính trị", "Ban Bí thư"), same_issuer("Ban Dân vận Tỉnh ủy", "Tỉnh ủy")
    (False, False)
    """
    if not a or not b:
        return True
    if _issuer_key(a) == _issuer_key(b):
        return True
    v = vocabulary()
    ba, bb = v.body_for_text(a), v.body_for_text(b)
    if ba is None or bb is None or "central" in (ba.level, bb.level):
        return False
    shared = {c.upper() for c in ba.codes} & {c.upper() for c in bb.codes}
    return bool(shared) and (ba.default or bb.default)


class _Places:
    """Makes the :class:`Place` of a mention: its line from the line breaks of its text (kept by the
    graph, or computed from the extraction's text when the graph has none for the source)."""

    __slots__ = ("lines",)

    def __init__(self, G: GraphData) -> None:
        self.lines = dict(getattr(G, "lines", None) or {})
        for e in G.extractions:
            if e.text and e.source not in self.lines:
                self.lines[e.source] = line_breaks(e.text)

    def __call__(self, source: str, start: int, end: int, text: str, says: str | None = None) -> Place:
        b = self.lines.get(source)
        line = bisect_left(b, start) + 1 if b is not None else None
        return Place(source, int(start), int(end), text, line, says)

    def of(self, m: dict[str, Any], says: str | None = None) -> Place:
        """The place of a mention as the graph keeps it on a node (``source``, ``start``, ``end``, ``text``)."""
        return self(m["source"], m["start"], m["end"], m["text"], says)


#: A check: the findings of one kind in a built graph, given the maker of places.
Check = Callable[[GraphData, _Places], Iterable[Finding]]


def _nodes(G: GraphData) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(node, label, data)`` in node order; the label says when the identity is partial."""
    for n, d in sorted(G.nx.nodes(data=True)):
        label = d.get("label") or n
        if is_partial(n):
            label += " (partial identity: the mentions may name different documents)"
        yield n, label, d


def _numbered(G: GraphData) -> Iterator[tuple[str, Any]]:
    """``(source, reference)`` for every numbered reference with a symbol, in extraction order."""
    for e in G.extractions:
        for r in e.references:
            if r.kind == "numbered" and r.symbol:
                yield e.source, r


def date_conflicts(G: GraphData, place: _Places) -> Iterator[Finding]:
    """``date_conflict``: one document cited with different dates."""
    for n, label, d in _nodes(G):
        dated = [m for m in d.get("mentions") or [] if m.get("stated_date")]
        dates = sorted({m["stated_date"] for m in dated})
        if len(dates) > 1:
            yield Finding("date_conflict", n, label,
                          f"{label} is cited with {len(dates)} different dates: {', '.join(dates)}",
                          [place.of(m, f"states {m['stated_date']}") for m in dated])


def issuer_conflicts(G: GraphData, place: _Places) -> Iterator[Finding]:
    """``issuer_conflict``: one document cited with issuers that cannot be one (:func:`same_issuer`)."""
    for n, label, d in _nodes(G):
        issued = [m for m in d.get("mentions") or [] if m.get("stated_issuer")]
        issuers: dict[str | None, str] = {}
        for m in issued:
            issuers.setdefault(_issuer_key(m["stated_issuer"]), m["stated_issuer"])
        names = sorted(issuers.values())
        if any(not same_issuer(x, y) for i, x in enumerate(names) for y in names[i + 1:]):
            yield Finding("issuer_conflict", n, label,
                          f"{label} is cited with {len(issuers)} different issuers: {', '.join(names)}",
                          [place.of(m, f"states {m['stated_issuer']}") for m in issued])


def type_mismatches(G: GraphData, place: _Places) -> Iterator[Finding]:
    """``type_mismatch``: a type word that disagrees with the symbol's type code."""
    v = vocabulary()
    for source, r in _numbered(G):
        if not (r.type and r.type_code):
            continue
        t = v.type_for_word(r.type)
        if t is None or not (t.code or t.alt_codes):
            continue
        codes = {c.upper() for c in (t.code, *t.alt_codes) if c}
        if v.canonical_code(r.type_code).upper() not in codes:
            yield Finding("type_mismatch", r.id, r.symbol,
                          f"type word '{r.type}' disagrees with the code {r.type_code} of "
                          f"{r.symbol} ({r.type} is {'/'.join(sorted(codes))})",
                          [place(source, r.start, r.end, r.text)])


def registry_conflicts(G: GraphData, place: _Places) -> Iterator[Finding]:
    """``registry_conflict``: citations whose date or issuer disagrees with the registry."""
    for n, label, d in _nodes(G):
        reg = d.get("registry")
        if not reg:
            continue
        bad = []
        for m in d.get("mentions") or []:
            why = []
            if reg.get("date") and m.get("stated_date") and m["stated_date"] != reg["date"]:
                why.append(f"date {m['stated_date']}")
            if reg.get("issuer") and m.get("stated_issuer") and not same_issuer(m["stated_issuer"], reg["issuer"]):
                why.append(f"issuer {m['stated_issuer']}")
            if why:
                bad.append(place.of(m, "states " + ", ".join(why)))
        if bad:
            known = ", ".join(x for x in (reg.get("date"), reg.get("issuer")) if x)
            yield Finding("registry_conflict", n, label,
                          f"{label}: the registry records {known} (source: {reg.get('source')})", bad)


def dates_after_citing(G: GraphData, place: _Places) -> Iterator[Finding]:
    """``date_after_citing``: a cited date after the citing document's own date."""
    doc_date = {e.source: e.document.date for e in G.extractions}
    for n, label, d in _nodes(G):
        for m in d.get("mentions") or []:
            own = doc_date.get(m["source"])
            if m.get("stated_date") and own and m["stated_date"] > own:
                yield Finding("date_after_citing", n, label,
                              f"{label} is dated {m['stated_date']}, after the citing document ({own})",
                              [place.of(m)])


def grammar_findings(G: GraphData, place: _Places) -> Iterator[Finding]:
    """``grammar``: a symbol that breaks its grammar (:func:`grammar_problem`)."""
    for source, r in _numbered(G):
        problem = grammar_problem(r.symbol)
        if problem:
            yield Finding("grammar", r.id, r.symbol, f"{r.symbol}: {problem}", [place(source, r.start, r.end, r.text)])


#: The checks, one per kind of finding, in the order of their findings in the output.
CHECKS: tuple[tuple[str, Check], ...] = (
    ("date_conflict", date_conflicts),
    ("issuer_conflict", issuer_conflicts),
    ("type_mismatch", type_mismatches),
    ("registry_conflict", registry_conflicts),
    ("date_after_citing", dates_after_citing),
    ("grammar", grammar_findings),
)

#: Order of the checks in the output.
KINDS = tuple(kind for kind, _ in CHECKS)


def check(G: GraphData, checks: Iterable[tuple[str, Check]] = CHECKS) -> Report:
    """Run the checks on a built graph (see the module docstring): their findings in a stable order
    (by check, label, document, places)."""
    place = _Places(G)
    findings = [f for _, run in checks for f in run(G, place)]
    findings.sort(key=lambda f: (KINDS.index(f.kind), f.label, f.document or "",
                                 [(p.source, p.start) for p in f.places]))
    return Report(findings, sources=len(G.extractions))


def read_symbol(symbol: str) -> Mention | None:
    """A symbol as :func:`~citegraph.extraction.find.find_numbered` reads it when it stands alone
    (blanks removed): the numbered mention spanning all of it, or None when it matches no grammar.

    >>> m = read_symbol("34/2007/PL-UBTVQH11")
    >>> m.grammar, m.type_code, m.issuer_code
    ('normative', 'PL', 'UBTVQH11')
    >>> read_symbol("CT-TTg") is None
    True
    """
    s = "".join(symbol.split())
    found = find_numbered(s)
    return found[0] if len(found) == 1 and found[0].sym_start == 0 and found[0].sym_end == len(s) else None


def grammar_problem(symbol: str) -> str | None:
    """Why a symbol breaks its grammar, or None. The grammars and the reading of the codes are
    those of :mod:`citegraph.extraction.find` (:func:`read_symbol`).

    >>> grammar_problem("33/CT-TTg") is None, grammar_problem("25-NQ/TW") is None, grammar_problem("04/2015/NĐ-CP") is None
    (True, True, True)
    >>> grammar_problem("18/CT-TW")
    'the issuer code TW is a Party code but the symbol has the State grammar (N/TYPE-ISSUER)'
    >>> grammar_problem("27/CTTg")
    'the type code and the issuer code are not separated (expected N/TYPE-ISSUER)'
    >>> grammar_problem("12 CT TU")
    'matches no symbol grammar (N-TYPE/ISSUER, N/TYPE-ISSUER, N/YYYY/TYPE-ISSUER)'
    """
    m = read_symbol(symbol)
    if m is None:
        return "matches no symbol grammar (N-TYPE/ISSUER, N/TYPE-ISSUER, N/YYYY/TYPE-ISSUER)"
    if m.grammar == "state" and m.type_code and "-" not in "".join(symbol.split()).partition("/")[2]:
        return "the type code and the issuer code are not separated (expected N/TYPE-ISSUER)"
    issuer = m.issuer_code
    body = vocabulary().code_info(issuer) if issuer else None
    if body is None:
        return None
    if m.grammar == "party" and body.system != "party":
        return f"the issuer code {issuer} is a State code but the symbol has the Party grammar (N-TYPE/ISSUER)"
    if m.grammar in ("state", "normative") and body.system == "party" and issuer.upper() != "MTTW":
        return f"the issuer code {issuer} is a Party code but the symbol has the State grammar (N/TYPE-ISSUER)"
    return None

__all__ = ["CHECKS", "Check", "Finding", "KINDS", "Place", "Report", "check", "date_conflicts",
           "dates_after_citing", "grammar_findings", "grammar_problem", "issuer_conflicts", "read_symbol",
           "registry_conflicts", "same_issuer", "type_mismatches"]
