"""The unified view's data (pure) and its template partial."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ranking import EngineResult, TrustTable
from ranking.errors import ProviderRateLimited, ProviderTimeout, ProviderUnavailable
from ranking.verticals import ACTUALITES, TEXTES
from service.templating import environment
from service.unified_view import build_view, summary_line
from service.upstreams import notice_for


@dataclass
class Hit:
    url: str
    title: str
    snippet: str
    published: date | None = None


ENGINES = [
    EngineResult("https://www.cartegrise.com/", "<script>alert(1)</script>", "<b>pub</b>", "google", 1),
    EngineResult("https://www.service-public.fr/N367", "Carte grise", "Démarches", "google", 2),
    EngineResult("https://www.legifrance.gouv.fr/codes/R322-1", "Article R322-1", "Code de la route",
                 "bing", 1),
    EngineResult("https://impots-gouv-remboursement.fr/", "Remboursement", "", "bing", 2),
]
OWN = [Hit("https://www.caf.fr/a", "Caf", "les <mark>allocations</mark>", date(2026, 3, 1)),
       Hit("https://www.insee.fr/s", "Insee", "chiffres", date(2025, 1, 1)),
       Hit("https://www.paris.fr/x", "Paris", "sans date")]


@pytest.mark.parametrize("trusted, total, line", [
    (12, 59, "12 sources de confiance parmi les 59 premiers résultats"),
    (1, 10, "1 source de confiance parmi les 10 premiers résultats"),
    (0, 3, "aucune source de confiance parmi les 3 premiers résultats"),
    (1, 1, "1 source de confiance parmi le premier résultat"),
    (0, 0, "Aucun résultat des moteurs de recherche"),
])
def test_summary_line(trusted: int, total: int, line: str) -> None:
    assert summary_line(trusted, total) == line


def test_trusted_view_merges(table: TrustTable) -> None:
    view = build_view("carte grise", OWN, ENGINES, table, upstreams=["SearXNG"])
    assert view.line == "2 sources de confiance parmi les 4 premiers résultats"
    assert view.removed == 1
    assert all(item.trusted for item in view.items)
    assert {item.url for item in view.items} == {
        "https://www.caf.fr/a", "https://www.insee.fr/s", "https://www.paris.fr/x",
        "https://www.service-public.fr/N367", "https://www.legifrance.gouv.fr/codes/R322-1"}
    assert [s["current"] for s in view.switch] == [False, True]
    assert view.switch[0]["url"] == "/recherche?q=carte+grise&vue=tous"


def test_all_view_lists_the_engines_with_badges(table: TrustTable) -> None:
    view = build_view("carte grise", OWN, ENGINES, table, view="tous", upstreams=["SearXNG"])
    assert [item.url for item in view.items] == [r.url for r in ENGINES[:3]]
    assert [item.label for item in view.items] == ["Source non vérifiée", "Autre organisme public",
                                                   "État"]


def test_without_upstreams_nothing_but_verticals(table: TrustTable) -> None:
    view = build_view("carte grise", OWN, [], table)
    assert view.items == [] and view.switch == [] and len(view.verticals) == 2


def test_vertical_reference_texts(table: TrustTable) -> None:
    view = build_view("q", [OWN[1]], ENGINES, table, view="textes", vertical=TEXTES,
                      upstreams=["SearXNG"])
    assert [i.url for i in view.items] == ["https://www.insee.fr/s",
                                           "https://www.legifrance.gouv.fr/codes/R322-1"]
    assert view.vertical_label == "Textes de référence"


def test_vertical_news_keeps_the_index_date_order(table: TrustTable) -> None:
    view = build_view("q", OWN[:2], ENGINES, table, view="actualites", vertical=ACTUALITES)
    assert [(i.url, i.published) for i in view.items] == [
        ("https://www.caf.fr/a", "2026-03-01"), ("https://www.insee.fr/s", "2025-01-01")]


def test_notices_in_french() -> None:
    assert "n'a pas répondu à temps" in notice_for(ProviderTimeout("SearXNG", "x"))
    assert "limite" in notice_for(ProviderRateLimited("SearXNG", "x"))
    assert notice_for(ProviderUnavailable("Marginalia", "x")).startswith("Le moteur externe Marginalia")


def test_partial_escapes_engine_text_and_keeps_index_marks(table: TrustTable) -> None:
    template = environment().get_template("_unified.html")
    tous = build_view("q", OWN, ENGINES, table, view="tous", upstreams=["SearXNG"],
                      notices=["Le moteur <b>X</b> est indisponible"])
    html = template.render(unified=tous)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;pub&lt;/b&gt;" in html and "&lt;b&gt;X&lt;/b&gt;" in html
    assert "badge--inconnue" in html and "badge--etat" in html
    merged = template.render(unified=build_view("q", OWN, ENGINES, table, upstreams=["SearXNG"]))
    assert "les <mark>allocations</mark>" in merged
    assert template.render(unified=None).strip() == ""
