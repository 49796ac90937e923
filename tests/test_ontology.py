"""The vocabularies of ontology/ as data, the reporters-db way.

Each ``ontology/<name>.json`` has a JSON Schema, ``ontology/schemas/<name>.schema.json``, and validates
against it. Each entry's examples are read by the code the way the entry says (its type, its body, its
province, its relation, its named document), and every pattern, alias, cue or word of an entry is the one
found in at least one of its examples: a mistake in the data fails here instead of hiding.
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Callable

import jsonschema
import pytest

from citegraph.extraction.find import find_backrefs, find_definitions, find_named, find_numbered
from citegraph.synth import type_of
from citegraph.text.normalize import fold
from citegraph.text.vocab import ROMAN_RE, raw, vocabulary, words_pattern

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology"
SCHEMAS = ONTOLOGY / "schemas"
NAMES = sorted(p.stem for p in ONTOLOGY.glob("*.json"))


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _errors(name: str, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(_schema(name))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def _first(alternatives: list[str], text: str, flags: int = 0) -> re.Match[str] | None:
    """The first of ``alternatives`` (phrases, longest first) found in ``text`` as whole words, as the
    extraction's alternations find it: the leftmost, and the longest of those starting there."""
    rx = re.compile(r"(?<![\w])(?:" + "|".join(words_pattern(a) for a in alternatives) + r")(?![^\W\d_])", flags)
    return rx.search(text)


def _key(phrase: str) -> str:
    return fold(phrase)


