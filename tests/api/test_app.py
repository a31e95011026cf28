"""The JSON API end to end through the real app and the real model."""

from __future__ import annotations

import json
import logging

from fastapi.testclient import TestClient

from api.schemas import VerdictOut
from detector.flags import FLAG_IDS
from tests.api.conftest import ADMIN_KEY, wait_ready
from tests.api.samples import EN_FEE_SCAM, EN_LEGIT, ZH_FEE_SCAM

#: What the OpenAPI document promises is what the server sends.
#: Only moderator/admin keys get `notes` (campaign memory); an open API has no moderators.
VERDICT_KEYS = set(VerdictOut.model_fields) - {"notes"}


def test_health_once_loaded(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["model_version"]
    assert response.headers["x-request-id"]
    assert response.json()["store"]["reachable"] is True  # the default SQLite store
    assert client.get("/v1/live").json() == {"status": "alive"}


def test_readiness_says_when_the_store_is_unreachable(make_keyed, tmp_path) -> None:
    # A PostgreSQL URL nothing listens on (a free loopback port): scoring still works. An
    # admin key sees the reason; a moderator's decision is refused with 503.
    from tests.api.servers import free_port

    down = make_keyed(ADMIN_KEY, label_db=f"postgresql://x@127.0.0.1:{free_port()}/x")
    wait_ready(down)
    store = down.get("/v1/health").json()["store"]
    assert store["reachable"] is False and store["error"]  # the reason, or "no answer"
    assert down.post("/v1/score", json={"text": EN_LEGIT}).status_code == 200
    refused = down.post("/v1/feedback", json={"posting": {"text": EN_LEGIT}, "label": "legit"})
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "store_unavailable"
    assert refused.headers["retry-after"] == "5"


def test_request_id_is_echoed_when_sane(client: TestClient) -> None:
    assert client.get("/v1/health", headers={"X-Request-ID": "abc-123"}).headers[
        "x-request-id"] == "abc-123"
    odd = client.get("/v1/health", headers={"X-Request-ID": "<script>"})
    assert odd.headers["x-request-id"] != "<script>"


def test_model_card_and_catalogue(client: TestClient) -> None:
    body = client.get("/v1/model").json()
    assert body["model_version"] == client.get("/v1/health").json()["model_version"]
    assert isinstance(body["card"], dict) and body["card"]
    assert [flag["id"] for flag in body["flags"]] == list(FLAG_IDS)
    assert {"id", "severity", "title", "explanation", "advice"} <= set(body["flags"][0])
    zh = client.get("/v1/model?lang=zh").json()["flags"][0]["title"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)


def test_score_chinese_fee_scam(client: TestClient) -> None:
    response = client.post("/v1/score", json={"id": "zh-1", "text": ZH_FEE_SCAM})
    assert response.status_code == 200
    verdict = response.json()
    assert set(verdict) == VERDICT_KEYS
    assert verdict["id"] == "zh-1"
    assert verdict["language"] == "zh"
    assert verdict["risk"] == "high"
    flags = {flag["id"]: flag for flag in verdict["flags"]}
    assert "upfront_fee" in flags
    for flag in verdict["flags"]:
        for ev in flag["evidence"]:
            assert ZH_FEE_SCAM[ev["start"]:ev["end"]] == ev["text"]
    # Default language of titles/advice is the posting's own: Chinese.
    assert any("\u4e00" <= ch <= "\u9fff" for ch in flags["upfront_fee"]["title"])


def test_score_english_legit_posting(client: TestClient) -> None:
    verdict = client.post("/v1/score", json={"text": EN_LEGIT}).json()
    assert verdict["language"] == "en"
    assert verdict["risk"] == "low"
    assert verdict["id"] is None
    assert not any(flag["severity"] == "high" for flag in verdict["flags"])


def test_structured_posting_offsets_index_each_field(client: TestClient) -> None:
    posting = {"title": "数据标注员", "description": ZH_FEE_SCAM, "salary": "日结300元"}
    verdict = client.post("/v1/score", json=posting).json()
    for flag in verdict["flags"]:
        for ev in flag["evidence"]:
            assert posting[ev["field"]][ev["start"]:ev["end"]] == ev["text"]


def test_lang_query_beats_accept_language_beats_posting(client: TestClient) -> None:
    def title(**kwargs: object) -> str:
        body = client.post("/v1/score", json={"text": ZH_FEE_SCAM}, **kwargs).json()
        return next(f["title"] for f in body["flags"] if f["id"] == "upfront_fee")

    zh_title, en_title = title(), title(params={"lang": "en"})
    assert zh_title != en_title and en_title.isascii()
    assert title(headers={"Accept-Language": "en-GB,en;q=0.9"}) == en_title
    assert title(params={"lang": "zh"}, headers={"Accept-Language": "en"}) == zh_title
    english = client.post("/v1/score", json={"text": EN_FEE_SCAM},
                          headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).json()
    assert english["language"] == "en"
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in f["title"]) for f in english["flags"])


