"""One calibrated estimate from all the evidence: the text model's odds and the red flags.

Each red flag carries a weight: how many times more often it fires on real scam texts than
on real legit postings (a smoothed likelihood ratio, as a log). The serious flags (fees, paid
tasks) hardly ever fire in the labelled postings, so a model fitted on postings alone would
give them no weight; measured across every form of scam text we have (EMSCAD frauds, job-scam
SMS in both languages, 58.com fakes) against every legit site (EMSCAD, NHS, LinkedIn, 58.com,
BOSS直聘/猎聘, recruiting SMS ads), a flag's firing rate depends far less on genre than a text
model does. Each source counts once, whatever its size.

    logit(estimate) = slope * logit(model) + intercept + sum(weight of each flag that fired)

capped at `CAP`, and never below the severity floor of a medium or high flag that fired
(high -> `HIGH_AT`, medium -> `MEDIUM_AT`: a safety net where the data are thin). Weights
are never negative, so a flag can only raise the estimate. For the
likelihood-ratio combiner, slope = 1, intercept = 0 and each weight is `scale` x the flag's
log-ratio (`scale` < 1 when the flags and the text model partly see the same words); the
logistic alternative fits each flag's weight on out-of-fold scores instead (slope 1,
intercept 0 there too: the model's number is already calibrated). `combine_fit` chooses
between them on grouped out-of-fold scores. A flag with too few scam hits to measure
(`MIN_SCAM_HITS`), or one the combiner has never seen (a flag added after training), has no
weight: only its severity floor. `known_scam_campaign` is weighed from how campaign memory
would have fired on the training rows (`detector.campaigns.reposts`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from detector.flags import get_flag
from detector.verdict import HIGH_AT, MEDIUM_AT, RISK_ORDER, FlagHit

#: The estimate never reaches certainty: text is never proof.
CAP = 0.99
#: Scam hits a flag needs before its measured weight replaces its severity floor.
MIN_SCAM_HITS = 5
#: Shrinkage of a flag's log-ratio towards 0 by its scam hits: hits / (hits + SHRINK).
SHRINK = 3.0
#: No single flag says more than this (log-odds; e^4.6 = 100 times as likely).
MAX_WEIGHT = 4.6
_FLOORS = {"high": HIGH_AT, "medium": MEDIUM_AT}


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class FlagRate:
    """How often one flag fires on scam and on legit texts, averaged over sources."""

    scam_hits: int
    scam_rate: float
    legit_hits: int
    legit_rate: float
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"scam_hits": self.scam_hits, "scam_rate": round(self.scam_rate, 5),
                "legit_hits": self.legit_hits, "legit_rate": round(self.legit_rate, 6),
                "likelihood_ratio": round(math.exp(self.weight), 2),
                "weight": round(self.weight, 3)}


def flag_rates(hits: Sequence[Iterable[str]], labels: np.ndarray, sources: np.ndarray,
               flag_ids: Sequence[str]) -> dict[str, FlagRate]:
    """Smoothed per-flag likelihood ratios (see module docstring).

    Each source's firing rate is smoothed by half a hit (Jeffreys), rates are averaged over
    the sources of each class, and the log-ratio is shrunk by the flag's number of scam
    hits, so a flag seen twice says little however rare it is among legit texts.
    """
    labels = np.asarray(labels)
    sources = np.asarray(sources)
    fired = {fid: np.array([fid in set(h) for h in hits]) for fid in flag_ids}
    out: dict[str, FlagRate] = {}
    for fid in flag_ids:
        rates, counts = {}, {}
        for cls in (0, 1):
            per_source = []
            total = 0
            for source in np.unique(sources[labels == cls]):
                mask = (labels == cls) & (sources == source)
                k = int(fired[fid][mask].sum())
                per_source.append((k + 0.5) / (mask.sum() + 1.0))
                total += k
            rates[cls], counts[cls] = float(np.mean(per_source)), total
        raw = math.log(rates[1] / rates[0])
        weight = max(0.0, raw) * counts[1] / (counts[1] + SHRINK)
        out[fid] = FlagRate(counts[1], rates[1], counts[0], rates[0], min(weight, MAX_WEIGHT))
    return out


@dataclass
class Combiner:
    """How the model's odds and the flags make one estimate (see module docstring).

    `weights` holds the log-odds each flag adds (never negative); a flag without one keeps
    its severity floor. `slope` and `intercept` recalibrate the model's log-odds (1 and 0 for
    the likelihood-ratio combiner).
    """

    weights: dict[str, float]
    rates: dict[str, FlagRate]
    slope: float = 1.0
    intercept: float = 0.0
    cap: float = CAP
    method: str = "likelihood_ratio"
    #: Figures of the choice (grouped CV), for the model card.
    report: dict[str, Any] = field(default_factory=dict)

    def combine(self, model_prob: float, hits: Sequence[FlagHit]) -> float:
        """The estimate for one posting: model odds raised by the weighed flags; every
        medium or high flag also keeps its severity floor (a safety net)."""
        return self.finish(self.log_odds(model_prob, hits), hits)

    def log_odds(self, model_prob: float, hits: Sequence[FlagHit]) -> float:
        """The estimate's log-odds before the cap and the floors."""
        z = self.slope * _logit(model_prob) + self.intercept
        for hit in hits:
            z += self.weights.get(hit.id, 0.0)
        return z

    def finish(self, z: float, hits: Sequence[FlagHit]) -> float:
        """Log-odds `z` as an estimate: capped at `cap`, never below a flag's floor."""
        floor = max((_FLOORS.get(hit.severity, 0.0) for hit in hits), default=0.0)
        return max(min(_sigmoid(z), self.cap), floor)

    def combine_many(self, model_probs: np.ndarray, hits: Sequence[Sequence[FlagHit]]
                     ) -> np.ndarray:
        return np.array([self.combine(float(p), h)
                         for p, h in zip(model_probs, hits, strict=True)])

    def table(self) -> list[dict[str, Any]]:
        """Per-flag rows for the card and the rules report."""
        rows = []
        for fid, rate in self.rates.items():
            w = self.weights.get(fid)
            rows.append({"flag": fid, **rate.to_dict(),
                         "used_as": "severity floor" if w is None else "weight",
                         "combiner_weight": None if w is None else round(w, 3)})
        return rows


