"""Hostile input: binary, empty, special and unreadable files, symlink loops, a big directory with a few bad
files, and output that is never left half written.

The tests run as root, for whom ``chmod 000`` does not stop reading; the permission paths are tested by
making the system calls fail (monkeypatching ``os.access``, ``os.listdir`` and ``open``) and with files that
are not regular files (a FIFO, a socket, a device), which are refused before anything is opened.
"""
from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citegraph.io import files
from citegraph.io import readers
from citegraph.io.atomic import atomic_open, atomic_write
from citegraph.io.files import iter_inputs
from citegraph.io.read import ReadError, read
from fixtures_util import corpus_texts, make_docx, make_pdf

ROOT = Path(__file__).resolve().parent.parent
CLI = ROOT / ".venv" / "bin" / "citegraph"
SEEDS = corpus_texts()


def one_line_error(exc: BaseException, path: Path) -> str:
    msg = str(exc)
    assert "\n" not in msg and msg.startswith(str(path)), msg
    return msg


# ---------------------------------------------------------------- single bad files


@pytest.mark.parametrize("data, reason", [
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "a PNG image"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "an ELF executable"),
    (b"\x1f\x8b\x08\x00" + os.urandom(300), "a gzip archive"),
    (random.Random(1).randbytes(5000), "binary data"),
    (b"Chi thi so 33/CT-TTg\x00\x00\x01\x02" * 50, "binary data"),
])
def test_binary_files_are_refused(tmp_path: Path, data: bytes, reason: str) -> None:
    p = tmp_path / "doc.txt"
    p.write_bytes(data)
    with pytest.raises(ReadError) as e:
        read(p)
    assert reason in one_line_error(e.value, p)


@pytest.mark.parametrize("name, data", [("a.txt", b""), ("b.txt", b" \n\t\r\n"), ("c.md", b"\xef\xbb\xbf\n"),
                                        ("d.html", b""), ("e.docx", b""), ("f.pdf", b"")])
def test_empty_files(tmp_path: Path, name: str, data: bytes) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReadError) as e:
        read(p)
    assert one_line_error(e.value, p).endswith(("empty file", "no text in the HTML page"))


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match=r"not a regular file \(a named pipe \(FIFO\)\)"):
        read(fifo)


def test_socket_and_device_are_refused(tmp_path: Path) -> None:
    sock_path = tmp_path / "s.txt"
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(sock_path))
        with pytest.raises(ReadError, match=r"not a regular file \(a socket\)"):
            read(sock_path)
    finally:
        s.close()
    with pytest.raises(ReadError, match=r"/dev/zero: not a regular file \(a device\)"):
        read(Path("/dev/zero"))


def test_permission_denied_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("Chỉ thị số 33/CT-TTg", encoding="utf-8")
    real_open = open

    def deny(file, *a, **k):  # type: ignore[no-untyped-def]
        if str(file) == str(p):
            raise PermissionError(13, "Permission denied", str(p))
        return real_open(file, *a, **k)

    monkeypatch.setattr("builtins.open", deny)
    with pytest.raises(ReadError, match=r"secret\.txt: permission denied$"):
        readers.load(p)


def test_symlink_loop_file_and_broken_link(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(ReadError) as e:
        read(loop)
    assert "cannot read" in one_line_error(e.value, loop) or "symbolic" in str(e.value)
    broken = tmp_path / "broken.txt"
    broken.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(ReadError, match="broken symbolic link"):
        read(broken)


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".html"])
def test_garbage_with_a_document_suffix(tmp_path: Path, suffix: str) -> None:
    p = tmp_path / f"x{suffix}"
    p.write_bytes(b"PK\x03\x04" + os.urandom(2000) if suffix == ".docx" else
                  b"%PDF-1.7\n" + os.urandom(2000) if suffix == ".pdf" else os.urandom(3000))
    with pytest.raises(ReadError) as e:
        read(p)
    one_line_error(e.value, p)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".txt", ".md", ".docx", ".pdf", ".html", ".bin"]),
       prefix=st.sampled_from([b"", b"PK\x03\x04", b"%PDF-1.4\n", b"<html><body>", b"\xff\xfe", b"\xef\xbb\xbf"]))
def test_any_bytes_read_or_a_read_error(tmp_path: Path, data: bytes, suffix: str, prefix: bytes) -> None:
    p = tmp_path / f"fuzz{suffix}"
    p.write_bytes(prefix + data)
    try:
        doc = read(p)
    except ReadError as e:
        one_line_error(e, p)
    else:
        assert isinstance(doc.text, str) and doc.text.strip()


