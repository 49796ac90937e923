"""Huge text files: read in segments cut at paragraph boundaries, with memory bounded by the segment size.

:func:`iter_segments` decodes a file incrementally and yields ``(base, segment)``: ``base`` is the
character offset of the segment in the whole decoded text, so ``base + offset in segment`` is an offset
in the file's text. Segments end at a blank line where there is one, else at a line break, so a
reference (which never spans a blank line) is not cut in two. :func:`extract_stream` runs
:func:`citegraph.extract` on each segment and shifts every offset by ``base``.

Examples
--------
>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "big.txt"
>>> _ = p.write_text("Căn cứ Chỉ thị số 33/CT-TTg.\\n\\nThực hiện Kết luận số 114-KL/TW.\\n", encoding="utf-8")
>>> for base, seg in iter_segments(p, max_chars=40):
...     print(base, repr(seg))
0 'Căn cứ Chỉ thị số 33/CT-TTg.\\n\\n'
30 'Thực hiện Kết luận số 114-KL/TW.\\n'
"""
from __future__ import annotations

import codecs
import inspect
import os
from dataclasses import replace
from pathlib import Path
from typing import IO, Iterator, Union

from citegraph.text import startcache
from citegraph.extraction.models import Extraction
from citegraph.extraction.pipeline import extract
from citegraph.io import legacy
from citegraph.io.read import Document, ReadError
from citegraph.io.readers import refuse_binary

PathLike = Union[str, "os.PathLike[str]"]

#: Default segment size, in characters.
DEFAULT_MAX_CHARS = 1_000_000
_CHUNK_BYTES = 1 << 20
_SNIFF_BYTES = 1 << 20
_BLANK_LINE = startcache.compile(r"\n[ \t\f\r]*\n")


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """Choose a decoder from a file's first bytes: ``(codec, bytes to skip)``.

    UTF-8 (BOM or valid), UTF-16 (BOM or NUL pattern), else ``"latin-1"`` when the sample looks like a
    legacy font encoding (read as Windows-1252 and converted later), else Windows-1258.

    Examples
    --------
    >>> sniff_encoding("Số".encode("utf-8"))
    ('utf-8', 0)
    >>> sniff_encoding(b"\\xff\\xfeS\\x00")
    ('utf-16-le', 2)
    >>> sniff_encoding("QuyÕt ®Þnh sè 217-Q§/TW cña Bé ChÝnh trÞ".encode("latin-1"))
    ('latin-1', 0)
    """
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8", 3
    if head.startswith(b"\xff\xfe"):
        return "utf-16-le", 2
    if head.startswith(b"\xfe\xff"):
        return "utf-16-be", 2
    if len(head) >= 4 and head[1:4:2] == b"\x00\x00" and head[0:1] != b"\x00":
        return "utf-16-le", 0
    if len(head) >= 4 and head[0:4:2] == b"\x00\x00":
        return "utf-16-be", 0
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    if legacy.detect(legacy.decode_8bit(head)):
        return "latin-1", 0
    return "cp1258", 0


def _cut(buf: str, max_chars: int) -> int:
    """Where to end a segment of ``buf`` (``len(buf) > max_chars``): after a blank line, else a newline."""
    window = buf[:max_chars]
    floor = max_chars // 4
    last = None
    for m in _BLANK_LINE.finditer(window, floor):
        last = m.end()
    if last:
        return last
    nl = window.rfind("\n", floor)
    if nl >= 0:
        return nl + 1
    ws = max(window.rfind(" ", floor), window.rfind("\t", floor))
    if ws >= 0:
        return ws + 1
    return max_chars


