"""A synthetic corpus with known answers: realistic documents in implementation chains.

Central Party and State documents are issued first (a registry made from the seed); provincial,
district and commune plans then implement them, and each other, in chains. Every document is a
plain-text file with a header (issuer lines, ``Số: ...``, place and date, type and title), a preamble
(``Căn cứ ...``, ``Thực hiện ...``), a body citing other documents the way real ones do, a list of
recipients and a signature block; the noise of real text (DESIGN.md §2) is added at known rates.
Beside each ``<name>.txt`` goes ``<name>.json``, its known answer in the format of the hand-made gold
files of ``/work/shared/eval/gold`` (``own``, ``cited``, ``named``, ``relations``), so the evaluation
script scores extraction on a synthetic corpus as on the seeds.

Wording, issuing habits and noise rates are data (``ontology/synth_templates.json``); types, bodies,
provinces and terms come from the other vocabularies. Output is deterministic for a seed, and
:func:`generate` streams: it holds the registry of central documents and a short memory of recent
local documents, never the corpus.

Examples
--------
>>> docs = list(generate(3, seed=1))
>>> len(docs), docs[0].name
(3, 'syn_000000')
>>> sorted(docs[0].gold)
['cited', 'file', 'named', 'notes', 'own', 'relations']
>>> all(c["symbol"] for d in docs for c in d.gold["cited"])
True
>>> [d.text for d in generate(3, seed=1)] == [d.text for d in docs]
True
"""
from __future__ import annotations

import argparse
import bisect
import json
import os
import random
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from citegraph.text.vocab import raw, vocabulary

__all__ = ["Score", "SynthDoc", "generate", "main", "score", "symbol_key", "write_corpus"]

FIRST_DAY = date(2008, 1, 1)
LAST_DAY = date(2025, 12, 31)


@dataclass
class SynthDoc:
    """One generated document: its file stem, text, known answer, and where it was written.

    ``gold`` has the keys of the evaluation gold files: ``file``, ``own`` (type, symbol, date, issuer,
    jurisdiction, signer), ``cited`` (distinct documents cited by number, with the date as stated in
    this text), ``named`` (documents cited by name), ``relations`` (``from``/``rel``/``to``, endpoints
    ``"SELF"``, a symbol or a name) and ``notes``.
    """

    name: str
    text: str
    gold: dict[str, Any]
    path: Path | None = None


@dataclass
class Spec:
    """A document of the synthetic world (cited, issued, or both)."""

    grammar: str  # party | state | normative | law
    type_name: str
    type_code: str
    number: int
    day: date
    body: str
    code: str
    level: str  # central | province | district | commune
    title: str
    aliases: tuple[str, ...]
    province: str | None = None
    district: str | None = None
    commune: str | None = None
    profile: dict[str, Any] | None = None
    twin: "Spec | None" = None
    parent: "Spec | None" = None
    emitted: bool = False

    @property
    def system(self) -> str:
        return "party" if self.grammar == "party" else "state"

    @property
    def symbol(self) -> str:
        """The canonical symbol (số, ký hiệu)."""
        n = str(self.number) if self.grammar == "state" else f"{self.number:02d}"
        if self.grammar == "party":
            return f"{n}-{self.type_code}/{self.code}"
        if self.grammar == "state":
            return f"{n}/{self.type_code}-{self.code}"
        if self.grammar == "law":
            k = assembly_number(self.day)
            return f"{n}/{self.day.year}/QH{k}" if self.type_code == "L" else \
                f"{n}/{self.day.year}/{self.type_code}-{self.code}{k}"
        return f"{n}/{self.day.year}/{self.type_code}-{self.code}"

    @property
    def jurisdiction(self) -> str:
        """``central``, ``Province``, ``huyện D, Province`` or ``xã C, huyện D, Province``."""
        if self.level == "central":
            return "central"
        if self.level == "province":
            return str(self.province)
        if self.level == "district":
            return f"huyện {self.district}, {self.province}"
        return f"xã {self.commune}, huyện {self.district}, {self.province}"

    @property
    def place(self) -> str | None:
        return {"province": self.province, "district": self.district, "commune": self.commune}.get(self.level)


# ---------------------------------------------------------------------------------------------
# vocabularies


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """The phrasing templates (``ontology/synth_templates.json``)."""
    return raw("synth_templates")


@lru_cache(maxsize=None)
def type_of(entry: str, grammar: str) -> tuple[str, str]:
    """``(type word, code)`` for a profile's type entry: a code (``QĐ``) or a type word (``Quy định``).

    >>> type_of("TT", "party"), type_of("TT", "normative"), type_of("Quy định", "party")
    (('Thông tri', 'TT'), ('Thông tư', 'TT'), ('Quy định', 'QĐ'))
    """
    v = vocabulary()
    system = {"law": "normative"}.get(grammar, grammar)
    t = v.type_for_word(entry)
    if t is None:
        t = v.type_for_code(entry, system)
    if t is None or not t.code:
        raise ValueError(f"unknown type {entry!r} in synth_templates.json")
    return t.name, t.code


@lru_cache(maxsize=1)
def _terms() -> dict[str, list[dict[str, str]]]:
    return {k: v for k, v in raw("terms").items() if not k.startswith("$")}


def assembly_number(d: date) -> int:
    """Number of the Quốc hội term a date falls in (``13`` for 2015)."""
    iso = d.isoformat()
    for t in _terms()["national_assembly"]:
        if t["start"] <= iso <= t["end"]:
            return int(t["code"][2:])
    return 15


def party_term(d: date, level: str) -> str:
    """The Party term (central khóa, or local nhiệm kỳ) of a date."""
    key = "party_central" if level == "central" else "party_local"
    iso = d.isoformat()
    for t in _terms()[key]:
        if t["start"] <= iso <= t["end"]:
            return t["term"]
    return "?"


def _roman(n: int) -> str:
    out = ""
    for v, s in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out += s
            n -= v
    return out


@lru_cache(maxsize=1)
def _provinces() -> list[str]:
    return [p["name"] for p in raw("places")["provinces"] if p.get("kind") == "tỉnh"]


@lru_cache(maxsize=1)
def _body_aliases() -> dict[str, tuple[str, ...]]:
    return {b["name"]: tuple(b.get("aliases") or [b["name"]]) for b in raw("issuers")["bodies"]}


# ---------------------------------------------------------------------------------------------
# the world: places, registry of central documents, numbering


