"""`detector scan ... --review N`: a real scan (a small model from the real training code,
tests/labels/trained.py), then the queue: N entries, the disagreements first, each with the
posting's fields from the feed, and the queue first in the HTML report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detector.cli import main
from detector.scan.review import teaching_value
from tests.labels.trained import baseline_model


def test_scan_writes_a_review_queue(tmp_path: Path, feed_csv: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETECTOR_MODEL_DIR", str(baseline_model()))
    out, report = tmp_path / "verdicts.jsonl", tmp_path / "report.html"
    assert main(["scan", str(feed_csv), "-o", str(out), "--report", str(report),
                 "--review", "15", "--jobs", "1", "--quiet"]) == 0
    queue = [json.loads(line) for line in (tmp_path / "verdicts.review.jsonl").open()]
    assert [entry["rank"] for entry in queue] == list(range(1, 16))
    verdicts = [json.loads(line) for line in out.open()]
    values = sorted((teaching_value(v)[:2] for v in verdicts if v["fraud_probability"]
                     is not None), reverse=True)
    by_row = {v["row"]: v for v in verdicts}
    assert [teaching_value(by_row[e["row"]])[:2] for e in queue] == values[:15]
    assert all(entry["posting"] and entry["reason"] for entry in queue)
    html = report.read_text(encoding="utf-8")
    assert html.index('id="review-queue"') < html.index('id="flagged"')


def test_disagreement_outranks_closeness() -> None:
    """Hand-written verdict records (rule test, not data)."""
    flagged_low = {"fraud_probability": 0.5, "model_probability": 0.05,
                   "flags": [{"id": "upfront_fee", "severity": "high"}]}
    near = {"fraud_probability": 0.49, "model_probability": 0.49, "flags": []}
    far = {"fraud_probability": 0.01, "model_probability": 0.01, "flags": []}
    assert teaching_value(flagged_low) > teaching_value(near) > teaching_value(far)
    assert "red flags (upfront_fee)" in teaching_value(flagged_low)[2]


def test_review_queue_name_agrees_in_help_docs_and_code() -> None:
    """Issue 19: `--help` and docs/feedback.md named the file differently."""
    import argparse

    from detector.scan.cli import add_arguments
    from detector.scan.review import queue_path
    from tests.scan.conftest import ROOT

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    helps = " ".join(" ".join((a.help or "").split()) for a in parser._actions)
    docs = " ".join((ROOT / "docs" / "feedback.md").read_text(encoding="utf-8").split())
    assert queue_path(Path("out.jsonl")).name == "out.review.jsonl"
    assert queue_path(Path("out.csv")).name == "out.review.jsonl"
    assert "-o out.jsonl: out.review.jsonl" in helps
    assert "`-o out.jsonl` gives `out.review.jsonl`" in docs
