"""Command line: ``citegraph extract|stats|build|check PATH...`` and the questions ``grounds|implementers|lineage|coverage``.

Every mistake a user can make on the command line (a missing or empty folder, an output path that is a file, a
store path that is not a store, a document the graph does not hold) is one line on stderr, ``citegraph: error:
…``, and exit status 2; names are printed escaped (:func:`citegraph.io.names.source_name`), so a file name can
neither break the line nor carry bytes that are not UTF-8.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from citegraph._version import __version__
from citegraph.extraction.batch import extract_many, input_size, workers_for
from citegraph.extraction.pipeline import extract
from citegraph.extraction.stream import extract_stream
from citegraph.io.document import SUFFIXES
from citegraph.io.files import iter_inputs
from citegraph.io.names import source_name
from citegraph.io.read import ReadError
from citegraph.io.readers import MAX_TEXT_BYTES


def error(message: object) -> None:
    """Print one error line on stderr (the message escaped: it stays one line)."""
    print(f"citegraph: error: {source_name(message)}", file=sys.stderr)


def warning(message: object) -> None:
    """Print one warning line on stderr."""
    print(f"citegraph: warning: {source_name(message)}", file=sys.stderr)


def expand_inputs(paths: Iterable[str]) -> Iterator[Path | ReadError]:
    """The files named by ``paths`` (folders read recursively, each file once), and an error for each path
    that cannot be read, or for a folder given explicitly that holds nothing to read."""
    seen: set[tuple[int, int]] = set()
    for given in paths:
        found = False
        for p in iter_inputs([given]):
            found = True
            if isinstance(p, Path):
                try:
                    st = p.stat()
                    key = (st.st_dev, st.st_ino)
                except OSError:
                    key = (-1, len(seen))
                if key in seen:
                    continue
                seen.add(key)
            yield p
        if not found and os.path.isdir(given):
            kinds = " ".join(sorted(SUFFIXES))
            yield ReadError(f"{given}: no documents to read in this folder (looked for {kinds})")


def cmd_extract(args: argparse.Namespace) -> int:
    """Run extraction and print one JSON object per document, or a table.

    Inputs worth it (:func:`~citegraph.extraction.batch.workers_for`: by their size in bytes) are extracted
    in worker processes forked ready to work, which send back the finished lines (not object trees), so the
    parent only writes; the output is the same, in the order of the inputs, either way.
    """
    status = 0
    write = _writer(sys.stdout)
    items = list(expand_inputs(args.paths))
    files = [p for p in items if not isinstance(p, ReadError) and not _is_huge(p)]
    rendered = extract_many(files, workers=workers_for(map(input_size, files)), progress=False, chunksize=4,
                            render=partial(_lines, fmt=args.format))
    try:
        for p in items:
            if isinstance(p, ReadError):
                error(p)
                status = 2
                continue
            if _is_huge(p):
                try:
                    results = [_lines(p, x, args.format) for x in extract_stream(p)]
                except ReadError as e:
                    results = [("", [], str(e))]
            else:
                r = next(rendered)
                results = [("", [], str(r)) if isinstance(r, ReadError) else r]
            for text, warnings, err in results:
                if err is not None:
                    error(err)
                    status = 2
                    continue
                write(text)
                if args.warnings:
                    for w in warnings:
                        warning(w)
    finally:
        rendered.close()
    return status


def _lines(p: Path, x: Any, fmt: str) -> tuple[bytes | str, list[str], None]:
    """One extraction's output line (UTF-8 bytes) or table and its warnings: what a worker sends back."""
    x.source = source_name(p)
    text = x.to_jsonl() if fmt == "jsonl" else format_table(x) + "\n"
    return text, [w if w.startswith(x.source) else f"{x.source}: {w}" for w in x.warnings], None