def measured(rates: Mapping[str, FlagRate]) -> dict[str, float]:
    """The flags with enough scam hits to be weighed, and their log-ratios."""
    return {fid: r.weight for fid, r in rates.items() if r.scam_hits >= MIN_SCAM_HITS}


#: A flag on the wording at least this many times as common in real scam texts as in legit
#: postings (its measured likelihood ratio) says a short text looks like a scam message,
#: whatever its severity.
SIGNAL_RATIO = 2.0


def has_signal(hits: Sequence[FlagHit], combiner: Combiner | None = None) -> bool:
    """A red flag that says the text looks like a scam message, however short: a medium or
    high one, or one on the wording (not on something missing, such as a company name)
    whose measured likelihood ratio is at least `SIGNAL_RATIO`."""
    for hit in hits:
        if hit.severity != "low":
            return True
        rate = combiner.rates.get(hit.id) if combiner is not None else None
        if (rate is not None and math.exp(rate.weight) >= SIGNAL_RATIO
                and not get_flag(hit.id).fires_on_absence):
            return True
    return False


def floors_only(prob: float, hits: Sequence[FlagHit]) -> float:
    """The estimate without a combiner: a flag raises it to its severity's floor."""
    floor = max((RISK_ORDER[hit.severity] for hit in hits if hit.severity != "low"), default=0)
    return max(prob, (0.0, MEDIUM_AT, HIGH_AT)[floor])
