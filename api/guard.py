"""Optional API keys and an in-memory fixed-window rate limit for the scoring endpoints.

Keys are compared in constant time and only ever logged as a short sha256 prefix.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable

from fastapi import Request

from api.errors import ApiError
from detector.settings import Settings


def key_fingerprint(key: str) -> str:
    """What logs may show of a key: enough to tell keys apart, useless to an attacker."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


class FixedWindowLimiter:
    """`limit` requests per `window` seconds per caller; the whole table resets each window,
    so memory is bounded by the callers seen in one window."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._current = -1
        self._counts: dict[str, int] = {}

    def hit(self, caller: str) -> float | None:
        """Count one request; None if allowed, else seconds until the window resets."""
        now = self.clock()
        window = int(now // self.window)
        if window != self._current:
            self._current = window
            self._counts = {}
        count = self._counts.get(caller, 0) + 1
        self._counts[caller] = count
        if count <= self.limit:
            return None
        return (window + 1) * self.window - now


class Guard:
    """Runs before a scoring handler reads the body: 401 for a bad key, 429 over the limit."""

    def __init__(self, settings: Settings) -> None:
        self.keys = tuple(settings.api_keys)
        self.limiter = (
            FixedWindowLimiter(settings.rate_limit_per_minute)
            if settings.rate_limit_per_minute > 0
            else None
        )

    def _authenticate(self, request: Request) -> str | None:
        """The key's fingerprint, or None when keys are off."""
        if not self.keys:
            return None
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise ApiError(
                401, "unauthorized", "missing API key: send 'Authorization: Bearer <key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        supplied = token.encode("utf-8")
        matched = False
        for key in self.keys:
            matched |= hmac.compare_digest(supplied, key.encode("utf-8"))
        if not matched:
            raise ApiError(
                401, "unauthorized", "invalid API key", headers={"WWW-Authenticate": "Bearer"}
            )
        return key_fingerprint(token)

    def check(self, request: Request, *, require_key: bool = True) -> None:
        fingerprint = self._authenticate(request) if require_key else None
        if fingerprint:
            request.state.key = fingerprint
        if self.limiter is None:
            return
        caller = f"key:{fingerprint}" if fingerprint else f"ip:{client_ip(request)}"
        wait = self.limiter.hit(caller)
        if wait is not None:
            retry = max(1, math.ceil(wait))
            raise ApiError(
                429, "rate_limited",
                f"rate limit of {self.limiter.limit} requests per minute exceeded; "
                f"retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
