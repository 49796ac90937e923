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
    text = data.decode("cp1258", errors="replace")
    warnings.append(f"{name}: not valid UTF-8; decoded as Windows-1258")
    return text, "cp1258", warnings


