"""API keys (401 / success, never logged; from the env or a keys file re-read on change), the
per-caller rate limits (429) and who may read /metrics."""

from __future__ import annotations

import json
import logging

from api.guard import key_fingerprint
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


def test_report_is_limited_per_client_address_by_default(make_client, tmp_path) -> None:
    client = make_client(label_db=str(tmp_path / "labels.sqlite"))
    posting = {"posting": {"text": "Send a 300 yuan deposit to start this typing job."}}
    codes = [client.post("/v1/report", json=posting).status_code for _ in range(11)]
    assert codes == [201] * 10 + [429]
    # Scoring has no limit unless one is configured.
    assert {client.post("/v1/score", json={"text": EN_LEGIT}).status_code
            for _ in range(12)} == {200}


def test_keys_file_rotates_without_restart(make_client, tmp_path, monkeypatch) -> None:
    from api import keys

    monkeypatch.setattr(keys, "CHECK_EVERY_S", 0.0)
    monkeypatch.setattr(keys, "SETTLE_S", 0.0)
    path = tmp_path / "keys"
    path.write_text("# scoring keys\nold-key\nmod-key:moderator\n")
    client = make_client(api_keys_file=path, label_db=str(tmp_path / "l.sqlite"))

    def score(key: str) -> int:
        return client.post("/v1/score", json={"text": EN_LEGIT},
                           headers={"Authorization": f"Bearer {key}"}).status_code

    assert (score("old-key"), score("new-key"), score("mod-key")) == (200, 401, 200)
    path.write_text("new-key, mod-key:moderator\n")
    assert (score("old-key"), score("new-key")) == (401, 200)
    # A broken file keeps the keys read before (and says so in the log).
    path.write_text("new-key:no-such-role\n")
    assert score("new-key") == 200
    # An empty (or missing) file: keys are still required, and none is valid.
    path.write_text("")
    assert score("new-key") == 401


def test_metrics_need_a_metrics_or_admin_key(make_client) -> None:
    locked = make_client(api_keys=frozenset({"s", "m", "a"}),
                         key_roles=frozenset({("m", "metrics"), ("a", "admin")}))
    assert locked.get("/metrics").status_code == 401
    assert locked.get("/metrics", headers={"Authorization": "Bearer s"}).status_code == 403
    for key in ("m", "a"):
        scraped = locked.get("/metrics", headers={"Authorization": f"Bearer {key}"})
        assert scraped.status_code == 200, key
        assert scraped.headers["content-type"].startswith("text/plain")
        assert "detector_http_requests_total" in scraped.text
    # The metrics role reads metrics only: no reload, no scoring (issue 25).
    assert locked.post("/v1/admin/reload", headers={"Authorization": "Bearer m"}
                       ).status_code == 403
    assert locked.post("/v1/score", json={"text": EN_LEGIT},
                       headers={"Authorization": "Bearer m"}).status_code == 403
