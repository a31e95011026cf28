"""What the shipped model is: per-language classifiers, their calibration and risk thresholds.

`ModelBundle.predict` is the only place a posting frame becomes a calibrated probability.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from detector.flags import detect_flags
from detector.language import detect_language
from detector.schema import BOOL_FIELDS, TEXT_FIELDS, Posting
from detector.verdict import FlagHit

#: Real-world scam prevalence the thresholds and calibration are set for (issue #2).
PREVALENCE: dict[str, float] = {"en": 0.0484, "zh": 0.06}
FRAME_COLUMNS: tuple[str, ...] = (*TEXT_FIELDS, *BOOL_FIELDS, "flags")


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


@dataclass
class PlattCalibration:
    """p = sigmoid(a * logit(raw) + b), fitted on validation weighted to real prevalence."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.a * logit(raw) + self.b)))


@dataclass
class LanguageModel:
    classifier: Any
    calibration: PlattCalibration
    high: float
    medium: float


@dataclass
class ModelBundle:
    """Everything `joblib` stores in the artifact."""

    version: str
    languages: dict[str, LanguageModel]
    meta: dict[str, Any] = field(default_factory=dict)

    def language_of(self, posting: Posting) -> str:
        lang = detect_language(posting.full_text())
        return lang if lang in self.languages else "en"

    def raw_probabilities(self, frame: pd.DataFrame, lang: str) -> np.ndarray:
        return self.languages[lang].classifier.predict_proba(frame)[:, 1]

    def calibrated(self, frame: pd.DataFrame, lang: str) -> np.ndarray:
        return self.languages[lang].calibration(self.raw_probabilities(frame, lang))


def postings_frame(postings: Sequence[Posting], flags: Sequence[Sequence[FlagHit]]) -> pd.DataFrame:
    """The model's input: schema columns plus the ids of the flags that fired."""
    rows = []
    for posting, hits in zip(postings, flags, strict=True):
        row: dict[str, Any] = dict(posting.fields)
        for name in BOOL_FIELDS:
            row[name] = getattr(posting, name)
        row["flags"] = " ".join(hit.id for hit in hits)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def flags_of(postings: Sequence[Posting]) -> list[list[FlagHit]]:
    return [detect_flags(posting) for posting in postings]
