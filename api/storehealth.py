"""Is the label store reachable? For readiness bodies, without ever making scoring wait on it.

Every store call the server makes anyway (feedback writes, the promotion watch) reports its
outcome here; when nothing has touched the store for MAX_AGE_S, asking for the state starts
one `SELECT 1` in a worker thread and waits for it at most WAIT_S (a store that hangs shows
as unreachable, and the ping finishes in the background). Anything that uses the store can
share one instance (`holder.store_health`) and call `ok()` / `failed(exc)`.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from starlette.concurrency import run_in_threadpool

from detector.labels.store import LabelStore

#: A check younger than this is reported as it is.
MAX_AGE_S = 5.0
#: How long a readiness request waits for a fresh ping.
WAIT_S = 0.5


class StoreHealth:
    def __init__(self, store: LabelStore, max_age_s: float = MAX_AGE_S) -> None:
        self.store = store
        self.max_age_s = max_age_s
        self._reachable: bool | None = None
        self._error: str | None = None
        self._checked = 0.0
        self._ping: asyncio.Task[None] | None = None

    def ok(self) -> None:
        self._reachable, self._error, self._checked = True, None, time.monotonic()

    def failed(self, exc: BaseException) -> None:
        cause = exc.__cause__ or getattr(exc, "orig", None) or exc
        first_line = (str(cause).strip().splitlines() or [""])[0][:200]
        self._reachable = False
        self._error = f"{type(cause).__name__}: {first_line}"
        self._checked = time.monotonic()

    @property
    def reachable(self) -> bool | None:
        return self._reachable

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

    async def state(self) -> dict[str, Any]:
        """{"reachable": bool, "error": str | None, "checked_seconds_ago": float}."""
        if time.monotonic() - self._checked >= self.max_age_s or self._reachable is None:
            if self._ping is None or self._ping.done():
                self._ping = asyncio.get_running_loop().create_task(self._check())
            try:
                await asyncio.wait_for(asyncio.shield(self._ping), WAIT_S)
            except TimeoutError:
                if self._reachable is None or time.monotonic() - self._checked > WAIT_S:
                    self._reachable, self._error = False, "no answer within " \
                        f"{WAIT_S:g} s"
        return {"reachable": bool(self._reachable), "error": self._error,
                "checked_seconds_ago": round(time.monotonic() - self._checked, 1)
                if self._checked else None}
