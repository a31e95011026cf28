"""Prometheus metrics through the maintained `prometheus-client`, summed across uvicorn workers.

`detector serve` points PROMETHEUS_MULTIPROC_DIR at an empty directory before the workers
start (api/server.py): each worker writes its counters to memory-mapped files there, and
/metrics, whichever worker answers it, adds them up. A process without that variable (tests,
an app built in-process) uses its own registry. Names and sample queries: docs/deploy.md.

Counting is a dictionary lookup and an increment per value (label children are cached), so
it stays on with no measurable cost on the scoring path (benchmarks/README.md).
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.concurrency import run_in_threadpool

from detector.verdict import Verdict

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

REQUESTS = Counter("detector_http_requests", "HTTP requests answered, by route template, "
                   "method and status", ["route", "method", "status"])
LATENCY = Histogram("detector_http_request_duration_seconds", "Time from request to the end "
                    "of the response, by route template", ["route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5,
                             5.0, 10.0))
VERDICTS = Counter("detector_verdicts", "Verdicts returned (API and page), by risk, language "
                   "and the model version that made them", ["risk", "language", "model_version"])
FLAGS = Counter("detector_flags", "Red flags raised in returned verdicts", ["flag"])
MODEL = Gauge("detector_model_info", "1 for the model version the workers serve",
              ["model_version"], multiprocess_mode="livemax")
BATCH_SIZE = Histogram("detector_coalescer_batch_size", "Postings per coalesced scoring call",
                       buckets=(1, 2, 4, 8, 12, 16, 24, 32))
QUEUE_WAIT = Histogram("detector_coalescer_queue_wait_seconds", "Time a posting waited in the "
                       "coalescer's queue before its scoring call started",
                       buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
FEEDBACK = Counter("detector_feedback_decisions", "Decisions recorded in the label store, by "
                   "source (moderator, report) and label", ["source", "label"])
STORE_ERRORS = Counter("detector_store_errors", "Failed calls to a shared store (label_store: "
                       "the label database; redis: the rate-limit counter)", ["store"])
RATE_LIMITED = Counter("detector_rate_limited", "Requests refused with 429, by limit",
                       ["limit"])

_route_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}
_verdict_children: dict[tuple[str, str, str], Counter] = {}
_flag_children: dict[str, Counter] = {}


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    key = (route, method, status)
    children = _route_children.get(key)
    if children is None:
        children = (REQUESTS.labels(route, method, str(status)), LATENCY.labels(route))
        _route_children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def verdicts(items: Iterable[Verdict]) -> None:
    for verdict in items:
        key = (verdict.risk, verdict.language, verdict.model_version)
        child = _verdict_children.get(key)
        if child is None:
            child = _verdict_children[key] = VERDICTS.labels(*key)
        child.inc()
        for hit in verdict.flags:
            flag = _flag_children.get(hit.id)
            if flag is None:
                flag = _flag_children[hit.id] = FLAGS.labels(hit.id)
            flag.inc()


def batch(size: int, waits: Iterable[float]) -> None:
    BATCH_SIZE.observe(size)
    for wait in waits:
        QUEUE_WAIT.observe(wait)


def model_served(version: str, previous: str | None = None) -> None:
    if previous and previous != version:
        MODEL.labels(previous).set(0)
    MODEL.labels(version).set(1)


def feedback(source: str, label: str, n: int = 1) -> None:
    FEEDBACK.labels(source, label).inc(n)


def store_error(store: str) -> None:
    STORE_ERRORS.labels(store).inc()


def rate_limited(limit: str) -> None:
    RATE_LIMITED.labels(limit).inc()


def _forget_dead_workers(path: str) -> None:
    """A killed worker never says it died: drop its live gauges (model_info) so a later
    promotion does not show its stale version beside the served one."""
    for name in glob.glob(os.path.join(path, "gauge_live*_*.db")):
        found = re.search(r"_(\d+)\.db$", name)
        if not found:
            continue
        pid = int(found.group(1))
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, path)
        except PermissionError:
            continue


def build_metrics_router(guard: Any) -> APIRouter:
    """GET /metrics: needs a key with the `metrics` or `admin` role (no keys configured:
    refused, unless the trial opt-in is on; docs/deploy.md)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    async def scrape(request: Request) -> Response:
        guard.authorize(request, "metrics")
        body = await run_in_threadpool(render)
        return Response(body, media_type=CONTENT_TYPE)

    return router


def render() -> bytes:
    """The exposition text: every worker's values summed (multiprocess), else this process's."""
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return generate_latest(REGISTRY)
    _forget_dead_workers(path)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path)
    return generate_latest(registry)
