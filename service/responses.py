"""JSON responses serialised by orjson, the fast path of the hot endpoints.

FastAPI's ``ORJSONResponse`` is deprecated; endpoints that build plain dicts
return :func:`json_response` and declare their Pydantic ``response_model`` for
the OpenAPI schema only (a returned ``Response`` skips FastAPI's serialisation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson
from fastapi.responses import Response

from service.models import HitPublic

if TYPE_CHECKING:
    from index.results import SearchResults


class JSONBytes(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(content: Any, status: int = 200) -> Response:
    return JSONBytes(content, status_code=status)


#: what the API answers of a hit: the fields of its documented schema, nothing the index adds
HIT_FIELDS = tuple(HitPublic.model_fields)


def search_payload(results: SearchResults) -> dict[str, Any]:
    """The ``/api/search`` answer (``SearchResultsPublic``) for orjson to write.

    ``SearchResults.to_dict`` goes through ``dataclasses.asdict``, which deep-copies every
    hit: half a millisecond a page, on the event loop, for what orjson writes from the
    attributes directly (dates as ISO 8601, as ``to_dict`` gives them)."""
    return {
        "query": results.query, "total": results.total, "took_ms": results.took_ms,
        "page": results.page, "limit": results.limit,
        "results": [{name: getattr(hit, name) for name in HIT_FIELDS} for hit in results.results],
        "facets": {"category": results.facets},
        "corrected_query": results.corrected_query,
    }
