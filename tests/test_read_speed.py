"""Reading plain UTF-8 costs little more than decoding it: the fast paths of legacy detection and of the
binary check against their simple definitions (the line-by-line and character-by-character code they
replaced), and the cost of reading against the cost of decoding."""
from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from citegraph.io import legacy, readers
from citegraph.io.read import read
from fixtures_util import corpus_texts

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT.parent / "shared" / "real" / "web"


# ---------------------------------------------------------------- the simple definitions


def _pua_simple(text: str) -> str:
    if not any("\uf020" <= c <= "\uf0ff" for c in text):
        return text
    return "".join(chr(ord(c) - 0xF000) if "\uf020" <= c <= "\uf0ff" else c for c in text)


def _verdict_simple(text: str, min_words: int) -> str | None:
    if legacy._UNICODE_VIET.search(text):
        return None
    tokens = Counter(t for t in legacy._TOKEN_SPLIT.split(text) if t and not t.isascii())
    if sum(tokens.values()) < min_words:
        return None
    best: tuple = (0.0, float("-inf"), None)
    for enc in legacy.ENCODINGS:
        a = b = n = 0
        for tok, count in tokens.items():
            conv = legacy.to_unicode(tok, enc)
            if conv == tok:
                continue
            n += count
            a += count * legacy._score(tok)[0]
            b += count * legacy._score(conv)[0]
        if n and b >= min_words and b >= 0.6 * n and b - a >= max(1.0, n / 4) and (b - a, -a) > best[:2]:
            best = (b - a, -a, enc)
    return best[2]


def _detect_simple(text: str) -> str | None:
    sample = _pua_simple(text[:legacy._DETECT_SAMPLE])
    lines = [ln for ln in sample.splitlines() if not legacy._UNICODE_VIET.search(ln)]
    return _verdict_simple("\n".join(lines), min_words=3)


def _fix_simple(text: str, name: str = "<text>") -> tuple:
    enc = _detect_simple(text)
    lines = text.splitlines(keepends=True)
    converted, out, used = 0, [], set()
    for line in lines:
        if legacy._UNICODE_VIET.search(line) or line.isascii():
            out.append(line)
            continue
        line_enc = enc if enc is not None else _verdict_simple(_pua_simple(line), min_words=3)
        if line_enc is None:
            out.append(line)
            continue
        new = legacy.to_unicode(line, line_enc)
        if enc is not None:
            good0, total = legacy._score(line)
            if total and legacy._score(new)[0] < good0:
                out.append(line)
                continue
        if new != line:
            converted += 1
            used.add(line_enc)
        out.append(new)
    if not converted:
        return text, None, []
    final = enc if enc is not None else sorted(used)[0]
    names = " and ".join(legacy.tables()[e].name for e in sorted(used))
    warnings = [f"{name}: text typed in the legacy {names} font encoding was converted to Unicode"
                f" ({converted} of {len(lines)} lines)"]
    if "vni" in used:
        warnings.append(f"{name}: offsets refer to the text after conversion from VNI, not to the original characters")
    return "".join(out), final, warnings


def _controls_simple(sample: str) -> int:
    return sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v\x1a")


# ---------------------------------------------------------------- fast paths = simple definitions


def _texts() -> list[str]:
    seeds = corpus_texts()
    real = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "real").glob("*.txt"))]
    rng = random.Random(5)
    out = seeds + real
    for t in seeds:
        for enc in legacy.ENCODINGS:
            out.append(legacy.from_unicode(t, enc))  # whole documents in a legacy font
            lines = t.splitlines(keepends=True)  # a few paragraphs pasted in from an old file
            for i in rng.sample(range(len(lines)), min(4, len(lines))):
                lines[i] = legacy.from_unicode(lines[i], enc)
            out.append("".join(lines))
    # line breaks of every kind, symbol-font codes, Latin-1-only words
    out.append("Café au lait\u2028QuyÕt ®Þnh sè 5\x85Căn cứ\r\nTrà Vinh\u2029\uf041\uf0e0 déjà vu\x1cabc\x0b"
               + legacy.from_unicode("Thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành", "vni"))
    long = "Căn cứ Luật Tổ chức chính quyền địa phương;\n" * 9000  # over the detection sample, a line across its end
    out.append(long + "Trà Vinh Café déjà " + legacy.from_unicode("Quyết định của tỉnh", "tcvn3") + "\nxong")
    return out


