"""Fuzz the finder, the header parser and extraction with mutated corpus texts.

Each input is a window of a seed text (or a generated one) put through one to six random mutations:
insertions of symbols, separators and line breaks, NFD, U+00D0 for Đ, combining marks, binary junk,
deletions, duplications, truncations, case flips, re-wrapping, legacy-encoding garbage. Every input goes
through the finder (numbered, named, back-references, short forms, definitions), the header parser and
the whole extraction; offsets are checked (``text[start:end] == ref.text``).

A *crash* is an exception or an input that takes longer than ``--timeout`` seconds; a *violation* is an
offset outside the text or a mismatch. Failing inputs are saved (``--save DIR``) to replay them. The exit
status is 1 when anything failed.

Usage::

    python benchmarks/fuzz.py --runs 100000            # make fuzz
    python benchmarks/fuzz.py --runs 2000 --seed 7 --jobs 1
    python benchmarks/fuzz.py --replay benchmarks/_work/fuzz-failures/crash-000-seed42.txt
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import signal
import sys
import textwrap
import time
import traceback
import unicodedata
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citegraph.extraction import find  # noqa: E402
from citegraph.io import legacy
from citegraph.extraction.pipeline import extract  # noqa: E402
from citegraph.extraction.header import parse_header  # noqa: E402
from citegraph.text.normalize import View  # noqa: E402
from citegraph.io.read import Document  # noqa: E402

TOKENS = ["/", "-", " - ", "–", "—", "/ ", " /", "\n", "\n\n", "\r\n", "\t", "  ", "số", "Số:", "ngày", "năm",
          "tháng", "của", "và", "các", "Ð", "Đ", "đ", "ð", "QĐ", "TW", "TU", "UBND", "CP", "TTg", "QH15", "NQ", "CT",
          "KH", "KL", "0", "00", "2024", "12/12/2013", "08 tháng 4 năm 2024", "Chỉ thị", "Nghị quyết", "Quyết định",
          "Kế hoạch", "Thông tư", "Luật", "Hiến pháp", "Điều 5", "khoản 3", "điểm a", "khóa XII", "lần thứ XIII",
          "Kế hoạch này", "nêu trên", "(sau đây viết tắt là", ")", "(", "“", "”", '"', "'", ",", ";", ".", ":",
          "\u0301", "\u0300", "\u0323", "\u0309", "\u0303", "\u0302", "\u031b", "\u00a0", "\u200b", "\ufeff",
          "\u2010", "\u2212", "\u2044", "\x00", "\x0c", "\ufffd", "𝟙", "Ⅻ", "١٢", "\u202e", "Mẫu số 02-ĐTD/SHTT/2020",
          "1.012509", "KT. CHỦ TỊCH", "Nơi nhận:", "Số: 294/KH-VP", "\n\f"]


def _window(rng: random.Random, texts: list[str]) -> str:
    t = rng.choice(texts)
    if len(t) < 200 or rng.random() < 0.05:
        return t
    size = rng.choice([50, 200, 800, 2000, 5000])
    start = rng.randrange(0, max(1, len(t) - size))
    return t[start:start + size]


def _insert(rng: random.Random, s: str, piece: str) -> str:
    i = rng.randint(0, len(s))
    return s[:i] + piece + s[i:]


def _mutations() -> list[Callable[[random.Random, str], str]]:
    def tokens(rng: random.Random, s: str) -> str:
        for _ in range(rng.randint(1, 12)):
            s = _insert(rng, s, rng.choice(TOKENS))
        return s

    def near_symbol(rng: random.Random, s: str) -> str:
        # mutate right next to a slash or hyphen, where symbols live
        idx = [i for i, c in enumerate(s) if c in "/-"]
        if not idx:
            return tokens(rng, s)
        for _ in range(rng.randint(1, 4)):
            i = rng.choice(idx)
            s = s[:i] + rng.choice(["\n", " ", " - ", "/", "-", "", "–", "\n\n", "Ð", "0"]) + s[i + rng.randint(0, 1):]
            idx = [j for j in idx if j < len(s)] or [0]
        return s

    def line_breaks(rng: random.Random, s: str) -> str:
        chars = list(s)
        for _ in range(rng.randint(1, 30)):
            if chars:
                i = rng.randrange(len(chars))
                if chars[i] == " " or rng.random() < 0.2:
                    chars[i] = rng.choice(["\n", "\r\n", " \n", "\n\n"])
        return "".join(chars)

    def rewrap(rng: random.Random, s: str) -> str:
        return textwrap.fill(" ".join(s.split()), width=rng.randint(5, 120), break_long_words=rng.random() < 0.3,
                             break_on_hyphens=rng.random() < 0.5)

    def nfd(rng: random.Random, s: str) -> str:
        return unicodedata.normalize(rng.choice(["NFD", "NFKD", "NFKC"]), s)

    def eth(rng: random.Random, s: str) -> str:
        return s.replace("Đ", rng.choice(["\u00d0", "\u0189", "D"])).replace("đ", rng.choice(["\u00f0", "d"]))

    def junk(rng: random.Random, s: str) -> str:
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
        piece = raw.decode(rng.choice(["latin-1", "cp1258", "utf-8"]), errors="replace")
        return _insert(rng, s, piece)

    def random_unicode(rng: random.Random, s: str) -> str:
        for _ in range(rng.randint(1, 20)):
            cp = rng.choice([rng.randint(0x20, 0x7E), rng.randint(0xA0, 0x24F), rng.randint(0x300, 0x36F),
                             rng.randint(0x1EA0, 0x1EF9), rng.randint(0x2000, 0x206F), rng.randint(0xE000, 0xF8FF),
                             rng.randint(0x10000, 0x10FFFF)])
            if 0xD800 <= cp <= 0xDFFF:
                continue
            s = _insert(rng, s, chr(cp))
        return s

    def delete(rng: random.Random, s: str) -> str:
        if not s:
            return s
        i = rng.randrange(len(s))
        return s[:i] + s[i + rng.randint(1, 50):]

    def duplicate(rng: random.Random, s: str) -> str:
        if not s:
            return s
        i = rng.randrange(len(s))
        piece = s[i:i + rng.randint(1, 300)]
        return _insert(rng, s, piece * rng.randint(1, 5))

    def truncate(rng: random.Random, s: str) -> str:
        return s[:rng.randint(0, len(s))] if rng.random() < 0.5 else s[rng.randint(0, len(s)):]

    def case(rng: random.Random, s: str) -> str:
        return rng.choice([s.upper(), s.lower(), s.swapcase(), s.title()])

    def legacy_garbage(rng: random.Random, s: str) -> str:
        return legacy.from_unicode(s, rng.choice(list(legacy.ENCODINGS)))

    def digits(rng: random.Random, s: str) -> str:
        for _ in range(rng.randint(1, 10)):
            s = _insert(rng, s, str(rng.choice([0, 1, 7, 99, 2024, 10**rng.randint(3, 30)])))
        return s

    def empty(rng: random.Random, s: str) -> str:
        return rng.choice(["", " ", "\n", "\n\n\n", "số", "/", "-", "Số:", "ngày", "\u0301"])

    return [tokens, near_symbol, line_breaks, rewrap, nfd, eth, junk, random_unicode, delete, duplicate, truncate,
            case, legacy_garbage, digits, empty]


MUTATIONS = _mutations()


def make_input(seed: int, texts: list[str]) -> str:
    rng = random.Random(seed)
    s = _window(rng, texts)
    for _ in range(rng.randint(1, 6)):
        s = rng.choice(MUTATIONS)(rng, s)
    return s[:20000]


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def check(text: str) -> str | None:
    """Run every stage on ``text``; return a description of the failure or None."""
    view = View(text)
    v = view.text
    if len(view.original) != len(text):
        return "violation: view.original differs from the text"
    mentions = (find.find_numbered(v) + find.find_named(v) + find.find_backrefs(v) + find.find_short_forms(v))
    for m in mentions:
        if not 0 <= m.start <= m.end <= len(v):
            return f"violation: mention {m.kind} [{m.start}:{m.end}] outside the view (len {len(v)})"
        a, b = view.span(m.start, m.end)
        if not 0 <= a <= b <= len(text):
            return f"violation: mention maps to [{a}:{b}] outside the text (len {len(text)})"
    for start, end, _alias in find.find_definitions(v):
        if not 0 <= start <= end <= len(v):
            return "violation: definition outside the view"
    parse_header(v, None, find.find_numbered(v))
    ex = extract(Document(text=text))
    for r in ex.references:
        if not 0 <= r.start <= r.end <= len(text):
            return f"violation: reference [{r.start}:{r.end}] outside the text (len {len(text)})"
        if text[r.start:r.end] != r.text:
            return f"violation: text[{r.start}:{r.end}] != ref.text {r.text!r}"
    for rel in ex.relations:
        if not (rel.source == "SELF" or 0 <= rel.source < len(ex.references)) or not 0 <= rel.target < len(ex.references):
            return f"violation: relation {rel.to_dict()} points outside the references"
    return None


_TEXTS: list[str] = []
_TIMEOUT = 10.0


def _init(texts: list[str], timeout: float) -> None:
    global _TEXTS, _TIMEOUT
    _TEXTS, _TIMEOUT = texts, timeout
    signal.signal(signal.SIGALRM, _alarm)


def _work(seeds: range) -> dict[str, Any]:
    failures: list[dict[str, Any]] = []
    slowest = (0.0, -1)
    for seed in seeds:
        text = make_input(seed, _TEXTS)
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, _TIMEOUT)
        try:
            problem = check(text)
        except Hang:
            problem = f"crash: timeout (> {_TIMEOUT:g} s)"
        except RecursionError:
            problem = "crash: RecursionError"
        except Exception as e:  # noqa: BLE001 - that is what we are looking for
            problem = f"crash: {type(e).__name__}: {e}\n{traceback.format_exc(limit=-4)}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        dt = time.perf_counter() - t0
        if dt > slowest[0]:
            slowest = (dt, seed)
        if problem:
            failures.append({"seed": seed, "problem": problem, "text": text})
    return {"n": len(seeds), "failures": failures, "slowest": slowest}


#: real documents beside the checkout (../shared/real), when they are there
SHARED_REAL = ROOT.parent / "shared" / "real"


def real_text_paths() -> list[Path]:
    """The real texts the fuzz starts from: the project's real gold, and ../shared/real/web when present."""
    paths = sorted((ROOT / "corpus" / "real").glob("*.txt"))
    if (SHARED_REAL / "web").is_dir():
        paths += sorted((SHARED_REAL / "web").glob("*.txt"))
    return paths


