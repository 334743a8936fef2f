"""The search page's tabs (``?onglet=``): groups of registry categories that filter our own index.

Not the unified view's verticals (:class:`ranking.verticals.ResultView`, ``?vue=``), which select
trusted results by host or date.

Each tab filters the search to its categories; a tab whose categories hold no
document in the index is not shown (the page only offers what it can serve).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sources import LABELS, Category


@dataclass(frozen=True, slots=True)
class CategoryTab:
    slug: str
    label: str
    categories: tuple[Category, ...]

    @property
    def values(self) -> list[str]:
        return [c.value for c in self.categories]


ALL = CategoryTab("tous", "Tous", ())

TABS: tuple[CategoryTab, ...] = (
    ALL,
    CategoryTab("etat", "État et opérateurs",
             (Category.ETAT, Category.PREFECTURE, Category.AMBASSADE, Category.AUTRE_PUBLIC)),
    CategoryTab("collectivites", "Collectivités",
             (Category.COMMUNE, Category.INTERCOMMUNALITE, Category.DEPARTEMENT, Category.REGION,
              Category.COLLECTIVITE)),
    CategoryTab("enseignement", "Enseignement et recherche",
             (Category.ENSEIGNEMENT_SUPERIEUR, Category.ETABLISSEMENT_SCOLAIRE, Category.ACADEMIE)),
    CategoryTab("sante", "Santé", (Category.SANTE,)),
    CategoryTab("international", "International",
             (Category.INSTITUTION_INTERNATIONALE, Category.ETAT_ETRANGER)),
)

BY_SLUG: dict[str, CategoryTab] = {v.slug: v for v in TABS}


def available(counts: Mapping[str, int] | None) -> list[CategoryTab]:
    """The tabs to show, given document counts by category (``None``: unknown, show all)."""
    if counts is None:
        return list(TABS)
    return [v for v in TABS if v is ALL or any(counts.get(c, 0) for c in v.values)]


def label(category: str | None) -> str:
    """French label of a category value (the value itself when unknown)."""
    if not category:
        return "Source non classée"
    try:
        return LABELS[Category(category)]
    except ValueError:
        return category


def facet_links(facets: Mapping[str, int], category: str | None, url: Callable[[str | None], str],
                tab: CategoryTab = ALL) -> list[dict[str, Any]]:
    """The category facets of a result page (the results page's, the news page's): the tab's
    categories holding results, most first; a facet's ``url(category)`` chooses it, or removes
    it (``url(None)``) when it is the chosen one."""
    allowed = set(tab.values) if tab is not ALL else None
    items = sorted(((value, count) for value, count in facets.items()
                    if count and (allowed is None or value in allowed)), key=lambda kv: (-kv[1], kv[0]))
    return [{"value": value, "label": label(value), "count": count, "selected": value == category,
             "url": url(None if value == category else value)} for value, count in items]
