"""Per-minute rate limits counted in Redis (shared by every worker and replica) through the
`limits` library, or in this process's memory when no Redis is configured.

Fixed one-minute windows, one counter per (limit name, caller). When Redis cannot be reached
the limit fails open to this process's own in-memory counter: a Redis outage must not take
scoring down with it (failing closed would turn it into a full outage), and the per-process
counter still bounds a flood (N workers x the limit instead of the limit). A warning is logged
when that starts and when Redis is back; Redis is tried again after RETRY_S.
"""

from __future__ import annotations

import logging
import time
from functools import cache

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import StorageError

from api import metrics

log = logging.getLogger("api.ratelimit")
#: After a Redis failure, count locally this long before trying Redis again.
RETRY_S = 2.0
#: A Redis call slower than this counts as a failure (loopback or LAN round trips are ~0.1 ms).
REDIS_TIMEOUT_S = 0.25
PREFIX = "detector"


@cache
def per_minute(limit: int) -> RateLimitItem:
    return RateLimitItemPerMinute(limit)


class RateLimiter:
    def __init__(self, redis_url: str = "") -> None:
        self.redis_url = redis_url
        self.memory = FixedWindowRateLimiter(MemoryStorage())
        self.shared: FixedWindowRateLimiter | None = None
        if redis_url:
            url = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
            storage = RedisStorage(url, implementation="redispy", key_prefix=PREFIX,
                                   wrap_exceptions=True, socket_timeout=REDIS_TIMEOUT_S,
                                   socket_connect_timeout=REDIS_TIMEOUT_S)
            self.shared = FixedWindowRateLimiter(storage)
        self._down_since: float | None = None
        self._retry_at = 0.0

    @property
    def backend(self) -> str:
        return "redis" if self.shared is not None else "memory"

    async def hit(self, name: str, limit: int, caller: str) -> float | None:
        """Count one request; None if allowed, else seconds until the window resets."""
        item = per_minute(limit)
        if self.shared is not None and time.monotonic() >= self._retry_at:
            try:
                allowed = await self.shared.hit(item, name, caller)
                wait = None if allowed else await self._wait(self.shared, item, name, caller)
            except (StorageError, OSError, TimeoutError) as exc:
                self._failed(exc)
            else:
                if self._down_since is not None:
                    log.warning("rate limit: Redis is reachable again after %.0f s; limits "
                                "are shared across workers again",
                                time.monotonic() - self._down_since)
                    self._down_since = None
                return wait
        allowed = await self.memory.hit(item, name, caller)
        return None if allowed else await self._wait(self.memory, item, name, caller)

    def _failed(self, exc: BaseException) -> None:
        now = time.monotonic()
        self._retry_at = now + RETRY_S
        metrics.store_error("redis")
        if self._down_since is None:
            self._down_since = now
            cause = exc.__cause__ or exc
            log.warning("rate limit: Redis at %s unreachable (%s: %s); failing open to this "
                        "process's own in-memory count until it is back", _safe(self.redis_url),
                        type(cause).__name__, cause)

    @staticmethod
    async def _wait(limiter: FixedWindowRateLimiter, item: RateLimitItem, name: str,
                    caller: str) -> float:
        stats = await limiter.get_window_stats(item, name, caller)
        return max(0.0, stats.reset_time - time.time())


def _safe(url: str) -> str:
    """The URL without a password, for logs."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return scheme + sep + rest
