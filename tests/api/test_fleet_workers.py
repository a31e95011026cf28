"""Worker faults and shutdown, against a real `detector serve` with 2 workers:

- a worker SIGKILLed while clients record feedback: every decision a client saw acknowledged
  (201) is in the store; uvicorn starts a new worker and the server keeps answering;
- SIGTERM while requests are in flight: they finish (200), new connections are refused, and
  the server exits cleanly (graceful shutdown drains).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil

from detector.labels.store import LabelStore
from tests.api.conftest import KEYS_ENV, MODERATOR_KEY, SCORE_KEY, bearer, needs_model
from tests.api.samples import EN_LEGIT
from tests.api.servers import ServeProcess

pytestmark = needs_model


def test_sigkilled_worker_loses_no_acknowledged_feedback(tmp_path: Path) -> None:
    db = str(tmp_path / "labels.sqlite")
    serve = ServeProcess(tmp_path, {"DETECTOR_LABEL_DB": db, "DETECTOR_API_KEYS": KEYS_ENV,
                                    "DETECTOR_MODELS_HOME": str(tmp_path / "home")},
                         workers=2).start()
    acknowledged: list[str] = []
    failures: list[str] = []
    stop = threading.Event()

    def client(name: str) -> None:
        n = 0
        # keep-alive: pinned to a worker
        http = httpx.Client(base_url=serve.url, timeout=30, headers=bearer(MODERATOR_KEY))
        while not stop.is_set():
            n += 1
            ident = f"{name}-{n}"
            body = {"posting": {"id": ident, "text": f"Listing {ident}: a 150 yuan training "
                                "fee is refunded after your first task."}, "label": "scam"}
            try:
                response = http.post("/v1/feedback", json=body)
            except httpx.HTTPError as exc:  # not acknowledged: the client may retry it
                failures.append(type(exc).__name__)
                http.close()
                http = httpx.Client(base_url=serve.url, timeout=30,
                                    headers=bearer(MODERATOR_KEY))
                continue
            if response.status_code == 201:
                acknowledged.append(ident)
            else:
                failures.append(str(response.status_code))
        http.close()

    try:
        serve.wait_ready()
        before = serve.worker_pids()
        assert len(before) == 2
        threads = [threading.Thread(target=client, args=(f"c{i}",)) for i in range(6)]
        for thread in threads:
            thread.start()
        cpu = {pid: sum(psutil.Process(pid).cpu_times()[:2]) for pid in before}
        time.sleep(2)
        acked_before_kill = len(acknowledged)
        # The worker that did the most in those 2 s: it has requests in flight.
        victim = max(before, key=lambda pid: sum(psutil.Process(pid).cpu_times()[:2]) - cpu[pid])
        os.kill(victim, signal.SIGKILL)
        time.sleep(4)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(set(serve.worker_pids()) - {victim}) < 2:
            time.sleep(0.5)
        after = serve.worker_pids()
        assert httpx.post(f"{serve.url}/v1/score", json={"text": EN_LEGIT}, timeout=60,
                          headers=bearer(SCORE_KEY)).status_code == 200
    finally:
        stop.set()
        serve.stop()

    store = LabelStore(db)
    stored = {row["external_id"] for row in store.decisions()}
    store.close()
    assert acked_before_kill > 0 and len(acknowledged) > acked_before_kill
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged decisions were lost"
    assert victim not in after and len(after) == 2  # uvicorn replaced the killed worker
    print(f"{len(acknowledged)} acknowledged, all stored; {len(failures)} requests failed "
          f"without acknowledgement ({sorted(set(failures))})")


def test_sigterm_drains_in_flight_requests(tmp_path: Path) -> None:
    serve = ServeProcess(tmp_path, {"DETECTOR_LABEL_DB": str(tmp_path / "l.sqlite"),
                                    "DETECTOR_MODELS_HOME": str(tmp_path / "home")},
                         workers=2).start()
    # Long batches (hand-written postings) whose bodies are still being uploaded when SIGTERM
    # arrives: in flight by construction, however fast this machine scores.
    body = json.dumps({"postings": [{"text": f"{EN_LEGIT} {EN_LEGIT} Position {i}."}
                                    for i in range(1000)]}).encode()
    head, tail = body[: len(body) // 2], body[len(body) // 2:]
    started = threading.Semaphore(0)
    sigterm_sent = threading.Event()
    results: list[tuple[int, float]] = []

    def upload() -> Iterator[bytes]:
        yield head
        started.release()
        sigterm_sent.wait(timeout=30)
        time.sleep(0.3)
        yield tail

    def long_request() -> None:
        response = httpx.post(f"{serve.url}/v1/score/batch", content=upload(), timeout=120,
                              headers={"content-type": "application/json"})
        results.append((response.status_code, time.monotonic()))
        assert len(response.json()["results"]) == 1000

    try:
        serve.wait_ready()
        threads = [threading.Thread(target=long_request) for _ in range(2)]
        for thread in threads:
            thread.start()
        for _ in threads:
            assert started.acquire(timeout=30), "request did not start"
        time.sleep(0.5)  # the first halves have reached the workers
        assert serve.process is not None
        serve.process.send_signal(signal.SIGTERM)
        sigterm_at = time.monotonic()
        sigterm_sent.set()
        refused_after = None
        while time.monotonic() - sigterm_at < 5:  # the supervisor looks at signals every 0.5 s
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", serve.port)) != 0:
                    refused_after = time.monotonic() - sigterm_at
                    break
            time.sleep(0.05)
        for thread in threads:
            thread.join(timeout=120)
        code = serve.process.wait(timeout=60)
    finally:
        sigterm_sent.set()
        serve.stop()
    assert [status for status, _ in results] == [200, 200]
    assert all(done > sigterm_at for _, done in results), "not in flight at SIGTERM"
    assert refused_after is not None, "new connections were still accepted 5 s after SIGTERM"
    assert code == 0


def test_report_limit_is_one_count_across_workers(tmp_path: Path) -> None:
    """Issue 25: /v1/report's per-address limit was counted per worker (2 workers accepted
    20 of 40 in a minute). Now the label store counts it once for every worker."""
    serve = ServeProcess(tmp_path, {"DETECTOR_LABEL_DB": str(tmp_path / "labels.sqlite"),
                                    "DETECTOR_MODELS_HOME": str(tmp_path / "home")},
                         workers=2).start()
    try:
        serve.wait_ready()
        while time.time() % 60 > 40:  # all 40 reports inside one minute window
            time.sleep(0.5)
        codes = []
        for i in range(40):
            with httpx.Client(timeout=30) as http:  # a new connection: any worker takes it
                codes.append(http.post(f"{serve.url}/v1/report", json={"posting": {
                    "text": f"Report {i}: send a 300 yuan deposit to start typing."}}
                ).status_code)
    finally:
        serve.stop()
    assert codes.count(201) == 10 and codes.count(429) == 30, codes
    store = LabelStore(str(tmp_path / "labels.sqlite"))
    assert store.counts()["decisions_report"] == 10
    store.close()