def real_binary_paths() -> list[Path]:
    """Real PDFs (and .docx, when any) to corrupt: the project's real gold, and ../shared/real/gazette."""
    paths = sorted(p for p in (ROOT / "corpus" / "real").iterdir() if p.suffix in (".pdf", ".docx"))
    if (SHARED_REAL / "gazette").is_dir():
        paths += sorted((SHARED_REAL / "gazette").glob("*.pdf"))
    return paths


def load_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in real_text_paths()]
    try:  # generated documents with known answers, when the synthesiser is there
        from citegraph import synth

        gen = getattr(synth, "generate", None) or getattr(synth, "synthesize", None)
        if gen is not None:
            for doc in gen(20, seed=1):  # type: ignore[misc]
                t = getattr(doc, "text", doc)
                if isinstance(t, str):
                    texts.append(t)
    except Exception:  # noqa: BLE001 - the synthesiser is optional here
        pass
    if not texts:
        texts = ["Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ;"]
    return texts


def _base_files(texts: list[str]) -> dict[str, bytes]:
    """Well-formed documents of each format, to corrupt."""
    import tempfile

    sys.path.insert(0, str(ROOT / "tests"))
    from fixtures_util import make_docx, make_pdf  # type: ignore[import-not-found]

    d = Path(tempfile.mkdtemp(prefix="fuzz-files-"))
    paras = [p for p in texts[0].split("\n\n") if p.strip()][:40]
    out = {
        ".docx": make_docx(d / "a.docx", paragraphs=paras, table=[["Số: 294/KH-VP", "Đồng Nai"]],
                           footnote_after=paras[1][-10:], footnote="Nghị quyết số 25-NQ/TW",
                           page_header="Kế hoạch 294/KH-VP").read_bytes(),
        ".pdf": make_pdf(d / "a.pdf", [[ln[:90] for ln in p.split("\n")] for p in paras[:6]],
                         running_header="Kế hoạch 294/KH-VP").read_bytes(),
        ".html": ("<html><head><script>x()</script></head><body>" + "".join(f"<p>{p}</p>" for p in paras)
                  + "</body></html>").encode("utf-8"),
        ".txt": "\n\n".join(paras).encode("utf-16"),
    }
    # real files as seeds too: the smallest few of each format (corruption cost grows with size)
    for p in sorted(real_binary_paths(), key=lambda p: p.stat().st_size)[:6]:
        out[f"{p.suffix}#{p.stem}"] = p.read_bytes()
    return out


