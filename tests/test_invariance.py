"""The same document gives the same graph however it arrives (issue 15).

- The property over the whole pipeline on real documents: every text of ``../shared/real/web`` (when it is
  beside the checkout) and of ``corpus/real``, put through the perturbations of ``benchmarks/invariance.py``
  with their parameters drawn by hypothesis (derandomised, a bounded number of examples), a layout, page
  breaks and encodings in a row: the own header (every field) and the set of references with their
  identities, dates and issuers stay the same. ``benchmarks/invariance.py`` runs every perturbation over
  every text exhaustively.
- Defect 16: the identity of a text without a symbol of its own under trailing spaces, NFD, CRLF...; text
  sources named alike by a build in memory and in a store. (Its line-break defects are rows of
  ``corpus/patterns.json``: ``date-after-an-indented-line-break``, ``place-name-across-a-line-break``.)
"""
from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import citegraph
from citegraph.io.names import text_source

ROOT = Path(__file__).resolve().parent.parent


def _invariance():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("citegraph_invariance", ROOT / "benchmarks" / "invariance.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["citegraph_invariance"] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


inv = _invariance()
TEXTS = inv.texts("all")  # corpus/real always; ../shared/real/web when it is beside the checkout
# characters that show nothing; not the soft hyphen U+00AD, which is also a letter of the legacy TCVN3
# encoding: a line dense with them is read as TCVN3 (citegraph.io.legacy), as it should be
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]

# ---------------------------------------------------------------- the property


def _every_kth(old: str, new: str, k: int) -> Callable[[str], str]:
    """Every ``k``-th ``old`` replaced by ``new``."""
    def f(t: str) -> str:
        parts = t.split(old)
        return "".join(p + (new if i % k == 0 else old) for i, p in enumerate(parts[:-1], 1)) + parts[-1]
    return f


@st.composite
def layout(draw: st.DrawFn) -> tuple[str, Callable[[str], str]]:
    """Where the lines break: re-wrapped at a width (each line, or the whole text as one paragraph),
    blanks at the ends of lines."""
    kind, w = draw(st.sampled_from(["lines", "flat", "trailing"])), draw(st.integers(8, 120))
    if kind == "lines":
        return f"lines-{w}", lambda t: inv.rewrap_lines(t, w)
    if kind == "flat":
        return f"flat-{w}", lambda t: inv.flatten(t, w)
    return "trailing", lambda t: t.replace("\n", " \t \n")


@st.composite
def pdf_pages(draw: st.DrawFn) -> tuple[str, Callable[[str], str]]:
    """A PDF's page breaks (the gazette's running header, its page number, blank lines) every few lines:
    after the layout (nothing re-flows a page's furniture)."""
    every, page = draw(st.integers(3, 80)), draw(st.integers(1, 900))
    return f"running-header-every-{every}", lambda t: inv.running_headers(t, every, page)


@st.composite
def characters(draw: st.DrawFn) -> tuple[str, Callable[[str], str]]:
    """How the characters are encoded: line ends, Unicode form, look-alike letters and spaces, invisible
    characters anywhere."""
    kind = draw(st.sampled_from(["crlf", "cr", "nfd", "eth", "nbsp", "zero-width"]))
    if kind == "nbsp":
        k = draw(st.integers(1, 5))
        return f"nbsp-every-{k}", _every_kth(" ", "\u00a0", k)
    if kind == "zero-width":
        k, c = draw(st.integers(2, 60)), draw(st.sampled_from(INVISIBLE))
        return f"zero-width-{ord(c):04x}-every-{k}", lambda t: inv.zero_width(t, k, c)
    return kind, {"crlf": lambda t: t.replace("\n", "\r\n"), "cr": lambda t: t.replace("\n", "\r"),
                  "nfd": lambda t: unicodedata.normalize("NFD", t), "eth": lambda t: t.replace("Đ", "\u00d0")}[kind]


def _kind(step: tuple[str, Callable[[str], str]]) -> str:
    """What a step changes (line ends once: CRLF made CRLF again is CR CR LF, two line breaks)."""
    name = step[0].split("-")[0]
    return "line ends" if name in ("crlf", "cr") else name


@st.composite
def arrival(draw: st.DrawFn) -> tuple[str, Callable[[str], str], str]:
    """A layout, page breaks, an encoding (one to four of them, in that order), then how the text arrives:
    a .txt file, a .md file (a Markdown export with table pipes or bold markers) or the string itself with
    a BOM."""
    steps = draw(st.lists(layout(), max_size=2)) + draw(st.lists(pdf_pages(), max_size=1)) \
        + draw(st.lists(characters(), max_size=2, unique_by=_kind))
    how = draw(st.sampled_from(["txt", "pipes", "bold", "bom"]))
    if not steps and how == "txt":
        steps = [draw(characters())]
    marks = {"pipes": ("| ", " |"), "bold": ("**", "**")}

    def f(t: str) -> str:
        for _, g in steps:
            t = g(t)
        if how in marks:  # a Markdown export writes its own line ends
            return inv.markdown_export(t.replace("\r\n", "\n").replace("\r", "\n"), *marks[how])
        return "\ufeff" + t if how == "bom" else t

    return " + ".join([n for n, _ in steps] + [how]), f, {"txt": ".txt", "bom": "str"}.get(how, ".md")


_BASE: dict[Path, dict[str, Any]] = {}


