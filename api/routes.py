"""The JSON API: parse -> detector (in a worker thread) -> serialise. Nothing else per request."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from api import metrics
from api.batcher import Coalescer, score_many
from api.body import read_json
from api.errors import ApiError, error_body, request_id_of
from api.guard import Guard
from api.jsonresp import FastJSONResponse as JSONResponse
from api.lang import accept_language
from api.model import ModelHolder
from api.schemas import (
    BATCH_EXAMPLES,
    ERROR_RESPONSES,
    SCORE_EXAMPLES,
    BatchOut,
    HealthOut,
    LiveOut,
    VerdictOut,
    batch_schema,
    json_body,
    posting_schema,
)
from api.shape import shape_error
from detector.core import Detector, verdict_dict
from detector.flags import CATALOGUE
from detector.schema import (
    API_MAX_INT_ID,
    InvalidPosting,
    Posting,
    clean_id,
    parse_posting,
)
from detector.settings import Settings

#: Ids in access-log lines are cut to this many characters (a log line stays a line).
LOG_ID_CHARS = 64


def log_id(value: str | None) -> str | None:
    """An id as the access log shows it: at most LOG_ID_CHARS characters, then "…"."""
    if value is None or len(value) <= LOG_ID_CHARS:
        return value
    return value[:LOG_ID_CHARS] + "…"


LangParam = Query(None, description="Language of flag titles and advice (default: "
                  "Accept-Language, else the posting's language).")
def explain_param() -> Any:
    """A new `explain` query parameter per route (FastAPI writes the alias into the object)."""
    return Query(False, description="Also return `model_evidence` (the words the text model "
                 "weighed) for low-risk verdicts; medium and high verdicts always carry it. "
                 "Costs about a millisecond per posting more.")


def _lang(request: Request, lang: str | None) -> str | None:
    return lang or accept_language(request.headers.get("accept-language"))


def is_moderator(request: Request, guard: Guard) -> bool:
    """The caller (already checked by the guard) has the moderator role, asked of the one
    key registry whatever the key's source: it may see what a lookup flag matched
    (campaign memory, issue 18). Without keys, nobody is (unless the trial opt-in is on)."""
    return guard.has_role(request, "moderator")


#: What /v1/health shows everyone of the store: a short word, never the driver's error
#: (PostgreSQL's names the host and port); the rest is for admin keys and the log.
_REASON = re.compile(r"^[a-z_]{1,32}$")
#: Campaign memory's status fields everyone may see (counts of decided scams, and the
#: match threshold, are for admin keys).
PUBLIC_CAMPAIGN_FIELDS = ("store", "index_age_seconds")
#: Model card sections that trace moderators' decisions (content hashes of decided postings,
#: how many, which test groups they touch, the training run): admin keys only.
PRIVATE_CARD_KEYS = ("moderator_labels", "training_run")
PROMOTION_ERROR_PUBLIC = ("the promoted model version cannot be served on this replica; the "
                          "server log (or /v1/health with an admin key) says why")


def public_store_state(state: dict[str, Any]) -> dict[str, Any]:
    """Reachable, writable (null before a write was tried) and a short reason word."""
    reason = state.get("reason")
    if not (isinstance(reason, str) and _REASON.match(reason)):
        if state.get("reachable") and state.get("writable") is False:
            reason = "refuses_writes"
        elif state.get("reachable"):
            reason = "ok"
        elif state.get("checked_seconds_ago") is None and not state.get("error"):
            reason = "not_checked"
        elif str(state.get("error") or "").startswith("no answer"):
            reason = "no_answer"
        else:
            reason = "unreachable"
    return {"reachable": bool(state.get("reachable")), "writable": state.get("writable"),
            "reason": reason}


def health_body(body: dict[str, Any], admin: bool) -> dict[str, Any]:
    """The readiness body as everyone sees it (status and short reasons), or whole for an
    admin key."""
    store = body.get("store")
    if isinstance(store, dict):
        shaped = public_store_state(store)
        body["store"] = {**store, **shaped} if admin else shaped
    if admin:
        return body
    if body.get("promotion_error"):
        body["promotion_error"] = PROMOTION_ERROR_PUBLIC
    campaigns = body.get("campaigns")
    if isinstance(campaigns, dict):
        body["campaigns"] = {k: campaigns[k] for k in PUBLIC_CAMPAIGN_FIELDS if k in campaigns}
    return body


def public_card(card: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in card.items() if key not in PRIVATE_CARD_KEYS}


def json_safe(value: Any) -> Any:
    """NaN/Infinity (the card has NaN precisions for flags that never fire) are not JSON:
    they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def build_router(
    settings: Settings, holder: ModelHolder, guard: Guard, coalescer: Coalescer
) -> APIRouter:
    router = APIRouter(prefix="/v1")
    batch_limit = settings.max_batch_bytes

    def parse(data: Any) -> Posting:
        return parse_posting(data, strict=True, max_chars=settings.max_posting_bytes,
                             max_int_id=API_MAX_INT_ID)

    @router.get("/health", summary="Readiness: 200 once the model is loaded, 503 before; "
                "the body also says whether the label store answers (scoring never needs it)",
                responses={200: {"model": HealthOut}, 503: ERROR_RESPONSES[503]})
    async def health(request: Request) -> JSONResponse:
        detector = holder.ready
        if detector is None:
            holder.start()
            raise holder.status_error()
        body: dict[str, Any] = {"status": "ok", "model_version": detector.model_version,
                                **await holder.readiness()}
        if detector.campaigns is not None:  # the campaign memory and how old its index is
            body["campaigns"] = detector.campaigns.status()
        return JSONResponse(health_body(body, guard.has_role(request, "admin")))

    @router.get("/live", summary="Liveness: 200 whenever the process serves requests",
                responses={200: {"model": LiveOut}})
    async def live() -> JSONResponse:
        return JSONResponse({"status": "alive"})

    @router.get("/model", summary="Model card and red-flag catalogue (what a retrained "
                "model's card says of moderators' decisions: admin keys only)")
    async def model(request: Request,
                    lang: Literal["en", "zh"] | None = LangParam) -> JSONResponse:
        detector = await holder.get()
        admin = guard.has_role(request, "admin")
        return JSONResponse({
            "model_version": detector.model_version,
            "card": json_safe(detector.card if admin else public_card(detector.card)),
            "flags": [flag.to_dict(lang or "en") for flag in CATALOGUE],
        })

    @router.post(
        "/score", summary="Score one posting",
        openapi_extra=json_body(posting_schema(), SCORE_EXAMPLES),
        responses={200: {"model": VerdictOut}, **ERROR_RESPONSES},
    )
    async def score(
        request: Request, lang: Literal["en", "zh"] | None = LangParam,
        explain: bool = explain_param(),
    ) -> JSONResponse:
        await guard.check(request)
        data = await read_json(request, settings.max_posting_bytes)
        try:
            posting = parse(data)
        except InvalidPosting as exc:
            raise ApiError(422, "invalid_posting", str(exc)) from None
        detector = await holder.get()
        if explain:
            verdict = await run_in_threadpool(detector.score, posting, True)
            metrics.verdicts((verdict,))
        else:
            verdict = await coalescer.score(detector, posting)
        result = verdict_dict(verdict, _lang(request, lang),
                              private=is_moderator(request, guard))
        access: dict[str, Any] = {"n_postings": 1, "risk": result["risk"],
                                  "id": log_id(result["id"])}
        if settings.log_text:
            access["text"] = posting.full_text()
        request.state.access = access
        return JSONResponse(result)

    @router.post(
        "/score/batch", summary="Score up to max_batch postings, results in input order",
        openapi_extra=json_body(batch_schema(settings.max_batch), BATCH_EXAMPLES),
        responses={200: {"model": BatchOut}, **ERROR_RESPONSES},
    )
    async def score_batch(
        request: Request, lang: Literal["en", "zh"] | None = LangParam,
        explain: bool = explain_param(),
    ) -> JSONResponse:
        await guard.check(request)
        data = await read_json(request, batch_limit)
        items = data.get("postings") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ApiError(422, "validation_error",
                           'body must be an object {"postings": [...]} with a list of postings')
        if len(items) > settings.max_batch:
            # 422 (the document's maxItems), like any other rule of the body's schema.
            raise ApiError(422, "too_many_postings",
                           f"{len(items)} postings; at most {settings.max_batch} per batch",
                           extra={"limit": settings.max_batch})
        for index, item in enumerate(items):
            problem = shape_error(item)
            if problem is not None:
                raise ApiError(422, "validation_error", f"postings[{index}]: {problem}",
                               extra={"index": index})
        rid = request_id_of(request)
        results: list[dict[str, Any] | None] = [None] * len(items)
        valid: list[tuple[int, Posting]] = []
        for index, item in enumerate(items):
            try:
                valid.append((index, parse(item)))
            except InvalidPosting as exc:
                extra: dict[str, Any] = {"index": index}
                # Echo the id only when it is one (not 900 KB, a NUL or a lone surrogate).
                echoed = clean_id(item.get("id") if isinstance(item, dict) else None)
                if echoed is not None:
                    extra["id"] = echoed
                results[index] = error_body(422, "invalid_posting", str(exc), rid, extra)
        detector = await holder.get() if valid else None
        chosen = _lang(request, lang)
        private = is_moderator(request, guard)

        def work(det: Detector) -> list[dict[str, Any]]:
            verdicts = score_many(det, [posting for _, posting in valid], explain)
            metrics.verdicts(verdicts)
            return [verdict_dict(verdict, chosen, private) for verdict in verdicts]

        if detector is not None:
            for (index, _), result in zip(valid, await run_in_threadpool(work, detector),
                                          strict=True):
                results[index] = result
        risks = Counter(r["risk"] for r in results if r is not None and "risk" in r)
        access: dict[str, Any] = {"n_postings": len(items), "risks": dict(risks),
                                  "n_errors": len(items) - len(valid)}
        if settings.log_text:
            access["texts"] = [posting.full_text() for _, posting in valid]
        request.state.access = access
        return JSONResponse({"results": results})

    return router
