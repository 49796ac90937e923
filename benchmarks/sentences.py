"""Citing-sentence boundaries: citegraph's splitter against underthesea's ``sent_tokenize``, accuracy and speed.

Accuracy is measured on tests/data/sentences/gold.jsonl (124 citations in 16 real documents, annotated by hand;
its README gives the rules) and on tests/data/sentences/held_out.jsonl (41 citations in 6 other documents,
drawn and annotated after citegraph's splitter was written: the first set was looked at while writing it, so
its figure flatters the splitter; the held-out one does not). Each splitter gives, for a citation, the span of
the sentence holding it; a span is right when both ends equal the gold's (whitespace around it aside). Two
golds: the *sentence* as annotated, and its *clause* (the piece between two ``;``), derived from it mechanically.

* ``citegraph``: what ``citegraph.extract`` keeps as ``Reference.sentence_start``/``sentence_end``
  (citegraph/text/sentences.py).
* ``citegraph before``: the splitter it replaced (cuts after ``. ``, after ``;`` and at a blank line), copied
  below as it was.
* ``underthesea``: ``underthesea.sent_tokenize`` over the whole text, its sentences found back in the text in
  order; a citation's span runs from the start of the sentence holding its first character to the end of the
  one holding its last.

Speed is the CPU time each takes on the documents of corpus/real and ../shared/real/web, least of ``--repeat``
runs: for citegraph (now and before), the splitter alone (every reference's clause, as extraction asks for it,
from a new ``Sentences`` per text) and the whole extraction; for underthesea, ``sent_tokenize`` of each whole text
(what an option using it would have to run).

Usage::

    python benchmarks/sentences.py                # both tables, markdown
    python benchmarks/sentences.py --repeat 7 --json out.json
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from bisect import bisect_left
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
GOLDS = {"development": ROOT / "tests" / "data" / "sentences" / "gold.jsonl",
         "held-out": ROOT / "tests" / "data" / "sentences" / "held_out.jsonl"}
CORPORA = (ROOT / "corpus" / "real", ROOT.parent / "shared" / "real" / "web")

Span = tuple[int, int]


def load_gold(path: Path) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if (ROOT / r["path"]).is_file()]


def strip_span(text: str, a: int, b: int) -> Span:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def clause_of(text: str, sentence: Span, start: int, end: int) -> Span:
    """The piece of ``sentence`` between two ``;`` (a ``;`` followed by whitespace or the sentence's end ends a
    clause and belongs to it) that holds the citation ``start:end``."""
    a, b = sentence
    cuts = [m.end() for m in re.finditer(r";(?=\s|$)", text[a:b])]
    lo = max([a + c for c in cuts if a + c <= start], default=a)
    hi = min([a + c for c in cuts if a + c >= end], default=b)
    return strip_span(text, lo, hi)


# ------------------------------------------------------------------------------------------------ the splitters
def citegraph_spans(path: Path, text: str, extract: Callable) -> dict[int, Span]:
    x = extract(path)
    assert x.text == text
    return {r.start: (r.sentence_start, r.sentence_end) for r in x.references if r.sentence_start is not None}


def before_span(view: Any, start: int, end: int, search: Any) -> Span:
    """The splitter of citegraph/extraction/pipeline.py before citegraph/text/sentences.py, as it was."""
    t = view.text
    s = search
    lo = max(s.rfind(". ", start), s.rfind(";", start), s.rfind("\n\n", start))
    lo = 0 if lo < 0 else lo + 1
    his = [x for x in (s.find(". ", end), s.find(";", end), s.find("\n\n", end)) if x >= 0]
    hi = min(his) + 1 if his else len(t)
    while lo < start and t[lo].isspace():
        lo += 1
    return view.span(lo, min(hi, len(t)))


def in_view(text: str, spans: list[tuple[int, int]]) -> tuple[Any, list[Span]]:
    """The normalised view of ``text`` and ``spans`` (offsets in ``text``) in its coordinates."""
    from citegraph.text.normalize import View

    view = View(text)
    n = len(view.text)

    def to_view(x: int) -> int:  # the first view character at or after text offset x (view.offset is monotone)
        return bisect_left(range(n), x, key=view.offset)

    return view, [(to_view(a), to_view(b)) for a, b in spans]


def before_spans(text: str, starts: list[tuple[int, int]]) -> dict[int, Span]:
    from citegraph.extraction.relate import TextSearch

    starts = sorted(starts)
    view, spans = in_view(text, starts)
    search = TextSearch(view.text)
    return {a: before_span(view, va, vb, search) for (a, _), (va, vb) in zip(starts, spans)}


def sentence_offsets(text: str, sentences: list[str]) -> list[Span]:
    """Where each of ``sentences`` (in order, stripped, as sent_tokenize gives them) stands in ``text``."""
    out, pos = [], 0
    for s in sentences:
        i = text.find(s, pos)
        if i < 0:
            raise ValueError(f"sentence not found in order: {s[:60]!r}")
        out.append((i, i + len(s)))
        pos = i + len(s)
    return out


def underthesea_spans(text: str, starts: list[tuple[int, int]]) -> dict[int, Span]:
    from underthesea import sent_tokenize

    offs = sentence_offsets(text, sent_tokenize(text))
    out = {}
    for a, b in starts:
        first = next((s for s in offs if s[0] <= a < s[1]), None)
        last = next((s for s in offs if s[0] < b <= s[1]), None)
        if first and last:
            out[a] = (first[0], last[1])
    return out


# ------------------------------------------------------------------------------------------------ accuracy
def accuracy(gold: list[dict]) -> dict[str, dict[str, float]]:
    import citegraph

    by_path: dict[str, list[dict]] = {}
    for g in gold:
        by_path.setdefault(g["path"], []).append(g)
    found: dict[str, dict[str, Span | None]] = {"citegraph": {}, "citegraph before": {}, "underthesea": {}}
    texts = {}
    for path, rows in by_path.items():
        text = citegraph.read(ROOT / path).text
        texts[path] = text
        cites = [(r["start"], r["end"]) for r in rows]
        spans = {"citegraph": citegraph_spans(ROOT / path, text, citegraph.extract),
                 "citegraph before": before_spans(text, cites), "underthesea": underthesea_spans(text, cites)}
        for name, got in spans.items():
            for r in rows:
                found[name][r["id"]] = got.get(r["start"])
    out: dict[str, dict[str, float]] = {}
    for name, got in found.items():
        score = {"sentence": 0, "sentence_start": 0, "sentence_end": 0, "clause": 0, "clause_start": 0,
                 "clause_end": 0}
        for g in gold:
            text = texts[g["path"]]
            span = got[g["id"]]
            if span is None:
                continue
            mine = strip_span(text, *span)
            sent = (g["sentence_start"], g["sentence_end"])
            clause = clause_of(text, sent, g["start"], g["end"])
            for key, want in (("sentence", sent), ("clause", clause)):
                score[key] += mine == want
                score[key + "_start"] += mine[0] == want[0]
                score[key + "_end"] += mine[1] == want[1]
        out[name] = {k: v / len(gold) for k, v in score.items()}
    return out


# ------------------------------------------------------------------------------------------------ speed
def documents() -> list[Path]:
    seen, out = set(), []
    for folder in CORPORA:
        for p in sorted(folder.glob("*.txt")):
            if p.name not in seen:
                seen.add(p.name)
                out.append(p)
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def speed(repeat: int) -> dict[str, float]:
    import citegraph
    from citegraph.extraction.relate import TextSearch
    from citegraph.text.sentences import Sentences
    from underthesea import sent_tokenize

    texts = [citegraph.read(p).text for p in documents()]
    jobs = [in_view(t, sorted((r.start, r.end) for r in citegraph.extract(t).references)) for t in texts]

    def ours() -> None:
        for v, refs in jobs:
            s = Sentences(v.text)
            for a, b in refs:
                v.span(*s.span(a, b))

    def before() -> None:
        for v, refs in jobs:
            s = TextSearch(v.text)
            for a, b in refs:
                before_span(v, a, b, s)

    def theirs() -> None:
        for v, _ in jobs:
            sent_tokenize(v.text)

    sent_tokenize("Khởi động.")  # load its model once, outside the timing
    return {"documents": len(jobs), "characters": sum(len(v.text) for v, _ in jobs),
            "references": sum(len(r) for _, r in jobs),
            "citegraph_splitter_s": best(ours, repeat), "citegraph_before_splitter_s": best(before, repeat),
            "underthesea_sent_tokenize_s": best(theirs, repeat),
            "extract_s": best(lambda: [citegraph.extract(t) for t in texts], repeat)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    acc = {}
    for set_name, path in GOLDS.items():
        gold = load_gold(path)
        acc[set_name] = accuracy(gold)
        print(f"Accuracy on the {set_name} gold, {len(gold)} citations "
              f"({len({(g['path'], g['sentence_start']) for g in gold})} sentences, "
              f"{len({g['path'] for g in gold})} documents): share of citations whose span is exactly the gold's\n")
        print("| splitter | sentence | start | end | clause | start | end |\n|---|---|---|---|---|---|---|")
        for name, s in acc[set_name].items():
            print(f"| {name} | {s['sentence']:.3f} | {s['sentence_start']:.3f} | {s['sentence_end']:.3f} "
                  f"| {s['clause']:.3f} | {s['clause_start']:.3f} | {s['clause_end']:.3f} |")
        print()
    sp = speed(args.repeat)
    print(f"\nSpeed on {sp['documents']} documents ({sp['characters']:,} characters, {sp['references']} references),"
          f" CPU time, least of {args.repeat} runs:\n")
    print(f"| what | seconds |\n|---|---|\n| citegraph splitter, every reference | {sp['citegraph_splitter_s']:.4f} |"
          f"\n| citegraph splitter before, every reference | {sp['citegraph_before_splitter_s']:.4f} |"
          f"\n| underthesea sent_tokenize, every text | {sp['underthesea_sent_tokenize_s']:.4f} |"
          f"\n| whole extraction (citegraph.extract), every text | {sp['extract_s']:.4f} |")
    if args.json:
        args.json.write_text(json.dumps({"accuracy": acc, "speed": sp}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