def _base(path: Path, tmp: Path) -> dict[str, Any]:
    if path not in _BASE:
        _BASE[path] = inv.signature(inv.extract_as(path.read_text(encoding="utf-8"), ".txt", tmp))
    return _BASE[path]


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(TEXTS), how=arrival())
def test_the_same_document_gives_the_same_graph_however_it_arrives(
        tmp_path: Path, path: Path, how: tuple[str, Callable[[str], str], str]) -> None:
    name, perturb, arrives = how
    got = inv.signature(inv.extract_as(perturb(path.read_text(encoding="utf-8")), arrives, tmp_path))
    assert inv.difference(_base(path, tmp_path), got) == {}, (path.name, name)


def test_the_exhaustive_run_reports_per_perturbation(capsys: pytest.CaptureFixture[str]) -> None:
    """``benchmarks/invariance.py`` (here on corpus/real, a few perturbations) prints the number of differing
    documents of each and exits 0 when every one is 0."""
    assert inv.main(["--texts", "gold", "--only", "crlf", "nfd", "pipes", "lines-37", "--widths", "37",
                     "--jobs", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{len(inv.texts('gold'))} texts, 4 perturbations")
    assert [ln.split() for ln in out[2:]] == [["crlf", "0"], ["nfd", "0"], ["pipes", "0"], ["lines-37", "0"]]


# ---------------------------------------------------------------- defect 16

NO_SYMBOL = ("Hướng dẫn triển khai công tác dân vận năm 2024\n\nThực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 "
             "của Thủ tướng Chính phủ, các cơ quan, đơn vị triển khai thực hiện nghiêm túc.\n")


@pytest.mark.parametrize("name, perturb", [
    ("trailing spaces", lambda t: t.replace("\n", "   \n")),
    ("NFD", lambda t: unicodedata.normalize("NFD", t)),
    ("CRLF", lambda t: t.replace("\n", "\r\n")),
    ("CR", lambda t: t.replace("\n", "\r")),
    ("rewrapped", lambda t: inv.flatten(t, 30)),
    ("Ð for Đ", lambda t: t.replace("Đ", "\u00d0")),
    ("a BOM and zero-width spaces", lambda t: "\ufeff" + t.replace(" ", " \u200b")),
])
def test_identity_of_a_text_without_a_symbol_does_not_change(name: str, perturb: Callable[[str], str]) -> None:
    """#16: the identity of a text without a symbol of its own (``doc/{hash}``) hashed the text as read."""
    want = citegraph.extract(NO_SYMBOL).document
    assert want.symbol is None and want.id and "/doc/" in want.id
    assert citegraph.extract(perturb(NO_SYMBOL)).document.id == want.id


def test_identity_of_a_text_without_a_symbol_is_the_same_in_a_markdown_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(NO_SYMBOL, encoding="utf-8")
    (tmp_path / "a.md").write_text(inv.markdown_export(NO_SYMBOL, "| ", " |"), encoding="utf-8")
    assert citegraph.extract(tmp_path / "a.md").document.id == citegraph.extract(tmp_path / "a.txt").document.id


def _sources(G: Any) -> list[str]:
    return sorted({m["source"] for _, d in G.nx.nodes(data=True) for m in d.get("mentions", [])}
                  | {e.source for e in G.extractions})


def test_store_and_memory_builds_name_text_sources_alike(tmp_path: Path) -> None:
    """#16: a text given as a string was ``<text>`` (``<text>#<hash>`` beside another) in memory and
    ``<text <hash>>`` in a store."""
    texts = [NO_SYMBOL, "Căn cứ Nghị định số 81/2018/NĐ-CP ngày 22/5/2018 của Chính phủ quy định X."]
    memory = citegraph.build(texts)
    stored = citegraph.build(texts, store=tmp_path / "store")
    assert _sources(memory) == _sources(stored) == sorted(text_source(t) for t in texts)
    assert [e.document.id for e in memory.extractions] == [e.document.id for e in stored.extractions]
    alone = citegraph.build([citegraph.Document(text=texts[1])])
    assert _sources(alone) == [text_source(texts[1])]


def test_the_same_text_twice_is_one_source_in_memory_as_in_a_store(tmp_path: Path) -> None:
    texts = [NO_SYMBOL, NO_SYMBOL]
    memory, stored = citegraph.build(texts), citegraph.build(texts, store=tmp_path / "store")
    assert _sources(memory) == _sources(stored) == [text_source(NO_SYMBOL)]
    assert len(memory.extractions) == len(stored.extractions) == 1


def test_store_and_memory_builds_of_files_name_them_alike(tmp_path: Path) -> None:
    paths = sorted((ROOT / "corpus").glob("*.txt"))[:2]
    memory, stored = citegraph.build(paths), citegraph.build(paths, store=tmp_path / "store")
    assert _sources(memory) == _sources(stored) == sorted(str(p) for p in paths)


def test_extractions_kept_without_their_text_stay_apart(tmp_path: Path) -> None:
    """Texts extracted with ``keep_text=False`` have no text to be named by: each is named by its
    document's identity, so none is taken for another (in memory as in a store)."""
    texts = [NO_SYMBOL, "Căn cứ Nghị định số 81/2018/NĐ-CP ngày 22/5/2018 của Chính phủ quy định X.",
             "Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ."]
    exs = list(citegraph.extract_many(texts, keep_text=False, progress=False))
    assert all(e.text == "" for e in exs)
    memory, stored = citegraph.build(exs), citegraph.build(exs, store=tmp_path / "store")
    assert len(memory.extractions) == len(stored.extractions) == 3
    assert _sources(memory) == _sources(stored) and len(_sources(memory)) == 3