# ---------------------------------------------------------------- directories


def test_directory_listing_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text("x")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text("x")
    real = os.listdir

    def listdir(path):  # type: ignore[no-untyped-def]
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(files.os, "listdir", listdir)
    out = list(iter_inputs([tmp_path]))
    assert out[0] == tmp_path / "locked" / "b.txt" or isinstance(out[0], ReadError)
    errors = [str(x) for x in out if isinstance(x, ReadError)]
    assert errors == [f"{tmp_path / 'locked'}: permission denied (directory not listed)"]
    assert [x for x in out if isinstance(x, Path)] == [tmp_path / "ok" / "a.txt"]


def test_unreadable_file_in_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in "abc":
        (tmp_path / f"{n}.txt").write_text("x")
    real = os.access
    monkeypatch.setattr(files.os, "access", lambda p, mode: Path(p).name != "b.txt" and real(p, mode))
    out = list(iter_inputs([tmp_path]))
    assert out[0] == tmp_path / "a.txt" and out[2] == tmp_path / "c.txt"
    assert isinstance(out[1], ReadError) and str(out[1]) == f"{tmp_path / 'b.txt'}: permission denied"


def test_symlink_loops_and_duplicates_in_directories(tmp_path: Path) -> None:
    d = tmp_path / "d"
    (d / "sub" / "deeper").mkdir(parents=True)
    (d / "sub" / "deeper" / "x.txt").write_text("x")
    (d / "sub" / "deeper" / "up").symlink_to(d)  # loop back to the top
    (d / "sub" / "self").symlink_to(d / "sub")  # loop to itself
    (d / "again").symlink_to(d / "sub")  # a second way into the same directory
    (d / "link.txt").symlink_to(d / "sub" / "deeper" / "x.txt")  # a second name for the same file
    (d / "self.txt").symlink_to(d / "self.txt")  # a link to itself
    out = list(iter_inputs([d, d]))
    paths = [x for x in out if isinstance(x, Path)]
    assert len(paths) == 1 and paths[0].name in ("x.txt", "link.txt")
    errors = [str(x) for x in out if isinstance(x, ReadError)]
    assert len(errors) == 1 and errors[0].startswith(str(d / "self.txt"))


def test_deterministic_order(tmp_path: Path) -> None:
    names = [f"{random.Random(i).randrange(10**6):06d}.txt" for i in range(50)]
    for n in names:
        (tmp_path / n).write_text("x")
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "a.txt").write_text("x")
    out = [p.relative_to(tmp_path).as_posix() for p in iter_inputs([tmp_path])]  # type: ignore[union-attr]
    assert out == sorted(set(names)) + ["z/a.txt"]


def _bad_directory(tmp_path: Path, n_good: int = 300) -> tuple[Path, list[Path], list[Path]]:
    d = tmp_path / "inbox"
    good: list[Path] = []
    lines = [ln for ln in "\n\n".join(SEEDS).split("\n\n") if "/" in ln]
    for i in range(n_good):
        sub = d / f"{i % 7:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        p = sub / f"doc{i:04d}.txt"
        p.write_text(f"Số: {i + 1}/KH-UBND\n\n" + lines[i % len(lines)], encoding="utf-8")
        good.append(p)
    good.append(make_docx(d / "05" / "plan.docx", paragraphs=["Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021"]))
    good.append(make_pdf(d / "06" / "plan.pdf", [["Thực hiện Kết luận số 114-KL/TW ngày 20/7/2015"]]))
    bad: list[Path] = []
    for name, data in [("empty.txt", b""), ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
                       ("junk.pdf", b"%PDF-1.4 junk"), ("fake.docx", b"not a zip at all")]:
        (d / "03" / name).write_bytes(data)
        bad.append(d / "03" / name)
    os.mkfifo(d / "04" / "pipe.txt")
    bad.append(d / "04" / "pipe.txt")
    (d / "02" / "dangling.txt").symlink_to(d / "nowhere.txt")
    bad.append(d / "02" / "dangling.txt")
    (d / "01" / "loop").symlink_to(d)
    (d / ".git").mkdir()
    (d / ".git" / "hidden.txt").write_bytes(b"\x00\x01")  # hidden: never read
    return d, good, bad


