"""How the gold of citing sentences (tests/data/sentences/gold.jsonl) was made: sampling, then anchors to offsets.

1. ``sample`` picks the citations to annotate: 12 documents of corpus/real (those with at least 6 citations,
   drawn with ``random.Random(14)``) and 4 of ../shared/real/web that are not in corpus/real (same rule), and in
   each document up to 8 numbered or named references spread evenly over it. It prints each with the text around
   it (newlines shown as ⏎), and no splitter's answer.
2. A person reads each context and writes the sentence holding the citation, by the rules of
   tests/data/sentences/README.md, as two anchors: the first words of the sentence and its last words (with
   the final punctuation), one JSON object per line ``{"id": ..., "s": "...", "e": "..."}``.
3. ``resolve`` turns the anchors into offsets (whitespace runs in an anchor match any whitespace run; the start
   is the last match starting at or before the citation, the end the first match ending at or after it) and
   writes the gold, one citation a line, with the document's path, the citation's offsets and text, and the
   sentence's offsets and text.

Usage::

    python benchmarks/sentence_gold.py sample > contexts.txt
    python benchmarks/sentence_gold.py resolve anchors.jsonl > tests/data/sentences/gold.jsonl
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "corpus" / "real"
WEB = ROOT.parent / "shared" / "real" / "web"


def _citations(path: Path) -> tuple[str, list[tuple[int, int, str]]]:
    import citegraph

    x = citegraph.extract(path)
    return x.text, [(r.start, r.end, r.text) for r in x.references if r.kind in ("numbered", "named")]


def _documents(seed: int, counts: tuple[int, int], skip: set[str]) -> list[Path]:
    """``counts`` documents of corpus/real and of ../shared/real/web (not in corpus/real) with at least 6
    citations, drawn with ``random.Random(seed)``, none of ``skip`` (names)."""
    rng = random.Random(seed)
    chosen: list[Path] = []
    for folder, n, no in ((REAL, counts[0], skip), (WEB, counts[1], skip | {p.name for p in REAL.glob("*.txt")})):
        docs = [p for p in sorted(folder.glob("*.txt")) if p.name not in no]
        rng.shuffle(docs)
        picked = 0
        for p in docs:
            if picked == n:
                break
            if len(_citations(p)[1]) >= 6:
                chosen.append(p)
                picked += 1
    return chosen


def sample(held_out: bool = False) -> list[dict]:
    """The citations to annotate. The held-out set (``--held-out``) was drawn and annotated after the splitter's
    rules were written: 3 + 3 other documents, up to 7 citations each."""
    chosen = _documents(14, (12, 4), set())
    per_doc = 8
    if held_out:
        chosen, per_doc = _documents(15, (3, 3), {p.name for p in chosen}), 7
    out = []
    for p in chosen:
        text, cites = _citations(p)
        k = min(per_doc, len(cites))
        for i in sorted({round(j * (len(cites) - 1) / (k - 1)) for j in range(k)}):
            a, b, t = cites[i]
            out.append({"id": f"{p.stem}:{a}", "path": os.path.relpath(p, ROOT), "start": a, "end": b,
                        "text": t, "context": text[max(0, a - 700):a] + "«" + text[a:b] + "»" + text[b:b + 500]})
    return out


def _anchor(s: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(w) for w in s.split()))


def resolve(anchors: Path) -> list[dict]:
    import citegraph

    by_id = {c["id"]: c for c in sample() + sample(held_out=True)}
    out = []
    for line in anchors.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        a = json.loads(line)
        c = by_id[a["id"]]
        text = citegraph.read(ROOT / c["path"]).text
        starts = [m.start() for m in _anchor(a["s"]).finditer(text) if m.start() <= c["start"]]
        ends = [m.end() for m in _anchor(a["e"]).finditer(text) if m.end() >= c["end"]]
        if not starts or not ends:
            sys.exit(f"{a['id']}: anchor not found ({'start' if not starts else 'end'})")
        s, e = starts[-1], ends[0]
        row = {"id": c["id"], "path": c["path"], "start": c["start"], "end": c["end"], "text": c["text"],
               "sentence_start": s, "sentence_end": e, "sentence": text[s:e]}
        if "note" in a:
            row["note"] = a["note"]
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sm = sub.add_parser("sample")
    sm.add_argument("--held-out", action="store_true")
    r = sub.add_parser("resolve")
    r.add_argument("anchors", type=Path)
    args = ap.parse_args()
    if args.cmd == "sample":
        for c in sample(args.held_out):
            print(f"### {c['id']}  {c['path']}  «{c['text']}»".replace("\n", "⏎"))
            print(c["context"].replace("\n", "⏎"))
            print()
    else:
        for row in resolve(args.anchors):
            print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
