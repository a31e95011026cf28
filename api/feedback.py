"""Moderator decisions in, promoted models out: /v1/feedback, /v1/feedback/batch, /v1/report
(the page's "report this listing" button) and /v1/admin/reload.

Same error shape, body limits, key check and rate limit as scoring. Recording needs a
`moderator` key and reloading an `admin` key (api/guard.py): a scoring-only key gets 403,
and so does everyone on a server without keys (closed by default; the trial opt-in opens
them).
The store is written in a worker thread; every decision is validated before any is stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from api import metrics
from api.body import BodyTooLarge, read_json, read_limited, too_large
from api.errors import ApiError
from api.guard import Guard, client_ip
from api.i18n import UI
from api.lang import SUPPORTED, accept_language
from api.model import ModelHolder, freeze_heap, new_detector, release_freed_memory
from api.page_errors import as_page, form_fields, page_lang
from api.reportquota import QuotaExceeded, ReportQuota
from api.schemas import ERROR_RESPONSES, NO_NUL, ErrorOut, json_body, posting_schema
from api.storehealth import StoreHealth, describe
from detector.campaigns import open_label_store
from detector.campaigns.memory import CampaignMemory, memory_for
from detector.core import Detector
from detector.labels.decisions import (
    LABELS,
    MAX_FLAGS,
    MAX_NOTE_CHARS,
    MAX_REVIEWER_CHARS,
    Decision,
    InvalidDecision,
    canonical_posting,
    parse_decision,
)
from detector.labels.store import LabelStore, StoreUnavailable, store_unavailable
from detector.model.artifact import ModelIntegrityError, read_card
from detector.registry.state import latest
from detector.registry.versions import VersionNotFound, served_model_dir
from detector.schema import API_MAX_INT_ID, text_problem
from detector.settings import Settings

log = logging.getLogger("api.feedback")
#: Room for label, note, flags and reviewer beside the posting in one request body.
DECISION_OVERHEAD = 64_000
FORM_OVERHEAD = 9  # urlencoding: one character can become 9 bytes
PAGE_FIELDS = ("text", "company", "salary", "contact")
THANKS = {
    "en": ("Thank you: the listing was reported",
           "A moderator will look at it. Reports are kept apart from moderators' decisions "
           "and never teach the model on their own.", "Check another listing"),
    "zh": ("谢谢，已举报该招聘信息",
           "审核人员会查看。举报与审核人员的判定分开保存，未经审核不会用于训练模型。",
           "再检查一条"),
}
_THANKS_PAGE = """{% extends "base.html" %}
{% block title %}{{ heading }} – {{ ui.title }}{% endblock %}
{% block main %}
<section class="reported" aria-labelledby="reported-title">
  <h1 id="reported-title">{{ heading }}</h1>
  <p>{{ body }}</p>
  <p><a href="/?lang={{ lang }}">{{ again }}</a></p>
