"""The agents' search page: server-rendered French HTML that works without JavaScript.

``/`` shows the search box; ``/recherche?q=...&onglet=...&categorie=...&page=...``
shows one page of results with the tabs (verticals), the category facets and
the pagination.  Indexed text is escaped by Jinja's autoescaping; only the
index's snippets, already escaped with ``<mark>`` highlights, are marked safe.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from service.deps import StateDep
from service.errors import IndexUnavailable
from service.models import API_MAX_PAGE, MAX_QUERY_LENGTH
from service.routers.annuaire import office_card
from service.state import ServiceState
from service.unified import unified_view
from service.verticals import ALL, BY_SLUG, CategoryTab, available, facet_links, label
from sources import parse_category

router = APIRouter(tags=["pages"], include_in_schema=False)

PAGE_SIZE = 10
PAGE_WINDOW = 2  # page links shown on each side of the current one


def page_url(q: str, tab: str = ALL.slug, category: str | None = None, page: int = 1) -> str:
    params: dict[str, str | int] = {"q": q}
    if tab != ALL.slug:
        params["onglet"] = tab
    if category:
        params["categorie"] = category
    if page > 1:
        params["page"] = page
    return "/recherche?" + urlencode(params)


def pagination(q: str, tab: str, category: str | None, page: int, total: int) -> dict[str, Any]:
    last = max(1, min(API_MAX_PAGE, -(-total // PAGE_SIZE)))
    numbers = range(max(1, page - PAGE_WINDOW), min(last, page + PAGE_WINDOW) + 1)
    return {
        "current": page, "last": last,
        "previous": page_url(q, tab, category, page - 1) if page > 1 else None,
        "next": page_url(q, tab, category, page + 1) if page < last else None,
        "pages": [(n, page_url(q, tab, category, n)) for n in numbers],
    }


def tabs(state: ServiceState, q: str, current: CategoryTab, facets: dict[str, int]) -> list[dict[str, Any]]:
    out = []
    for vertical in available(state.category_counts()):
        count = sum(facets.values()) if vertical is ALL else sum(facets.get(c, 0)
                                                                 for c in vertical.values)
        out.append({"slug": vertical.slug, "label": vertical.label, "count": count,
                    "url": page_url(q, vertical.slug), "current": vertical is current})
    return out


async def unified_block(request: Request, q: str, results: Any) -> Any:
    """The unified view of ``service.unified`` (trusted web results, verticals), for a query."""
    return await unified_view(request, q, results) if q else None


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, state: StateDep) -> HTMLResponse:
    return request.app.state.render(request, "search.html", {"q": "", "searched": False})


@router.get("/recherche", response_class=HTMLResponse)
async def results_page(
    request: Request,
    state: StateDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    onglet: Annotated[str, Query(max_length=40)] = ALL.slug,
    categorie: Annotated[str | None, Query(max_length=60)] = None,
    page: Annotated[int, Query(ge=1, le=API_MAX_PAGE)] = 1,
) -> HTMLResponse:
    render = request.app.state.render
    query = q.strip()
    if not query:
        return render(request, "search.html", {"q": "", "searched": False})
    tab = BY_SLUG.get(onglet, ALL)
    category = parse_category(categorie).value if categorie else None  # unknown -> 422 page
    filters = [category] if category else (tab.values or None)
    context: dict[str, Any] = {"q": query, "searched": True, "tab": tab, "category": category,
                               "category_label": label(category) if category else None}
    try:
        results = await state.search(query, category=filters, page=page, limit=PAGE_SIZE)
    except IndexUnavailable:
        context["unavailable"] = True
        return render(request, "search.html", context, status=503)
    context.update(
        results=results,
        tabs=tabs(state, query, tab, results.facets),
        facets=facet_links(results.facets, category, lambda c: page_url(query, tab.slug, c), tab),
        pagination=pagination(query, tab.slug, category, page, results.total),
        clear_url=page_url(query),
        unified=await unified_block(request, query, results),
        office=await office_card(request, query) if page == 1 and not category else None,
    )
    return render(request, "search.html", context)
