"""Slicing field text at evidence offsets: every character shown once, overlaps dropped."""

from __future__ import annotations

from api.highlight import Segment, highlight, segments
from detector.schema import parse_posting
from detector.verdict import Evidence, FlagHit, Verdict


def test_segments_cover_text_once() -> None:
    text = "pay a fee now please"
    out = segments(text, [(6, 9, "upfront_fee"), (10, 13, "pressure_tactics")])
    assert "".join(s.text for s in out) == text
    assert out == (
        Segment("pay a "), Segment("fee", "upfront_fee"), Segment(" "),
        Segment("now", "pressure_tactics"), Segment(" please"),
    )


def test_overlaps_keep_the_higher_priority_span() -> None:
    text = "abcdefghij"
    out = segments(text, [(2, 6, "high"), (0, 4, "low"), (5, 8, "mid"), (8, 10, "end")])
    assert "".join(s.text for s in out) == text
    assert [(s.text, s.flag) for s in out if s.flag] == [("cdef", "high"), ("ij", "end")]


def test_out_of_range_spans_are_ignored() -> None:
    assert segments("abc", [(2, 9, "x"), (-1, 1, "y"), (2, 2, "z")]) == (Segment("abc"),)
    assert segments("", []) == ()


def test_highlight_checks_offsets_against_original_text() -> None:
    posting = parse_posting({"title": "Data entry", "text": "Pay <b>fee</b> first"})
    verdict = Verdict(
        id=None, fraud_probability=0.9, risk="high", language="en", model_version="t",
        flags=[
            FlagHit("upfront_fee", "high", (Evidence("text", 7, 10, "fee"),
                                            Evidence("text", 0, 3, "XXX"))),
        ],
    )
    views = highlight(posting, verdict)
    assert [v.name for v in views] == ["title", "text"]
    assert views[0].segments == (Segment("Data entry"),)
    assert [s for s in views[1].segments if s.flag] == [Segment("fee", "upfront_fee")]
