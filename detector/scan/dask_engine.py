"""The Dask engine: the same chunk function as the local engine, run on Dask workers.

Without `--scheduler` a `LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True)`
is started for the scan and closed after it. With `--scheduler tcp://host:8786` the scan uses
an existing cluster. Either way the model is loaded once per worker process, from the model
directory path (`DETECTOR_MODEL_DIR` or the project's `models/`), before the first chunk:
on a real cluster that path must be readable by every worker (shared storage, or the same
image). Workers return records; this process writes the parts, so the workers need no
access to the output location. At most `2 * workers` chunks are in flight.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from detector.feeds.readers import RawRow
from detector.scan.chunks import ScanOptions, init_worker, score_rows, write_part
from detector.scan.engine import STOP_AFTER_ENV, Chunks, Progress, ScanInterrupted, stop_after
from detector.scan.resume import WorkDir


def _score_indexed(index: int, rows: list[RawRow],
                   options: ScanOptions) -> tuple[int, int, list[dict[str, Any]]]:
    return index, len(rows), score_rows(rows, options)


def _check_model_dir(model_dir: str) -> str:
    """Runs on each worker: fail with a clear message if the model path is not visible there."""
    import socket

    from detector.model.artifact import has_artifact

    if not has_artifact(Path(model_dir)):
        raise FileNotFoundError(
            f"worker on {socket.gethostname()} cannot read the model at {model_dir}; put it on "
            "shared storage and set DETECTOR_MODEL_DIR to that path"
        )
    init_worker(model_dir)
    return model_dir


def run_dask(chunks: Chunks, options: ScanOptions, work: WorkDir, jobs: int,
             progress: Progress, scheduler: str | None = None) -> int:
    """Score every chunk on a Dask cluster into `work`; returns rows scored in this run."""
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    limit = stop_after()
    try:
        client.run(_check_model_dir, options.model_dir)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        queue = as_completed()
        in_flight = done = rows = 0

        def collect() -> None:
            nonlocal in_flight, done, rows
            future = next(queue)
            index, count, records = future.result()
            future.release()
            write_part(work.part(index), records)
            in_flight -= 1
            rows += count
            done += 1
            progress(count)
            if limit is not None and done >= limit:
                raise ScanInterrupted(f"stopped after {done} chunks ({STOP_AFTER_ENV})")

        for index, chunk in chunks:
            while in_flight >= 2 * workers:
                collect()
            [data] = client.scatter([chunk], hash=False)
            queue.add(client.submit(_score_indexed, index, data, options, pure=False))
            in_flight += 1
        while in_flight:
            collect()
        return rows
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
