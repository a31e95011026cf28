"""The scan end to end in-process: one row out per row in, order, parallelism, sort, filter,
summary, and resume after an interruption."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from detector.scan.engine import STOP_AFTER_ENV, ScanInterrupted
from detector.scan.resume import ResumeError, work_dir_for
from detector.scan.runner import ScanConfig, run_scan
from detector.schema import BOOL_FIELDS


def scan(have_model: Path, src: Path, out: Path, **kw) -> dict:
    config = ScanConfig(input=src, output=out, model_dir=have_model, quiet=True, **kw)
    return run_scan(config)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def messy_jsonl(tmp_path: Path, sample_frame: pd.DataFrame) -> Path:
    """The sample as typed JSONL (yes/no fields as JSON booleans) without ids, plus broken
    rows in the middle."""
    frame = sample_frame.drop(columns=["id"]).head(60).copy()
    for name in BOOL_FIELDS:
        frame[name] = frame[name].map({"True": True, "False": False, "": None})
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in frame.to_dict("records")]
    lines[10] = b"{broken json"
    lines[20] = b'{"title": "", "description": "   "}'
    lines[30] = b'{"title": "caf\xe9 bad bytes"}'
    path = tmp_path / "messy.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_every_row_out_once_with_errors(have_model: Path, tmp_path: Path,
                                        messy_jsonl: Path) -> None:
    out = tmp_path / "out.jsonl"
    summary = scan(have_model, messy_jsonl, out, chunk_size=16, jobs=1)
    rows = read_jsonl(out)
    assert [r["row"] for r in rows] == list(range(1, 61))
    assert [r["id"] for r in rows] == [str(i) for i in range(1, 61)]  # row number as id
    errors = {r["row"]: r["error"] for r in rows if r["error"]}
    assert set(errors) == {11, 21, 31}
    assert "malformed JSON" in errors[11] and "empty posting" in errors[21]
    assert "invalid UTF-8" in errors[31]
    ok = [r for r in rows if not r["error"]]
    assert all(0 <= r["fraud_probability"] <= 1 and r["risk"] in ("low", "medium", "high")
               for r in ok)
    assert summary["rows_read"] == 60 and summary["scored"] == 57 and summary["rejected"] == 3
    assert sum(summary["risk"].values()) == 57
    firsts = sorted(r for e in summary["rejections"].values() for r in e["first_rows"])
    assert firsts == [11, 21, 31]
    assert not work_dir_for(out).exists()


def test_parallel_matches_serial_and_keeps_order(have_model: Path, tmp_path: Path,
                                                 feed_csv: Path) -> None:
    serial, parallel = tmp_path / "s.jsonl", tmp_path / "p.jsonl"
    scan(have_model, feed_csv, serial, chunk_size=50, jobs=1)
    scan(have_model, feed_csv, parallel, chunk_size=50, jobs=2)
    assert serial.read_bytes() == parallel.read_bytes()
    ids = [r["id"] for r in read_jsonl(serial)]
    assert ids == pd.read_csv(feed_csv, dtype=str)["id"].tolist()


def test_sort_and_min_risk(have_model: Path, tmp_path: Path, feed_csv: Path) -> None:
    out = tmp_path / "sorted.csv"
    summary = scan(have_model, feed_csv, out, chunk_size=40, jobs=1, sort=True,
                   min_risk="medium", summary_json=tmp_path / "s.json")
    frame = pd.read_csv(out)
    probs = frame["fraud_probability"].tolist()
    assert probs == sorted(probs, reverse=True)
    assert set(frame["risk"]) <= {"medium", "high"}
    assert len(frame) == summary["risk"]["medium"] + summary["risk"]["high"] > 0
    assert summary["written"] == len(frame) and summary["rows_read"] == 240
    assert json.loads((tmp_path / "s.json").read_text())["rows_read"] == 240


def test_resume_after_interruption(have_model: Path, tmp_path: Path, feed_csv: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    full, resumed = tmp_path / "full.jsonl", tmp_path / "resumed.jsonl"
    scan(have_model, feed_csv, full, chunk_size=30, jobs=1)
    monkeypatch.setenv(STOP_AFTER_ENV, "3")
    with pytest.raises(ScanInterrupted):
        scan(have_model, feed_csv, resumed, chunk_size=30, jobs=1)
    work = work_dir_for(resumed)
    assert len(list(work.glob("part-*.jsonl"))) == 3 and not resumed.exists()
    with pytest.raises(ResumeError, match="chunk_size"):
        scan(have_model, feed_csv, resumed, chunk_size=31, jobs=1, resume=True)
    monkeypatch.delenv(STOP_AFTER_ENV)
    summary = scan(have_model, feed_csv, resumed, chunk_size=30, jobs=2, resume=True)
    assert summary["resumed_chunks"] == 3 and summary["rows_this_run"] == 150
    assert summary["rows_read"] == 240
    assert resumed.read_bytes() == full.read_bytes()


def test_a_feed_of_one_chunk_is_scored_without_a_process_pool(
        have_model: Path, tmp_path: Path, messy_jsonl: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 19: a 200-row scan started `--jobs` processes that each loaded the model to
    score one chunk on one of them."""
    import detector.scan.engine as engine

    def no_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a pool was started for a single chunk")

    monkeypatch.setattr(engine, "ProcessPoolExecutor", no_pool)
    out = tmp_path / "out.jsonl"
    summary = scan(have_model, messy_jsonl, out, chunk_size=100, jobs=2)
    assert summary["rows_read"] == 60 and len(read_jsonl(out)) == 60
    with pytest.raises(AssertionError, match="pool was started"):
        scan(have_model, messy_jsonl, tmp_path / "out2.jsonl", chunk_size=30, jobs=2)
