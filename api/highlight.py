"""Evidence spans -> escaped-by-the-template segments of the ORIGINAL field text.

Spans are taken in flag order (high severity first), then the words the text model weighed
(marked `model`); a span overlapping one already kept is dropped, so every character is shown
exactly once and marks never nest. Spans whose offsets do not match the text are ignored
rather than trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from detector.schema import TEXT_FIELDS, Posting
from detector.verdict import Verdict


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    segments: tuple[Segment, ...]


def segments(text: str, spans: list[tuple[int, int, str]]) -> tuple[Segment, ...]:
    """Cut `text` at the kept spans; `spans` are (start, end, flag id) in priority order."""
    kept: list[tuple[int, int, str]] = []
    for start, end, flag in spans:
        if not 0 <= start < end <= len(text):
            continue
        if any(start < k_end and k_start < end for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, flag))
    kept.sort()
    out: list[Segment] = []
    cursor = 0
    for start, end, flag in kept:
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], flag))
        cursor = end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return tuple(out)


#: The mark of a word the text model weighed (no flag has this id).
MODEL_MARK = "model"


def highlight(posting: Posting, verdict: Verdict) -> list[FieldView]:
    """Every non-empty field of the posting, in schema order, with its evidence marked:
    red-flag evidence first, then the words that raised the model's estimate."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for hit in verdict.flags:
        for ev in hit.evidence:
            original = posting.get(ev.field)
            if original[ev.start:ev.end] == ev.text:
                spans.setdefault(ev.field, []).append((ev.start, ev.end, hit.id))
    for term in verdict.model_evidence:
        original = posting.get(term.field)
        if term.weight > 0 and original[term.start:term.end] == term.text:
            spans.setdefault(term.field, []).append((term.start, term.end, MODEL_MARK))
    return [
        FieldView(name, segments(posting.fields[name], spans.get(name, [])))
        for name in TEXT_FIELDS
        if name in posting.fields
    ]
