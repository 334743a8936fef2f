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

``search_page`` calls :func:`unified_view` (found by ``create_app``) with the
request, the query and our index's results; the page includes
``_unified.html`` with the returned ``unified``.  :func:`build_view` is the
pure part, tested without HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import Request
from markupsafe import Markup, escape

from ranking import (
    OWN_ENGINE,
    VERTICALS,
    EngineResult,
    HitLike,
    Mode,
    RankedResult,
    TrustTable,
    Vertical,
    rerank,
)
from ranking.errors import ProviderError, ProviderRateLimited, ProviderTimeout
from ranking.providers import Guarded, MarginaliaProvider, Provider, SearxngProvider
from service.verticals import label

VIEWS: tuple[str, ...] = ("confiance", "tous", *VERTICALS)
#: hits of our index fused in the trusted view and in the verticals
OWN_LIMIT = 20


@dataclass(slots=True)
class Item:
    """One result as the template shows it (snippets already safe to insert)."""

    url: str
    title: str
    snippet: Markup
    trusted: bool
    category: str | None
    label: str
    name: str | None
    domain: str | None
    engines: list[str]
    published: str | None = None


@dataclass(slots=True)
class UnifiedView:
    query: str
    view: str
    items: list[Item]
    total: int
    trusted_count: int
    by_category: dict[str, int]
    removed: int
    upstreams: list[str]
    notices: list[str] = field(default_factory=list)
    #: the "Tous | Sources de confiance" switch and the verticals: label, url, current
    switch: list[dict[str, Any]] = field(default_factory=list)
    verticals: list[dict[str, Any]] = field(default_factory=list)
    vertical_label: str | None = None

    @property
    def line(self) -> str:
        return summary_line(self.trusted_count, self.total)


def summary_line(trusted: int, total: int) -> str:
    """ "12 sources de confiance parmi les 59 premiers résultats", in correct French."""
    if total == 0:
        return "Aucun résultat des moteurs de recherche"
    sources = ("aucune source de confiance" if trusted == 0 else
               "1 source de confiance" if trusted == 1 else f"{trusted} sources de confiance")
    among = "parmi le premier résultat" if total == 1 else f"parmi les {total} premiers résultats"
    return f"{sources} {among}"


def _item(result: RankedResult, published: Mapping[str, str] | None = None,
          own_snippets: Mapping[str, str] | None = None) -> Item:
    # our index's snippets are escaped HTML with <mark>; the engines' are plain text.  Decided
    # by the text itself, not by the engine's name, which an upstream's JSON could forge.
    own = own_snippets is not None and own_snippets.get(result.url) == result.snippet
    snippet = Markup(result.snippet) if own else escape(result.snippet)
    return Item(result.url, result.title or result.url, snippet, result.trusted, result.category,
                label(result.category) if result.trusted and result.category else "Source non vérifiée",
                result.name, result.domain,
                ["Sources de Confiance" if e == OWN_ENGINE else e for e in result.engines],
                (published or {}).get(result.url))


def view_url(params: Mapping[str, str], view: str) -> str:
    kept = {k: v for k, v in params.items() if k not in ("vue", "page")}
    kept["vue"] = view
    return "/recherche?" + urlencode(kept)


def build_view(query: str, own: Sequence[HitLike], engine_results: Sequence[EngineResult],
               table: TrustTable, *, view: str = "confiance", upstreams: Sequence[str] = (),
               notices: Sequence[str] = (), params: Mapping[str, str] | None = None,
               vertical: Vertical | None = None) -> UnifiedView:
    """The view's data from our hits and the engines' results (pure)."""
    params = params or {"q": query}
    annotated = rerank(engine_results, table, Mode.ANNOTATE)
    if vertical is not None and vertical.dated_only:
        # newest first as the index sorted them: screened, not re-ordered
        mine = [EngineResult(h.url, h.title, h.snippet, OWN_ENGINE, i) for i, h in enumerate(own, 1)]
        shown = rerank(mine, table, Mode.FILTER).results
    elif vertical is not None:
        inside = [r for r in engine_results if vertical.matches(table.lookup(r.url).host)]
        shown = rerank(inside, table, Mode.MERGE, own=own).results
    elif not upstreams:
        shown = []  # our own results are the page itself
    elif view == "tous":
        shown = annotated.results
    else:
        shown = rerank(engine_results, table, Mode.MERGE, own=own).results
    published = {h.url: str(getattr(h, "published", "") or "") for h in own
                 if getattr(h, "published", None)}
    switch = [{"label": "Tous", "url": view_url(params, "tous"), "current": view == "tous"},
              {"label": "Sources de confiance", "url": view_url(params, "confiance"),
               "current": view == "confiance"}] if upstreams else []
    verticals = [{"label": v.label, "url": view_url(params, v.slug), "current": v is vertical}
                 for v in VERTICALS.values()]
    own_snippets = {h.url: h.snippet for h in own}
    return UnifiedView(query, view, [_item(r, published, own_snippets) for r in shown], annotated.total,
                       annotated.trusted_count, annotated.by_category, len(annotated.removed),
                       list(upstreams), list(notices), switch, verticals,
                       vertical.label if vertical else None)


