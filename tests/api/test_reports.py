"""/v1/report bounded and untrusted (issue 25, item 4), on the real app and a real SQLite
store: a size cap on the posting and the note, moderators' fields ignored, quotas counted in
the store (so two workers, here two apps on one store, share one count), the store's growth
per report measured, and a report that teaches nothing until a moderator confirms it.

Postings are hand-written (tests, not data); the long ones are filler text of a given size."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from detector.labels.decisions import canonical_posting
from detector.labels.store import LabelStore, campaign_fingerprints
from detector.schema import parse_posting
from tests.api.conftest import MODERATOR_KEY, bearer, needs_model
from tests.api.samples import KNOWN, SIBLING

pytestmark = needs_model
REPORT = {"posting": {"text": "Send a 300 yuan deposit to start this typing job."}}
#: Per report, at most (docs/deploy.md states it): the posting's cap, a note of
#: MAX_REPORT_NOTE_CHARS Chinese characters, and the rows' own overhead.
MAX_STORE_GROWTH_PER_REPORT = 40_000
#: A report's note, in characters (api/feedback.py MAX_REPORT_NOTE_CHARS).
MAX_REPORT_NOTE_CHARS = 1000
#: Where the quotas read the time (patched to stay inside one window).
QUOTA_CLOCK = "api.reportquota._now"


def stored_bytes(posting) -> int:  # type: ignore[no-untyped-def]
    """A posting's size as the label store keeps it (its canonical fields as UTF-8 JSON)."""
    return len(json.dumps(canonical_posting(posting), ensure_ascii=False, sort_keys=True)
               .encode("utf-8"))


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "labels.sqlite")


def no_quotas() -> dict[str, int]:
    return {"report_rate_limit_per_minute": 0, "report_quota_per_address_per_day": 0,
            "report_quota_per_day": 0}


def sized_text(n_bytes: int, unit: str = "工作在家，先交押金再派单。") -> str:
    """Filler listing text whose stored posting is exactly n_bytes."""
    text = ""
    while stored_bytes(parse_posting({"text": text + unit})) <= n_bytes:
        text += unit
    while stored_bytes(parse_posting({"text": text + "x"})) <= n_bytes:
        text += "x"
    assert stored_bytes(parse_posting({"text": text})) == n_bytes
    return text


