"""The real scam sources the rule QA reads from the shared data folder (see `recall.py`).

Kept apart from `recall.py` so that `detector rules --help` can list them without importing
pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def _confidence(frame: pd.DataFrame) -> pd.Series:
    return frame["notes"].astype(str).str.extract(r"confidence=(\w+)")[0].fillna("")


@dataclass(frozen=True)
class ScamSource:
    """One file of real scam texts under the shared data folder, and which rows are scams.

    `grade`: an optional per-row grade (the labeller's confidence) the summary breaks out;
    `campaign`: a column of the source's own near-duplicate groups, merged with ours.
    """

    name: str
    relative: str
    language: str
    description: str
    rows: Callable[[pd.DataFrame], pd.Series]
    grade: Callable[[pd.DataFrame], pd.Series] | None = None
    campaign: str | None = None


REAL_SCAM_SOURCES: tuple[ScamSource, ...] = (
    ScamSource("sms_job_zh", "zh/sms_scam_zh.csv.gz", "zh",
               "hand-labelled Chinese job-scam SMS and web posts (2015)",
               lambda df: df["label"].astype(str) == "scam_job", grade=_confidence),
    ScamSource("chat_zh", "zh/chat_fraud_ocr_zh.csv.gz", "zh",
               "real fraud chats (OCR, mostly not job scams)",
               lambda df: df["label"].astype(str) == "fraud"),
    ScamSource("news_job_zh", "zh/fraud_news_reports_zh.csv.gz", "zh",
               "police/news reports of 兼职刷单 scams",
               lambda df: df["is_job_related_category"].astype(str) == "1"),
    ScamSource("news_all_zh", "zh/fraud_news_reports_zh.csv.gz", "zh",
               "police/news reports, all 12 scam categories",
               lambda df: df["label"].astype(str) == "fraud_report"),
    ScamSource("sms_en", "en_extra/sms_job_scams_en.csv.gz", "en", "real job-scam SMS lures",
               lambda df: df["label"].astype(str) == "scam", campaign="near_dup_group"),
)


