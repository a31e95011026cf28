"""API keys (401 / success, never logged) and the per-caller rate limit (429)."""

from __future__ import annotations

import json
import logging

from api.guard import FixedWindowLimiter, key_fingerprint
from tests.api.samples import EN_LEGIT

KEY = "s3cret-key-0123456789"


def test_keys_required_on_scoring_only(make_client) -> None:
    locked = make_client(api_keys=frozenset({KEY, "other-key"}))
    for path, body in (("/v1/score", {"text": EN_LEGIT}),
                       ("/v1/score/batch", {"postings": [{"text": EN_LEGIT}]})):
        missing = locked.post(path, json=body)
        assert missing.status_code == 401
        assert missing.json()["error"]["code"] == "unauthorized"
        assert missing.headers["www-authenticate"] == "Bearer"
        wrong = locked.post(path, json=body, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "invalid API key"
        assert locked.post(path, json=body, headers={"Authorization": "Basic " + KEY}) \
            .status_code == 401
        ok = locked.post(path, json=body, headers={"Authorization": f"Bearer {KEY}"})
        assert ok.status_code == 200
    # Health, model card, docs and the page stay open.
    for path in ("/v1/health", "/v1/model", "/docs", "/openapi.json", "/"):
        assert locked.get(path).status_code == 200, path
    assert locked.post("/", data={"text": EN_LEGIT}).status_code == 200


def test_auth_runs_before_the_body_is_read(make_client) -> None:
    locked = make_client(api_keys=frozenset({KEY}))
    assert locked.post("/v1/score", content=b"x" * 2_000_000).status_code == 401


def test_key_never_logged(make_client, caplog) -> None:
    locked = make_client(api_keys=frozenset({KEY}))
    wrong = "wrong-key-zzz-987"
    with caplog.at_level(logging.DEBUG):
        for key in (KEY, wrong):
            locked.post("/v1/score", json={"text": EN_LEGIT},
                        headers={"Authorization": f"Bearer {key}"})
    assert KEY not in caplog.text and wrong not in caplog.text
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "api.access"]
    assert key_fingerprint(KEY) in [line.get("key") for line in logged]
    assert len(key_fingerprint(KEY)) == 8


def test_rate_limit_429_with_retry_after(make_client) -> None:
    limited = make_client(rate_limit_per_minute=3)
    codes = [limited.post("/v1/score", json={"text": EN_LEGIT}).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    over = limited.post("/v1/score", json={"text": EN_LEGIT})
    assert over.status_code == 429
    assert over.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(over.headers["retry-after"]) <= 60
    assert limited.get("/v1/health").status_code == 200  # health is never limited


def test_rate_limit_is_per_key(make_client) -> None:
    limited = make_client(api_keys=frozenset({"k1", "k2"}), rate_limit_per_minute=1)

    def post(key: str) -> int:
        return limited.post("/v1/score", json={"text": EN_LEGIT},
                            headers={"Authorization": f"Bearer {key}"}).status_code

    assert [post("k1"), post("k1"), post("k2")] == [200, 429, 200]


def test_fixed_window_resets() -> None:
    now = [120.0]
    limiter = FixedWindowLimiter(2, window=60, clock=lambda: now[0])
    assert [limiter.hit("a"), limiter.hit("a"), limiter.hit("b")] == [None, None, None]
    assert limiter.hit("a") == 60.0
    now[0] = 150.5
    assert limiter.hit("a") == 29.5
    now[0] = 180.0
    assert limiter.hit("a") is None
