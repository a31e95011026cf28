"""Raw ASGI middleware: request ids, X-Request-ID, security headers and JSON access logs.

Handlers add fields for the log line (risks, number of postings, key fingerprint) to
`request.state.access`; posting text is only logged when settings.log_text is on.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.jsonresp import dumps

log = logging.getLogger("api.access")
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

#: The page has no scripts at all; styles come from /static only.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
#: The docs viewers (Swagger UI, Redoc) run their own inline set-up script; they may load
#: only from this server, so they work offline and never call out to a CDN.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def route_of(scope: Scope) -> str:
    """The matched route's template (`/v1/score`), never the raw path: metric labels stay
    few whatever clients send."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if isinstance(template, str):
        return template
    path = scope.get("path", "")
    for prefix in ("/static/", "/docs-assets/"):
        if path.startswith(prefix):
            return prefix.rstrip("/")
    return "unmatched"


class AccessMiddleware:
    def __init__(self, app: ASGIApp,
                 observe: Callable[[str, str, int, float], None] | None = None) -> None:
        self.app = app
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        rid = incoming if incoming and _CLIENT_ID.match(incoming) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        started = time.perf_counter()
        status = 500
        path = scope.get("path", "")
        is_docs = path in ("/docs", "/redoc")
        is_page = not is_docs and not path.startswith(("/v1/", "/docs-assets/", "/openapi"))

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode("latin-1")))
                headers.append((b"x-content-type-options", b"nosniff"))
                if is_page or is_docs:
                    csp = PAGE_CSP if is_page else DOCS_CSP
                    headers.append((b"content-security-policy", csp.encode("latin-1")))
                    headers.append((b"referrer-policy", b"no-referrer"))
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            if self.observe is not None:
                self.observe(route_of(scope), scope.get("method", ""), status, elapsed)
            record: dict[str, Any] = {
                "request_id": rid,
                "method": scope.get("method"),
                "path": path,
                "status": status,
                "latency_ms": round(elapsed * 1000, 2),
            }
            record.update(state.get("access", {}))
            if state.get("key"):
                record["key"] = state["key"]
            if log.isEnabledFor(logging.INFO):
                log.info(dumps(record).decode("utf-8"))