</section>
{% endblock %}
"""
_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"], default=True))


class RecordedOut(BaseModel):
    decision_id: int
    posting_hash: str = Field(..., description="sha256 of the posting's content.")
    id: str | None
    label: str
    source: str
    new_posting: bool


class ReloadOut(BaseModel):
    model_version: str
    previous_model_version: str | None
    changed: bool


#: Hand-written example (not data).
_EXAMPLE = {"posting": {"title": "Data entry (home based)", "description": "Pay a $50 "
            "starter-kit fee, then earn $900 a week."}, "label": "scam",
            "note": "asks for a fee", "flags": ["upfront_fee"]}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **{k: v for k, v in ERROR_RESPONSES.items() if k != 503},
    403: {"model": ErrorOut, "description": "The key lacks the role this needs"},
    503: {"model": ErrorOut, "description": "The label store cannot be reached "
          "(`store_unavailable`): nothing was recorded; retry after Retry-After seconds"},
}
STORE_RETRY_AFTER_S = 5
#: A job seeker's note with a report (moderators' notes may hold MAX_NOTE_CHARS).
MAX_REPORT_NOTE_CHARS = 1000
#: What a report may carry: moderators' fields (`reviewer`, `flags`) are ignored.
REPORT_FIELDS = ("posting", "label", "note")
#: Whitespace the decision parser strips (Python's, which has a few more than JSON Schema's
#: ECMAScript `\s`).
_SPACE = r"[\s\x1c-\x1f\x85]*"


def _nocase(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def decision_schema(labels: tuple[str, ...] = LABELS, label_required: bool = True
                    ) -> dict[str, Any]:
    """The body of one decision, stating what `parse_decision` enforces (issue 19: the
    posting was any object in the document and an empty one was refused at run time)."""
    from detector.flags import FLAG_IDS

    label = "|".join(_nocase(word) for word in labels)
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "posting": posting_schema(),
            "label": {"type": "string", "pattern": f"^{_SPACE}(?:{label}){_SPACE}$",
                      "description": " or ".join(f"'{w}'" for w in labels)
                      + " (case and surrounding spaces do not matter)",
                      "examples": [labels[0]]},
            "note": _optional({"type": "string", "maxLength": MAX_NOTE_CHARS,
                               "pattern": NO_NUL, "description": "Why (no NUL)."}),
            "flags": _optional({"type": "array", "maxItems": MAX_FLAGS,
                                "items": {"enum": list(FLAG_IDS)},
                                "description": "Red-flag ids the moderator saw."}),
            "reviewer": _optional({"type": "string", "maxLength": MAX_REVIEWER_CHARS,
                                   "pattern": NO_NUL, "description": "Who decided (default: "
                                   "the key's fingerprint; no NUL)."}),
        },
        "required": ["posting", "label"] if label_required else ["posting"],
    }
    return schema


def report_schema(max_report_bytes: int) -> dict[str, Any]:
    """The body of /v1/report: a posting, optionally `label: scam` and a short note."""
    schema = decision_schema(("scam",), label_required=False)
    properties = schema["properties"]
    del properties["reviewer"], properties["flags"]
    properties["note"] = _optional({"type": "string", "maxLength": MAX_REPORT_NOTE_CHARS,
                                    "description": "What the reporter saw."})
    schema["description"] = (
        f"A reported posting is at most {max_report_bytes:,} bytes as stored (its fields as "
        "UTF-8 JSON; larger: 413). Moderators' fields (`reviewer`, `flags`) are ignored: a "
        "report is stored as an unverified report and teaches nothing until a moderator "
        "records a decision.")
    return schema


def stored_bytes(posting: Any) -> int:
    """The posting's size as the label store keeps it (detector/labels/store.py)."""
    return len(json.dumps(canonical_posting(posting), ensure_ascii=False, sort_keys=True)
               .encode("utf-8"))


def batch_decisions_schema(max_batch: int) -> dict[str, Any]:
    return {"type": "object", "required": ["items"], "properties": {"items": {
        "type": "array", "minItems": 1, "maxItems": max_batch, "items": decision_schema(),
        "description": f"1 to {max_batch} decisions (DETECTOR_MAX_BATCH); all are recorded, "
        "or none if any is invalid. More than that is answered 422 `too_many_items`."}}}


