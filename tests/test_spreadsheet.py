"""Spreadsheet-safe cells: formulas made inert, plain numbers kept, exact round trip."""

import pytest

from detector.spreadsheet import escape_cell, unescape_cell


@pytest.mark.parametrize("raw", ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
                                 "@SUM(A1:A2)", "-2+3", "\tx", "\rx", "+1 555 0100"])
def test_formula_cells_get_an_apostrophe(raw):
    assert escape_cell(raw) == "'" + raw


@pytest.mark.parametrize("raw", ["-5", "+12.5", "1e5", "hello", "", "'quoted", "a=b", 3, None])
def test_plain_numbers_and_text_stay(raw):
    assert escape_cell(raw) == raw


@pytest.mark.parametrize("raw", ["=1+1", "'=1+1", "''@x", "'plain", "-5", "-x", "text", ""])
def test_round_trip_is_exact(raw):
    assert unescape_cell(escape_cell(raw)) == raw
