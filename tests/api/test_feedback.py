"""/v1/feedback, /v1/feedback/batch, /v1/report and /v1/admin/reload on the real app, into a
real SQLite store, with real corpus postings; bad input leaves the store unchanged."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from detector.labels.store import LabelStore
from detector.schema import TEXT_FIELDS
from tests.api.conftest import ADMIN_KEY, KEYS, MODERATOR_KEY, SCORE_KEY, bearer, needs_model

pytestmark = needs_model


def real_postings(corpus: pd.DataFrame, n: int, label: int = 1) -> list[dict[str, str]]:
    rows = corpus[(corpus["role"] == "core") & (corpus["label"] == label)].head(n)
    return [{"id": row["id"], **{k: row[k] for k in TEXT_FIELDS if isinstance(row[k], str)}}
            for row in rows.to_dict("records")]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "labels.sqlite")


def test_a_decision_is_recorded(make_keyed, db, corpus) -> None:
    client = make_keyed(label_db=db)
    posting = real_postings(corpus, 1)[0]
    response = client.post("/v1/feedback", json={
        "posting": posting, "label": "scam", "note": "asked for a fee", "flags": ["upfront_fee"],
    })
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] == posting["id"] and body["label"] == "scam" and body["new_posting"]
    store = LabelStore(db)
    (row,) = store.decisions()
    assert (row["label"], row["source"], row["note"], row["flags"]) == (
        "scam", "moderator", "asked for a fee", ["upfront_fee"])
    assert [item.label for item in store.labeled()] == ["scam"]


def test_roles_scoring_key_gets_403_moderator_records_admin_reloads(make_client, db,
                                                                    corpus) -> None:
    client = make_client(label_db=db, **KEYS)
    item = {"posting": real_postings(corpus, 1)[0], "label": "scam"}
    assert client.post("/v1/feedback", json=item).status_code == 401
    assert client.post("/v1/feedback", json=item, headers=bearer("wrong")).status_code == 401
    forbidden = client.post("/v1/feedback", json=item, headers=bearer(SCORE_KEY))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "forbidden"
    assert "moderator" in forbidden.json()["error"]["message"]
    assert client.post("/v1/score", json=item["posting"],
                       headers=bearer(SCORE_KEY)).status_code == 200
    recorded = client.post("/v1/feedback", json=item, headers=bearer(MODERATOR_KEY))
    assert recorded.status_code == 201
    assert LabelStore(db).decisions()[0]["reviewer"].startswith("key:")
    assert client.post("/v1/admin/reload", headers=bearer(MODERATOR_KEY)).status_code == 403
    reload = client.post("/v1/admin/reload", headers=bearer(ADMIN_KEY))
    assert reload.status_code == 200
    assert reload.json()["model_version"] == client.get("/v1/health").json()["model_version"]
    assert client.post("/v1/feedback", json=item, headers=bearer(ADMIN_KEY)).status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"posting": {"text": "Pay a fee"}, "label": "fraud"}, 422, "invalid_decision"),
        ({"posting": {"text": "Pay a fee"}, "label": ["scam"]}, 422, "invalid_decision"),
        ({"posting": {"text": "   "}, "label": "scam"}, 422, "invalid_decision"),
        ({"posting": {"title": 5}, "label": "scam"}, 422, "invalid_decision"),
        ({"posting": ["text"], "label": "scam"}, 422, "invalid_decision"),
        ({"label": "scam"}, 422, "invalid_decision"),
        ([1, 2], 422, "invalid_decision"),
        ({"posting": {"text": "x" * 5_000_000}, "label": "scam"}, 413, "payload_too_large"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_stored(make_keyed, db, body, status,
                                                         code) -> None:
    client = make_keyed(label_db=db)
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    assert LabelStore(db).counts()["postings"] == 0


def test_invalid_utf8_and_malformed_json(make_keyed, db) -> None:
    client = make_keyed(label_db=db)
    headers = {"content-type": "application/json"}
    bad = client.post("/v1/feedback", content=b'{"posting": {"text": "\xff"}}', headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_encoding"
    broken = client.post("/v1/feedback", content=b'{"posting": ', headers=headers)
    assert broken.status_code == 400 and broken.json()["error"]["code"] == "invalid_json"
    assert LabelStore(db).counts()["postings"] == 0


def test_batch_is_all_or_nothing(make_keyed, db, corpus) -> None:
    client = make_keyed(label_db=db)
    good = [{"posting": p, "label": "scam"} for p in real_postings(corpus, 3)]
    bad = client.post("/v1/feedback/batch", json={"items": [*good, {"posting": {}, "label": "x"}]})
    assert bad.status_code == 422
    assert bad.json()["error"]["items"][0]["index"] == 3
    assert LabelStore(db).counts()["postings"] == 0
    ok = client.post("/v1/feedback/batch", json={"items": good})
    assert ok.status_code == 201 and len(ok.json()["results"]) == 3
    assert LabelStore(db).counts() == {"postings": 3, "decisions_moderator": 3, "decisions": 3}
    assert client.post("/v1/feedback/batch", json={"items": []}).status_code == 422
    too_many = make_keyed(label_db=db, max_batch=2).post("/v1/feedback/batch",
                                                          json={"items": good})
    assert too_many.status_code == 422  # the document's maxItems (issue 24: was 413)
    assert too_many.json()["error"]["code"] == "too_many_items"


def test_reports_are_stored_apart_and_never_labels(make_client, db, corpus) -> None:
    client = make_client(label_db=db, **KEYS)
    posting = real_postings(corpus, 1)[0]
    response = client.post("/v1/report", json={"posting": posting, "note": "asked me to pay"})
    assert response.status_code == 201  # job seekers need no key
    store = LabelStore(db)
    assert store.counts()["decisions_report"] == 1 and store.labeled() == []
    legit = client.post("/v1/report", json={"posting": posting, "label": "legit"})
    assert legit.status_code == 422


def test_page_report_button_works_without_javascript(make_client, db) -> None:
    client = make_client(label_db=db)
    text = "Hand-written demo: pay a $90 registration fee before your first shift."
    page = client.post("/", data={"text": text, "company": "", "salary": "", "contact": ""})
    assert page.status_code == 200
    assert 'action="/v1/report?lang=en"' in page.text  # the page's language (issue 27)
    sent = client.post("/v1/report", data={"text": text, "company": "", "salary": "",
                                           "contact": "", "lang": "en"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/reported?lang=en"
    thanks = client.get("/reported?lang=en")
    assert thanks.status_code == 200 and "reported" in thanks.text
    assert "content-security-policy" in thanks.headers
    (row,) = LabelStore(db).decisions()
    assert row["source"] == "report"
    assert LabelStore(db).posting(row["posting_hash"]) == {"text": text}
