"""Input expansion: the paths a user names to the files to read, without ever raising.

Directories are walked recursively in sorted order (deterministic output), hidden files and
directories (a name starting with ``.``) are skipped, symbolic links are followed but a directory
already visited (a symlink loop, or two links to one place) is not walked twice, and every problem
(a missing path, a directory that cannot be listed, a special file) comes out as a
:class:`~citegraph.io.read.ReadError` in the stream instead of stopping it.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable, Iterator, Union

from citegraph.io.document import SUFFIXES, ReadError, display_name

PathLike = Union[str, "os.PathLike[str]"]


def iter_inputs(paths: Iterable[PathLike], *, suffixes: frozenset[str] | None = SUFFIXES
                ) -> Iterator[Path | ReadError]:
    """Expand files and directories to the files to read, in a deterministic order.

    Parameters
    ----------
    paths : iterable of path
        Files and directories as the user named them. A file named explicitly is yielded whatever its
        suffix (even hidden); files found in directories only when their suffix is in ``suffixes``
        (None: every file).
    suffixes : frozenset of str or None
        Lower-case suffixes (with the dot) of the files to take from directories.

    Yields
    ------
    Path or ReadError
        A file to read, or the error for a path that cannot be used (never raised).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for rel in ["b/2.txt", "a.txt", "b/1.docx", ".hidden/x.txt", "b/.secret.txt", "b/notes.png"]:
    ...     (d / rel).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (d / rel).write_text("x")
    >>> (d / "b" / "loop").symlink_to(d)
    >>> [str(p.relative_to(d)) if isinstance(p, Path) else p for p in iter_inputs([d])]
    ['a.txt', 'b/1.docx', 'b/2.txt']
    >>> [str(x).replace(str(d), "D") for x in iter_inputs([d / "missing.txt", d / "a.txt"])]
    ['D/missing.txt: no such file', 'D/a.txt']
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        try:
            st = path.stat()
        except FileNotFoundError:
            yield ReadError(f"{display_name(path)}: {'broken symbolic link' if path.is_symlink() else 'no such file'}")
            continue
        except PermissionError:
            yield ReadError(f"{display_name(path)}: permission denied")
            continue
        except OSError as e:  # ELOOP on a self-referencing link, ENAMETOOLONG ...
            yield ReadError(f"{display_name(path)}: cannot access ({e.strerror or e})")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, st, suffixes, seen_dirs, seen_files)
        elif (st.st_dev, st.st_ino) not in seen_files:
            seen_files.add((st.st_dev, st.st_ino))
            if stat.S_ISREG(st.st_mode) and not os.access(path, os.R_OK):
                yield ReadError(f"{display_name(path)}: permission denied")
            else:
                yield path  # a special file named explicitly: the reader says what it is


def _walk(root: Path, root_st: os.stat_result, suffixes: frozenset[str] | None,
          seen_dirs: set[tuple[int, int]], seen_files: set[tuple[int, int]]) -> Iterator[Path | ReadError]:
    """Depth-first, sorted by name, iterative (no recursion limit on deep trees)."""
    key = (root_st.st_dev, root_st.st_ino)
    if key in seen_dirs:
        return
    seen_dirs.add(key)
    stack: list[Iterator[Path | ReadError]] = [_list(root, suffixes, seen_dirs, seen_files)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, tuple):  # a subdirectory to descend into
            stack.append(_list(item[0], suffixes, seen_dirs, seen_files))
        else:
            yield item


def _list(directory: Path, suffixes: frozenset[str] | None, seen_dirs: set[tuple[int, int]],
          seen_files: set[tuple[int, int]]) -> Iterator:
    try:
        names = sorted(os.listdir(directory))
    except PermissionError:
        yield ReadError(f"{display_name(directory)}: permission denied (directory not listed)")
        return
    except OSError as e:
        yield ReadError(f"{display_name(directory)}: cannot list directory ({e.strerror or e})")
        return
    for name in names:
        if name.startswith("."):
            continue
        path = directory / name
        try:
            st = path.stat()
        except FileNotFoundError:
            if path.is_symlink():
                yield ReadError(f"{display_name(path)}: broken symbolic link")
            continue  # vanished while walking
        except PermissionError:
            yield ReadError(f"{display_name(path)}: permission denied")
            continue
        except OSError as e:
            yield ReadError(f"{display_name(path)}: cannot access ({e.strerror or e})")
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue  # symlink loop or a second link to a directory already walked
            seen_dirs.add(key)
            yield (path,)
            continue
        if suffixes is not None and path.suffix.lower() not in suffixes:
            continue
        fkey = (st.st_dev, st.st_ino)
        if fkey in seen_files:
            continue
        seen_files.add(fkey)
        if not stat.S_ISREG(st.st_mode):
            yield ReadError(f"{display_name(path)}: not a regular file")
            continue
        if not os.access(path, os.R_OK):
            yield ReadError(f"{display_name(path)}: permission denied")
            continue
        yield path


__all__ = ["iter_inputs"]
