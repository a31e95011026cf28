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
from detector.core import Detector, get_detector
from detector.schema import parse_posting

log = logging.getLogger("api.model")
RETRY_AFTER_S = 5.0
#: Scored once at load so lazy work (jieba's dictionary, regexes) is not paid by a user.
WARM_UP = ({"text": "Data entry clerk, full time, Manchester."},
           {"text": "招聘数据标注员，全职，工作地点上海。"})


def load_and_warm(model_dir: Path, campaigns: CampaignMemory | None = None) -> Detector:
    """The model (loaded once per process) with this server's campaign memory (issue 18)."""
    detector = get_detector(model_dir).using(campaigns)
    score_many(detector, [parse_posting(example) for example in WARM_UP])
    freeze_heap()
    return detector


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
