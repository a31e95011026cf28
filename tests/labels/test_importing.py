"""Imports into both stores (SQLite and a real PostgreSQL): posting rows with labels, and
id,label rows joined with the feed they refer to; bad rows are reported and skipped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from detector.labels.importing import import_file
from detector.labels.store import LabelStore
from detector.schema import TEXT_FIELDS


def _feed(corpus: pd.DataFrame, n: int) -> pd.DataFrame:
    rows = corpus[corpus["role"] == "core"].sample(n, random_state=11)
    return rows[["id", *[f for f in TEXT_FIELDS if f != "text"], "label"]].fillna("")


def test_posting_rows_with_labels(store: LabelStore, corpus, tmp_path: Path) -> None:
    rows = _feed(corpus, 6)
    rows["label"] = ["scam" if v == 1 else "legit" for v in rows["label"]]
    rows.iloc[0, rows.columns.get_loc("label")] = "maybe"
    path = tmp_path / "decisions.parquet"
    rows.to_parquet(path, index=False)
    result = import_file(store, path)
    assert (result.read, result.recorded, result.skipped) == (6, 5, 1)
    assert "unknown label 'maybe'" in result.errors[0]
    assert len(store.labeled()) == 5


def test_ids_joined_with_a_csv_feed_by_id_and_by_row_number(store: LabelStore, corpus,
                                                            tmp_path: Path) -> None:
    rows = _feed(corpus, 5)
    feed = tmp_path / "feed.csv"
    rows.drop(columns=["label"]).assign(id=["a", "", "c", "d", "e"]).to_csv(feed, index=False)
    decisions = tmp_path / "ids.jsonl"
    decisions.write_text('{"id": "a", "label": "scam"}\n{"id": 2, "label": "legit"}\n'
                         '{"id": "zzz", "label": "scam"}\nnot json\n', encoding="utf-8")
    result = import_file(store, decisions, feed=feed, reviewer="queue-1")
    assert result.recorded == 2 and len(result.errors) == 2
    assert {row["reviewer"] for row in store.decisions()} == {"queue-1"}
    assert sorted(i.label for i in store.labeled()) == ["legit", "scam"]


def test_review_queue_rows_without_a_label_say_missing_label(store: LabelStore, corpus,
                                                             tmp_path: Path) -> None:
    """Issue 27: importing the review queue as written (no label yet) said
    `unknown label 'NoneType'`."""
    import json

    rows = _feed(corpus, 3)
    feed = tmp_path / "feed.csv"
    rows.drop(columns=["label"]).to_csv(feed, index=False)
    queue = tmp_path / "out.review.jsonl"
    queue.write_text("".join(json.dumps({"rank": i, "id": row_id, "reason": "near 20%"}) + "\n"
                             for i, row_id in enumerate(rows["id"], start=1)), encoding="utf-8")
    result = import_file(store, queue, feed=feed)
    assert result.recorded == 0 and len(result.errors) == 3
    assert all(e.endswith("missing label: fill in 'scam' or 'legit'") for e in result.errors)
    assert not any("NoneType" in e for e in result.errors)


def test_decisions_filled_in_in_excel(store: LabelStore, corpus, tmp_path: Path) -> None:
    import openpyxl

    rows = _feed(corpus, 3)
    feed = tmp_path / "feed.csv"
    rows.drop(columns=["label"]).to_csv(feed, index=False)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "label", "note"])
    sheet.append([rows["id"].iloc[0], "scam", "asks for a fee"])
    sheet.append([rows["id"].iloc[1], "legit", None])
    sheet.append([rows["id"].iloc[2], None, None])  # not decided yet
    book.save(tmp_path / "decisions.xlsx")
    result = import_file(store, tmp_path / "decisions.xlsx", feed=feed)
    assert result.recorded == 2, result.errors
    assert result.errors == ["decisions.xlsx row 4: missing label: fill in 'scam' or 'legit'"]
    assert sorted(i.label for i in store.labeled()) == ["legit", "scam"]