def _weighted(rng: random.Random, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return rng.choices(items, weights=[i.get("weight", 1) for i in items])[0]


class World:
    """State shared by the documents of one corpus: places, central registry, counters, recent docs."""

    def __init__(self, seed: int, n: int) -> None:
        self.seed = seed
        self.t = templates()
        self.provinces = _provinces()
        self._districts: dict[str, list[str]] = {}
        self._communes: dict[tuple[str, str], list[str]] = {}
        self.counters: dict[tuple[Any, ...], int] = {}
        self.recent: dict[tuple[str, ...], list[Spec]] = {}
        self.central: list[Spec] = []
        self._central_days: list[date] = []
        self._last_key: tuple[Any, ...] = ()
        self._make_central(min(5000, max(80, n // 8)))

    # -- places -------------------------------------------------------------------------------
    def _names(self, key: str, k: int, avoid: set[str]) -> list[str]:
        rng = random.Random(f"{self.seed}:places:{key}")
        syl = self.t["place_syllables"]
        out: list[str] = []
        while len(out) < k:
            a, b = rng.sample(syl, 2)
            name = f"{a} {b}"
            if name not in out and name not in avoid:
                out.append(name)
        return out

    def districts(self, province: str) -> list[str]:
        if province not in self._districts:
            self._districts[province] = self._names(province, 8, set(self.provinces))
        return self._districts[province]

    def communes(self, province: str, district: str) -> list[str]:
        key = (province, district)
        if key not in self._communes:
            self._communes[key] = self._names(f"{province}/{district}", 8, set(self.provinces) | {district})
        return self._communes[key]

    # -- numbering ----------------------------------------------------------------------------
    def number(self, rng: random.Random, grammar: str, scope: tuple[Any, ...], day: date, type_code: str) -> int:
        """Next number in a register: Party numbers restart each term per type, State ones each year."""
        if grammar == "party":
            key = (*scope, type_code, party_term(day, "central" if scope[0] == "central" else "local"))
            step = rng.randint(1, 6)
        elif grammar in ("normative", "law"):
            key = (*scope, type_code, day.year)
            step = rng.randint(1, 9)
        else:
            key = (*scope, day.year)
            step = rng.randint(1, 40)
        n = self.counters.get(key, 0) + step
        self.counters[key] = n
        return n

    # -- central registry ---------------------------------------------------------------------
    def _make_central(self, size: int) -> None:
        rng = random.Random(f"{self.seed}:central")
        profiles = self.t["central_profiles"]
        raw_specs: list[tuple[date, dict[str, Any], str, str]] = []
        span = (date(2024, 6, 30) - FIRST_DAY).days
        for _ in range(size):
            prof = _weighted(rng, profiles)
            tname, tcode = type_of(rng.choice(prof["types"]), prof["grammar"])
            raw_specs.append((FIRST_DAY + timedelta(days=rng.randint(0, span)), prof, tname, tcode))
        raw_specs.sort(key=lambda x: (x[0], x[1]["body"], x[3]))
        for day, prof, tname, tcode in raw_specs:
            spec = self._spec_central(rng, day, prof, tname, tcode)
            self.central.append(spec)
            if prof["grammar"] in ("party", "state") and rng.random() < 0.12:
                twin = self._spec_central(rng, day, prof, tname, tcode)
                twin.number = spec.number + 1
                self.counters[self._last_key] = twin.number
                spec.twin, twin.twin = twin, spec
                self.central.append(twin)
        self._central_days = [s.day for s in self.central]

    def _spec_central(self, rng: random.Random, day: date, prof: dict[str, Any], tname: str, tcode: str) -> Spec:
        scope = ("central", prof["code"])
        num = self.number(rng, prof["grammar"], scope, day, tcode)
        self._last_key = self._key_of(prof["grammar"], scope, day, tcode)
        return Spec(grammar=prof["grammar"], type_name=tname, type_code=tcode, number=num, day=day,
                    body=prof["body"], code=prof["code"], level="central", title=self.title(rng),
                    aliases=_body_aliases().get(prof["body"], (prof["body"],)), profile=prof)

    def _key_of(self, grammar: str, scope: tuple[Any, ...], day: date, type_code: str) -> tuple[Any, ...]:
        if grammar == "party":
            return (*scope, type_code, party_term(day, "central" if scope[0] == "central" else "local"))
        if grammar in ("normative", "law"):
            return (*scope, type_code, day.year)
        return (*scope, day.year)

    def title(self, rng: random.Random) -> str:
        return f"{rng.choice(self.t['title_prefixes'])} {rng.choice(self.t['topics'])}"

    def central_before(self, rng: random.Random, day: date, pred: Callable[[Spec], bool] | None = None,
                       tries: int = 25) -> Spec | None:
        """A random central document issued before ``day`` (and satisfying ``pred``), or None."""
        hi = bisect.bisect_left(self._central_days, day)
        if hi == 0:
            return None
        for _ in range(tries):
            s = self.central[rng.randrange(hi)]
            if pred is None or pred(s):
                return s
        return None

    # -- local documents ----------------------------------------------------------------------
    def local(self, rng: random.Random, level: str, province: str, district: str | None, commune: str | None,
              day: date, title: str, profile: dict[str, Any] | None = None, avoid: Spec | None = None) -> Spec:
        prof = profile or _weighted(rng, self.t["local_profiles"][level])
        tname, tcode = type_of(rng.choice(prof["types"]), prof["grammar"])
        scope = ("local", province, district, commune, prof["code"])
        num = self.number(rng, prof["grammar"], scope, day, tcode)
        place = {"province": province, "district": district, "commune": commune}[level]
        aliases = tuple(a.replace("{place}", str(place)) for a in prof["aliases"])
        spec = Spec(grammar=prof["grammar"], type_name=tname, type_code=tcode, number=num, day=day,
                    body=prof["body"], code=prof["code"], level=level, title=title, aliases=aliases,
                    province=province, district=district, commune=commune, profile=prof, parent=avoid)
        if avoid is not None and _key(spec.symbol) == _key(avoid.symbol):
            # a namesake of the document it implements: take the next number of the register
            spec.number = num + 1
            self.counters[self._key_of(prof["grammar"], scope, day, tcode)] = num + 1
        return spec

    def remember(self, s: Spec) -> None:
        for key in self._recent_keys(s):
            lst = self.recent.setdefault(key, [])
            lst.append(s)
            if len(lst) > 12:
                del lst[0]

    @staticmethod
    def _recent_keys(s: Spec) -> list[tuple[str, ...]]:
        keys = [(str(s.province),)]
        if s.district:
            keys.append((str(s.province), s.district))
        return keys

    def recent_local(self, rng: random.Random, key: tuple[str, ...], before: date) -> Spec | None:
        lst = [s for s in self.recent.get(key, []) if s.day < before]
        return rng.choice(lst) if lst else None


# ---------------------------------------------------------------------------------------------
# rendering


def _fmt_date(rng: random.Random, d: date, nz: dict[str, float]) -> str:
    r = rng.random()
    if r < nz["long_date"]:
        return f"ngày {d.day:02d} tháng {d.month} năm {d.year}"
    if r < nz["long_date"] + nz["dash_date"]:
        return f"ngày {d.day:02d}-{d.month:02d}-{d.year}"
    if rng.random() < nz["no_pad_date"]:
        return f"ngày {d.day}/{d.month}/{d.year}"
    return f"ngày {d.day:02d}/{d.month:02d}/{d.year}"


def _noisy_symbol(rng: random.Random, s: Spec, nz: dict[str, float], tags: list[str] | None = None) -> str:
    """The symbol as a careless source writes it; what was done is appended to ``tags``."""
    tags = tags if tags is not None else []
    sym = s.symbol
    if s.grammar == "state" and rng.random() < nz["leading_zero"] and s.number < 1000:
        sym = re.sub(r"^\d+", lambda m: m.group(0).zfill(4), sym)
        tags.append("leading_zero")
    if rng.random() < nz["spaced_separator"]:
        i = sym.find("-") if s.grammar == "party" else sym.find("-", sym.rfind("/"))
        if i > 0:
            sym = sym[:i] + rng.choice([" - ", "- ", " -"]) + sym[i + 1:]
            tags.append("spaced_separator")
    if rng.random() < nz["case"]:
        sym = sym.upper() if rng.random() < 0.7 else sym.lower()
        tags.append("case")
    if s.grammar == "state" and rng.random() < nz["missing_hyphen_typo"]:
        sym = sym.replace("-", "", 1)
        tags.append("missing_hyphen_typo")
    if rng.random() < nz["symbol_linebreak"] and "-" in sym:
        i = sym.rfind("-")
        sym = sym[:i + 1] + "\n" + sym[i + 1:]
        tags.append("symbol_linebreak")
    return sym


class Writer:
    """Builds one document's text and its known answer together."""

    def __init__(self, rng: random.Random, world: World, own: Spec | None) -> None:
        self.rng = rng
        self.w = world
        self.nz = world.t["noise"]
        self.own = own
        self.parts: list[str] = []
        self.cited: dict[str, dict[str, Any]] = {}
        self.keys: dict[str, int] = {}
        self.named: list[str] = []
        self.relations: list[dict[str, str]] = []
        self.extra: list[str] = []
        self.last_name = ""
        if own is not None:
            self.keys[_key(own.symbol)] = id(own)

    # -- known answer -------------------------------------------------------------------------
    def can_cite(self, s: Spec | None) -> bool:
        """False for None, the citing document itself, or a namesake of a document already cited."""
        if s is None or s is self.own:
            return False
        k = _key(s.symbol)
        return self.keys.get(k, id(s)) == id(s)

    def _record(self, s: Spec, type_word: str, stated_date: bool, stated_issuer: bool, tags: list[str]) -> None:
        k = _key(s.symbol)
        self.keys[k] = id(s)
        entry = self.cited.get(k)
        if entry is None:
            entry = {"symbol": s.symbol, "type": type_word, "date": None, "issuer": None,
                     "jurisdiction": s.jurisdiction, "forms": []}
            self.cited[k] = entry
        for tag in (*tags, *self.extra, s.grammar, s.level):
            if tag not in entry["forms"]:
                entry["forms"].append(tag)
        if stated_date and entry["date"] is None:
            entry["date"] = s.day.isoformat()
        if entry["issuer"] is None:
            if stated_issuer:
                entry["issuer"] = s.body
            elif s.code not in ("TW", "UBND", "HĐND"):
                info = vocabulary().code_info(s.code)
                if info is not None and info.name == s.body:
                    entry["issuer"] = s.body

    def relate(self, src: Spec | str, rel: str, dst: Spec | str) -> None:
        r = {"from": src if isinstance(src, str) else src.symbol, "rel": rel,
             "to": dst if isinstance(dst, str) else dst.symbol}
        if r not in self.relations:
            self.relations.append(r)

    def name(self, gold_name: str) -> None:
        self.last_name = gold_name
        if gold_name not in self.named:
            self.named.append(gold_name)

    # -- mentions -----------------------------------------------------------------------------
    def needs_place(self, s: Spec) -> bool:
        """True when the citing document's own place does not tell where ``s`` comes from."""
        o = self.own
        if s.level == "district":
            return o is None or o.level not in ("district", "commune") or o.district != s.district
        if s.level == "commune":
            return o is None or o.commune != s.commune or o.district != s.district
        return False

    def issuer_phrase(self, s: Spec) -> str:
        rng = self.rng
        named = [a for a in s.aliases if s.place and s.place in a] if self.needs_place(s) else []
        al = rng.choice(named or list(s.aliases))
        if s.level == "central" and s.grammar == "party" and s.code == "TW" and rng.random() < self.nz["party_term_suffix"]:
            al += f" (khóa {party_term(s.day, 'central')})"
        if s.grammar == "law" and s.code == "UBTVQH":
            al += f" khóa {_roman(assembly_number(s.day))}"
        return al

    def ref(self, s: Spec, *, date_: bool | None = None, issuer: bool | None = None, title: bool = True,
            type_word: bool = True, so: bool = True) -> str:
        """Render a mention of ``s`` and record it in the known answer."""
        rng, nz = self.rng, self.nz
        if date_ is None:
            date_ = rng.random() >= nz["omit_date"]
        if issuer is None:
            issuer = rng.random() >= nz["omit_issuer"] or s.code in ("UBND", "HĐND") or self.needs_place(s)
        tw = s.type_name
        tags: list[str] = []
        out = f"{tw} " if type_word else ""
        if so and rng.random() >= nz["no_so"]:
            out += "số "
        elif so:
            tags.append("no_so")
        out += _noisy_symbol(rng, s, nz, tags)
        if date_:
            if rng.random() < nz["comma_before_date"]:
                out += ","
                tags.append("comma_before_date")
            ds = _fmt_date(rng, s.day, nz)
            tags.append("date:" + ("long" if "tháng" in ds else "dash" if "-" in ds else "slash"))
            out += " " + ds
        else:
            tags.append("no_date")
        if issuer:
            out += " của " + self.issuer_phrase(s)
            if rng.random() < nz["footnote"]:
                out += str(rng.randint(1, 9))
                tags.append("footnote_after_issuer")
        else:
            tags.append("no_issuer")
        if title:
            out += " " + s.title
        self._record(s, tw, date_, issuer, tags)
        return out

    def coordinated(self, a: Spec, b: Spec) -> str:
        """``A và B ngày ... của X``: two documents sharing a trailing date and issuer."""
        nz = self.nz
        joiner = self.rng.choice([" và ", ", "])
        ta: list[str] = ["coordinated"]
        tb: list[str] = ["coordinated"]
        out = (f"{a.type_name} số {_noisy_symbol(self.rng, a, nz, ta)}{joiner}{b.type_name} số "
               f"{_noisy_symbol(self.rng, b, nz, tb)}, {_fmt_date(self.rng, a.day, nz)} của {self.issuer_phrase(a)}")
        self._record(a, a.type_name, True, True, ta)
        self._record(b, b.type_name, True, True, tb)
        return out

    def shared_type(self, items: list[Spec]) -> str:
        """``các Quyết định số A, số B``: one plural type word, no dates."""
        tags: list[list[str]] = [["shared_type"] for _ in items]
        syms = ", ".join(f"số {_noisy_symbol(self.rng, s, self.nz, t)}" for s, t in zip(items, tags))
        for s, t in zip(items, tags):
            self._record(s, s.type_name, False, False, t)
        return f"các {items[0].type_name} {syms}"

    def remention(self, s: Spec) -> str:
        if self.rng.random() < self.nz["short_remention"] and s.grammar in ("state", "party"):
            return f"{s.type_name} {s.number}"
        return f"{s.type_name} số {_noisy_symbol(self.rng, s, self.nz)}"

    def nested(self, outer: Spec, inner: Spec) -> str:
        """``Kế hoạch số X ... về việc thực hiện Chỉ thị số Y ...``: two references and a link."""
        cue = self.rng.choice(["về việc thực hiện", "về thực hiện", "triển khai thực hiện", "thực hiện"])
        self.extra.append("nested_outer")
        o = self.ref(outer, title=False)
        self.extra[-1] = "nested_inner"
        i = self.ref(inner)
        self.extra.pop()
        text = f"{o} {cue} {i}"
        self.relate(outer, "implements", inner)
        return text

    # -- named references ---------------------------------------------------------------------
    def named_ref(self, day: date, province: str | None, resolutions_only: bool = False) -> str:
        """A document cited by name (a law, the Constitution, a congress or plenum resolution)."""
        rng = self.rng
        choices = ["congress"] if resolutions_only else ["law", "law", "congress"]
        if province:
            choices.append("local_congress")
        if day.year >= 2014 and not resolutions_only:
            choices.append("constitution")
        if day.year >= 2017:
            choices.append("plenum")
        kind = rng.choice(choices)
        if kind == "law":
            law = rng.choice(self.w.t["laws"])
            self.name(law)
            return law
        if kind == "constitution":
            self.name("Hiến pháp 2013")
            return rng.choice(["Hiến pháp năm 2013", "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013"])
        if kind == "plenum":
            term = party_term(day - timedelta(days=400), "central")
            n = rng.randint(3, 8)
            self.name(f"Nghị quyết Trung ương {n} khóa {term}")
            return f"Nghị quyết Trung ương {n} (khóa {term})"
        if kind == "congress":
            term = party_term(day, "central")
            self.name(f"Nghị quyết Đại hội {term}")
            return rng.choice([f"Nghị quyết Đại hội đại biểu toàn quốc lần thứ {term} của Đảng",
                               f"Nghị quyết Đại hội Đảng toàn quốc lần thứ {term}",
                               f"Nghị quyết Đại hội lần thứ {term} của Đảng"])
        ordn = _roman(random.Random(f"{province}").randint(10, 17) + (0 if day.year >= 2021 else -1))
        self.name(f"Nghị quyết Đại hội Đảng bộ tỉnh {ordn}")
        return rng.choice([f"Nghị quyết Đại hội Đảng bộ tỉnh lần thứ {ordn}",
                           f"Nghị quyết Đại hội đại biểu Đảng bộ tỉnh {province} lần thứ {ordn}"])

    def pinpoint(self) -> str:
        rng = self.rng
        law = rng.choice(self.w.t["laws"])
        self.name(law)
        pin = rng.choice(self.w.t["pinpoints"]).format(k=rng.randint(1, 5), d=rng.randint(2, 60),
                                                          d2=rng.randint(61, 90))
        return f"Thực hiện đúng quy định tại {pin} của {law}."

    # -- prose --------------------------------------------------------------------------------
    def sentence(self, topic: str, template: str) -> str:
        s = template.format(topic=topic)
        if self.rng.random() < self.nz["footnote"]:
            words = s.split(" ")
            i = self.rng.randrange(len(words) - 1)
            words[i] = words[i].rstrip(",;.") + str(self.rng.randint(1, 9))
            s = " ".join(words)
        return s

    def paragraph(self, topic: str, k: int) -> str:
        sents = self.w.t["sentences"]
        return " ".join(self.sentence(topic, s) for s in self.rng.sample(sents, min(k, len(sents))))

    def form_sentence(self) -> str:
        rng = self.rng
        form = rng.choice(self.w.t["forms"]).format(nn=f"{rng.randint(1, 12):02d}", year=rng.randint(2015, 2024))
        return rng.choice(self.w.t["form_sentences"]).format(form=form)

    def procedure_sentence(self) -> str:
        code = f"{self.rng.randint(1, 2)}.{self.rng.randint(0, 12999):06d}"
        return self.rng.choice(self.w.t["procedure_sentences"]).format(code=code)

    def add(self, *chunks: str) -> None:
        self.parts.extend(chunks)

    def gold(self, name: str, own: dict[str, Any]) -> dict[str, Any]:
        return {"file": f"{name}.txt", "own": own, "cited": list(self.cited.values()),
                "named": [{"name": n} for n in self.named], "relations": self.relations, "notes": "synthetic"}


def _key(symbol: str) -> str:
    m = re.match(r"0*(\d+)(.*)$", symbol)
    rest = re.sub(r"[-/.\s]", "", m.group(2) if m else symbol).upper().replace("Ð", "Đ")
    return f"{int(m.group(1)) if m else ''}:{rest}"


# ---------------------------------------------------------------------------------------------
# documents


def _signer(rng: random.Random, t: dict[str, Any]) -> str:
    n = t["names"]
    return f"{rng.choice(n['family'])} {rng.choice(n['middle'])} {rng.choice(n['given'])}"


def _place_line(s: Spec) -> str:
    place = s.place if s.level != "central" else "Hà Nội"
    return f"{place}, ngày {s.day.day:02d} tháng {s.day.month:02d} năm {s.day.year}"


def _head(s: Spec) -> list[str]:
    prof = s.profile or {}
    lines = [h.replace("{PLACE}", (s.place or "").upper()).replace("{PROVINCE}", (s.province or "").upper())
             .replace("{DISTRICT}", (s.district or "").upper()) for h in prof.get("head", [])]
    if s.grammar == "party":
        lines.append("ĐẢNG CỘNG SẢN VIỆT NAM")
    else:
        lines += ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    return lines


def _compose(w: Writer, s: Spec, body: list[str], rng: random.Random, name: str,
             with_symbol: bool) -> SynthDoc:
    t = w.w.t
    lines = _head(s) + [""]
    if with_symbol:
        lines.append(("Số " if s.grammar == "party" else "Số: ") + s.symbol)
        lines.append("")
    lines += [_place_line(s), "", s.type_name.upper()]
    text = "\n".join(lines) + "\n" + "\n\n".join(body)
    recips = rng.sample(t["recipients"], rng.randint(3, 6))
    sig_opts = (s.profile or {}).get("signature") or [["TM. CƠ QUAN"]]
    sig = sig_opts if isinstance(sig_opts[0], str) else rng.choice(sig_opts)
    signer = _signer(rng, t)
    text += "\n\nNơi nhận:\n" + "\n".join(f"- {r};" for r in recips) + "\n- Lưu: VT.\n\n"
    text += "\n".join(sig) + "\n\n\n\n" + signer + "\n"
    text, doc_tags = _doc_noise(rng, w.nz, text)
    for entry in w.cited.values():
        entry["forms"].extend(doc_tags)
    own = {"type": s.type_name, "symbol": s.symbol if with_symbol else None, "date": s.day.isoformat(),
           "issuer": s.body, "jurisdiction": s.jurisdiction, "signer": signer}
    return SynthDoc(name=name, text=text, gold=w.gold(name, own))


def _doc_noise(rng: random.Random, nz: dict[str, float], text: str) -> tuple[str, list[str]]:
    tags: list[str] = []
    if rng.random() < nz["doc_page_numbers"]:
        paras = text.split("\n\n")
        if len(paras) > 10:
            for page, i in enumerate(sorted(rng.sample(range(4, len(paras) - 4), 2)), 2):
                paras[i] += f"\n\n{page}"
            text = "\n\n".join(paras)
    if rng.random() < nz["doc_hard_wrap"]:
        text = _hard_wrap(text, rng.choice([" \n\n", "\n"]), rng.randint(68, 84))
        tags.append("doc_hard_wrap")
    if rng.random() < nz["doc_eth"]:
        text = text.replace("Đ", "\u00d0")
        tags.append("doc_eth")
    if rng.random() < nz["doc_nfd"]:
        text = unicodedata.normalize("NFD", text)
        tags.append("doc_nfd")
    return text, tags


def _hard_wrap(text: str, sep: str, width: int) -> str:
    """Break lines longer than ``width`` at spaces, as PDF-to-text output does.

    >>> _hard_wrap("một hai ba bốn", " \\n\\n", 8)
    'một hai \\n\\nba bốn'
    """
    out = []
    for line in text.split("\n"):
        pieces = []
        while len(line) > width:
            cut = line.rfind(" ", 1, width)
            if cut <= 0:
                break
            pieces.append(line[:cut])
            line = line[cut + 1:]
        pieces.append(line)
        out.append(sep.join(pieces))
    return "\n".join(out)


def _linebreaks(rng: random.Random, chunk: str) -> str:
    """Turn some spaces inside a paragraph into line breaks (``Chỉ thị số⏎17-CT/TU``)."""
    spaces = [m.start() for m in re.finditer(" ", chunk)]
    if not spaces:
        return chunk
    chars = list(chunk)
    for i in rng.sample(spaces, min(len(spaces), rng.randint(1, 3))):
        chars[i] = "\n"
    return "".join(chars)


def _local_doc(world: World, rng: random.Random, s: Spec, parents: list[Spec], name: str) -> SynthDoc:
    w = Writer(rng, world, s)
    t, nz = world.t, w.nz
    topic = s.title.split(" ", 1)[1] if " " in s.title else s.title
    for p in parents:
        w.keys[_key(p.symbol)] = id(p)
    body: list[str] = []
    # title
    if parents and rng.random() < 0.6:
        p = parents[0]
        body.append(f"Thực hiện {w.ref(p, title=False)}")
        w.relate("SELF", "implements", p)
    else:
        body.append(s.title[0].upper() + s.title[1:] + f" năm {s.day.year}")
    # preamble
    if s.grammar == "state" and rng.random() < 0.5:
        body.append(f"Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
        w.name("Luật Tổ chức chính quyền địa phương")
        w.relate("SELF", "based_on", "Luật Tổ chức chính quyền địa phương")
        c = world.central_before(rng, s.day, lambda x: x.grammar in ("normative", "state") and w.can_cite(x))
        if c is not None:
            body.append(f"Căn cứ {w.ref(c)};")
            w.relate("SELF", "based_on", c)
    pre = []
    lb = rng.random() < nz["linebreak_in_ref"] * 3
    w.extra = ["linebreaks"] if lb else []
    for p in parents:
        if p.parent is not None and w.can_cite(p.parent) and rng.random() < 0.6:
            pre.append(w.nested(p, p.parent))
        else:
            pre.append(w.ref(p))
        w.relate("SELF", "implements", p)
    if rng.random() < 0.25:
        pre.append(w.named_ref(s.day, s.province, resolutions_only=True))
        w.relate("SELF", "implements", w.last_name)
    w.extra = []
    alias = s.aliases[0]
    if pre:
        chunk = "Thực hiện " + "; ".join(pre) + ";"
        body.append(_linebreaks(rng, chunk) if lb else chunk)
    where = {"province": f"tỉnh {s.province}", "district": f"huyện {s.district}, tỉnh {s.province}",
             "commune": f"xã {s.commune}, huyện {s.district}, tỉnh {s.province}"}[s.level]
    body.append(f"{alias[0].upper() + alias[1:]} ban hành {s.type_name} {s.title} trên địa bàn {where} "
                f"năm {s.day.year}, cụ thể như sau:")
    # purpose
    body.append(rng.choice(t["sections"]["purpose"]))
    body.append("1. Mục đích")
    body.append(w.paragraph(topic, rng.randint(3, 6)))
    body.append("2. Yêu cầu")
    body.append(w.paragraph(topic, rng.randint(2, 5)))
    # content with citations
    body.append(rng.choice(t["sections"]["content"]))
    items: list[str] = []
    lb = rng.random() < nz["linebreak_in_ref"] * 3
    w.extra = ["linebreaks"] if lb else []
    for _ in range(rng.randint(2, 5)):
        r = rng.random()
        if r < 0.45:
            c = world.central_before(rng, s.day, w.can_cite)
            if c is not None and c.twin is not None and w.can_cite(c.twin) and c.twin.day == c.day and rng.random() < 0.5:
                a, b = sorted((c, c.twin), key=lambda x: x.number)
                items.append(w.coordinated(a, b))
            elif c is not None:
                items.append(w.ref(c))
        elif r < 0.65:
            lo = world.recent_local(rng, (str(s.province),), s.day)
            if w.can_cite(lo):
                assert lo is not None
                if lo.parent is not None and w.can_cite(lo.parent) and rng.random() < 0.5:
                    items.append(w.nested(lo, lo.parent))
                else:
                    items.append(w.ref(lo))
        elif r < 0.75:
            group = []
            for _ in range(rng.randint(2, 3)):
                c = world.central_before(rng, s.day, lambda x: w.can_cite(x) and x.grammar in ("state", "normative")
                                         and x.type_name == (group[0].type_name if group else x.type_name)
                                         and x not in group)
                if c is not None:
                    group.append(c)
            if len(group) >= 2:
                items.append(w.shared_type(group))
        else:
            items.append(w.named_ref(s.day, s.province))
    w.extra = []
    if items:
        chunk = ("1. Tiếp tục quán triệt, tuyên truyền các chủ trương của Đảng, chính sách, pháp luật của Nhà nước về "
                 + topic + ", trọng tâm là các văn bản như: " + "; ".join(items) + ".")
        body.append(_linebreaks(rng, chunk) if lb else chunk)
    for i in range(2, rng.randint(5, 9)):
        para = f"{i}. " + w.paragraph(topic, rng.randint(3, 6))
        if parents and rng.random() < 0.3:
            para += f" Triển khai đầy đủ các nội dung của {w.remention(parents[0])}."
        if rng.random() < 0.15:
            para += " " + w.pinpoint()
        if rng.random() < 0.2:
            para += " " + w.procedure_sentence()
        body.append(para)
    body.append(rng.choice(t["sections"]["organize"]))
    self_ref = f"{s.type_name} này"
    dept = rng.choice(t["departments"])
    for i, sent in enumerate(rng.sample(t["organize_sentences"], 3), 1):
        body.append(f"{i}. " + sent.format(dept=dept, self=self_ref, day=rng.randint(10, 28), month=rng.randint(5, 12)))
    if rng.random() < 0.3:
        body.append(w.form_sentence())
    return _compose(w, s, body, rng, name, with_symbol=rng.random() >= 0.1)


def _central_doc(world: World, rng: random.Random, s: Spec, name: str) -> SynthDoc:
    w = Writer(rng, world, s)
    t = world.t
    topic = s.title.split(" ", 1)[1] if " " in s.title else s.title
    body: list[str] = []

    def olderp(x: Spec) -> bool:
        return w.can_cite(x) and x.day < s.day

    if s.grammar == "normative":
        amend = world.central_before(rng, s.day, lambda x: olderp(x) and x.type_code == s.type_code and x.code == s.code)
        guided = world.central_before(rng, s.day, lambda x: olderp(x) and x.type_code == "NĐ")
        if s.type_code == "TT" and guided is not None:
            body.append(f"Hướng dẫn thi hành một số điều của {w.ref(guided, title=False)}")
            w.relate("SELF", "guides", guided)
        elif amend is not None and rng.random() < 0.5:
            body.append(f"Sửa đổi, bổ sung một số điều của {w.ref(amend, title=False)}")
            w.relate("SELF", "amends", amend)
        else:
            body.append(s.title[0].upper() + s.title[1:])
        law = rng.choice(t["laws"])
        body.append(f"Căn cứ {law} ngày {rng.randint(1, 28)} tháng {rng.randint(1, 12)} năm {rng.randint(2005, s.day.year - 1)};")
        w.name(law)
        w.relate("SELF", "based_on", law)
        if s.type_code == "TT" and guided is not None:
            body.append(f"Căn cứ {w.ref(guided)};")
            w.relate("SELF", "based_on", guided)
        body.append(f"{s.aliases[0]} ban hành {s.type_name} {s.title}.")
    else:
        parent = world.central_before(rng, s.day, lambda x: olderp(x) and x.grammar in ("party", "state"))
        if parent is not None:
            body.append(s.title[0].upper() + s.title[1:])
            body.append(f"Thực hiện {w.ref(parent)}, {s.aliases[0]} {rng.choice(['yêu cầu', 'chỉ đạo', 'kết luận'])} như sau:")
            w.relate("SELF", "implements", parent)
            s.parent = parent
        else:
            body.append(s.title[0].upper() + s.title[1:])
    for i in range(1, rng.randint(4, 9)):
        para = f"{i}. " + w.paragraph(topic, rng.randint(3, 6))
        if rng.random() < 0.5:
            c = world.central_before(rng, s.day, olderp)
            if c is not None:
                para += f" Tiếp tục thực hiện nghiêm {w.ref(c)}."
        body.append(para)
    r = rng.random()
    old = world.central_before(rng, s.day, lambda x: olderp(x) and x.code == s.code and x.type_code == s.type_code)
    if old is not None and r < 0.3:
        body.append(f"{s.type_name} này có hiệu lực kể từ ngày ký ban hành và thay thế {w.ref(old, title=False)}.")
        w.relate("SELF", "replaces", old)
    elif old is not None and r < 0.45:
        body.append(f"{s.type_name} này có hiệu lực kể từ ngày ký; bãi bỏ {w.ref(old, title=False)}.")
        w.relate("SELF", "repeals", old)
    else:
        body.append(f"{s.type_name} này có hiệu lực kể từ ngày ký ban hành.")
    return _compose(w, s, body, rng, name, with_symbol=True)


def generate(n: int, seed: int = 0, out_dir: str | os.PathLike[str] | None = None,
             prefix: str = "syn") -> Iterator[SynthDoc]:
    """Generate ``n`` documents lazily; with ``out_dir``, write each as it is made.

    Parameters
    ----------
    n : int
        Number of documents.
    seed : int
        Same seed, same documents (byte for byte).
    out_dir : path, optional
        Directory receiving ``<name>.txt`` and ``<name>.json`` (the known answer) for each document.
    prefix : str
        File stem prefix; stems are ``{prefix}_{index:06d}``.

    Yields
    ------
    SynthDoc
        In order; memory stays flat in ``n`` (the central registry grows as ``n / 50``).

    Examples
    --------
    >>> d = next(generate(1, seed=7))
    >>> d.text.count("Nơi nhận:"), d.gold["file"], d.text.rstrip().endswith(d.gold["own"]["signer"])
    (1, 'syn_000000.txt', True)
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    out = Path(out_dir) if out_dir is not None else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    world = World(seed, n)
    i = 0
    campaign = 0
    while i < n:
        rng = random.Random(f"{seed}:campaign:{campaign}")
        campaign += 1
        for doc in _campaign(world, rng, lambda: f"{prefix}_{i:06d}"):
            if out is not None:
                doc.path = out / f"{doc.name}.txt"
                _write(doc.path, doc.text.encode("utf-8"))
                _write(out / f"{doc.name}.json", json.dumps(doc.gold, ensure_ascii=False, indent=1).encode("utf-8"))
            yield doc
            i += 1
            if i >= n:
                return


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary name and rename: readers never see half a file.

    Unlike :func:`citegraph.io.atomic.atomic_write` there is no fsync: a generated corpus can be
    generated again, and 200,000 fsyncs would take minutes.
    """
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _campaign(world: World, rng: random.Random, next_name: Callable[[], str]) -> Iterator[SynthDoc]:
    """One central document and the local plans implementing it, province down to commune."""
    root = world.central[rng.randrange(len(world.central))]
    if root.grammar == "law":
        root = world.central_before(rng, LAST_DAY, lambda x: x.grammar != "law") or root
    files = set(world.t["central_files"])
    if not root.emitted and root.body in files and root.grammar != "law":
        root.emitted = True
        yield _central_doc(world, rng, root, next_name())
    provinces = rng.sample(world.provinces, rng.randint(1, 2))
    for prov in provinces:
        pday = min(LAST_DAY, root.day + timedelta(days=rng.randint(10, 120)))
        levels = world.t["local_profiles"]
        parents: list[Spec] = [root]
        chain_party = None
        if rng.random() < 0.35:
            prof = next(p for p in levels["province"] if p["grammar"] == "party")
            chain_party = world.local(rng, "province", prov, None, None, pday, world.title(rng), prof, root)
            chain_party.parent = root
            yield _local_doc(world, rng, chain_party, [root], next_name())
            world.remember(chain_party)
            pday = min(LAST_DAY, pday + timedelta(days=rng.randint(5, 40)))
            parents = [chain_party]
        p = world.local(rng, "province", prov, None, None, pday, world.title(rng), avoid=parents[0])
        p.parent = parents[0]
        yield _local_doc(world, rng, p, parents, next_name())
        world.remember(p)
        for dist in rng.sample(world.districts(prov), rng.randint(0, 3)):
            dday = min(LAST_DAY, p.day + timedelta(days=rng.randint(5, 60)))
            d = world.local(rng, "district", prov, dist, None, dday, world.title(rng), avoid=p)
            d.parent = p
            yield _local_doc(world, rng, d, [p], next_name())
            world.remember(d)
            for com in rng.sample(world.communes(prov, dist), rng.randint(0, 2)):
                cday = min(LAST_DAY, d.day + timedelta(days=rng.randint(3, 40)))
                c = world.local(rng, "commune", prov, dist, com, cday, world.title(rng), avoid=d)
                c.parent = d
                yield _local_doc(world, rng, c, [d], next_name())


# ---------------------------------------------------------------------------------------------
# scoring extraction against the known answers


def symbol_key(symbol: str | None) -> str | None:
    """Match key of a symbol: the number as an integer, then the letters upper-cased, no separators.

    The same key as the evaluation script's: ``0124/KH- UBND`` and ``124/KH-UBND`` are one document.

    >>> symbol_key("0124/KH- UBND") == symbol_key("124/kh-ubnd")
    True
    """
    if not symbol:
        return None
    t = unicodedata.normalize("NFC", symbol).replace("\u00d0", "\u0110").replace("\u0111", "\u0110")
    t = re.sub(r"[\u2010-\u2015\u2212]", "-", re.sub(r"\s+", "", t))
    m = re.match(r"0*(\d+)(.*)$", t)
    if not m:
        return t.upper()
    return f"{int(m.group(1))}:{re.sub(r'[-/.]', '', m.group(2)).upper()}"


_ABBR = {"ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "btv": "ban thường vụ",
         "mttq": "mặt trận tổ quốc", "ttg": "thủ tướng chính phủ", "qh": "quốc hội"}


def _words(t: str) -> list[str]:
    t = unicodedata.normalize("NFC", t).lower().replace("uỷ", "ủy")
    out: list[str] = []
    for w in re.findall(r"\w+", t):
        out.extend(_ABBR.get(w, w).split())
    return out


def _issuer_norm(t: str | None, places: Sequence[str]) -> str:
    text = " ".join(_words(t or ""))
    text = re.sub(r"\(?khóa [ivxlc]+\)?", " ", text)
    for p in sorted(places, key=len, reverse=True):
        if p:
            text = text.replace(p, " ")
    text = re.sub(r"\b(của|đảng cộng sản việt nam)\b", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*đảng$", "", text)


def issuer_matches(gold: str | None, pred: str | None, places: Sequence[str] = ()) -> bool:
    """Lenient issuer comparison (abbreviations expanded, place names dropped, prefix of the other).

    >>> issuer_matches("Ủy ban nhân dân tỉnh", "UBND tỉnh Bình Phước", ["bình phước"])
    True
    """
    g, p = _issuer_norm(gold, places), _issuer_norm(pred, places)
    if not g:
        return True
    return bool(p) and (g == p or p.startswith(g + " ") or g.startswith(p + " "))


def _jurisdiction_matches(gold: str | None, pred: str | None) -> bool:
    if not gold:
        return True
    p = " ".join(_words(pred or ""))
    if gold == "central":
        return p in ("central", "vn", "việt nam", "trung ương", "national")
    first = re.sub(r"^(tỉnh|thành phố|huyện|xã|phường)\s+", "", " ".join(_words(gold.split(",")[0])))
    return bool(p) and first in p


@dataclass
class Score:
    """Extraction measured against known answers (distinct cited documents per text)."""

    documents: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    date_ok: int = 0
    date_n: int = 0
    issuer_ok: int = 0
    issuer_n: int = 0
    jur_ok: int = 0
    jur_n: int = 0
    named_ok: int = 0
    named_n: int = 0
    rel_ok: int = 0
    rel_n: int = 0
    own_ok: int = 0
    own_n: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_hits: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    form_counts: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _r(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        return self._r(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self._r(self.tp, self.tp + self.fn)

    def figures(self) -> dict[str, float]:
        """The headline ratios."""
        r = self._r
        return {"precision": self.precision, "recall": self.recall, "date": r(self.date_ok, self.date_n),
                "issuer": r(self.issuer_ok, self.issuer_n), "jurisdiction": r(self.jur_ok, self.jur_n),
                "named_recall": r(self.named_ok, self.named_n), "relation_recall": r(self.rel_ok, self.rel_n),
                "own_header": r(self.own_ok, self.own_n)}

    def miss_rates(self) -> dict[str, tuple[int, int]]:
        """Per surface form (``forms`` tags of the known answers): ``(missed, seen)``."""
        missed: dict[str, int] = {}
        for m in self.misses:
            for f in m["forms"]:
                missed[f] = missed.get(f, 0) + 1
        return {f: (missed.get(f, 0), n) for f, n in sorted(self.form_counts.items())}

    def summary(self) -> str:
        """One line of figures."""
        return "  ".join(f"{k}={v:.3f}" for k, v in self.figures().items()) + \
            f"  (documents={self.documents}, cited={self.tp + self.fn})"


def score(pairs: Iterable[tuple[dict[str, Any], Any]]) -> Score:
    """Score extractions against known answers: ``pairs`` of ``(gold, Extraction or its dict)``.

    Examples
    --------
    >>> gold = {"file": "x.txt", "own": {}, "cited": [{"symbol": "33/CT-TTg", "date": "2021-11-26",
    ...         "issuer": "Thủ tướng Chính phủ", "jurisdiction": "central", "forms": []}],
    ...         "named": [], "relations": []}
    >>> pred = {"references": [{"kind": "numbered", "symbol": "33/CT-TTg", "date": "2021-11-26",
    ...         "issuer": "Thủ tướng Chính phủ", "jurisdiction": "central"}], "relations": [], "document": {}}
    >>> score([(gold, pred)]).figures()["recall"]
    1.0
    """
    sc = Score()
    for gold, pred in pairs:
        sc.documents += 1
        p = pred.to_dict() if hasattr(pred, "to_dict") else pred
        if not isinstance(p, dict):  # a ReadError: everything missed
            for c in gold["cited"]:
                sc.fn += 1
                sc.misses.append({"file": gold["file"], "symbol": c["symbol"], "forms": c.get("forms", [])})
            continue
        refs = p.get("references", [])
        places = sorted({re.sub(r"^(tỉnh|thành phố|huyện|xã|phường)\s+", "", " ".join(_words(x)))
                         for c in gold["cited"] + [gold.get("own", {})]
                         for x in (c.get("jurisdiction") or "").split(",") if x and c.get("jurisdiction") != "central"})
        by_key: dict[str, list[dict[str, Any]]] = {}
        for r in refs:
            k = symbol_key(r.get("symbol"))
            if k and r.get("kind", "numbered") == "numbered":
                by_key.setdefault(k, []).append(r)
        gold_keys = set()
        for c in gold["cited"]:
            k = symbol_key(c["symbol"])
            gold_keys.add(k)
            for f in c.get("forms", []):
                sc.form_counts[f] = sc.form_counts.get(f, 0) + 1
            got = by_key.get(k or "", [])
            if not got:
                sc.fn += 1
                sc.misses.append({"file": gold["file"], "symbol": c["symbol"], "forms": c.get("forms", [])})
                continue
            sc.tp += 1
            cands = [r for r in got if _jurisdiction_matches(c.get("jurisdiction"), r.get("jurisdiction"))] or got
            dated = [r["date"] for r in cands if r.get("date")]
            sc.date_n += 1
            if (dated[0] if dated else None) == c.get("date"):
                sc.date_ok += 1
            else:
                sc.wrong.append({"file": gold["file"], "symbol": c["symbol"], "field": "date", "gold": c.get("date"),
                                 "got": dated[0] if dated else None, "forms": c.get("forms", [])})
            if c.get("issuer"):
                sc.issuer_n += 1
                if any(issuer_matches(c["issuer"], r.get("issuer"), places) for r in cands):
                    sc.issuer_ok += 1
                else:
                    sc.wrong.append({"file": gold["file"], "symbol": c["symbol"], "field": "issuer", "gold": c["issuer"],
                                     "got": sorted({str(r.get("issuer")) for r in cands}), "forms": c.get("forms", [])})
            if c.get("jurisdiction"):
                sc.jur_n += 1
                if any(_jurisdiction_matches(c["jurisdiction"], r.get("jurisdiction")) for r in got):
                    sc.jur_ok += 1
                else:
                    sc.wrong.append({"file": gold["file"], "symbol": c["symbol"], "field": "jurisdiction",
                                     "gold": c["jurisdiction"], "got": sorted({str(r.get("jurisdiction")) for r in got}),
                                     "forms": c.get("forms", [])})
        for k, rs in by_key.items():
            if k not in gold_keys:
                sc.fp += 1
                sc.false_hits.append({"file": gold["file"], "symbol": rs[0].get("symbol"), "text": rs[0].get("text")})
        names = [r.get("name") or r.get("text") or "" for r in refs if r.get("kind") == "named"]
        for n in gold.get("named", []):
            sc.named_n += 1
            if any(_name_matches(n["name"], x) for x in names):
                sc.named_ok += 1
        prels = set()
        for r in p.get("relations", []):
            prels.add((_end(r.get("from"), refs), r.get("rel"), _end(r.get("to"), refs)))
        for r in gold.get("relations", []):
            sc.rel_n += 1
            g = (_gold_end(r["from"]), r["rel"], _gold_end(r["to"]))
            if any(_same(g[0], a) and g[1] == rel and _same(g[2], b) for a, rel, b in prels):
                sc.rel_ok += 1
        own, pown = gold.get("own", {}), p.get("document") or {}
        for f in ("symbol", "date", "issuer", "signer"):
            if own.get(f) is None:
                continue
            sc.own_n += 1
            gv, pv = own[f], pown.get(f)
            ok = symbol_key(gv) == symbol_key(pv) if f == "symbol" else \
                issuer_matches(gv, pv, places) if f == "issuer" else gv == pv
            sc.own_ok += bool(ok)
            if not ok:
                sc.wrong.append({"file": gold["file"], "symbol": "SELF", "field": f"own {f}", "gold": gv, "got": pv,
                                 "forms": []})
    return sc


_NAME_STOP = set("nghị quyết đại hội đảng bộ đại biểu toàn quốc lần thứ của năm số ngày nhiệm kỳ khóa "
                 "việt nam cộng sản the và về".split())


def _name_key(t: str) -> set[str]:
    toks = _words(t)
    keep = {x for x in toks if x not in _NAME_STOP or x in ("luật", "hiến", "pháp")}
    if "đại" in toks and "hội" in toks:
        keep.add("@congress")
        if "tỉnh" in toks or "bộ" in toks:
            keep.add("@local")
    if "trung" in toks and "ương" in toks:
        keep.add("@plenum")
    return keep


def _name_matches(gold: str, pred: str) -> bool:
    g, p = _name_key(gold), _name_key(pred)
    if not g or not p:
        return False
    romans = {x for x in g if re.fullmatch(r"[ivxlc]+", x)}
    if romans and not romans <= p:
        return False
    return len(g & p) / len(g | p) >= 0.5


def _end(x: Any, refs: list[dict[str, Any]]) -> tuple[str, ...]:
    if x == "SELF" or x is None:
        return ("SELF",)
    if isinstance(x, int) and 0 <= x < len(refs):
        r = refs[x]
        return ("sym", str(symbol_key(r["symbol"]))) if r.get("symbol") else ("name", r.get("name") or r.get("text") or "")
    return ("sym", str(symbol_key(str(x))))


def _gold_end(x: str) -> tuple[str, ...]:
    if x == "SELF":
        return ("SELF",)
    return ("sym", str(symbol_key(x))) if re.match(r"^\d", x) else ("name", x)


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "SELF":
        return True
    return a[1] == b[1] if a[0] == "sym" else _name_matches(a[1], b[1])


def write_corpus(n: int, out_dir: str | os.PathLike[str], seed: int = 0, *,
                 progress: bool | None = None) -> list[Path]:
    """Write ``n`` documents and their known answers to ``out_dir``; return the text paths.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_corpus(2, tempfile.mkdtemp(), seed=3)
    >>> [p.suffix for p in paths], paths[0].with_suffix(".json").exists()
    (['.txt', '.txt'], True)
    """
    it: Iterator[SynthDoc] = generate(n, seed=seed, out_dir=out_dir)
    if progress is None:
        progress = n >= 2000 and sys.stderr.isatty()
    if progress:
        from tqdm import tqdm

        it = tqdm(it, total=n, unit="doc", desc="synth")
    return [d.path for d in it if d.path is not None]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m citegraph.synth N OUT_DIR [--seed S]``."""
    ap = argparse.ArgumentParser(prog="python -m citegraph.synth", description="Write a synthetic corpus with known answers.")
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out_dir", help="output directory (<name>.txt and <name>.json per document)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    paths = write_corpus(args.n, args.out_dir, seed=args.seed)
    print(f"wrote {len(paths)} documents to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
