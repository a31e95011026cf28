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
