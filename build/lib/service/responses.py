"""JSON responses serialised by orjson, the fast path of the hot endpoints.

FastAPI's ``ORJSONResponse`` is deprecated; endpoints that build plain dicts
return :func:`json_response` and declare their Pydantic ``response_model`` for
the OpenAPI schema only (a returned ``Response`` skips FastAPI's serialisation).
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import Response


class JSONBytes(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(content: Any, status: int = 200) -> Response:
    return JSONBytes(content, status_code=status)
