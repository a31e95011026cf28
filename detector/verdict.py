"""What the detector says about one posting: the types every face serialises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["low", "medium", "high"]
Risk = Literal["low", "medium", "high"]
RISK_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
Confidence = Literal["low", "normal"]

#: The tiers are fixed bands of `fraud_probability`, the same in every language, so that a
#: number always means the same tier: low < 20% <= medium < 50% <= high. A red flag raises
#: the number to its tier's floor (see `detector.core`).
MEDIUM_AT = 0.20
HIGH_AT = 0.50


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
