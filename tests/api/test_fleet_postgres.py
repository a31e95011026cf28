"""PostgreSQL stopped mid-run, against real processes: `detector serve` (2 workers) storing
feedback in Debian's PostgreSQL while clients record decisions and score all the time.

While the database is down, feedback answers 503 `store_unavailable` (the API's one error
shape) and scoring goes on; readiness stays 200 and says the store is unreachable. When the
database is back, feedback works again with no restart. Nothing is half-written: every batch
of decisions is in the store whole or not at all, and every batch the client saw
acknowledged (201) is there."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.api.conftest import (
    ADMIN_KEY,
    KEYS_ENV,
    MODERATOR_KEY,
    SCORE_KEY,
    bearer,
    needs_model,
)
from tests.api.samples import EN_LEGIT
from tests.api.servers import ServeProcess
from tests.labels.postgres import PostgresServer, find_bin

pytestmark = [needs_model, pytest.mark.skipif(
    not find_bin("initdb"), reason="needs Debian's postgresql (scripts/setup.sh installs it)")]
BATCH = 3


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    base = Path(tempfile.mkdtemp(prefix="detector-pgfault-"))
    server = PostgresServer(base).start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def batch_body(n: int) -> dict:
    """BATCH decisions with ids b{n}-{i}, each on its own posting text (hand-written)."""
    return {"items": [{"posting": {"id": f"b{n}-{i}", "text": f"Typing job {n}-{i}: pay a "
                                   "refundable 200 yuan deposit before you start."},
                       "label": "scam"} for i in range(BATCH)]}


def test_postgres_stopped_mid_run(pg: PostgresServer, tmp_path: Path) -> None:
    serve = ServeProcess(tmp_path, {"DETECTOR_LABEL_DB": pg.url, "DETECTOR_API_KEYS": KEYS_ENV,
                                    "DETECTOR_MODELS_HOME": str(tmp_path / "home")},
                         workers=2).start()
    feedback: list[tuple[int, int, dict]] = []  # (batch number, status, body)
    scores: list[int] = []
    stop = threading.Event()

    def record() -> None:
        n = 0
        with httpx.Client(base_url=serve.url, timeout=30,
                          headers=bearer(MODERATOR_KEY)) as http:
            while not stop.is_set():
                n += 1
                response = http.post("/v1/feedback/batch", json=batch_body(n))
                feedback.append((n, response.status_code, response.json()))
                time.sleep(0.02)

    def score() -> None:
        with httpx.Client(base_url=serve.url, timeout=30, headers=bearer(SCORE_KEY)) as http:
            while not stop.is_set():
                scores.append(http.post("/v1/score", json={"text": EN_LEGIT}).status_code)

    try:
        serve.wait_ready()
        threads = [threading.Thread(target=record), threading.Thread(target=score)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        pg.stop()
        down_at = len(feedback)
        time.sleep(4)
        health = httpx.get(f"{serve.url}/v1/health", timeout=10, headers=bearer(ADMIN_KEY))
        scored_while_down = len(scores)
        pg.start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
                status == 201 for _, status, _ in feedback[down_at:][-3:]):
            time.sleep(0.2)
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        stop.set()
        serve.stop()

    statuses = Counter(status for _, status, _ in feedback)
    assert set(statuses) <= {201, 503}, statuses
    assert statuses[503] > 0, "the outage was never seen"
    refused = next(body for _, status, body in feedback if status == 503)
    assert refused["error"]["code"] == "store_unavailable"
    assert "nothing was recorded" in refused["error"]["message"]
    # Recovery without a restart: the last batches were stored again.
    assert feedback[-1][1] == 201, feedback[-3:]
    # Scoring never stopped: all 200, including while the database was down.
    assert set(scores) == {200} and scored_while_down > 0
    assert health.status_code == 200
    assert health.json()["store"]["reachable"] is False and health.json()["store"]["error"]

    engine = create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        ids = {row[0] for row in conn.execute(text("SELECT external_id FROM decisions"))}
    engine.dispose()
    per_batch = Counter(i.split("-")[0] for i in ids)
    assert set(per_batch.values()) == {BATCH}, "a batch was stored in part"
    acknowledged = {f"b{n}" for n, status, _ in feedback if status == 201}
    assert acknowledged <= set(per_batch), acknowledged - set(per_batch)
    assert "label store unreachable" in serve.log()
