"""Malformed CSV records: nothing is swallowed, row numbers never drift, errors name lines.

The feeds are real postings from labeled_posts/posts.csv.gz (multi-line descriptions and
all), written by the csv module, with one record broken the way hand-edited feeds break.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from detector.feeds.csv_reader import Lines, records
from detector.feeds.readers import RawRow, check_feed, read_feed
from tests.scan.conftest import feed_lines, write_broken_feed


def read_all(path: Path, chunk_size: int = 500) -> list[RawRow]:
    check_feed(path)
    return [row for chunk in read_feed(path, chunk_size) for row in chunk]


def test_unclosed_quote_mid_feed_loses_no_posting(tmp_path: Path,
                                                  real_postings: pd.DataFrame) -> None:
    """Issue 10.1/10.2: record 1001 of 2,001 gets an unclosed quote in its title."""
    path, broken_id, at = write_broken_feed(tmp_path, real_postings)

    rows = read_all(path)
    assert len(rows) == 2001  # records in == rows out
    assert [r.row for r in rows] == list(range(1, 2002))  # data-record numbers, no drift
    errors = [r for r in rows if r.error]
    assert len(errors) == 1
    [bad] = errors
    assert bad.row == 1001 and bad.id == broken_id
    assert bad.error.startswith(f"malformed CSV record at line {at + 1}")
    good = {r.data["id"]: r.row for r in rows if r.data}
    expected = {pid: i + 1 for i, pid in enumerate(real_postings["id"]) if pid != broken_id}
    assert good == expected  # e.g. orfd58_00484 is there, with its own record number
    after = rows[1001].data
    assert after == {k: v for k, v in real_postings.iloc[1001].items()}


def test_unclosed_quote_running_to_eof(tmp_path: Path, real_postings: pd.DataFrame) -> None:
    """A quote opened near the end with no quote after it: the tail is re-read, not lost."""
    frame = real_postings.head(40).copy()
    for column in frame.columns:  # no field needs quoting, so nothing closes the quote
        frame[column] = frame[column].str.replace(r'[\n\r",]', " ", regex=True)
    lines = feed_lines(frame)
    assert len(lines) == 41
    lines[35] = lines[35].replace(",", ',"', 1)  # record 35 (line 36) opens a quote
    path = tmp_path / "feed.csv"
    path.write_text("".join(lines), encoding="utf-8")
    rows = read_all(path, chunk_size=7)
    assert len(rows) == 40 and [r.row for r in rows] == list(range(1, 41))
    [bad] = [r for r in rows if r.error]
    assert bad.row == 35
    assert "line 36" in bad.error and "end of the file, line 41" in bad.error
    assert [r.data["id"] for r in rows if r.data] == [
        pid for i, pid in enumerate(frame["id"]) if i != 34]


def test_too_many_fields_keeps_row_numbers(tmp_path: Path) -> None:
    """Issue 10.2: the posting with id "3" is row 3, whatever happened on row 2."""
    path = tmp_path / "f.csv"
    path.write_text("id,title\n1,Cook\n2,Dev,extra\n3,Nurse\n", encoding="utf-8")
    rows = read_all(path)
    assert [(r.row, r.data and r.data["id"]) for r in rows] == [(1, "1"), (2, None),
                                                                  (3, "3")]
    assert rows[1].id == "2" and "line 3: 3 fields, the header has 2" in rows[1].error


def test_short_row_is_reported_not_padded(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("id,title,description\n1,Cook,fine\n2,Dev\n3,Nurse,ok\n",
                    encoding="utf-8")
    rows = read_all(path)
    assert rows[1].data is None and "2 fields, the header has 3" in rows[1].error


def test_consecutive_bad_lines_are_one_record_naming_its_lines() -> None:
    """A broken record whose text ran over several lines is one error, not one per line."""
    text = 'id,title\n1,a\n2,"broken\nstill broken\ntoo,many,fields\n3,b\n'
    lines = Lines(io.StringIO(text, newline="\n"))
    header = next(csv.reader(lines))
    lines.start_record()
    out = list(records(lines, len(header), 0))
    assert [type(x).__name__ for x in out] == ["Record", "BadRecord", "Record"]
    assert (out[1].first, out[1].last, out[1].id) == (3, 5, "2")
    assert out[1].message().startswith("malformed CSV record at lines 3–5: ")
    assert (out[2].first, out[2].fields) == (6, ["3", "b"])


def test_runaway_quote_is_cut_at_the_record_size_limit() -> None:
    text = "id,title\n" + '1,"never closed\n' + "".join(f"{i},x{i}\n" for i in range(2, 60))
    lines = Lines(io.StringIO(text, newline="\n"), limit=200)
    next(csv.reader(lines))
    lines.start_record()
    out = list(records(lines, 2, 0))
    assert "did not close within" in out[0].message() and out[0].first == 2
    assert [x.fields[0] for x in out[1:]] == [str(i) for i in range(2, 60)]


def test_header_only_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("\ufefftitle,description\n\nCook,ok\n\n", encoding="utf-8")
    rows = read_all(path)
    assert [(r.row, r.data) for r in rows] == [(1, {"title": "Cook", "description": "ok"})]


def test_crlf_feed_without_final_newline(tmp_path: Path) -> None:
    """Windows line ends stay inside quoted text; line numbers count CRLF as one line."""
    path = tmp_path / "f.csv"
    path.write_bytes(b'id,title,description\r\n1,Cook,"two\r\nlines"\r\n2,Dev,ok\r\n'
                     b'3,"bad,x\r\n4,Nurse,fine')
    rows = read_all(path)
    assert [r.row for r in rows] == [1, 2, 3, 4]
    assert rows[0].data["description"] == "two\r\nlines"
    assert rows[2].id == "3" and rows[2].error.startswith("malformed CSV record at line 5:")
    assert "end of the file, line 6" in rows[2].error
    assert rows[3].data == {"id": "4", "title": "Nurse", "description": "fine"}
