"""File readers: bytes on disk to text, by format."""
from __future__ import annotations

from pathlib import Path

from .read import ReadError, decode_bytes


def load(path: Path, *, encoding: str | None = None) -> tuple[str, str | None, str, list[str]]:
    """Load ``path`` and return ``(text, encoding, format, warnings)``; raise ReadError with the reason."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a directory") from None
    except PermissionError:
        raise ReadError(f"{path}: permission denied") from None
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None
    if not data.strip():
        raise ReadError(f"{path}: empty file")
    if encoding:
        return data.decode(encoding, errors="replace"), encoding, "text", []
    text, enc, warns = decode_bytes(data, str(path))
    return text, enc, "text", warns
