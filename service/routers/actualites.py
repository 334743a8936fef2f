"""The "Actualités officielles" view: ``/recherche/actualites?q=&categorie=&page=``.

News items only, newest first: the index's dated pages (the items the crawler found in the
trusted sites' feeds, and every page that states its publication date), filtered by the
registry's categories like the main results.  Included by :mod:`service.routers.annuaire`.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from service.deps import StateDep
from service.errors import IndexUnavailable
from service.models import API_MAX_PAGE, MAX_QUERY_LENGTH
from service.verticals import facet_links, label
from sources import parse_category

router = APIRouter(tags=["pages"], include_in_schema=False)
PAGE_SIZE = 10


def news_url(q: str, category: str | None = None, page: int = 1) -> str:
    params: dict[str, str | int] = {"q": q}
    if category:
        params["categorie"] = category
    if page > 1:
        params["page"] = page
    return "/recherche/actualites?" + urlencode(params)


@router.get("/recherche/actualites", response_class=HTMLResponse)
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
        results = await state.search(query, category=category, sort="date", page=page, limit=PAGE_SIZE)
    except IndexUnavailable:
        context["unavailable"] = True
        return render(request, "actualites.html", context, status=503)
    # the index sorts undated pages last: a page of results ends where the dates end
    items = [hit for hit in results.results if hit.published]
    context.update(
        items=items, start=(page - 1) * PAGE_SIZE + 1,
        facets=facet_links(results.facets, category, lambda c: news_url(query, c)),
        previous=news_url(query, category, page - 1) if page > 1 else None,
        next=news_url(query, category, page + 1) if len(items) == PAGE_SIZE and page < API_MAX_PAGE else None,
        clear_url=news_url(query),
    )
    return render(request, "actualites.html", context)
