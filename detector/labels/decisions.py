"""What a moderator decision is, validated once for every face (API, CLI import, page report).

A decision names a posting (in the posting schema), a label and where it came from. Only
`moderator` and `import` decisions are trusted as training labels; a `report` from a job
seeker on the page is kept apart until a moderator confirms it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from detector.jsontext import type_name
from detector.schema import (
    DEFAULT_MAX_CHARS,
    InvalidPosting,
    Posting,
    parse_posting,
    text_problem,
)

Label = Literal["scam", "legit"]
Source = Literal["moderator", "report", "import"]
LABELS: tuple[str, ...] = ("scam", "legit")
SOURCES: tuple[str, ...] = ("moderator", "report", "import")
#: Sources whose decisions become training labels.
TRUSTED_SOURCES: tuple[str, ...] = ("moderator", "import")
MAX_NOTE_CHARS = 5000
MAX_REVIEWER_CHARS = 200
MAX_FLAGS = 50


class InvalidDecision(ValueError):
    """A decision that cannot be recorded; the message says why in words a user can act on."""


@dataclass(frozen=True, slots=True)
class Decision:
    posting: Posting
    label: Label
    source: Source
    reviewer: str | None = None
    note: str | None = None
    flags: tuple[str, ...] = field(default_factory=tuple)


def canonical_posting(posting: Posting) -> dict[str, Any]:
    """The posting's content without its id: what is stored and hashed."""
    content = posting.to_dict()
    content.pop("id", None)
    return content


def content_hash(posting: Posting) -> str:
    """sha256 of the canonical content: the same text from two feeds is one stored posting."""
    blob = json.dumps(canonical_posting(posting), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def parse_label(value: Any) -> Label:
    if isinstance(value, str) and value.strip().lower() in LABELS:
        return value.strip().lower()  # type: ignore[return-value]
    if value is None or (isinstance(value, str) and not value.strip()):
        # A review-queue row nobody decided yet (issue 27: said "unknown label 'NoneType'").
        raise InvalidDecision("missing label: fill in 'scam' or 'legit'")
    shown = value if isinstance(value, str) else type(value).__name__
    raise InvalidDecision(f"unknown label {shown!r:.60}: use 'scam' or 'legit'")


def _optional_text(data: Mapping[str, Any], name: str, limit: int) -> str | None:
    value = data.get(name)
    if value is None or (isinstance(value, float) and value != value):
        return None
    if not isinstance(value, str):
        raise InvalidDecision(f"'{name}' must be a string, got {type_name(value)}")
    # A NUL or a lone surrogate is no text to keep (PostgreSQL refuses the first).
    if "\x00" in value:
        raise InvalidDecision(f"'{name}' contains a NUL character (\\x00)")
    problem = text_problem(value)
    if problem:
        raise InvalidDecision(f"'{name}' holds {problem}")
    value = value.strip()
    if len(value) > limit:
        raise InvalidDecision(f"'{name}' is too long: {len(value):,} characters "
                              f"(limit {limit:,})")
    return value or None


def parse_flags(value: Any) -> tuple[str, ...]:
    """Red-flag ids a moderator ticked; unknown ids are an error (typos would be lost)."""
    from detector.flags import FLAG_IDS

    if value is None:
        return ()
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").split(",") if part.strip()]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise InvalidDecision("'flags' must be a list of red-flag ids")
    if len(value) > MAX_FLAGS:
        raise InvalidDecision(f"'flags' has {len(value)} entries (limit {MAX_FLAGS})")
    flags = tuple(dict.fromkeys(v.strip() for v in value))
    unknown = [f for f in flags if f not in FLAG_IDS]
    if unknown:
        shown = ", ".join(ascii(flag) if not flag.isprintable() or not flag.isascii()
                          else flag for flag in unknown)
        raise InvalidDecision(f"unknown red-flag id(s): {shown[:200]} "
                              "(see `detector rules list` or GET /v1/model)")
    return flags


def parse_decision(
    data: Mapping[str, Any],
    source: Source,
    *,
    posting: Mapping[str, Any] | None = None,
    strict: bool = True,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_int_id: int | None = None,
    warnings: list[str] | None = None,
) -> Decision:
    """Validate `{"posting": {...}, "label": ..., "note", "flags", "reviewer"}`.

    `posting` overrides `data["posting"]` (imports carry posting fields on the same row).
    With a `warnings` list (imports), yes/no cells are read as people write them and one
    that cannot be read is left out with a line there (`detector.schema.parse_yes_no`).
    """
    if not isinstance(data, Mapping):
        raise InvalidDecision(f"a decision must be an object, got {type(data).__name__}")
    raw_posting = posting if posting is not None else data.get("posting")
    if raw_posting is None:
        raise InvalidDecision("missing 'posting': send the posting's fields "
                              '(e.g. {"posting": {"text": "..."}, "label": "scam"})')
    label = parse_label(data.get("label"))
    try:
        parsed = parse_posting(raw_posting, strict=strict, max_chars=max_chars,
                               max_int_id=max_int_id, yes_no_cells=warnings is not None,
                               warnings=warnings)
    except InvalidPosting as exc:
        raise InvalidDecision(f"invalid posting: {exc}") from None
    return Decision(
        posting=parsed,
        label=label,
        source=source,
        reviewer=_optional_text(data, "reviewer", MAX_REVIEWER_CHARS),
        note=_optional_text(data, "note", MAX_NOTE_CHARS),
        flags=parse_flags(data.get("flags")),
    )
