"""Coalescing concurrent single-posting requests into one `score_many` call.

Scoring has a large fixed cost per call (pandas/scikit-learn overhead): one posting costs
~8.5 ms of CPU, but 16 postings in one call ~1.4 ms each (measured 2026-12-01). So while a
batch is being scored, new requests queue up and go together in the
next call. An idle server adds no delay (a lone request is scored at once); a busy one gets
the throughput of batching. Verdicts do not depend on batch companions.

Under load, batches would split and stay split: while a batch of `a` is scored the other
`n - a` clients queue, go next as their own batch, and so on, each paying the fixed cost
(measured under `wrk -c32`, 2 workers, without this: 198 of 379 calls scored 4 postings
or fewer). So while the server is busy, each batch first waits (at most GATHER_S) until as
many requests are queued as were in play around the previous batch (its size plus those
queued behind it): the clients just answered are about to come back.

Where the tail went (issue 20, benchmarks/README.md), and what is done about it:
- calls used to be handed to a worker thread. With one core per worker that buys nothing
  but a GIL tug-of-war between the thread and the event loop: ~20% more CPU per request and
  a longer tail. Calls now run on the event loop itself, bounded in text (the loop reads
  the next requests as soon as a call returns; those already read wait as they would have
  behind a thread);
- a long posting (over LONG_CHARS of text, up to the 1 MB limit) is never batched: it is
  scored on its own in a worker thread, beside the loop, so short postings neither wait
  behind it nor share its call, and the loop keeps answering (health, metrics) meanwhile;
- a call also stops at BATCH_CHARS of text, so a batch of medium postings stays short;
- full garbage collections walked the whole model (~115 ms a stall): the heap is frozen
  once the model is loaded (api/model.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool

from api import metrics
from detector.core import Detector
from detector.schema import Posting
from detector.verdict import Verdict

#: Largest coalesced call: bounds the latency a request can wait behind others.
MAX_COALESCE = 16
#: How long a new batch waits at most for companions when the server is busy.
GATHER_S = 0.005
#: "Busy": the previous batch ended less than this long ago.
BUSY_S = 0.05
#: A posting with more text than this is scored alone in a worker thread (see above).
LONG_CHARS = 20_000
#: A coalesced call takes postings until their text adds up to this much.
BATCH_CHARS = 40_000


def text_size(posting: Posting) -> int:
    return sum(len(value) for value in posting.fields.values())


def score_many(detector: Detector, postings: Sequence[Posting]) -> list[Verdict]:
    """Blocking: a worker thread, or the event loop for a small call (Coalescer)."""
    return detector.score_many(list(postings))


class Coalescer:
    """Per process, per event loop: at most one coalesced call at a time, queued postings go
    in the next one; long postings are scored on their own in a worker thread."""

    def __init__(self, max_batch: int = MAX_COALESCE, gather_s: float = GATHER_S) -> None:
        self.max_batch = max_batch
        self.gather_s = gather_s
        self._queue: list[tuple[Posting, asyncio.Future[Verdict], int, float]] = []
        self._draining = False
        self._last_end = -1.0
        self._in_play = 1  # requests around the previous batch: its size + those queued behind
        self._target = 0  # while gathering: wake the drain when the queue reaches this
        self._full: asyncio.Event | None = None

    async def score(self, detector: Detector, posting: Posting) -> Verdict:
        size = text_size(posting)
        if size > LONG_CHARS:
            metrics.batch(1, (0.0,))
            (verdict,) = await run_in_threadpool(score_many, detector, [posting])
            metrics.verdicts((verdict,))
            return verdict
        future: asyncio.Future[Verdict] = asyncio.get_running_loop().create_future()
        self._queue.append((posting, future, size, time.perf_counter()))
        if self._full is not None and len(self._queue) >= self._target:
            self._full.set()
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain(detector))
        return await future

    def _take(self) -> list[tuple[Posting, asyncio.Future[Verdict], int, float]]:
        """The next call: up to max_batch postings and BATCH_CHARS of text (at least one)."""
        n, chars = 0, 0
        for _, _, size, _ in self._queue[: self.max_batch]:
            if n and chars + size > BATCH_CHARS:
                break
            n, chars = n + 1, chars + size
        taken = self._queue[:n]
        del self._queue[:n]
        return taken

    async def _drain(self, detector: Detector) -> None:
        try:
            while self._queue:
                await self._gather()
                taken = self._take()
                started = time.perf_counter()
                metrics.batch(len(taken), (started - t for _, _, _, t in taken))
                batch = [(p, f) for p, f, _, _ in taken if not f.done()]  # drop cancelled
                if batch:
                    self._score(detector, batch)
                    self._in_play = len(batch) + len(self._queue)
                    self._last_end = time.monotonic()
                # Let the loop send these answers and read new requests before the next call.
                await asyncio.sleep(0)
        finally:
            self._draining = False

    async def _gather(self) -> None:
        """While busy, wait briefly for the clients of the previous batch to come back."""
        now = time.monotonic()
        if now - self._last_end >= BUSY_S:
            return
        target = min(self.max_batch, self._in_play)
        if len(self._queue) >= target:
            return
        self._target = target
        self._full = asyncio.Event()  # per wait: bound to the running loop
        try:
            await asyncio.wait_for(self._full.wait(), self.gather_s)
        except TimeoutError:
            pass  # go with what came: a client that does not come back must not stall others
        finally:
            self._full = None

    def _score(
        self, detector: Detector, batch: list[tuple[Posting, asyncio.Future[Verdict]]]
    ) -> None:
        """On the event loop: a call holds at most BATCH_CHARS of text (milliseconds)."""
        try:
            verdicts = score_many(detector, [p for p, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                if not batch[0][1].done():
                    batch[0][1].set_exception(exc)
                return
            # One bad posting must not fail its companions: retry them one by one.
            for item in batch:
                self._score(detector, [item])
            return
        metrics.verdicts(verdicts)
        for (_, future), verdict in zip(batch, verdicts, strict=True):
            if not future.done():
                future.set_result(verdict)
