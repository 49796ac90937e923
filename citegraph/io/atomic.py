"""Atomic output: write to a temporary file beside the target, then rename over it."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator, Union


@contextmanager
def atomic_open(path: Union[str, "os.PathLike[str]"], mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """Open ``path`` for writing so that readers see the old file or the whole new one, never a part.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_open(p) as f:
    ...     _ = f.write("whole")
    >>> p.read_text()
    'whole'
    >>> oct(p.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    True
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    binary = "b" in mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, mode, **({} if binary else {"encoding": encoding, "newline": ""})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    """The process's umask, read without changing it: setting it to probe (``os.umask``) would make what other
    threads create meanwhile world-writable. Linux says it in /proc; elsewhere the mask probed at import."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return _IMPORT_UMASK


def _probe_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: probed once, when the module is imported (before any thread of the library writes)
_IMPORT_UMASK = _probe_umask()


def atomic_write(path: Union[str, "os.PathLike[str]"], data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically."""
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
