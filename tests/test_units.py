"""Administrative units (issue 14 point 4): each jurisdiction keeps the unit its text states and gains the unit
of today's map (34 provinces and their communes since 1 July 2025) with its official code, from
``ontology/units.json``, which ``tools/units_table.py`` generates from vietnam-provinces and vietnamadminunits."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from citegraph import extract
from citegraph.graph.queries import coverage, unit_key
from citegraph.graph.registry import Registry
from citegraph.graph.model import NODE_ATTRS
from citegraph.corpus import from_extractions
from citegraph.text.normalize import fold
from citegraph.text.units import TODAY_FIELDS, legacy_provinces, provinces, stated_province, today, unit
from citegraph.text.vocab import raw

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "real"

# Place strings as real texts write them (where: the file that holds the string, "corpus/..." in the repository,
# "web/..." under ../shared/real; "extracted:" a jurisdiction extraction states for the file, of its header or of
# a reference). date: the date it is stated on (None unknown). Expected: the stated province named as on the map
# before 1 July 2025, today's unit, its code.
REAL = [
    # pre-2025 units, with their districts
    ("extracted:corpus/004_68e3b3ec1d53f4cc.txt", "xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước", None,
     "Bình Phước", "xã Minh Đức, tỉnh Đồng Nai", "25349"),
    ("extracted:corpus/004_68e3b3ec1d53f4cc.txt", "huyện Hớn Quản, tỉnh Bình Phước", None,
     "Bình Phước", "tỉnh Đồng Nai", "75"),  # no districts today: the province
    ("extracted:corpus/000_40c62da37add3208.txt", "tỉnh Bình Phước", None, "Bình Phước", "tỉnh Đồng Nai", "75"),
    ("extracted:corpus/003_4ec44a3173f0857c.txt", "tỉnh Hải Dương", None, "Hải Dương", "thành phố Hải Phòng", "31"),
    # the text says where it is today: "(nay thuộc xã Châu Hưng, tỉnh Vĩnh Long)"
    ("web/b26f1c9dbc782550.txt", "xã Châu Hưng, huyện Bình Đại, tỉnh Bến Tre", "2023-02-15",
     "Bến Tre", "xã Châu Hưng, tỉnh Vĩnh Long", "29083"),
    ("web/fd170f83560d1a48.txt", "Thị trấn Nam Phước, huyện Duy Xuyên, tỉnh Quảng Nam", None,
     "Quảng Nam", "xã Nam Phước, thành phố Đà Nẵng", "20599"),
    ("web/15e3dde12c28ebdb.txt", "phường Quán Thánh, quận Ba Đình, thành phố Hà Nội", None,
     "Hà Nội", "phường Ba Đình, thành phố Hà Nội", "00004"),
    ("web/87f820e310fe6c3a.txt", "xã Long Hưng B, huyện Lấp Vò, tỉnh Đồng Tháp", None,
     "Đồng Tháp", "xã Tân Khánh Trung, tỉnh Đồng Tháp", "30184"),
    ("web/87f820e310fe6c3a.txt", "xã Bình Thạnh Trung, huyện Lấp Vò, tỉnh Đồng Tháp", None,
     "Đồng Tháp", "xã Lấp Vò, tỉnh Đồng Tháp", "30169"),
    ("web/3210d9a790026802.txt", "xã Diễn Yên, huyện Diễn Châu, tỉnh Nghệ An", None,
     "Nghệ An", "xã Hùng Châu, tỉnh Nghệ An", "17395"),
    ("web/4af8c4364d985fff.txt", "xã Phổ Khánh, thị xã Đức Phổ, tỉnh Quảng Ngãi", None,
     "Quảng Ngãi", "xã Khánh Cường, tỉnh Quảng Ngãi", "21472"),
    # a district with the wrong level word ("quận" for "huyện") is still found by its name
    ("web/fd170f83560d1a48.txt", "quận Duy Xuyên, tỉnh Quảng Nam", None, "Quảng Nam", "thành phố Đà Nẵng", "48"),
    # split among several of today's communes: the province
    ("web/9d85d1788fac3816.txt", "phường Hàng Trống, quận Hoàn Kiếm, thành phố Hà Nội", None,
     "Hà Nội", "thành phố Hà Nội", "01"),
    # merged before 2025 ("nay là xã Thái Minh"): not in its district on the map; a phường Thái Học elsewhere
    # in the province is another unit, never taken for it
    ("web/4040f6919956a84c.txt", "xã Thái Học, huyện Bình Giang, tỉnh Hải Dương", None,
     "Hải Dương", "thành phố Hải Phòng", "31"),
    # a district-level city named where the province would be ("nay là phường Thị Cầu, thành phố Bắc Ninh")
    ("web/70fdbb1ed6b22437.txt", "phường Thị Cầu, thành phố Bắc Ninh", None,
     "Bắc Ninh", "phường Vũ Ninh, tỉnh Bắc Ninh", "09169"),
    # post-2025 units: communes directly under today's provinces
    ("web/b26f1c9dbc782550.txt", "xã Châu Hưng, tỉnh Vĩnh Long", "2025-08-01",
     "Vĩnh Long", "xã Châu Hưng, tỉnh Vĩnh Long", "29083"),
    ("web/f37e7838925f8cc3.txt", "Phường Trường Vinh, tỉnh Nghệ An", "2025-09-01",
     "Nghệ An", "phường Trường Vinh, tỉnh Nghệ An", "16690"),
    ("corpus/real/00e8b0e4daffc2ef.txt", "Xã Lục Ngạn, tỉnh Bắc Ninh", None,
     "Bắc Ninh", "xã Lục Ngạn, tỉnh Bắc Ninh", "07582"),
    ("web/27cbc6425a10478c.txt", "phường Bắc Giang, tỉnh Bắc Ninh", None,
     "Bắc Ninh", "phường Bắc Giang, tỉnh Bắc Ninh", "07210"),
    # the same words on both maps: the date says which (the old phường Cửa Nam of Hoàn Kiếm was split)
    ("web/2d32cef03a35b489.txt", "phường Cửa Nam, thành phố Hà Nội", "2025-09-01",
     "Hà Nội", "phường Cửa Nam, thành phố Hà Nội", "00073"),
    ("web/2d32cef03a35b489.txt", "phường Cửa Nam, thành phố Hà Nội", "2024-09-01", "Hà Nội", "thành phố Hà Nội", "01"),
    # provinces: merged (Quảng Trị's code is 44 today, 45 before), renamed (Huế), kept
    ("web/ea34a356cafcb1aa.txt", "tỉnh Bắc Giang", None, "Bắc Giang", "tỉnh Bắc Ninh", "24"),
    ("web/6981dc0eb71ecf21.txt", "tỉnh Quảng Bình", None, "Quảng Bình", "tỉnh Quảng Trị", "44"),
    ("extracted:corpus/real/094432765aa270a8.txt", "tỉnh Quảng Trị", "2025-11-27", "Quảng Trị", "tỉnh Quảng Trị", "44"),
    ("corpus/real/592501a25aaf5012.txt", "thành phố Huế", "2025-11-18", "Huế", "thành phố Huế", "46"),
    (None, "tỉnh Thừa Thiên Huế", "2020-01-01", "Huế", "thành phố Huế", "46"),
    (None, "TP.HCM", None, "Hồ Chí Minh", "thành phố Hồ Chí Minh", "79"),
    (None, "tỉnh Bà Rịa - Vũng Tàu", None, "Bà Rịa - Vũng Tàu", "thành phố Hồ Chí Minh", "79"),
    (None, "huyện Côn Đảo, tỉnh Bà Rịa - Vũng Tàu", None, "Bà Rịa - Vũng Tàu", "đặc khu Côn Đảo, thành phố Hồ Chí Minh",
     "26732"),  # an island district is one of today's units whole
    # no province: no unit
    ("corpus/real/00e8b0e4daffc2ef.txt", "Phường Bắc Giang, tỉnh Bắc", None, None, None, None),  # a line cut short
    ("web/b26f1c9dbc782550.txt", "huyện Bình Đại, tỉnh Mỹ Tho", None, None, None, None),  # a province of 1913
    (None, "central", None, None, None, None),
]


def _path(where: str) -> Path:
    path = ROOT / where if where.startswith("corpus/") else SHARED / where
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


@pytest.mark.parametrize("where, stated, date, province, today_jurisdiction, code", REAL)
def test_real_place_strings(where, stated, date, province, today_jurisdiction, code):
    if where is not None and where.startswith("extracted:"):
        x = extract(_path(where.removeprefix("extracted:")))
        assert stated in {x.document.jurisdiction, *(r.jurisdiction for r in x.references)}, where
    elif where is not None:
        assert fold(stated) in fold(" ".join(_path(where).read_text(encoding="utf-8").split())), where
    assert stated_province(stated) == province
    u = today(stated, date)
    assert (u and u.jurisdiction, u and u.code) == (today_jurisdiction, code)
    if u is not None:
        assert unit(u.code) == u and len(code) == (2 if u.level == "province" else 5)


def test_every_province_of_places_json_is_on_both_maps():
    stated = {p["name"]: stated_province(f"{p['kind']} {p['name']}") for p in raw("places")["provinces"]}
    assert None not in stated.values(), [n for n, s in stated.items() if s is None]
    assert len(stated) == 64 and len(set(stated.values())) == 63  # Huế and Thừa Thiên Huế are one unit
    assert set(stated.values()) == set(legacy_provinces())
    todays = {today(f"{p['kind']} {p['name']}").province for p in raw("places")["provinces"]}
    assert todays == {u.province for u in provinces()} and len(todays) == 34
    assert [u.code for u in provinces()] == sorted(u.code for u in provinces())


def test_the_kept_names_are_today_names():
    """A province that kept its name is itself today: its stated name and today's are the same word."""
    for u in provinces():
        assert today(u.jurisdiction) == u, u
        assert stated_province(u.jurisdiction) == u.province


