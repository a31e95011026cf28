"""Spreadsheet-safe cells: text that a spreadsheet would run as a formula, made inert.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula when a
moderator opens the file in Excel or LibreOffice (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`).
OWASP's advice: prefix such a cell with an apostrophe, except plain numbers. Every file the
project writes for people (CSV, XLSX) passes its cells through `escape_cell`; every reader of
such files passes them through `unescape_cell`, so an export read back gives the exact text.

The scheme is exact both ways: a cell whose leading apostrophes are followed by a trigger gets
one more apostrophe, and reading removes exactly one. Other cells are left alone.
"""

from __future__ import annotations

import re

#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_prefix(value: str) -> bool:
    """True when `value`, after any leading apostrophes, starts a formula."""
    rest = value.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_TRIGGERS and not _PLAIN_NUMBER.fullmatch(rest)


def escape_cell(value: object) -> object:
    """`value` as a spreadsheet may show it without running it (non-strings unchanged)."""
    if isinstance(value, str) and value and (value[0] in FORMULA_TRIGGERS or value[0] == "'") \
            and _needs_prefix(value):
        return "'" + value
    return value


def unescape_cell(value: object) -> object:
    """The text `escape_cell` was given (non-strings and other strings unchanged)."""
    if isinstance(value, str) and value.startswith("'") and _needs_prefix(value):
        return value[1:]
    return value
