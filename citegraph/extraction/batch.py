"""Extraction of many documents: parallel, streaming, in input order, on any executor.

:func:`extract_many` sends the documents to worker processes in small chunks and keeps only a
bounded number of chunks in flight, so memory stays flat however many documents there are;
results come back in the order of the input. Any :class:`concurrent.futures.Executor` runs it:
the default :class:`~concurrent.futures.ProcessPoolExecutor`, a thread pool, a Dask cluster
(``distributed.Client(...).get_executor()``) or Ray (``ray.util.multiprocessing`` / an executor
adapter) — the work is a plain module-level function of picklable arguments.

Examples
--------
>>> from citegraph.extraction.batch import extract_many
>>> results = list(extract_many(["/no/such/file.txt"], workers=1, func=len))
>>> type(results[0]).__name__
'ReadError'
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Union

from citegraph.extraction.models import Extraction
from citegraph.extraction.pipeline import extract
from citegraph.io.read import ReadError, read

__all__ = ["extract_many", "extract_one"]

PathLike = Union[str, "os.PathLike[str]"]


def extract_one(path: Any, func: Callable[[Any], Any] | None = None, keep_text: bool = True) -> Any:
    """Extract one document, returning a :class:`ReadError` instead of raising one.

    Any other exception raised while extracting is reported the same way (a ``ReadError`` naming
    the file and the error), so one bad file does not stop a batch of thousands.

    >>> extract_one("/no/such/file.txt", func=len).args[0]
    '/no/such/file.txt: no such file'
    """
    fn = func or extract
    try:
        if func is not None and isinstance(path, (str, os.PathLike)) and not isinstance(path, bytes):
            doc = read(path)
            result = fn(doc.text)
        else:
            result = fn(path)
    except ReadError as e:
        return e
    except Exception as e:  # noqa: BLE001 - reported per file, the batch goes on
        return ReadError(f"{path}: extraction failed ({type(e).__name__}: {e})")
    if not keep_text and isinstance(result, Extraction):
        result.text = ""
    return result


def _extract_chunk(paths: list[Any], func: Callable[[Any], Any] | None, keep_text: bool) -> list[Any]:
    return [extract_one(p, func, keep_text) for p in paths]


def extract_many(paths: Iterable[PathLike], *, executor: Executor | None = None, workers: int | None = None,
                 progress: bool | None = None, chunksize: int = 8, max_in_flight: int | None = None,
                 keep_text: bool = True, func: Callable[[Any], Any] | None = None,
                 total: int | None = None) -> Iterator[Union[Extraction, ReadError]]:
    """Extract many documents in parallel; yield one result per input, in input order.

    Parameters
    ----------
    paths : iterable of paths (or texts, or Documents)
        Read lazily: a generator of a million paths is fine.
    executor : concurrent.futures.Executor, optional
        Where the work runs. By default a ``ProcessPoolExecutor`` of ``workers`` processes, created
        and shut down here; a given executor is used as is and left open (for instance
        ``distributed.Client(cluster).get_executor()`` for a Dask cluster).
    workers : int, optional
        Processes of the default pool (default: the number of CPUs). ``workers=1`` with no executor
        runs everything in this process.
    progress : bool, optional
        Show a tqdm progress bar on stderr. By default it shows on long runs (after two seconds)
        when stderr is a terminal, and stays quiet otherwise.
    chunksize : int
        Documents per task (fewer, larger messages between processes).
    max_in_flight : int, optional
        Chunks submitted but not yet yielded (default: four per worker). Bounds memory.
    keep_text : bool
        Keep ``Extraction.text`` (set it to ``""`` to send less data back from the workers).
    func : callable, optional
        Extraction function applied to each document (default ``citegraph.extract``). A custom
        function is given the document's text, after :func:`citegraph.read`; it must be picklable
        (module level) for process and cluster executors.
    total : int, optional
        Number of documents, for the progress bar when ``paths`` has no length.

    Yields
    ------
    Extraction or ReadError
        A :class:`ReadError` (not raised) for a file that cannot be read or extracted.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with ThreadPoolExecutor(2) as ex:
    ...     out = list(extract_many(["/a.txt", "/b.txt"], executor=ex, func=len))
    >>> [str(e).split(":")[0] for e in out]
    ['/a.txt', '/b.txt']
    """
    if chunksize < 1:
        raise ValueError("chunksize must be >= 1")
    if total is None and hasattr(paths, "__len__"):
        total = len(paths)  # type: ignore[arg-type]
    bar = _progress_bar(progress, total)
    try:
        if executor is None and workers == 1:
            for p in paths:
                r = extract_one(p, func, keep_text)
                if bar is not None:  # before the yield: a consumer may stop after the last result
                    bar.update(1)
                yield r
            return
        own = executor is None
        ex: Executor = executor if executor is not None else ProcessPoolExecutor(
            max_workers=workers or os.cpu_count() or 1, initializer=die_with_parent, initargs=(os.getpid(),))
        n_workers = workers or os.cpu_count() or 1
        limit = max_in_flight or 4 * n_workers
        it = iter(paths)
        pending: deque[Future[list[Any]]] = deque()
        try:
            while True:
                while len(pending) < limit:
                    chunk = list(islice(it, chunksize))
                    if not chunk:
                        break
                    pending.append(ex.submit(_extract_chunk, chunk, func, keep_text))
                if not pending:
                    break
                for r in pending.popleft().result():
                    if bar is not None:  # before the yield: a consumer that stops after the last result
                        bar.update(1)    # closes this generator there (the bar stopped at 2999/3000)
                    yield r
        finally:
            for f in pending:
                f.cancel()
            if own:
                ex.shutdown(wait=True, cancel_futures=True)
    finally:
        if bar is not None:
            bar.close()


def die_with_parent(parent: int) -> None:
    """Make this worker process end when its parent does, even by ``kill -9`` (Linux: ``PR_SET_PDEATHSIG``).

    A pool's workers otherwise wait forever on a queue nobody writes to. Where the call is not available the
    worker simply does not get the signal.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            return
    if os.getppid() != parent:  # the parent died before the call took effect
        os._exit(1)


def _progress_bar(progress: bool | None, total: int | None) -> Any:
    if progress is False:
        return None
    if progress is None and not _stderr_is_tty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="extract", delay=0 if progress else 2.0, file=sys.stderr,
                dynamic_ncols=True)


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
