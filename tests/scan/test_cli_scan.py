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
        (["feed.csv", "-o", "out.xlsx"], "cannot tell the output format"),
        (["feed.txt", "-o", "out.jsonl"], "cannot tell the format"),
        (["fake.parquet", "-o", "out.jsonl"], "not a Parquet file"),
        (["empty.jsonl", "-o", "out.jsonl"], "empty"),
        (["feed.csv", "-o", "out.jsonl", "--scheduler", "tcp://x:1"], "--engine dask"),
    ],
)
def test_user_mistakes_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "feed.csv").write_text("title\nhello\n")
    (tmp_path / "feed.txt").write_text("x")
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
    assert "<table id=\"flagged\">" in (tmp_path / "r.html").read_text()
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