def _writer(out: Any) -> Callable[[bytes | str], Any]:
    """What writes the output to ``out``: text as text; JSON lines, UTF-8 bytes, to the binary stream beneath
    (no decoding and encoding again in the parent; JSON is UTF-8 whatever the terminal's encoding), or decoded
    where ``out`` has none (a ``StringIO``).

    >>> import io
    >>> raw = io.BytesIO(); w = _writer(io.TextIOWrapper(raw, encoding="cp1252")); _ = w("Số\\n".encode()); raw.getvalue()
    b'S\\xe1\\xbb\\x91\\n'
    >>> s = io.StringIO(); _ = _writer(s)("Số\\n".encode()); _ = _writer(s)("x"); s.getvalue()
    'Số\\nx'
    """
    binary = getattr(out, "buffer", None)
    pending_text = True  # text written to ``out`` goes out before the bytes that follow it

    def write(data: bytes | str) -> Any:
        nonlocal pending_text
        if isinstance(data, str):
            pending_text = True
            return out.write(data)
        if binary is None:
            return out.write(data.decode())
        if pending_text:
            out.flush()
            pending_text = False
        return binary.write(data)

    return write


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


class Progress:
    """What a long command tells on stderr while it runs: a bar per counted phase (reading, extracting,
    writing the files), a line per other phase, each with its time. Shown when stderr is a terminal, or
    always with ``--progress``; never with ``--quiet``.
    """

    def __init__(self, args: argparse.Namespace) -> None:
        wanted = getattr(args, "progress", False)
        quiet = getattr(args, "quiet", False)
        self.on = not quiet and (wanted or _stderr_is_tty())
        self.bar_default: bool | None = True if self.on else False
        self._t0 = time.perf_counter()

    def bar(self, total: int, desc: str, unit: str) -> Any:
        """A tqdm bar on stderr (a do-nothing one when progress is off)."""
        if not self.on:
            return _NoBar()
        from tqdm import tqdm

        return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)

    def phase(self, message: str) -> None:
        """One line: a phase starts (and how long the command has run)."""
        if self.on:
            print(f"citegraph: {message} ({time.perf_counter() - self._t0:.1f} s)", file=sys.stderr, flush=True)


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def readable_inputs(paths: Iterable[str], *, keep_paths: bool | str = False,
                    progress: Progress | None = None) -> tuple[list[Any], list[str]]:
    """Expand ``paths`` (directories recursively) and read each file once.

    Returns the inputs that could be read (``Document`` objects, or the paths themselves with
    ``keep_paths``, e.g. for an incremental store; with ``keep_paths="text"`` the paths of plain-text
    files, cheap to read again, and the documents of the others) and one message per file that could not
    (or per folder given that holds nothing to read).
    """
    from citegraph.io.read import ReadError, read

    good: list[Any] = []
    errors: list[str] = []
    found = list(expand_inputs([str(x) for x in paths]))
    bar = (progress or Progress(argparse.Namespace(quiet=True))).bar(len(found), "read", "file")
    try:
        for p in found:
            bar.update(1)
            if isinstance(p, ReadError):
                errors.append(str(p))
                continue
            try:
                doc = read(p)
            except ReadError as e:
                errors.append(str(e))
                continue
            cheap = keep_paths == "text" and Path(str(p)).suffix.lower() in (".txt", ".md")
            good.append(p if keep_paths is True or cheap else doc)  # a Path: a name with a line break stays a name
    finally:
        bar.close()
    return good, errors


def check_out_dir(out: str) -> None:
    """Refuse an output folder that cannot be one, before any work: a file, or under a file or unwritable."""
    from citegraph.graph.model import BuildError

    p = Path(out)
    if p.exists() and not p.is_dir():
        raise BuildError(f"--out {out}: is a file, not a folder to write the graph files in")
    up = p
    while not up.exists():
        if up.parent == up:
            break
        up = up.parent
    if up.exists() and not up.is_dir():
        raise BuildError(f"--out {out}: {up} is a file, so no folder can be made there")
    if up.exists() and not os.access(up, os.W_OK | os.X_OK):
        raise BuildError(f"--out {out}: {up} is not writable")


