"""Is the label store reachable, and does it take writes? For readiness bodies, without ever
making scoring wait on it.

Every store call the server makes anyway (feedback writes, the promotion watch) reports its
outcome here; when nothing has touched the store for MAX_AGE_S, asking for the state starts
one `SELECT 1` in a worker thread and waits for it at most WAIT_S (a store that hangs shows
as unreachable, and the ping finishes in the background). Anything that uses the store can
share one instance (`holder.store_health`) and call `ok()` / `failed(exc)` for reads and
`wrote()` / `write_failed(exc)` for writes.

Reads and writes are told apart (issue 24): a store that answers reads but refuses writes
(read-only, disk full) was shown reachable after every poll and unreachable after every
refused write, flapping twice a second. Now `reachable` follows reads and `writable` follows
writes: once a write is refused, `writable` stays false (with its reason) until a write
succeeds, and while it is false the state is rechecked at most every MAX_AGE_S with a no-op
write that is rolled back (`LabelStore.check_writable`).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.concurrency import run_in_threadpool

from detector.labels.store import LabelStore, StoreUnavailable

#: A check younger than this is reported as it is.
MAX_AGE_S = 5.0
#: How long a readiness request waits for a fresh ping.
WAIT_S = 0.5


def describe(exc: BaseException) -> str:
    cause = exc.__cause__ or getattr(exc, "orig", None) or exc
    first_line = (str(cause).strip().splitlines() or [""])[0][:200]
    return f"{type(cause).__name__}: {first_line}"


class StoreHealth:
    def __init__(self, store: LabelStore, max_age_s: float = MAX_AGE_S) -> None:
        self.store = store
        self.max_age_s = max_age_s
        self._reachable: bool | None = None
        self._error: str | None = None
        self._reason: str | None = None  # a short word for everyone, when one is known
        self._checked = 0.0
        self._ping: asyncio.Task[None] | None = None
        self._writable: bool | None = None
        self._write_error: str | None = None
        self._write_checked = 0.0
        self._probe: asyncio.Task[None] | None = None

    def ok(self) -> None:
        self._reachable, self._error, self._checked = True, None, time.monotonic()
        self._reason = None

    def failed(self, exc: BaseException) -> None:
        self._reachable = False
        self._error = describe(exc)
        self._reason = "file_missing" if isinstance(exc, StoreUnavailable) else None
        self._checked = time.monotonic()

    def wrote(self) -> None:
        """A write was committed: the store is reachable and takes writes."""
        self.ok()
        self._writable, self._write_error = True, None
        self._write_checked = time.monotonic()

    def write_failed(self, exc: BaseException) -> None:
        """A write was refused or could not reach the store."""
        self._writable = False
        self._write_error = describe(exc)
        self._write_checked = time.monotonic()

    @property
    def reachable(self) -> bool | None:
        return self._reachable

    @property
    def writable(self) -> bool | None:
        return self._writable

    @property
    def error(self) -> str | None:
        return self._error

    async def _check(self) -> None:
        try:
            await run_in_threadpool(self.store.ping)
        except Exception as exc:  # any failure to answer is "unreachable", with its reason
            self.failed(exc)
        else:
            self.ok()

    async def _check_write(self) -> None:
        try:
            await run_in_threadpool(self.store.check_writable)
        except Exception as exc:  # still refusing: say why, steadily
            self.write_failed(exc)
        else:
            self.wrote()

    async def _wait(self, task: asyncio.Task[None]) -> bool:
        try:
            await asyncio.wait_for(asyncio.shield(task), WAIT_S)
        except TimeoutError:
            return False
        return True

    async def state(self) -> dict[str, Any]:
        """{"reachable": bool, "writable": bool | None, "error": str | None,
        "checked_seconds_ago": float}; `writable` is None until a write was tried."""
        loop = asyncio.get_running_loop()
        if time.monotonic() - self._checked >= self.max_age_s or self._reachable is None:
            if self._ping is None or self._ping.done():
                self._ping = loop.create_task(self._check())
            if not await self._wait(self._ping) and (
                    self._reachable is None or time.monotonic() - self._checked > WAIT_S):
                self._reachable, self._error = False, f"no answer within {WAIT_S:g} s"
        if self._writable is False and self._reachable and \
                time.monotonic() - self._write_checked >= self.max_age_s:
            if self._probe is None or self._probe.done():
                self._probe = loop.create_task(self._check_write())
            await self._wait(self._probe)  # a hanging probe keeps the last answer
        error = self._error if not self._reachable else self._write_error \
            if self._writable is False else None
        return {"reachable": bool(self._reachable), "writable": self._writable,
                "error": error, **({"reason": self._reason} if self._reason and
                                   not self._reachable else {}),
                "checked_seconds_ago": round(time.monotonic() - self._checked, 1)
                if self._checked else None}
