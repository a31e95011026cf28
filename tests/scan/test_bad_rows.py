"""Issue 24 item 2: a feed's bad record is one error row with its line (or record) number,
and the scan goes on. Hand-made hostile feeds (labelled as such) around real-looking rows;
the real scan (`run_scan`) with the shipped model, in this process."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from detector.scan.runner import ScanConfig, run_scan

GOOD = {"title": "Line cook", "description": "Prep and cook in our kitchen, evening shifts."}
DEEP = "[" * 100_000 + "]" * 100_000
DIGITS = "9" * 5000


def scan(have_model: Path, feed: Path, chunk_size: int = 2000) -> list[dict]:
    out = feed.with_name(feed.stem + ".out.jsonl")
    summary = run_scan(ScanConfig(input=feed, output=out, model_dir=have_model, quiet=True,
                                  jobs=1, chunk_size=chunk_size))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert summary["rows_read"] == len(rows) == summary["scored"] + summary["rejected"]
    return rows


def by_row(rows: list[dict]) -> dict[int, dict]:
    return {row["row"]: row for row in rows}


def test_jsonl_every_bad_line_is_one_error_row(have_model: Path, tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "good-1", **GOOD}),                               # 1
        DEEP,                                                                # 2
        json.dumps({"id": "big-ignored", **GOOD})[:-1] + ', "views": ' + DIGITS + "}",  # 3
        '{"id": ' + DIGITS + ', "title": "Line cook"}',                      # 4
        '{"id": "surrogate", "title": "Line cook \\ud800"}',                 # 5
        '{"id": "\\udc80x", "title": "Line cook"}',                          # 6
        DIGITS,                                                              # 7
        '{"id": "nan", "title": "Line cook", "text": NaN}',                  # 8 (NaN: absent)
        '{"id": "deep-field", "title": "Line cook", "x": ' + DEEP + "}",    # 9
        '{"id": "nul\\u0000", "title": "Line cook"}',                        # 10
        '{"id": "\\ud800", "title": "Da',                                    # 11 truncated
        '{"id": "huge-text", "title": ' + DIGITS + "}",                      # 12
        json.dumps({"id": "good-2", **GOOD}, ensure_ascii=False),            # 13
    ]
    feed = tmp_path / "hostile.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = by_row(scan(have_model, feed))
    assert sorted(rows) == list(range(1, 14))
    scored = {n for n, row in rows.items() if row["error"] is None}
    assert scored == {1, 3, 8, 13}
    assert rows[3]["id"] == "big-ignored"
    words = {2: "nested too deeply", 4: "5,000 digits", 5: "lone surrogate",
             6: "lone surrogate", 7: "got int", 9: "nested too deeply", 10: "NUL",
             11: "malformed JSON",
             12: "must be a string, got int"}
    for number, word in words.items():
        assert word in rows[number]["error"], (number, rows[number]["error"])
    assert rows[11]["id"] == "11"  # a lone surrogate is no id to echo: the line number


def test_jsonl_with_a_deep_line_among_the_first_lines_is_still_inspected(
        have_model: Path, tmp_path: Path) -> None:
    """The first 100 lines are parsed to learn the keys: a deep one there crashed that."""
    feed = tmp_path / "deep-first.jsonl"
    feed.write_text(DEEP + "\n" + json.dumps(GOOD) + "\n", encoding="utf-8")
    rows = scan(have_model, feed)
    assert [row["error"] is None for row in rows] == [False, True]


def test_csv_bad_records_are_error_rows(have_model: Path, tmp_path: Path) -> None:
    header = "id,title,description\n"
    body = [
        "c1,厨师,后厨备餐与烹饪，晚班，包住宿，月薪6000元\n",                # 1
        f"{DIGITS},Line cook,Prep\n",                                       # 2 id too long
        'c3,"Line cook,Prep\n',                                             # 3 unclosed quote
        "c4,Line cook,Prep and cook \x00 evenings\n",                       # 4 NUL in text
        "c5,Line cook," + "x" * 4_100_000 + "\n",                           # 5 over the cap
        "c6,Line cook,Prep and cook in our kitchen\n",                      # 6
        "c7,Line cook\n",                                                   # 7 short
    ]
    feed = tmp_path / "hostile.csv"
    with feed.open("wb") as handle:
        handle.write(header.encode())
        for line in body:
            handle.write(line.encode("utf-8"))
        handle.write(b"c8,Line cook,bad byte \xff here\n")                 # 8
        handle.write("c9,服务员,餐厅服务员，负责点餐与上菜，月薪5000元\n".encode())  # 9
    rows = by_row(scan(have_model, feed))
    assert sorted(rows) == list(range(1, 10))
    assert {n for n, row in rows.items() if row["error"] is None} == {1, 4, 6, 9}
    assert "too long" in rows[2]["error"]
    for number in (3, 5, 7):
        assert "malformed CSV record" in rows[number]["error"], rows[number]
    assert "invalid UTF-8" in rows[8]["error"]


def test_parquet_unreadable_cells_are_error_rows(have_model: Path, tmp_path: Path) -> None:
    """A string column holding bytes that are not UTF-8 and a date out of Python's range:
    pyarrow's to_pylist raised for the whole batch, so the scan stopped."""
    good = pa.array([b"Line cook", b"\xff\xfe broken", b"Nurse", b"Driver"], pa.binary())
    titles = pa.Array.from_buffers(pa.string(), 4, good.buffers())
    ids = pa.array(["p1", "p2", "p3", "p4"])
    descriptions = pa.array(["Prep and cook", "Prep", ["x"] and "Care for patients", "Drive"])
    table = pa.table({"id": ids, "title": titles, "description": descriptions,
                      "telecommuting": pa.array([None, None, None, None], pa.bool_())})
    feed = tmp_path / "hostile.parquet"
    pq.write_table(table, feed)
    rows = by_row(scan(have_model, feed))
    assert sorted(rows) == [1, 2, 3, 4]
    assert {n for n, row in rows.items() if row["error"] is None} == {1, 3, 4}
    assert "title" in rows[2]["error"] and "UTF-8" in rows[2]["error"]
    assert rows[2]["id"] == "p2"


def test_parquet_id_column_out_of_range_is_one_error_row(have_model: Path,
                                                         tmp_path: Path) -> None:
    table = pa.table({"id": pa.array([1, 2_147_483_647, 3], pa.date32()),
                      "title": ["Line cook", "Nurse", "Driver"]})
    feed = tmp_path / "dates.parquet"
    pq.write_table(table, feed)
    rows = by_row(scan(have_model, feed))
    assert sorted(rows) == [1, 2, 3]
    assert rows[2]["error"] and "id" in rows[2]["error"]
    assert all(rows[n]["error"] and "got date" in rows[n]["error"] for n in (1, 3))


@pytest.mark.parametrize("chunk_size", [1, 2000])
def test_parquet_row_numbers_stay_right_across_row_groups(have_model: Path, tmp_path: Path,
                                                          chunk_size: int) -> None:
    table = pa.table({"id": [f"r{i}" for i in range(1, 8)],
                      "title": ["Line cook"] * 7})
    feed = tmp_path / "groups.parquet"
    pq.write_table(table, feed, row_group_size=3)
    rows = scan(have_model, feed, chunk_size=chunk_size)
    assert [(row["row"], row["id"]) for row in rows] == [(i, f"r{i}") for i in range(1, 8)]
