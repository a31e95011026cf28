"""Rule recall on real scam texts: how many real scams each flag catches, and which none does.

Precision on `labeled_posts/` (see `qa.py`) protects real jobs, but the labelled postings
barely contain fee, ID or task scams, so it cannot say what the catalogue misses. This module
runs the catalogue over real scam texts kept in `../shared/data/` (read at QA time, never
copied into the project: the news bodies belong to their publishers):

- `news_job_zh`: police/news reports filed under 兼职刷单诈骗 (`is_job_related_category`);
- `news_all_zh`: every report in that file (all twelve scam categories, most not job scams);
- `chat_zh`: OCR text of real fraud chats (`label == fraud`);
- `sms_en`: real job-scam SMS/WhatsApp lures (`label == scam`).

The report must also run without `../shared/data` (a clone on its own): then these sources
are skipped, and the report says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from detector.flags import CATALOGUE, detect_flags
from detector.schema import ALL_FIELDS, InvalidPosting, parse_posting, posting_from_text

SERIOUS = frozenset({"medium", "high"})


@dataclass(frozen=True)
class ScamSource:
    """One file of real scam texts under the shared data folder, and which rows are scams."""

    name: str
    relative: str
    language: str
    description: str
    rows: Callable[[pd.DataFrame], pd.Series]


REAL_SCAM_SOURCES: tuple[ScamSource, ...] = (
    ScamSource("news_job_zh", "zh/fraud_news_reports_zh.csv.gz", "zh",
               "police/news reports of 兼职刷单 scams",
               lambda df: df["is_job_related_category"].astype(str) == "1"),
    ScamSource("news_all_zh", "zh/fraud_news_reports_zh.csv.gz", "zh",
               "police/news reports, all 12 scam categories",
               lambda df: df["label"].astype(str) == "fraud_report"),
    ScamSource("chat_zh", "zh/chat_fraud_ocr_zh.csv.gz", "zh", "real fraud chats (OCR)",
               lambda df: df["label"].astype(str) == "fraud"),
    ScamSource("sms_en", "en_extra/sms_job_scams_en.csv.gz", "en", "real job-scam SMS lures",
               lambda df: df["label"].astype(str) == "scam"),
)


@dataclass(frozen=True)
class ScannedSource:
    """The flags fired on every scam text of one source (or why the source was skipped)."""

    name: str
    language: str
    description: str
    fired: tuple[dict[str, str], ...] = ()  # per text: flag id -> severity
    texts: tuple[str, ...] = ()  # the scanned texts, aligned with `fired` (never saved)
    skipped: str | None = None

    @property
    def n(self) -> int:
        return len(self.fired)

    def caught(self, severities: frozenset[str] = SERIOUS) -> int:
        return sum(1 for hits in self.fired if any(s in severities for s in hits.values()))

    def flag_hits(self, flag_id: str) -> int:
        return sum(1 for hits in self.fired if flag_id in hits)

    def uncaught(self) -> list[tuple[str, dict[str, str]]]:
        """(text, low flags) of every text no medium/high flag catches: what to read next."""
        return [(text, hits) for text, hits in zip(self.texts, self.fired, strict=True)
                if not any(s in SERIOUS for s in hits.values())]


def _fired(texts: Iterable[Any]) -> tuple[tuple[dict[str, str], ...], tuple[str, ...]]:
    fired, kept = [], []
    for text in texts:
        if not isinstance(text, str) or not text.strip():
            continue
        try:
            posting = posting_from_text(text)
        except InvalidPosting:
            continue
        fired.append({hit.id: hit.severity for hit in detect_flags(posting)})
        kept.append(text)
    return tuple(fired), tuple(kept)


def scan_real_scams(shared_data: Path) -> list[ScannedSource]:
    """Scan every real scam source; a missing file or column is skipped with the reason."""
    out: list[ScannedSource] = []
    frames: dict[str, pd.DataFrame] = {}
    for source in REAL_SCAM_SOURCES:
        path = shared_data / source.relative
        if not path.exists():
            out.append(ScannedSource(source.name, source.language, source.description,
                                     skipped=f"{path} not found"))
            continue
        try:
            frame = frames.get(source.relative)
            if frame is None:
                frame = frames[source.relative] = pd.read_csv(path, dtype=str)
            texts = frame.loc[source.rows(frame).to_numpy(), "text"]
        except (KeyError, ValueError, OSError) as exc:
            out.append(ScannedSource(source.name, source.language, source.description,
                                     skipped=f"{path} unreadable: {exc}"))
            continue
        fired, kept = _fired(texts)
        out.append(ScannedSource(source.name, source.language, source.description, fired, kept))
    return out


def scan_labelled_scams(frame: pd.DataFrame) -> list[ScannedSource]:
    """The scam rows of `labeled_posts/`, one pseudo-source per (source, language)."""
    out: list[ScannedSource] = []
    scams = frame[frame["label"] == 1]
    cols = [c for c in scams.columns if c in ALL_FIELDS]
    for (source, lang), group in scams.groupby(["source", "language"], sort=True):
        fired, kept = [], []
        for record in group[cols].to_dict("records"):
            clean = {k: v for k, v in record.items() if isinstance(v, str) and v.strip()}
            try:
                posting = parse_posting(clean)
            except InvalidPosting:
                continue
            fired.append({hit.id: hit.severity for hit in detect_flags(posting)})
            kept.append(posting.full_text())
        out.append(ScannedSource(f"posts_{source}", str(lang), f"labeled_posts/ scam rows "
                                 f"from {source}", tuple(fired), tuple(kept)))
    return out


def recall_columns(scanned: list[ScannedSource]) -> pd.DataFrame:
    """Per (flag, language): recall on each real source of that language (NaN otherwise)."""
    rows = []
    live = [s for s in scanned if s.skipped is None and not s.name.startswith("posts_")]
    for flag in CATALOGUE:
        for lang in ("en", "zh"):
            row: dict[str, Any] = {"flag": flag.id, "language": lang}
            for source in live:
                value = math.nan
                if source.language == lang and source.n:
                    value = source.flag_hits(flag.id) / source.n
                row[f"recall_{source.name}"] = value
            rows.append(row)
    return pd.DataFrame(rows)


def source_summary(scanned: list[ScannedSource]) -> pd.DataFrame:
    """Per source: texts, share caught by a medium/high flag, by any flag, and uncaught."""
    rows = []
    for s in scanned:
        if s.skipped is not None:
            rows.append({"source": s.name, "language": s.language, "what": s.description,
                         "n": 0, "caught_medium_high": math.nan, "caught_any": math.nan,
                         "uncaught_medium_high": 0, "note": f"skipped: {s.skipped}"})
            continue
        serious = s.caught()
        rows.append({
            "source": s.name, "language": s.language, "what": s.description, "n": s.n,
            "caught_medium_high": serious / s.n if s.n else math.nan,
            "caught_any": s.caught(frozenset({"low", "medium", "high"})) / s.n if s.n else math.nan,
            "uncaught_medium_high": s.n - serious, "note": "",
        })
    return pd.DataFrame(rows)
