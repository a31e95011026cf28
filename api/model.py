"""The detector, loaded (and warmed up) off the event loop at startup or on first use,
never at import.

Health reports 503 until the load finishes; scoring requests wait for it. A failed load
(e.g. no artifact yet) is retried on a later request, so the server recovers without restart.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool

from api import metrics
from api.batcher import score_many
from api.errors import ApiError
from detector.campaigns.memory import CampaignMemory
from detector.core import Detector
from detector.flags import compile_rules
from detector.model.artifact import load_bundle
from detector.schema import parse_posting

log = logging.getLogger("api.model")
RETRY_AFTER_S = 5.0
#: Scored once at load so lazy work (jieba's dictionary, regexes) is not paid by a user.
WARM_UP = ({"text": "Data entry clerk, full time, Manchester."},
           {"text": "招聘数据标注员，全职，工作地点上海。"})


def new_detector(model_dir: Path, campaigns: CampaignMemory | None = None) -> Detector:
    """The model in `model_dir` (sha256-checked), loaded for this holder alone and warmed.

    Not `detector.core.get_detector`'s process-wide cache: that cache kept the first model a
    worker loaded alive for the worker's whole life, so after a promote and a rollback it
    held two copies of the shipped model (375 -> 528 MB per worker; issue 27,
    benchmarks/bench_reload_memory.py). The holder is the only owner of what it serves, and
    a reload frees what it replaces once the requests still using it finish."""
    bundle, card = load_bundle(model_dir)
    detector = Detector(bundle, card, campaigns)
    compile_rules()  # before the first request, not during it (once per process)
    score_many(detector, [parse_posting(example) for example in WARM_UP])
    return detector


def load_and_warm(model_dir: Path, campaigns: CampaignMemory | None = None) -> Detector:
    """The model with this server's campaign memory (issue 18), heap frozen after it."""
    detector = new_detector(model_dir, campaigns)
    freeze_heap()
    release_freed_memory()
    return detector


def release_freed_memory() -> None:
    """Hand the memory a replaced model freed back to the system (glibc's `malloc_trim`).

    A model is ~130k small objects (vocabularies, trees of the pipeline) allocated by the
    thread that loaded it; freed, they stay in that thread's malloc arena, and the next
    load, made by another thread of the pool, takes new memory. So a worker grew by a model
    per reload although nothing kept the old one alive (375 -> 548 MB after a promote and a
    rollback, `benchmarks/bench_reload_memory.py`). Trimming returns the free pages of every
    arena. A no-op where the C library has no `malloc_trim` (musl, macOS)."""
    import ctypes
    import ctypes.util

    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


def freeze_heap() -> None:
    """Move everything alive now (the model, the imported modules) out of the garbage
    collector's reach. A full collection walked the model's ~130k objects for ~115 ms,
    stalling every request in the worker: that was the p99 (benchmarks/README.md). Frozen
    objects are still freed by reference counting; only cycles among them wait for the next
    unfreeze (a reload does one, once)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class ModelHolder:
    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self._task: asyncio.Task[Detector] | None = None
        self._failed_at = 0.0
        self._detector: Detector | None = None
        #: The campaign memory scoring uses (None: the one the environment names).
        self.campaigns: CampaignMemory | None = None

    def start(self) -> None:
        """Begin loading in a worker thread, unless a load is running, done, or just failed."""
        if self._detector is not None:
            return
        if self._task is not None:
            if not self._task.done():
                return
            if time.monotonic() - self._failed_at < RETRY_AFTER_S:
                return
        self._task = asyncio.get_running_loop().create_task(self._load())

    def _load_target(self) -> Detector:
        """Blocking (worker thread): load what should be served."""
        return load_and_warm(self.model_dir, self.campaigns)

    async def readiness(self) -> dict[str, Any]:
        """Extra fields for the readiness body (the store's state, in ServingHolder)."""
        return {}

    async def _load(self) -> Detector:
        started = time.perf_counter()
        try:
            detector = await run_in_threadpool(self._load_target)
        except Exception as exc:
            self._failed_at = time.monotonic()
            log.error("model load failed: %s", exc)
            raise
        self._detector = detector
        # The finished task would hold its result, the first model, for the worker's whole
        # life, long after a reload replaced it (issue 27); `get` reads `_detector` now.
        self._task = None
        metrics.model_served(detector.model_version)
        log.info(
            "model %s loaded in %.1f s", detector.model_version, time.perf_counter() - started
        )
        return detector

    @property
    def ready(self) -> Detector | None:
        return self._detector

    def status_error(self) -> ApiError:
        task = self._task
        if task is not None and task.done() and task.exception() is not None:
            return ApiError(
                503, "model_unavailable", "the model could not be loaded (the server log "
                "says why: paths and files are not shown here); loading is retried",
                headers={"Retry-After": str(int(RETRY_AFTER_S))},
            )
        return ApiError(503, "not_ready", "the model is still loading; retry shortly",
                        headers={"Retry-After": "2"})

    async def get(self) -> Detector:
        """The loaded detector, waiting for a running load; 503 if loading failed."""
        if self._detector is not None:
            return self._detector
        self.start()
        task = self._task
        assert task is not None
        try:
            return await asyncio.shield(task)
        except Exception:
            raise self.status_error() from None
