"""`detector score` run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.test_core import FEE_SCAM_ZH


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "detector", *args], input=stdin, capture_output=True, timeout=120
    )


def test_pasted_text_on_stdin() -> None:
    result = run("score", "--format", "json", stdin=FEE_SCAM_ZH.encode())
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["risk"] == "high"
    assert "upfront_fee" in [flag["id"] for flag in verdict["flags"]]


def test_json_file_and_human_output(tmp_path: Path) -> None:
    path = tmp_path / "posting.json"
    path.write_text(json.dumps({"id": "p1", "title": "Nurse", "description": "Ward nurse, NHS."}))
    result = run("score", str(path), "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert b"RISK" in result.stdout


def test_bad_input_gives_clear_errors(tmp_path: Path) -> None:
    missing = run("score", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and b"file not found" in missing.stderr
    empty = run("score", stdin=b"   ")
    assert empty.returncode == 2 and b"empty posting" in empty.stderr
    invalid = run("score", stdin=b"\xff\xfe\x00bad")
    assert invalid.returncode == 2 and b"not valid UTF-8" in invalid.stderr
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    broken = run("score", str(bad_json))
    assert broken.returncode == 2 and b"invalid JSON" in broken.stderr
    wrong_type = tmp_path / "list.json"
    wrong_type.write_text('{"text": ["a"]}')
    typed = run("score", str(wrong_type))
    assert typed.returncode == 2 and b"must be a string" in typed.stderr


ROOT = Path(__file__).resolve().parents[2]


def test_a_feed_file_is_pointed_to_scan(tmp_path: Path) -> None:
    """Issue 10.4: the multi-line demo feed is not scored as one posting."""
    demo = ROOT / "examples" / "demo_feed.jsonl"
    result = run("score", str(demo))
    assert result.returncode == 2, result.stdout
    assert b"is a feed file (.jsonl)" in result.stderr
    assert f"detector scan {demo} -o out.jsonl".encode() in result.stderr
    assert result.stdout == b""
    csv_feed = tmp_path / "feed.csv"
    csv_feed.write_text("title\nCook\n")
    assert b"detector scan" in run("score", str(csv_feed)).stderr


def test_jsonl_lines_on_stdin_or_in_a_txt_file_are_pointed_to_scan(tmp_path: Path) -> None:
    feed = (ROOT / "examples" / "demo_feed.jsonl").read_bytes()
    piped = run("score", stdin=feed)
    assert piped.returncode == 2
    lines = sum(1 for line in feed.splitlines() if line.strip())
    assert f"holds {lines} JSON postings, one per line".encode() in piped.stderr
    assert b"detector scan" in piped.stderr
    renamed = tmp_path / "feed.txt"
    renamed.write_bytes(feed)
    assert b"one per line (a JSONL feed)" in run("score", str(renamed)).stderr
    as_list = tmp_path / "many.json"
    as_list.write_text(json.dumps([{"text": "a"}, {"text": "b"}]))
    listed = run("score", str(as_list))
    assert listed.returncode == 2 and b"JSON list of 2 items" in listed.stderr


def test_json_posting_follows_the_api_type_rules(tmp_path: Path) -> None:
    """Issue 10.5: a number where text belongs is rejected, as the API and scan do."""
    path = tmp_path / "posting.json"
    path.write_text(json.dumps({"text": 123}))
    result = run("score", str(path))
    assert result.returncode == 2
    assert b"field 'text' must be a string, got int" in result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """Issue 19: `detector score --format json | head -c 700` ended with a BrokenPipeError
    traceback. Here the reader is gone before the verdict is written."""
    path = tmp_path / "posting.txt"
    path.write_text(FEE_SCAM_ZH, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "detector", "score", "--format", "json",
                             str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert proc.returncode == 141  # the shell's status for SIGPIPE, as `yes | head` gives


def test_text_output_says_what_the_number_means_and_how_sure_it_is() -> None:
    """Issue 19: "fraud probability: 50.0%" with neither its meaning nor the confidence."""
    flagged = run("score", stdin=FEE_SCAM_ZH.encode()).stdout.decode()
    assert "the estimated chance that this is a scam, for a platform where about 5 in 100" \
        in flagged
    assert "the red flags below set it" in flagged and "the text model alone said" in flagged
    assert "confidence: normal" in flagged
    short = run("score", stdin=b"Senior nurse").stdout.decode()
    assert "LOW RISK" in short and "confidence: low" in short
    assert "nothing was found, not that it was checked" in short
