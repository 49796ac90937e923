"""Command line: ``citegraph extract|stats|build|check PATH...``."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from citegraph._version import __version__
from citegraph.extraction.pipeline import extract
from citegraph.extraction.stream import extract_stream
from citegraph.io.files import iter_inputs
from citegraph.io.read import ReadError
from citegraph.io.readers import MAX_TEXT_BYTES


def cmd_extract(args: argparse.Namespace) -> int:
    """Run extraction and print one JSON object per document, or a table."""
    status = 0
    out = sys.stdout
    for p in iter_inputs(args.paths):
        if isinstance(p, ReadError):
            print(f"citegraph: error: {p}", file=sys.stderr)
            status = 2
            continue
        try:
            extractions = extract_stream(p) if _is_huge(p) else iter([extract(p)])
            for x in extractions:
                x.source = str(p)
                if args.format == "jsonl":
                    out.write(json.dumps(x.to_dict(), ensure_ascii=False) + "\n")
                else:
                    out.write(format_table(x) + "\n")
                if args.warnings:
                    for w in x.warnings:
                        print(f"citegraph: warning: {w if w.startswith(x.source) else f'{x.source}: {w}'}",
                              file=sys.stderr)
        except ReadError as e:
            print(f"citegraph: error: {e}", file=sys.stderr)
            status = 2
    return status


def _is_huge(p) -> bool:
    """A plain-text file too large to read whole: it is extracted segment by segment."""
    try:
        return p.suffix.lower() in ("", ".txt", ".md") and p.stat().st_size > MAX_TEXT_BYTES
    except OSError:
        return False


def format_table(x) -> str:
    """A readable table of one extraction."""
    h = x.document
    lines = [f"== {x.source}",
             f"   {h.type or '?'} {h.symbol or '(no symbol)'}  {h.date or ''}  {h.issuer or ''}  [{h.jurisdiction or '?'}]",
             f"   {h.title or ''}"]
    rel_of = {}
    for r in x.relations:
        if r.source == "SELF":
            rel_of.setdefault(r.target, r.rel)
    lines.append(f"   {'#':>3}  {'rel':<10} {'reference':<26} {'date':<10}  {'issuer':<30} jurisdiction")
    for i, r in enumerate(x.references):
        label = r.symbol or r.name or r.text
        if r.kind == "backref":
            label = f"-> {r.text} ({r.symbol or r.refers_to})"
        label = " ".join(label.split())
        lines.append(f"   {i:>3}  {rel_of.get(i, ''):<10} {label[:26]:<26} {r.date or '':<10}  {(r.issuer or '')[:30]:<30} {r.jurisdiction or ''}")
    for r in x.relations:
        if r.source != "SELF":
            a, b = x.references[r.source], x.references[r.target]
            lines.append(f"   {a.label} --{r.rel}--> {b.label}")
    return "\n".join(lines)


# ================================================================== stats of own headers
#: the own-header fields ``citegraph stats`` counts, in the order it prints them
STATS_FIELDS = ("type", "symbol", "date", "place", "issuer", "jurisdiction", "title", "signer")


def header_stats(headers: Iterable[Any]) -> dict[str, Any]:
    """How often each own-header field is found over documents' headers.

    ``texts`` counts every header given, ``documents`` those with any of type, symbol, date or issuer
    (a page that is not an official document, say an encyclopedia article, gets none); each field
    has ``found``, its share of the texts and its share of the documents.

    >>> from citegraph.extraction.models import Header
    >>> s = header_stats([Header(type="Kế hoạch", symbol="1/KH-UBND", date="2025-01-02"), Header(type="Luật"), Header()])
    >>> s["texts"], s["documents"], s["fields"]["symbol"]
    (3, 2, {'found': 1, 'of_texts': 0.333, 'of_documents': 0.5})
    """
    texts = documents = 0
    found = dict.fromkeys(STATS_FIELDS, 0)
    for h in headers:
        texts += 1
        if any(getattr(h, f) for f in ("type", "symbol", "date", "issuer")):
            documents += 1
        for f in STATS_FIELDS:
            found[f] += bool(getattr(h, f))
    return {"texts": texts, "documents": documents,
            "fields": {f: {"found": n, "of_texts": round(n / texts, 3) if texts else 0.0,
                           "of_documents": round(n / documents, 3) if documents else 0.0}
                       for f, n in found.items()}}


def format_stats(stats: dict[str, Any]) -> str:
    """The table ``citegraph stats`` prints.

    >>> print(format_stats(header_stats([])).splitlines()[0])
    own header of 0 texts: 0 documents, 0 without a header (not official documents)
    """
    t, d = stats["texts"], stats["documents"]
    lines = [f"own header of {t} texts: {d} documents, {t - d} without a header (not official documents)",
             f"{'field':<14}{'found':>7}{'of texts':>11}{'of documents':>15}"]
    for f, row in stats["fields"].items():
        lines.append(f"{f:<14}{row['found']:>7}{row['of_texts']:>10.1%}{row['of_documents']:>15.1%}")
    return "\n".join(lines)


def cmd_stats(args: argparse.Namespace) -> int:
    """``citegraph stats PATH... [--json]``: how often each own-header field is found, as a table or JSON.

    A file that cannot be read gets a one-line error (exit status 2); the others are counted.
    """
    status = 0
    headers = []
    for p in iter_inputs(args.paths):
        if isinstance(p, ReadError):
            print(f"citegraph: error: {p}", file=sys.stderr)
            status = 2
            continue
        try:
            # a huge file's later segments share its header: the first segment's is the file's
            x = next(iter(extract_stream(p))) if _is_huge(p) else extract(p)
        except (ReadError, StopIteration) as e:
            print(f"citegraph: error: {e or p}", file=sys.stderr)
            status = 2
            continue
        headers.append(x.document)
    if not headers:
        if not status:
            print("citegraph: error: no documents found in " + ", ".join(args.paths), file=sys.stderr)
        return 2
    stats = header_stats(headers)
    sys.stdout.write((json.dumps(stats, ensure_ascii=False) if args.json else format_stats(stats)) + "\n")
    return status


# ================================================================== build and check
def cli_registry(args: argparse.Namespace) -> Any:
    """The registry for the CLI: the seed registry plus ``--registry PATH`` (a file or directory), if given."""
    extra = getattr(args, "registry", None)
    if not extra:
        return None
    from citegraph.graph.registry import DEFAULT_DIR, Registry

    return Registry.load(*([DEFAULT_DIR] if DEFAULT_DIR.is_dir() else []), extra)


def readable_inputs(paths: Iterable[str], *, keep_paths: bool | str = False) -> tuple[list[Any], list[str]]:
    """Expand ``paths`` (directories recursively) and read each file once.

    Returns the inputs that could be read (``Document`` objects, or the paths themselves with
    ``keep_paths``, e.g. for an incremental store; with ``keep_paths="text"`` the paths of plain-text
    files, cheap to read again, and the documents of the others) and one message per file that could not.
    """
    from citegraph.io.files import iter_inputs
    from citegraph.io.read import ReadError, read

    good: list[Any] = []
    errors: list[str] = []
    for p in iter_inputs([str(x) for x in paths]):
        if isinstance(p, ReadError):
            errors.append(str(p))
            continue
        try:
            doc = read(p)
        except ReadError as e:
            errors.append(str(e))
            continue
        cheap = keep_paths == "text" and Path(str(p)).suffix.lower() in (".txt", ".md")
        good.append(str(p) if keep_paths is True or cheap else doc)
    return good, errors


def run_cli(args: argparse.Namespace, then: Callable[[Any], int]) -> int:
    """Build the graph of the CLI's paths and hand it to ``then``; shared by ``build`` and ``check``.

    A file that cannot be read gets a one-line error and the others go on; the exit status is then 2,
    else what ``then`` returns. User mistakes (no documents, a bad registry or store) are one-line errors.
    """
    from citegraph.builder import build
    from citegraph.graph.model import BuildError
    from citegraph.graph.registry import RegistryError
    from citegraph.io.read import ReadError
    from citegraph.store import StoreError

    store = getattr(args, "store", None)
    # texts are not all held at once: plain-text files are read again, in parallel, as they are extracted
    inputs, errors = readable_inputs(args.paths, keep_paths=True if store is not None else "text")
    for e in errors:
        print(f"citegraph: error: {e}", file=sys.stderr)
    if not inputs and errors:
        return 2
    try:
        if not inputs:
            raise BuildError("no documents found in " + ", ".join(args.paths))
        status = then(build(inputs, registry=cli_registry(args), store=store))
    except (BuildError, RegistryError, ReadError, StoreError, OSError) as e:
        print(f"citegraph: error: {e}", file=sys.stderr)
        return 2
    return 2 if errors else status


def cmd_build(args: argparse.Namespace) -> int:
    """``citegraph build PATH... --out DIR [--store DIR] [--registry PATH]``: write the files, print a summary."""
    from citegraph.outputs.writers import HTML_MAX_NODES

    def write(G: Any) -> int:
        written = G.write(args.out)
        print(G.summary())
        print("wrote " + ", ".join(str(p) for p in written.values()))
        if len(G.nx) > HTML_MAX_NODES:
            print(f"{written['html']} draws the {HTML_MAX_NODES:,} documents around the most cited of {len(G.nx):,}")
        return 0

    return run_cli(args, write)


def cmd_check(args: argparse.Namespace) -> int:
    """``citegraph check PATH... [--registry PATH] [--store DIR]``: print the report.

    Exit status 1 when anything is flagged, 2 when a file could not be read (each gets a one-line error).
    """
    from citegraph.graph.report import check

    def report(G: Any) -> int:
        rep = check(G)
        sys.stdout.write(rep.to_text())
        return 1 if rep else 0

    return run_cli(args, report)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``citegraph`` command."""
    ap = argparse.ArgumentParser(prog="citegraph", description="Vietnamese legal-citation knowledge graph")
    ap.add_argument("--version", action="version", version=f"citegraph {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="find and normalise the references of documents")
    ex.add_argument("paths", nargs="+", metavar="PATH")
    ex.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    ex.add_argument("--warnings", action="store_true", help="print extraction warnings on stderr")
    ex.set_defaults(func=cmd_extract)
    st = sub.add_parser("stats", help="how often each field of the documents' own headers is found")
    st.add_argument("paths", nargs="+", metavar="PATH")
    st.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    st.set_defaults(func=cmd_stats)
    bd = sub.add_parser("build", help="build the citation graph of documents and write it")
    bd.add_argument("paths", nargs="+", metavar="PATH")
    bd.add_argument("--out", required=True, metavar="DIR")
    bd.add_argument("--store", default=None, metavar="DIR", help="persistent Oxigraph store (incremental builds)")
    bd.add_argument("--registry", default=None, metavar="PATH", help="extra registry of known documents")
    bd.set_defaults(func=cmd_build)
    ck = sub.add_parser("check", help="report inconsistent citations; exit 1 when something is flagged")
    ck.add_argument("paths", nargs="+", metavar="PATH")
    ck.add_argument("--registry", default=None, metavar="PATH")
    ck.add_argument("--store", default=None, metavar="DIR")
    ck.set_defaults(func=cmd_check)
    args = ap.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("citegraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
