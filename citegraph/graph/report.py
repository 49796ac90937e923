"""Consistency report: citations that contradict each other, the registry, the calendar or the grammar.

Checks (each finding carries the places in the texts: file, offsets, line, matched text):

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
    normative ``N/YYYY/TYPE-ISSUER``) or uses the other system's grammar for its issuer code.

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
from dataclasses import dataclass, field
from typing import Iterator

from citegraph.graph.model import GraphData, line_breaks
from citegraph.text.normalize import fold
from citegraph.graph.registry import is_partial
from citegraph.text.vocab import vocabulary

#: Order of the checks in the output.
KINDS = ("date_conflict", "issuer_conflict", "type_mismatch", "registry_conflict", "date_after_citing", "grammar")

#: The three symbol grammars (docs: DESIGN.md §2), on a symbol with spaces removed.
GRAMMARS = {
    "party": re.compile(r"\d+-(?P<type>[^\W\d_]+)/(?P<issuer>[^\W_][\w-]*)"),
    "normative": re.compile(r"\d+/(?P<year>(?:19|20)\d\d)/(?P<type>[^\W\d_]+)(?:-(?P<issuer>[^\W_][\w-]*))?\d*"),
    "state": re.compile(r"\d+/(?:(?P<type>[^\W\d_]+)-)?(?P<issuer>[^\W_][\w-]*)"),
}


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


def check(G: GraphData) -> Report:
    """Run every check on a built graph (see the module docstring)."""
    g = G.nx
    from bisect import bisect_left

    lines = dict(getattr(G, "lines", None) or {})
    for e in G.extractions:
        if e.text and e.source not in lines:

            lines[e.source] = line_breaks(e.text)
    doc_date = {e.source: e.document.date for e in G.extractions}

    def place(source: str, start: int, end: int, text: str, says: str | None = None) -> Place:
        b = lines.get(source)
        line = bisect_left(b, start) + 1 if b is not None else None
        return Place(source, int(start), int(end), text, line, says)

    findings: list[Finding] = []
    for n, d in sorted(g.nodes(data=True)):
        label = d.get("label") or n
        if is_partial(n):
            label += " (partial identity: the mentions may name different documents)"
        ms = d.get("mentions") or []
        dated = [m for m in ms if m.get("stated_date")]
        dates = sorted({m["stated_date"] for m in dated})
        if len(dates) > 1:
            findings.append(Finding("date_conflict", n, label,
                                    f"{label} is cited with {len(dates)} different dates: {', '.join(dates)}",
                                    [place(m["source"], m["start"], m["end"], m["text"], f"states {m['stated_date']}")
                                     for m in dated]))
        issued = [m for m in ms if m.get("stated_issuer")]
        issuers: dict[str | None, str] = {}
        for m in issued:
            issuers.setdefault(_issuer_key(m["stated_issuer"]), m["stated_issuer"])
        names = sorted(issuers.values())
        if any(not same_issuer(x, y) for i, x in enumerate(names) for y in names[i + 1:]):
            findings.append(Finding("issuer_conflict", n, label,
                                    f"{label} is cited with {len(issuers)} different issuers: "
                                    f"{', '.join(sorted(issuers.values()))}",
                                    [place(m["source"], m["start"], m["end"], m["text"], f"states {m['stated_issuer']}")
                                     for m in issued]))
        reg = d.get("registry")
        if reg:
            bad = []
            for m in ms:
                why = []
                if reg.get("date") and m.get("stated_date") and m["stated_date"] != reg["date"]:
                    why.append(f"date {m['stated_date']}")
                if reg.get("issuer") and m.get("stated_issuer") and not same_issuer(m["stated_issuer"], reg["issuer"]):
                    why.append(f"issuer {m['stated_issuer']}")
                if why:
                    bad.append(place(m["source"], m["start"], m["end"], m["text"], "states " + ", ".join(why)))
            if bad:
                known = ", ".join(x for x in (reg.get("date"), reg.get("issuer")) if x)
                findings.append(Finding("registry_conflict", n, label,
                                        f"{label}: the registry records {known} (source: {reg.get('source')})", bad))
        for m in dated:
            own = doc_date.get(m["source"])
            if own and m["stated_date"] > own:
                findings.append(Finding("date_after_citing", n, label,
                                        f"{label} is dated {m['stated_date']}, after the citing document "
                                        f"({own})", [place(m["source"], m["start"], m["end"], m["text"])]))
    v = vocabulary()
    for e in G.extractions:
        for r in e.references:
            if r.kind != "numbered" or not r.symbol:
                continue
            p = place(e.source, r.start, r.end, r.text)
            if r.type and r.type_code:
                t = v.type_for_word(r.type)
                if t is not None and (t.code or t.alt_codes):
                    codes = {c.upper() for c in (t.code, *t.alt_codes) if c}
                    if v.canonical_code(r.type_code).upper() not in codes:
                        findings.append(Finding("type_mismatch", r.id, r.symbol,
                                                f"type word '{r.type}' disagrees with the code {r.type_code} of "
                                                f"{r.symbol} ({r.type} is {'/'.join(sorted(codes))})", [p]))
            problem = grammar_problem(r.symbol)
            if problem:
                findings.append(Finding("grammar", r.id, r.symbol, f"{r.symbol}: {problem}", [p]))
    findings.sort(key=lambda f: (KINDS.index(f.kind), f.label, f.document or "",
                                 [(p.source, p.start) for p in f.places]))
    return Report(findings, sources=len(G.extractions))


def grammar_problem(symbol: str) -> str | None:
    """Why a symbol breaks its grammar, or None.

    >>> grammar_problem("33/CT-TTg") is None, grammar_problem("25-NQ/TW") is None, grammar_problem("04/2015/NĐ-CP") is None
    (True, True, True)
    >>> grammar_problem("18/CT-TW")
    'the issuer code TW is a Party code but the symbol has the State grammar (N/TYPE-ISSUER)'
    >>> grammar_problem("27/CTTg")
    'the type code and the issuer code are not separated (expected N/TYPE-ISSUER)'
    >>> grammar_problem("12 CT TU")
    'matches no symbol grammar (N-TYPE/ISSUER, N/TYPE-ISSUER, N/YYYY/TYPE-ISSUER)'
    """
    s = "".join(symbol.split())
    v = vocabulary()
    for system, rx in GRAMMARS.items():
        m = rx.fullmatch(s)
        if not m:
            continue
        issuer = (m.group("issuer") or "").split("-")[0]
        if system == "state" and not m.group("type"):
            codes = v.type_codes()
            for c in sorted(codes, key=len, reverse=True):
                rests = (issuer[len(c):], issuer[len(c) - 1:])  # 27/CTTg: CT + TTg sharing a letter
                if issuer.upper().startswith(c.upper()) and v.code_info(issuer) is None \
                        and any(r and v.code_info(r) is not None for r in rests):
                    return "the type code and the issuer code are not separated (expected N/TYPE-ISSUER)"
        body = v.code_info(issuer) if issuer else None
        if body is not None:
            if system == "party" and body.system != "party":
                return (f"the issuer code {issuer} is a State code but the symbol has the Party grammar "
                        "(N-TYPE/ISSUER)")
            if system in ("state", "normative") and body.system == "party" and issuer.upper() != "MTTW":
                return (f"the issuer code {issuer} is a Party code but the symbol has the State grammar "
                        "(N/TYPE-ISSUER)")
        return None
    return "matches no symbol grammar (N-TYPE/ISSUER, N/TYPE-ISSUER, N/YYYY/TYPE-ISSUER)"


__all__ = ["Finding", "GRAMMARS", "KINDS", "Place", "Report", "check", "grammar_problem",
           "same_issuer"]
