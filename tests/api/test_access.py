"""Who may do what (issue 25), on the real app: closed by default (no keys: decisions,
reload and metrics refused, saying how to make a key), the trial opt-in and its warning, a
`metrics` key that only reads /metrics, and one registry for every role check: a moderator
key from the keys file sees everything one from DETECTOR_API_KEYS sees.

The postings are hand-written (tests, not data)."""

from __future__ import annotations

import logging

import pytest

from detector.labels.store import LabelStore
from tests.api.conftest import (
    ADMIN_KEY,
    KEYS,
    METRICS_KEY,
    MODERATOR_KEY,
    SCORE_KEY,
    bearer,
    needs_model,
)
from tests.api.samples import EN_LEGIT, KNOWN, SIBLING

pytestmark = needs_model
DECISION = {"posting": {"text": "Warehouse picker, Leeds, day shifts, 11.50 pounds an hour."},
            "label": "scam"}
#: (method, path, body) of every route that is closed without keys.
CLOSED = [("post", "/v1/feedback", DECISION),
          ("post", "/v1/feedback/batch", {"items": [DECISION]}),
          ("post", "/v1/admin/reload", None),
          ("get", "/metrics", None)]
def call(client, method: str, path: str, body: object, **kw):  # type: ignore[no-untyped-def]
    if method == "get":
        return client.get(path, **kw)
    return client.post(path, json=body, **kw) if body is not None else client.post(path, **kw)


def test_without_keys_decisions_reload_and_metrics_are_refused(make_client, tmp_path) -> None:
    db = str(tmp_path / "labels.sqlite")
    client = make_client(label_db=db)
    for method, path, body in CLOSED:
        response = call(client, method, path, body)
        assert response.status_code == 403, (path, response.text)
        error = response.json()["error"]
        assert error["code"] == "forbidden"
        assert "no API keys configured" in error["message"]
        assert "detector keys add --role" in error["message"]
        assert "DETECTOR_API_KEYS_FILE" in error["message"]
    message = client.post("/v1/feedback", json=DECISION).json()["error"]["message"]
    assert "detector keys add --role moderator" in message
    assert LabelStore(db).counts()["decisions"] == 0
    # A key sent to a server without keys opens nothing either.
    assert client.post("/v1/feedback", json=DECISION,
                       headers=bearer("made-up-key")).status_code == 403
    # Scoring, the page and reports stay open.
    assert client.post("/v1/score", json={"text": EN_LEGIT}).status_code == 200
    assert client.post("/", data={"text": EN_LEGIT}).status_code == 200
    assert client.post("/v1/report", json={"posting": DECISION["posting"]}).status_code == 201


def test_the_trial_opt_in_opens_them_and_warns(make_client, tmp_path, caplog) -> None:
    from api.app import TRIAL_WARNING

    db = str(tmp_path / "labels.sqlite")
    with caplog.at_level(logging.WARNING, logger="api"):
        client = make_client(label_db=db, open_decisions_for_trial=True)
    assert TRIAL_WARNING in caplog.text
    assert "OPEN TO ANYONE" in TRIAL_WARNING
    expected = {"/v1/feedback": 201, "/v1/feedback/batch": 201, "/v1/admin/reload": 200,
                "/metrics": 200}
    for method, path, body in CLOSED:
        assert call(client, method, path, body).status_code == expected[path], path
    assert LabelStore(db).counts()["decisions_moderator"] == 2


def test_the_trial_opt_in_is_ignored_when_keys_are_configured(make_client, tmp_path,
                                                              caplog) -> None:
    from api.app import TRIAL_WARNING

    with caplog.at_level(logging.WARNING, logger="api"):
        client = make_client(label_db=str(tmp_path / "l.sqlite"), open_decisions_for_trial=True,
                             **KEYS)
    assert TRIAL_WARNING not in caplog.text and "is ignored" in caplog.text
    for method, path, body in CLOSED:
        assert call(client, method, path, body).status_code == 401, path
        assert call(client, method, path, body,
                    headers=bearer(SCORE_KEY)).status_code == 403, path


