"""``POST /api/rerank``: mark, filter or re-order another engine's results by trust.

This is what the browser extension and other tools call with the results of
the page the agent is looking at (Google, Bing, Qwant...):

    POST /api/rerank
    {"query": "carte grise", "mode": "boost",
     "results": [{"url": "...", "title": "...", "snippet": "...", "engine": "google", "position": 1}]}

answers ``{"mode", "results": [{..., "trusted", "domain", "category", "name"}],
"total", "trusted_count", "by_category", "removed", "duplicates"}``.  Modes are
those of :class:`ranking.Mode`; ``merge`` fuses the results with our own
index's answer to ``query`` when the service has an index.  Up to 500 results
a call; deny-listed results are removed and listed in ``removed``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ranking import MAX_RESULTS, EngineResult, HitLike, Mode, RankingError, rerank
from service.bodies import read_body
from service.hotpath import INLINE_BODY_BYTES
from service.responses import json_response
from service.state import ServiceState
from service.unified import own_hits

router = APIRouter(prefix="/api", tags=["rerank"])

class EngineResultIn(BaseModel):
    # "position": false or "1" is a client's bug, and so is an unknown key: 422, as /api/classify
    model_config = ConfigDict(strict=True, extra="forbid")

    url: str = Field(min_length=1, max_length=8192)
    title: str = Field("", max_length=2000)
    snippet: str = Field("", max_length=10_000)
    engine: str = Field("", max_length=100)
    position: int = Field(0, ge=0, le=100_000)


class RerankRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt "mode" must not pass for annotate

    query: str = Field("", max_length=2000)
    results: list[EngineResultIn] = Field(max_length=MAX_RESULTS)
    mode: Mode = Mode.ANNOTATE


class RankedResultPublic(BaseModel):
    url: str
    title: str
    snippet: str
    engine: str
    engines: list[str]
    position: int
    trusted: bool
    domain: str | None
    category: str | None
    name: str | None
    score: float


class RemovedPublic(BaseModel):
    url: str
    engine: str
    position: int
    domain: str | None
    reason: str


class RerankPublic(BaseModel):
    mode: Mode
    results: list[RankedResultPublic]
    total: int
    trusted_count: int
    by_category: dict[str, int]
    removed: list[RemovedPublic]
    duplicates: int


async def _own_hits(state: ServiceState, query: str) -> list[HitLike]:
    """Our index's answer for ``merge``; without an index, merge fuses the engines only."""
    return await own_hits(state, query) if query.strip() else []


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with its ``$defs`` references inlined: the request body is declared by hand
    (see below), so its sub-models are not among the OpenAPI document's components."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk({**defs[ref.removeprefix("#/$defs/")],
                             **{k: v for k, v in node.items() if k != "$ref"}})
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


RERANK_BODY = {"required": True, "content": {"application/json": {
    "schema": _inlined(RerankRequest.model_json_schema())}}}


@router.post("/rerank", response_model=RerankPublic, openapi_extra={"requestBody": RERANK_BODY},
             responses={422: {"description": "invalid JSON, wrong types, unknown mode or more "
                              "than 500 results (detail names the problem)"},
                        413: {"description": "request body larger than 10 MB"},
                        503: {"description": "the worker is busy with other heavy requests "
                                            "(Retry-After says when to retry)"}})
async def rerank_results(request: Request) -> Response:
    """Annotate, filter, boost, blend or merge up to 500 results of other engines.

    The body is validated by pydantic-core straight from the bytes, as
    ``/api/classify`` does: FastAPI's own body machinery would cost more than
    the re-ranking itself.
    """
    state: ServiceState = request.app.state.sdc
    raw = await read_body(request)
    # a large body (up to 500 results) is validated and ranked in the thread pool, in the bulky lane
    inline = len(raw) <= INLINE_BODY_BYTES
    try:
        body = (RerankRequest.model_validate_json(raw) if inline else
                await state.bulky.run_sized(len(raw), RerankRequest.model_validate_json, raw))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]) from None
    table = state.trust_table()
    results = [EngineResult(r.url, r.title, r.snippet, r.engine, r.position) for r in body.results]
    own = await _own_hits(state, body.query) if body.mode is Mode.MERGE else []
    try:
        ranked = (rerank(results, table, body.mode, own=own) if inline else
                  await state.bulky.run(rerank, results, table, body.mode, own=own))
    except RankingError as exc:
        raise HTTPException(422, str(exc)) from None
    state.count_classified(ranked.total, ranked.trusted_count)
    out: dict[str, Any] = ranked.to_dict()
    return json_response(out)
