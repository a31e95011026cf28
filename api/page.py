"""The web page: a plain HTML form (works without JavaScript) and a server-rendered result.

All user text reaches HTML only through Jinja2 autoescaping; highlighting slices the
original text into segments (see highlight.py) and the template escapes each one.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from api import metrics
from api.batcher import Coalescer
from api.body import BodyTooLarge, read_limited
from api.errors import ApiError
from api.guard import Guard
from api.highlight import highlight
from api.i18n import UI, in_ten_phrase, percent
from api.lang import SUPPORTED, accept_language
from api.model import ModelHolder
from api.page_errors import form_fields, message_for
from api.render import render
from detector.core import verdict_dict
from detector.schema import InvalidPosting, parse_posting
from detector.settings import Settings

FORM_FIELDS = ("text", "company", "salary", "contact")
#: urlencoding can turn one character into 9 bytes (3 UTF-8 bytes, each as %XX).
FORM_OVERHEAD = 9



def _explicit_lang(request: Request) -> str | None:
    value = (request.query_params.get("lang") or "").lower()
    return value if value in SUPPORTED else None


def _header_lang(request: Request) -> str:
    return accept_language(request.headers.get("accept-language")) or "en"


def _form_values(body: bytes, content_type: str) -> dict[str, str]:
    if not content_type.startswith("application/x-www-form-urlencoded"):
        raise ApiError(415, "unsupported_media_type", "send the form as urlencoded data")
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_encoding", "form data is not valid UTF-8") from None
    return {name: parsed.get(name, [""])[0] for name in FORM_FIELDS}


def result_context(shown: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the result page says about a verdict (`verdict_dict` output): the tier first,
    then the estimate with its meaning. Tier and number come from the same fixed bands.

    The words the text model weighed are marked in the listing and listed openly on a medium
    or high verdict; on a low one they only sit behind a "why this number" disclosure (on a
    low estimate they are ordinary words, and marking them would read as warning signs)."""
    ui = UI[lang]
    # Read defensively: verdicts from before `confidence` existed are "normal".
    confidence = shown.get("confidence", "normal")
    low_confidence = confidence == "low" and shown["risk"] == "low"
    model_probability = shown.get("model_probability")
    raised = model_probability is not None and model_probability < shown["fraud_probability"]
    listing = shown.get("language")
    terms = shown.get("model_evidence", [])
    n_flags = len(shown["flags"])
    return {
        "verdict": shown,
        "confidence": confidence,
        "low_confidence": low_confidence,
        "headline": ui["low_confidence"] if low_confidence else ui["risk"][shown["risk"]],
        "reasons_flags": (ui["reasons_flags_one"] if n_flags == 1
                          else ui["reasons_flags"].format(n=n_flags)),
        "flag_titles": {flag["id"]: flag["title"] for flag in shown["flags"]},
        "probability": percent(shown["fraud_probability"]),
        "in_ten": in_ten_phrase(shown["fraud_probability"], lang),
        "raised_by_flags": raised,
        "model_probability": percent(model_probability or 0.0),
        "model_words_open": shown["risk"] != "low",
        "raising_terms": [dict(t, times=ui["term_raises"].format(x=f"{math.exp(t['weight']):.1f}"))
                          for t in terms if t["weight"] > 0],
        "lowering_terms": [dict(t, times=ui["term_lowers"].format(x=f"{math.exp(t['weight']):.2f}"))
                           for t in terms if t["weight"] < 0],
        "listing_lang": (ui["listing_lang"].format(listing=ui["lang_names"][listing])
                         if listing in ui["lang_names"] and listing != lang else None),
    }


def listing_heading(fields: list[Any], lang: str) -> dict[str, Any]:
    """The listing's heading says which kinds of marks it holds; the legend names both."""
    kinds = {("model" if seg.flag == "model" else "sign")
             for field in fields for seg in field.segments if seg.flag}
    key = {frozenset(): "listing_heading_plain", frozenset({"sign"}): "listing_heading",
           frozenset({"model"}): "listing_heading_model",
           frozenset({"sign", "model"}): "listing_heading_both"}[frozenset(kinds)]
    return {"listing_heading": UI[lang][key], "mark_kinds": kinds}


def build_page(
    settings: Settings, holder: ModelHolder, guard: Guard, coalescer: Coalescer
) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    limit_chars = settings.max_posting_bytes

    @router.get("/", response_class=HTMLResponse)
    async def form(request: Request) -> HTMLResponse:
        lang = _explicit_lang(request) or _header_lang(request)
        return render("form.html", lang, values={}, explicit=_explicit_lang(request))

    @router.post("/", response_class=HTMLResponse)
    async def submit(request: Request) -> HTMLResponse:
        """The check; a rate limit or an unreadable form is shown on the form itself, in the
        page's language, never as the API's JSON (issue 27)."""
        explicit = _explicit_lang(request)
        lang = explicit or _header_lang(request)
        try:
            return await _submit(request, explicit)
        except ApiError as exc:
            values: dict[str, str] = {}
            if exc.code == "rate_limited":
                with contextlib.suppress(BodyTooLarge, ClientDisconnect):
                    body = await read_limited(request, limit_chars * FORM_OVERHEAD)
                    values = form_fields(body, FORM_FIELDS)
            response = render("form.html", lang, exc.status, values=values,
                              error=message_for(exc, lang, "check"), explicit=explicit)
            for name, value in exc.headers.items():
                response.headers[name] = value
            return response

    async def _submit(request: Request, explicit: str | None) -> HTMLResponse:
        await guard.check(request, require_key=False)
        try:
            body = await read_limited(request, limit_chars * FORM_OVERHEAD)
        except BodyTooLarge as exc:
            lang = explicit or _header_lang(request)
            message = UI[lang]["error_body"].format(limit=f"{exc.limit:,}")
            return render("form.html", lang, 413, values={}, error=message, explicit=explicit)
        values = _form_values(body, request.headers.get("content-type", ""))
        # The interface stays in the language the person chose (the form carries it as
        # ?lang=); a listing in the other language does not switch it (issue 10 item 8).
        lang = explicit or _header_lang(request)
        size = sum(len(v) for v in values.values())
        if size > limit_chars:
            message = UI[lang]["error_too_long"].format(n=f"{size:,}", limit=f"{limit_chars:,}")
            return render("form.html", lang, 413, values=values, error=message,
                          explicit=explicit)
        try:
            if not values["text"].strip():  # the listing itself is what the page checks
                raise InvalidPosting("empty listing")
            posting = parse_posting(values, strict=True, max_chars=limit_chars)
        except InvalidPosting:
            return render("form.html", lang, 422, values=values, error=UI[lang]["error_empty"],
                          explicit=explicit)
        detector = await holder.get()
        # The page always shows the words the model weighed (one posting: cheap).
        verdict = await run_in_threadpool(detector.score, posting, True)
        metrics.verdicts((verdict,))
        request.state.access = {"n_postings": 1, "risk": verdict.risk}
        shown = verdict_dict(verdict, lang)
        fields = highlight(posting, verdict)
        return render("result.html", lang, values=values, explicit=explicit, fields=fields,
                      **listing_heading(fields, lang), **result_context(shown, lang))

    return router