def test_a_metrics_key_only_reads_metrics(make_client, tmp_path) -> None:
    client = make_client(label_db=str(tmp_path / "l.sqlite"), **KEYS)
    metrics = bearer(METRICS_KEY)
    assert client.get("/metrics", headers=metrics).status_code == 200
    for method, path, body in [*CLOSED[:3], ("post", "/v1/score", {"text": EN_LEGIT}),
                               ("post", "/v1/score/batch", {"postings": [{"text": EN_LEGIT}]})]:
        refused = call(client, method, path, body, headers=metrics)
        assert refused.status_code == 403, path
        assert "this key has: metrics" in refused.json()["error"]["message"]
    # Roles: score < moderator < admin; admin also reads metrics.
    assert client.get("/metrics", headers=bearer(ADMIN_KEY)).status_code == 200
    assert client.get("/metrics", headers=bearer(MODERATOR_KEY)).status_code == 403


def test_a_moderator_key_from_the_file_sees_what_one_from_the_environment_sees(
        make_client, tmp_path) -> None:
    keys_file = tmp_path / "api-keys"
    keys_file.write_text("file-moderator-key-1:moderator\nfile-scoring-key-1\n",
                         encoding="utf-8")
    client = make_client(label_db=str(tmp_path / "l.sqlite"), api_keys_file=keys_file,
                         **KEYS)
    recorded = client.post("/v1/feedback", json={"posting": {"text": KNOWN}, "label": "scam"},
                           headers=bearer("file-moderator-key-1"))
    assert recorded.status_code == 201, recorded.text

    def verdict(key: str) -> dict:
        response = client.post("/v1/score", json={"text": SIBLING}, headers=bearer(key))
        assert response.status_code == 200, response.text
        return response.json()

    from_env, from_file = verdict(MODERATOR_KEY), verdict("file-moderator-key-1")
    assert from_file == from_env
    flag = next(f for f in from_file["flags"] if f["id"] == "known_scam_campaign")
    assert flag["match"]["decision_id"] == recorded.json()["decision_id"] and flag["evidence"]
    batch = client.post("/v1/score/batch", json={"postings": [{"text": SIBLING}]},
                        headers=bearer("file-moderator-key-1")).json()["results"][0]
    assert batch == from_env
    # Scoring keys, from either source, get the flag without what it matched.
    for key in (SCORE_KEY, "file-scoring-key-1"):
        public = next(f for f in verdict(key)["flags"] if f["id"] == "known_scam_campaign")
        assert "match" not in public and public["evidence"] == []


@pytest.mark.parametrize("source", ["env", "file"])
def test_the_same_roles_whatever_the_source(make_client, tmp_path, source) -> None:
    """Each role allows and refuses the same routes from DETECTOR_API_KEYS and the file."""
    line = ("s-key-1\nm-key-1:moderator\na-key-1:admin\nx-key-1:metrics\n")
    if source == "env":
        from detector.settings import parse_keys

        keys, roles = parse_keys(line)
        client = make_client(label_db=str(tmp_path / "l.sqlite"), api_keys=keys,
                             key_roles=roles)
    else:
        path = tmp_path / "api-keys"
        path.write_text(line, encoding="utf-8")
        client = make_client(label_db=str(tmp_path / "l.sqlite"), api_keys_file=path)
    routes = [("post", "/v1/score", {"text": EN_LEGIT}), *CLOSED]
    allowed = {key: [call(client, m, p, b, headers=bearer(key)).status_code
                     for m, p, b in routes]
               for key in ("s-key-1", "m-key-1", "a-key-1", "x-key-1")}
    assert allowed == {"s-key-1": [200, 403, 403, 403, 403],
                       "m-key-1": [200, 201, 201, 403, 403],
                       "a-key-1": [200, 201, 201, 200, 200],
                       "x-key-1": [403, 403, 403, 403, 200]}
