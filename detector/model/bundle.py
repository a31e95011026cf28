"""What the shipped model is: per-language pipelines, their calibration, and how sure they are.

`LanguageModel.predict` is the only place postings become a calibrated probability.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detector.language import detect_language
from detector.model import fastpath
from detector.model.combiner import Combiner
from detector.model.explain import Explainer, Term
from detector.schema import Posting


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
    return len(text.split()) + han_characters(text) // 2


def han_characters(text: str) -> int:
    """Characters in U+3400-U+9FFF, counted in numpy (a regex `findall` built a list of
    them: ~5x slower; this runs twice per posting)."""
    if text.isascii():
        return 0
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero((codes >= 0x3400) & (codes <= 0x9FFF)))



@dataclass
class Scorer:
    """One fitted pipeline and its calibration."""

    pipeline: Any
    calibration: PlattCalibration

    def __call__(self, postings: Sequence[Posting]) -> np.ndarray:
        return self.score_rows(self.features(postings))

    def features(self, postings: Sequence[Posting]) -> Any:
        """The feature matrix the classifier reads (kept for explaining the same scores);
        `pipeline[:-1].transform`, counted in bulk (`detector.model.fastpath`)."""
        return fastpath.features(self.pipeline, list(postings))

    def score_rows(self, rows: Any) -> np.ndarray:
        """Calibrated probabilities of feature rows made by `features`."""
        return self.calibration(self.pipeline.steps[-1][1].predict_proba(rows)[:, 1])

    def terms(self, postings: Sequence[Posting], pull: Sequence[float],
              rows: Any | None = None) -> list[list[Term]]:
        """The words each posting's score rests on (see `detector.model.explain`); `pull`
        is the short-text factor applied to each posting's log-odds; `rows` their feature
        rows when scoring made them already."""
        explainer = self.__dict__.get("_explainer")
        if explainer is None:
            explainer = self.__dict__["_explainer"] = Explainer(self.pipeline)
        if rows is None:
            rows = self.features(postings)
        return [explainer.terms(p, rows[i], self.calibration.a * share)
                for i, (p, share) in enumerate(zip(postings, pull, strict=True))]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_explainer"}


@dataclass
class LanguageModel:
    """The model of one language.

    `structured` scores postings with separate fields; `pasted` (if any) scores a pasted
    text or message, which carries none of the fields a structured model reads. Texts
    shorter than `min_words` are pulled towards the base rate in proportion to how short
    they are (unless a red flag says otherwise, `detector.core`), except pasted texts when
    `short_messages_trusted`: that model learned short legit messages as well as short
    scams, so its score stands. A short text that stays low is marked low-confidence: it is
    not evidence either way.
    """

    structured: Scorer
    prevalence: float
    pasted: Scorer | None = None
    min_words: int = 0
    recipe: dict[str, str] = field(default_factory=dict)
    #: The pasted-text model learned short legit messages as well as short scams, so its
    #: scores of short texts stand (`detector.model.train.learned_short_legit`).
    short_messages_trusted: bool = False

    def _route(self, posting: Posting) -> Scorer:
        """The pasted-text model for a pasted text (when there is one), else the other."""
        if self.pasted is not None and not posting.is_structured:
            return self.pasted
        return self.structured

    def short(self, postings: Sequence[Posting]) -> np.ndarray:
        """Texts with fewer than `min_words` words: too little to judge with confidence."""
        if not self.min_words:
            return np.zeros(len(postings), dtype=bool)
        return np.array([evidence_words(p) < self.min_words for p in postings], dtype=bool)

    def shares(self, postings: Sequence[Posting]) -> np.ndarray:
        """Per posting, the share of its log-odds a short text keeps: 1 from `min_words`
        words on, and for a pasted text when `short_messages_trusted`; less otherwise."""
        if not self.min_words:
            return np.ones(len(postings))
        words = np.array([evidence_words(p) for p in postings], dtype=float)
        share = np.clip(words / self.min_words, 0.0, 1.0)
        if not (self.pasted is not None and self.short_messages_trusted):
            return share
        messages = np.array([self._route(p) is self.pasted for p in postings], dtype=bool)
        return np.where(messages, 1.0, share)

    def pull(self, probs: np.ndarray, shares: np.ndarray) -> np.ndarray:
        """Probabilities pulled towards the base rate by each text's share (see class)."""
        prior = math.log(self.prevalence / (1 - self.prevalence))
        return sigmoid(prior + np.asarray(shares) * (logit(probs) - prior))

    def raw_predict(self, postings: Sequence[Posting], rows: list[Any] | None = None
                    ) -> np.ndarray:
        """Calibrated probabilities before any short-text pull. With `rows` (a list as long
        as `postings`), each posting's feature row is kept there for `terms`."""
        probs = np.zeros(len(postings))
        scorers = [self._route(p) for p in postings]
        for scorer in {id(s): s for s in scorers}.values():
            idx = [i for i, s in enumerate(scorers) if s is scorer]
            features = scorer.features([postings[i] for i in idx])
            probs[idx] = scorer.score_rows(features)
            if rows is not None:
                for j, i in enumerate(idx):
                    rows[i] = (features, j)
        return probs

    def predict(self, postings: Sequence[Posting]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probabilities (short structured postings pulled) and the short-text
        mask."""
        return self.pull(self.raw_predict(postings), self.shares(postings)), self.short(postings)

    def terms(self, postings: Sequence[Posting], pull: Sequence[float] | None = None,
              rows: Sequence[Any] | None = None) -> list[list[Term]]:
        """For each posting, the words its model score rests on, largest shares first;
        `pull`: the share of log-odds each kept (default: the short-text shares); `rows`:
        the feature rows `raw_predict` kept, if any."""
        out: list[list[Term]] = [[] for _ in postings]
        pull = self.shares(postings) if pull is None else pull
        scorers = [self._route(p) for p in postings]
        for scorer in {id(s): s for s in scorers}.values():
            idx = [i for i, s in enumerate(scorers) if s is scorer]
            kept = None
            if rows is not None and all(rows[i] is not None for i in idx):
                kept = [rows[i][0][rows[i][1]] for i in idx]
            found = scorer.terms([postings[i] for i in idx], [float(pull[i]) for i in idx],
                                 kept)
            for i, terms in zip(idx, found, strict=True):
                out[i] = terms
        return out


@dataclass
class ModelBundle:
    """Everything the artifact stores (`detector.model.artifact`)."""

    version: str
    languages: dict[str, LanguageModel]
    meta: dict[str, Any] = field(default_factory=dict)
    #: How the model's odds and the red flags make one estimate (None: severity floors only,
    #: as in bundles made before the combiner).
    combiner: Combiner | None = None

    def language_of(self, posting: Posting) -> str:
        lang = detect_language(posting.full_text())
        return lang if lang in self.languages else "en"