# ================================================================================== the packages
# These need the two packages (the [units] extra, in [test]).
def _tool():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import units_table
    finally:
        sys.path.pop(0)
    return units_table


@pytest.mark.skipif(not (importlib.util.find_spec("vietnam_provinces") and importlib.util.find_spec("vietnamadminunits")),
                    reason="pip install -e '.[units]'")
def test_table_is_what_the_packages_give():
    tool = _tool()
    assert (ROOT / "ontology" / "units.json").read_text(encoding="utf-8") == tool.dumps(tool.table()), \
        "ontology/units.json is stale: run python tools/units_table.py"


@pytest.mark.skipif(not importlib.util.find_spec("vietnam_provinces"), reason="pip install -e '.[units]'")
def test_todays_units_are_vietnam_provinces():
    from vietnam_provinces import Province, Ward

    assert len(provinces()) == 34
    for p in Province.iter_all():
        u = unit(f"{int(p.code):02d}")
        assert fold(p.name).endswith(fold(u.province)) and u.level == "province"
    wards = list(Ward.iter_all())
    assert len(wards) == 3321
    for w in wards:
        u = unit(f"{int(w.code):05d}")
        assert (fold(u.name.replace("'", "’")) == fold(" ".join(w.name.replace("'", "’").split()))
                and u.province_code == f"{int(w.province_code):02d}"), (u, w)


