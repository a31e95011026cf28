"""The local engine: chunks scored in parallel by a process pool, each part written by its
worker, at most `2 * jobs` chunks in flight so memory stays bounded whatever the feed size.

Output order does not depend on completion order: every chunk lands in its own numbered
part file and the parts are assembled by index afterwards. Each worker loads the model once
(pool initializer); with `jobs == 1` everything runs in this process, with no pool at all.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager

from detector.feeds.readers import RawRow
from detector.scan.chunks import ScanOptions, init_worker, score_chunk_to_part
from detector.scan.resume import WorkDir

Chunks = Iterable[tuple[int, list[RawRow]]]
Progress = Callable[[int], None]
#: Test hook: stop (as if interrupted) after this many chunks were completed in this run.
STOP_AFTER_ENV = "DETECTOR_SCAN_STOP_AFTER_CHUNKS"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


class ScanInterrupted(RuntimeError):
    """The scan stopped early; completed chunks are kept for `--resume`."""


def stop_after() -> int | None:
    raw = os.environ.get(STOP_AFTER_ENV)
    return int(raw) if raw else None


@contextmanager
def single_threaded_children() -> Iterator[None]:
    """Workers (and, with --jobs 1, this process) run OpenMP/BLAS at one thread.

    Unless the user set these variables themselves; they are restored afterwards.

    Setting the limit at runtime (threadpoolctl) is not enough for the gradient-boosting
    predictor: its OpenMP runtime still spins; starting with OMP_NUM_THREADS=1 was measured
    ~30% faster on 2 cores. Processes are the parallelism; threads only oversubscribe.
    """
    saved = {name: os.environ.get(name) for name in THREAD_VARS}
    for name in THREAD_VARS:
        os.environ.setdefault(name, "1")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_local(chunks: Chunks, options: ScanOptions, work: WorkDir, jobs: int,
              progress: Progress) -> int:
    """Score every chunk into `work`; returns the number of rows scored in this run."""
    with single_threaded_children():
        return _run_local(chunks, options, work, jobs, progress)


def _run_local(chunks: Chunks, options: ScanOptions, work: WorkDir, jobs: int,
               progress: Progress) -> int:
    limit = stop_after()
    chunks = iter(chunks)
    if jobs > 1:
        # A feed of one chunk is scored here: a pool would start `jobs` processes that each
        # import and load the model (~1.3 s) to score it on one of them (issue 19).
        head = list(itertools.islice(chunks, 2))
        chunks = itertools.chain(head, chunks)
        if len(head) < 2:
            jobs = 1
    if jobs <= 1:
        init_worker(options.model_dir)
        rows = 0
        for done, (index, chunk) in enumerate(chunks, start=1):
            score_chunk_to_part(index, chunk, options, str(work.part(index)))
            rows += len(chunk)
            progress(len(chunk))
            if limit is not None and done >= limit:
                raise ScanInterrupted(f"stopped after {done} chunks ({STOP_AFTER_ENV})")
        return rows
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                               initializer=init_pool_worker, initargs=(options.model_dir,))
    pending: set[Future[tuple[int, int]]] = set()
    done = rows = 0

    def collect(block: bool) -> None:
        nonlocal done, rows
        finished, rest = wait(pending, return_when=FIRST_COMPLETED,
                              timeout=None if block else 0)
        pending.intersection_update(rest)
        for future in finished:
            _, count = future.result()
            rows += count
            done += 1
            progress(count)
        if limit is not None and done >= limit:
            raise ScanInterrupted(f"stopped after {done} chunks ({STOP_AFTER_ENV})")

    try:
        for index, chunk in chunks:
            while len(pending) >= 2 * jobs:
                collect(block=True)
            pending.add(pool.submit(score_chunk_to_part, index, chunk, options,
                                    str(work.part(index))))
        while pending:
            collect(block=True)
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
    return rows


def init_pool_worker(model_dir: str) -> None:
    """A pool worker ignores Ctrl-C: the terminal sends SIGINT to the whole process group,
    and the parent decides (it keeps finished parts and stops the workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(model_dir)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop now: cancel queued chunks and terminate the workers, without waiting for the
    chunks in flight (they may take seconds each; Ctrl-C took 26 s, issue 19). A part is
    written atomically, so a killed worker leaves only a temp file, removed on --resume.

    ProcessPoolExecutor has no public terminate: its worker processes are in `_processes`.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=2)
