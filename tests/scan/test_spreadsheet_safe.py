"""Issue 24 item 4: every CSV the scan writes is spreadsheet-safe (OWASP's apostrophe before
a cell a spreadsheet would run as a formula), and the scan's and `labels import`'s readers
strip it again, so ids come back exact. Hand-written attack strings (labelled as such)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from detector.cli import main
from detector.labels.store import LabelStore
from detector.scan.review import read_output

IDS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1)", "-1+2",
       "'=quoted", "plain-id"]
TEXT = "Data entry from home: pay a $50 starter kit fee, then earn $900 a week."


def cells(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"id": i, "title": i, "description": TEXT}) + "\n"
                            for i in IDS), encoding="utf-8")
    return path


def test_scan_csv_output_and_review_queue_are_spreadsheet_safe(
        have_model: Path, feed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETECTOR_MODEL_DIR", str(have_model))
    out = tmp_path / "out.csv"
    assert main(["scan", str(feed), "-o", str(out), "--review", "6", "--jobs", "1",
                 "--quiet"]) == 0
    written = [row["id"] for row in cells(out)]
    assert written == ["'" + i for i in IDS[:5]] + ["plain-id"]
    assert [r["id"] for r in read_output(out)] == IDS  # read back exact

    queue = cells(tmp_path / "out.review.csv")
    assert {row["id"] for row in queue} == {"'" + i for i in IDS[:5]} | {"plain-id"}
    assert all(row["title"] == row["id"] for row in queue)
    assert not any(value and value[0] in "=+-@\t\r" for row in queue
                   for value in row.values())
    # The moderator fills `label` and imports the sheet against the feed: exact ids again.
    for row in queue:
        row["label"] = "scam"
    filled = tmp_path / "decided.csv"
    with filled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(queue[0]))
        writer.writeheader()
        writer.writerows(queue)
    db = tmp_path / "labels.sqlite"
    assert main(["labels", "--db", str(db), "import", str(filled), "--feed", str(feed)]) == 0
    assert sorted(r["external_id"] for r in LabelStore(str(db)).decisions()) == sorted(IDS)


def test_a_prefixed_csv_feed_cell_is_read_as_written(have_model: Path, tmp_path: Path) -> None:
    """A feed saved by a spreadsheet-safe writer ("'=SUM(1)") is scanned as "=SUM(1)"."""
    from detector.scan.runner import ScanConfig, run_scan

    feed = tmp_path / "feed.csv"
    feed.write_text("id,title,description\n'=SUM(1),'@cook,Prep and cook in our kitchen\n"
                    "''=two,Cook,Prep and cook in our kitchen\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    run_scan(ScanConfig(input=feed, output=out, model_dir=have_model, quiet=True, jobs=1))
    assert [json.loads(line)["id"] for line in out.open()] == ["=SUM(1)", "'=two"]
