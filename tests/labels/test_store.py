"""The label store on SQLite and on a real PostgreSQL server, with real corpus postings."""

from __future__ import annotations

import pandas as pd
import pytest

from detector.labels.decisions import Decision, InvalidDecision, content_hash, parse_decision
from detector.labels.store import LabelStore, LabelStoreError, database_url
from detector.schema import TEXT_FIELDS


def real_postings(corpus: pd.DataFrame, n: int, lang: str = "en") -> list[dict[str, str]]:
    rows = corpus[(corpus["language"] == lang) & (corpus["role"] == "core")].head(n)
    return [
        {"id": row["id"], **{k: row[k] for k in TEXT_FIELDS if isinstance(row[k], str)}}
        for row in rows.to_dict("records")
    ]


def decide(posting: dict, label: str, source: str = "moderator", **extra) -> Decision:
    return parse_decision({"posting": posting, "label": label, **extra}, source)  # type: ignore[arg-type]


def test_postings_are_stored_once_and_decisions_appended(store: LabelStore, corpus) -> None:
    posting = real_postings(corpus, 1)[0]
    first = store.record([decide(posting, "scam", reviewer="ann")])
    again = store.record([decide({**posting, "id": "other-id"}, "scam", reviewer="bob")])
    assert first[0].new_posting and not again[0].new_posting
    assert first[0].posting_hash == again[0].posting_hash
    assert store.counts() == {"postings": 1, "decisions_moderator": 2, "decisions": 2}


def test_latest_moderator_decision_wins_and_conflicts_are_listed(store: LabelStore,
                                                                  corpus) -> None:
    a, b = real_postings(corpus, 2)
    store.record([decide(a, "scam"), decide(b, "legit", source="import")])
    store.record([decide(a, "legit", note="checked the employer: real")])
    labels = {item.external_id: item.label for item in store.labeled()}
    assert labels == {a["id"]: "legit", b["id"]: "legit"}
    conflicts = store.conflicts()
    assert [(c["external_id"], c["label"], c["n_scam"], c["n_legit"]) for c in conflicts] == [
        (a["id"], "legit", 1, 1)
    ]


def test_reports_are_kept_but_never_labels_until_a_moderator_decides(store: LabelStore,
                                                                       corpus) -> None:
    posting = real_postings(corpus, 1)[0]
    store.record([decide(posting, "scam", source="report")])
    assert store.labeled() == []
    assert store.counts()["decisions_report"] == 1
    store.record([decide(posting, "scam")])
    assert [item.label for item in store.labeled()] == ["scam"]


def test_forget_removes_text_and_decisions_by_id_or_hash(store: LabelStore, corpus) -> None:
    a, b = real_postings(corpus, 2)
    store.record([decide(a, "scam"), decide(b, "legit"), decide(a, "scam", source="report")])
    assert store.forget(a["id"]) == 1
    assert store.posting(content_hash(decide(a, "scam").posting)) is None
    assert store.counts() == {"postings": 1, "decisions_moderator": 1, "decisions": 1}
    digest = content_hash(decide(b, "legit").posting)
    assert store.forget(digest[:16]) == 1
    assert store.counts() == {"postings": 0, "decisions": 0}


def test_forget_of_an_unknown_id_is_an_error_and_changes_nothing(store: LabelStore,
                                                                 corpus) -> None:
    store.record([decide(real_postings(corpus, 1)[0], "scam")])
    before = store.counts()
    with pytest.raises(LabelStoreError, match="no stored posting"):
        store.forget("no-such-id")
    with pytest.raises(LabelStoreError, match="no stored posting"):
        store.forget("abc")  # too short to be a hash prefix, and no such id
    assert store.counts() == before


def test_a_batch_is_one_transaction(store: LabelStore, corpus) -> None:
    good = decide(real_postings(corpus, 1)[0], "scam")
    broken = Decision(posting=good.posting, label="scam", source="moderator",
                      reviewer="x" * 10_000)  # over the column size on PostgreSQL
    if store.dialect == "sqlite":  # SQLite does not enforce VARCHAR sizes: force a failure
        broken = Decision(posting=good.posting, label=None, source="moderator")  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 (the driver's own error type)
        store.record([good, broken])
    assert store.counts() == {"postings": 0, "decisions": 0}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"posting": {"text": "x"}, "label": "spam"}, "unknown label"),
        ({"posting": {"text": "x"}, "label": 1}, "unknown label"),
        ({"posting": {"text": "   "}, "label": "scam"}, "empty posting"),
        ({"label": "scam"}, "missing 'posting'"),
        ({"posting": {"text": "x"}, "label": "scam", "flags": ["no_such_flag"]},
         "unknown red-flag"),
        ({"posting": {"text": "x"}, "label": "scam", "note": 5}, "'note' must be a string"),
        ({"posting": {"text": "x" * 2_000_001}, "label": "scam"}, "too large"),
    ],
)
def test_bad_decisions_have_clear_errors(data: dict, message: str) -> None:
    with pytest.raises(InvalidDecision, match=message):
        parse_decision(data, "moderator", max_chars=1_000_000)


def test_database_urls() -> None:
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("/tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"
    with pytest.raises(LabelStoreError, match="unsupported"):
        database_url("mysql://h/db")


def test_sqlite_store_is_in_wal_mode(tmp_path) -> None:
    store = LabelStore(str(tmp_path / "l.sqlite"))
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