# ================================================================================== schemas
def test_every_vocabulary_has_a_schema_and_every_schema_a_vocabulary():
    schemas = {p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json")}
    assert NAMES, "no vocabulary found in ontology/"
    assert not set(NAMES) - schemas, f"write ontology/schemas/<name>.schema.json for {sorted(set(NAMES) - schemas)}"
    assert not schemas - set(NAMES), f"schemas without a vocabulary: {sorted(schemas - set(NAMES))}"


@pytest.mark.parametrize("name", NAMES)
def test_vocabulary_validates_against_its_schema(name):
    jsonschema.Draft202012Validator.check_schema(_schema(name))
    assert _errors(name, raw(name)) == []


def _set(path: list[Any], value: Any) -> Callable[[Any], None]:
    def change(d: Any) -> None:
        for k in path[:-1]:
            d = d[k]
        d[path[-1]] = value
    return change


def _drop(path: list[Any]) -> Callable[[Any], None]:
    def change(d: Any) -> None:
        for k in path[:-1]:
            d = d[k]
        del d[path[-1]]
    return change


# (file, what is broken, the change): each schema must reject the broken copy
BROKEN = [
    ("doc_types", "a type without examples", _drop(["types", 0, "examples"])),
    ("doc_types", "a code with a blank", _set(["types", 0, "code"], "N Q")),
    ("doc_types", "an unknown system", _set(["types", 0, "systems"], ["church"])),
    ("issuers", "an unknown level", _set(["bodies", 0, "level"], "ward")),
    ("issuers", "an alias with a trailing blank", _set(["bodies", 0, "aliases"], ["Bộ Chính trị "])),
    ("places", "a capitalised level word", _set(["levels", "province", "words"], ["Tỉnh"])),
    ("places", "a province without its kind", _drop(["provinces", 0, "kind"])),
    ("relations", "a relation without its ELI property key", _drop(["relations", 0, "eli"])),
    ("relations", "a repeated cue", _set(["relations", 0, "inline"], ["căn cứ", "căn cứ"])),
    ("named", "a fixed document without its id", _drop(["patterns", -1, "id"])),
    ("named", "a pattern that is not fixed with a fixed document's name", _set(["patterns", 0, "name"], "x")),
    ("terms", "a month 13", _set(["party_central", 0, "start"], "1996-13-01")),
    ("terms", "an assembly term without its code", _drop(["national_assembly", 0, "code"])),
    ("legacy_encodings", "a legacy character decoded to two letters", _set(["tcvn3", "map", "\u00a1"], "Ăă")),
    ("synth_templates", "a noise rate above 1", _set(["noise", "case"], 1.5)),
    ("synth_templates", "a profile of an unknown grammar", _set(["central_profiles", 0, "grammar"], "church")),
    ("units", "a province code of one digit", _set(["legacy", 0, "today"], "1")),
    ("units", "a commune without its level word", _set(["provinces", 0, "communes", "00004"], "Ba Đình")),
    ("units", "a split commune of one code", _set(["legacy", 0, "districts", "quận Ba Đình", "phường Phúc Xá"], ["00004"])),
]


@pytest.mark.parametrize("name, what, change", BROKEN, ids=[f"{b[0]}: {b[1]}" for b in BROKEN])
def test_schema_rejects_broken_data(name, what, change):
    data = copy.deepcopy(raw(name))
    change(data)
    assert _errors(name, data), f"the schema of {name}.json accepts {what}"


# ================================================================================== doc_types.json
TYPES = raw("doc_types")["types"]


def _lines(example: str) -> str:
    """An example as text: ⏎ stands for a line break."""
    return example.replace("⏎", "\n")


def _read_type(example: str) -> Any:
    text = _lines(example)
    found = find_numbered(text) or find_named(text)
    assert len(found) == 1, f"{example!r}: {len(found)} mentions found"
    return found[0]


@pytest.mark.parametrize("t", TYPES, ids=[t["name"] for t in TYPES])
def test_type_examples_are_read_with_their_type_and_show_every_form(t):
    v = vocabulary()
    codes = {c for c in (t.get("code"), *t.get("alt_codes", [])) if c}
    words, shown_codes = set(), set()
    for ex in t["examples"]:
        m = _read_type(ex)
        assert m.type_word and v.type_for_word(m.type_word).name == t["name"], (ex, m.type_word)
        if m.kind == "numbered" and m.type_code and codes:
            assert m.type_code in codes, (ex, m.type_code)
        words.add(_key(m.type_word))
        shown_codes.add(m.type_code)
    assert {_key(w) for w in (t["name"], *t.get("variants", []))} <= words
    assert set(t.get("alt_codes", [])) <= shown_codes


def test_code_defaults_name_known_types():
    v = vocabulary()
    for system, defaults in raw("doc_types")["code_defaults"].items():
        if system.startswith("$"):
            continue
        for code, name in defaults.items():
            t = v.type_for_word(name)
            assert t is not None and v.type_for_code(code, system) is t, (system, code, name)


# ================================================================================== issuers.json
BODIES = raw("issuers")["bodies"]


@pytest.mark.parametrize("b", BODIES, ids=[b["name"] for b in BODIES])
def test_body_examples_name_the_body_and_show_every_alias(b):
    v = vocabulary()
    aliases = v.body_aliases()
    found = set()
    for ex in b["examples"]:
        m = _first(aliases, ex)
        assert m is not None, ex
        body = v.body_for_text(m.group())
        assert body is not None and body.name == b["name"], (ex, m.group(), body)
        found.add(_key(m.group()))
    assert {_key(a) for a in (b["name"], *b.get("aliases", []))} <= found


def test_every_code_of_a_body_has_a_default_body():
    v = vocabulary()
    for b in BODIES:
        for c in b.get("codes", []):
            assert v.bodies_for_code(c), (b["name"], c)
            assert v.code_info(c) is not None, f"no default body for the code {c} of {b['name']}"


# ================================================================================== places.json
PROVINCES = raw("places")["provinces"]
LEVELS = raw("places")["levels"]


@pytest.mark.parametrize("p", PROVINCES, ids=[p["name"] for p in PROVINCES])
def test_province_examples_name_the_province_and_show_every_alias(p):
    v = vocabulary()
    found = set()
    for ex in p["examples"]:
        assert v.province_of(ex) == p["name"], ex
        m = _first(v.province_names(), ex)
        assert m is not None and v.province(m.group()) == p["name"], (ex, m and m.group())
        found.add(_key(m.group()))
    assert {_key(a) for a in (p["name"], *p.get("aliases", []))} <= found


@pytest.mark.parametrize("level", sorted(LEVELS))
def test_level_examples_start_with_a_level_word_and_show_every_word(level):
    words = sorted(LEVELS[level]["words"], key=len, reverse=True)
    found = set()
    for ex in LEVELS[level]["examples"]:
        m = re.match(r"(?:" + "|".join(words_pattern(w) for w in words) + r")\s+(?=[^\W\d_])", ex)
        assert m is not None and ex[m.end()].isupper(), ex
        found.add(_key(m.group()))
    assert {_key(w) for w in words} <= found


# ================================================================================== relations.json
RELATIONS = raw("relations")


def _cue_owners() -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for r in RELATIONS["relations"]:
        for c in (*r["preamble"], *r["inline"]):
            owners.setdefault(_key(c), set()).add(r["name"])
    return owners


@pytest.mark.parametrize("r", RELATIONS["relations"], ids=[r["name"] for r in RELATIONS["relations"]])
def test_relation_examples_show_a_cue_of_the_relation_and_every_cue(r):
    owners = _cue_owners()
    cues = sorted(owners, key=len, reverse=True)
    found = set()
    for ex in r["examples"]:
        m = _first(cues, ex, re.IGNORECASE)
        assert m is not None and r["name"] in owners[_key(m.group())], (ex, m and m.group())
        found.add(_key(m.group()))
    assert {_key(c) for c in (*r["preamble"], *r["inline"])} <= found


def test_backref_examples_are_found_and_show_every_phrase():
    b = RELATIONS["backrefs"]
    defines = sorted(b["define"], key=len, reverse=True)
    found: dict[str, set[str]] = {"self": set(), "previous": set(), "define": set()}
    for ex in b["examples"]:
        backs, defs = find_backrefs(ex), find_definitions(ex)
        assert len(backs) + len(defs) == 1, (ex, backs, defs)
        if backs:
            (m,) = backs
            phrase = ex[m.start:m.end][len(m.type_word):]
            assert m.backref in ("self", "previous") and ex[m.end:].strip() in ("", "."), ex
            found[m.backref].add(_key(phrase))
        else:
            ((start, end, _),) = defs
            assert (start, end) == (0, len(ex)), ex
            m = _first(defines, ex[1:])
            assert m is not None and m.start() == 0, ex
            found["define"].add(_key(m.group()))
    for kind, phrases in found.items():
        assert {_key(p) for p in b[kind]} <= phrases, kind


def test_not_reference_examples_hold_no_reference_and_show_every_word():
    n = RELATIONS["not_references"]
    words = sorted(n["before"], key=len, reverse=True)
    found = set()
    for ex in n["examples"]:
        m = _first(words, ex, re.IGNORECASE)
        assert m is not None and m.start() == 0, ex
        assert find_numbered(ex) == [], ex
        found.add(_key(m.group()))
    assert {_key(w) for w in words} <= found


# ================================================================================== named.json
NAMED = raw("named")


def _expanded(pattern: str) -> str:
    """A named.json pattern with its placeholders expanded as named.json's $comment says."""
    provinces = "|".join(words_pattern(p) for p in vocabulary().province_names())
    return (pattern.replace("{ORD}", ROMAN_RE).replace("{PROVINCE}", f"(?:{provinces})")
            .replace("{TERM}", r"(?:19|20)\d\d\s*-\s*(?:19|20)\d\d"))


@pytest.mark.parametrize("p", NAMED["patterns"], ids=[f"{p['kind']}-{i}" for i, p in enumerate(NAMED["patterns"])])
def test_named_examples_match_their_pattern_and_are_found_whole(p):
    rx = re.compile(_expanded(p["pattern"]))
    for ex in p["examples"]:
        m = rx.match(ex)
        assert m is not None and (p["kind"] == "law" or m.end() == len(ex)), ex
        for text in (ex, ex + " về", ex + "\nvề"):  # what follows is not part of the mention
            found = [x for x in find_named(text) if (x.start, x.end) == (0, len(ex))]
            assert [(x.named_kind, x.type_word) for x in found] == [(p["kind"], p["type"])], (text, find_named(text))
        if p["kind"] == "fixed":
            assert found[0].name == p["name"]


@pytest.mark.parametrize("p", NAMED["patterns"], ids=[f"{p['kind']}-{i}" for i, p in enumerate(NAMED["patterns"])])
def test_named_speed_hints_hold_on_the_examples(p):
    """``head`` starts every match, ``anchor`` is in every match, each anchor starts with an ``anchor_heads``."""
    for ex in p["examples"]:
        if "head" in p:
            assert re.match(p["head"], ex), ex
        if "anchor" in p:
            anchors = list(re.finditer(p["anchor"], ex))
            assert anchors, ex
            for a in anchors:
                assert not p.get("anchor_heads") or a.group().startswith(tuple(p["anchor_heads"])), (ex, a.group())


@pytest.mark.parametrize("law", NAMED["known_laws"])
def test_known_laws_are_found_whole_by_their_name(law):
    found = find_named(law)
    assert [(m.named_kind, m.start, m.end, m.name) for m in found] == [("law", 0, len(law), law)]


def test_known_laws_in_one_alternation_match_as_the_loop_did():
    """One alternation of the known laws finds, after "Luật"/"Bộ luật", the law the loop over their patterns
    found first (the longest names first): on every law name, with a tail, in other cases, and on the texts."""
    from citegraph.extraction.find import _known_laws, _known_laws_of

    each = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in _known_laws()]

    def loop(text: str, pos: int, lt: str):
        for name, rx in each:
            km = rx.match(text, pos)
            if km and name.startswith(lt):
                return km.end(), name
        return None

    def one(text: str, pos: int, lt: str):
        rx, names = _known_laws_of(lt)
        km = rx.match(text, pos) if rx is not None else None
        return (km.end(), names[km.lastindex - 1]) if km else None

    texts = [law + tail for law in NAMED["known_laws"] for tail in ("", " năm 2015", "sửa đổi", ";\n")]
    texts += [t.upper() for t in texts[::7]] + [t.lower() for t in texts[::5]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "real").glob("*.txt"))]
    found = 0
    for text in texts:
        for m in re.finditer(r"(?i)(?:Bộ\s+)?luật\s+", text):
            for lt in ("Luật", "Bộ luật"):
                want = loop(text, m.end(), lt)
                assert one(text, m.end(), lt) == want, (text[m.start():m.end() + 60], lt)
                found += want is not None
    assert found > 100


