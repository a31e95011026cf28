"""Issue 24 items 2 and 3 for `labels import`: a label file's bad row is one reported error
with its row number and the other rows are recorded; yes/no cells are read as people write
them. Hand-made rows (labelled as such), real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from detector.labels.importing import import_file
from detector.labels.store import LabelStore

POSTING = {"title": "Data entry clerk", "description": "Pay a $50 starter kit fee first."}


def test_jsonl_label_file_with_hostile_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok-1", **POSTING, "label": "scam"}),
        "[" * 100_000 + "]" * 100_000,
        '{"id": "big", "title": "Clerk", "label": "scam", "views": ' + "9" * 5000 + "}",
        '{"id": ' + "9" * 5000 + ', "title": "Clerk", "label": "scam"}',
        '{"id": "sur", "title": "Clerk \\ud800", "label": "scam"}',
        json.dumps({"id": "ok-2", "title": "Nurse", "label": "legit"}),
    ]
    path = tmp_path / "decisions.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = LabelStore(str(tmp_path / "labels.sqlite"))
    result = import_file(store, path)
    assert (result.read, result.recorded) == (6, 3)
    assert [e.split(":")[0] for e in result.errors] == [
        "decisions.jsonl row 2", "decisions.jsonl row 4", "decisions.jsonl row 5"]
    assert "nested too deeply" in result.errors[0]
    assert sorted(r["external_id"] for r in store.decisions()) == ["big", "ok-1", "ok-2"]


def test_csv_label_file_rows_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text('id,title,label\nc1,Clerk,scam\nc2,"Clerk,scam\nc3,Nurse,legit\n'
                    "c4,Driver\nc5,Cook,legit\n", encoding="utf-8")
    store = LabelStore(str(tmp_path / "labels.sqlite"))
    result = import_file(store, path)
    assert result.recorded == 3
    assert [e.split(":")[0] for e in result.errors] == ["decisions.csv row 2",
                                                        "decisions.csv row 4"]
    assert all("malformed CSV record" in e for e in result.errors)


def test_parquet_label_file_with_an_unreadable_cell(tmp_path: Path) -> None:
    raw = pa.array([b"Clerk", b"\xff bad", b"Nurse"], pa.binary())
    titles = pa.Array.from_buffers(pa.string(), 3, raw.buffers())
    path = tmp_path / "decisions.parquet"
    pq.write_table(pa.table({"id": ["p1", "p2", "p3"], "title": titles,
                             "label": ["scam", "scam", "legit"]}), path)
    store = LabelStore(str(tmp_path / "labels.sqlite"))
    result = import_file(store, path)
    assert (result.read, result.recorded) == (3, 2)
    assert result.errors[0].startswith("decisions.parquet row 2:")
    assert "title" in result.errors[0]


def test_yes_no_cells_with_gaps_lose_no_decision(corpus, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """59 real postings as moderator decisions, their yes/no columns with gaps (pandas writes
    1.0/0.0): 25 of 59 were skipped over optional metadata. All are recorded now; a cell
    nobody can read is a warning and the field is left out."""
    import numpy as np

    from detector.cli import main
    from detector.schema import TEXT_FIELDS

    rows = corpus[(corpus["role"] == "core") & (corpus["language"] == "en")].head(59)
    frame = rows[["id", *[f for f in TEXT_FIELDS if f in rows]]].copy()
    frame["label"] = np.where(rows["label"].to_numpy() == 1, "scam", "legit")
    rng = np.random.default_rng(5)
    frame["has_company_logo"] = np.where(rng.random(59) < 0.4, np.nan, rng.integers(0, 2, 59))
    frame["telecommuting"] = ["yes", "否", "", "maybe"] + ["no"] * 55
    path = tmp_path / "decisions.csv"
    frame.to_csv(path, index=False)
    db = tmp_path / "labels.sqlite"
    assert main(["labels", "--db", str(db), "import", str(path)]) == 0
    out, err = capsys.readouterr()
    assert "recorded 59 decisions" in out and "skipped 0" in out
    assert "warning: decisions.csv row 4: field 'telecommuting': 'maybe'" in err
    stored = {item.external_id: item.content for item in LabelStore(str(db)).labeled()}
    assert len(stored) == 59
    fourth = str(frame["id"].iloc[3])
    assert "telecommuting" not in stored[fourth]
    assert stored[str(frame["id"].iloc[1])]["telecommuting"] is False
