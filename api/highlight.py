"""Evidence spans -> escaped-by-the-template segments of the ORIGINAL field text.

What is marked is decided in the core (`detector.model.marking.marks`): warning signs in flag order
(high severity first), then, on a medium or high verdict, the words that raised the text
model's estimate (marked `model`), all on word edges, never a phrase that says there is no
fee. A span overlapping one already kept is dropped, so every character is shown exactly once
and marks never nest. Spans whose offsets do not match the text are ignored rather than
trusted.
"""

from __future__ import annotations

from dataclasses import dataclass

from detector.model.marking import MODEL, marks
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
MODEL_MARK = MODEL


def highlight(posting: Posting, verdict: Verdict, show_model: bool | None = None
              ) -> list[FieldView]:
    """Every non-empty field of the posting, in schema order, with its evidence marked:
    red-flag evidence first, then (by default on a medium or high verdict only) the words
    that raised the model's estimate."""
    if show_model is None:
        show_model = verdict.risk != "low"
    flag_spans = [(hit.id, ev.field, ev.start, ev.end) for hit in verdict.flags
                  for ev in hit.evidence
                  if posting.get(ev.field)[ev.start:ev.end] == ev.text]
    terms = [(t.field, t.start, t.end, t.weight) for t in verdict.model_evidence
             if posting.get(t.field)[t.start:t.end] == t.text]
    spans: dict[str, list[tuple[int, int, str]]] = {
        name: [(m.start, m.end, m.flag or MODEL_MARK) for m in found]
        for name, found in marks(posting.fields, flag_spans, terms, show_model).items()}
    return [
        FieldView(name, segments(posting.fields[name], spans.get(name, [])))
        for name in TEXT_FIELDS
        if name in posting.fields
    ]
