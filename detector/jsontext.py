"""JSON from people and programs we do not control: every way a document can fail to load is
a `ValueError` with a message a user can act on, and an integer too long for Python to convert
is kept as a stand-in instead of sinking the whole document.

`json.loads` raises `RecursionError` on 100,000 nested brackets and a plain `ValueError` on
an integer of more than 4,300 digits (Python's guard against quadratic conversion). Here the
first is a `JSONTooDeep` and the second a `HugeInteger` value: where the number sits in an
ignored field nothing is lost, and where a posting needs it (`id`) the posting alone is
rejected (`detector.schema`), not the request or the feed around it.
"""

from __future__ import annotations

import json
import sys
from typing import Any


class HugeInteger:
    """A JSON integer with more digits than Python converts (`sys.get_int_max_str_digits`).

    Neither an `int` nor a `str`, so no field reads it as one by accident."""

    __slots__ = ("digits",)

    def __init__(self, text: str) -> None:
        self.digits = len(text.lstrip("-"))

    def __repr__(self) -> str:
        return f"<integer of {self.digits:,} digits>"


class JSONTooDeep(ValueError):
    """Arrays or objects nested deeper than the parser can follow."""


def _parse_int(text: str) -> int | HugeInteger:
    limit = sys.get_int_max_str_digits()
    if limit and len(text.lstrip("-")) > limit:
        return HugeInteger(text)
    return int(text)


def loads(text: str | bytes) -> Any:
    """`json.loads` with huge integers as `HugeInteger` and deep nesting as `JSONTooDeep`;
    malformed JSON still raises `json.JSONDecodeError` (a ValueError)."""
    try:
        return json.loads(text, parse_int=_parse_int)
    except RecursionError:
        raise JSONTooDeep("nested too deeply (arrays or objects inside one another more "
                          "than a few hundred levels)") from None


def type_name(value: Any) -> str:
    """A value's type as error messages name it (a `HugeInteger` is an int)."""
    return "int" if isinstance(value, HugeInteger) else type(value).__name__
