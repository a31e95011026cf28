"""One JSON error shape for every failure, so clients need a single error parser.

    {"error": {"code": "invalid_posting", "message": "...", "status": 422, "request_id": "..."}}

Starlette's own 404/405 and FastAPI's validation errors are converted to this shape too.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from api.jsonresp import FastJSONResponse as JSONResponse

log = logging.getLogger("api.errors")

#: Default machine-readable code per HTTP status (used for framework-raised errors).
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "not_ready",
}


class ApiError(Exception):
    """An error a handler wants to return; carries everything the error body needs."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self, request_id: str | None) -> dict[str, Any]:
        return error_body(self.status, self.code, self.message, request_id, self.extra)


def error_body(
    status: int,
    code: str,
    message: str,
    request_id: str | None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The error object; `extra` adds fields such as `index` for batch entries."""
    inner: dict[str, Any] = {
        "code": code,
        "message": message,
        "status": status,
        "request_id": request_id,
    }
    if extra:
        inner.update(extra)
    return {"error": inner}


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def error_response(request: Request, exc: ApiError) -> JSONResponse:
    headers = dict(exc.headers)
    rid = request_id_of(request)
    if rid:
        headers["X-Request-ID"] = rid
    return JSONResponse(exc.body(rid), status_code=exc.status, headers=headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(request, exc)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = STATUS_CODES.get(exc.status_code, "http_error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404:
        message = f"no such endpoint: {request.url.path}"
    elif exc.status_code == 405:
        message = f"method {request.method} is not allowed on {request.url.path}"
    return error_response(
        request, ApiError(exc.status_code, code, message, headers=dict(exc.headers or {}))
    )


def _describe(err: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in err.get("loc", ()) if part != "body")
    return f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg", "invalid"))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    message = "; ".join(_describe(err) for err in errors[:5]) or "invalid request"
    return error_response(request, ApiError(422, "validation_error", message))


async def _client_gone(request: Request, exc: Exception) -> JSONResponse:
    """The client closed the connection before its body arrived (a timeout, a proxy giving
    up): nobody reads an answer, and it is not a server error."""
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return error_response(request, ApiError(400, "client_disconnected",
                                            "the client closed the connection"))


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    # Log the type only: exception messages can quote posting text.
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_response(request, ApiError(500, "internal_error", "internal server error"))


def install_error_handlers(app: FastAPI) -> None:
    """Route every error path through `error_response`."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _unhandled)
