"""Every error path answers with the one JSON error shape, and body limits hold."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import ApiError, error_body
from tests.api.conftest import base_settings

SIX_MB = 6 * 1024 * 1024


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["status"] == status
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"] == response.headers["x-request-id"]
    return error


def test_error_shape_is_pinned(client: TestClient) -> None:
    """The contract clients rely on: exactly these keys, for our own and framework errors."""
    samples = [
        client.post("/v1/score", content=b"{"),  # ours: malformed JSON
        client.get("/no/such/path"),  # Starlette 404
        client.delete("/v1/score"),  # Starlette 405
        client.post("/v1/score?lang=xx", json={"text": "hi"}),  # FastAPI validation error
    ]
    for response in samples:
        error = response.json()["error"]
        assert list(error) == ["code", "message", "status", "request_id"], error
    assert error_body(422, "invalid_posting", "why", "rid") == {
        "error": {"code": "invalid_posting", "message": "why", "status": 422, "request_id": "rid"}
    }
    assert ApiError(400, "x", "y").body(None)["error"]["request_id"] is None


def test_malformed_json_is_400(client: TestClient) -> None:
    error = assert_error(client.post("/v1/score", content=b'{"text": "a",}'), 400, "invalid_json")
    assert "malformed JSON" in error["message"]
    assert_error(client.post("/v1/score", content=b""), 400, "invalid_json")
    assert_error(client.post("/v1/score/batch", content=b"[1, 2"), 400, "invalid_json")


def test_invalid_utf8_is_400(client: TestClient) -> None:
    body = b'{"text": "\xe6\x95\xb0\xff\xfe"}'
    assert_error(client.post("/v1/score", content=body), 400, "invalid_encoding")


def test_empty_posting_is_422(client: TestClient) -> None:
    error = assert_error(client.post("/v1/score", json={"text": "   "}), 422, "invalid_posting")
    assert "empty posting" in error["message"]
    assert_error(client.post("/v1/score", json={}), 422, "invalid_posting")
    assert_error(client.post("/v1/score", json=["not", "an", "object"]), 422, "invalid_posting")


def test_wrong_type_is_422(client: TestClient) -> None:
    error = assert_error(client.post("/v1/score", json={"text": 42}), 422, "invalid_posting")
    assert "'text' must be a string" in error["message"]
    assert_error(
        client.post("/v1/score", json={"text": "ok", "telecommuting": "maybe"}),
        422, "invalid_posting",
    )


def test_framework_errors_use_the_shape(client: TestClient) -> None:
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.get("/v1/score"), 405, "method_not_allowed")
    error = assert_error(client.get("/v1/model?lang=fr"), 422, "validation_error")
    assert "lang" in error["message"]


def test_six_megabytes_is_413(client: TestClient) -> None:
    started = time.perf_counter()
    response = client.post("/v1/score", content=b"x" * SIX_MB,
                           headers={"content-type": "application/json"})
    error = assert_error(response, 413, "payload_too_large")
    assert error["limit_bytes"] == 1_000_000
    assert time.perf_counter() - started < 5


def test_chunked_body_without_length_is_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(SIX_MB // 65536):
            yield b" " * 65536

    response = client.post("/v1/score", content=chunks())
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large")


def test_batch_has_its_own_body_limit(make_client) -> None:
    small = make_client(max_batch_bytes=1000)
    body = json.dumps({"postings": [{"text": "x" * 600}, {"text": "y" * 600}]})
    assert_error(small.post("/v1/score/batch", content=body), 413, "payload_too_large")


def test_batch_posting_over_the_character_limit_is_an_error_entry(make_client) -> None:
    """In a batch each posting still obeys the per-posting limit (characters)."""
    small = make_client(max_posting_bytes=2000)
    postings = [{"text": "a" * 1500, "title": "b" * 600}, {"text": "short and fine"}]
    results = small.post("/v1/score/batch", json={"postings": postings}).json()["results"]
    assert results[0]["error"]["code"] == "invalid_posting"
    assert "too large" in results[0]["error"]["message"]
    assert results[1]["risk"] in {"low", "medium", "high"}


def test_streaming_body_stops_at_the_limit() -> None:
    """At the ASGI level: the app stops pulling chunks once the count passes the limit."""
    app = create_app(base_settings(max_posting_bytes=100_000))
    pulled = 0
    chunk = b" " * 10_000
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < 600}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/v1/score", "raw_path": b"/v1/score", "query_string": b"",
        "root_path": "", "headers": [(b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1234), "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled <= 11  # 100 kB limit / 10 kB chunks, plus the one that crossed it


def test_declared_length_refused_before_the_body_is_sent(live_server) -> None:
    """Over a real socket: send only the headers of a 6 MB request; the 413 comes back at
    once, without the server waiting for (or reading) the body."""
    with socket.create_connection(("127.0.0.1", live_server.port), timeout=5) as sock:
        sock.sendall(
            b"POST /v1/score HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {SIX_MB}\r\n\r\n".encode()
        )
        started = time.perf_counter()
        reply = b""
        while b"}}" not in reply:  # headers and the JSON error body, however it is split
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
        assert time.perf_counter() - started < 2
    assert reply.startswith(b"HTTP/1.1 413")
    assert b'"payload_too_large"' in reply


@pytest.mark.parametrize("path", ["/v1/score", "/v1/score/batch"])
def test_model_not_loaded_is_503(tmp_path, path: str) -> None:
    app = create_app(base_settings(model_dir=tmp_path / "missing"))
    with TestClient(app) as fresh:
        health = fresh.get("/v1/health")
        assert health.status_code == 503
        assert health.json()["error"]["code"] in {"not_ready", "model_unavailable"}
        body = {"text": "hello"} if path == "/v1/score" else {"postings": [{"text": "hello"}]}
        error = assert_error(fresh.post(path, json=body), 503, "model_unavailable")
        assert "could not be loaded" in error["message"]
        assert fresh.get("/v1/health").json()["error"]["code"] == "model_unavailable"


def test_a_form_post_is_told_about_its_content_type(client: TestClient) -> None:
    """Issue 19: a form-encoded POST got "malformed JSON ... column 1" and no hint."""
    response = client.post("/v1/score", data={"title": "Nurse", "text": "Ward nurse"})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "sent as application/x-www-form-urlencoded" in message
    assert "Content-Type: application/json" in message
    # Valid JSON is still read whatever the header says (what `curl -d` sends).
    ok = client.post("/v1/score", content=b'{"text": "Ward nurse, NHS trust"}',
                     headers={"content-type": "application/x-www-form-urlencoded"})
    assert ok.status_code == 200
    plain = client.post("/v1/score", content=b"{broken", headers={
        "content-type": "application/json"})
    assert "sent as" not in plain.json()["error"]["message"]


def test_the_error_table_in_the_docs_lists_every_status() -> None:
    """docs/api.md names every status the API answers with (403 was missing)."""
    from pathlib import Path

    from api.errors import STATUS_CODES

    table = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(
        encoding="utf-8")
    for status in STATUS_CODES:
        if status >= 500 and status != 503:
            continue  # 500: a bug, not part of the contract
        assert f"| {status} " in table or f"| {status} /" in table or f"/ {status} |" in table, \
            status
