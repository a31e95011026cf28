"""Shared rate limits and keys across workers and replicas, against real processes: Debian's
redis-server and two `detector serve` replicas (one with 2 workers) sharing it and one keys
file. Then Redis is killed: the limit fails open to each process's own count with a warning
line, nothing fails, and counting goes back to Redis when it returns."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from api.guard import key_fingerprint
from tests.api.conftest import needs_model
from tests.api.samples import EN_LEGIT
from tests.api.servers import RedisServer, ServeProcess

pytestmark = [needs_model, pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="needs Debian's redis-server (scripts/setup.sh installs it)")]
LIMIT = 10


class Fleet:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.redis = RedisServer(base).start()
        self.keys = base / "keys"
        self.keys.write_text("k-workers\nk-replicas\nk-outage\nk-rotate\n")
        env = {"DETECTOR_REDIS_URL": self.redis.url,
               "DETECTOR_RATE_LIMIT_PER_MINUTE": str(LIMIT),
               "DETECTOR_API_KEYS_FILE": str(self.keys),
               "DETECTOR_LABEL_DB": str(base / "labels.sqlite"),
               "DETECTOR_MODELS_HOME": str(base / "home")}
        self.a = ServeProcess(base, env, workers=2, name="replica-a").start()
        self.b = ServeProcess(base, env, workers=1, name="replica-b").start()
        self.a.wait_ready()
        self.b.wait_ready()

    def close(self) -> None:
        for server in (self.a, self.b):
            server.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def fleet() -> Iterator[Fleet]:
    base = Path(tempfile.mkdtemp(prefix="detector-fleet-"))
    started = Fleet(base)
    try:
        yield started
    finally:
        started.close()
        shutil.rmtree(base, ignore_errors=True)


def score(url: str, key: str) -> int:
    # A new connection per request, so uvicorn's workers share the requests between them.
    with httpx.Client(timeout=30) as http:
        return http.post(f"{url}/v1/score", json={"text": EN_LEGIT},
                         headers={"Authorization": f"Bearer {key}"}).status_code


def test_one_limit_across_workers(fleet: Fleet) -> None:
    codes = [score(fleet.a.url, "k-workers") for _ in range(3 * LIMIT)]
    # Counted per process, 2 workers would have let up to 2 x LIMIT through.
    assert codes.count(200) == LIMIT and codes.count(429) == 2 * LIMIT


def test_one_limit_across_replicas(fleet: Fleet) -> None:
    codes = [score(url, "k-replicas") for _ in range(LIMIT) for url in (fleet.a.url,
                                                                       fleet.b.url)]
    assert codes.count(200) == LIMIT and codes.count(429) == LIMIT
    assert codes[:LIMIT] == [200] * LIMIT


def test_keys_file_rotation_reaches_every_replica(fleet: Fleet) -> None:
    assert score(fleet.b.url, "k-new") == 401
    fleet.keys.write_text("k-workers\nk-replicas\nk-outage\nk-new\n")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if all(score(s.url, "k-new") == 200 and score(s.url, "k-rotate") == 401
               for s in (fleet.a, fleet.b)):
            break
        time.sleep(0.2)
    else:
        pytest.fail("the rotated keys file was not picked up within 10 s")


def test_redis_down_fails_open_then_recovers(fleet: Fleet) -> None:
    fp = key_fingerprint("k-outage")
    fleet.redis.stop()
    codes = [score(fleet.b.url, "k-outage") for _ in range(LIMIT + 2)]
    # No error: each process counts on its own meanwhile (replica b has one worker).
    assert codes == [200] * LIMIT + [429] * 2
    log = fleet.b.log()
    assert "rate limit: Redis at redis://127.0.0.1" in log and "failing open" in log
    assert all(s.process is not None and s.process.poll() is None for s in (fleet.a, fleet.b))

    fleet.redis.start()  # same port, empty: counting moves back to Redis
    client = redis.Redis.from_url(fleet.redis.url)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert score(fleet.b.url, "k-outage") in (200, 429)
        if any(fp in key.decode() for key in client.keys("*")):
            break
        time.sleep(0.3)
    else:
        pytest.fail("requests were not counted in Redis again after it came back")
    assert "Redis is reachable again" in fleet.b.log()
