"""Recall QA on real scam texts, exercised on a hand-made stand-in for `../shared/data/`.

The rows below are hand-written (rule tests, not data): the real shared files are read only by
`detector rules report`, and their texts must never be copied into the project.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from detector.flags import robustness
from detector.flags.halves import DEVELOP, HELD_OUT
from detector.flags.recall import (
    recall_columns,
    robustness_summary,
    scan_labelled_scams,
    scan_real_scams,
    source_summary,
)


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(path, index=False, compression="gzip")


@pytest.fixture()
def shared(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    _write(root / "zh/fraud_news_reports_zh.csv.gz", [
        {"id": 1, "text": "警方提醒：骗子以兼职刷单为名，要求受害人先垫付。",
         "label": "fraud_report", "is_job_related_category": 1},
        {"id": 2, "text": "某地发生一起冒充熟人借钱的案件。", "label": "fraud_report",
         "is_job_related_category": 0},
    ])
    _write(root / "zh/sms_scam_zh.csv.gz", [
        {"id": "s1", "text": "兼职刷单，一单一结，加QQ", "label": "scam_job",
         "notes": "job_related=1; confidence=high"},
        {"id": "s2", "text": "在家做手工，工资日结", "label": "scam_job",
         "notes": "job_related=1; confidence=medium"},
        {"id": "s3", "text": "本店招聘服务员，包吃住", "label": "spam_ad",
         "notes": "job_related=1"},
    ])
    _write(root / "zh/chat_fraud_ocr_zh.csv.gz", [
        {"id": 1, "text": "入职需交押金300元", "label": "fraud"},
        {"id": 2, "text": "今天吃什么", "label": "normal"},
    ])
    _write(root / "en_extra/sms_job_scams_en.csv.gz", [
        {"id": 1, "text": "Send $75 for your training materials to start.", "label": "scam"},
        {"id": 2, "text": "Hi, are you free for a chat?", "label": "scam"},
        {"id": 3, "text": "Hiring now", "label": "job_spam_unverified"},
    ])
    return root


def by_name(scanned):
    return {s.name: s for s in scanned}


def test_scans_only_the_scam_rows_of_each_source(shared: Path) -> None:
    scanned = by_name(scan_real_scams(shared))
    assert scanned["news_job_zh"].n == 1
    assert scanned["news_all_zh"].n == 2
    assert scanned["chat_zh"].n == 1
    assert scanned["sms_en"].n == 2
    assert scanned["chat_zh"].flag_hits("upfront_fee") == 1
    assert scanned["sms_en"].caught() == 1
    assert [text for text, _ in scanned["sms_en"].uncaught()] == ["Hi, are you free for a chat?"]


def test_recall_columns_are_per_language(shared: Path) -> None:
    recall = recall_columns(scan_real_scams(shared))
    fee = recall[recall.flag == "upfront_fee"].set_index("language")
    assert fee.loc["en", "recall_sms_en"] == 0.5
    assert math.isnan(fee.loc["zh", "recall_sms_en"])
    assert fee.loc["zh", "recall_chat_zh"] == 1.0
    assert math.isnan(fee.loc["en", "recall_chat_zh"])


def test_graded_source_is_broken_out_by_grade(shared: Path) -> None:
    summary = source_summary(scan_real_scams(shared)).set_index("source")
    assert summary.loc["sms_job_zh", "n"] == 2
    assert summary.loc["sms_job_zh (high confidence)", "n"] == 1
    assert summary.loc["sms_job_zh (high confidence)", "caught_medium_high"] == 1.0
    assert summary.loc["sms_job_zh (medium confidence)", "n"] == 1


def test_every_text_is_in_one_half(shared: Path) -> None:
    for source in scan_real_scams(shared):
        assert len(source.halves) == source.n
        assert set(source.halves) <= {DEVELOP, HELD_OUT}
        assert source.count(DEVELOP) + source.count(HELD_OUT) == source.n
        assert len(source.uncaught(DEVELOP)) + len(source.uncaught(HELD_OUT)) == len(
            source.uncaught())


def test_missing_shared_data_says_what_it_needs(tmp_path: Path) -> None:
    scanned = scan_real_scams(tmp_path / "absent")
    assert scanned and all(s.skipped and s.skipped.startswith("needs ") for s in scanned)
    assert "needs zh/sms_scam_zh.csv.gz" in [s.skipped for s in scanned]
    assert list(recall_columns(scanned).columns) == ["flag", "language"]
    summary = source_summary(scanned)
    assert summary["note"].str.startswith("needs ").all()


def test_copies_are_scanned_beside_the_originals(shared: Path, monkeypatch) -> None:
    # A stand-in for the held-out half of the lookalike table (the real one lives in
    # detector.textnorm): 刷 written as a lookalike the rules do not know.
    monkeypatch.setattr(robustness, "lookalike_table", lambda: {"刷": ["唰"]})
    scanned = scan_real_scams(shared, copies=True)
    variants = {(s.name, s.variant) for s in scanned}
    for name in ("sms_job_zh", "chat_zh", "news_job_zh", "news_all_zh"):
        for variant in ("original", "s2tw", "s2hk", "s2twp", "lookalikes"):
            assert (name, variant) in variants
    assert ("sms_en", "s2tw") not in variants
    copy = next(s for s in scanned if s.name == "sms_job_zh" and s.variant == "lookalikes")
    assert "唰单" in copy.texts[0]
    table = robustness_summary(scanned).set_index("source")
    assert table.loc["sms_job_zh", "original"] >= table.loc["sms_job_zh", "lookalikes"]
    # The copies never change the per-flag recall, which is on the originals only.
    recall = recall_columns(scanned)
    assert recall.columns.tolist().count("recall_sms_job_zh") == 1


def test_copies_without_a_lookalike_table_say_why(shared: Path, monkeypatch) -> None:
    monkeypatch.setattr(robustness, "lookalike_table", lambda: "needs the held-out table")
    scanned = scan_real_scams(shared, copies=True)
    copy = next(s for s in scanned if s.name == "chat_zh" and s.variant == "lookalikes")
    assert copy.skipped == "needs the held-out table"
    assert robustness_summary(scanned).attrs["notes"] == {"lookalikes": "needs the held-out table"}


def test_labelled_scams_are_summarised_per_source() -> None:
    frame = pd.DataFrame([
        {"id": "a", "text": "招聘刷单员，一单一结", "label": 1, "language": "zh", "source": "s1"},
        {"id": "b", "text": "仓库管理员", "label": 1, "language": "zh", "source": "s1"},
        {"id": "c", "text": "Nurse", "label": 0, "language": "en", "source": "s2"},
    ])
    summary = source_summary(scan_labelled_scams(frame)).set_index("source")
    assert list(summary.index) == ["posts_s1"]
    assert summary.loc["posts_s1", "n"] == 2
    assert summary.loc["posts_s1", "caught_medium_high"] == 0.5
    assert summary.loc["posts_s1", "uncaught_medium_high"] == 1
