"""The deployment of docs/deploy.md, run for real: two `detector serve` replicas (2 workers and
1 worker) sharing a label store and Debian's redis-server, behind Debian's nginx running
deploy/nginx/detector.conf (ports replaced by free ones).

- /metrics, scraped while a load generator runs, counts exactly what the generator saw;
- nginx spreads requests over both replicas, hides /metrics, and passes the client's real
  address (a forged X-Forwarded-For does not escape /v1/report's per-address limit);
- a replica stopped with SIGTERM mid-load (a rolling restart) drops no request.
"""

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

from tests.api.conftest import METRICS_KEY, SCORE_KEY, bearer, needs_model
from tests.api.samples import EN_LEGIT
from tests.api.servers import NginxServer, RedisServer, ServeProcess, metric_values

pytestmark = [needs_model, pytest.mark.skipif(
    (shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists())
    or shutil.which("redis-server") is None,
    reason="needs Debian's nginx and redis-server (scripts/setup.sh installs them)")]
#: Hand-written scam (not data): a high-risk verdict with flags.
SCAM = {"text": "Pay a $50 registration fee by gift card, then earn $900 a week from home."}


class Deployment:
    def __init__(self, base: Path) -> None:
        self.redis = RedisServer(base).start()
        # The keyed setup of docs/deploy.md: one keys file for every replica.
        keys = base / "api-keys"
        keys.write_text(f"{SCORE_KEY}\n{METRICS_KEY}:metrics\n", encoding="utf-8")
        env = {"DETECTOR_REDIS_URL": self.redis.url, "DETECTOR_API_KEYS_FILE": str(keys),
               "DETECTOR_LABEL_DB": str(base / "labels.sqlite"),
               "DETECTOR_MODELS_HOME": str(base / "home")}
        self.a = ServeProcess(base, env, workers=2, name="replica-a").start()
        self.b = ServeProcess(base, env, workers=1, name="replica-b").start()
        self.a.wait_ready()
        self.b.wait_ready()
        self.nginx = NginxServer(base, [self.a.port, self.b.port]).start()

    def close(self) -> None:
        self.nginx.stop()
        for replica in (self.a, self.b):
            replica.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    base = Path(tempfile.mkdtemp(prefix="detector-deploy-"))
    started = Deployment(base)
    try:
        yield started
    finally:
        started.close()
        shutil.rmtree(base, ignore_errors=True)


def scrape(url: str) -> str:
    response = httpx.get(f"{url}/metrics", timeout=30, headers=bearer(METRICS_KEY))
    assert response.status_code == 200
    return response.text


def total(text: str, name: str, **labels: str) -> float:
    return sum(value for key, value in metric_values(text, name).items()
               if all((k, v) in key for k, v in labels.items()))


def test_metrics_match_the_load_generator(deployment: Deployment) -> None:
    url = deployment.a.url
    before = scrape(url)
    seen: Counter[tuple[str, int]] = Counter()
    risks: Counter[str] = Counter()
    lock = threading.Lock()
    requests = [("/v1/score", {"text": EN_LEGIT}), ("/v1/score", SCAM),
                ("/v1/score", {"text": 42}), ("/v1/no-such-route", {})]

    def generator(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=60, headers=bearer(SCORE_KEY)) as http:
            for i in range(120):
                path, body = requests[(i + offset) % len(requests)]
                response = http.post(path, json=body)
                with lock:
                    seen[(path, response.status_code)] += 1
                    if response.status_code == 200:
                        risks[response.json()["risk"]] += 1

    threads = [threading.Thread(target=generator, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    during = scrape(url)  # a scrape in the middle of the load
    for thread in threads:
        thread.join(timeout=300)
    after = scrape(url)

    def delta(text: str, name: str, **labels: str) -> float:
        return total(text, name, **labels) - total(before, name, **labels)

    requests_total = "detector_http_requests_total"
    assert sum(seen.values()) == 8 * 120
    assert 0 < delta(during, requests_total, route="/v1/score") < \
        delta(after, requests_total, route="/v1/score")
    assert delta(after, requests_total, route="/v1/score", status="200") == \
        seen[("/v1/score", 200)]
    assert delta(after, requests_total, route="/v1/score", status="422") == \
        seen[("/v1/score", 422)]
    assert delta(after, requests_total, route="unmatched", status="404") == \
        seen[("/v1/no-such-route", 404)]
    assert delta(after, "detector_http_request_duration_seconds_count", route="/v1/score") \
        == seen[("/v1/score", 200)] + seen[("/v1/score", 422)]
    for risk, n in risks.items():
        assert delta(after, "detector_verdicts_total", risk=risk) == n, risk
    assert delta(after, "detector_coalescer_batch_size_sum") == sum(risks.values())
    assert delta(after, "detector_coalescer_queue_wait_seconds_count") == sum(risks.values())
    assert delta(after, "detector_flags_total") >= risks["high"]
    assert total(after, "detector_model_info") == 1.0


def test_nginx_spreads_load_hides_metrics_and_keeps_client_address(
        deployment: Deployment) -> None:
    proxy = deployment.nginx.url
    before = {r.name: total(scrape(r.url), "detector_http_requests_total", route="/v1/score")
              for r in (deployment.a, deployment.b)}
    with httpx.Client(base_url=proxy, timeout=60, headers=bearer(SCORE_KEY)) as http:
        codes = Counter(http.post("/v1/score", json={"text": EN_LEGIT}).status_code
                        for _ in range(60))
        assert codes == {200: 60}
        assert http.get("/metrics", headers=bearer(METRICS_KEY)).status_code == 404
        posting = {"posting": {"text": "Send a 300 yuan deposit to start this typing job."}}
        reports = [http.post("/v1/report", json=posting,
                             headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                   for i in range(12)]
    assert reports == [201] * 10 + [429] * 2
    for replica in (deployment.a, deployment.b):
        served = total(scrape(replica.url), "detector_http_requests_total",
                       route="/v1/score") - before[replica.name]
        assert served > 0, f"{replica.name} got no requests through nginx"


def test_rolling_restart_through_nginx_drops_nothing(deployment: Deployment) -> None:
    statuses: list[int] = []
    stop = threading.Event()

    def client() -> None:
        with httpx.Client(base_url=deployment.nginx.url, timeout=60,
                          headers=bearer(SCORE_KEY)) as http:
            while not stop.is_set():
                statuses.append(http.post("/v1/score", json={"text": EN_LEGIT}).status_code)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    code = deployment.a.stop()  # SIGTERM to the 2-worker replica: drains, exits
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert code == 0
    assert statuses and Counter(statuses) == {200: len(statuses)}
