"""Issue 24 item 1: input that used to be a 500 (or lost a whole batch) is a 4xx in the API's
one error shape, per item in a batch. The real app and model; TestClient re-raises any
exception that escapes the app, which is exactly what uvicorn would print as a traceback, so
every answer here also proves no traceback was printed."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detector.labels.store import LabelStore
from detector.settings import parse_keys
from tests.api.conftest import needs_model
from tests.api.samples import EN_LEGIT

pytestmark = needs_model
HEADERS = {"content-type": "application/json"}
DIGITS_5000 = "9" * 5000
#: A moderator key, as DETECTOR_API_KEYS=mod-key:moderator configures it.
KEYS, ROLES = parse_keys("mod-key:moderator")
MODERATOR = {"Authorization": "Bearer mod-key"}


def post_raw(client: TestClient, path: str, body: str, headers: dict | None = None):  # type: ignore[no-untyped-def]
    """Send `body` as it is: JSON escapes such as \\ud800 reach the server unchanged."""
    return client.post(path, content=body.encode("utf-8"), headers={**HEADERS, **(headers or {})})


def assert_4xx(response, status: int, code: str) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["status"] == status and error["message"]
    assert error["request_id"] == response.headers["x-request-id"]
    return error["message"]


@pytest.mark.parametrize(("body", "status", "code", "words"), [
    ('{"text": "Typist wanted \\ud800 now"}', 422, "invalid_posting", "lone surrogate"),
    ('{"title": "Nurse", "company": "\\udfff"}', 422, "invalid_posting", "'company'"),
    ('{"text": "Typist wanted", "id": "a\\udc80b"}', 422, "invalid_posting", "'id'"),
    ('{"text": "Typist wanted", "id": ' + DIGITS_5000 + "}", 422, "invalid_posting",
     "5,000 digits"),
    ('{"text": "Typist wanted", "id": -' + DIGITS_5000 + "}", 422, "invalid_posting",
     "5,000 digits"),
    ('{"text": "Typist wanted", "id": 9007199254740992}', 422, "invalid_posting",
     "out of range"),
    ('{"text": 1' + DIGITS_5000 + "}", 422, "invalid_posting", "must be a string, got int"),
    ('{"text": "Typist wanted", "id": "' + "x" * 201 + '"}', 422, "invalid_posting",
     "too long: 201 characters"),
    ('{"text": "Typist wanted", "id": "' + "x" * 900_000 + '"}', 422, "invalid_posting",
     "too long: 900,000 characters"),
    ('{"text": "Typist wanted", "id": "a\\u0000b"}', 422, "invalid_posting", "NUL"),
    ("[" * 100_000 + "]" * 100_000, 400, "invalid_json", "nested too deeply"),
])
def test_bad_postings_are_4xx_not_500(client: TestClient, body: str, status: int, code: str,
                                      words: str) -> None:
    assert words in assert_4xx(post_raw(client, "/v1/score", body), status, code)


def test_a_huge_number_in_an_ignored_field_is_ignored(client: TestClient) -> None:
    response = post_raw(client, "/v1/score",
                        '{"text": "Typist wanted", "views": ' + DIGITS_5000 + "}")
    assert response.status_code == 200 and response.json()["risk"]


def test_nul_is_still_stripped_from_posting_text(client: TestClient) -> None:
    response = post_raw(client, "/v1/score", '{"id": "p1", "text": "Typist\\u0000 wanted"}')
    assert response.status_code == 200 and response.json()["id"] == "p1"


def test_in_a_batch_only_the_bad_item_carries_an_error(client: TestClient) -> None:
    good = json.dumps({"id": "good", "text": EN_LEGIT})
    bad = [
        '{"id": "surrogate", "text": "Typist \\ud800"}',
        '{"id": ' + DIGITS_5000 + ', "text": "Typist"}',
        '{"id": -9007199254740992, "text": "Typist"}',
        '{"id": "' + "y" * 5000 + '", "text": "Typist"}',
        '{"id": "nul\\u0000id", "text": "Typist"}',
        '{"id": "\\udc00", "text": "Typist"}',
    ]
    body = '{"postings": [' + ", ".join([good, *bad, good]) + "]}"
    response = post_raw(client, "/v1/score/batch", body)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert len(results) == len(bad) + 2
    assert results[0]["id"] == results[-1]["id"] == "good"
    assert results[0]["risk"] in {"low", "medium", "high"} and results[-1]["risk"]
    for index, result in enumerate(results[1:-1], start=1):
        error = result["error"]
        assert error["code"] == "invalid_posting" and error["index"] == index, error
        assert error["status"] == 422
    assert results[1]["error"]["id"] == "surrogate"  # an id fit to show is echoed...
    assert results[3]["error"]["id"] == "-9007199254740992"
    assert all("id" not in results[i]["error"] for i in (2, 4, 5, 6))  # ...a bad one never


def test_too_many_postings_is_422_as_the_documents_max_items_says(make_client) -> None:
    """schemathesis sends maxItems + 1 entries and expects a 4xx it knows for a schema
    violation: 422 (was 413), same code."""
    small = make_client(max_batch=2)
    message = assert_4xx(small.post("/v1/score/batch", json={"postings": [{"text": "x"}] * 3}),
                         422, "too_many_postings")
    assert "at most 2" in message
    spec = small.get("/openapi.json").json()
    body = spec["paths"]["/v1/score/batch"]["post"]["requestBody"]["content"][
        "application/json"]["schema"]
    assert body["properties"]["postings"]["maxItems"] == 2


@pytest.fixture
def moderated(make_client, tmp_path: Path) -> tuple[TestClient, str]:
    db = str(tmp_path / "labels.sqlite")
    return make_client(label_db=db, api_keys=KEYS, key_roles=ROLES), db


@pytest.mark.parametrize(("item", "words"), [
    ({"posting": {"text": "Typist", "id": "a\x00b"}, "label": "scam"}, "NUL"),
    ({"posting": {"text": "Typist"}, "label": "scam", "note": "fee\x00"}, "'note'"),
    ({"posting": {"text": "Typist"}, "label": "scam", "reviewer": "\x00ann"}, "'reviewer'"),
    ({"posting": {"text": "Typist", "id": "i" * 201}, "label": "scam"}, "too long"),
])
def test_bad_decisions_are_422_and_nothing_is_stored(moderated, item: dict, words: str) -> None:
    client, db = moderated
    message = assert_4xx(client.post("/v1/feedback", json=item, headers=MODERATOR), 422,
                         "invalid_decision")
    assert words in message
    batch = client.post("/v1/feedback/batch", json={"items": [item]}, headers=MODERATOR)
    assert_4xx(batch, 422, "invalid_decision")
    assert LabelStore(db).counts()["postings"] == 0


@pytest.mark.parametrize("body", [
    '{"posting": {"text": "Typist \\ud800"}, "label": "scam"}',
    '{"posting": {"text": "Typist"}, "label": "scam", "note": "\\udbff"}',
    '{"posting": {"text": "Typist"}, "label": "scam", "reviewer": "a\\udc00"}',
    '{"posting": {"text": "Typist"}, "label": "scam", "flags": ["\\ud800"]}',
    '{"posting": {"text": "Typist", "id": ' + DIGITS_5000 + '}, "label": "scam"}',
])
def test_lone_surrogates_and_huge_numbers_in_decisions_are_422(moderated, body: str) -> None:
    client, db = moderated
    assert_4xx(post_raw(client, "/v1/feedback", body, MODERATOR), 422, "invalid_decision")
    assert_4xx(post_raw(client, "/v1/report", body.replace('"label": "scam", ', "")), 422,
               "invalid_decision")
    assert LabelStore(db).counts()["postings"] == 0


def test_logged_ids_are_cut_to_a_fixed_length(client: TestClient, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="api.access")
    long_id = "L" * 200  # the longest id there is
    assert client.post("/v1/score", json={"id": long_id, "text": EN_LEGIT}).status_code == 200
    assert client.post("/v1/score", json={"id": "x" * 900_000, "text": "a"}).status_code == 422
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "api.access"]
    assert lines[0]["id"] == "L" * 64 + "…"
    assert all(len(r.getMessage()) < 1000 for r in caplog.records)
    assert not [r for r in caplog.records if r.name == "api.errors"]  # nothing unhandled


@pytest.fixture(scope="module")
def postgres_url():  # type: ignore[no-untyped-def]
    import shutil
    import tempfile

    from tests.labels.postgres import PostgresServer, find_bin

    if not find_bin("initdb"):
        pytest.skip("needs Debian's postgresql (scripts/setup.sh installs it)")
    base = Path(tempfile.mkdtemp(prefix="detector-pg-badinput-"))
    server = PostgresServer(base).start()
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


def test_postgres_store_never_sees_what_it_would_refuse(make_client, postgres_url) -> None:
    """PostgreSQL raised an unhandled DataError (500 and a traceback) on an id over 200
    characters and on a NUL in note, id or reviewer: they are 422 before the store, and the
    longest valid values are stored."""
    client = make_client(label_db=postgres_url, api_keys=KEYS, key_roles=ROLES)
    refused = [
        {"posting": {"text": "Typist", "id": "i" * 201}, "label": "scam"},
        {"posting": {"text": "Typist", "id": "a\x00"}, "label": "scam"},
        {"posting": {"text": "Typist"}, "label": "scam", "note": "a\x00"},
        {"posting": {"text": "Typist"}, "label": "scam", "reviewer": "a\x00"},
    ]
    for item in refused:
        assert_4xx(client.post("/v1/feedback", json=item, headers=MODERATOR), 422,
                   "invalid_decision")
    longest = {"posting": {"text": "Typist\x00 wanted", "id": "i" * 200}, "label": "scam",
               "note": "n" * 5000, "reviewer": "r" * 200}
    response = client.post("/v1/feedback", json=longest, headers=MODERATOR)
    assert response.status_code == 201, response.text
    (row,) = LabelStore(postgres_url).decisions()
    assert row["external_id"] == "i" * 200 and row["reviewer"] == "r" * 200


def test_the_largest_integer_id_is_taken_exactly(client: TestClient) -> None:
    response = post_raw(client, "/v1/score", '{"text": "Typist", "id": -9007199254740991}')
    assert response.status_code == 200 and response.json()["id"] == "-9007199254740991"


def test_a_whole_number_id_is_an_integer_as_json_schema_says(client: TestClient) -> None:
    """JSON Schema's `integer` includes 72.0 (the contract test sent it): the server read it
    as a float and refused it."""
    response = post_raw(client, "/v1/score", '{"text": "Typist", "id": 72.0}')
    assert response.status_code == 200 and response.json()["id"] == "72"
    batch = post_raw(client, "/v1/score/batch", '{"postings": [{"text": "Typist", "id": 7.0}]}')
    assert batch.status_code == 200 and batch.json()["results"][0]["id"] == "7"
    assert_4xx(post_raw(client, "/v1/score", '{"text": "Typist", "id": 7.5}'), 422,
               "invalid_posting")
