"""Errors on the page are pages: a failed check or report shows a message in the page's
language, never the API's JSON error body (issue 27: the Report button showed
`{"error":{"code":"rate_limited",...}}` on the Chinese page after 10 reports a minute from
one campus address).

The page's forms (the check at `/`, the "report this listing" button at `/v1/report`) post
urlencoded data without JavaScript, so the browser shows whatever comes back: here that is
an HTML page with the same status code and headers (Retry-After), a sentence saying what
happened and what to do, and, for a report, a button that sends it again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.access import PAGE_CSP
from api.errors import ApiError
from api.lang import SUPPORTED, accept_language

log = logging.getLogger("api.page")

#: What a person is told, per error code (the API's codes) and language. `{retry}` is the
#: Retry-After in seconds.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "heading_report": "The report was not sent",
        "heading_check": "The listing was not checked",
        "rate_limited_report": "Too many reports came from your network in the last minute "
        "(everyone on a shared office or campus connection counts together). Please try "
        "again in {retry} seconds.",
        "rate_limited_check": "Too many checks came from your network in the last minute. "
        "Please try again in {retry} seconds.",
        "payload_too_large": "The listing is too long to send (limit {limit}).",
        "store_unavailable": "Your report could not be saved just now: the service cannot "
        "reach its database. Nothing was recorded; please try again in a few seconds.",
        "invalid_decision": "There is no listing to report: paste the listing and check it "
        "first.",
        "unreadable": "The form could not be read. Please go back and send it again.",
        "internal_error": "Something went wrong on our side and nothing was recorded. Please "
        "try again later.",
        "other": "The request failed ({status}). Please try again later.",
        "retry": "Send the report again",
        "back": "Back to the checker",
    },
    "zh": {
        "heading_report": "举报未能提交",
        "heading_check": "未能检测这则招聘",
        "rate_limited_report": "一分钟内从您所在网络提交的举报过多"
        "（同一办公室或校园网络的所有人合并计算）。请在 {retry} 秒后再试。",
        "rate_limited_check": "一分钟内从您所在网络提交的检测过多。请在 {retry} 秒后再试。",
        "payload_too_large": "招聘内容太长，无法提交（上限 {limit}）。",
        "store_unavailable": "暂时无法保存您的举报：服务连不上数据库。"
        "举报没有被记录，请几秒后再试。",
        "invalid_decision": "没有可举报的内容：请先粘贴并检测这则招聘。",
        "unreadable": "无法读取提交的表单。请返回后重新提交。",
        "internal_error": "服务出现问题，没有记录任何内容。请稍后再试。",
        "other": "请求失败（{status}）。请稍后再试。",
        "retry": "重新提交举报",
        "back": "返回检测页面",
    },
}
_UNREADABLE = {"invalid_encoding", "unsupported_media_type", "bad_request", "validation_error",
               "client_disconnected"}


def page_lang(request: Request, form_lang: str | None = None) -> str:
    """The page's language: the form's (`?lang=` or its `lang` field), else the browser's."""
    for value in (request.query_params.get("lang"), form_lang):
        if value and value.lower() in SUPPORTED:
            return value.lower()
    return accept_language(request.headers.get("accept-language")) or "en"


def message_for(exc: ApiError, lang: str, action: str) -> str:
    """The sentence shown for `exc`; `action` is "report" or "check"."""
    text = MESSAGES[lang]
    code = exc.code
    retry = exc.headers.get("Retry-After", "60")
    if code == "rate_limited":
        return text[f"rate_limited_{action}"].format(retry=retry)
    if code in ("payload_too_large", "too_many_items"):
        limit = exc.extra.get("limit")
        shown = f"{limit:,}" if isinstance(limit, int) else "?"
        return text["payload_too_large"].format(limit=shown)
    if code in ("store_unavailable", "internal_error", "invalid_decision"):
        return text[code]
    if code in _UNREADABLE:
        return text["unreadable"]
    return text["other"].format(status=exc.status)


def error_page(request: Request, exc: ApiError, lang: str, action: str,
               values: dict[str, str] | None = None) -> HTMLResponse:
    """The page for a failed form post: same status and headers as the API's error."""
    from api.render import render

    text = MESSAGES[lang]
    response = render("error.html", lang, status=exc.status, values=values or {},
                      heading=text[f"heading_{action}"],
                      message=message_for(exc, lang, action), code=exc.code,
                      action=action, retry_label=text["retry"], back_label=text["back"],
                      request_id=getattr(request.state, "request_id", None))
    for name, value in exc.headers.items():
        response.headers[name] = value
    response.headers["content-security-policy"] = PAGE_CSP
    return response


async def as_page(request: Request, action: str,
                  handler: Callable[[], Awaitable[Response]],
                  lang: Callable[[], str], values: Callable[[], dict[str, str]]
                  ) -> Response:
    """Run a form handler; an ApiError (or any failure) becomes an error page."""
    try:
        return await handler()
    except ApiError as exc:
        return error_page(request, exc, lang(), action, values())
    except Exception as exc:  # logged like the API's own handler (type only: no text)
        log.error("unhandled %s on the page's %s form", type(exc).__name__, action)
        failure = ApiError(500, "internal_error", "internal server error")
        return error_page(request, failure, lang(), action, values())


def form_fields(body: bytes, names: tuple[str, ...]) -> dict[str, Any]:
    """Best-effort read of an urlencoded body for re-posting (never raises)."""
    from urllib.parse import parse_qs

    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
    return {name: parsed.get(name, [""])[0] for name in (*names, "lang") if name in parsed}