def run_cli(args: argparse.Namespace, then: Callable[[Any], int]) -> int:
    """Build the graph of the CLI's paths and hand it to ``then``; shared by ``build`` and ``check``.

    A file that cannot be read gets a one-line error and the others go on; the exit status is then 2,
    else what ``then`` returns. User mistakes (no documents, an output path that is a file, a bad
    registry, a store path that is not a store, a damaged store) are one-line errors, found before the
    documents are read where they can be.
    """
    from citegraph.builder import build
    from citegraph.graph.model import BuildError
    from citegraph.graph.registry import RegistryError
    from citegraph.io.read import ReadError
    from citegraph.store import Store, StoreError

    progress = Progress(args)
    store_path = getattr(args, "store", None)
    errors: list[str] = []
    args.read_errors = errors  # what the JSON output reports
    store = None
    try:
        if getattr(args, "out", None):
            check_out_dir(args.out)
        registry = cli_registry(args)
        if store_path is not None:
            store = Store(store_path)
        # texts are not all held at once: plain-text files are read again, in parallel, as they are extracted
        inputs, errors[:] = readable_inputs(args.paths, keep_paths=True if store is not None else "text",
                                            progress=progress)
        for e in errors:
            error(e)
        if not inputs:
            if errors:
                return 2
            raise BuildError("no documents found in " + ", ".join(args.paths))
        progress.phase(f"extracting {len(inputs):,} documents")
        G = build(inputs, registry=registry, store=store, progress=progress.bar_default, phase=progress.phase)
        status = then(G)
    except (BuildError, RegistryError, ReadError, StoreError, OSError) as e:
        error(e)
        return 2
    finally:
        if store is not None:
            try:
                store.close()
            except StoreError as e:
                error(e)
    return 2 if errors else status


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def cmd_build(args: argparse.Namespace) -> int:
    """``citegraph build PATH... --out DIR [--store DIR] [--registry PATH] [--json] [--quiet] [--progress]``:
    write the files, print a summary (or, with ``--json``, one JSON object)."""
    from citegraph.outputs.writers import HTML_MAX_NODES

    def write(G: Any) -> int:
        progress = Progress(args)
        bar = progress.bar(5, "write", "file")
        started: list[str] = []

        def tell(name: str) -> None:  # called as each file starts, and with "" when all are written
            if started:
                bar.update(1)
            started.append(name)
            bar.set_postfix_str(name)

        try:
            written = G.write(args.out, progress=tell)
        finally:
            bar.close()
        partial = len(G.nx) > HTML_MAX_NODES
        if getattr(args, "json", False):
            g = G.nx
            _print_json({
                "documents": g.number_of_nodes(), "citations": g.number_of_edges(), "sources": len(G.extractions),
                "uncertain": sum(1 for _, d in g.nodes(data=True) if d.get("candidates")),
                "known_to_registry": sum(1 for _, d in g.nodes(data=True) if d.get("registry")),
                "triples": G.triple_count(), "files": {k: str(p) for k, p in written.items()},
                "html_documents": min(len(g), HTML_MAX_NODES), "errors": [source_name(e) for e in args.read_errors]})
        elif not getattr(args, "quiet", False):
            print(G.summary())
            print("wrote " + ", ".join(str(p) for p in written.values()))
            if partial:
                print(f"{written['html']} draws the {HTML_MAX_NODES:,} documents around the most cited of {len(G.nx):,}")
        return 0

    return run_cli(args, write)


def cmd_check(args: argparse.Namespace) -> int:
    """``citegraph check PATH... [--registry PATH] [--store DIR] [--json] [--quiet]``: print the report.

    Exit status 1 when anything is flagged, 2 when a file could not be read (each gets a one-line error).
    ``--quiet`` prints nothing (the exit status says it); ``--json`` prints the findings as one JSON object.
    """
    from dataclasses import asdict

    from citegraph.graph.report import check

    def report(G: Any) -> int:
        rep = check(G)
        if getattr(args, "json", False):
            _print_json({"sources": rep.sources, "findings": [asdict(f) for f in rep],
                         "errors": [source_name(e) for e in args.read_errors]})
        elif not getattr(args, "quiet", False):
            sys.stdout.write(rep.to_text())
        return 1 if rep else 0

    return run_cli(args, report)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """``--json``, ``--quiet`` and ``--progress``, for the commands that build a graph."""
    parser.add_argument("--json", action="store_true", help="print the result as one JSON object")
    parser.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors (the exit status tells)")
    parser.add_argument("--progress", action="store_true", help="show progress on stderr even when it is not a terminal")


