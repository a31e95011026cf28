"""Campaign memory against a real label store (SQLite and PostgreSQL): decisions are live at
once in the process that wrote them and within the poll interval elsewhere; forget, legit
decisions, older stores and store outages. Postings are hand-written (tests, not data)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, update

from detector.campaigns.memory import CampaignMemory
from detector.campaigns.storage import rebuild
from detector.labels.decisions import Decision
from detector.labels.store import (
    LabelStore,
    campaign_fingerprints,
    campaign_state,
    campaign_tombstones,
)
from detector.schema import posting_from_text

KNOWN = ("Earn 300 a day from home liking videos and rating shops on your phone. Training "
         "fee of $49 is refunded after your first week. Contact HR Anna on Telegram "
         "@anna_jobs12 today, places are limited.")
SIBLING = ("Earn 450 a day from home liking videos and rating shops on your phone. Training "
           "fee of $59 is refunded after your first week. Contact HR Peter on Telegram "
           "@peter_work7 today, places are limited.")
UNRELATED = ("Registered nurse for our cardiology ward in Bristol. NMC registration needed; "
             "band 5 salary; apply through NHS Jobs with two references.")


def decide(store: LabelStore, text: str, label: str = "scam", source: str = "moderator"
           ) -> str:
    (recorded,) = store.record([Decision(posting_from_text(text), label, source)])  # type: ignore[arg-type]
    return recorded.posting_hash


def flag_of(memory: CampaignMemory, text: str) -> dict | None:
    result = memory.lookup([posting_from_text(text)])[0]
    return result.hit.detail if result.hit else None


def eventually(check: Callable[[], bool], seconds: float = 2.0) -> float:
    """How long it took `check` to hold (fails after `seconds`)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, "not within the time allowed"
        time.sleep(0.02)
    return time.monotonic() - started


def test_decisions_are_live_here_at_once_and_elsewhere_within_the_poll(store: LabelStore
                                                                        ) -> None:
    here = CampaignMemory(store.location, None, poll=0, seeds=False)
    elsewhere = CampaignMemory(store.location, None, poll=0.2, seeds=False)
    assert flag_of(here, SIBLING) is None and flag_of(elsewhere, SIBLING) is None
    digest = decide(store, KNOWN)
    detail = flag_of(here, SIBLING)  # poll=0: only the write notice can have told it
    assert detail is not None and detail["label"] == "scam" and detail["source"] == "moderator"
    assert detail["similarity"] >= here.threshold and detail["decision_id"] >= 1
    eventually(lambda: flag_of(elsewhere, SIBLING) is not None)
    assert flag_of(elsewhere, UNRELATED) is None
    hit = elsewhere.lookup([posting_from_text(SIBLING)])[0].hit
    assert hit is not None and hit.severity == "high" and hit.evidence
    assert all(SIBLING[e.start:e.end] == e.text for e in hit.evidence)

    store.forget(digest[:16])
    assert flag_of(here, SIBLING) is None
    eventually(lambda: flag_of(elsewhere, SIBLING) is None)
    with store.engine.connect() as conn:
        assert not conn.execute(select(campaign_fingerprints)).all()
        tombs = conn.execute(select(campaign_tombstones)).mappings().all()
    assert len(tombs) == 1 and set(tombs[0]) == {"seq", "fingerprint_id"}  # no text, no hash
    assert elsewhere.status()["store"] == "ok" and elsewhere.status()["fingerprints"] == 0
    here.close()
    elsewhere.close()


def test_a_lookup_after_a_write_waits_for_a_sync_the_watcher_has_begun(store: LabelStore
                                                                         ) -> None:
    """The race a CI run hit (tests/api/test_reports.py): the watcher thread wakes on the
    write notice and clears it as its sync begins; a lookup arriving before that sync has
    read the store used to answer from the old index. Here the test holds the sync lock
    the way the watcher does mid-sync."""
    memory = CampaignMemory(store.location, None, poll=0, seeds=False)
    assert flag_of(memory, SIBLING) is None
    decide(store, KNOWN)
    found: list[dict | None] = []
    with memory._sync_lock:  # the watcher, mid-sync: it has cleared the notice
        memory._changed.clear()
        lookup = threading.Thread(target=lambda: found.append(flag_of(memory, SIBLING)))
        lookup.start()
        lookup.join(0.3)
        assert lookup.is_alive() and not found  # waiting for that sync, not answering
    lookup.join(10)
    assert found and found[0] is not None and found[0]["label"] == "scam"
    memory.close()


