"""File readers: a file on disk to text, by format (.txt/.md, .docx, .pdf, .html).

:func:`load` is what :func:`citegraph.io.read.read` calls. Every failure is a
:class:`~citegraph.io.read.ReadError` with a one-line message naming the file and the reason.

Offsets
-------
Reference offsets are offsets into the text returned here. For ``.txt``/``.md`` that text is the
file itself, decoded (exact offsets, in characters). For the other formats the text is *extracted*
and a warning says what the offsets refer to (:data:`OFFSET_NOTES`).

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "kh.txt"
>>> _ = p.write_bytes("Căn cứ Chỉ thị số 33/CT-TTg".encode("utf-16"))
>>> text, encoding, fmt, warnings = load(p)
>>> text[18:], encoding, fmt, warnings
('33/CT-TTg', 'utf-16', 'text', [])
"""
from __future__ import annotations

import logging
import os
import posixpath
import re
import stat
import threading
import unicodedata
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from citegraph.text import startcache
from citegraph.io import layout, legacy, markdown, pdf
from citegraph.io.document import ReadError, decode_bytes, display_name

if TYPE_CHECKING:  # pragma: no cover
    import zipfile

Loaded = tuple[str, "str | None", str, list[str]]

#: Text files larger than this are not read whole: :mod:`citegraph.extraction.stream` reads them in segments.
MAX_TEXT_BYTES = 128 * 2**20
#: .docx/.pdf/.html larger than this are refused (they cannot be streamed).
MAX_DOCUMENT_BYTES = 512 * 2**20
#: A .docx whose parts (all of them, images included) declare more than this in all is refused unread.
DOCX_MAX_INFLATED = 1024 * 2**20
#: ... and one whose parts expand more than this many times their compressed size (past 16 MB in all).
DOCX_MAX_RATIO = 100
DOCX_RATIO_FROM = 16 * 2**20
#: The most a .docx reader inflates of the parts it reads (the XML it parses), whatever their headers say.
DOCX_READ_BUDGET = 192 * 2**20

#: What reference offsets refer to, per format (the warning each reader adds).
OFFSET_NOTES: dict[str, str] = {
    "docx": "offsets refer to the text extracted from the .docx (body, then page headers/footers, then footnotes"
            " and endnotes), not to its XML",
    "pdf": "offsets refer to the text extracted from the PDF's text layer (repeated page headers/footers and"
           " footnote markers removed, split symbols rejoined, a blank line at paragraph gaps, pages separated by"
           " a form feed), not to positions on the page",
    "html": "offsets refer to the text of the page with the markup removed, not to the HTML source",
    "markdown": "offsets refer to the text with the Markdown marks blanked (spaces of the same length) and the"
                " addresses of {links} link(s) removed: they are the file's own offsets only up to the first link",
}

_MOVED_LINKS = OFFSET_NOTES["markdown"].split("{links}")[0]

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".csv", ".tsv", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}

# File signatures of formats that are not documents we read (name shown in the error).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (legacy .doc/.xls: save it as .docx)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "an RTF file (save it as .docx)"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


# --------------------------------------------------------------------------------------------
# entry point


