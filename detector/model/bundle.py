"""What the shipped model is: per-language pipelines, their calibration, and how sure they are.

`LanguageModel.predict` is the only place postings become a calibrated probability.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detector.flags import detect_flags
from detector.language import detect_language
from detector.schema import Posting
from detector.verdict import FlagHit

_HAN = re.compile("[\u3400-\u9fff]")
#: Real-world scam prevalence the calibration is set for (issue #2).
PREVALENCE: dict[str, float] = {"en": 0.0484, "zh": 0.06}


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


@dataclass
class PlattCalibration:
    """p = sigmoid(a * logit(raw) + b), fitted on out-of-fold scores weighted to prevalence."""

    a: float = 1.0
    b: float = 0.0

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return sigmoid(self.a * logit(raw) + self.b)


def evidence_words(posting: Posting) -> int:
    """How much text there is to judge: Latin words plus Han characters / 2."""
    text = posting.full_text()[:20_000]
    # One compiled scan, not a Python loop over every character (this runs per posting).
    han = len(_HAN.findall(text))
    return len(text.split()) + han // 2


@dataclass
class Scorer:
    """One fitted pipeline and its calibration."""

    pipeline: Any
    calibration: PlattCalibration

    def __call__(self, postings: Sequence[Posting]) -> np.ndarray:
        return self.calibration(self.pipeline.predict_proba(list(postings))[:, 1])


@dataclass
class LanguageModel:
    """The model of one language.

    `structured` scores postings with separate fields; `pasted` (if any) scores a pasted
    text, which carries none of the fields a structured model reads. Texts shorter than
    `min_words` are pulled towards the base rate in proportion to how short they are, and
    marked low-confidence: a short text with no red flag is not evidence of a scam.
    """

    structured: Scorer
    prevalence: float
    pasted: Scorer | None = None
    min_words: int = 0
    recipe: dict[str, str] = field(default_factory=dict)

    def predict(self, postings: Sequence[Posting]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities and a low-confidence mask."""
        probs = np.zeros(len(postings))
        routes = [self.pasted is not None and not p.is_structured for p in postings]
        for use_pasted in (False, True):
            idx = [i for i, r in enumerate(routes) if r == use_pasted]
            if idx:
                scorer = self.pasted if use_pasted and self.pasted else self.structured
                probs[idx] = scorer([postings[i] for i in idx])
        low = np.zeros(len(postings), dtype=bool)
        if self.min_words:
            words = np.array([evidence_words(p) for p in postings], dtype=float)
            share = np.clip(words / self.min_words, 0.0, 1.0)
            prior = math.log(self.prevalence / (1 - self.prevalence))
            probs = sigmoid(prior + share * (logit(probs) - prior))
            low = share < 1.0
        return probs, low


@dataclass
class ModelBundle:
    """Everything the artifact stores (`detector.model.artifact`)."""

    version: str
    languages: dict[str, LanguageModel]
    meta: dict[str, Any] = field(default_factory=dict)

    def language_of(self, posting: Posting) -> str:
        lang = detect_language(posting.full_text())
        return lang if lang in self.languages else "en"


def flags_of(postings: Sequence[Posting]) -> list[list[FlagHit]]:
    return [detect_flags(posting) for posting in postings]
