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
