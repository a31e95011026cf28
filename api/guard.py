"""Who may do what (API keys through the one registry, api/keys.py) and per-minute rate
limits (api/ratelimit.py).

Closed by default: with no keys configured, scoring is open and decisions, reload and
metrics are refused (403, saying how to make a moderator key), unless the trial opt-in
(`detector serve --open-decisions-for-trial`) opens them. Keys are compared in constant
time and only ever logged as a short sha256 prefix.
"""

from __future__ import annotations

import math

from fastapi import Request

from api import metrics
from api.errors import ApiError
from api.keys import Caller, KeyRegistry
from api.ratelimit import RateLimiter
from detector.apikeys import fingerprint as key_fingerprint
from detector.settings import Settings

__all__ = ["Guard", "client_ip", "key_fingerprint"]
#: What each role is needed for, in a 403's message.
NEEDED_FOR = {"score": "scoring", "moderator": "recording decisions",
              "admin": "reloading the model", "metrics": "reading /metrics"}


def no_keys_message(role: str) -> str:
    """The 403 of a closed route on a server without keys: how to open it properly."""
    return (f"{NEEDED_FOR.get(role, role)} needs an API key with the '{role}' role, and this "
            "server has no API keys configured, so nobody may. Make one with "
            f"`detector keys add --role {role} --file /path/to/api-keys` (it prints the key "
            "once), start the server with DETECTOR_API_KEYS_FILE=/path/to/api-keys and send "
            "'Authorization: Bearer <key>'. For a trial on your own machine only: "
            "`detector serve --open-decisions-for-trial`.")


class Guard:
    """Runs before a handler reads the body: 401 for a missing or wrong key (when keys are
    configured), 403 for a role the caller lacks, 429 over the limit.

    Limits are counted per minute through api.ratelimit (Redis when configured, so every
    worker and replica shares one count): `score` for scoring and recording, per key (per
    client address without a key); `report` for /v1/report, always per client address.
    """

    def __init__(self, settings: Settings) -> None:
        self.keys = KeyRegistry(settings)
        self.limits = {"score": settings.rate_limit_per_minute,
                       "report": settings.report_rate_limit_per_minute}
        self.limiter = RateLimiter(settings.redis_url)

    @staticmethod
    def token(request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def caller(self, request: Request) -> Caller:
        """The request's caller (remembered on the request); 401 when keys are configured
        and the key is missing or unknown. Without keys, a key sent is ignored."""
        known = getattr(request.state, "caller", None)
        if isinstance(known, Caller):
            return known
        if not self.keys.enabled:
            caller = self.keys.anonymous()
        else:
            token = self.token(request)
            if not token:
                raise ApiError(
                    401, "unauthorized", "missing API key: send 'Authorization: Bearer <key>'",
                    headers={"WWW-Authenticate": "Bearer"})
            found = self.keys.lookup(token)
            if found is None:
                raise ApiError(401, "unauthorized", "invalid API key",
                               headers={"WWW-Authenticate": "Bearer"})
            caller = found
        request.state.caller = caller
        if caller.fingerprint:
            request.state.key = caller.fingerprint
        return caller

    def known_caller(self, request: Request) -> Caller:
        """For open routes that show more to some keys (health, model card, the page):
        the caller, or an anonymous one for a missing or unknown key (never 401)."""
        try:
            return self.caller(request)
        except ApiError:
            return self.keys.anonymous()

    def has_role(self, request: Request, role: str) -> bool:
        return role in self.known_caller(request).roles

    def require_role(self, request: Request, role: str) -> Caller:
        """401 as `caller`, then 403 unless the caller has `role`."""
        caller = self.caller(request)
        if role in caller.roles:
            return caller
        if not self.keys.enabled:
            raise ApiError(403, "forbidden", no_keys_message(role))
        held = ", ".join(sorted(caller.roles)) or "none"
        raise ApiError(403, "forbidden",
                       f"this API key may not do this: {NEEDED_FOR.get(role, role)} needs the "
                       f"'{role}' role, and this key has: {held} "
                       f"(`detector keys add --role {role}` makes such a key)")

    def authorize(self, request: Request, role: str) -> Caller:
        """401 without a valid key, 403 without `role`; not rate-limited (for scrapers)."""
        return self.require_role(request, role)

    @staticmethod
    def reviewer(caller: Caller) -> str | None:
        """Who recorded a decision: the key's fingerprint (no key: the body may say)."""
        return f"key:{caller.fingerprint}" if caller.fingerprint else None

    async def check(self, request: Request, *, require_key: bool = True,
                    limit: str = "score", role: str = "score") -> Caller:
        """`require_role(role)` (skipped for the open page and /v1/report: `require_key`
        False), then the per-minute limit."""
        caller = self.require_role(request, role) if require_key else self.keys.anonymous()
        per_minute = self.limits[limit]
        if per_minute <= 0:
            return caller
        fingerprint = caller.fingerprint if require_key else None
        who = f"key:{fingerprint}" if fingerprint else f"ip:{client_ip(request)}"
        wait = await self.limiter.hit(limit, per_minute, who)
        if wait is not None:
            metrics.rate_limited(limit)
            retry = max(1, math.ceil(wait))
            raise ApiError(
                429, "rate_limited",
                f"rate limit of {per_minute} requests per minute exceeded; "
                f"retry in {retry} s",
                headers={"Retry-After": str(retry)},
            )
        return caller


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