def test_moderator_fields_are_ignored(make_client, db) -> None:
    client = make_client(label_db=db)
    sent = client.post("/v1/report", json={**REPORT, "reviewer": "Alice (senior moderator)",
                                           "flags": ["upfront_fee"], "note": "asked to pay",
                                           "source": "moderator"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["source"] == "report"
    (row,) = LabelStore(db).decisions()
    assert (row["source"], row["reviewer"], row["flags"], row["note"]) == (
        "report", None, [], "asked to pay")
    # Even ill-typed moderator fields are ignored, not read.
    assert client.post("/v1/report", json={**REPORT, "reviewer": 5,
                                           "flags": "x"}).status_code == 201


def test_posting_and_note_are_capped(make_client, db) -> None:
    client = make_client(label_db=db, max_report_bytes=5_000)
    fits = client.post("/v1/report", json={"posting": {"text": sized_text(5_000)}})
    assert fits.status_code == 201, fits.text
    over = client.post("/v1/report", json={"posting": {"text": sized_text(5_001)}})
    assert over.status_code == 413
    assert over.json()["error"]["code"] == "payload_too_large"
    assert "at most 5,000 bytes (this one: 5,001)" in over.json()["error"]["message"]
    note = client.post("/v1/report", json={**REPORT, "note": "x" * (MAX_REPORT_NOTE_CHARS + 1)})
    assert note.status_code == 422 and "note" in note.json()["error"]["message"]
    # A body far over the cap is refused before it is read whole.
    huge = client.post("/v1/report", json={"posting": {"text": "x" * 1_000_000}})
    assert huge.status_code == 413
    form = client.post("/v1/report", data={"text": sized_text(5_001), "company": "",
                                           "salary": "", "contact": ""})
    assert form.status_code == 413
    assert LabelStore(db).counts()["decisions_report"] == 1


def test_quotas_are_one_count_for_every_worker(make_client, db, monkeypatch) -> None:
    """Two apps on one store stand for two workers: each has its own in-memory per-minute
    limit (off here), and the store's quota is shared. Before: counted per worker."""
    monkeypatch.setattr(QUOTA_CLOCK, lambda: 1_700_000_030.0)  # mid-window, fixed
    limits = {"report_rate_limit_per_minute": 0, "report_quota_per_address_per_day": 10,
              "report_quota_per_day": 15}
    workers = [make_client(label_db=db, **limits), make_client(label_db=db, **limits)]
    codes = [workers[i % 2].post("/v1/report", json={"posting": {"text": f"{i}: pay a fee"}})
             .status_code for i in range(40)]
    assert codes.count(201) == 10 and codes.count(429) == 30
    refused = workers[0].post("/v1/report", json=REPORT)
    assert "at most 10 reports a day from one address" in refused.json()["error"]["message"]
    assert 1 <= int(refused.headers["retry-after"]) <= 86_400
    assert LabelStore(db).counts()["decisions_report"] == 10
    # The overall quota: other addresses (behind a trusted proxy) meet it together.
    monkeypatch.setattr("api.feedback.client_ip", lambda request: request.headers["x-addr"])
    overall = [workers[i % 2].post("/v1/report", json={"posting": {"text": f"o{i}"}},
                                   headers={"x-addr": f"198.51.100.{i}"}).status_code
               for i in range(8)]
    assert overall == [201] * 5 + [429] * 3
    message = workers[1].post("/v1/report", json=REPORT, headers={"x-addr": "198.51.100.99"}
                              ).json()["error"]["message"]
    assert "at most 15 reports a day from everyone" in message
    # The next day counts afresh; yesterday's rows are gone.
    monkeypatch.setattr(QUOTA_CLOCK, lambda: 1_700_000_030.0 + 86_400)
    assert workers[0].post("/v1/report", json=REPORT,
                           headers={"x-addr": "198.51.100.1"}).status_code == 201
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT scope, caller, n FROM report_quota").fetchall()
    assert len(rows) == 2 and all(n == 1 for _, _, n in rows)
    assert not any("198.51.100" in caller for _, caller, _ in rows)  # a hash, not the address


def test_the_per_minute_limit_is_counted_in_the_store_too(make_client, db,
                                                         monkeypatch) -> None:
    monkeypatch.setattr(QUOTA_CLOCK, lambda: 1_700_000_030.0)
    workers = [make_client(label_db=db), make_client(label_db=db)]  # defaults: 10 a minute
    codes = [workers[i % 2].post("/v1/report", json={"posting": {"text": f"{i}: pay"}})
             .status_code for i in range(12)]
    assert codes == [201] * 10 + [429] * 2


def test_store_growth_per_report_is_bounded(make_client, tmp_path) -> None:
    """The figure docs/deploy.md uses: 40 reports of the largest size (32,000 bytes of
    Chinese text, a 1,000-character Chinese note) grow the SQLite file by at most
    MAX_STORE_GROWTH_PER_REPORT each."""
    db = tmp_path / "labels.sqlite"
    client = make_client(label_db=str(db), **no_quotas())
    client.post("/v1/report", json=REPORT)  # tables created

    def size() -> int:
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db.stat().st_size

    before = size()
    body = sized_text(32_000)
    for i in range(40):
        sent = client.post("/v1/report", json={"posting": {"text": f"{i}{body}"[:len(body)]},
                                               "note": "押" * MAX_REPORT_NOTE_CHARS})
        assert sent.status_code == 201, sent.text
    per_report = (size() - before) / 40
    print(f"store growth per largest report: {per_report:,.0f} bytes")
    assert per_report <= MAX_STORE_GROWTH_PER_REPORT


def test_a_report_teaches_nothing_until_a_moderator_confirms(make_keyed, db) -> None:
    """Reports never become fingerprints (campaign memory) or training labels on their own
    (true before issue 25; pinned here)."""
    client = make_keyed(label_db=db)  # sends a moderator key; /v1/report ignores it
    store = LabelStore(db)

    def fingerprints() -> int:
        with store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(campaign_fingerprints))
                       .scalar_one())

    def campaign_flag(key: str) -> dict | None:
        verdict = client.post("/v1/score", json={"text": SIBLING}, headers=bearer(key)).json()
        return next((f for f in verdict["flags"] if f["id"] == "known_scam_campaign"), None)

    for _ in range(3):
        assert client.post("/v1/report", json={"posting": {"text": KNOWN},
                                               "reviewer": "moderator"}).status_code == 201
    assert store.counts()["decisions_report"] == 3
    assert store.labeled() == [] and fingerprints() == 0
    assert campaign_flag(MODERATOR_KEY) is None
    confirmed = client.post("/v1/feedback", json={"posting": {"text": KNOWN}, "label": "scam"})
    assert confirmed.status_code == 201
    assert [item.label for item in store.labeled()] == ["scam"] and fingerprints() == 1
    flag = campaign_flag(MODERATOR_KEY)
    assert flag is not None and flag["match"]["source"] == "moderator"
