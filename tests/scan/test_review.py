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
    monkeypatch.setenv("DETECTOR_LABEL_DB", str(tmp_path / "labels.sqlite"))  # no decisions
    out, report = tmp_path / "verdicts.jsonl", tmp_path / "report.html"
    assert main(["scan", str(feed_csv), "-o", str(out), "--report", str(report),
                 "--review", "15", "--jobs", "1", "--quiet"]) == 0
    queue = [json.loads(line) for line in (tmp_path / "verdicts.review.jsonl").open()]
    assert [entry["rank"] for entry in queue] == list(range(1, 16))
    verdicts = [json.loads(line) for line in out.open()]
    # Reposts of known scams (campaign memory's corpus seeds: the verdict carries the flag)
    # are already known: the queue leaves them out (issue 27 item 4).
    values = sorted((teaching_value(v)[:2] for v in verdicts if v["fraud_probability"]
                     is not None and "known_scam_campaign" not in v["flag_ids"]),
                    reverse=True)
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


def _decide(location: Path, decisions: list[tuple[dict, str]]) -> None:
    from detector.labels.decisions import parse_decision
    from detector.labels.store import LabelStore

    store = LabelStore(str(location))
    try:
        store.record([parse_decision({"posting": posting, "label": label}, "moderator",
                                     strict=False) for posting, label in decisions])
    finally:
        store.close()


def _repost(posting: dict) -> dict:
    """The same posting with a few words changed at the end of its longest field (a
    repost with another contact), not the same content."""
    fields = {k: v for k, v in posting.items() if k != "id" and isinstance(v, str) and v}
    longest = max(fields, key=lambda k: len(fields[k]))
    return {**fields, longest: fields[longest][:-4] + " 0199"}


def test_queue_leaves_out_decided_postings_and_their_reposts(
        tmp_path: Path, feed_csv: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 27 item 4: ranks 1-3 and 5 of a moderator's first scan after a decision were
    postings already decided and their reposts. Decided postings (scam and legit) and
    near-duplicates of decided ones are left out, and the queue says how many."""
    monkeypatch.setenv("DETECTOR_MODEL_DIR", str(baseline_model()))
    db = tmp_path / "labels.sqlite"
    monkeypatch.setenv("DETECTOR_LABEL_DB", str(db))
    out, report = tmp_path / "verdicts.jsonl", tmp_path / "report.html"
    args = ["scan", str(feed_csv), "-o", str(out), "--report", str(report), "--review", "15",
            "--jobs", "1"]
    assert main(args) == 0
    first = [json.loads(line) for line in (tmp_path / "verdicts.review.jsonl").open()]
    # Reposts of postings long enough that changing a few characters keeps them near
    # (a 16-character SMS with 4 changed is another text).
    long = [e for e in first[2:] if sum(len(str(v)) for v in e["posting"].values()) > 150]
    picked = [first[0], first[1], long[0], long[1]]
    _decide(db, [(first[0]["posting"], "scam"), (first[1]["posting"], "legit"),
                 (_repost(long[0]["posting"]), "scam"), (_repost(long[1]["posting"]), "legit")])
    capsys.readouterr()
    assert main(args) == 0
    said = capsys.readouterr().err
    second = [json.loads(line) for line in (tmp_path / "verdicts.review.jsonl").open()]
    assert len(second) == 15
    rows = {entry["row"] for entry in second}
    assert not rows & {entry["row"] for entry in picked}, (rows, picked)
    line = next(x for x in said.splitlines() if x.startswith("review queue:"))
    assert "already decided (a trusted decision on the same posting): 2" in line, line
    assert "near-duplicate of a decided scam: " in line
    assert "near-duplicate of a posting decided legit: 1" in line
    html = report.read_text(encoding="utf-8")
    note = html[html.index('id="left-out"'):][:600]
    assert "already known" in note and "on the same posting): 2" in note