def _no_lone_surrogates(value: Any, where: str = "body") -> None:
    """Refuse a lone surrogate anywhere in a (small) JSON value, even in a field the route
    ignores: it is not text, and a 4xx says so where a later step might fail."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            raise InvalidDecision(f"{where} holds {problem}")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_lone_surrogates(item, f"field {key!r}")
    elif isinstance(value, list):
        for item in value:
            _no_lone_surrogates(item, where)


def check_shape(item: Any) -> None:
    """What the document says and the lenient decision parser (shared with CSV imports)
    lets through: flags as one comma-separated string, ids with spaces, over-long text
    counted before stripping. The API holds clients to its document."""
    if not isinstance(item, dict):
        return  # parse_decision says why
    flags = item.get("flags")
    if flags is not None and not (isinstance(flags, list) and all(
            isinstance(f, str) and f == f.strip() for f in flags)):
        raise InvalidDecision("'flags' must be a list of red-flag ids (or null)")
    for name, limit in (("note", MAX_NOTE_CHARS), ("reviewer", MAX_REVIEWER_CHARS)):
        value = item.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise InvalidDecision(f"'{name}' is too long: {len(value):,} characters "
                                  f"(limit {limit:,})")


def fresh_detector(model_dir: Path, campaigns: CampaignMemory | None = None) -> Detector:
    """Load (sha256-checked) and warm a detector, bypassing any cache: a reload must read
    what is on disk now (`api.model.new_detector`)."""
    return new_detector(model_dir, campaigns)


class ServingHolder(ModelHolder):
    """The model holder with reloads: the version the label store says is promoted (see
    detector.registry.state), found in this machine's models home and sha256-checked,
    swapped in atomically once loaded. Requests already holding the old detector finish on
    it; every verdict names the model_version that made it. Scoring never waits on the
    store: when it cannot be reached the current model (at start: the shipped one) is served
    and the watch catches up once it answers."""

    def __init__(self, settings: Settings, store: LabelStore | None = None) -> None:
        super().__init__(settings.model_dir)
        self.settings = settings
        # Campaign memory follows this server's label store (issue 18); no I/O here.
        self.campaigns = memory_for(settings)
        self.store = store or open_label_store(settings.label_db)
        self.store_health = StoreHealth(self.store)
        self._stamp: int | None = None
        self.promoted: dict[str, Any] | None = None
        self.promotion_error: str | None = None
        self._reload_lock: asyncio.Lock | None = None
        self._watch: asyncio.Task[None] | None = None

    def start(self) -> None:
        poll = self.settings.reload_poll_seconds
        if self._watch is None and poll > 0 and not self.settings.model_dir_pinned:
            self._watch = asyncio.get_running_loop().create_task(self._watch_state(poll))
        super().start()

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def _store_failed(self, exc: Exception, doing: str, write: bool = False) -> None:
        """A read (`write` False) or a write that the store did not take. They are kept
        apart, so a store that answers reads but refuses writes shows steadily in health
        (issue 24: one flag for both flapped with every poll and every refused write)."""
        health = self.store_health
        first = (health.writable if write else health.reachable) is not False
        if write:
            health.write_failed(exc)
        if not write or isinstance(exc, StoreUnavailable):  # a deleted file: reads fail too
            health.failed(exc)
        metrics.store_error("label_store")
        if first:
            log.warning("label store %s while %s (%s); still serving %s",
                        "refused a write" if write else "unreachable", doing,
                        describe(exc), self.model_dir)

    def _resolve(self) -> Path:
        """Blocking: the directory to serve now (keeps the current one when the store is
        unreachable or names a version this machine does not have)."""
        if self.settings.model_dir_pinned:
            return self.settings.model_dir
        try:
            stamp, state = latest(self.store)
        except Exception as exc:
            if not store_unavailable(exc):
                raise
            self._store_failed(exc, "reading the promoted model")
            return self.model_dir
        self.store_health.ok()
        self._stamp, self.promoted = stamp, state.get("promoted")
        try:
            target = served_model_dir(self.settings, state)
        except VersionNotFound as exc:
            if self.promotion_error != str(exc):
                log.error("%s; still serving %s", exc, self.model_dir)
            self.promotion_error = str(exc)
            return self.model_dir
        self.promotion_error = None
        return target

    def _load_target(self) -> Detector:
        self.model_dir = self._resolve()
        return super()._load_target()

    async def readiness(self) -> dict[str, Any]:
        out: dict[str, Any] = {"store": await self.store_health.state()}
        if self.promotion_error:
            out["promotion_error"] = self.promotion_error
        return out

    async def _watch_state(self, poll: float) -> None:
        while True:
            await asyncio.sleep(poll)
            try:
                stamp, _ = await run_in_threadpool(latest, self.store)
            except Exception as exc:
                if not store_unavailable(exc):
                    log.error("reading the promotion state failed: %s", exc)
                else:
                    self._store_failed(exc, "polling for promotions")
                continue
            if self.store_health.reachable is False:
                log.warning("label store reachable again")
            self.store_health.ok()
            if stamp == self._stamp or self._detector is None:
                continue
            try:
                await self.reload()
            except Exception as exc:  # keep serving the old model; say why
                log.error("reload after a promotion change failed: %s", exc)

    def _unchanged(self, target: Path) -> bool:
        """The served directory and its artifact are the ones loaded already."""
        old = self._detector
        if old is None or target.resolve() != self.model_dir.resolve():
            return False
        try:
            sha = read_card(target).get("artifact", {}).get("sha256")
        except (ModelIntegrityError, ValueError):
            return False
        return bool(sha) and sha == old.card.get("artifact", {}).get("sha256")

    async def reload(self, force: bool = False) -> dict[str, Any]:
        """Load the model that should be served now and swap it in (a no-op when it is
        already served, unless `force`)."""
        if self._reload_lock is None:
            self._reload_lock = asyncio.Lock()
        async with self._reload_lock:
            target = await run_in_threadpool(self._resolve)
            old = self._detector
            if not force and old is not None and self._unchanged(target):
                return {"model_version": old.model_version,
                        "previous_model_version": old.model_version, "changed": False}
            detector = await run_in_threadpool(fresh_detector, target, self.campaigns)
            self.model_dir, self._detector = target, detector
            previous = old.model_version if old else None
            del old  # requests still scoring on it hold their own reference
            await run_in_threadpool(freeze_heap)
            await run_in_threadpool(release_freed_memory)
            metrics.model_served(detector.model_version, previous)
            log.info("serving model %s from %s", detector.model_version, target)
            return {
                "model_version": detector.model_version,
                "previous_model_version": previous,
                "changed": previous != detector.model_version,
            }


def build_feedback_router(settings: Settings, holder: ServingHolder, guard: Guard
                          ) -> APIRouter:
    router = APIRouter()
    store = holder.store
    one_limit = settings.max_posting_bytes + DECISION_OVERHEAD
    quota = ReportQuota(store, settings)
    # A report's JSON body: the stored posting and note, each character escaped at worst.
    report_limit = 6 * (settings.max_report_bytes + 4 * MAX_REPORT_NOTE_CHARS) + 4096

    async def require(request: Request, role: str) -> str | None:
        """401 like scoring, 403 unless the caller has `role` (without keys: nobody, unless
        the trial opt-in is on), 429 over the limit; the reviewer name."""
        return guard.reviewer(await guard.check(request, role=role))

    def parse(item: Any, source: str, reviewer: str | None) -> Decision:
        check_shape(item)
        decision = parse_decision(item, source, max_chars=settings.max_posting_bytes,  # type: ignore[arg-type]
                                  max_int_id=API_MAX_INT_ID)
        if reviewer and not decision.reviewer:
            return Decision(decision.posting, decision.label, decision.source, reviewer,
                            decision.note, decision.flags)
        return decision

    def store_down(exc: Exception, doing: str, write: bool = False) -> ApiError:
        """The 503 for a store that cannot be reached or refused a write (other errors are
        raised as they are)."""
        if not store_unavailable(exc):
            raise exc
        holder._store_failed(exc, doing, write=write)
        return ApiError(503, "store_unavailable",
                        "the label store cannot be reached right now, so nothing was "
                        "recorded; scoring still works. Retry later.",
                        headers={"Retry-After": str(STORE_RETRY_AFTER_S)})

    async def save(batch: list[Decision]) -> list[dict[str, Any]]:
        """Store the batch (one transaction); 503 when the store cannot be reached. A
        decision is acknowledged (201) only once it is committed."""
        try:
            recorded = await run_in_threadpool(store.record, batch)
        except Exception as exc:
            raise store_down(exc, "recording decisions", write=True) from None
        holder.store_health.wrote()
        for decision in batch:
            metrics.feedback(decision.source, decision.label)
        return [
            {"decision_id": r.decision_id, "posting_hash": r.posting_hash, "id": d.posting.id,
             "label": d.label, "source": d.source, "new_posting": r.new_posting}
            for r, d in zip(recorded, batch, strict=True)
        ]

    @router.post("/v1/feedback", status_code=201, summary="Record a moderator's decision",
                 tags=["feedback"], openapi_extra=json_body(decision_schema(), {
                     "scam": {"summary": "A fee scam (hand-written)", "value": _EXAMPLE}}),
                 responses={201: {"model": RecordedOut}, **WRITE_ERRORS})
    async def feedback(request: Request) -> JSONResponse:
        reviewer = await require(request, "moderator")
        data = await read_json(request, one_limit)
        try:
            decision = parse(data, "moderator", reviewer)
        except InvalidDecision as exc:
            raise ApiError(422, "invalid_decision", str(exc)) from None
        (result,) = await save([decision])
        request.state.access = {"n_decisions": 1, "label": decision.label}
        return JSONResponse(result, status_code=201)

    @router.post("/v1/feedback/batch", status_code=201, tags=["feedback"],
                 summary="Record many decisions: all are stored, or none if any is invalid",
                 openapi_extra=json_body(batch_decisions_schema(settings.max_batch), {
                     "one": {"summary": "One item (hand-written)",
                             "value": {"items": [_EXAMPLE]}}}),
                 responses=WRITE_ERRORS)
    async def feedback_batch(request: Request) -> JSONResponse:
        reviewer = await require(request, "moderator")
        data = await read_json(request, settings.max_batch_bytes)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list) or not items:
            raise ApiError(422, "validation_error",
                           'body must be an object {"items": [...]} with a non-empty list')
        if len(items) > settings.max_batch:
            raise ApiError(422, "too_many_items",
                           f"{len(items)} items; at most {settings.max_batch} per batch",
                           extra={"limit": settings.max_batch})
        batch, errors = [], []
        for index, item in enumerate(items):
            try:
                batch.append(parse(item, "moderator", reviewer))
            except InvalidDecision as exc:
                errors.append({"index": index, "message": str(exc)})
        if errors:
            raise ApiError(422, "invalid_decision",
                           f"{len(errors)} of {len(items)} items are invalid; nothing was "
                           "recorded", extra={"items": errors[:100]})
        results = await save(batch)
        request.state.access = {"n_decisions": len(batch)}
        return JSONResponse({"results": results}, status_code=201)

    def parse_report(data: Any) -> Decision:
        """A job seeker's report: posting, optional `label: scam` and a short note; the
        moderators' fields are dropped. 413 over the size cap."""
        if isinstance(data, dict):
            item: Any = {"label": "scam", **{k: data[k] for k in REPORT_FIELDS if k in data}}
            note = item.get("note")
            if isinstance(note, str) and len(note) > MAX_REPORT_NOTE_CHARS:
                raise InvalidDecision(f"'note' is too long: {len(note):,} characters (a "
                                      f"report's note holds at most {MAX_REPORT_NOTE_CHARS:,})")
        else:
            item = data
        decision = parse(item, "report", None)
        size = stored_bytes(decision.posting)
        if size > settings.max_report_bytes:
            raise ApiError(413, "payload_too_large",
                           f"a reported listing is at most {settings.max_report_bytes:,} bytes "
                           f"(this one: {size:,}); report the part that shows the scam",
                           extra={"limit": settings.max_report_bytes})
        if decision.label != "scam":
            raise InvalidDecision("a report says a listing is a scam; moderators record "
                                  "'legit' through /v1/feedback")
        return decision

    async def count_report(request: Request) -> None:
        """The report quotas (api/reportquota.py), counted in the label store."""
        try:
            await run_in_threadpool(quota.hit, client_ip(request))
        except QuotaExceeded as exc:
            metrics.rate_limited("report")
            retry = max(1, int(exc.retry_after + 0.999))
            raise ApiError(429, "rate_limited",
                           f"report quota reached: {exc.quota.says}; retry in {retry} s",
                           headers={"Retry-After": str(retry)}) from None
        except Exception as exc:
            raise store_down(exc, "counting reports") from None

    @router.post("/v1/report", status_code=201, tags=["feedback"],
                 summary="A job seeker reports a listing (kept as an unverified report; "
                 "also takes the page's urlencoded form and redirects to /reported)",
                 openapi_extra=json_body(report_schema(settings.max_report_bytes), {
                     "report": {"summary": "A report (hand-written)",
                                "value": {"posting": _EXAMPLE["posting"]}}}),
                 responses={201: {"model": RecordedOut}, **WRITE_ERRORS})
    async def report(request: Request) -> Any:
        if request.headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"):
            return await _report_page(request)  # the page's button: errors are pages
        await guard.check(request, require_key=False, limit="report")
        data = await read_json(request, report_limit)
        try:
            _no_lone_surrogates(data)  # in every field, the ignored ones too
            decision = parse_report(data)
        except InvalidDecision as exc:
            raise ApiError(422, "invalid_decision", str(exc)) from None
        await count_report(request)
        (result,) = await save([decision])
        return JSONResponse(result, status_code=201)

    async def _report_page(request: Request) -> Any:
        """The button's form post; any failure is a page in the page's language, with the
        listing kept so it can be sent again (issue 27)."""
        seen: dict[str, str] = {}

        async def handler() -> RedirectResponse:
            try:
                await guard.check(request, require_key=False, limit="report")
            except ApiError:
                with contextlib.suppress(BodyTooLarge, ClientDisconnect):
                    seen.update(form_fields(await read_limited(
                        request, settings.max_posting_bytes * FORM_OVERHEAD), PAGE_FIELDS))
                raise
            return await _report_form(request, seen)

        return await as_page(request, "report", handler,
                             lambda: page_lang(request, seen.get("lang")), lambda: seen)

    async def _report_form(request: Request, seen: dict[str, str]) -> RedirectResponse:
        try:
            body = await read_limited(request, settings.max_report_bytes * FORM_OVERHEAD)
        except BodyTooLarge as exc:
            raise too_large(exc) from None
        try:
            parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise ApiError(400, "invalid_encoding", "form data is not valid UTF-8") from None
        seen.update(form_fields(body, PAGE_FIELDS))
        posting = {name: parsed.get(name, [""])[0] for name in PAGE_FIELDS}
        lang = parsed.get("lang", [""])[0]
        try:
            decision = parse_report({"posting": posting})
        except InvalidDecision as exc:
            raise ApiError(422, "invalid_decision", str(exc)) from None
        await count_report(request)
        await save([decision])
        query = f"?lang={lang}" if lang in SUPPORTED else ""
        return RedirectResponse(f"/reported{query}", status_code=303)

    @router.get("/reported", include_in_schema=False, response_class=HTMLResponse)
    async def reported(request: Request) -> HTMLResponse:
        lang = request.query_params.get("lang") or accept_language(
            request.headers.get("accept-language")) or "en"
        lang = lang if lang in SUPPORTED else "en"
        heading, body, again = THANKS[lang]
        html = _env.from_string(_THANKS_PAGE).render(
            ui=UI[lang], lang=lang, repost=False, values={}, heading=heading, body=body,
            again=again)
        return HTMLResponse(html)

    @router.post("/v1/admin/reload", tags=["admin"],
                 summary="Serve the promoted model now (requests in flight finish on the old)",
                 responses={200: {"model": ReloadOut}, 401: ERROR_RESPONSES[401],
                            403: WRITE_ERRORS[403], 429: ERROR_RESPONSES[429],
                            503: {"model": ErrorOut, "description": "The new model could "
                                  "not be loaded; the old one is still served"}})
    async def reload(request: Request, force: bool = Query(
            False, description="reload even when the served model has not changed")
            ) -> JSONResponse:
        await require(request, "admin")
        try:
            result = await holder.reload(force=force)
        except Exception as exc:
            raise ApiError(503, "model_unavailable",
                           f"the new model could not be loaded; still serving the old one: "
                           f"{exc}") from None
        return JSONResponse(result)

    return router