def test_legacy_fix_and_detect_give_what_the_line_by_line_reading_gives() -> None:
    texts = _texts()
    if WEB.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(WEB.glob("*.txt"))]
    converted = 0
    for text in texts:
        assert legacy.detect(text) == _detect_simple(text)
        got = legacy.fix(text, "x.txt")
        assert got == _fix_simple(text, "x.txt")
        converted += got[1] is not None
    assert converted >= 12  # the legacy variants are converted (the comparison is not only of no-ops)


def test_symbol_font_codes_fold_back_as_before() -> None:
    rng = random.Random(3)
    for _ in range(300):
        s = "".join(rng.choice("ab\uf020\uf041\uf0ff\uf100\uf01f\u00e0 ") for _ in range(rng.randint(0, 30)))
        assert legacy._pua_to_latin1(s) == _pua_simple(s)


def test_binary_check_counts_controls_as_before() -> None:
    rng = random.Random(11)
    pieces = [b"a", b" ", b"\n", b"\r\n", b"\t", b"\x0c", b"\x1a", b"\x01", b"\x1b", b"\x7f", b"\xc2\x85", b"\xc2\xa0",
              "ố".encode(), b"\xff", b"\xc2", b"\x00"]
    for _ in range(2000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 60)))
        text = data.decode("utf-8", errors="replace")
        fast = readers._binary_reason(data, text, utf8=True)
        simple_controls = _controls_simple(text[:65536])
        if "\x00" in text[:65536]:
            assert fast == "binary data (NUL bytes)"
        else:
            too_many = (simple_controls + text[:65536].count("\ufffd")) > max(8, len(text[:65536]) // 20)
            assert (fast == "binary data (control characters)") == too_many, data
        assert readers._utf8_has_controls(data) == (_controls_simple(text) > 0), data


def _candidates_simple(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        if not line.isascii() and not legacy._UNICODE_VIET.search(line):
            out.append((pos, pos + len(line)))
        pos += len(line)
    return out


_BREAKS = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_candidate_lines_are_the_lines_splitlines_gives() -> None:
    """One regex scan finds the lines the line-by-line reading finds: every kind of line break (a break beyond
    ASCII makes its line not ASCII), CRLF texts on the fast path, lone CR and form feeds on the other one."""
    rng = random.Random(7)
    pieces = ["a", "Bc ", "é", "ă", "Õ", "Ệ", "\x01", "\x1f", "\x7f", "\x80", "\t", "\ufffd", "\uf041", "đ", "ỹ"]
    texts = _texts()
    for t in list(texts[:40]):
        texts += [t.replace("\n", "\r\n"), t.replace("\n", "\r"), t.replace("\n", "\u2028"), t.replace("\n\n", "\n\x0c")]
    for i in range(20000):
        alphabet = pieces + (["\n", "\r\n"] if i % 2 else _BREAKS)
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))))
    paths = {True: 0, False: 0}
    for text in texts:
        assert legacy._candidate_lines(text) == _candidates_simple(text), repr(text[:200])
        paths[legacy._lf_only(text)] += 1
    assert min(paths.values()) > 1000  # both scans are tried


def test_three_words_beyond_ascii_in_one_match() -> None:
    rng = random.Random(9)
    alphabet = ["a", "B", " ", "é", "ă", "\n", "\x85", "\xa0", "1", ",", "/", "-", "_", "ệ", "\x00", "\u200b", "\t",
                "@", "`", "{", "~", "[", "|", "Ω", "\u2028"]
    for _ in range(20000):
        t = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        a = rng.randint(0, len(t))
        b = rng.randint(a, len(t))
        got = legacy._THREE_WORDS_BEYOND_ASCII.match(t, a, b) is not None
        assert got == legacy._words_beyond_ascii(t[a:b], 3), (t, a, b)


