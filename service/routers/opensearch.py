"""OpenSearch: the description browsers install, and keystroke suggestions.

Absolute URLs come from ``SDC_PUBLIC_BASE_URL`` when set (it should be, behind
a reverse proxy), else from the address the server listens on; never from the
request's ``Host`` header.
Suggestions are drawn only from our trusted index, never a third-party engine.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from service.deps import SettingsDep, StateDep, public_base
from service.errors import Busy, IndexUnavailable
from service.responses import json_response

router = APIRouter(tags=["opensearch"])

#: ``[query, [completions]]`` (OpenAPI tooling handles ``prefixItems`` poorly)
SUGGESTIONS_SCHEMA = {
    "type": "array", "minItems": 2, "maxItems": 2,
    "items": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
}


@router.get("/opensearch.xml", response_class=Response,
            responses={200: {"content": {"application/opensearchdescription+xml": {}}}})
async def opensearch(request: Request, settings: SettingsDep) -> Response:
    """OpenSearch 1.1 description (search and suggestion URL templates, icon, self link)."""
    render = request.app.state.templates.get_template("opensearch.xml").render
    body = render(base=public_base(request, settings.public_base_url))
    # without a public URL the listening address is a guess for local use: not for shared caches
    cache = "public, max-age=86400" if settings.public_base_url else "private, max-age=3600"
    return Response(body, media_type="application/opensearchdescription+xml; charset=utf-8",
                    headers={"cache-control": cache})


@router.get("/api/suggest", responses={200: {"content": {"application/json": {
    "schema": SUGGESTIONS_SCHEMA}}}}, response_class=Response)
async def suggest(state: StateDep, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    """OpenSearch suggestions ``[query, [completions]]`` from the trusted index's titles and words."""
    completions: list[str] = []
    if q.strip():
        try:
            completions = await state.suggest(q, limit=8)
        except (IndexUnavailable, Busy):
            completions = []  # a keystroke never gets an error: no index, no suggestion
    return json_response([q, completions])
