"""The unified view of the search page: our index and the engines' trusted results, merged.

When an upstream is configured (``SDC_SEARXNG_URL``, ``SDC_MARGINALIA_API_KEY``)
the first results page gains, above our own results:

* the line "12 sources de confiance parmi les 59 premiers résultats";
* a "Tous | Sources de confiance" switch (``?vue=tous`` / ``?vue=confiance``):
  the engines' full list with a trust badge on each result, or our index's
  hits fused with the engines' trusted results by reciprocal rank fusion;
* a notice when an upstream failed ("Résultats de notre index seulement").

The verticals "Textes de référence" (``?vue=textes``) and "Actualités
officielles" (``?vue=actualites``) need no upstream: they query our index
(by host group, or by date) and add the engines' results of the group.

``search_page`` calls :func:`unified_view` with the request, the query and our
index's results; the page includes ``_unified.html`` with the returned view.
Three modules, one job each:

* :mod:`service.unified_view`: the view's data (:func:`build_view`), pure;
* :mod:`service.upstreams`: the engines, built once from the typed settings, one
  HTTP client for the app's life, closed by the app's lifespan;
* this module: the request's I/O (the engines' answers, our index's hits).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Request

from ranking import VERTICALS, HitLike, ResultView
from service.unified_view import OWN_LIMIT, VIEWS, UnifiedView, build_view
from service.upstreams import upstreams_of

__all__ = ["own_hits", "unified_view"]


async def own_hits(state: Any, query: str, *, sort: str = "relevance",
                   sites: Iterable[str] = (), kind: str | None = None) -> list[Any]:
    """Our index's first hits for ``query`` (of ``kind`` only when given), searched off the event
    loop; none without an index or when it fails (the unified view and ``merge`` then go on with
    the engines alone)."""
    kwargs: dict[str, Any] = {"limit": OWN_LIMIT, "sort": sort, "facets": False}
    if kind:
        kwargs["kind"] = kind
    if sites:
        kwargs["site"] = sorted(sites)  # the index ORs a list of sites
    try:
        found = await state.search(query, **kwargs)  # off the loop, checked against the registry
    except Exception:  # noqa: BLE001 - our index's trouble must not fail the page or the API
        return []
    return list(found.results)


async def _own_hits(request: Request, query: str, vertical: ResultView) -> list[Any]:
    # the dated vertical is the news: the items of the sites' feeds (index kind "news")
    hits = await own_hits(request.app.state.sdc, query, sort=vertical.sort, sites=vertical.hosts or (),
                          kind="news" if vertical.dated_only else None)
    return [h for h in hits if getattr(h, "published", None)] if vertical.dated_only else hits


async def unified_view(request: Request, q: str, results: Any) -> UnifiedView | None:
    """The unified block for ``/recherche`` (first page only), or None when there is nothing to add."""
    if request.query_params.get("page", "1") not in ("", "1"):
        return None
    table = request.app.state.sdc.trust_table()
    requested = request.query_params.get("vue", "confiance")
    view = requested if requested in VIEWS else "confiance"
    vertical = VERTICALS.get(view)
    params = {k: v for k, v in request.query_params.items() if k in ("q", "onglet", "categorie")}
    upstreams = upstreams_of(request.app)
    engine_results, notices = await upstreams.search(q)
    if vertical is not None:
        own: Sequence[HitLike] = await _own_hits(request, q, vertical)
    else:
        own = list(getattr(results, "results", []))[:OWN_LIMIT]
    return build_view(q, own, engine_results, table, view=view, upstreams=upstreams.names,
                      notices=notices, params=params, vertical=vertical)
