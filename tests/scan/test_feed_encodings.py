"""Feeds as moderators really have them (issue 19): Chinese Excel's GB18030, Excel's
"Unicode text" (UTF-16, tabs), UTF-8 with a BOM, CRLF, semicolons, Chinese and job-board
headers. Every row is scored with the verdicts of the same feed in UTF-8; when the
encoding cannot be told, nothing is scored and the message names --encoding."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from detector.feeds.columns import ALIASES, ColumnMapError, map_columns, parse_map
from detector.feeds.dialect import parse_delimiter
from detector.feeds.readers import FeedError, FeedOptions, inspect_feed, read_feed
from detector.scan.runner import ScanConfig, run_scan
from tests.scan.conftest import ROOT, run_cli

ZH_HEADERS = {"title": "职位名称", "company": "公司名称", "description": "职位描述",
              "salary": "薪资", "location": "工作地点", "contact": "联系方式"}
BOARD_HEADERS = {"title": "job_title", "company": "company_name",
                 "description": "job_description", "id": "job_id"}


def write(frame: pd.DataFrame, path: Path, encoding: str, sep: str = ",",
          crlf: bool = True) -> Path:
    text = frame.to_csv(index=False, sep=sep, lineterminator="\r\n" if crlf else "\n")
    path.write_bytes(text.encode(encoding))
    return path


def verdicts(path: Path) -> list[tuple]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["row"], r["id"], r["fraud_probability"], r["risk"], r["error"],
             [(f["id"], [(e["field"], e["start"], e["end"], e["text"]) for e in f["evidence"]])
              for f in r["flags"]]) for r in rows]


VARIANTS = {
    "utf8-bom-crlf.csv": ("utf-8-sig", ",", None),
    "gb18030-crlf.csv": ("gb18030", ",", None),
    "excel-unicode-text.txt": ("utf-16", "\t", None),
    "semicolon.csv": ("utf-8", ";", None),
    "tabs.tsv": ("utf-8", "\t", None),
    "zh-headers-gbk.csv": ("gb18030", ",", ZH_HEADERS),
    "job-board.csv": ("utf-8", ",", BOARD_HEADERS),
}


def test_every_variant_scores_every_row_like_the_utf8_feed(have_model: Path, tmp_path: Path,
                                                          sample_frame: pd.DataFrame) -> None:
    frame = sample_frame
    assert frame["language"].nunique() == 2 if "language" in frame else True
    base = write(frame, tmp_path / "utf8.csv", "utf-8", crlf=False)
    base_out = tmp_path / "utf8.jsonl"
    run_scan(ScanConfig(input=base, output=base_out, model_dir=have_model, quiet=True))
    expected = verdicts(base_out)
    assert len(expected) == len(frame) and not any(v[4] for v in expected)
    for name, (encoding, sep, headers) in VARIANTS.items():
        feed = write(frame.rename(columns=headers or {}), tmp_path / name, encoding, sep)
        out = tmp_path / f"{name}.jsonl"
        summary = run_scan(ScanConfig(input=feed, output=out, model_dir=have_model,
                                      quiet=True))
        assert summary["rejected"] == 0, (name, summary["rejections"])
        assert verdicts(out) == expected, name
        layout = summary["feed"]
        assert layout["delimiter"] == sep, name
        if headers:
            assert layout["columns"]["renamed"] == {v: k for k, v in headers.items()}


def test_the_layout_is_printed(have_model: Path, tmp_path: Path,
                               sample_frame: pd.DataFrame) -> None:
    feed = write(sample_frame.head(20).rename(columns=ZH_HEADERS), tmp_path / "jobs.csv",
                 "gb18030", ";")
    report = tmp_path / "report.html"
    result = run_cli(str(feed), "-o", str(tmp_path / "out.jsonl"), "-j", "1", "--report",
                     str(report))
    assert result.returncode == 0, result.stderr
    assert "Read as: encoding GB18030 (detected)" in report.read_text(encoding="utf-8")
    assert "encoding GB18030 (detected; --encoding to override)" in result.stderr
    assert "separator semicolon (';') (sniffed" in result.stderr
    assert "职位名称 → title" in result.stderr and "联系方式 → contact" in result.stderr
    assert "rows read 20  scored 20  rejected 0" in result.stderr


def test_unsure_encoding_stops_before_scoring_and_names_the_option(tmp_path: Path) -> None:
    """Three GB18030 characters could be CP949 or Big5 alike: ask, never guess."""
    feed = tmp_path / "short.csv"
    feed.write_bytes("title\n数据标注员\n".encode("gb18030"))
    out = tmp_path / "out.jsonl"
    result = run_cli(str(feed), "-o", str(out))
    assert result.returncode == 2
    assert "not UTF-8" in result.stderr and "--encoding" in result.stderr
    assert "GB18030" in result.stderr and "Nothing was scored" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.partial"))
    forced = tmp_path / "forced.jsonl"
    result = run_cli(str(feed), "-o", str(forced), "--encoding", "gbk", "-j", "1")
    assert result.returncode == 0, result.stderr
    assert "encoding GBK (--encoding)" in result.stderr
    [row] = [json.loads(line) for line in forced.read_text(encoding="utf-8").splitlines()]
    assert row["error"] is None and row["language"] == "zh"


def test_the_header_settles_a_short_chinese_file(tmp_path: Path) -> None:
    feed = tmp_path / "short.csv"
    feed.write_bytes("职位名称,薪资\n数据标注员,5000\n".encode("gb18030"))
    layout = inspect_feed(feed)
    assert layout.encoding is not None and layout.encoding.name == "GB18030"
    assert layout.columns.fields == {"title": 0, "salary": 1}


def test_a_mostly_english_gbk_file_is_found_from_its_few_chinese_rows(
        tmp_path: Path, sample_frame: pd.DataFrame) -> None:
    """The issue's case: Chinese Excel, English rows first; UTF-8 read 25 of 203 rows."""
    en = sample_frame[~sample_frame["description"].str.contains("[\u4e00-\u9fff]")]
    zh = sample_frame[sample_frame["description"].str.contains("[\u4e00-\u9fff]")]
    frame = pd.concat([en] * 20 + [zh.head(3)])
    feed = write(frame, tmp_path / "mixed.csv", "gb18030")
    layout = inspect_feed(feed)
    assert layout.encoding is not None and layout.encoding.codec == "gb18030"
    rows = [row for chunk in read_feed(feed, 500, layout=layout) for row in chunk]
    assert len(rows) == len(frame) and not any(row.error for row in rows)