# ================================================================== questions to a built graph
def load_graph(args: argparse.Namespace) -> Any:
    """The graph a question is asked of: ``--graph PATH`` (a folder written by ``citegraph build``, or its
    ``graph.ttl``) or ``--store DIR``; a :class:`~citegraph.graph.model.BuildError` or
    :class:`~citegraph.store.StoreError` says what is wrong with either."""
    from citegraph.graph.model import BuildError

    graph, store = getattr(args, "graph", None), getattr(args, "store", None)
    if (graph is None) == (store is None):
        raise BuildError("name the graph to ask: --graph OUT (a folder written by citegraph build, or its "
                         "graph.ttl) or --store DIR")
    if store is not None:
        from citegraph.store import Store, StoreError

        if not Path(store).is_dir():
            raise StoreError(f"--store {store}: no such store")
        if not (Path(store) / "CURRENT").is_file():  # asking must not make a store where there was none
            raise StoreError(f"--store {store}: not a store written by citegraph build --store (no graph to ask)")
        from citegraph.corpus import CitationGraph

        Progress(args).phase(f"reading the store {store}")
        with Store(store) as st:
            G = CitationGraph(st.nx_view())
        if not len(G.nx):
            raise StoreError(f"--store {store}: the store holds no graph (build one with citegraph build ... "
                             f"--store {store})")
        return G
    return read_graph_file(graph, Progress(args))


def read_graph_file(graph: str, progress: Progress | None = None) -> Any:
    """The :class:`~citegraph.corpus.CitationGraph` of a ``graph.ttl`` (or the folder that holds it)."""
    from citegraph.corpus import CitationGraph
    from citegraph.graph.model import BuildError
    from citegraph.rdf.triples import read_turtle

    p = Path(graph)
    if p.is_dir():
        p = p / "graph.ttl"
        if not p.is_file():
            raise BuildError(f"--graph {graph}: no graph.ttl in this folder (write one with citegraph build PATH "
                             f"--out {graph})")
    elif not p.exists():
        raise BuildError(f"--graph {graph}: no such folder or file")
    if progress is not None:
        progress.phase(f"reading {p}")
    try:
        G = CitationGraph(read_turtle(p))
    except (SyntaxError, ValueError, OSError) as e:
        raise BuildError(f"--graph {graph}: not a graph written by citegraph ({' '.join(str(e).split())})") from None
    if not len(G.nx):
        raise BuildError(f"--graph {graph}: {p} holds no citegraph document")
    return G


def _cell(v: Any, width: int) -> str:
    s = source_name("" if v is None else v)
    return s if len(s) <= width else s[: width - 1] + "…"


def _doc_line(g: Any, n: str) -> dict[str, Any]:
    d = g.nodes[n]
    return {"document": n, "label": d.get("label") or n, "type": d.get("type"), "date": d.get("date"),
            "issuer": d.get("issuer"), "level": d.get("level"), "jurisdiction": d.get("jurisdiction")}


def _walk_table(title: str, rows: list[dict[str, Any]]) -> str:
    lines = [title, f"  {'depth':>5}  {'relation':<22} {'document':<28} {'date':<10}  {'level':<9} {'jurisdiction':<40} IRI"]
    for r in rows:
        lines.append(f"  {r['depth']:>5}  {_cell(' > '.join(r['rels']), 22):<22} {_cell(r['label'], 28):<28} "
                     f"{_cell(r['date'], 10):<10}  {_cell(r['level'], 9):<9} {_cell(r['jurisdiction'], 40):<40} "
                     f"{_cell(r['document'], 200)}")
    return "\n".join(lines) + "\n"


