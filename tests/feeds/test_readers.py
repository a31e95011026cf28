"""Readers: streaming chunks, per-row errors that never abort, fail-fast on bad feeds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from detector.feeds.readers import FeedError, check_feed, read_feed


def rows_of(path: Path, chunk_size: int = 2) -> list:
    check_feed(path)
    chunks = list(read_feed(path, chunk_size))
    assert all(len(c) <= chunk_size + 2 for c in chunks)
    return [row for chunk in chunks for row in chunk]


def test_csv_rows_are_strings_and_numbered(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("id,title,description,extra\n,NA,123,x\nabc,Cook,\"two\nlines\",y\n"
                    "7,Dev,ok,z\n", encoding="utf-8")
    rows = rows_of(path)
    assert [r.row for r in rows] == [1, 2, 3]
    assert rows[0].data == {"id": "", "title": "NA", "description": "123"}  # "NA" stays text
    assert rows[1].data["description"] == "two\nlines"
    assert all(r.error is None for r in rows)


def test_csv_invalid_utf8_and_bad_line_error_only_that_row(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    # A UTF-8 feed (caf\xc3\xa9) with one damaged row (caf\xe9, Latin-1).
    path.write_bytes(b"title,description\nok,caf\xc3\xa9 fine\nbad,caf\xe9\nx,y,z\nlast,row\n")
    rows = rows_of(path, chunk_size=10)
    errors = [r for r in rows if r.error]
    good = [r for r in rows if not r.error]
    assert [r.data["title"] for r in good] == ["ok", "last"]
    assert any("invalid UTF-8 in field 'description'" in r.error for r in errors)
    assert any(r.error.startswith("malformed CSV record at line 4: 3 fields, the header has 2")
               for r in errors)
    assert len(rows) == 4
    assert [r.row for r in rows] == [1, 2, 3, 4]  # the bad record keeps its number


def test_jsonl_bad_lines_become_error_rows(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(
        b'{"title": "a", "description": "x caf\xc3\xa9"}\n'
        b"{not json\n"
        b"\n"
        b'{"title": "caf\xe9"}\n'
        b"[1, 2]\n"
        b'{"title": "last", "unknown": 1}\n'
    )
    rows = rows_of(path)
    assert [r.row for r in rows] == [1, 2, 4, 5, 6]  # line numbers; blank line skipped
    assert rows[0].data == {"title": "a", "description": "x café"}
    assert rows[1].error.startswith("malformed JSON")
    assert "invalid UTF-8" in rows[2].error
    assert "JSON object" in rows[3].error
    assert rows[4].data == {"title": "last"}


def test_parquet_batches(tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    pd.DataFrame({"title": [f"t{i}" for i in range(5)], "other": range(5)}).to_parquet(path)
    rows = rows_of(path)
    assert [r.row for r in rows] == [1, 2, 3, 4, 5]
    assert rows[4].data == {"title": "t4"}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bin.csv", b"title\x00\x01\x02garbage", "looks binary"),
        ("garbage.csv", b"title\n" + bytes(range(0x80, 0x100)) * 4, "not UTF-8"),
        ("empty.csv", b"", "empty"),
        ("blank.jsonl", b"\n \n", "empty"),
        ("fake.parquet", b"title\nnot parquet at all\n", "not a Parquet file"),
        ("feed.xlsx", b"PK", r"is not an \.xlsx workbook"),  # read since issue 27
        ("feed.xls", b"\xd0\xcf\x11\xe0", r"save it as Excel Workbook \(\.xlsx\)"),
        ("feed.ods", b"PK", r"save it as Excel Workbook \(\.xlsx\), or as CSV UTF-8"),
        ("feed.doc", b"x", "cannot tell the format"),
    ],
)
def test_bad_feeds_fail_fast(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FeedError, match=message):
        check_feed(path)


def test_missing_feed(tmp_path: Path) -> None:
    with pytest.raises(FeedError, match="not found"):
        check_feed(tmp_path / "nope.jsonl")


def test_reading_is_lazy(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text("\n".join(json.dumps({"title": str(i)}) for i in range(10)) + "\n")
    chunks = read_feed(path, 3)
    assert [r.row for r in next(iter(chunks))] == [1, 2, 3]


def test_parquet_with_no_posting_column_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    pd.DataFrame({"foo": ["a"], "bar": ["b"]}).to_parquet(path)
    with pytest.raises(FeedError, match=r"none of the posting columns.*title.*'foo', 'bar'"):
        check_feed(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [("f.csv", "foo,bar\n1,2\n3,4\n"),
     ("f.jsonl", '{"foo": 1, "bar": "x"}\n{"foo": 2}\n')],
)
def test_feed_with_no_posting_column_fails_fast(tmp_path: Path, name: str,
                                                content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FeedError) as info:
        check_feed(path)
    message = str(info.value)
    assert "none of the posting columns" in message
    assert "id, title, company" in message and "description" in message  # what is expected
    assert "found 'foo', 'bar'" in message  # what it saw


def test_jsonl_with_some_unknown_keys_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text('{"foo": 1}\n{"title": "Cook"}\n', encoding="utf-8")
    assert check_feed(path) == "jsonl"