# -- I/O: settings, upstreams, index -----------------------------------------------


def providers_from_settings(settings: Any, client: httpx.AsyncClient | None = None) -> list[Provider]:
    """The upstreams the settings configure (none: the unified view is off)."""
    found: list[Provider] = []
    if getattr(settings, "searxng_url", None):
        found.append(SearxngProvider(settings.searxng_url, timeout=settings.upstream_timeout,
                                     client=client))
    if getattr(settings, "marginalia_api_key", None):
        found.append(MarginaliaProvider(settings.marginalia_api_key,
                                        timeout=settings.upstream_timeout, client=client))
    return found


def notice_for(error: ProviderError) -> str:
    """The visible notice when an upstream failed: our index only, and why, in French."""
    why = ("n'a pas répondu à temps" if isinstance(error, ProviderTimeout) else
           "limite le nombre de recherches pour le moment" if isinstance(error, ProviderRateLimited)
           else "est indisponible")
    return (f"Le moteur externe {error.provider} {why} : "
            "seuls les résultats de notre index sont affichés.")


async def gather_engines(providers: Sequence[Provider], query: str
                         ) -> tuple[list[EngineResult], list[str]]:
    """Every provider's results, concatenated, and a notice per failed provider."""
    answers = await asyncio.gather(*(p.search(query) for p in providers), return_exceptions=True)
    results: list[EngineResult] = []
    notices: list[str] = []
    for provider, answer in zip(providers, answers, strict=True):
        if isinstance(answer, ProviderError):
            notices.append(notice_for(answer))
        elif isinstance(answer, BaseException):
            notices.append(notice_for(ProviderError(provider.name, str(answer))))
        else:
            results.extend(answer)
            failed = getattr(answer, "failed", ())
            if failed:
                names = ", ".join(name for name, _ in failed)
                notices.append(f"Via {provider.name}, ces moteurs n'ont pas répondu : {names}. "
                               "La liste des moteurs est incomplète.")
    return results, notices


def _providers(request: Request) -> list[Provider]:
    """The app's upstreams, built once from its settings and guarded (memory, back-off)."""
    state = request.app.state
    found: list[Provider] | None = getattr(state, "unified_providers", None)
    if found is None:
        settings = getattr(state, "settings", None)
        raw = providers_from_settings(settings) if settings is not None else []
        found = state.unified_providers = [Guarded(p) for p in raw]
    return found


async def own_hits(state: Any, query: str, *, sort: str = "relevance",
                   sites: Iterable[str] = ()) -> list[Any]:
    """Our index's first hits for ``query``, searched off the event loop; none without an index
    or when it fails (the unified view and ``merge`` then go on with the engines alone)."""
    kwargs: dict[str, Any] = {"limit": OWN_LIMIT, "sort": sort, "facets": False}
    if sites:
        kwargs["site"] = sorted(sites)  # the index ORs a list of sites
    try:
        found = await state.search(query, **kwargs)  # off the loop, checked against the registry
    except Exception:  # noqa: BLE001 - our index's trouble must not fail the page or the API
        return []
    return list(found.results)


async def _own_hits(request: Request, query: str, vertical: Vertical) -> list[Any]:
    hits = await own_hits(request.app.state.sdc, query, sort=vertical.sort, sites=vertical.hosts or ())
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
    providers = _providers(request)
    engine_results, notices = (await gather_engines(providers, q)) if providers else ([], [])
    if vertical is not None:
        own: Sequence[HitLike] = await _own_hits(request, q, vertical)
    else:
        own = list(getattr(results, "results", []))[:OWN_LIMIT]
    return build_view(q, own, engine_results, table, view=view,
                      upstreams=[p.name for p in providers], notices=notices, params=params,
                      vertical=vertical)
