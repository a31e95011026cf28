"""JSON responses encoded with orjson: ~10x faster than `json.dumps` for a verdict, and NaN
becomes null (JSON has no NaN). Same bytes on the wire for everything else we send."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse

OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def dumps(content: Any) -> bytes:
    return orjson.dumps(content, option=OPTIONS)


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return dumps(content)
