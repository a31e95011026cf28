"""What the detector says about one posting: the types every face serialises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["low", "medium", "high"]
Risk = Literal["low", "medium", "high"]
RISK_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
Confidence = Literal["low", "normal"]
#: Why a medium or high verdict is what it is: a medium- or high-severity red flag
#: (`red_flags`); the words the text model weighed, which account for at least half of its
#: rise above the base rate (`model_words`); or neither: the text model's estimate rests on
#: no particular words (`no_particular_words`). `low_risk` for a low verdict.
Basis = Literal["red_flags", "model_words", "no_particular_words", "low_risk"]

#: The tiers are fixed bands of `fraud_probability`, the same in every language, so that a
#: number always means the same tier: low < 20% <= medium < 50% <= high. A red flag raises
#: the number to its tier's floor (see `detector.core`).
MEDIUM_AT = 0.20
HIGH_AT = 0.50
#: Real-world scam prevalence the estimate is calibrated for, per language (issue #2): the
#: number is the chance for a platform where about this share of postings are scams. Below
#: both the flags (their QA) and the models (their calibration).
PREVALENCE: dict[str, float] = {"en": 0.0484, "zh": 0.06}


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the original, un-normalised text of one field: `text == original[start:end]`."""

    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class FlagHit:
    """One red flag that fired, with every span that made it fire."""

    id: str
    severity: Severity
    evidence: tuple[Evidence, ...] = ()
    #: What a lookup flag matched (campaign memory: the decision, when, its source, the
    #: similarity). Private: shown to moderators and the CLI only (`verdict_dict`).
    detail: dict[str, Any] | None = field(default=None, compare=False, hash=False)


@dataclass(slots=True)
class Verdict:
    """The detector's answer for one posting."""

    id: str | None
    fraud_probability: float
    risk: Risk
    language: str
    model_version: str
    flags: list[FlagHit] = field(default_factory=list)
    model_probability: float | None = None
    #: "low" when the text is too short or too plain for the model to tell either way.
    confidence: Confidence = "normal"
    #: For moderators only (`verdict_dict(private=True)`): e.g. a trusted legit decision on
    #: a near-duplicate. Never changes the estimate.
    notes: list[dict[str, Any]] = field(default_factory=list)
    #: The words the text model weighed (`detector.model.explain.Term`), largest first; set
    #: for every medium or high verdict, and for every verdict when explanations are asked.
    model_evidence: list[Any] = field(default_factory=list)
    #: The shown words' share of the model's rise above the base rate (log-odds), if any.
    model_evidence_share: float | None = None
    #: False when the model's part of the estimate rests on no particular words.
    model_evidence_explains: bool = True

    @property
    def basis(self) -> Basis:
        """What the estimate rests on, in one word (see `Basis`)."""
        if self.risk == "low":
            return "low_risk"
        if any(hit.severity != "low" for hit in self.flags):
            return "red_flags"
        if self.model_evidence and self.model_evidence_explains:
            return "model_words"
        return "no_particular_words"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
