"""Command line: ``citegraph extract|build|check PATH...``."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from . import __version__


def _inputs(paths: Sequence[str]):
    """Expand the paths given (directories recursively); yields paths and read errors."""
    try:
        from .files import iter_inputs
    except ImportError:  # pragma: no cover - files.py ships with the package
        from pathlib import Path

        for p in paths:
            yield Path(p)
        return
    yield from iter_inputs(paths)


def cmd_extract(args: argparse.Namespace) -> int:
    """Run extraction and print one JSON object per document, or a table."""
    from .extract import extract
    from .read import ReadError

    status = 0
    out = sys.stdout
    for p in _inputs(args.paths):
        if isinstance(p, ReadError):
            print(f"citegraph: error: {p}", file=sys.stderr)
            status = 2
            continue
        try:
            extractions = _stream(p) if _is_huge(p) else iter([extract(p)])
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
    from .readers import MAX_TEXT_BYTES

    try:
        return p.suffix.lower() in ("", ".txt", ".md") and p.stat().st_size > MAX_TEXT_BYTES
    except OSError:
        return False


def _stream(p):
    from .stream import extract_stream

    return extract_stream(p)


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
    bd = sub.add_parser("build", help="build the citation graph of documents and write it")
    bd.add_argument("paths", nargs="+", metavar="PATH")
    bd.add_argument("--out", required=True, metavar="DIR")
    bd.add_argument("--store", default=None, metavar="DIR", help="persistent Oxigraph store (incremental builds)")
    bd.add_argument("--registry", default=None, metavar="PATH", help="extra registry of known documents")
    bd.set_defaults(func=lambda a: _late("graph", "cli_build")(a))
    ck = sub.add_parser("check", help="report inconsistent citations; exit 1 when something is flagged")
    ck.add_argument("paths", nargs="+", metavar="PATH")
    ck.add_argument("--registry", default=None, metavar="PATH")
    ck.add_argument("--store", default=None, metavar="DIR")
    ck.set_defaults(func=lambda a: _late("report", "cli_check")(a))
    args = ap.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("citegraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _late(module: str, name: str):
    import importlib

    return getattr(importlib.import_module(f"citegraph.{module}"), name)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
