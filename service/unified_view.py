"""The unified view's data, from our hits and the engines' results: pure, tested without HTTP.

What the view shows is described in :mod:`service.unified`, which fetches its inputs;
the page includes ``_unified.html`` with the :class:`UnifiedView` built here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup, escape

from ranking import (
    OWN_ENGINE,
    VERTICALS,
    EngineResult,
    HitLike,
    Mode,
    RankedResult,
    ResultView,
    TrustTable,
    merge_annotated,
    rerank,
)
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
               vertical: ResultView | None = None) -> UnifiedView:
    """The view's data from our hits and the engines' results (pure)."""
    params = params or {"q": query}
    # the engines' results are collapsed and screened once: the counts, the "tous" list and the
    # trusted view's fusion all come from this one re-ranking
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
        shown = merge_annotated(annotated, own, table)
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
