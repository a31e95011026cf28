"""The OpenAPI document states the rules the server enforces (issue 10 item 11).

The schema said a posting with only `id` was valid (the server answered 422) and forbade
`{"postings": [[null]]}` (the server answered 200). Two guards against drifting apart again:
the request schemas checked with a JSON Schema validator on known cases, and schemathesis
generating requests from the document and sending them to the live server on 127.0.0.1
(bounded examples; every response must match the document, and schema-valid requests must
not be rejected, schema-invalid ones must not be accepted).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from api.app import create_app
from tests.api.conftest import ADMIN_KEY, KEYS, MODEL_READY, LiveServer, base_settings, bearer

schemathesis = pytest.importorskip("schemathesis")
jsonschema_rs = pytest.importorskip("jsonschema_rs")  # installed with schemathesis

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = create_app(base_settings()).openapi()  # no model load: cheap
#: The project's schemathesis settings (schemathesis.toml, also read by `st run`): the
#: statuses accepted for schema-violating requests (413: a body over the size limit or a
#: batch over its maxItems, as the document states).
CONFIG = schemathesis.Config.from_path(ROOT / "schemathesis.toml")
#: Every operation, the feedback and report routes included (issue 19), against a server
#: whose label store is a temporary file.
API = schemathesis.openapi.from_dict(SPEC, config=CONFIG)


def request_schema(path: str) -> dict[str, Any]:
    return SPEC["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]


def is_valid(schema: dict[str, Any], body: Any) -> bool:
    return jsonschema_rs.Draft202012Validator(schema).is_valid(body)


@pytest.mark.parametrize(("body", "valid"), [
    ({"text": "Data entry clerk"}, True),
    ({"id": 7, "title": "Nurse", "has_company_logo": True, "unknown": 1}, True),
    ({"id": "only-an-id"}, False),
    ({}, False),
    ({"text": "   \n\t"}, False),
    ({"text": "\x00"}, False),
    ({"text": None, "title": "x"}, True),
    ({"text": 42}, False),
    ({"title": "x", "telecommuting": "yes"}, False),
    ({"title": "x", "id": True}, False),
    ([{"text": "x"}], False),
])
def test_posting_schema_matches_the_server(client, body: Any, valid: bool) -> None:  # type: ignore[no-untyped-def]
    assert is_valid(request_schema("/v1/score"), body) is valid
    status = client.post("/v1/score", json=body).status_code
    assert (status == 200) is valid, (body, status)


@pytest.mark.parametrize(("body", "valid"), [
    ({"postings": []}, True),
    ({"postings": [{"text": "x"}, {"id": "no text"}]}, True),  # per-entry error, 200
    ({"postings": [[None]]}, False),
    ({"postings": [None]}, False),
    ({"postings": [{"text": 1}]}, False),
    ({"postings": {"text": "x"}}, False),
    ([{"text": "x"}], False),
])
def test_batch_schema_matches_the_server(client, body: Any, valid: bool) -> None:  # type: ignore[no-untyped-def]
    assert is_valid(request_schema("/v1/score/batch"), body) is valid
    status = client.post("/v1/score/batch", json=body).status_code
    assert (status == 200) is valid, (body, status)


@pytest.fixture(scope="module")
def contract_server(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The live server with its label store in a temporary directory (the feedback routes
    write to it), the test keys (requests carry the admin key, so the decision and reload
    routes are exercised, not refused), and /v1/report's limits and quotas off: hundreds of
    generated requests from one address would meet them (429) before their bodies are
    checked."""
    if not MODEL_READY:
        pytest.skip("needs the trained model")
    db = tmp_path_factory.mktemp("contract") / "labels.sqlite"
    settings = base_settings(label_db=str(db), report_rate_limit_per_minute=0,
                             report_quota_per_address_per_day=0, report_quota_per_day=0,
                             **KEYS)
    with LiveServer(settings) as server:
        yield server


@pytest.mark.skipif(not MODEL_READY, reason="needs the trained model")
@API.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_live_server_conforms_to_its_openapi_document(case, contract_server) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(base_url=contract_server.url, headers=bearer(ADMIN_KEY))
