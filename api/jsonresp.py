"""JSON responses encoded with orjson: ~10x faster than `json.dumps` for a verdict, and NaN
becomes null (JSON has no NaN). Same bytes on the wire for everything else we send."""

from __future__ import annotations

import json
from typing import Any

import orjson
from fastapi.responses import JSONResponse

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def dumps(content: Any) -> bytes:
    try:
        return orjson.dumps(content, option=OPTIONS)
    except orjson.JSONEncodeError:
        # orjson refuses a string holding a lone surrogate. Input is checked for them
        # (detector.schema), so this is a last resort that keeps an answer or a log line
        # from becoming an error: ASCII JSON writes such a character as an escape.
        return json.dumps(content, ensure_ascii=True, default=str).encode("ascii")


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content)
