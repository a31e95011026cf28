"""`detector rules report` on the real corpus (the rule QA runs in CI), and without shared data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from detector.cli.rules import DEFAULT_SHARED_DATA
from detector.flags import FLAG_IDS


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "detector", "rules", *args],
        capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})},
    )


def test_rule_report_covers_every_flag_in_both_languages(tmp_path: Path) -> None:
    csv, page = tmp_path / "rules.csv", tmp_path / "rules.md"
    result = _run("report", "--csv", str(csv), "--markdown", str(page))
    assert result.returncode == 0, result.stderr
    report = pd.read_csv(csv)
    assert set(report["flag"]) == set(FLAG_IDS)
    assert set(report["language"]) == {"en", "zh"}
    # The catalogue's high-severity flags must stay (almost) silent on real legit postings.
    high = report[report["severity"] == "high"]
    assert (high["legit_hit_rate"] <= 0.002).all(), high
    text = page.read_text(encoding="utf-8")
    assert "upfront_fee" in text
    assert "caught by a medium/high flag" in text
    assert "What the columns mean" in text and "combiner weight" in text
    assert "issue 13" not in text  # no project history in a user-facing table
    assert "False alarms on real legit postings, per site" in text
    if (DEFAULT_SHARED_DATA / "en_extra" / "sms_job_scams_en.csv.gz").exists():
        assert {"recall_sms_en", "recall_news_job_zh", "recall_chat_zh"} <= set(report.columns)
        en = report[report["language"] == "en"]
        assert en["recall_sms_en"].notna().all()
        assert report[report["language"] == "zh"]["recall_sms_en"].isna().all()


def test_rule_report_without_shared_data_says_what_it_skipped(tmp_path: Path) -> None:
    posts = tmp_path / "labeled_posts"
    posts.mkdir()
    pd.DataFrame([
        {"id": "1", "source": "s", "language": "zh", "label": 1, "text": "招聘刷单员，一单一结"},
        {"id": "2", "source": "s", "language": "zh", "label": 0, "text": "仓库管理员，负责收发货"},
        {"id": "3", "source": "t", "language": "en", "label": 0, "text": "Staff nurse, band 5"},
    ]).to_csv(posts / "posts.csv.gz", index=False, compression="gzip")
    csv = tmp_path / "rules.csv"
    result = _run("report", "--csv", str(csv), "--shared-data", str(tmp_path / "absent"),
                  env={"DETECTOR_DATA_DIR": str(posts)})
    assert result.returncode == 0, result.stderr
    assert "not run (needs en_extra/sms_job_scams_en.csv.gz)" in result.stdout
    assert "not run (needs zh/sms_scam_zh.csv.gz)" in result.stdout
    assert "shared real-data folder" in result.stdout and "--shared-data" in result.stdout
    assert "not found" not in result.stdout and "skipped" not in result.stdout
    report = pd.read_csv(csv)
    assert not [c for c in report.columns if c.startswith("recall_")]
    assert "| posts_s | zh |" in result.stdout


def test_combiner_weights_come_from_the_shipped_card() -> None:
    """Issue 27: the "combiner weight" column showed – for every flag: one flag without a
    weight (null in the card) made the card read as per-language and be dropped."""
    import json

    from detector.cli.rules import combiner_weights, weight_cell
    from detector.settings import DEFAULT_MODEL_DIR

    card = json.loads((DEFAULT_MODEL_DIR / "model_card.json").read_text(encoding="utf-8"))
    weights = combiner_weights(DEFAULT_MODEL_DIR)
    assert set(weights) == {"en", "zh"}
    for lang in ("en", "zh"):
        for flag, weight in card["flag_weights"].items():
            assert weights[lang][flag] == weight
            shown = weight_cell(weights[lang], flag)
            assert shown == ("floor only" if weight is None else f"{weight:.2f}")
    assert any(v is None for v in card["flag_weights"].values())  # the case that broke it
    assert weight_cell({}, "upfront_fee") == "–"
