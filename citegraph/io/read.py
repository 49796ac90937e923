"""Reading: a path or a string to a :class:`~citegraph.io.document.Document`."""
from __future__ import annotations

from pathlib import Path

from citegraph.io.document import SUFFIXES, Document, PathLike, ReadError, decode_bytes, display_name
from citegraph.io.readers import load, offsets_exact

__all__ = ["Document", "ReadError", "read"]


def read(source: PathLike | str | bytes | Document, *, encoding: str | None = None) -> Document:
    """Read a document from a path, raw bytes or a string of text.

    A string that names an existing file is read as that file; any other string is the text itself.

    Parameters
    ----------
    source : path, str, bytes or Document
        What to read.
    encoding : str, optional
        Force a text encoding instead of detecting it.

    Raises
    ------
    ReadError
        When a file cannot be read (missing, a directory, no permission, binary, empty).
    """
    if isinstance(source, Document):
        return source
    if isinstance(source, bytes):
        text, enc, warns = decode_bytes(source) if encoding is None else (source.decode(encoding), encoding, [])
        return Document(text=text, encoding=enc, format="text", warnings=warns)
    if isinstance(source, str) and ("\n" in source or len(source) > 1024 or not _looks_like_path(source)):
        return Document(text=source, format="text")
    path = source if isinstance(source, Path) else Path(source)
    text, enc, fmt, warns = load(path, encoding=encoding)
    return Document(text=text, source=display_name(source), encoding=enc, format=fmt, warnings=warns,
                    offsets_exact=offsets_exact(fmt, enc, warns))


def _looks_like_path(s: str) -> bool:
    if not s.strip():
        return False
    try:
        return Path(s).exists() or Path(s).suffix.lower() in SUFFIXES
    except (OSError, ValueError):
        return False