def test_directory_with_a_few_bad_files_in_process(tmp_path: Path) -> None:
    d, good, bad = _bad_directory(tmp_path)
    ok, errors = [], []
    for item in iter_inputs([d]):
        if isinstance(item, ReadError):
            errors.append(str(item))
            continue
        try:
            ok.append((item, read(item)))
        except ReadError as e:
            errors.append(str(e))
    assert sorted(p for p, _ in ok) == sorted(good)
    assert len(errors) == len(bad)
    for b in bad:
        assert sum(e.startswith(f"{b}:") for e in errors) == 1, b
    assert all("\n" not in e for e in errors)


def test_cli_extract_directory_reports_each_bad_file(tmp_path: Path) -> None:
    if not CLI.exists():
        pytest.skip("console script not installed")
    d, good, bad = _bad_directory(tmp_path, n_good=120)
    (d / "00" / "missing-later.txt")  # nothing: names given on the command line that do not exist:
    missing = tmp_path / "nope.txt"
    proc = subprocess.run([str(CLI), "extract", str(d), str(missing)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    err_lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in err_lines if ln.startswith("citegraph: error: ")]
    assert errors == err_lines, "stderr holds only one-line errors"
    assert "Traceback" not in proc.stderr
    for b in [*bad, missing]:
        assert sum(f"citegraph: error: {b}:" in ln for ln in errors) == 1, b
    assert len(errors) == len(bad) + 1
    records = [json.loads(ln) for ln in proc.stdout.splitlines()]
    assert sorted(r["source"] for r in records) == sorted(str(p) for p in good)
    by_source = {r["source"]: r for r in records}
    assert any(ref["symbol"] == "33/CT-TTg" for ref in by_source[str(d / "05" / "plan.docx")]["references"])
    assert any(ref["symbol"] == "114-KL/TW" for ref in by_source[str(d / "06" / "plan.pdf")]["references"])


# ---------------------------------------------------------------- atomic output


class Boom(Exception):
    pass


def test_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    atomic_write(target, "old whole content\n")
    with pytest.raises(Boom):
        with atomic_open(target) as f:
            f.write("@prefix x: <y> .\n" * 1000)
            raise Boom("disk full halfway")
    assert target.read_text() == "old whole content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]  # no temp file left behind


def test_interrupted_first_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.jsonld"
    with pytest.raises(KeyboardInterrupt):
        with atomic_open(target, "wb") as f:
            f.write(b"{" * 10000)
            raise KeyboardInterrupt
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_killed_writer_never_leaves_a_half_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    atomic_write(target, "previous report\n")
    code = f"""
import sys, time
from citegraph.io.atomic import atomic_open
with atomic_open({str(target)!r}) as f:
    for i in range(10000):
        f.write("line %d\\n" % i)
        f.flush()
        if i == 100:
            print("writing", flush=True)
            time.sleep(30)
"""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert target.read_text() == "previous report\n"
    # the partial data sits only in a hidden temp file beside it, never under the target's name
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "report.md"]
    assert all(n.startswith(".report.md.") and n.endswith(".tmp") for n in leftovers)


