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
import gc
import multiprocessing
import os
import signal
import sys
from collections import deque
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Union

from citegraph.extraction.models import Extraction
from citegraph.extraction.pipeline import extract
from citegraph.io.read import ReadError, read

__all__ = ["extract_many", "extract_one", "input_size", "warm", "worker_pool", "workers_for"]

PathLike = Union[str, "os.PathLike[str]"]


def extract_one(path: Any, func: Callable[[Any], Any] | None = None, keep_text: bool = True,
                render: Callable[[Any, Any], Any] | None = None) -> Any:
    """Extract one document, returning a :class:`ReadError` instead of raising one.

    Any other exception raised while extracting (or rendering) is reported the same way (a ``ReadError``
    naming the file and the error), so one bad file does not stop a batch of thousands. ``render``, if
    given, is applied to the input and its result, and what it returns is the answer (see
    :func:`extract_many`).

    >>> extract_one("/no/such/file.txt", func=len).args[0]
    '/no/such/file.txt: no such file'
    >>> extract_one("Chỉ thị số 33/CT-TTg", render=lambda p, x: x.references[0].symbol)
    '33/CT-TTg'
    """
    fn = func or extract
    try:
        if func is not None and isinstance(path, (str, os.PathLike)) and not isinstance(path, bytes):
            doc = read(path)
            result = fn(doc.text)
        else:
            result = fn(path)
        if not keep_text and isinstance(result, Extraction):
            result.text = ""
        return result if render is None else render(path, result)
    except ReadError as e:
        return e
    except Exception as e:  # noqa: BLE001 - reported per file, the batch goes on
        return ReadError(f"{path}: extraction failed ({type(e).__name__}: {e})")


def _extract_chunk(paths: list[Any], func: Callable[[Any], Any] | None, keep_text: bool,
                   render: Callable[[Any, Any], Any] | None = None) -> list[Any]:
    return [extract_one(p, func, keep_text, render) for p in paths]


def extract_many(paths: Iterable[PathLike], *, executor: Executor | None = None, workers: int | None = None,
                 progress: bool | None = None, chunksize: int = 8, max_in_flight: int | None = None,
                 keep_text: bool = True, func: Callable[[Any], Any] | None = None,
                 total: int | None = None, render: Callable[[Any, Any], Any] | None = None) -> Iterator[Any]:
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
        Processes of the default pool (:func:`worker_pool`; default: the number of CPUs). ``workers=1``
        with no executor runs everything in this process (:func:`workers_for` chooses by the inputs' size).
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
    render : callable, optional
        ``render(input, result)`` is applied where the extraction ran (in the worker) and its return value
        is yielded instead of the result: a compact answer (a finished JSON line, an extraction without its
        text) costs the parent less to receive than an object tree. Picklable (module level, or a
        ``functools.partial`` of one) for process and cluster executors.

    Yields
    ------
    Extraction, what ``render`` returns, or ReadError
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
                r = extract_one(p, func, keep_text, render)
                if bar is not None:  # before the yield: a consumer may stop after the last result
                    bar.update(1)
                yield r
            return
        own = executor is None
        n_workers = workers or os.cpu_count() or 1
        ex: Executor = executor if executor is not None else worker_pool(n_workers, ready=func is None)
        limit = max_in_flight or 4 * n_workers
        it = iter(paths)
        pending: deque[Future[list[Any]]] = deque()
        try:
            while True:
                while len(pending) < limit:
                    chunk = list(islice(it, chunksize))
                    if not chunk:
                        break
                    pending.append(ex.submit(_extract_chunk, chunk, func, keep_text, render))
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


#: an input of this many bytes or more is worth a worker process of its own (see :func:`workers_for`): a
#: worker forked from a warmed parent costs a few milliseconds, what extraction does with ~100 KB of text
BYTES_PER_WORKER = 256 * 1024

#: a short text that takes extraction through every stage, so that :func:`warm` compiles what they use
_WARM_TEXT = """ỦY BAN NHÂN DÂN TỈNH BÌNH PHƯỚC
Số: 5/KH-UBND
Bình Phước, ngày 01 tháng 5 năm 2024
KẾ HOẠCH
Thực hiện Chỉ thị số 33/CT-TTg ngày 26/11/2021 của Thủ tướng Chính phủ
Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Nghị quyết số 25-NQ/TW (sau đây
gọi là Nghị quyết 25); Quyết định nêu trên được sửa đổi, bổ sung bởi Quyết định số 7/2020/QĐ-UBND.
Bãi bỏ các văn bản sau đây:
1. Thông tư số 3/2019/TT-BTC.
"""


def warm() -> None:
    """Make this process ready to extract: load the vocabularies and compile the patterns (each is built
    on first use). A pool made after it by :func:`worker_pool` forks workers that start ready, instead of
    each compiling them again.

    >>> warm()
    """
    extract(_WARM_TEXT)


def input_size(x: Any) -> int:
    """The size of an input in bytes, as far as it is cheap to tell: a file's size on disk, a text's length
    (a :class:`~citegraph.io.document.Document`'s or an extraction's text too); 0 when it cannot be told.

    >>> from pathlib import Path
    >>> input_size("Chỉ thị"), input_size(b"abc"), input_size(Path("/no/such/file.txt"))
    (7, 3, 0)
    """
    if isinstance(x, (bytes, bytearray)):
        return len(x)
    if isinstance(x, Path) or (isinstance(x, str) and "\n" not in x and len(x) < 1024 and os.path.isfile(x)):
        try:
            return os.stat(x).st_size
        except (OSError, ValueError):
            return 0
    text = x if isinstance(x, str) else getattr(x, "text", None)
    return len(text) if isinstance(text, str) else 0


def workers_for(sizes: Iterable[int], cpus: int | None = None) -> int:
    """How many worker processes inputs of these sizes (bytes) are worth: one per :data:`BYTES_PER_WORKER`,
    no more than the inputs nor the CPUs; 1 means extracting in this process, with no pool at all.

    >>> workers_for([10_000] * 300, cpus=2), workers_for([10_000] * 20, cpus=2), workers_for([2**30], cpus=4)
    (2, 1, 1)
    """
    sizes = list(sizes)
    by_bytes = sum(sizes) // BYTES_PER_WORKER
    return max(1, min(cpus or os.cpu_count() or 1, len(sizes), by_bytes))


def worker_pool(workers: int, ready: bool = True) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that end with this process and, with ``ready``, start ready to extract.

    Where processes can be forked (Linux), this process is made ready first (:func:`warm`) and the workers
    are forked from it: they neither import nor compile anything again. Elsewhere each worker warms itself
    as it starts. A pool for another function than extraction (``ready=False``) is not warmed.
    """
    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        if ready:
            warm()
        gc.freeze()  # the workers' collections leave the parent's objects alone: no copy-on-write of its pages
        return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=die_with_parent, initargs=(os.getpid(),))
    return ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(os.getpid(), ready))


def _start_worker(parent: int, ready: bool) -> None:
    die_with_parent(parent)
    if ready:
        warm()


def die_with_parent(parent: int) -> None:
    """Make this worker process end when its parent does, even by ``kill -9`` (Linux: ``PR_SET_PDEATHSIG``).

    A pool's workers otherwise wait forever on a queue nobody writes to. Where the call is not available the
    worker simply does not get the signal.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)  # this process's own symbols, libc's among them
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
