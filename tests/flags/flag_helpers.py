"""Shared helpers for the red-flag tests."""

from __future__ import annotations

from collections.abc import Mapping

from detector.flags import detect_flags
from detector.schema import Posting, parse_posting, posting_from_text
from detector.verdict import FlagHit


def posting_of(example: str | Mapping[str, str]) -> Posting:
    """A pasted text or a structured example as a Posting."""
    if isinstance(example, str):
        return posting_from_text(example)
    return parse_posting(dict(example))


def hits_of(example: str | Mapping[str, str]) -> dict[str, FlagHit]:
    return {hit.id: hit for hit in detect_flags(posting_of(example))}


def assert_exact_evidence(posting: Posting, hit: FlagHit) -> None:
    """Every evidence span quotes the original field text exactly."""
    for ev in hit.evidence:
        assert ev.field in posting.fields
        assert 0 <= ev.start < ev.end <= len(posting.fields[ev.field])
        assert posting.fields[ev.field][ev.start : ev.end] == ev.text