def test_cli_build_directory_with_bad_files_still_writes(tmp_path: Path) -> None:
    if not CLI.exists():
        pytest.skip("console script not installed")
    d = tmp_path / "in"
    d.mkdir()
    for k, text in enumerate(SEEDS):
        (d / f"seed{k}.txt").write_text(text, encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    out = tmp_path / "out"
    proc = subprocess.run([str(CLI), "build", str(d), "--out", str(out)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 2
    errors = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(errors) == 2 and all("empty.txt" in e or "image.txt" in e for e in errors)
    assert (out / "graph.ttl").exists() and (out / "report.md").exists()


def test_library_chatter_is_silenced_while_reading(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                   recwarn: pytest.WarningsRecorder) -> None:
    """PDF libraries log errors and warn on corrupt files; a user sees one ReadError line per bad file, never the
    library's messages."""
    import logging
    import warnings

    def noisy() -> tuple[str, None, str, list[str]]:
        logging.getLogger("pypdfium2._helpers.document").error("Advanced encoding /WinAnsiEncodi not implemented yet")
        warnings.warn("PdfiumWarning: startxref on same line as offset")
        raise ValueError("broken xref table")

    caplog.set_level(logging.DEBUG)
    with pytest.raises(ReadError, match=r"x\.pdf: not readable as a PDF \(broken xref table\)"):
        readers._guard("x.pdf", "a PDF", noisy)
    assert [r.getMessage() for r in caplog.records] == []
    assert [str(w.message) for w in recwarn] == []
    assert logging.getLogger("pypdfium2").level == logging.NOTSET  # restored afterwards


def test_encrypted_pdf(tmp_path: Path) -> None:
    import pypdf

    src = make_pdf(tmp_path / "plain.pdf", [["Thực hiện Kết luận số 114-KL/TW ngày 20/7/2015"]])
    for name, user_pw in [("locked.pdf", "secret"), ("open.pdf", "")]:
        w = pypdf.PdfWriter(clone_from=str(src))
        w.encrypt(user_password=user_pw, owner_password="owner")
        with open(tmp_path / name, "wb") as f:
            w.write(f)
    with pytest.raises(ReadError, match=r"locked\.pdf: encrypted PDF \(needs a password\)$"):
        read(tmp_path / "locked.pdf")
    assert "114-KL/TW" in read(tmp_path / "open.pdf").text  # an empty user password opens it


def test_docx_that_expands_too_much_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = make_docx(tmp_path / "bomb.docx", paragraphs=["Chỉ thị số 33/CT-TTg " * 20000])
    monkeypatch.setattr(readers, "DOCX_READ_BUDGET", 400_000)
    with pytest.raises(ReadError, match=r"bomb\.docx: word/document\.xml expands to .* MB; refused"):
        read(p)


def _docx_with_part(tmp_path: Path, part: str, data: bytes) -> Path:
    """A real .docx with one more part (or one part replaced), deflated."""
    import zipfile

    src = make_docx(tmp_path / "src.docx", paragraphs=["Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021"])
    out = tmp_path / "bomb.docx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as b:
        for item in a.infolist():
            if item.filename != part:
                b.writestr(item, a.read(item.filename))
        b.writestr(part, data)
    return out


def _fake_size(path: Path, part: str, size: int) -> None:
    """Make the zip headers of ``part`` declare ``size`` bytes inflated (local header and central directory)."""
    import struct
    import zipfile

    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, size)  # local file header: uncompressed size
    name = part.encode()
    at = 0
    while True:  # the central directory entry of this part
        at = data.index(b"PK\x01\x02", at)
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + n]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at += 4
    path.write_bytes(bytes(data))


def test_docx_bomb_in_a_part_no_text_is_read_from_is_refused(tmp_path: Path) -> None:
    """Issue 15 #4: only word/* parts were checked; docProps/core.xml inflating 1,000 times went through."""
    core = b'<?xml version="1.0"?><cp:coreProperties xmlns:cp="x">' + b" " * (40 * 2**20) + b"</cp:coreProperties>"
    p = _docx_with_part(tmp_path, "docProps/core.xml", core)
    assert p.stat().st_size < 200_000
    with pytest.raises(ReadError, match=r"bomb\.docx: its parts expand \d+ times .*; refused"):
        read(p)


def test_docx_over_the_total_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _docx_with_part(tmp_path, "word/media/image1.png", os.urandom(300_000))  # images count too
    monkeypatch.setattr(readers, "DOCX_MAX_INFLATED", 200_000)
    with pytest.raises(ReadError, match=r"bomb\.docx: its parts expand to \d+\.\d MB; refused"):
        read(p)


def test_docx_with_faked_header_sizes_is_read_within_the_budget(tmp_path: Path) -> None:
    """Headers that declare a few bytes for a part that inflates to 60 MB: never more than declared is
    inflated (the check of sizes cannot be dodged), and the file is refused as corrupt."""
    import tracemalloc

    body = ('<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body>" + "<w:p><w:r><w:t>Chỉ thị số 33/CT-TTg</w:t></w:r></w:p>" * 1_200_000 + "</w:body></w:document>")
    p = _docx_with_part(tmp_path, "word/document.xml", body.encode())
    _fake_size(p, "word/document.xml", 4096)
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as e:
            read(p)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert one_line_error(e.value, p)
    assert peak < 8 * 2**20, peak


# ---------------------------------------------------------------- issue 15: defects of the readers


def test_html_with_pre_and_textarea_is_read(tmp_path: Path) -> None:
    """#1: a page holding <pre> or <textarea> was refused ("too many values to unpack")."""
    p = tmp_path / "pre.html"
    p.write_text("<html><body><p>Căn cứ Chỉ thị   số 33/CT-TTg</p><pre>Quyết định   số 12/QĐ-UBND\n  dòng hai</pre>"
                 "<textarea>Kế hoạch số 5/KH-UBND</textarea></body></html>", encoding="utf-8")
    t = read(p).text
    assert t == "Căn cứ Chỉ thị số 33/CT-TTg\n\nQuyết định   số 12/QĐ-UBND\n  dòng hai\n\nKế hoạch số 5/KH-UBND"


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3", b"\xe1\xbb", b"\x80\x80"])
def test_one_invalid_byte_in_a_utf8_file_keeps_it_utf8(tmp_path: Path, bad: bytes) -> None:
    """#6: one invalid byte sent the whole file to Windows-1258 (references 22 -> 9, header lost)."""
    from citegraph.extraction.pipeline import extract

    text = SEEDS[0]
    raw = text.encode("utf-8")
    cut = raw.index(b"\n", len(raw) // 2) + 1  # at a line start, between two characters
    p = tmp_path / "one-bad-byte.txt"
    p.write_bytes(raw[:cut] + bad + raw[cut:])
    doc = read(p)
    assert doc.encoding == "utf-8"
    assert doc.text == text[:len(raw[:cut].decode())] + "\ufffd" * doc.text.count("\ufffd") + text[len(raw[:cut].decode()):]
    assert 1 <= doc.text.count("\ufffd") <= len(bad)
    assert [w for w in doc.warnings if f"not valid UTF-8 at byte offset(s) {cut}" in w and "U+FFFD" in w]
    a, b = extract(text), extract(doc)
    assert [r.symbol for r in b.references] == [r.symbol for r in a.references]
    assert (b.document.symbol, b.document.date) == (a.document.symbol, a.document.date)


def test_windows_1258_file_is_still_windows_1258(tmp_path: Path) -> None:
    """The other side of #6: a text that is not overwhelmingly UTF-8 is not taken for UTF-8."""
    text = "Thực hiện Kết luận số 114-KL/TW ngày 20/7/2015 của Ban Bí thư về công tác dân vận. " * 40
    p = tmp_path / "cp1258.txt"
    p.write_bytes(unicodedata.normalize("NFD", text).replace("\u0302", "").encode("cp1258", errors="ignore")
                  + "Đ".encode("cp1258"))
    doc = read(p)
    assert doc.encoding == "cp1258" and any("decoded as Windows-1258" in w for w in doc.warnings)


def test_binary_files_over_the_whole_read_limit_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """#15: files too large to read whole skipped the binary check (129 MB of random bytes gave 145 records).
    Their head, middle and tail are now checked, by ``read`` and by the segment reader."""
    from citegraph.extraction.stream import iter_segments

    monkeypatch.setattr(readers, "MAX_TEXT_BYTES", 300_000)
    rng = random.Random(15)
    text = ("Căn cứ Nghị định số 15/2020/NĐ-CP ngày 03/02/2020 của Chính phủ;\n" * 12000).encode()
    cases = {"random.txt": rng.randbytes(1_000_000),
             "middle.txt": text[:400_000] + rng.randbytes(200_000) + text[:400_000],
             "tail.txt": text + rng.randbytes(100_000),
             "image.txt": b"\x89PNG\r\n\x1a\n" + text}
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(ReadError) as e:
            read(p)
        assert "binary data" in one_line_error(e.value, p) or "PNG" in str(e.value), str(e.value)
        with pytest.raises(ReadError) as e:
            next(iter_segments(p))
        assert "not a text document" in one_line_error(e.value, p)
    big = tmp_path / "big.txt"  # a big text is still a text: too large to read whole, read in segments
    big.write_bytes(text)
    with pytest.raises(ReadError, match=r"too large to read whole .* reads it in segments"):
        read(big)
    assert sum(len(seg) for _, seg in iter_segments(big)) == len(text.decode())


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    """The reading side of #3: a name from a Windows zip ("v\\xe9n b\\xe3n.txt", not UTF-8) is written as
    valid text wherever the reader names the file (the source of the document, error messages)."""
    from citegraph.extraction.pipeline import extract

    d = os.fsencode(tmp_path)
    good = os.path.join(d, b"v\xe9n b\xe3n.txt")
    with open(good, "wb") as f:
        f.write("Căn cứ Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ".encode())
    with open(os.path.join(d, b"r\xf4ng.txt"), "wb"):
        pass
    found = list(iter_inputs([tmp_path]))
    assert len(found) == 2
    docs, errors = [], []
    for p in found:
        try:
            docs.append(read(p))
        except ReadError as e:
            errors.append(str(e))
    assert [x.source for x in docs] == [os.path.join(str(tmp_path), "v\\xe9n b\\xe3n.txt")]
    assert errors == [os.path.join(str(tmp_path), "r\\xf4ng.txt") + ": empty file"]
    x = extract(docs[0])
    json.dumps(x.source, ensure_ascii=False).encode("utf-8")  # no lone surrogate left
    assert x.source.encode("utf-8") and [r.symbol for r in x.references] == ["33/CT-TTg"]
