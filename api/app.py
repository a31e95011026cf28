"""The FastAPI application: JSON API under /v1, the web page at /, docs at /docs and /redoc.

`create_app()` does no heavy work; the model loads in a worker thread at startup (lifespan)
or on first use, so importing this module is cheap and /v1/health can say 503 until ready.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api import metrics
from api.access import AccessMiddleware
from api.batcher import Coalescer
from api.docs import mount_docs
from api.errors import install_error_handlers
from api.feedback import ServingHolder, build_feedback_router
from api.guard import Guard
from api.metrics import build_metrics_router
from api.page import build_page
from api.routes import build_router
from detector.settings import Settings

STATIC = Path(__file__).parent / "static"
DESCRIPTION = """\
Scores job postings (English or Chinese) for signs of a scam and explains why, with the
evidence highlighted as offsets into the text you sent.

Errors always have the shape
`{"error": {"code", "message", "status", "request_id"}}`.
When API keys are configured, send `Authorization: Bearer <key>` to `/v1/score*`.
Recording decisions needs a `moderator` key, reloading an `admin` key: on a server without
keys they are refused (make one with `detector keys add --role moderator`).
"""
#: Printed (logged at WARNING) when a server starts with decisions open to anyone.
TRIAL_WARNING = (
    "DECISIONS ARE OPEN TO ANYONE (DETECTOR_OPEN_DECISIONS_FOR_TRIAL / "
    "--open-decisions-for-trial): whoever reaches this server can record decisions that "
    "flag postings at once and feed the next retraining, reload the model and read "
    "/metrics. For a trial on your own machine only; for real use make keys with "
    "`detector keys add --role moderator` and set DETECTOR_API_KEYS_FILE.")


def warn_if_open(guard: Guard) -> None:
    log = logging.getLogger("api")
    if guard.keys.open_for_trial:
        log.warning(TRIAL_WARNING)
    elif guard.keys.trial:
        log.warning("DETECTOR_OPEN_DECISIONS_FOR_TRIAL is ignored: API keys are configured, "
                    "so every route asks for its role")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    # A ModelHolder that follows promotions recorded in the label store (issues 12, 20).
    holder = ServingHolder(settings)
    guard = Guard(settings)
    coalescer = Coalescer()
    logging.getLogger("api").setLevel(settings.log_level)

    warn_if_open(guard)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        holder.start()
        keys_watch = asyncio.get_running_loop().create_task(guard.keys.watch())
        if settings.serve_after_load:
            try:
                await holder.get()
            except Exception as exc:  # serve anyway: health says why, loading is retried
                logging.getLogger("api").error("serving without a model: %s", exc)
        yield
        keys_watch.cancel()
        await holder.stop()

    app = FastAPI(
        title="Job scam detector",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served below from local files: no CDN, works offline
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.model = holder
    app.state.guard = guard
    install_error_handlers(app)
    app.add_middleware(AccessMiddleware,
                       observe=metrics.observe_request if settings.metrics else None)
    app.include_router(build_router(settings, holder, guard, coalescer))
    app.include_router(build_page(settings, holder, guard, coalescer))
    app.include_router(build_feedback_router(settings, holder, guard))
    if settings.metrics:
        app.include_router(build_metrics_router(guard))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    mount_docs(app)
    return app


def __getattr__(name: str) -> Any:
    """`api.app:app` for servers that want an instance; built on first access, not import."""
    if name == "app":
        instance = create_app()
        globals()["app"] = instance
        return instance
    raise AttributeError(name)
