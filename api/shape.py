"""The type rules of a posting in a request body, checked before scoring (the same rules as
the OpenAPI schema in api/schemas.py and `parse_posting(strict=True)`).

A batch entry that breaks them is a malformed request (422 for the whole batch, as the schema
says); a well-typed entry that cannot be scored (no text, too long, a lone surrogate, an id
over 200 characters or outside 64 bits) gets a per-entry error.
"""

from __future__ import annotations

from typing import Any

from detector.jsontext import HugeInteger
from detector.schema import BOOL_FIELDS, TEXT_FIELDS


def _type_name(value: Any) -> str:
    return "null" if value is None else {
        bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
        dict: "object", HugeInteger: "integer"}.get(type(value), type(value).__name__)


def shape_error(item: Any) -> str | None:
    """Why `item` is not a well-typed posting object, or None if it is."""
    if not isinstance(item, dict):
        return f"must be an object, got {_type_name(item)}"
    for name in TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            return f"{name}: must be a string or null, got {_type_name(value)}"
    for name in BOOL_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, bool):
            return f"{name}: must be true, false or null, got {_type_name(value)}"
    raw_id = item.get("id")
    # An id too long, out of range or holding a NUL has the right shape: the entry gets its
    # own error (detector.schema.parse_id), the others are scored.
    whole = isinstance(raw_id, float) and raw_id.is_integer()  # 72.0: JSON Schema's integer
    if raw_id is not None and not whole and (
            isinstance(raw_id, bool) or not isinstance(raw_id, str | int | HugeInteger)):
        return f"id: must be a string, an integer or null, got {_type_name(raw_id)}"
    return None