def test_batch_keeps_order_ids_and_error_entries(client: TestClient) -> None:
    postings = [
        {"id": "a", "text": ZH_FEE_SCAM},
        {"id": "b", "text": ""},
        {"id": 7, "text": EN_LEGIT},
        {"id": "d", "text": "   ", "title": None},
        {"id": "e", "text": "\x00 \n"},
        {"text": EN_FEE_SCAM},
    ]
    response = client.post("/v1/score/batch", json={"postings": postings})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == len(postings)
    assert [r.get("id") for r in results[:3:2]] == ["a", "7"]
    assert results[0]["risk"] == "high" and results[2]["risk"] == "low"
    assert results[5]["id"] is None and results[5]["language"] == "en"
    rid = response.headers["x-request-id"]
    for index, want_id in ((1, "b"), (3, "d"), (4, "e")):
        error = results[index]["error"]
        assert error["status"] == 422 and error["code"] == "invalid_posting"
        assert error["index"] == index and error["request_id"] == rid
        assert error.get("id") == want_id
    # Same verdicts as scoring one by one.
    single = client.post("/v1/score", json=postings[0]).json()
    assert single == results[0]


def test_batch_entry_of_the_wrong_type_rejects_the_request(client: TestClient) -> None:
    """Issue 10 item 11: the schema forbids these, so the server must not answer 200."""
    for bad, where in (([None], "postings[0]: must be an object"),
                       ({"text": "ok"}, None),
                       ("not an object", "postings[0]: must be an object"),
                       ({"text": 3}, "postings[0]: text: must be a string"),
                       ({"text": "x", "telecommuting": "yes"}, "telecommuting"),
                       ({"text": "x", "id": True}, "id: must be")):
        body = {"postings": [{"text": EN_LEGIT}, bad] if where is None else [bad]}
        response = client.post("/v1/score/batch", json=body)
        if where is None:
            assert response.status_code == 200
            continue
        assert response.status_code == 422, bad
        error = response.json()["error"]
        assert error["code"] == "validation_error" and where in error["message"]
    response = client.post("/v1/score/batch", json={"postings": [[None]]})
    assert response.status_code == 422 and response.json()["error"]["index"] == 0


def test_batch_limits_and_shape(client: TestClient, make_client) -> None:
    assert client.post("/v1/score/batch", json={"postings": []}).json() == {"results": []}
    error = client.post("/v1/score/batch", json=[{"text": "x"}]).json()["error"]
    assert error["code"] == "validation_error" and error["status"] == 422
    small = make_client(max_batch=3)
    response = small.post("/v1/score/batch", json={"postings": [{"text": "hi"}] * 4})
    assert response.status_code == 422  # the document's maxItems (issue 24: was 413)
    assert response.json()["error"]["code"] == "too_many_postings"
    assert small.post("/v1/score/batch", json={"postings": [{"text": "hi"}] * 3}).status_code \
        == 200


