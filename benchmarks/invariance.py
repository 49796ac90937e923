"""The same document however it arrives: every perturbation over every real text, exhaustively.

Each text of ``../shared/real/web`` (and ``corpus/real``) is extracted as it is and again after each
perturbation a document meets on its way to a user: re-wrapped lines (each line at a width, or the whole
text flattened and wrapped), Windows (CRLF) and old Mac (CR) line ends, trailing blanks, NFD, U+00D0 typed
for Đ, non-breaking spaces for spaces, a zero-width space after every seventh character (inside words and
symbols), a BOM (the string itself), a Markdown export with table pipes or bold markers (read as a .md
file), a PDF's page breaks (the gazette's running header "CÔNG BÁO/Số 851 + 852/Ngày 01-7-2025" with its
page number where the real ones have it, on the lines as they are or wrapped at 70). What must not change
is what the graph is made of (:func:`signature`): every field of the own header, and the set of
references with their identities, dates and issuers.

Every perturbation is applied to every text (nothing is sampled); the report is the number of documents
that differ per perturbation, the goal zero everywhere. ``tests/test_invariance.py`` holds the property
with hypothesis over the same texts, the perturbations' parameters drawn and several in a row.

Usage::

    python benchmarks/invariance.py                     # all perturbations, all texts of ../shared/real/web (make invariance)
    python benchmarks/invariance.py --widths 10-120     # every width from 10 to 120
    python benchmarks/invariance.py --only crlf nfd --show 3   # three differing documents of each, in detail
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import sys
import tempfile
import textwrap
import time
import unicodedata
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import citegraph  # noqa: E402
from citegraph.io.read import Document  # noqa: E402
from citegraph.text.normalize import visible  # noqa: E402

WEB = ROOT.parent / "shared" / "real" / "web"
GOLD_TEXTS = ROOT / "corpus" / "real"

#: A PDF's running header as the gazette prints it (the page number on the outer side of the page).
RUNNING_HEADER = "CÔNG BÁO/Số 851 + 852/Ngày 01-7-2025"
ZERO_WIDTH = "\u200b"


def rewrap_lines(text: str, width: int) -> str:
    """Each line wrapped at ``width`` (a line break where a word would pass it)."""
    return "\n".join(textwrap.fill(ln, width=width, break_long_words=False, break_on_hyphens=False)
                     for ln in text.split("\n"))


def flatten(text: str, width: int) -> str:
    """The whole text as one paragraph wrapped at ``width``: every line break moved."""
    return textwrap.fill(" ".join(text.split()), width=width, break_long_words=False, break_on_hyphens=False)


def zero_width(text: str, every: int = 7, char: str = ZERO_WIDTH) -> str:
    """A zero-width character after every ``every``-th character, inside words and symbols too."""
    return char.join(text[i:i + every] for i in range(0, len(text), every))


#: A page break of a gazette PDF as its text layer gives it, the page number in each of the places the
#: real ones have it (../shared/real/gazette): alone on the line after, on the line before, on the line.
PAGE_BREAKS = ("\n\n{h} \n{p}\n\n", "\n{p}\n{h}\n\n", "\n{h}      {p}\n", "\n\n{p}      {h}\n\n", "\n\n{h}\n\n{p}\n")


def running_headers(text: str, every: int = 40, page: int = 49) -> str:
    """A page break (:data:`PAGE_BREAKS`, in turn) after every ``every`` lines, mid-paragraph or not; the
    pages are numbered from ``page + 1`` (below 1000, as in an issue of the gazette)."""
    lines = text.split("\n")
    out: list[str] = []
    for i in range(0, len(lines), every):
        out.append("\n".join(lines[i:i + every]))
        if i + every < len(lines):
            page = page % 999 + 1
            out.append(PAGE_BREAKS[page % len(PAGE_BREAKS)].format(h=RUNNING_HEADER, p=page))
    return "".join(out)


_MARKDOWN_CHARS = re.compile(r"([\\`*_\[\]<>|#~&])")


def markdown_export(text: str, left: str, right: str) -> str:
    """The text as a Markdown export writes it: a character that Markdown would read as a mark escaped
    (``\\*``, ``\\[``), then each line between ``left`` and ``right`` (a table row's pipes, bold markers)."""
    return "\n".join(left + _MARKDOWN_CHARS.sub(r"\\\1", ln.strip()) + right if ln.strip() else ln
                     for ln in text.split("\n"))


#: name -> (the perturbed text, how it arrives: ".txt" or ".md" file, or "str" for the string itself)
PERTURBATIONS: dict[str, tuple[Callable[[str], str], str]] = {
    "crlf": (lambda t: t.replace("\n", "\r\n"), ".txt"),
    "cr": (lambda t: t.replace("\n", "\r"), ".txt"),
    "nfd": (lambda t: unicodedata.normalize("NFD", t), ".txt"),
    "eth": (lambda t: t.replace("Đ", "\u00d0"), ".txt"),
    "nbsp": (lambda t: t.replace(" ", "\u00a0"), ".txt"),
    "zwsp": (zero_width, ".txt"),
    "bom": (lambda t: "\ufeff" + t, "str"),
    "trailing-spaces": (lambda t: t.replace("\n", "  \n"), ".txt"),
    "pipes": (lambda t: markdown_export(t, "| ", " |"), ".md"),
    "bold": (lambda t: markdown_export(t, "**", "**"), ".md"),
    "running-header": (running_headers, ".txt"),
    "pdf-page": (lambda t: running_headers(rewrap_lines(t, 70), every=45), ".txt"),
}
WIDTHS = (15, 23, 37, 61, 80)


def perturbations(widths: tuple[int, ...] = WIDTHS) -> dict[str, tuple[Callable[[str], str], str]]:
    """Every perturbation, the re-wrappings at ``widths`` included."""
    out = dict(PERTURBATIONS)
    for w in widths:
        out[f"lines-{w}"] = ((lambda t, w=w: rewrap_lines(t, w)), ".txt")
        out[f"flat-{w}"] = ((lambda t, w=w: flatten(t, w)), ".txt")
    return out


def canon(value: Any) -> Any:
    """A header value as the text gives it, whatever the form: NFC, one Đ, no zero-width characters,
    whitespace collapsed (a title wrapped over two lines is the same title)."""
    if isinstance(value, list):
        return [canon(v) for v in value]
    if not isinstance(value, str):
        return value
    return " ".join(unicodedata.normalize("NFC", visible(value)).replace("\u00d0", "Đ").split())


def signature(x: citegraph.Extraction) -> dict[str, Any]:
    """What must not change: the own header (every field) and the references (not the back-references)
    as a set of ``(kind, symbol or name, identity, date, issuer)``."""
    refs = sorted({(r.kind, canon(r.symbol or r.name), r.id, r.date, r.issuer)
                   for r in x.references if r.kind != "backref"}, key=repr)
    return {"header": {k: canon(v) for k, v in x.document.to_dict().items()}, "refs": refs}


def extract_as(text: str, how: str, folder: Path) -> citegraph.Extraction:
    """Extract ``text`` arriving as ``how``: a UTF-8 file with that suffix, or the string itself."""
    if how == "str":
        return citegraph.extract(Document(text=text))
    path = folder / f"doc{how}"
    path.write_bytes(text.encode("utf-8"))
    return citegraph.extract(path)


def difference(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """The fields of two signatures that differ: header fields as (before, after), references lost/gained."""
    out: dict[str, Any] = {k: (a["header"][k], b["header"][k]) for k in a["header"] if a["header"][k] != b["header"][k]}
    lost = [r for r in a["refs"] if r not in b["refs"]]
    gained = [r for r in b["refs"] if r not in a["refs"]]
    if lost or gained:
        out["refs"] = {"lost": lost, "gained": gained}
    return out


_PERTURB: dict[str, tuple[Callable[[str], str], str]] = {}


def _init(widths: tuple[int, ...], only: list[str] | None) -> None:
    _PERTURB.update({k: v for k, v in perturbations(widths).items() if not only or k in only})


def _one(path: str) -> dict[str, Any]:
    """Every perturbation of one text: name -> its difference (empty when the same)."""
    text = Path(path).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="cg-inv-") as d:
        base = signature(extract_as(text, ".txt", Path(d)))
        return {name: difference(base, signature(extract_as(f(text), how, Path(d))))
                for name, (f, how) in _PERTURB.items()}


def texts(which: str) -> list[Path]:
    """The texts to perturb: ``web`` (../shared/real/web), ``gold`` (corpus/real) or ``all``."""
    out: list[Path] = []
    if which in ("web", "all"):
        out += sorted(WEB.glob("*.txt"))
    if which in ("gold", "all"):
        out += sorted(GOLD_TEXTS.glob("*.txt"))
    return out


def _widths(spec: str) -> tuple[int, ...]:
    if "-" in spec:
        a, b = spec.split("-")
        return tuple(range(int(a), int(b) + 1))
    return tuple(int(w) for w in spec.split(",") if w)


def run(paths: list[Path], widths: tuple[int, ...] = WIDTHS, only: list[str] | None = None,
        jobs: int = 1) -> dict[str, dict[str, dict[str, Any]]]:
    """name -> {file name: difference} for every perturbation and every differing text."""
    names = [k for k in perturbations(widths) if not only or k in only]
    found: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in names}
    if jobs > 1:
        with mp.get_context("fork").Pool(jobs, initializer=_init, initargs=(widths, only)) as pool:
            results = pool.map(_one, [str(p) for p in paths], chunksize=2)
    else:
        _init(widths, only)
        results = [_one(str(p)) for p in paths]
    for p, res in zip(paths, results):
        for k, diff in res.items():
            if diff:
                found[k][p.name] = diff
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--texts", choices=["web", "gold", "all"], default="web",
                    help="which real texts (default: the 262 of ../shared/real/web)")
    ap.add_argument("--widths", default=",".join(map(str, WIDTHS)),
                    help="re-wrapping widths: a list (15,23) or a range (10-120)")
    ap.add_argument("--only", nargs="*", help="only these perturbations")
    ap.add_argument("--show", type=int, default=0, metavar="N", help="print N differing documents per perturbation")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--json", metavar="FILE", help="write every difference as JSON")
    args = ap.parse_args(argv)
    paths = texts(args.texts)
    if not paths:
        print(f"no texts: {WEB} is not beside this checkout", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    found = run(paths, _widths(args.widths), args.only, args.jobs)
    print(f"{len(paths)} texts, {len(found)} perturbations, {time.perf_counter() - t0:.0f} s")
    print(f"{'perturbation':<16} differing")
    for k, docs in found.items():
        print(f"{k:<16} {len(docs)}")
        for name, diff in list(docs.items())[:args.show]:
            print(f"    {name}: {json.dumps(diff, ensure_ascii=False)[:1200]}")
    if args.json:
        Path(args.json).write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
