"""Issue 27 item 6: Excel, the format moderators live in. An .xlsx feed (Chinese headers, the
first sheet or --sheet) scans completely with the verdicts of the same feed as UTF-8 CSV; a
GB18030 feed scans completely too; the .xlsx and byte-order-marked CSV outputs reopen
(pandas, openpyxl) with the same text as the JSONL output, apart from the documented
spreadsheet-safe prefix; Excel's limits are handled and said. Feeds are real postings
(labeled_posts); the hostile ids and error cells are hand-written."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from detector.feeds.readers import FeedError, FeedOptions, inspect_feed, read_feed
from detector.feeds.xlsx import MAX_CELL_CHARS, MAX_ROWS, XlsxWriter, cell_text
from detector.scan.runner import ScanConfig, run_scan
from detector.scan.writers import COLUMNS
from detector.spreadsheet import escape_cell, unescape_cell
from tests.scan.conftest import run_cli
from tests.scan.test_feed_encodings import verdicts, write

#: Chinese spreadsheet headers for every text field the frame has (columns.py's aliases).
ZH_HEADERS = {"id": "编号", "title": "职位名称", "company": "公司名称",
              "company_profile": "公司简介", "description": "职位描述", "requirements": "任职要求",
              "benefits": "福利", "salary": "薪资", "location": "工作地点",
              "employment_type": "工作性质", "required_experience": "工作经验",
              "required_education": "学历", "industry": "行业", "function": "职能",
              "department": "部门", "contact": "联系方式", "text": "正文"}
HOSTILE_IDS = ["=HYPERLINK(\"http://example.invalid\",\"click\")", "+cmd|' /C calc'!A0",
               "@SUM(1+1)", "-2+3", "'=already prefixed"]


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "岗位",
               before: list[str] | None = None) -> Path:
    """The frame as Excel would save it: numbers as numbers, text as text, one sheet per
    name in `before` first (empty ones, to test --sheet)."""
    book = openpyxl.Workbook()
    first = book.active
    if before:
        first.title = before[0]
        first.append(["不是这张表"])
        for name in before[1:]:
            book.create_sheet(name).append(["x"])
        sheet_ws = book.create_sheet(sheet)
    else:
        first.title = sheet
        sheet_ws = first
    sheet_ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        cells = []
        for value in row:
            if isinstance(value, str) and value.isdigit() and len(value) < 10:
                cells.append(int(value))  # Excel keeps typed numbers as numbers
            else:
                cells.append(value if value != "" else None)
        sheet_ws.append(cells)
    book.save(path)
    return path


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def same_text(shown: list[list[str]], expected: list[list[str]]) -> None:
    """Each cell is the verdict's text, or that text with the spreadsheet-safe prefix
    (`detector.spreadsheet.escape_cell`: the only difference a writer may make)."""
    assert len(shown) == len(expected)
    for got, want in zip(shown, expected, strict=True):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert g == w or g == escape_cell(w), (g, w)


def as_text(records: list[dict]) -> list[list[str]]:
    """Verdict rows as the text a spreadsheet cell holds (lists joined as the writers do)."""
    out = []
    for r in records:
        row = []
        for key in COLUMNS:
            value = r.get(key)
            if key == "flag_ids":
                value = ",".join(value or [])
            elif key in ("flags", "model_evidence"):
                value = json.dumps(value or [], ensure_ascii=False)
            row.append("" if value is None else str(value))
        out.append(row)
    return out


def test_an_xlsx_feed_with_chinese_headers_scans_like_the_csv(
        have_model: Path, tmp_path: Path, sample_frame: pd.DataFrame) -> None:
    frame = sample_frame[[c for c in ZH_HEADERS if c in sample_frame]].copy()
    base = write(frame, tmp_path / "utf8.csv", "utf-8", crlf=False)
    run_scan(ScanConfig(input=base, output=tmp_path / "csv.jsonl", model_dir=have_model,
                        quiet=True))
    feed = write_xlsx(frame.rename(columns=ZH_HEADERS), tmp_path / "jobs.xlsx")
    summary = run_scan(ScanConfig(input=feed, output=tmp_path / "xlsx.jsonl",
                                  model_dir=have_model, quiet=True))
    assert summary["rows_read"] == len(frame) and summary["rejected"] == 0
    assert verdicts(tmp_path / "xlsx.jsonl") == verdicts(tmp_path / "csv.jsonl")
    assert summary["feed"]["sheet"] == "岗位" and summary["feed"]["header_row"] == 1
    assert summary["feed"]["columns"]["renamed"]["职位名称"] == "title"


def test_gb18030_feed_to_bom_csv_and_xlsx_reopens_with_the_same_text(
        have_model: Path, tmp_path: Path, sample_frame: pd.DataFrame) -> None:
    """The issue's case: a feed read correctly from GB18030 came out as UTF-8 without a BOM,
    which Chinese Excel garbles. Hostile ids check the spreadsheet-safe prefix."""
    frame = sample_frame.copy()
    frame.loc[frame.index[:len(HOSTILE_IDS)], "id"] = HOSTILE_IDS
    feed = write(frame, tmp_path / "jobs.csv", "gb18030")
    outs = {}
    for suffix in ("jsonl", "csv", "xlsx"):
        outs[suffix] = tmp_path / f"out.{suffix}"
        summary = run_scan(ScanConfig(input=feed, output=outs[suffix], model_dir=have_model,
                                      quiet=True))
        assert summary["rows_read"] == len(frame) and summary["rejected"] == 0
    expected = as_text(jsonl(outs["jsonl"]))
    assert outs["csv"].read_bytes()[:3] == b"\xef\xbb\xbf"  # for Excel: the feed was GB18030
    shown = pd.read_csv(outs["csv"], dtype=str, keep_default_na=False, encoding="utf-8")
    assert list(shown.columns) == list(COLUMNS)  # the BOM is not glued to the first name
    same_text([list(row) for row in shown.itertuples(index=False)], expected)
    book = openpyxl.load_workbook(outs["xlsx"], read_only=True)
    rows = list(book["verdicts"].iter_rows(values_only=True))
    assert list(rows[0]) == list(COLUMNS)
    width = len(COLUMNS)  # a row's trailing empty cells are not stored
    cells = [["" if v is None else str(v) for v in (*row, *[None] * (width - len(row)))]
             for row in rows[1:]]
    numeric = [COLUMNS.index(c) for c in ("row", "fraud_probability", "model_probability")]
    for got, want in zip(cells, expected, strict=True):
        for i in numeric:  # numbers stay numbers: compare their values
            if want[i]:
                assert float(got[i]) == float(want[i])
            got[i] = want[i]
    same_text(cells, expected)
    by_pandas = pd.read_excel(outs["xlsx"], dtype=str, keep_default_na=False)
    # A CSV feed's cell that is already prefixed ('=...) reads as the text it stands for
    # (issue 24: exports read back exactly), and is prefixed once on the way out.
    assert list(by_pandas["id"][:len(HOSTILE_IDS)]) == [escape_cell(unescape_cell(i))
                                                        for i in HOSTILE_IDS]
    # Typed as strings: nothing is a formula, whatever it starts with.
    book = openpyxl.load_workbook(outs["xlsx"])
    id_cells = [row[1] for row in book["verdicts"].iter_rows(min_row=2, max_row=6)]
    assert all(c.data_type == "s" for c in id_cells)


def test_excel_flag_asks_for_the_bom_and_utf8_feeds_go_without(
        have_model: Path, tmp_path: Path, sample_frame: pd.DataFrame) -> None:
    feed = write(sample_frame.head(10), tmp_path / "jobs.csv", "utf-8")
    plain, asked = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert run_cli(str(feed), "-o", str(plain), "-j", "1", "-q").returncode == 0
    result = run_cli(str(feed), "-o", str(asked), "-j", "1", "-q", "--excel")
    assert result.returncode == 0, result.stderr
    assert plain.read_bytes()[:3] != b"\xef\xbb\xbf"
    assert asked.read_bytes()[:3] == b"\xef\xbb\xbf"


def test_sheet_choice_and_refusals(tmp_path: Path, sample_frame: pd.DataFrame) -> None:
    frame = sample_frame.head(5)[["id", "title", "description"]]
    feed = write_xlsx(frame, tmp_path / "book.xlsx", sheet="jobs", before=["notes", "old"])
    # The first sheet names no posting column: the error says which sheet and how to choose.
    with pytest.raises(FeedError, match="none of the posting columns") as info:
        inspect_feed(feed)
    assert "this is sheet 'notes'; the workbook also has 'old', 'jobs'" in str(info.value)
    assert "--sheet NAME" in str(info.value)
    for wanted in ("jobs", "3"):
        layout = inspect_feed(feed, FeedOptions(sheet=wanted))
        assert layout.sheet == "jobs" and layout.header_row == 1
        assert "sheet 'jobs' (of 3 sheets), header in row 1" in layout.describe()[0]
        rows = [r for chunk in read_feed(feed, 100, layout=layout) for r in chunk]
        assert [r.data["id"] for r in rows] == list(frame["id"])
    with pytest.raises(FeedError, match=r"no sheet 'nope'; its sheets are 1: 'notes', 2: 'old'"):
        inspect_feed(feed, FeedOptions(sheet="nope"))
    with pytest.raises(FeedError, match="--encoding and --delimiter are for text feeds"):
        inspect_feed(feed, FeedOptions(encoding="gbk"))
    with pytest.raises(FeedError, match=r"--sheet is for Excel workbooks"):
        inspect_feed(write(frame, tmp_path / "f.csv", "utf-8"), FeedOptions(sheet="1"))
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    with pytest.raises(FeedError, match=r"save it as Excel Workbook \(\.xlsx\), or as CSV"):
        inspect_feed(old)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("title\nnot a workbook\n")
    with pytest.raises(FeedError, match=r"is not an \.xlsx workbook"):
        inspect_feed(fake)


def test_cells_read_as_csv_text_and_error_cells_name_their_sheet_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Jobs"
    sheet.append(["Report of 9 Aug"])  # a title line above the header is not the header
    sheet.append([])
    sheet.append(["job_id", "Job Title", "Salary", "is_remote", "posted"])
    sheet.append(["a1", "Data entry clerk", 5000, True, pd.Timestamp("2024-08-09").to_pydatetime()])
    sheet.append([])  # blank rows are skipped, their numbers kept
    sheet.append(["a2", "#REF!", 12.5, 0, None])
    sheet.append([None, "'=1+1 typed as text", 1e20, False, None])
    feed = tmp_path / "t.xlsx"
    book.save(feed)
    layout = inspect_feed(feed)
    assert layout.header_row == 3  # the title line and the blank row above are skipped
    assert layout.columns.fields == {"id": 0, "title": 1, "salary": 2, "telecommuting": 3}
    rows = [r for chunk in read_feed(feed, 100, layout=layout) for r in chunk]
    assert [r.row for r in rows] == [1, 3, 4]  # sheet rows 4, 6, 7 (row 5 is blank)
    assert rows[0].data == {"id": "a1", "title": "Data entry clerk", "salary": "5000",
                            "telecommuting": "true"}
    assert rows[1].data is None and rows[1].id == "a2"
    assert rows[1].error == ("sheet 'Jobs' row 6: cell B6 (title) holds Excel's error value "
                             "#REF!, not text")
    assert rows[2].data == {"id": "", "title": "=1+1 typed as text", "salary": "1e+20",
                            "telecommuting": "false"}
    assert cell_text(12.5) == "12.5" and cell_text(None) == ""


def test_excel_limits_are_handled_and_said(tmp_path: Path) -> None:
    assert (MAX_CELL_CHARS, MAX_ROWS) == (32_767, 1_048_576)  # Excel's own limits
    writer = XlsxWriter(tmp_path / "small.xlsx", ("row", "id", "error"), max_rows=4,
                        max_chars=60)
    for i in range(1, 8):
        writer.append({"row": i, "id": f"p{i}", "error": "x" * (100 if i == 2 else 5)
                       + ("\x0b" if i == 3 else "")})
    writer.close()
    notes = writer.notes()
    assert any("go on in sheets verdicts (2), verdicts (3)" in n for n in notes), notes
    assert any("1 cells were longer than Excel's 60 characters" in n for n in notes), notes
    assert any("control characters" in n for n in notes), notes
    book = openpyxl.load_workbook(tmp_path / "small.xlsx", read_only=True)
    assert book.sheetnames == ["verdicts", "verdicts (2)", "verdicts (3)"]
    rows = [r for name in book.sheetnames for r in book[name].iter_rows(values_only=True)
            if r[0] != "row"]
    assert [r[0] for r in rows] == list(range(1, 8))  # every row, in order, header repeated
    cut = rows[1][2]
    assert len(cut) == 60 and cut.endswith("Excel holds 60]") and "cut: 100 characters" in cut


def test_review_queue_from_an_xlsx_scan(have_model: Path, tmp_path: Path,
                                        sample_frame: pd.DataFrame,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel in and out, with the review queue read back from the workbook."""
    from detector.cli import main

    monkeypatch.setenv("DETECTOR_LABEL_DB", str(tmp_path / "labels.sqlite"))
    frame = sample_frame.head(60)[["id", "title", "description", "salary"]].copy()
    frame.loc[frame.index[0], "id"] = HOSTILE_IDS[0]
    feed = write_xlsx(frame.rename(columns=ZH_HEADERS), tmp_path / "jobs.xlsx")
    out = tmp_path / "verdicts.xlsx"
    assert main(["scan", str(feed), "-o", str(out), "--review", "5", "--jobs", "1",
                 "-q"]) == 0
    queue = [json.loads(line) for line in (tmp_path / "verdicts.review.jsonl").open()]
    assert len(queue) == 5 and all(entry["posting"] for entry in queue)
    ids = set(frame["id"])
    assert {entry["id"] for entry in queue} <= ids  # unescaped: the feed's own ids