@pytest.mark.parametrize(("content", "message"), [
    (b"title\n" + bytes(range(0x80, 0x100)) * 4, "cannot be told"),
    ("title,description\nCafé,Crème brûlée\n".encode("cp1252"), "not certain"),
])
def test_undecidable_files_fail_fast(tmp_path: Path, content: bytes, message: str) -> None:
    feed = tmp_path / "f.csv"
    feed.write_bytes(content)
    with pytest.raises(FeedError, match=message) as info:
        inspect_feed(feed)
    assert "--encoding" in str(info.value)


def test_invalid_bytes_in_a_gbk_feed_reject_only_their_row(
        tmp_path: Path, sample_frame: pd.DataFrame) -> None:
    zh = sample_frame[sample_frame["description"].str.contains("[\u4e00-\u9fff]")]
    head = zh.head(40)[["title", "description"]].to_csv(index=False, lineterminator="\r\n")
    tail = zh.tail(20)[["title", "description"]].to_csv(index=False, header=False,
                                                        lineterminator="\r\n")
    feed = tmp_path / "f.csv"
    feed.write_bytes(head.encode("gb18030") + b"\x81\x30broken,\xff\xfe\r\n"
                     + tail.encode("gb18030"))
    layout = inspect_feed(feed)
    assert layout.encoding is not None and layout.encoding.codec == "gb18030"
    rows = [row for chunk in read_feed(feed, 100, layout=layout) for row in chunk]
    assert len(rows) == 61 and [r.row for r in rows if r.error] == [41]
    assert "invalid GB18030 in field 'title'" in rows[40].error