def fuzz_files(n: int, seed: int, timeout: float, texts: list[str]) -> tuple[int, list[dict[str, Any]]]:
    """Read ``n`` corrupted .docx/.pdf/.html/.txt files: each must give a Document or a one-line ReadError."""
    import tempfile

    from citegraph.io.read import ReadError, read

    bases = _base_files(texts)
    work = Path(tempfile.mkdtemp(prefix="fuzz-read-"))
    failures: list[dict[str, Any]] = []
    signal.signal(signal.SIGALRM, _alarm)
    for k in range(n):
        rng = random.Random(seed * 1_000_003 + k)
        base = rng.choice(sorted(bases))
        suffix = base.split("#")[0]
        data = bytearray(bases[base])
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(4)
            if op == 0:
                for _ in range(rng.randint(1, 30)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            elif op == 1:
                del data[rng.randrange(len(data)):]
            elif op == 2:
                i = rng.randrange(len(data))
                data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
            else:
                i = rng.randrange(len(data))
                data[i:i + rng.randint(1, 2000)] = b"\x00" * rng.randint(0, 100)
            if not data:
                data = bytearray(b"x")
        path = work / f"f{k}{rng.choice([suffix, suffix, '.txt', ''])}"
        path.write_bytes(bytes(data))
        signal.setitimer(signal.ITIMER_REAL, timeout)
        problem = None
        try:
            read(path)
        except ReadError as e:
            msg = str(e)
            if "\n" in msg or not msg.startswith(str(path)):
                problem = f"violation: ReadError message not one line naming the file: {msg[:200]!r}"
        except Hang:
            problem = f"crash: timeout reading (> {timeout:g} s)"
        except Exception as e:  # noqa: BLE001
            problem = f"crash: {type(e).__name__}: {e}\n{traceback.format_exc(limit=-4)}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if problem:
            failures.append({"seed": k, "problem": problem, "file": str(path)})
        else:
            path.unlink()
    return n, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=100_000, help="number of inputs (default 100000)")
    ap.add_argument("--seed", type=int, default=0, help="first seed; input i uses seed + i")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds before an input counts as a hang")
    ap.add_argument("--save", default=str(ROOT / "benchmarks" / "_work" / "fuzz-failures"),
                    help="directory for failing inputs (default benchmarks/_work/fuzz-failures)")
    ap.add_argument("--replay", metavar="FILE", help="run one saved input and show the failure")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--files", type=int, default=0, metavar="N",
                    help="also read N corrupted .docx/.pdf/.html/.txt files through the readers")
    args = ap.parse_args(argv)

    if args.replay:
        text = Path(args.replay).read_text(encoding="utf-8")
        problem = check(text)
        print(problem or "ok")
        return 1 if problem else 0

    texts = load_texts()
    chunk = 500
    batches = [range(s, min(s + chunk, args.seed + args.runs)) for s in range(args.seed, args.seed + args.runs, chunk)]
    t0 = time.perf_counter()
    done = 0
    failures: list[dict[str, Any]] = []
    slowest = (0.0, -1)
    with mp.get_context("fork").Pool(args.jobs, initializer=_init, initargs=(texts, args.timeout)) as pool:
        for res in pool.imap_unordered(_work, batches):
            done += res["n"]
            failures += res["failures"]
            slowest = max(slowest, tuple(res["slowest"]))  # type: ignore[assignment]
            if sys.stderr.isatty() or done % 10000 < chunk:
                print(f"\r{done}/{args.runs} inputs, {len(failures)} failures, {time.perf_counter() - t0:.0f} s",
                      end="" if sys.stderr.isatty() else "\n", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0
    if sys.stderr.isatty():
        print(file=sys.stderr)
    text_failures = list(failures)
    crashes = [f for f in failures if f["problem"].startswith("crash")]
    violations = [f for f in failures if f["problem"].startswith("violation")]
    if text_failures:
        out = Path(args.save)
        out.mkdir(parents=True, exist_ok=True)
        for k, f in enumerate(sorted(text_failures, key=lambda f: f["seed"])[:200]):
            kind = "crash" if f["problem"].startswith("crash") else "violation"
            (out / f"{kind}-{k:03d}-seed{f['seed']}.txt").write_text(f["text"], encoding="utf-8")
            (out / f"{kind}-{k:03d}-seed{f['seed']}.problem").write_text(f["problem"], encoding="utf-8")
    file_failures: list[dict[str, Any]] = []
    files_done = 0
    if args.files:
        t1 = time.perf_counter()
        files_done, file_failures = fuzz_files(args.files, args.seed, args.timeout, texts)
        print(f"fuzz: {files_done} corrupted files read in {time.perf_counter() - t1:.0f} s: "
              f"{len(file_failures)} failures", file=sys.stderr)
        for f in file_failures[:10]:
            print(f"  file {f['file']}: {f['problem'].splitlines()[0]}")
        failures += file_failures
    summary = {"inputs": done, "files": files_done, "file_failures": len(file_failures), "seconds": round(elapsed, 1), "inputs_per_second": round(done / max(elapsed, 1e-9)),
               "crashes": len(crashes), "violations": len(violations), "jobs": args.jobs,
               "slowest_input_seconds": round(slowest[0], 3), "slowest_seed": slowest[1], "seed": args.seed}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"fuzz: {done} inputs in {elapsed:.0f} s ({summary['inputs_per_second']}/s, {args.jobs} jobs): "
              f"{len(crashes)} crashes, {len(violations)} offset violations; slowest input "
              f"{slowest[0] * 1000:.0f} ms (seed {slowest[1]})")
        for f in sorted(failures, key=lambda f: f["seed"])[:10]:
            print(f"  seed {f['seed']}: {f['problem'].splitlines()[0]}")
        if failures:
            print(f"  failing inputs saved in {args.save}/ (replay: benchmarks/fuzz.py --replay FILE)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