def test_law_name_stops_grouped_by_window_stop_where_each_did():
    """The stops of a law's name, one alternation per look-ahead window, stop where one of them did, at every
    word of the texts (and of the stops themselves, with long blanks inside)."""
    from citegraph.extraction.find import _law_stop_res, _law_stops

    each = [(len(st), re.compile(rf"{st}(?![\w])")) for st in _law_stops()]
    grouped = _law_stop_res()
    stops = NAMED["law_name_stops"]
    texts = [f"Luật X {s}{tail}" for s in stops for tail in ("", " y", "y", ",")]
    texts += [t.replace(" ", " " * 9) for t in texts[::3]] + [t.upper() for t in texts[::4]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "real").glob("*.txt"))[:20]]
    stopped = 0
    for text in texts:
        for w in re.finditer(r"[^\W\d_][\w-]*|\d+", text):
            j = w.start()
            want = any(st.match(text, j, j + n + 12) for n, st in each)
            assert any(st.match(text, j, j + n + 12) for n, st in grouped) == want, text[j:j + 40]
            stopped += want
    assert stopped > 100


def test_ordinal_words_are_read():
    v = vocabulary()
    for word, n in NAMED["ordinal_words"].items():
        text = f"Nghị quyết Hội nghị lần thứ {word} Ban Chấp hành Trung ương Đảng khóa XII"
        (m,) = find_named(text)
        assert m.ordinal == str(n) and v.ordinal_words[word] == n, (word, m.ordinal)


