"""Optional API keys (api/keys.py) and per-minute rate limits (api/ratelimit.py).

Keys are compared in constant time and only ever logged as a short sha256 prefix.
"""

from __future__ import annotations

import hashlib
import math

from fastapi import Request

from api import metrics
from api.errors import ApiError
from api.keys import KeyRing
from api.ratelimit import RateLimiter
from detector.settings import Settings


def key_fingerprint(key: str) -> str:
    """What logs may show of a key: enough to tell keys apart, useless to an attacker."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


class Guard:
    """Runs before a handler reads the body: 401 for a bad key, 429 over the limit.

    Limits are counted per minute through api.ratelimit (Redis when configured, so every
    worker and replica shares one count): `score` for scoring and recording, per key (per
    client address when keys are off); `report` for /v1/report, always per client address.
    """

    def __init__(self, settings: Settings) -> None:
        self.keys = KeyRing(settings)
        self.limits = {"score": settings.rate_limit_per_minute,
                       "report": settings.report_rate_limit_per_minute}
        self.limiter = RateLimiter(settings.redis_url)

    def token(self, request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def _authenticate(self, request: Request) -> str | None:
        """The key's fingerprint, or None when keys are off."""
        if not self.keys.enabled:
            return None
        token = self.token(request)
        if not token:
            raise ApiError(
                401, "unauthorized", "missing API key: send 'Authorization: Bearer <key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not self.keys.match(token):
            raise ApiError(
                401, "unauthorized", "invalid API key", headers={"WWW-Authenticate": "Bearer"}
            )
        return key_fingerprint(token)

    def require_role(self, request: Request, role: str) -> str | None:
        """403 unless the request's key has `role` (keys off: anyone); the reviewer name."""
        if not self.keys.enabled:
            return None
        if role not in self.keys.roles_of(self.token(request)):
            raise ApiError(403, "forbidden",
                           f"this API key may not do this: it needs the '{role}' role "
                           f"(DETECTOR_API_KEYS=<key>:{role})")
        return f"key:{getattr(request.state, 'key', '')}"

    def authorize(self, request: Request, role: str) -> None:
        """401 without a valid key, 403 without `role`; not rate-limited (for scrapers)."""
        fingerprint = self._authenticate(request)
        if fingerprint:
            request.state.key = fingerprint
        self.require_role(request, role)

    async def check(self, request: Request, *, require_key: bool = True,
                    limit: str = "score") -> None:
        fingerprint = self._authenticate(request) if require_key else None
        if fingerprint:
            request.state.key = fingerprint
        per_minute = self.limits[limit]
        if per_minute <= 0:
            return
        caller = f"key:{fingerprint}" if fingerprint else f"ip:{client_ip(request)}"
        wait = await self.limiter.hit(limit, per_minute, caller)
        if wait is not None:
            metrics.rate_limited(limit)
            retry = max(1, math.ceil(wait))
            raise ApiError(
                429, "rate_limited",
                f"rate limit of {per_minute} requests per minute exceeded; "
                f"retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
