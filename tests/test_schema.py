from __future__ import annotations

import math

import pytest

from detector.schema import InvalidPosting, NotYesNo, parse_posting, parse_yes_no, posting_from_text


def test_keeps_non_empty_text_fields_and_ignores_unknown_columns() -> None:
    posting = parse_posting({"title": "Clerk", "description": "  ", "colour": "red", "id": 7})
    assert posting.fields == {"title": "Clerk"}
    assert posting.id == "7"
    assert posting.is_structured


@pytest.mark.parametrize("data", [{}, {"text": ""}, {"text": "   \n"}, {"title": None}])
def test_empty_posting_is_rejected_with_a_reason(data: dict) -> None:
    with pytest.raises(InvalidPosting, match="empty posting"):
        parse_posting(data)


def test_strict_mode_rejects_numbers_where_text_is_expected() -> None:
    with pytest.raises(InvalidPosting, match="'salary' must be a string"):
        parse_posting({"text": "job", "salary": 5000}, strict=True)
    assert parse_posting({"text": "job", "salary": 5000}).get("salary") == "5000"


def test_booleans_accept_feed_spellings_but_not_nonsense() -> None:
    posting = parse_posting({"text": "job", "telecommuting": "1", "has_company_logo": "False"})
    assert posting.telecommuting is True and posting.has_company_logo is False
    with pytest.raises(InvalidPosting, match="true or false"):
        parse_posting({"text": "job", "telecommuting": "maybe"})


def test_nan_from_pandas_counts_as_missing() -> None:
    posting = parse_posting({"text": "job", "title": math.nan, "id": math.nan}, default_id="3")
    assert posting.fields == {"text": "job"} and posting.id == "3"


def test_invalid_utf8_bytes_and_oversized_postings_are_rejected() -> None:
    with pytest.raises(InvalidPosting, match="not valid UTF-8"):
        parse_posting({"text": b"\xff\xfe job"})
    with pytest.raises(InvalidPosting, match="too large"):
        parse_posting({"text": "x" * 11}, max_chars=10)


def test_wrong_container_type() -> None:
    with pytest.raises(InvalidPosting, match="must be an object"):
        parse_posting(["text"])  # type: ignore[arg-type]


def test_pasted_text_posting() -> None:
    posting = posting_from_text("Data entry, $500/day", posting_id="a")
    assert not posting.is_structured and posting.full_text() == "Data entry, $500/day"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": 123}, "field 'text' must be a string, got int"),
        ({"text": "job", "salary": 5000.5}, "field 'salary' must be a string, got float"),
        ({"text": "job", "has_company_logo": "yes"}, "'has_company_logo' must be true or false"),
        ({"text": "job", "telecommuting": 1}, "'telecommuting' must be true or false"),
        ({"text": "job", "id": 2.5}, "field 'id' must be a string or integer, got float"),
    ],
)
def test_strict_is_the_typed_rule_for_every_face(data: dict, message: str) -> None:
    """API, page, `score` of JSON and `scan` of JSONL/Parquet all call strict=True."""
    with pytest.raises(InvalidPosting, match=message):
        parse_posting(data, strict=True)


def test_yes_no_cells_are_read_as_people_write_them_but_text_is_still_text() -> None:
    """Feeds (issue 24): "t"/"no"/1.0/是 are yes/no; one nobody can read is left out with a
    warning, never the posting; a typed value in a text field is still refused."""
    warnings: list[str] = []
    posting = parse_posting({"text": "job", "has_company_logo": "t", "telecommuting": 0.0,
                             "has_questions": ""}, strict=True, yes_no_cells=True,
                            warnings=warnings)
    assert (posting.has_company_logo, posting.telecommuting, posting.has_questions) == (
        True, False, None)
    assert warnings == []
    kept = parse_posting({"text": "job", "telecommuting": "maybe", "has_questions": "是"},
                         strict=True, yes_no_cells=True, warnings=warnings)
    assert (kept.telecommuting, kept.has_questions) == (None, True)
    assert warnings == ["field 'telecommuting': 'maybe' is not a yes/no value (yes/no, "
                        "true/false, 1/0, 是/否); left out"]
    with pytest.raises(InvalidPosting, match="must be a string"):
        parse_posting({"text": 5}, strict=True, yes_no_cells=True)


@pytest.mark.parametrize(("cell", "value"), [
    (True, True), (False, False), (1, True), (0, False), (1.0, True), (0.0, False),
    ("1", True), ("0", False), ("1.0", True), ("0.0", False), (" 1.00 ", True),
    ("true", True), ("FALSE", False), ("t", True), ("f", False), ("Yes", True), ("no", False),
    ("y", True), ("N", False), ("是", True), ("否", False), ("有", True), ("无", False),
    (None, None), (float("nan"), None), ("", None), ("  ", None), ("NaN", None), ("NA", None),
    ("null", None),
])
def test_parse_yes_no_reads_every_usual_spelling(cell: object, value: bool | None) -> None:
    assert parse_yes_no(cell) is value


@pytest.mark.parametrize("cell", ["maybe", "2", 2, 0.5, "yes please", "\ud800", [1], b"1"])
def test_parse_yes_no_refuses_what_nobody_can_read(cell: object) -> None:
    with pytest.raises(NotYesNo):
        parse_yes_no(cell)