# ================================================================================== terms.json
TERMS = raw("terms")


def _roman(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    return sum(-values[c] if values[c] < values.get(n, 0) else values[c] for c, n in zip(s, s[1:] + " "))


@pytest.mark.parametrize("key", ["party_central", "national_assembly", "party_local"])
def test_terms_follow_each_other_day_after_day(key):
    terms = TERMS[key]
    for t in terms:
        assert t["start"] <= t["end"], t
    for a, b in zip(terms, terms[1:]):
        day_after = dt.date.fromisoformat(a["end"]) + dt.timedelta(days=1)
        assert b["start"] == day_after.isoformat(), (a, b)
        if key == "party_local":
            assert b["term"].split("-")[0] == a["term"].split("-")[1], (a, b)
        else:
            assert _roman(b["term"]) == _roman(a["term"]) + 1, (a, b)


def test_assembly_codes_carry_the_term_number():
    for t in TERMS["national_assembly"]:
        assert int(t["code"][2:]) == _roman(t["term"]), t
        assert vocabulary().assembly_term_of_code("UBTV" + t["code"]) == t["term"]


# ================================================================================== legacy_encodings.json
LEGACY = raw("legacy_encodings")


@pytest.mark.parametrize("key", ["tcvn3", "vni"])
def test_legacy_maps_decode_each_letter_once(key):
    """Encoding inverts the map: two legacy spellings of one letter would make it lossy."""
    values = list(LEGACY[key]["map"].values())
    assert len(values) == len(set(values))
    assert all(c.isalpha() for c in values)


def test_syllable_parts_are_consistent():
    s = LEGACY["syllable"]
    assert set(s["need_final"]) <= set(s["nuclei"])
    assert not set(s["closed_nuclei"]) & set(s["nuclei"])


# ================================================================================== synth_templates.json
SYNTH = raw("synth_templates")
PROFILES = SYNTH["central_profiles"] + [p for level in SYNTH["local_profiles"].values() for p in level]


@pytest.mark.parametrize("p", PROFILES, ids=[f"{p['body']}-{i}" for i, p in enumerate(PROFILES)])
def test_synth_profiles_name_known_bodies_and_types(p):
    v = vocabulary()
    body = v.body_for_text(p["body"])
    assert body is not None and body.name == p["body"]
    assert v.canonical_code(p["code"]).upper() in {c.upper() for c in body.codes} or not body.codes
    for t in p["types"]:
        assert type_of(t, p["grammar"])  # raises on an unknown type


def test_synth_central_files_and_laws_are_known():
    assert set(SYNTH["central_files"]) <= {p["body"] for p in SYNTH["central_profiles"]}
    for law in SYNTH["laws"]:
        assert [(m.named_kind, m.name) for m in find_named(law)] == [("law", law)], law


def test_relation_cue_lists_match_their_examples() -> None:
    """relations.json 'passive', 'expiry' and issuers.json 'roles': each example is read as the data says."""
    from citegraph import extract
    from citegraph.extraction.relate import _expiry, _passive

    rel = json.loads((ONTOLOGY / "relations.json").read_text(encoding="utf-8"))
    gap, provision, _ = _passive()
    first, second, third = rel["passive"]["examples"]
    for example, pair in ((first, ("87/2025/QH15", "64/2025/QH15")), (third, ("823/2009/UBTVQH12", "730/2004/NQ-UBTVQH11"))):
        x = extract(example)
        assert [(x.references[r.source].symbol, r.rel, x.references[r.target].symbol)
                for r in x.relations if r.source != "SELF"] == [(pair[0], "amends", pair[1])]
    assert provision.search(second[:second.index("Luật số")])
    for example in rel["expiry"]["examples"]:
        assert _expiry().search(example), example
    issuers = json.loads((ONTOLOGY / "issuers.json").read_text(encoding="utf-8"))
    for example in issuers["issuing_verbs"]["examples"]:  # "Bộ Chính trị ban hành Quyết định số ...": its issuer
        (r,) = extract(example).references
        assert r.issuer and example.startswith(r.issuer), (example, r.issuer)
    roles = issuers["roles"]
    for example in roles["examples"]:
        r = extract(f"Quyết định số 1/2024/QĐ-BTC {example}").references[0]
        assert r.issuer and r.issuer.split()[0] in {w.split()[0] for w in roles["words"]}, (example, r.issuer)


def test_known_laws_by_first_character_match_as_the_one_alternation():
    """The known laws split by their first character find what the one alternation finds, at every word."""
    from citegraph.extraction.find import _known_laws_by_first, _known_laws_of

    texts = [law + tail for law in NAMED["known_laws"] for tail in ("", " năm 2015", ";\n")]
    texts += [t.upper() for t in texts[::7]] + [t.lower() for t in texts[::5]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    for text in texts:
        for w in re.finditer(r"(?<!\w)\w", text):
            for lt in ("Luật", "Bộ luật", "Pháp lệnh"):
                rx, names = _known_laws_of(lt)
                want = rx.match(text, w.start()) if rx is not None else None
                by_first = _known_laws_by_first(lt)
                assert by_first is not None
                rx2, names2 = by_first.get(text[w.start()], (None, []))
                got = rx2.match(text, w.start()) if rx2 is not None else None
                assert (got and (got.end(), names2[got.lastindex - 1])) == (want and (want.end(), names[want.lastindex - 1]))
