"""What the detector says about one posting: the types every face serialises."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["low", "medium", "high"]
Risk = Literal["low", "medium", "high"]
RISK_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


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

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