def test_options_override_and_are_checked(tmp_path: Path) -> None:
    feed = tmp_path / "f.csv"
    feed.write_text("Stellenangebot\tFirma\tpay\nKoch\tHotel Adler\t3000\n", encoding="utf-8")
    layout = inspect_feed(feed, FeedOptions(delimiter="\t", columns=parse_map(
        "Stellenangebot=title, Firma=company, pay=-")))
    assert layout.delimiter == "\t" and layout.delimiter_how == "--delimiter"
    assert layout.columns.fields == {"title": 0, "company": 1}
    assert layout.columns.unused == ("pay",)
    [row] = [r for chunk in read_feed(feed, 10, layout=layout) for r in chunk]
    assert row.data == {"title": "Koch", "company": "Hotel Adler"}
    assert parse_delimiter("tab") == "\t" and parse_delimiter(";") == ";"
    with pytest.raises(ValueError, match="--delimiter must be one of"):
        parse_delimiter("x")
    with pytest.raises(ColumnMapError, match="not a posting field"):
        parse_map("a=headline")
    with pytest.raises(FeedError, match="does not have"):
        inspect_feed(feed, FeedOptions(columns={"Nope": "title"}))
    with pytest.raises(FeedError, match="unknown --encoding"):
        inspect_feed(feed, FeedOptions(encoding="klingon"))


def test_column_mapping_rules() -> None:
    mapping = map_columns(["Job Title", "title", "职位描述", "JOB-DESCRIPTION", "浏览量"])
    assert mapping.fields == {"title": 1, "description": 2}  # schema name beats an alias
    assert mapping.duplicates == (("Job Title", "title"), ("JOB-DESCRIPTION", "description"))
    assert mapping.unused == ("浏览量",)
    assert "职位描述 → description" in mapping.describe()
    assert map_columns(["pay"], {"pay": "salary"}).renamed == (("pay", "salary", "--map"),)


def test_truncated_jsonl_line_keeps_its_id(tmp_path: Path) -> None:
    feed = tmp_path / "f.jsonl"
    feed.write_text('{"id": "row004", "title": "Cook"}\n'
                    '{"id":"row005","title":"Data entry","description":"Pay a fee of\n'
                    '{"title": "x", "id": 77, "description": "cut\n'
                    '{"title": "no id, cut\n', encoding="utf-8")
    rows = [row for chunk in read_feed(feed, 10) for row in chunk]
    assert [(r.row, r.id) for r in rows[1:]] == [(2, "row005"), (3, "77"), (4, None)]
    assert all(r.error and r.error.startswith("malformed JSON") for r in rows[1:])


def test_jsonl_keys_are_mapped_too(tmp_path: Path) -> None:
    feed = tmp_path / "f.jsonl"
    feed.write_text('{"job_title": "Cook", "职位描述": "做饭"}\n{"title": "Nurse"}\n',
                    encoding="utf-8")
    rows = [row for chunk in read_feed(feed, 10) for row in chunk]
    assert [r.data for r in rows] == [{"title": "Cook", "description": "做饭"},
                                      {"title": "Nurse"}]


def test_the_docs_list_every_alias() -> None:
    """docs/scan.md's table is what the code maps."""
    text = (ROOT / "docs" / "scan.md").read_text(encoding="utf-8")
    for name, aliases in ALIASES.items():
        line = next((ln for ln in text.splitlines() if ln.startswith(f"| `{name}` |")), "")
        assert re.findall(r"`([^`]+)`", line)[1:] == list(aliases), name