def _repair_caps_simple(legacy_text: str, out: str) -> str:
    """legacy._repair_caps as it was: every word looked at."""
    import re

    if len(legacy_text) != len(out):
        return out
    decode = legacy.tables()["tcvn3"].decode
    words = list(re.finditer(r"\S+", legacy_text))

    def caps(word: str):
        if any(c in "0123456789/-" for c in word):
            return False
        letters = [c for c in word if c.isascii() and c.isalpha()]
        if not letters or not all(c.isupper() for c in letters):
            return False
        return True if len(letters) >= 2 else None

    state = [caps(m.group(0)) for m in words]
    evidence = [st is True and any(c in decode for c in m.group(0)) for st, m in zip(state, words)]
    chars = list(out)
    for k, m in enumerate(words):
        if not any(c in decode for c in m.group(0)):
            continue
        upper = state[k]
        if upper is None:
            upper = (k > 0 and evidence[k - 1]) or (k + 1 < len(words) and evidence[k + 1])
        if upper:
            for i in range(m.start(), m.end()):
                chars[i] = chars[i].upper()
    return "".join(chars)


def _to_unicode_simple(text: str, enc: str) -> str:
    table = legacy.tables()[enc]
    text = _pua_simple(text)
    out = table.pattern.sub(lambda m: table.decode[m.group(0)], text)
    return _repair_caps_simple(text, out) if enc == "tcvn3" else out


def test_conversion_without_a_code_is_the_text_itself() -> None:
    """to_unicode returns a text with no code of the encoding (no symbol-font code) as it is, and leaves
    upper-casing alone in a text without an ASCII capital: what converting every piece of it gives."""
    rng = random.Random(13)
    for enc in legacy.ENCODINGS:
        codes = sorted(legacy.tables()[enc].decode)
        alphabet = codes + ["a", "Ho", "KH", "Z", "x", " ", "-", "1", "\uf041", "\uf0e0", "ệ", "Đ", "\n"]
        texts = [legacy.from_unicode(t, enc) for t in corpus_texts()[:5]] + corpus_texts()[:5]
        texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(5000)]
        for t in texts:
            assert legacy.to_unicode(t, enc) == _to_unicode_simple(t, enc), (enc, t[:100])


def test_binary_check_of_long_utf8_looks_at_its_sample_only() -> None:
    """The control characters of UTF-8 text are looked for in the bytes of its 64K-character sample (and a little
    past it): controls past the sample do not count, as before; before the sample's end they do."""
    body = "Căn cứ Luật Tổ chức chính quyền địa phương; " * 8000  # 352K characters, 2 or 3 bytes each beyond ASCII
    for cut in (10, 65530, 65536, 65600, 170_000, 300_000):  # the last past the bytes looked at
        for bad in ("\x00", "\x01" * 9, "\x85" * 9, "\x01" * 5000, "\ufffd" * 5000, "\x01" * 9 + "\ufffd" * 9):
            text = body[:cut] + bad + body[cut:]
            for bom in (b"", b"\xef\xbb\xbf"):
                data = bom + text.encode("utf-8")
                fast = readers._binary_reason(data, text, utf8=True)
                sample = text[:65536]
                if "\x00" in sample:
                    want = "binary data (NUL bytes)"
                elif _controls_simple(sample) + sample.count("\ufffd") > max(8, len(sample) // 20):
                    want = "binary data (control characters)"
                else:
                    want = None
                assert fast == want, (cut, bad[:3], bom)


# ---------------------------------------------------------------- the cost


def test_reading_clean_utf8_costs_little_more_than_decoding_it(tmp_path: Path) -> None:
    """A few MB of real Vietnamese text: reading it (decode, binary check, legacy detection) within 10x the
    decode itself (measured: 4-6x on ../shared/real/web; it was 27x with per-character loops)."""
    text = "\n\n".join(corpus_texts() + [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "real").glob("*.txt"))])
    data = (text * max(1, 3_000_000 // len(text.encode()))).encode("utf-8")
    p = tmp_path / "big.txt"
    p.write_bytes(data)
    read(p)  # the word list and the patterns, once

    def best(fn) -> float:
        times = []
        for _ in range(3):
            t = time.process_time()
            fn()
            times.append(time.process_time() - t)
        return min(times)

    decode = best(lambda: p.read_bytes().decode("utf-8"))
    reading = best(lambda: read(p))
    assert read(p).text == data.decode("utf-8")
    assert reading <= 10 * decode + 0.05, (reading, decode)