def load(path: Path, *, encoding: str | None = None) -> tuple[str, str | None, str, list[str]]:
    """Load ``path`` and return ``(text, encoding, format, warnings)``.

    The format comes from the file's content where it is unmistakable (a zip holding
    ``word/document.xml`` is a .docx, ``%PDF-`` a PDF), else from its suffix.

    Parameters
    ----------
    path : Path
        The file.
    encoding : str, optional
        Force the text encoding of a text or HTML file.

    Returns
    -------
    text : str
        The text; reference offsets refer to it.
    encoding : str or None
        How the text was decoded (``"utf-8"``, ``"cp1258"``, ``"tcvn3"``, ``"vni"`` ...), None for
        .docx/.pdf.
    format : str
        ``"text"``, ``"markdown"``, ``"docx"``, ``"pdf"`` or ``"html"``.
    warnings : list of str
        Each names the file.

    Raises
    ------
    ReadError
        Missing, a directory, not a regular file, unreadable, empty, binary, corrupt, encrypted,
        a PDF without a text layer, too large to read whole.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> load(d / "none.txt")
    Traceback (most recent call last):
    ...
    citegraph.io.document.ReadError: .../none.txt: no such file
    >>> _ = (d / "e.txt").write_bytes(b"  \\n")
    >>> load(d / "e.txt")
    Traceback (most recent call last):
    ...
    citegraph.io.document.ReadError: .../e.txt: empty file
    """
    path = path if isinstance(path, Path) else Path(path)
    name = display_name(path)
    st = _stat(path)
    size = st.st_size
    if size == 0:
        raise ReadError(f"{name}: empty file")
    suffix = path.suffix.lower()
    # a text or HTML file is read whole at once (its head is its start); any other, its head first
    whole = size <= MAX_TEXT_BYTES and (suffix in TEXT_SUFFIXES or suffix in HTML_SUFFIXES)
    data = _read_head(path, -1 if whole else _HEAD_BYTES)
    head = data[:_HEAD_BYTES] if whole else data
    fmt = _sniff(head, suffix)
    limit = MAX_TEXT_BYTES if fmt in ("text", "markdown") else MAX_DOCUMENT_BYTES
    if size > limit:
        if fmt in ("text", "markdown"):
            refuse_binary(path, size)  # not whole, but its head, middle and tail are looked at
        hint = "; citegraph.extraction.stream.extract_stream reads it in segments" if fmt in ("text", "markdown") else ""
        raise ReadError(f"{name}: too large to read whole ({size / 2**20:.0f} MB > {limit / 2**20:.0f} MB){hint}")
    if fmt == "docx":
        return _guard(name, "a .docx", lambda: _load_docx(path, name))
    if fmt == "pdf":
        return _guard(name, "a PDF", lambda: _load_pdf(path, name))
    if not whole:
        data = _read_all(path)
    if not data or data.isspace():  # (not data.strip(): the same ASCII blanks, without a copy)
        raise ReadError(f"{name}: empty file")
    if fmt == "html":
        preview, _, _ = decode_bytes(data[:65536], name)
        what = _binary_reason(data, preview)
        if what:
            raise ReadError(f"{name}: {what}, not an HTML page")
        return _guard(name, "an HTML page", lambda: _load_html(data, name, encoding))
    return _load_text(data, name, encoding, fmt)


