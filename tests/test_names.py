"""One document, one node: a law cited by name resolves to the numbered document a text ties the name to."""
from __future__ import annotations

from pathlib import Path

import pytest

import citegraph
from citegraph.graph.names import LAW_BASE, NameIndex, name_key

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT.parent / "shared" / "real" / "web"

A = "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;"
B = "KẾ HOẠCH\nHà Nội, ngày 20 tháng 11 năm 2025\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
C = "Căn cứ Luật Tổ chức chính quyền địa phương năm 2015;"
D = "Căn cứ Luật Tổ chức chính quyền địa phương số 77/2015/QH13;"


def _law_nodes(G: citegraph.CitationGraph) -> dict[str, dict]:
    return {n: d for n, d in G.nx.nodes(data=True) if "/qh/l/" in n or n.startswith(LAW_BASE)}


def test_a_name_with_a_date_is_the_numbered_law_a_text_ties_it_to() -> None:
    G = citegraph.build([A, B])
    nodes = _law_nodes(G)
    assert list(nodes) == ["https://w3id.org/citegraph/id/state/central/qh/l/2025/72"]
    mentions = nodes["https://w3id.org/citegraph/id/state/central/qh/l/2025/72"]["mentions"]
    assert any(m["resolved_from"] == LAW_BASE + "to-chuc-chinh-quyen-dia-phuong" for m in mentions)  # the evidence


def test_versions_stay_apart_and_a_bare_name_between_them_stays_ambiguous() -> None:
    G = citegraph.build([A, C, D, "Căn cứ Luật Tổ chức chính quyền địa phương;"])
    nodes = _law_nodes(G)
    assert {n.rsplit("/", 3)[-2] for n in nodes if "/qh/l/" in n} == {"2015", "2025"}
    bare = [d for n, d in nodes.items() if n.startswith(LAW_BASE)]
    assert len(bare) == 1 and len(bare[0]["candidates"]) == 2


def test_a_name_followed_by_another_documents_number_is_not_tied() -> None:
    x = citegraph.extract("theo Luật Bảo vệ môi trường, Nghị định số 08/2022/NĐ-CP")
    assert x.references[0].id.startswith(LAW_BASE) and x.references[1].name is None


@pytest.mark.skipif(not WEB.is_dir(), reason="../shared/real/web is not beside this checkout")
def test_no_law_of_the_real_corpus_is_two_nodes_where_a_text_ties_them() -> None:
    exs = [citegraph.extract(p) for p in sorted(WEB.glob("*.txt"))]
    index = NameIndex.of(exs)
    G = citegraph.build(exs)
    left = [(d["name"], n) for n, d in G.nx.nodes(data=True)
            if n.startswith(LAW_BASE) and name_key(d.get("name") or "") in index.versions
            and not d.get("candidates") and not d.get("year") and not d.get("date")]
    assert not left, left
