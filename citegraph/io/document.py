"""A document as read: its decoded text, where it came from, and a matching view; the read error."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from citegraph.text.normalize import View

PathLike = Union[str, "os.PathLike[str]"]

#: File suffixes read when a directory is given (the one list: the walker, ``read`` and ``build`` use it).
SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm", ".xhtml"})


class ReadError(Exception):
    """A file that cannot be read; the message names the file and the reason."""


def display_name(path: "PathLike | bytes") -> str:
    r"""A file name as text that can be written anywhere (JSON, RDF, a terminal): the bytes of a name that is
    not UTF-8 (common in zips made on Windows) are shown as ``\xNN``.

    Examples
    --------
    >>> display_name("corpus/Kế hoạch.txt")
    'corpus/Kế hoạch.txt'
    >>> display_name(b"v\xe9n b\xe3n.txt"), display_name(os.fsdecode(b"v\xe9n.txt"))
    ('v\\xe9n b\\xe3n.txt', 'v\\xe9n.txt')
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        return name.decode("utf-8", errors="backslashreplace")
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", errors="backslashreplace")


@dataclass
class Document:
    """A document's text as read, where it came from, and how it was decoded.

    ``offsets_exact`` says whether offsets into :attr:`text` are offsets into the file itself (plain
    UTF-8 text) or into the text extracted from it (.docx, .pdf, .html, converted legacy fonts).

    Examples
    --------
    >>> d = Document("Chỉ thị số 33/CT-TTg ngày 26/11/2021")
    >>> d.source is None, d.format
    (True, 'text')
    >>> d.view.text[11:20]
    '33/CT-TTg'
    """

    text: str
    source: str | None = None
    encoding: str | None = None
    format: str = "text"
    warnings: list[str] = field(default_factory=list)
    offsets_exact: bool = True
    _view: View | None = field(default=None, repr=False, compare=False)

    @property
    def view(self) -> View:
        """The NFC, Đ-unified matching view with offsets back to :attr:`text`."""
        if self._view is None:
            self._view = View(self.text)
        return self._view


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str, list[str]]:
    """Decode document bytes: UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else Windows-1258.

    Bytes that are UTF-8 but for a few bad sequences (a byte lost in a copy) stay UTF-8: each bad sequence
    becomes U+FFFD and a warning gives its byte offset; the rest of the text is not lost to Windows-1258.

    Returns ``(text, encoding, warnings)``.

    >>> decode_bytes("Quyết định".encode("utf-16"))[:2]
    ('Quyết định', 'utf-16')
    >>> decode_bytes(b"\\xef\\xbb\\xbfS\\xe1\\xbb\\x91")[:2]
    ('Số', 'utf-8-sig')
    """
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", warnings
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", warnings
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0:1] != b"\x00":
        return data.decode("utf-16-le", errors="replace"), "utf-16-le", warnings
    if len(data) >= 4 and data[0:4:2] == b"\x00\x00":
        return data.decode("utf-16-be", errors="replace"), "utf-16-be", warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, bad = mostly
        where = ", ".join(str(b) for b in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        warnings.append(f"{name}: not valid UTF-8 at byte offset(s) {where}; decoded as UTF-8 with U+FFFD in their place")
        return text, "utf-8", warnings
    text = data.decode("cp1258", errors="replace")
    warnings.append(f"{name}: not valid UTF-8; decoded as Windows-1258")
    return text, "cp1258", warnings


def _mostly_utf8(data: bytes) -> tuple[str, list[int]] | None:
    r"""The text of bytes that are UTF-8 but for a few bad sequences, and where those are; None when the bytes
    are not overwhelmingly UTF-8 (at least 100 well-formed non-ASCII characters for each bad sequence: a
    Windows-1258 or legacy-font text decodes as a bad sequence at nearly every letter with a tone).

    >>> good = "Quyết định số 12/QĐ-UBND của Ủy ban nhân dân tỉnh " * 20
    >>> text, bad = _mostly_utf8(good.encode() + b"\xff" + good.encode())
    >>> bad, text.count("\ufffd")
    ([1320], 1)
    >>> import unicodedata
    >>> _mostly_utf8(unicodedata.normalize("NFD", good).encode("cp1258", errors="ignore")) is None  # Windows-1258
    True
    """
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore")) - text.count("\ufffd")
    if replaced <= 0 or non_ascii < 100 * replaced:
        return None
    bad: list[int] = []
    pos = 0
    while len(bad) < replaced:
        try:
            data[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as e:
            bad.append(pos + e.start)
            pos += e.end
    return text, bad