def _stat(path: Path) -> os.stat_result:
    name = display_name(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ReadError(f"{name}: broken symbolic link") from None
        raise ReadError(f"{name}: no such file") from None
    except PermissionError:
        raise ReadError(f"{name}: permission denied") from None
    except OSError as e:
        raise ReadError(f"{name}: cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(f"{name}: is a directory")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a special file")
        raise ReadError(f"{name}: not a regular file ({kind})")
    return st


def _open_error(name: str, e: OSError) -> ReadError:
    if isinstance(e, PermissionError):
        return ReadError(f"{name}: permission denied")
    if isinstance(e, FileNotFoundError):
        return ReadError(f"{name}: no such file")
    if isinstance(e, IsADirectoryError):
        return ReadError(f"{name}: is a directory")
    return ReadError(f"{name}: cannot read ({e.strerror or e})")


#: the start of a file its format is sniffed from
_HEAD_BYTES = 8192


def _read_head(path: Path, n: int) -> bytes:
    """The first ``n`` bytes of the file (all of them for -1)."""
    try:
        with open(path, "rb") as f:
            return f.read(n)
    except OSError as e:
        raise _open_error(display_name(path), e) from None


def _read_all(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise _open_error(display_name(path), e) from None


def _sniff(head: bytes, suffix: str) -> str:
    """The format to read: from the content where unmistakable, else from the suffix."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"  # any zip: _load_docx says when it is not a Word document
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in (".md", ".markdown"):
        return "markdown"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix not in TEXT_SUFFIXES and stripped.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _guard(name: str, what: str, fn: Callable[[], Loaded]) -> Loaded:
    """Run a format reader; turn any library failure into a one-line ReadError."""
    try:
        with _quiet("pypdfium2"):
            return fn()
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"{name}: out of memory reading {what}") from None
    except RecursionError:
        raise ReadError(f"{name}: {what} nested too deeply to read") from None
    except Exception as e:  # noqa: BLE001 - corrupt files make libraries raise anything
        msg = " ".join(str(e).split())[:160] or type(e).__name__
        raise ReadError(f"{name}: not readable as {what} ({msg})") from None


_QUIET_LOCK = threading.Lock()
_quiet_depth = 0
_quiet_saved: tuple[dict[str, int], Any] | None = None


@contextmanager
def _quiet(*loggers: str) -> Iterator[None]:
    """Silence libraries' logging and warnings while they read a file: a corrupt file's problems come out
    as one ReadError line, not as library chatter on stderr.

    Files are read from many threads at once: the first reader in silences, the last one out restores (each
    thread saving and restoring on its own would leave the loggers silenced for good)."""
    import warnings

    global _quiet_depth, _quiet_saved
    with _QUIET_LOCK:
        if _quiet_depth == 0:
            levels = {name: logging.getLogger(name).level for name in loggers}
            for name in loggers:
                logging.getLogger(name).setLevel(logging.CRITICAL + 1)
            caught = warnings.catch_warnings()
            caught.__enter__()
            warnings.simplefilter("ignore")
            _quiet_saved = (levels, caught)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_saved is not None:
                levels, caught = _quiet_saved
                _quiet_saved = None
                for name, level in levels.items():
                    logging.getLogger(name).setLevel(level)
                caught.__exit__(None, None, None)


# --------------------------------------------------------------------------------------------
# plain text


# control characters (Unicode category Cc: C0, DEL, C1) that a text document does not hold
_CONTROLS = startcache.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")


_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
_C1_UTF8 = startcache.compile(rb"\xc2[\x80-\x9f]")


def _utf8_has_controls(data: bytes) -> bool:
    r"""Whether UTF-8 bytes hold a control character of :data:`_CONTROLS` (a C0 or DEL byte, a C1 pair): a
    deletion and a byte search, no pass of Python over the characters.

    >>> _utf8_has_controls("Số: 12/QĐ-UBND\r\n\t\f".encode()), _utf8_has_controls(b"a\x01"), _utf8_has_controls("\x85".encode())
    (False, True, True)
    """
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return True
    return b"\xc2" in data and _C1_UTF8.search(data) is not None


_MAGIC_FIRST = frozenset(magic[:1] for magic, _ in _MAGIC)
#: the bytes that hold the first 64K characters of UTF-8 text, at most (4 a character, and a BOM)
_SAMPLE_UTF8_BYTES = 4 * 65536 + 3


def _binary_reason(data: bytes, text: str | None, utf8: bool = False) -> str | None:
    """Why ``data`` is not a text document (a file signature, NUL bytes, many control characters or
    undecodable bytes in its first 64K characters), or None. ``utf8``: ``text`` is ``data`` decoded as
    UTF-8 (the control characters can then be looked for in the bytes)."""
    if data[:1] in _MAGIC_FIRST:  # (most texts start with none of the signatures' first bytes)
        for magic, what in _MAGIC:
            if data.startswith(magic):
                return what
    if text is None:
        return None
    sample = text[:65536]
    if utf8 and not _utf8_has_controls(data[:_SAMPLE_UTF8_BYTES]):
        controls = 0  # the sample's bytes start the data: no control character (nor NUL) in them
    else:
        if "\x00" in sample:
            return "binary data (NUL bytes)"
        controls = len(_CONTROLS.findall(sample)) if _CONTROLS.search(sample) else 0
    replaced = sample.count("\ufffd") if "\ufffd" in sample else 0
    if (controls + replaced) > max(8, len(sample) // 20):
        return "binary data (control characters)"
    return None


_SAMPLE_BYTES = 65536


def refuse_binary(path: Path, size: int | None = None, *, encoding: str | None = None) -> None:
    r"""Raise :class:`ReadError` when a text file too large to read whole is binary: its head, middle and tail
    (64 KB each) get the check a text read whole gets (a file signature at the head; NUL bytes, control
    characters or undecodable bytes in each sample).

    Examples
    --------
    >>> import os, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "big.txt"
    >>> _ = p.write_bytes("Căn cứ Nghị định số 15/2020/NĐ-CP;\n".encode() * 5000 + os.urandom(200_000))
    >>> refuse_binary(p)
    Traceback (most recent call last):
    ...
    citegraph.io.document.ReadError: .../big.txt: binary data (...) at byte 215000 of 430000, not a text document
    """
    name = display_name(path)
    try:
        size = path.stat().st_size if size is None else size
        with open(path, "rb") as f:
            head = f.read(_SAMPLE_BYTES)
            samples = [(0, head)]
            for at in (size // 2, size - _SAMPLE_BYTES):
                if at >= _SAMPLE_BYTES:
                    f.seek(at)
                    samples.append((at, f.read(_SAMPLE_BYTES)))
    except OSError as e:
        raise _open_error(name, e) from None
    codec = encoding or _sample_codec(head, name)
    for at, data in samples:
        if at and codec.startswith("utf-16"):
            data = data[at % 2:]  # whole code units
        elif at and codec.startswith("utf-8"):
            k = 0
            while k < 3 and k < len(data) and 0x80 <= data[k] < 0xC0:
                k += 1  # the rest of a character cut at the sample's start
            data = data[k:]
        try:
            text = data.decode(codec, errors="replace")
        except LookupError:
            raise ReadError(f"{name}: unknown encoding {codec!r}") from None
        what = _binary_reason(data if at == 0 else b"", text.lstrip("\ufeff"))
        if what:
            where = f" at byte {at} of {size}" if at else ""
            raise ReadError(f"{name}: {what}{where}, not a text document")


def _sample_codec(head: bytes, name: str) -> str:
    """The codec of a file from its head, as :func:`decode_bytes` chooses it (a character cut at the end of
    the head does not count)."""
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le"
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be"
    cut = len(head)
    while cut > len(head) - 3 and cut > 0 and 0x80 <= head[cut - 1] < 0xC0:
        cut -= 1
    if cut > 0 and head[cut - 1] >= 0xC0:
        cut -= 1
    codec = decode_bytes(head[:cut], name)[1]
    return "utf-8" if codec == "utf-8-sig" else codec


def _load_text(data: bytes, name: str, encoding: str | None, fmt: str) -> Loaded:
    what = _binary_reason(data, None)
    if what:
        raise ReadError(f"{name}: {what}, not a text document")
    warnings: list[str] = []
    if encoding:
        try:
            text = data.decode(encoding)
        except LookupError:
            raise ReadError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise ReadError(f"{name}: not valid {encoding} (byte {e.start})") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        enc: str | None = encoding
    else:
        text, enc, warnings = _decode_text(data, name)
    what = _binary_reason(data, text, utf8=(enc or "").replace("_", "-").lower() in ("utf-8", "utf-8-sig", "utf8"))
    if what:
        raise ReadError(f"{name}: {what}, not a text document")
    if fmt == "markdown":
        text, links = markdown.clean_links(text)  # marks blanked: offsets stay the file's (up to a link)
        if links:
            warnings.append(f"{name}: {OFFSET_NOTES['markdown'].format(links=links)}")
    if not text or text.isspace():  # (not text.strip(): the same blanks, without a copy)
        raise ReadError(f"{name}: empty file")
    if encoding is None:
        fixed, legacy_enc, lw = legacy.fix(text, name)
        if legacy_enc:
            text, enc, warnings = fixed, legacy_enc, [w for w in warnings if "Windows-1258" not in w] + lw
    return text, enc, fmt, warnings


def _decode_text(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """UTF-8/UTF-16 as :func:`decode_bytes` does; bytes that are not UTF might be a legacy font encoding."""
    text, enc, warnings = decode_bytes(data, name)
    if enc == "cp1258":
        # Legacy font bytes are Windows-1252/Latin-1 characters in the fonts' eyes; judge them that way.
        as_8bit = legacy.decode_8bit(data)
        if legacy.detect(as_8bit):
            return as_8bit, "cp1252", []
    elif enc == "utf-8-sig" and text.startswith("\ufeff"):
        text = text[1:]
    return text, enc, warnings


# --------------------------------------------------------------------------------------------
# .docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {_W + "del", _W + "delText", _W + "instrText", _W + "footnoteReference", _W + "endnoteReference",
         _W + "rPr", _W + "pPr", _W + "sectPr", _W + "tblPr", _W + "trPr", _W + "tcPr", _W + "tblGrid",
         _MC_FALLBACK}


class _DocxFonts:
    """Which font each run is drawn in (direct formatting, character style, paragraph style, defaults),
    so that runs in legacy fonts (.VnTime, VNI-Times) are converted exactly; counts what it converted."""

    def __init__(self, styles_xml: bytes | None) -> None:
        self.default: str | None = None
        self.styles: dict[str, str | None] = {}
        self.converted: Counter[tuple[str, str]] = Counter()  # (encoding, font) -> runs
        if not styles_xml:
            return
        from lxml import etree

        root = etree.fromstring(styles_xml, etree.XMLParser(resolve_entities=False, no_network=True))
        rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
        self.default = _rfont(rpr)
        own: dict[str, str | None] = {}
        based: dict[str, str] = {}
        for st in root.findall(f"{_W}style"):
            sid = st.get(_W + "styleId")
            if not sid:
                continue
            own[sid] = _rfont(st.find(_W + "rPr"))
            b = st.find(_W + "basedOn")
            if b is not None and b.get(_W + "val"):
                based[sid] = b.get(_W + "val")  # type: ignore[assignment]
        default_para = next((st.get(_W + "styleId") for st in root.findall(f"{_W}style")
                             if st.get(_W + "type") == "paragraph" and st.get(_W + "default") in ("1", "true")), None)
        for sid in own:
            seen, cur, font = set(), sid, None
            while cur and cur not in seen and font is None:
                seen.add(cur)
                font = own.get(cur)
                cur = based.get(cur)  # type: ignore[assignment]
            self.styles[sid] = font
        if default_para and self.styles.get(default_para):
            self.default = self.styles[default_para]  # paragraphs without a style are in the default one

    def style(self, container: Any, tag: str) -> str | None:
        if container is None:
            return None
        ref = container.find(_W + tag)
        return self.styles.get(ref.get(_W + "val")) if ref is not None else None

    def convert(self, text: str, font: str | None) -> str:
        enc, _ = legacy.font_encoding(font)
        if enc is None or not text:
            return text
        self.converted[(enc, str(font))] += 1
        return legacy.convert_font_text(text, font)


def _rfont(rpr: Any) -> str | None:
    if rpr is None:
        return None
    f = rpr.find(_W + "rFonts")
    if f is None:
        return None
    # characters above ASCII (where legacy fonts put Vietnamese letters) use the hAnsi font
    return f.get(_W + "hAnsi") or f.get(_W + "ascii") or f.get(_W + "cs")


def _docx_blocks(el: Any, out: list[str], fonts: _DocxFonts, in_cell: bool = False) -> None:
    """Append the lines of a block container (body, cell, header, footnote) in document order.

    Paragraphs are separated by a blank line (a paragraph of the text, as in the plain-text seeds);
    inside a table cell by a line break, each cell ending with a blank line.
    """
    stack: list[Any] = [iter(el)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == _W + "p":
            extra: list[Any] = []
            out.append(_docx_paragraph(child, extra, fonts))
            if not in_cell:
                out.append("")
            for box in extra:  # text boxes anchored in the paragraph, after it
                _docx_blocks(box, out, fonts)
        elif tag == _W + "tc":
            _docx_blocks(child, out, fonts, in_cell=True)
            out.append("")
        elif tag in _SKIP:
            continue
        else:  # tbl, tr, sdt, sdtContent, customXml, txbxContent ...
            stack.append(iter(child))


def _docx_paragraph(p: Any, boxes: list[Any], fonts: _DocxFonts) -> str:
    parts: list[str] = []
    para_font = fonts.style(p.find(_W + "pPr"), "pStyle") or fonts.default
    # stack entries: (children, font of the run they belong to)
    stack: list[tuple[Any, str | None]] = [(iter(p), para_font)]
    while stack:
        children, font = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            continue
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _SKIP:
            continue
        if tag == _W + "t":
            parts.append(fonts.convert(child.text or "", font))
        elif tag == _W + "r":
            rpr = child.find(_W + "rPr")
            stack.append((iter(child), _rfont(rpr) or fonts.style(rpr, "rStyle") or para_font))
        elif tag == _W + "tab" and child.getparent() is not None and child.getparent().tag == _W + "r":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "txbxContent":
            boxes.append(child)
        else:
            stack.append((iter(child), font))
    return "".join(parts)


class _DocxPackage:
    """The parts of a .docx read with a byte budget: the zip's declared sizes are checked over all its parts
    before anything is inflated (total, and the ratio to the compressed size), and the parts read are read
    at most up to what remains of the budget, whatever their headers say."""

    def __init__(self, zf: zipfile.ZipFile, name: str) -> None:
        self.zf = zf
        self.name = name
        self.infos = {i.filename: i for i in zf.infolist()}
        self.left = DOCX_READ_BUDGET
        declared = sum(i.file_size for i in self.infos.values())
        packed = sum(i.compress_size for i in self.infos.values())
        if declared > DOCX_MAX_INFLATED:
            raise ReadError(f"{name}: its parts expand to {_mb(declared)}; refused (a zip bomb?)")
        if declared > DOCX_RATIO_FROM and declared > DOCX_MAX_RATIO * max(packed, 1):
            raise ReadError(f"{name}: its parts expand {declared / max(packed, 1):.0f} times"
                            f" ({_mb(declared)} from {_mb(packed)}); refused (a zip bomb?)")

    def __contains__(self, part: str) -> bool:
        return part in self.infos

    def read(self, part: str) -> bytes:
        info = self.infos[part]
        if info.file_size > self.left:
            raise ReadError(f"{self.name}: {part} expands to {_mb(info.file_size)}; refused")
        chunks: list[bytes] = []
        got = 0
        with self.zf.open(info) as f:
            while True:  # in small reads: zipfile inflates as much as one read asks for before it cuts
                chunk = f.read(min(1 << 20, self.left + 1 - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
                if got > self.left:
                    raise ReadError(f"{self.name}: {part} expands beyond {_mb(DOCX_READ_BUDGET)}; refused")
        self.left -= got
        return b"".join(chunks)

    def xml(self, part: str) -> Any:
        from lxml import etree

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(self.read(part), parser)


_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _mb(n: int) -> str:
    """A size in MB for a message.

    >>> _mb(1536 * 2**20), _mb(300_000)
    ('1536 MB', '0.3 MB')
    """
    return f"{n / 2**20:.0f} MB" if n >= 10 * 2**20 else f"{n / 2**20:.1f} MB"


def _docx_furniture_parts(pkg: _DocxPackage) -> list[str]:
    """The page header and footer parts of the main document, headers first, each kind by its target."""
    rels_part = "word/_rels/document.xml.rels"
    if rels_part not in pkg:
        return []
    found: list[tuple[bool, str, str]] = []
    for rel in pkg.xml(rels_part).iter(_REL):
        kind, target = rel.get("Type") or "", rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not kind.endswith(("/header", "/footer")) or not target:
            continue
        part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("word", target))
        if part in pkg:
            found.append((kind.endswith("/footer"), target, part))
    return [part for _, _, part in sorted(found)]


def _load_docx(path: Path, name: str) -> Loaded:
    import zipfile  # here: reading text files does not need it

    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as e:
        raise ReadError(f"{name}: not readable as a .docx (corrupt zip: {e})") from None
    with zf:
        names = set(zf.namelist())
        if "word/document.xml" not in names:
            what = "an OpenDocument file (save it as .docx)" if "content.xml" in names else "a zip archive"
            raise ReadError(f"{name}: {what}, not a Word document")
        pkg = _DocxPackage(zf, name)  # zip bombs: refused before anything is inflated
        fonts = _DocxFonts(pkg.read("word/styles.xml") if "word/styles.xml" in pkg else None)
        root = pkg.xml("word/document.xml")
        body_el = root.find(_W + "body")
        lines: list[str] = []
        if body_el is not None:
            _docx_blocks(body_el, lines, fonts)
        body = _tidy_lines(lines)

        seen: set[str] = set()
        furniture: list[str] = []
        for part in _docx_furniture_parts(pkg):
            part_lines: list[str] = []
            _docx_blocks(pkg.xml(part), part_lines, fonts)
            block = _tidy_lines(part_lines)
            if block and block not in seen:
                seen.add(block)
                furniture.append(block)

        notes: list[str] = []
        for part in ("word/footnotes.xml", "word/endnotes.xml"):
            if part not in pkg:
                continue
            for note in pkg.xml(part):
                if note.get(_W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                    continue
                note_lines: list[str] = []
                _docx_blocks(note, note_lines, fonts)
                block = _tidy_lines(note_lines)
                if block:
                    notes.append(block)
    text = "\n\n".join(x for x in [body, *furniture, *notes] if x)
    if not text.strip():
        raise ReadError(f"{name}: no text in the .docx")
    warnings = [f"{name}: {OFFSET_NOTES['docx']}"]
    font_enc: str | None = None
    if fonts.converted:
        runs = sum(fonts.converted.values())
        used = ", ".join(f"{font} ({legacy.tables()[enc].name})" for enc, font in sorted(fonts.converted))
        warnings.append(f"{name}: {runs} text run(s) typed in legacy fonts converted to Unicode: {used}")
        font_enc = fonts.converted.most_common(1)[0][0][0]
    text, enc, lw = legacy.fix(text, name)
    return text, enc or font_enc, "docx", warnings + lw


def _tidy_lines(lines: list[str]) -> str:
    """Join lines; runs of blank lines become one; no blank lines at the ends."""
    out: list[str] = []
    for line in "\n".join(lines).split("\n"):
        line = line.rstrip()
        if not line.strip():
            if out and out[-1]:
                out.append("")
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# .pdf


def _load_pdf(path: Path, name: str) -> Loaded:
    text, warnings = pdf.load_pdf(path, name, OFFSET_NOTES["pdf"])
    text, enc, lw = legacy.fix(text, name)
    return text, enc, "pdf", warnings + lw


def offsets_exact(fmt: str, encoding: str | None, warnings: list[str] | tuple[str, ...] = ()) -> bool:
    """Whether offsets into the text read are offsets into the file's own characters.

    True for text and Markdown files (decoded as they are, or converted one character for one from
    TCVN3; Markdown marks blanked in place); False for text extracted from .docx/.pdf/.html, for text
    converted from VNI, and for Markdown with link addresses, which are removed (its ``warnings`` say so).

    Examples
    --------
    >>> offsets_exact("text", "utf-8"), offsets_exact("text", "tcvn3"), offsets_exact("text", "vni")
    (True, True, False)
    >>> offsets_exact("docx", None)
    False
    """
    moved = fmt == "markdown" and any(_MOVED_LINKS in w for w in warnings)
    return fmt in ("text", "markdown") and encoding != "vni" and not moved


def page_of(text: str, offset: int) -> int:
    """The page (from 1) of ``offset`` in a text read from a PDF (pages are separated by a form feed).

    Examples
    --------
    >>> t = "Căn cứ Nghị quyết số 25-NQ/TW\\n\\fThực hiện Chỉ thị số 33/CT-TTg"
    >>> page_of(t, t.index("25-NQ/TW")), page_of(t, t.index("33/CT-TTg"))
    (1, 2)
    """
    return text.count("\f", 0, max(0, offset)) + 1


# --------------------------------------------------------------------------------------------
# .html

_DROP_TAGS = ("script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed",
              "canvas", "select", "button")
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
               "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
               "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav", "ol", "p", "pre",
               "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "title"}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre", "ul", "ol", "dl", "title",
                   "section", "article"}


_HIDDEN_STYLE = startcache.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _load_html(data: bytes, name: str, encoding: str | None) -> Loaded:
    from bs4 import BeautifulSoup, CData, NavigableString, Tag

    if encoding is None and not data.isascii() and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
            encoding = "utf-8"  # valid UTF-8 is UTF-8, whatever a (often wrong) meta tag declares
        except UnicodeDecodeError:
            pass
    soup = BeautifulSoup(data, "lxml", from_encoding=encoding)
    for el in soup.find_all(_DROP_TAGS):
        el.decompose()
    for el in soup.find_all("sup"):  # footnote markers glued to a symbol: 25-NQ/TW<sup>1</sup>
        marker = el.get_text()
        before = el.previous_element if isinstance(el.previous_element, NavigableString) else ""
        if layout.MARKER.match(marker) and not layout.is_exponent(str(before or ""), marker):
            el.decompose()
    for el in soup.find_all(lambda t: t.has_attr("hidden") or _HIDDEN_STYLE.search(t.get("style") or "")):
        el.decompose()
    has_pre = soup.find(["pre", "textarea"]) is not None
    out: list[str] = []
    pending = 0  # break before the next text: 0 none, 1 line, 2 paragraph
    # iterative walk with enter/leave events (deep nesting must not hit the recursion limit)
    stack: list[tuple[Any, Iterator[Any], str | None]] = [(soup, iter(list(soup.contents)), None)]
    converted: Counter[tuple[str, str]] = Counter()
    while stack:
        parent, children, font = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if isinstance(parent, Tag) and parent.name in _BLOCK_TAGS:
                pending = max(pending, 2 if parent.name in _PARAGRAPH_TAGS else 1)
            continue
        if isinstance(node, Tag):
            if node.name == "br":
                pending = min(2, pending + 1)
                continue
            if node.name in _BLOCK_TAGS:
                pending = max(pending, 2 if node.name in _PARAGRAPH_TAGS else 1)
            declared, legacy_font = _html_font(node)
            stack.append((node, iter(list(node.contents)), legacy_font if declared else font))
            continue
        if type(node) not in (NavigableString, CData):
            continue  # comments, doctype, processing instructions
        s = str(node)
        enc, _ = legacy.font_encoding(font)
        if enc is not None and s.strip():
            s = legacy.convert_font_text(s, font)
            converted[(enc, str(font))] += 1
        if not (has_pre and any(isinstance(t, Tag) and t.name in ("pre", "textarea") for t, _, _ in stack)):
            s = re.sub(r"[ \t\r\n\f]+", " ", s)
        if not s.strip():
            if not pending and out:
                out.append(s)
            continue
        if pending and out:
            out[-1] = out[-1].rstrip(" ")
            out.append("\n" * pending)
            s = s.lstrip(" ")
        elif not out:
            s = s.lstrip(" ")
        pending = 0
        out.append(s)
    text = _tidy_lines([ln.rstrip(" \t") for ln in "".join(out).split("\n")])
    if not text.strip():
        raise ReadError(f"{name}: no text in the HTML page")
    enc = soup.original_encoding or encoding
    warnings = [f"{name}: {OFFSET_NOTES['html']}"]
    if converted:
        used = ", ".join(f"{f} ({legacy.tables()[e].name})" for e, f in sorted(converted))
        warnings.append(f"{name}: {sum(converted.values())} text piece(s) in legacy fonts converted to Unicode: {used}")
        enc = converted.most_common(1)[0][0][0]
    text, legacy_enc, lw = legacy.fix(text, name)
    return text, legacy_enc or enc, "html", warnings + lw


_FONT_FAMILY = startcache.compile(r"font-family\s*:\s*([^;]+)", re.I)


def _html_font(tag: Any) -> tuple[bool, str | None]:
    """Whether a tag names a font (``<font face>``, CSS ``font-family``), and that font if it is a legacy one."""
    names = []
    if tag.get("face"):
        names.append(str(tag.get("face")))
    m = _FONT_FAMILY.search(str(tag.get("style") or ""))
    if m:
        names.append(m.group(1))
    for value in names:
        first = value.split(",")[0].strip().strip("'\"")
        if first:
            return True, first if legacy.font_encoding(first)[0] else None
    return False, None


__all__ = ["DOCX_MAX_INFLATED", "DOCX_MAX_RATIO", "DOCX_READ_BUDGET", "MAX_DOCUMENT_BYTES", "MAX_TEXT_BYTES",
           "OFFSET_NOTES", "load", "offsets_exact", "page_of", "refuse_binary"]