def cmd_walk(args: argparse.Namespace) -> int:
    """``citegraph grounds|implementers DOC (--graph OUT | --store DIR) [--rel REL]... [--depth N] [--json]``."""
    from citegraph.graph import queries

    def ask(G: Any) -> int:
        g = G.nx
        doc = G.resolve(args.doc)
        walk = queries.grounds if args.command == "grounds" else queries.implementers
        rows = [{**r, "date": g.nodes[r["document"]].get("date")}
                for r in walk(g, doc, rels=args.rel or None, max_depth=args.depth)]
        if args.json:
            _print_json({"question": args.command, **_doc_line(g, doc), "results": rows})
        else:
            what = "rests on" if args.command == "grounds" else "is implemented or cited by"
            label = g.nodes[doc].get("label") or doc
            sys.stdout.write(_walk_table(f"{source_name(label)} {what} {len(rows)} document(s)", rows))
        return 0

    return ask_cli(args, ask)


def cmd_lineage(args: argparse.Namespace) -> int:
    """``citegraph lineage A B (--graph OUT | --store DIR) [--json]``: the citation chain between two documents.

    Exit status 1 when neither leads to the other."""
    import networkx as nx

    from citegraph.graph import queries

    def ask(G: Any) -> int:
        g = G.nx
        a, b = G.resolve(args.a), G.resolve(args.b)
        try:
            steps = queries.lineage_path(g, a, b)
        except nx.NetworkXNoPath:
            if args.json:
                _print_json({"question": "lineage", "from": _doc_line(g, a), "to": _doc_line(g, b), "steps": []})
            else:
                print(f"no citation chain between {source_name(g.nodes[a].get('label') or a)} and "
                      f"{source_name(g.nodes[b].get('label') or b)}")
            return 1
        if args.json:
            _print_json({"question": "lineage", "from": _doc_line(g, a), "to": _doc_line(g, b),
                         "steps": [{"citing": _doc_line(g, u), "rel": r, "cited": _doc_line(g, v)} for u, r, v in steps]})
            return 0
        lines = [f"a chain of {len(steps)} citation(s)"]
        for u, r, v in steps:
            du, dv = _doc_line(g, u), _doc_line(g, v)
            lines.append(f"  {_cell(du['label'], 40)} ({_cell(du['jurisdiction'] or '?', 40)}, {du['date'] or '?'})"
                         f"  --{r}-->  {_cell(dv['label'], 40)} ({_cell(dv['jurisdiction'] or '?', 40)}, "
                         f"{dv['date'] or '?'})")
        print("\n".join(lines))
        return 0

    return ask_cli(args, ask)


def cmd_coverage(args: argparse.Namespace) -> int:
    """``citegraph coverage DOC (--graph OUT | --store DIR) [--level province|district|commune] [--by today|stated]
    [--json]``: which jurisdictions follow a document up, with their implementers, and which do not (units of
    today's map, or as the documents state them)."""
    from citegraph.graph import queries

    def ask(G: Any) -> int:
        g = G.nx
        doc = G.resolve(args.doc)
        by = queries.grouping(args.level, args.by)
        c = queries.coverage(g, doc, level=args.level, by=by)
        if args.json:
            _print_json({"question": "coverage", **_doc_line(g, doc), "level": c.level, "by": by, "ratio": c.ratio,
                         "covered": {u: [_doc_line(g, n) for n in ns] for u, ns in c.covered.items()},
                         "missing": c.missing})
            return 0
        total = len(c.covered) + len(c.missing)
        lines = [f"{source_name(g.nodes[doc].get('label') or doc)}: followed up in {len(c.covered)} of {total} "
                 f"{args.level}s ({c.ratio:.0%}; {'as stated' if by == 'stated' else 'units of today'})",
                 f"  {args.level:<40} {'first':<10}  {'documents':>9}  documents"]
        for unit, ns in c.covered.items():
            rows = [_doc_line(g, n) for n in ns]
            first = min((r["date"] for r in rows if r["date"]), default="")
            lines.append(f"  {_cell(unit, 40):<40} {first:<10}  {len(rows):>9}  "
                         + ", ".join(_cell(r["label"], 30) for r in rows[:5]) + (" …" if len(rows) > 5 else ""))
        if c.missing:
            lines.append(f"  not followed up ({len(c.missing)}): " + ", ".join(_cell(u, 40) for u in c.missing))
        print("\n".join(lines))
        return 0

    return ask_cli(args, ask)


