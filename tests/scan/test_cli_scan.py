"""`detector scan` as a user runs it: exit codes, messages, summary, kill and --resume."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.scan.conftest import ROOT, model_dir, run_cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "-o", "out.jsonl"], "input file not found"),
        (["feed.csv", "-o", "out.xls"], "cannot tell the output format"),
        (["feed.xlsx", "-o", "out.jsonl"], "is not an .xlsx workbook"),  # issue 27: read
        (["feed.xls", "-o", "out.jsonl"], "save it as Excel Workbook (.xlsx), or as CSV"),
        (["fake.parquet", "-o", "out.jsonl"], "not a Parquet file"),
        (["empty.jsonl", "-o", "out.jsonl"], "empty"),
        (["feed.csv", "-o", "out.jsonl", "--scheduler", "tcp://x:1"], "--engine dask"),
    ],
)
def test_user_mistakes_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "feed.csv").write_text("title\nhello\n")
    (tmp_path / "feed.xlsx").write_text("x")
    (tmp_path / "feed.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "fake.parquet").write_text("not parquet, honest")
    (tmp_path / "empty.jsonl").write_text("")
    result = run_cli(*[str(tmp_path / a) if i in (0, 2) else a for i, a in enumerate(args)])
    assert result.returncode == 2
    assert result.stderr.startswith("detector scan: error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_scan_prints_summary(have_model: Path, tmp_path: Path, feed_csv: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_cli(str(feed_csv), "-o", str(out), "--jobs", "1", "--chunk-size", "100",
                     "--summary-json", str(tmp_path / "s.json"), "--report",
                     str(tmp_path / "r.html"))
    assert result.returncode == 0, result.stderr
    assert "rows read 240" in result.stderr and "rows/s" in result.stderr
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["rows_read"] == 240
    assert "<table id=\"flagged\"" in (tmp_path / "r.html").read_text()
    quiet = run_cli(str(feed_csv), "-o", str(out), "--jobs", "1", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_kill_then_resume(have_model: Path, tmp_path: Path, feed_csv: Path) -> None:
    """SIGKILL mid-scan (no cleanup at all), then --resume: same rows as a clean run."""
    clean, out = tmp_path / "clean.jsonl", tmp_path / "out.jsonl"
    assert run_cli(str(feed_csv), "-o", str(clean), "--chunk-size", "20", "-j", "1",
                   "-q").returncode == 0
    env = {"DETECTOR_MODEL_DIR": str(model_dir())}
    proc = subprocess.Popen([sys.executable, "-m", "detector.scan", str(feed_csv), "-o",
                             str(out), "--chunk-size", "20", "-j", "1", "-q"], cwd=ROOT,
                            env={**__import__("os").environ, **env})
    work = out.with_name(out.name + ".partial")
    deadline = time.time() + 120
    while time.time() < deadline and len(list(work.glob("part-*.jsonl"))) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(work.glob("part-*.jsonl")))
    assert 3 <= done < 12 and not out.exists()
    result = run_cli(str(feed_csv), "-o", str(out), "--chunk-size", "20", "-j", "2",
                     "--resume", "--summary-json", str(tmp_path / "s.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "s.json").read_text())["resumed_chunks"] == done
    assert out.read_bytes() == clean.read_bytes()


def test_detector_cli_registers_scan() -> None:
    try:
        from detector.cli import build_parser
    except ImportError as exc:  # the other commands may not have landed yet
        pytest.skip(f"detector.cli not importable yet: {exc}")
    args = build_parser().parse_args(["scan", "in.csv", "-o", "out.jsonl", "--sort", "risk"])
    assert args.sort == "risk" and args.chunk_size == 2000 and callable(args.func)


def test_malformed_csv_record_loses_no_posting(have_model: Path, tmp_path: Path,
                                               real_postings) -> None:
    """Issue 10.1-10.3: 2,001 real postings, one unclosed quote in record 1001."""
    from tests.scan.conftest import write_broken_feed

    feed, broken_id, at = write_broken_feed(tmp_path, real_postings)
    out, summary_path = tmp_path / "out.jsonl", tmp_path / "s.json"
    result = run_cli(str(feed), "-o", str(out), "-j", "1", "--chunk-size", "500",
                     "--summary-json", str(summary_path))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in rows] == list(range(1, 2002))
    scored = {r["id"]: r["row"] for r in rows if not r["error"]}
    expected = {pid: i + 1 for i, pid in enumerate(real_postings["id"]) if pid != broken_id}
    assert scored == expected  # every good posting (orfd58_00484 among them) is scored
    [bad] = [r for r in rows if r["error"]]
    assert (bad["row"], bad["id"]) == (1001, broken_id)
    assert bad["error"].startswith(f"malformed CSV record at line {at + 1}")
    summary = json.loads(summary_path.read_text())
    assert summary["rows_read"] == 2001 == summary["scored"] + summary["rejected"]
    assert summary["rejected"] == 1
    assert summary["rejections"]["malformed CSV record"]["first_rows"] == [1001]
    assert "rejected 1 x malformed CSV record (e.g. 'malformed CSV record at line" in \
        result.stderr and "; rows 1001)" in result.stderr  # row numbers, not the message
    assert not out.with_name(out.name + ".partial").exists()


def test_quote_open_to_end_of_file_still_scans(have_model: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text('id,title,description\n1,Cook,Kitchen work\n2,"Nurse,Ward shifts\n'
                    "3,Driver,Van deliveries\n4,Clerk,Filing\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run_cli(str(feed), "-o", str(out), "-j", "1")
    assert result.returncode == 0, result.stderr
    import pandas as pd

    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame["row"].tolist() == ["1", "2", "3", "4"]
    assert frame["id"].tolist() == ["1", "2", "3", "4"]
    assert "never closed (it ran to the end of the file, line 5)" in frame["error"][1]
    assert (frame["error"] == "").tolist() == [True, False, True, True]
    assert "rows read 4  scored 3  rejected 1" in result.stderr
    assert not list(tmp_path.glob("*.partial"))


def test_summary_names_utf8_and_row_numbers(have_model: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_bytes(b"title,description\nCook,caf\xc3\xa9 fine\nBad,caf\xe9\nx,y,z\nNurse,ok\n")
    result = run_cli(str(feed), "-o", str(tmp_path / "out.jsonl"), "-j", "1")
    assert result.returncode == 0, result.stderr
    assert "x invalid UTF-8 in field 'description' (e.g." in result.stderr
    assert "UTF-N" not in result.stderr
    assert "rows 2)" in result.stderr and "rows 3)" in result.stderr


def test_feed_without_posting_columns_fails_fast(tmp_path: Path) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text("foo,bar\n1,2\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli(str(feed), "-o", str(out))
    assert result.returncode == 2
    assert "none of the posting columns: expected some of id, title" in result.stderr
    assert "found 'foo', 'bar'" in result.stderr
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_ctrl_c_stops_the_pool_and_names_what_was_kept(have_model: Path, tmp_path: Path,
                                                       feed_csv: Path) -> None:
    """Issue 19: Ctrl-C took ~26 s (the pool finished its chunks first) and said "()".
    SIGINT goes to the whole process group, as a terminal sends it; the exit time is
    measured in benchmarks/bench_startup.py, not asserted here."""
    import os

    import psutil

    out = tmp_path / "out.jsonl"
    env = {**os.environ, "DETECTOR_MODEL_DIR": str(model_dir())}
    proc = subprocess.Popen([sys.executable, "-m", "detector.scan", str(feed_csv), "-o",
                             str(out), "--chunk-size", "10", "-j", "2", "-q"], cwd=ROOT,
                            env=env, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    work = out.with_name(out.name + ".partial")
    deadline = time.time() + 120
    while time.time() < deadline and len(list(work.glob("part-*.jsonl"))) < 2:
        time.sleep(0.05)
    workers = psutil.Process(proc.pid).children(recursive=True)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "()" not in err
    kept = len(list(work.glob("part-*.jsonl")))
    assert f"kept {kept} finished chunks" in err and "--resume" in err and str(work) in err
    rows = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in work.glob("part-*"))
    assert f"{rows:,} rows scored" in err
    # The workers (and multiprocessing's resource tracker) are gone, not left running.
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert workers and not alive
