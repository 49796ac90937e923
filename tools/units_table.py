"""Write ``ontology/units.json``: today's administrative units and the map from the units before them.

Since 1 July 2025 Vietnam has 34 provinces and no district level; its communes (xã, phường, đặc khu)
lie directly under their province. Documents name the units of their time, so each jurisdiction keeps the
unit as stated and gains today's (``citegraph.text.units``), read from the table this script writes from
two maintained packages (``pip install -e '.[units]'``):

* ``vietnam-provinces``: today's 34 provinces and 3,321 communes with their official codes and names
  (the General Statistics Office's list) — the source of every code and name of today's units;
* ``vietnamadminunits``: the 63 provinces, their districts and communes before the reform, and which of
  today's communes each old commune went into (a whole commune, or split among several).

The two packages code a few of today's communes differently; a new commune of ``vietnamadminunits`` is
joined to ``vietnam-provinces`` by province and name (names compared as citegraph compares them), and the
script fails if one does not join. The packages are not needed at run time: the table is package data,
loaded on first use, so extraction pays neither their install size nor their import time.

Usage: ``python tools/units_table.py`` writes the table; ``--check`` exits 1 when the committed table
differs from what the installed packages give (``tests/test_units.py`` runs the same comparison).
"""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "units.json"
#: The date today's map took effect (Nghị quyết 202/2025/QH15 for provinces, the resolutions of the
#: Standing Committee of the National Assembly of 16 June 2025 for communes).
EFFECTIVE = "2025-07-01"
#: Names a pre-2025 province had before its last name in ``vietnamadminunits`` (Thừa Thiên Huế became the
#: centrally-run city of Huế on 1 January 2025, Nghị quyết 1314/NQ-UBTVQH15).
FORMER_NAMES = {"46": ["Thừa Thiên Huế"]}
PROVINCE_KINDS = {"tỉnh": "tỉnh", "thành phố trung ương": "thành phố", "thành phố": "thành phố"}


def key(name: str) -> str:
    """How names are compared: citegraph's ``fold`` (lower case, NFC, modern tone marks, one Đ), with one kind
    of apostrophe and single spaces."""
    from citegraph.text.units import name_key

    return name_key(name)


def unit_name(full: str) -> str:
    """``"Xã Minh Đức"`` → ``"xã Minh Đức"``: the level word in lower case, the name as given, one space."""
    full = " ".join(full.replace("’", "'").split())
    for word in ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã"):
        if full.lower().startswith(word + " "):
            return word + full[len(word):]
    raise ValueError(f"no level word in {full!r}")


def province_short(full: str) -> str:
    return re.sub(r"^(Tỉnh|Thành phố)\s+", "", " ".join(full.split()))


def today_units() -> list[dict[str, Any]]:
    """The 34 provinces of ``vietnam-provinces``, each with its communes (code → name), in code order."""
    from vietnam_provinces import Province, Ward

    provinces = []
    for p in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        code = f"{int(p.code):02d}"
        communes = {f"{int(w.code):05d}": unit_name(w.name) for w in Ward.iter_by_province(p.code)}
        provinces.append({"code": code, "name": province_short(p.name), "kind": PROVINCE_KINDS[p.division_type.value],
                          "communes": dict(sorted(communes.items()))})
    return provinces


def _admin_db() -> sqlite3.Connection:
    import vietnamadminunits

    return sqlite3.connect(Path(vietnamadminunits.__file__).parent / "data" / "dataset.db")