def ask_cli(args: argparse.Namespace, ask: Callable[[Any], int]) -> int:
    """Load the graph a question names and ask it; a bad argument (no graph, no store, a document the graph
    does not hold or names ambiguously) is one error line and exit status 2."""
    from citegraph.graph.model import AmbiguousDocument, BuildError, UnknownDocument
    from citegraph.store import StoreError

    try:
        return ask(load_graph(args))
    except (BuildError, StoreError, UnknownDocument, AmbiguousDocument, OSError, ValueError) as e:
        error(e)
        return 2


def _depth(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 1:
        raise argparse.ArgumentTypeError(f"a depth is a whole number of steps, 1 or more, not {text!r}")
    return n


def add_question_commands(sub: Any) -> None:
    """The questions to a built graph: ``grounds``, ``implementers``, ``lineage``, ``coverage``."""
    from citegraph.text.vocab import vocabulary

    rels = vocabulary().relation_names()

    def source(p: argparse.ArgumentParser) -> None:
        p.add_argument("--graph", metavar="OUT", help="a folder written by citegraph build (or its graph.ttl)")
        p.add_argument("--store", metavar="DIR", help="a store written by citegraph build --store")
        p.add_argument("--json", action="store_true", help="print the answer as JSON")

    for name, helptext in (("grounds", "what a document rests on, up to the centre"),
                           ("implementers", "every document below one: what implements or cites it")):
        q = sub.add_parser(name, help=helptext)
        q.add_argument("doc", metavar="DOC", help="a symbol (33/CT-TTg), an identity IRI or a relative id")
        source(q)
        q.add_argument("--rel", action="append", choices=rels, help="follow only this relation (repeatable)")
        q.add_argument("--depth", type=_depth, default=None, metavar="N", help="stop after N steps")
        q.set_defaults(func=cmd_walk)
    q = sub.add_parser("lineage", help="the citation chain between two documents")
    q.add_argument("a", metavar="DOC_A")
    q.add_argument("b", metavar="DOC_B")
    source(q)
    q.set_defaults(func=cmd_lineage)
    q = sub.add_parser("coverage", help="which provinces (districts, communes) follow a document up")
    q.add_argument("doc", metavar="DOC")
    source(q)
    q.add_argument("--level", choices=("province", "district", "commune"), default="province")
    q.add_argument("--by", choices=("today", "stated"), default=None,
                   help="group by today's units (34 provinces since 1 July 2025; the default) or as the documents "
                        "state them (the default for districts, which today's map has not)")
    q.set_defaults(func=cmd_coverage)


class ArgumentParser(argparse.ArgumentParser):
    """argparse with usage mistakes on one line: ``citegraph build: error: …`` and a pointer to ``--help``."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {source_name(message)} (see {self.prog} --help)\n")


def _tolerant(stream: Any) -> None:
    r"""Let a text stream whose encoding cannot write Vietnamese (a console in cp1252, ``PYTHONIOENCODING=ascii``)
    write what it cannot as escapes (``\u1ebf``, which JSON reads back as the letter) instead of failing
    half-way through the output. JSON lines do not pass through it: they are written as UTF-8 bytes.

    >>> import io
    >>> out = io.TextIOWrapper(io.BytesIO(), encoding="cp1252"); _tolerant(out); _ = out.write("Số"); out.flush()
    >>> out.buffer.getvalue()
    b'S\\u1ed1'
    """
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # a stream that cannot change now: left as it is
            pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``citegraph`` command."""
    ap = ArgumentParser(prog="citegraph", description="Vietnamese legal-citation knowledge graph")
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
    add_run_options(bd)
    bd.set_defaults(func=cmd_build)
    ck = sub.add_parser("check", help="report inconsistent citations; exit 1 when something is flagged")
    ck.add_argument("paths", nargs="+", metavar="PATH")
    ck.add_argument("--registry", default=None, metavar="PATH")
    ck.add_argument("--store", default=None, metavar="DIR")
    add_run_options(ck)
    ck.set_defaults(func=cmd_check)
    add_question_commands(sub)
    args = ap.parse_args(argv)
    _tolerant(sys.stdout)
    _tolerant(sys.stderr)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("citegraph: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
