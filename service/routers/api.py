"""The JSON API: search, classify, what the registry knows of a domain, usage figures."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from service.bodies import read_body
from service.deps import (
    CategoryParam,
    ClassifierDep,
    LimitParam,
    PageParam,
    SearchQuery,
    SiteParam,
    StateDep,
)
from service.hotpath import classify_json
from service.models import (
    MAX_URL_LENGTH,
    ClassificationPublic,
    ClassificationsPublic,
    ClassifyRequest,
    SearchResultsPublic,
    SourcePublic,
    StatsPublic,
)
from service.responses import json_response, search_payload
from service.verticals import label
from sources import Category

router = APIRouter(prefix="/api", tags=["api"])

Responses = dict[int | str, dict[str, Any]]
UNAVAILABLE: Responses = {503: {"description": "the search index is not built or cannot be opened, or the "
                      "worker is busy (then with Retry-After)"}}
BUSY: Responses = {503: {"description": "the worker is busy with other heavy requests (Retry-After says when "
                             "to retry)"}}
BODY_TOO_LARGE: Responses = {413: {"description": "request body larger than 10 MB"}}


@router.get("/search", response_model=SearchResultsPublic, responses=UNAVAILABLE)
async def search(state: StateDep, q: SearchQuery, category: CategoryParam = None,
                 site: SiteParam = None, page: PageParam = 1, limit: LimitParam = 10) -> Response:
    """Full-text search of the trusted index; ``facets.category`` counts the whole result set.

    Each hit is checked against the registry as it is now (a source delisted since it was
    indexed is not shown)."""
    categories = [c.value for c in category] if category else None
    results = await state.search(q, category=categories, site=site, page=page, limit=limit)
    return json_response(search_payload(results))


CLASSIFY_BODY = {"required": True, "content": {"application/json": {
    "schema": ClassifyRequest.model_json_schema()}}}


@router.post("/classify", response_model=ClassificationsPublic,
             openapi_extra={"requestBody": CLASSIFY_BODY},
             responses={422: {"description": "invalid JSON, wrong types or more than 1,000 URLs"},
                        **BODY_TOO_LARGE, **BUSY})
async def classify_many(request: Request) -> Response:
    """Classify up to 1,000 URLs; the results keep the request's order.

    The extension's hot path: ``service.hotpath`` answers it ahead of the middleware
    stack with the same code; this route documents it and answers what reaches
    FastAPI's router.
    """
    status, content = await classify_json(request.app.state.sdc, await read_body(request))
    return Response(content, status_code=status, media_type="application/json")


@router.get("/classify", response_model=ClassificationPublic)
async def classify_one(state: StateDep,
                       url: Annotated[str, Query(max_length=MAX_URL_LENGTH)]) -> Response:
    """Classify one URL."""
    item = state.classifier.classify(url).to_dict()
    state.count_classified(1, int(item["trusted"]))
    return json_response(item)


@router.get("/sources/{domain}", response_model=SourcePublic, responses=BUSY)
async def source(state: StateDep, classifier: ClassifierDep,
                 domain: Annotated[str, Path(min_length=1, max_length=253)]) -> Response:
    """What the registry knows of a host or domain and its subdomains, with provenance."""
    def describe() -> dict[str, Any]:
        with state.open_registry() as registry:
            return registry.describe(domain)  # InvalidHostError -> 422

    described = await state.heavy.run(describe)  # SQLite: off the event loop
    verdict = classifier.classify(f"https://{described['domain']}/").to_dict()
    return json_response({**described, "verdict": verdict})


@router.get("/stats", response_model=StatsPublic, responses=BUSY)
async def stats(state: StateDep) -> Response:
    """Documents indexed, registry size, URLs classified (counted, never stored)."""
    _, _, documents = state.index_status()
    usage = await state.heavy.run(state.usage.snapshot)  # SQLite or Redis: off the event loop
    return json_response({
        "documents": documents,
        "registry_entries": state.classifier.entry_count,
        "categories": {c.value: label(c.value) for c in Category},
        "classified": {
            "month": usage.month,
            "classified_this_month": usage.classified_this_month,
            "trusted_this_month": usage.trusted_this_month,
            "classified_total": usage.classified_total,
            "trusted_total": usage.trusted_total,
        },
    })