@pytest.mark.skipif(not importlib.util.find_spec("vietnamadminunits"), reason="pip install -e '.[units]'")
def test_old_communes_go_where_vietnamadminunits_says():
    """Every 20th commune of the map before (about 500), written as a text would write it, is placed as the
    package's converter places it: the same commune of today, or, for a commune split among several, the
    province of the one the converter picks."""
    from vietnamadminunits import convert_address

    table = json.loads((ROOT / "ontology" / "units.json").read_text(encoding="utf-8"))
    rows = [(f"{c}, {d}, {p['kind']} {p['name']}", t) for p in table["legacy"] for d, cs in p["districts"].items()
            if isinstance(cs, dict) for c, t in cs.items()]
    checked = 0
    for stated, target in rows[::20]:
        u, pkg = today(stated, "2024-01-01"), convert_address(stated)
        assert u.province_code == pkg.province_code, stated
        if isinstance(target, str):
            assert u.code == target and fold(u.name) == fold(" ".join(pkg.ward.replace("’", "'").split())), (stated, u, pkg.ward)
        else:
            assert u.level == "province" and pkg.ward_code is not None, stated
        checked += 1
    assert checked >= 450


# ================================================================================== extraction, graph, RDF
def test_extraction_adds_today_s_unit_after_the_existing_keys():
    x = extract(ROOT / "corpus" / "004_68e3b3ec1d53f4cc.txt")
    h = x.document.to_dict()
    assert h["jurisdiction"] == "xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước"
    assert [h[k] for k in TODAY_FIELDS] == ["xã Minh Đức, tỉnh Đồng Nai", "25349", "Đồng Nai", "75"]
    assert list(h)[-4:] == list(TODAY_FIELDS)
    for r in x.references:
        d = r.to_dict()
        assert list(d)[-4:] == list(TODAY_FIELDS)
        if r.jurisdiction in (None, "central"):
            assert all(d[k] is None for k in TODAY_FIELDS), d
        else:
            assert d["today_province"] == "Đồng Nai", d


def test_a_post_2025_document_is_on_today_s_map():
    x = extract("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n-------\nSố: 12/KH-UBND\nQuảng Trị, ngày 2 tháng 9 năm 2025\n\n"
                "KẾ HOẠCH\nThực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ\n")
    h = x.document
    assert (h.jurisdiction, h.today_jurisdiction, h.today_code) == ("tỉnh Quảng Trị", "tỉnh Quảng Trị", "44")