def legacy_units(today: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The 63 provinces before 1 July 2025 (``vietnamadminunits``), each with today's province and its
    districts; a district maps its communes to today's commune code (a list of codes when the commune was
    split), or is itself one code when it became one of today's units whole (the island districts)."""
    import vietnamadminunits

    conv = json.loads((Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json").read_text("utf-8"))
    db = _admin_db()
    # today's communes of vietnamadminunits (province key, ward key) → official code, joined by name
    official = {(p["code"], key(n)): c for p in today for c, n in p["communes"].items()}
    new_key: dict[tuple[str, str], str] = {}
    new_prov_code: dict[str, str] = {}
    missing = []
    for pk, pcode, ward_key, ward in db.execute("SELECT provinceKey, provinceCode, wardKey, ward FROM admin_units"):
        new_prov_code[pk] = pcode
        code = official.get((pcode, key(unit_name(ward))))
        if code is None:
            missing.append((pcode, ward))
        else:
            new_key[(pk, ward_key)] = code
    if missing:
        raise SystemExit(f"{len(missing)} communes of vietnamadminunits not in vietnam-provinces: {missing[:10]}")
    old_to_new_prov = {old: new for new, olds in conv["DICT_PROVINCE"].items() for old in olds}
    # old "province_district_ward" key → today's code(s)
    whole: dict[str, str] = {}
    for pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, olds in wards.items():
            for old in olds:
                if old in whole and whole[old] != new_key[(pk, wk)]:
                    raise SystemExit(f"{old} goes into two communes")
                whole[old] = new_key[(pk, wk)]
    split: dict[str, list[str]] = {}
    for pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            split[old] = sorted({new_key[(pk, n["newWardKey"])] for n in news})
    rows = db.execute("SELECT provinceKey, province, provinceCode, districtKey, district, wardKey, ward "
                      "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode").fetchall()
    out: dict[str, dict[str, Any]] = {}
    for pk, prov, pcode, dk, district, wk, ward in rows:
        p = out.setdefault(pcode, {"code": pcode, "name": province_short(prov),
                                   "kind": "thành phố" if prov.startswith("Thành phố") else "tỉnh",
                                   "today": new_prov_code[old_to_new_prov[pk]],
                                   "former_names": FORMER_NAMES.get(pcode, []), "districts": {}})
        old = f"{pk}_{dk}_{wk or ''}"
        target: Any = whole.get(old) or split.get(old)
        dname = unit_name(district)
        if not wk:  # a district without communes (an island), today one unit of its own
            p["districts"][dname] = target
            continue
        if target is None:
            raise SystemExit(f"no commune of today for {ward}, {district}, {prov}")
        p["districts"].setdefault(dname, {})[unit_name(ward)] = target
    return [out[c] for c in sorted(out)]


def table() -> dict[str, Any]:
    today = today_units()
    import vietnam_provinces

    return {
        "$comment": "Generated by tools/units_table.py from the packages named in 'sources' (do not edit by hand). "
                    "'provinces': today's 34 provinces (since 'effective'), each with its communes, official code "
                    "→ name. 'legacy': the 63 provinces before, each with today's province ('today'), names it had "
                    "before its last ('former_names') and its districts; a district maps each commune to today's "
                    "commune code (a list of codes when the commune was split among several), or is one code when "
                    "it became one of today's units whole. Read by citegraph.text.units.",
        "sources": {"vietnam-provinces": f"{metadata.version('vietnam-provinces')} "
                                         f"(data of {vietnam_provinces.__data_version__})",
                    "vietnamadminunits": metadata.version("vietnamadminunits")},
        "effective": EFFECTIVE,
        "provinces": today,
        "legacy": legacy_units(today),
    }


def dumps(t: dict[str, Any]) -> str:
    """The table as committed: one line per province and per district, so that a diff reads."""
    lines = ["{"]
    head = [k for k in t if k not in ("provinces", "legacy")]
    for k in head:
        lines.append(f" {json.dumps(k)}: {json.dumps(t[k], ensure_ascii=False)},")
    lines.append(' "provinces": [')
    for i, p in enumerate(t["provinces"]):
        comma = "," if i < len(t["provinces"]) - 1 else ""
        lines.append("  " + json.dumps(p, ensure_ascii=False) + comma)
    lines.append(" ],")
    lines.append(' "legacy": [')
    for i, p in enumerate(t["legacy"]):
        ds = p["districts"]
        headp = {k: v for k, v in p.items() if k != "districts"}
        lines.append("  " + json.dumps(headp, ensure_ascii=False)[:-1] + ', "districts": {')
        for j, (d, v) in enumerate(ds.items()):
            comma = "," if j < len(ds) - 1 else ""
            lines.append(f"   {json.dumps(d, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}{comma}")
        lines.append("  }}" + ("," if i < len(t["legacy"]) - 1 else ""))
    lines.append(" ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if ontology/units.json differs from the packages")
    args = ap.parse_args(argv)
    text = dumps(table())
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("ontology/units.json is up to date" if same else "ontology/units.json differs: run tools/units_table.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(text.encode()) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