def iter_segments(path: PathLike, max_chars: int = DEFAULT_MAX_CHARS, *, encoding: str | None = None
                  ) -> Iterator[tuple[int, str]]:
    """Yield ``(base, segment)`` over a text file, decoding incrementally.

    Parameters
    ----------
    path : path
        A text file (UTF-8, UTF-8 with BOM, UTF-16, Windows-1258, TCVN3 or VNI).
    max_chars : int
        Largest segment, in characters (a segment is shorter when it can end at a paragraph).
        A single line longer than this is cut at a space, else hard.
    encoding : str, optional
        Force the codec instead of sniffing it.

    Yields
    ------
    (int, str)
        The segment's offset in the decoded text, and the segment. The segments joined are the text.

    Raises
    ------
    ReadError
        The file cannot be opened, is empty or is binary (its head, middle and tail are looked at).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = p.write_bytes("Số 1\\nSố 2\\nSố 3\\n".encode("utf-16"))
    >>> list(iter_segments(p, max_chars=10))
    [(0, 'Số 1\\nSố 2\\n'), (10, 'Số 3\\n')]
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    name = str(path)
    f = _open(path)
    with f:
        refuse_binary(Path(path), encoding=encoding)  # its head, middle and tail: a huge file is never read whole
        head = f.read(_SNIFF_BYTES)
        if not head.strip():
            raise ReadError(f"{name}: empty file")
        if encoding:
            codec, skip = encoding, 0
        else:
            codec, skip = sniff_encoding(head)
        legacy_enc = legacy.detect(legacy.decode_8bit(head)) if codec == "latin-1" else None
        try:
            decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        except LookupError:
            raise ReadError(f"{name}: unknown encoding {codec!r}") from None
        base = 0
        buf = decoder.decode(head[skip:])
        while True:
            while len(buf) > max_chars:
                cut = _cut(buf, max_chars)
                seg = _convert(buf[:cut], legacy_enc)
                yield base, seg
                base += len(seg)
                buf = buf[cut:]
            chunk = f.read(_CHUNK_BYTES)
            if not chunk:
                buf += decoder.decode(b"", final=True)
                break
            buf += decoder.decode(chunk)
        while buf:
            cut = _cut(buf, max_chars) if len(buf) > max_chars else len(buf)
            seg = _convert(buf[:cut], legacy_enc)
            yield base, seg
            base += len(seg)
            buf = buf[cut:]


def _convert(seg: str, enc: legacy.LegacyEncoding | None) -> str:
    return legacy.to_unicode(legacy.decode_8bit(seg.encode("latin-1")), enc) if enc else seg


def _open(path: PathLike) -> IO[bytes]:
    name = str(path)
    p = Path(path)
    if p.is_dir():
        raise ReadError(f"{name}: is a directory")
    if p.exists() and not p.is_file():
        raise ReadError(f"{name}: not a regular file")
    try:
        return open(p, "rb")
    except FileNotFoundError:
        raise ReadError(f"{name}: no such file") from None
    except PermissionError:
        raise ReadError(f"{name}: permission denied") from None
    except OSError as e:
        raise ReadError(f"{name}: cannot read ({e.strerror or e})") from None


def shift(extraction: "Extraction", base: int) -> "Extraction":
    """Shift every offset of ``extraction`` (references and their sentences) by ``base``, in place.

    Examples
    --------
    >>> from citegraph.extraction.models import Extraction, Header, Reference
    >>> ex = Extraction("f", "x", Header(), [Reference("numbered", 3, 9, "33/CT-TTg", sentence_start=0, sentence_end=12)])
    >>> shift(ex, 100).references[0].span(), ex.references[0].sentence_start
    ((103, 109), 100)
    """
    if base:
        for r in extraction.references:
            r.start += base
            r.end += base
            if r.sentence_start is not None:
                r.sentence_start += base
            if r.sentence_end is not None:
                r.sentence_end += base
    return extraction


def extract_stream(path: PathLike, max_chars: int = DEFAULT_MAX_CHARS, *, encoding: str | None = None
                   ) -> Iterator["Extraction"]:
    """Extract a huge text file segment by segment: one :class:`~citegraph.extraction.models.Extraction` per segment.

    Offsets are shifted into the whole file's text (``ref.start``/``ref.end``); each Extraction's
    ``text`` is only its segment, so memory stays bounded by ``max_chars`` whatever the file's size.
    The citing document's header is parsed from the first segment and is the ``document`` of every
    segment. Relation indices refer to the references of their own segment.

    Each segment is resolved in the context its own text gives (province, district, the citing
    document's date): a local reference (``/TU``, ``-UBND``) in a segment that does not name its place
    gets an unknown jurisdiction where extraction of the whole file would have found it. When
    :func:`citegraph.extract` accepts a ``header`` argument, the first segment's header is passed on.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "big.txt"
    >>> _ = p.write_text("Căn cứ Chỉ thị số 33/CT-TTg.\\n\\n" * 3, encoding="utf-8")
    >>> spans = [r.span() for ex in extract_stream(p, max_chars=40) for r in ex.references
    ...          if r.symbol == "33/CT-TTg"]
    >>> spans
    [(7, 27), (37, 57), (67, 87)]
    """
    try:
        takes_header = "header" in inspect.signature(extract).parameters
    except (TypeError, ValueError):
        takes_header = False
    name = str(path)
    header = None
    for i, (base, seg) in enumerate(iter_segments(path, max_chars, encoding=encoding)):
        doc = Document(text=seg, source=name, encoding=encoding, format="text")
        if i and takes_header and header is not None:
            ex = extract(doc, header=header)  # type: ignore[call-arg]
        else:
            ex = extract(doc)
        if i == 0:
            header = ex.document
        elif header is not None:
            ex = replace(ex, document=header)
        ex.source = name
        yield shift(ex, base)


__all__ = ["DEFAULT_MAX_CHARS", "extract_stream", "iter_segments", "shift", "sniff_encoding"]