def test_full_size_batch(client: TestClient) -> None:
    postings = [{"id": str(i), "text": (EN_LEGIT, ZH_FEE_SCAM)[i % 2]} for i in range(1000)]
    results = client.post("/v1/score/batch", json={"postings": postings}).json()["results"]
    assert [r["id"] for r in results] == [str(i) for i in range(1000)]


def test_openapi_documents_bodies_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    score = spec["paths"]["/v1/score"]["post"]["requestBody"]["content"]["application/json"]
    assert {"zh_fee_scam", "en_legit"} <= set(score["examples"])
    assert "培训费" in json.dumps(score["examples"]["zh_fee_scam"], ensure_ascii=False)
    assert "text" in score["schema"]["properties"]
    batch = spec["paths"]["/v1/score/batch"]["post"]["requestBody"]["content"]["application/json"]
    assert batch["examples"]["mixed"]["value"]["postings"]
    assert "postings" in batch["schema"]["properties"]
    assert "/" not in spec["paths"]  # the page is not part of the API document


def test_docs_page_works_offline(client: TestClient) -> None:
    """/docs loads Swagger UI from the app itself, never from a CDN."""
    import re

    for docs in ("/docs", "/redoc"):
        page = client.get(docs)
        assert page.status_code == 200
        assert "default-src 'self'" in page.headers["content-security-policy"]
        urls = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert urls and all(url.startswith("/") for url in urls), urls
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_access_log_is_json_without_text(client: TestClient, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="api.access"):
        response = client.post("/v1/score", json={"id": "p1", "text": ZH_FEE_SCAM})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "api.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["method"] == "POST" and line["path"] == "/v1/score" and line["status"] == 200
    assert line["latency_ms"] >= 0 and line["risk"] == "high" and line["n_postings"] == 1
    assert "培训费" not in caplog.text and "text" not in line


def test_access_log_batch_counts(client: TestClient, caplog) -> None:
    with caplog.at_level(logging.INFO, logger="api.access"):
        client.post("/v1/score/batch", json={"postings": [{"text": ZH_FEE_SCAM}, {"text": ""}]})
    line = json.loads(caplog.records[-1].getMessage())
    assert line["n_postings"] == 2 and line["n_errors"] == 1 and line["risks"] == {"high": 1}


def test_log_text_setting_adds_text(make_client, caplog) -> None:
    chatty = make_client(log_text=True)
    with caplog.at_level(logging.INFO, logger="api.access"):
        chatty.post("/v1/score", json={"text": ZH_FEE_SCAM})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "api.access"]
    assert lines[-1]["text"] == ZH_FEE_SCAM


def test_only_short_calls_run_on_the_event_loop(client: TestClient, monkeypatch) -> None:
    """Batches and long postings are scored in worker threads, so the event loop keeps
    answering; coalesced short postings are scored on the loop itself (bounded by
    api.batcher.BATCH_CHARS: ~20% less CPU per request than a thread hand-off)."""
    import threading

    from api.batcher import LONG_CHARS
    from detector import core

    seen: list[str] = []
    original = core.Detector.score_many

    def spy(self, postings, explain=False):  # type: ignore[no-untyped-def]
        seen.append(threading.current_thread().name)
        return original(self, postings, explain=explain)

    monkeypatch.setattr(core.Detector, "score_many", spy)
    client.post("/v1/score/batch", json={"postings": [{"text": EN_LEGIT}]})
    client.post("/v1/score", json={"text": EN_LEGIT * (LONG_CHARS // len(EN_LEGIT) + 1)})
    client.post("/v1/score?explain=true", json={"text": EN_LEGIT})
    client.post("/", data={"text": EN_LEGIT})  # the page explains: a worker thread too
    client.post("/v1/score", json={"text": EN_LEGIT})
    assert len(seen) == 5
    assert all("AnyIO worker thread" in name for name in seen[:4]), seen
    assert "AnyIO worker thread" not in seen[4]
