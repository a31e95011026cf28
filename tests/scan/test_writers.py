"""Writers (three formats, atomic) and the external merge behind `--sort risk`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from detector.scan.chunks import COLUMNS, FIELDS_KEY, sort_key, write_part
from detector.scan.merge import riskiest_first
from detector.scan.writers import open_writer, output_format


def record(row: int, prob: float | None, flags: list[str] | None = None) -> dict:
    flags = flags or []
    return {
        "row": row, "id": f"id{row}", "fraud_probability": prob,
        "risk": None if prob is None else "high" if prob > 0.5 else "low",
        "language": "en", "model_version": "v", "model_probability": prob,
        "flag_ids": flags,
        "flags": [{"id": f, "evidence": [{"field": "title", "start": 0, "end": 2,
                                          "text": "<b"}]} for f in flags],
        "error": "bad" if prob is None else None, FIELDS_KEY: {"title": "<b>x"},
    }


RECORDS = [{**record(1, 0.9, ["upfront_fee", "task_scam"]), "confidence": "low"},
           record(2, None), record(3, 0.1)]  # records from an older core have no confidence


@pytest.mark.parametrize("name", ["out.jsonl", "out.csv", "out.parquet"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    with open_writer(path) as writer:
        for rec in RECORDS:
            writer.write(dict(rec))
    assert writer.count == 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # temp renamed
    if name.endswith(".jsonl"):
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        assert list(rows[0]) == list(COLUMNS)
        assert rows[0]["flag_ids"] == ["upfront_fee", "task_scam"]
        assert rows[0]["flags"][0]["evidence"][0]["text"] == "<b"
        assert rows[1]["error"] == "bad" and rows[1]["fraud_probability"] is None
        assert [r["confidence"] for r in rows] == ["low", None, None]
    else:
        frame = (pd.read_csv(path, dtype=str, keep_default_na=False) if name.endswith(".csv")
                 else pd.read_parquet(path))
        assert list(frame.columns) == list(COLUMNS)
        assert json.loads(frame["flags"][0])[1]["id"] == "task_scam"
        ids = frame["flag_ids"][0]
        assert (ids.split(",") if isinstance(ids, str) else list(ids)) == [
            "upfront_fee", "task_scam"]
        assert frame["error"][1] == "bad"
        assert frame["confidence"][0] == "low"
        assert frame["confidence"][2] in ("", None) or pd.isna(frame["confidence"][2])


def test_failed_write_leaves_no_output(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), open_writer(path) as writer:
        writer.write(dict(RECORDS[0]))
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_unknown_output_format() -> None:
    with pytest.raises(ValueError, match="output format"):
        output_format(Path("x.xls"))
    assert output_format(Path("x.xlsx")) == "xlsx"  # written since issue 27


def test_external_merge_is_a_stable_sort(tmp_path: Path) -> None:
    probs = [0.3, None, 0.9, 0.3, 0.05, 0.9, None, 0.5, 0.7, 0.3, 0.2, 0.99, 0.0]
    records = [record(i + 1, p) for i, p in enumerate(probs)]
    parts = []
    for n, start in enumerate(range(0, len(records), 3)):  # sorted runs of 3
        part = tmp_path / f"part-{n:06d}.jsonl"
        write_part(part, sorted(records[start:start + 3], key=sort_key))
        parts.append(part)
    merged = list(riskiest_first(parts, tmp_path, fan_in=2))  # forces intermediate runs
    assert [r["row"] for r in merged] == [r["row"] for r in sorted(records, key=sort_key)]
    assert [r["fraud_probability"] for r in merged][:3] == [0.99, 0.9, 0.9]
    assert merged[-1]["error"] == "bad"
