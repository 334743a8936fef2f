"""The "Actualités officielles" view, ``/recherche/actualites?q=&categorie=&page=``, and its JSON,
``GET /api/actualites?q=&category=&page=&limit=``.

News items only, newest first: the index's documents of kind ``news``, the items the crawler found
in the trusted sites' feeds (crawler/news.py), filtered by the registry's categories like the main
results.  A page that merely states a date is not news.  Included by :mod:`service.routers.annuaire`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from service.deps import CategoryParam, LimitParam, PageParam, SearchQuery, StateDep
from service.errors import IndexUnavailable
from service.models import API_MAX_PAGE, MAX_QUERY_LENGTH, SearchResultsPublic
from service.responses import json_response
from service.verticals import facet_links, label
from sources import parse_category

router = APIRouter()
PAGE_SIZE = 10
#: what the index calls a feed item (index.schema.KIND)
NEWS = "news"


def news_url(q: str, category: str | None = None, page: int = 1) -> str:
    params: dict[str, str | int] = {"q": q}
    if category:
        params["categorie"] = category
    if page > 1:
        params["page"] = page
    return "/recherche/actualites?" + urlencode(params)


@router.get("/api/actualites", response_model=SearchResultsPublic, tags=["api"],
            responses={503: {"description": "the search index is not built or cannot be opened, or the "
                                            "worker is busy (then with Retry-After)"}})
async def api_news(state: StateDep, q: SearchQuery, category: CategoryParam = None, page: PageParam = 1,
                   limit: LimitParam = 10) -> Response:
    """Official news: the items of the trusted sites' RSS/Atom feeds, newest first (``published``,
    ``YYYY-MM-DD``); ``facets.category`` counts every matching item."""
    categories = [c.value for c in category] if category else None
    results = await state.search(q, category=categories, sort="date", kind=NEWS, page=page, limit=limit)
    data = results.to_dict()
    data["facets"] = {"category": data["facets"]}
    return json_response(data)


@router.get("/recherche/actualites", response_class=HTMLResponse, tags=["pages"], include_in_schema=False)
async def news_page(
    request: Request,
    state: StateDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    categorie: Annotated[str | None, Query(max_length=60)] = None,
    page: Annotated[int, Query(ge=1, le=API_MAX_PAGE)] = 1,
) -> HTMLResponse:
    render = request.app.state.render
    query = q.strip()
    if not query:
        return render(request, "search.html", {"q": "", "searched": False})
    category = parse_category(categorie).value if categorie else None  # unknown -> 422 page
    context: dict[str, Any] = {"q": query, "searched": True, "view": "actualites", "category": category,
                               "category_label": label(category) if category else None}
    try:
        results = await state.search(query, category=category, sort="date", kind=NEWS, page=page,
                                     limit=PAGE_SIZE)
    except IndexUnavailable:
        context["unavailable"] = True
        return render(request, "actualites.html", context, status=503)
    items = [hit for hit in results.results if hit.published]  # an item its feed left undated: not listed
    context.update(
        items=items, start=(page - 1) * PAGE_SIZE + 1,
        facets=facet_links(results.facets, category, lambda c: news_url(query, c)),
        previous=news_url(query, category, page - 1) if page > 1 else None,
        next=news_url(query, category, page + 1) if len(items) == PAGE_SIZE and page < API_MAX_PAGE else None,
        clear_url=news_url(query),
    )
    return render(request, "actualites.html", context)