def _plans(lit):
    """Plans implementing one directive: the same province under its two names, a province before and after
    the merger, a commune, and a central document written in Hà Nội."""
    ct = "state/central/ttg/ct/2021/33"
    plans = [("a", "tỉnh Thừa Thiên Huế", "province", "2021-03-01"), ("b", "thành phố Huế", "province", "2025-08-01"),
             ("c", "tỉnh Bình Phước", "province", "2022-01-01"), ("d", "tỉnh Đồng Nai", "province", "2025-09-01"),
             ("e", "xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước", "commune", "2023-05-01"),
             ("f", "central", "central", "2022-02-02")]
    exs = [lit.ex(f"{n}.txt", f"doc/{n}", [lit.ref("33/CT-TTg", ct)], [("SELF", "implements", 0)], jurisdiction=j,
                  level=lvl, date=date, province="Hà Nội" if j == "central" else None) for n, j, lvl, date in plans]
    return from_extractions(exs, Registry()), ct


def test_coverage_counts_today_s_provinces_once(lit):
    G, ct = _plans(lit)
    c = coverage(G, ct)
    assert len(c.covered) + len(c.missing) == 34 and len(set(c.missing)) == len(c.missing)
    assert sorted(c.covered) == ["Huế", "Đồng Nai"]
    assert [d.rsplit("/", 1)[-1] for d in c.covered["Huế"]] == ["a", "b"]
    assert [d.rsplit("/", 1)[-1] for d in c.covered["Đồng Nai"]] == ["c", "d", "e"]
    assert "Hà Nội" in c.missing  # the central document is filed under no province
    s = coverage(G, ct, by="stated")
    assert len(s.covered) + len(s.missing) == 63
    assert {k: len(v) for k, v in s.covered.items()} == {"Bình Phước": 2, "Huế": 2, "Đồng Nai": 1}
    assert "Thừa Thiên Huế" not in s.covered and "Thừa Thiên Huế" not in s.missing
    assert coverage(G, ct, level="commune").covered.keys() == {"xã Minh Đức, tỉnh Đồng Nai"}
    assert coverage(G, ct, level="commune", by="stated").covered.keys() == {"xã Minh Tâm, huyện Hớn Quản, tỉnh Bình Phước"}


def test_the_sparql_coverage_agrees(lit):
    from citegraph.rdf import sparql

    G, ct = _plans(lit)
    for kw in ({}, {"by": "stated"}, {"level": "commune"}, {"level": "district"}):
        assert sparql.coverage(G, ct, **kw) == coverage(G, ct, **kw), kw


def test_graph_nodes_and_rdf_carry_today_s_unit(lit):
    from rdflib import SKOS, URIRef

    from citegraph.rdf.namespace import CG

    G, _ = _plans(lit)
    d = G.nx.nodes[lit.base + "doc/e"]
    assert [d[k] for k in TODAY_FIELDS] == ["xã Minh Đức, tỉnh Đồng Nai", "25349", "Đồng Nai", "75"]
    assert set(TODAY_FIELDS) <= set(NODE_ATTRS)
    assert all(G.nx.nodes[lit.base + "doc/f"][k] is None for k in TODAY_FIELDS)
    g = G.rdf
    u = g.value(URIRef(lit.base + "doc/e"), CG.todayUnit)
    assert str(u) == "https://w3id.org/citegraph/vocab/unit/25349"
    assert str(g.value(u, SKOS.broader)) == "https://w3id.org/citegraph/vocab/unit/75"
    ok, text = G.validate()
    assert ok, text
    ok, text = G.validate(inference="rdfs")
    assert ok, text


def test_the_documents_table_has_today_s_unit(lit):
    from citegraph.graph.queries import to_dataframe

    G, _ = _plans(lit)
    df = to_dataframe(G, "documents")
    assert df.loc[lit.base + "doc/e", "today_code"] == "25349" and df["today_province"].dtype == "category"
    assert df.loc[lit.base + "doc/a", "today_province"] == df.loc[lit.base + "doc/b", "today_province"] == "Huế"


def test_unit_key_files_central_documents_under_no_province():
    for by in ("today", "stated"):
        assert unit_key({"jurisdiction": "central", "province": "Hà Nội", "level": "central"}, "province", by) is None
        assert unit_key({"jurisdiction": "tỉnh Hà Nội", "level": "central"}, "province", by) is None
        assert unit_key({"jurisdiction": "thành phố Hà Nội", "level": "province"}, "province", by) == "Hà Nội"


def test_the_seed_graph_files_its_documents_under_today_s_provinces(seed_graph):
    provinces_today = {d["today_province"] for _, d in seed_graph.nx.nodes(data=True) if d.get("today_province")}
    assert provinces_today == {"Đồng Nai", "Hải Phòng"}
    assert re.fullmatch(r"\d{2}", next(d["today_province_code"] for _, d in seed_graph.nx.nodes(data=True)
                                       if d.get("today_province_code")))
