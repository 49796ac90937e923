"""Names of sources as every output shows them: one printable line of valid UTF-8, whatever the file name.

A file name that is not UTF-8 (common in zips made on Windows) reaches Python with lone surrogates for its
bytes (``surrogateescape``): they cannot be written as UTF-8 (JSONL, RDF, the store) and a terminal shows
garbage. A file name may also hold a line break, which would forge a second line in an error message.
:func:`source_name` escapes both; :func:`source_path` undoes it to find the file again.
"""
from __future__ import annotations

import hashlib
import os

from citegraph.text import startcache
from typing import Any

#: What cannot be printed on one line nor encoded as UTF-8: control characters, and the lone surrogates that stand
#: for the bytes of a file name that is not UTF-8 (Python's ``surrogateescape``).
_UNSAFE = startcache.compile("[\x00-\x1f\x7f\ud800-\udfff]")
_ESCAPE = startcache.compile(r"\\x([0-9a-f]{2})")


def _escape(ch: str) -> str:
    c = ord(ch)
    if 0xDC80 <= c <= 0xDCFF:  # an undecodable byte of a file name
        return f"\\x{c - 0xDC00:02x}"
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def source_name(source: Any) -> str:
    """How a source is named in every output (JSONL, RDF, report, messages): the path as given, with what could
    not be printed on one line or encoded as UTF-8 escaped as ``\\xNN``: the bytes of a file name that is not
    UTF-8 (common in zips from Windows), line breaks and other control characters.

    Examples
    --------
    >>> source_name("corpus/a.txt")
    'corpus/a.txt'
    >>> print(source_name(os.fsdecode(b"k\\xe9 ho\\xe1ch.txt")), source_name("two\\nlines.txt"))
    k\\xe9 ho\\xe1ch.txt two\\x0alines.txt
    >>> source_name(source_name("two\\nlines.txt")) == source_name("two\\nlines.txt")
    True
    """
    s = os.fspath(source) if isinstance(source, os.PathLike) else str(source)
    return _UNSAFE.sub(lambda m: _escape(m.group()), s) if _UNSAFE.search(s) else s


#: The source an extraction of a text given as a string names (``citegraph.extract("...").source``).
TEXT_SOURCE = "<text>"


def text_source(text: str) -> str:
    """How a text given as a string (from no file) is named as a source in a graph, built in memory or in
    a store alike: ``<text {hash}>``, the first 16 hex digits of the SHA-1 of its UTF-8.

    >>> text_source("Chỉ thị số 33/CT-TTg")
    '<text 61f8cc80db0c00ce>'
    """
    return f"<text {hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}>"


def source_path(name: str) -> str:
    """The file a :func:`source_name` names (its ``\\xNN`` escapes undone), to look for it on disk.

    >>> source_path(source_name(os.fsdecode(b"k\\xe9.txt"))) == os.fsdecode(b"k\\xe9.txt")
    True
    """
    if "\\x" not in name:
        return name
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x80
                       else chr(0xDC00 + int(m.group(1), 16)), name)


__all__ = ["TEXT_SOURCE", "source_name", "source_path", "text_source"]