def test_a_legit_decision_is_a_note_and_never_a_flag(store: LabelStore) -> None:
    memory = CampaignMemory(store.location, None, poll=0, seeds=False)
    decide(store, KNOWN)
    assert flag_of(memory, SIBLING) is not None
    decide(store, KNOWN, "legit")  # the latest trusted decision is what counts
    result = memory.lookup([posting_from_text(SIBLING)])[0]
    assert result.hit is None
    (note,) = result.notes
    assert note["kind"] == "legit_near_duplicate" and note["similarity"] >= memory.threshold
    memory.close()


def test_reports_and_short_texts_leave_no_fingerprint(store: LabelStore) -> None:
    decide(store, KNOWN, source="report")
    decide(store, "Data entry clerk, full time")
    with store.engine.connect() as conn:
        assert not conn.execute(select(campaign_fingerprints)).all()
    memory = CampaignMemory(store.location, None, poll=0, seeds=False)
    assert flag_of(memory, SIBLING) is None
    memory.close()


def test_older_stores_and_schemes_are_fingerprinted(store: LabelStore) -> None:
    decide(store, KNOWN)
    decide(store, UNRELATED, "legit")
    with store.engine.begin() as conn:  # as a store written before campaign memory
        conn.execute(campaign_fingerprints.delete())
        conn.execute(update(campaign_state).values(scheme=None))
    memory = CampaignMemory(store.location, None, poll=0.1, seeds=False)
    assert flag_of(memory, SIBLING) is None
    eventually(lambda: flag_of(memory, SIBLING) is not None, 10)  # the poller's backfill
    assert rebuild(store, log_fn=lambda _: None)["written"] == 0
    with store.engine.begin() as conn:  # a fingerprint made with another normaliser
        conn.execute(update(campaign_fingerprints).values(scheme="old", signature=b"\0" * 512))
    fresh = CampaignMemory(store.location, None, poll=0, seeds=False)
    assert flag_of(fresh, SIBLING) is not None  # recomputed from the stored text
    assert rebuild(store, log_fn=lambda _: None)["written"] == 2
    memory.close()
    fresh.close()


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    location = str(tmp_path / "none" / "labels.sqlite")
    memory = CampaignMemory(location, None, poll=0, seeds=False)
    assert memory.lookup([posting_from_text(SIBLING)])[0].hit is None
    assert memory.status()["store"] == "absent"
    assert not Path(location).exists()
    decide(LabelStore(location), KNOWN)
    assert flag_of(memory, SIBLING) is not None  # this process wrote it
    memory.close()


def test_scoring_goes_on_when_the_store_is_unreachable(postgres_url: str) -> None:
    """Its own server (stopped mid-test); `postgres_url` only skips without PostgreSQL."""
    import shutil
    import tempfile

    from tests.labels.postgres import PostgresServer

    base = Path(tempfile.mkdtemp(prefix="detector-pg-outage-"))  # the server user reads it
    server = PostgresServer(base).start()
    try:
        store = LabelStore(server.url)
        decide(store, KNOWN)
        memory = CampaignMemory(server.url, None, poll=0.1, seeds=False)
        assert flag_of(memory, SIBLING) is not None
        store.close()
    finally:
        server.stop()
        shutil.rmtree(base, ignore_errors=True)
    eventually(lambda: memory.status()["store"] == "unreachable", 10)
    status = memory.status()
    assert status["error"] and status["index_age_seconds"] is not None
    assert flag_of(memory, SIBLING) is not None  # the index last loaded still answers
    time.sleep(0.3)
    assert memory.status()["index_age_seconds"] > status["index_age_seconds"]
    memory.close()
