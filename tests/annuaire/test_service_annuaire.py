"""The Annuaire in the service: /api/annuaire, the office card, the Annuaire view, error pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.routers.annuaire import card
from service.settings import Settings
from sources.annuaire import import_annuaire, read_offices
from tests.service.conftest import build


@pytest.fixture(scope="module")
def annuaire_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The service tests' registry and index, plus a small Annuaire and its tantivy index (the
    phone tests, tests/service/test_page_phone.py, serve one without: the FTS5 fallback)."""
    from index.office_index import build as build_office_index
    from sources.annuaire import AnnuaireStore
    from tests.annuaire.conftest import write_csv

    data_dir = tmp_path_factory.mktemp("annuaire-service")
    build(data_dir)
    import_annuaire(data_dir, str(write_csv(data_dir / "annuaire.csv")))
    with AnnuaireStore(data_dir, readonly=True) as store:  # as `sdc annuaire import` does
        build_office_index(store, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def client(annuaire_data: Path) -> Iterator[TestClient]:
    settings = Settings(data_dir=annuaire_data, shared_dir=annuaire_data / "no-shared")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_api_answers_the_documented_shape(client: TestClient) -> None:
    answer = client.get("/api/annuaire", params={"q": "mairie de billiers", "limit": 3})
    assert answer.status_code == 200
    data = answer.json()
    assert data["query"] == "mairie de billiers" and data["total"] == len(data["results"]) >= 1
    office = data["results"][0]
    assert {"id", "name", "type", "address", "postcode", "commune", "insee", "phone", "email", "website",
            "hours", "updated", "source_url"} <= set(office)
    assert (office["id"], office["address"]["street"], office["insee"]) == (
        "mairie-56018-01", "26 rue du Penher", "56018")
    assert office["source_url"].startswith("https://lannuaire.service-public.fr/")
    filtered = client.get("/api/annuaire", params={"q": "sainte anne", "type": "gendarmerie"}).json()
    assert {o["type"] for o in filtered["results"]} == {"gendarmerie"}
    schema = client.get("/api/openapi.json").json()
    assert "/api/annuaire" in schema["paths"]
    assert "OfficePublic" in schema["components"]["schemas"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 501}, {"q": "a", "limit": 0},
                                    {"q": "a", "limit": 51}, {"q": "a", "limit": "beaucoup"}])
def test_api_refuses_bad_input_with_json(client: TestClient, params: dict[str, object]) -> None:
    answer = client.get("/api/annuaire", params=params, headers={"accept": "text/html"})
    assert answer.status_code == 422 and "detail" in answer.json()


def test_api_without_an_annuaire_says_so(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, shared_dir=tmp_path / "no-shared")
    with TestClient(create_app(settings)) as empty:
        answer = empty.get("/api/annuaire", params={"q": "mairie"})
        assert answer.status_code == 503 and "sdc annuaire import" in answer.json()["detail"]
        page = empty.get("/recherche/annuaire", params={"q": "mairie"})
        assert page.status_code == 503 and "pas disponible" in page.text


def test_the_search_page_shows_the_office_card_above_the_results(client: TestClient) -> None:
    page = client.get("/recherche", params={"q": "mairie de lyon"})
    assert page.status_code == 200
    html = page.text
    assert 'class="office"' in html and "Mairie - Lyon" in html
    assert 'href="tel:0472103030"' in html and 'href="mailto:contact@lyon.fr"' in html
    assert "lannuaire.service-public.fr" in html
    assert html.index('class="office"') < html.index('class="results"')
    plain = client.get("/recherche", params={"q": "allocations familiales"}).text
    assert 'class="office"' not in plain


def test_the_views_row_is_labelled_and_stays_on_later_pages(client: TestClient) -> None:
    for page in (1, 2):
        html = client.get("/recherche", params={"q": "allocations familiales", "page": page}).text
        assert 'id="titre-vues"' in html and "Vues" in html
        assert "/recherche/annuaire?q=allocations+familiales" in html


def test_a_tab_equal_to_all_is_not_shown(client: TestClient) -> None:
    # every "prothèses" page is on ameli.fr (santé): the Santé tab would repeat "Tous"
    html = client.get("/recherche", params={"q": "prothèses auditives"}).text
    assert ">Santé <" not in html


def test_the_annuaire_view_lists_offices(client: TestClient) -> None:
    html = client.get("/recherche/annuaire", params={"q": "gendarmerie sainte anne"}).text
    assert html.count('class="office"') == 2
    assert html.index("Sainte-Anne</h2>") < html.index("Saint-Benoît</h2>")
    assert 'aria-current="page">Annuaire' in html
    none = client.get("/recherche/annuaire", params={"q": "zzzz"}).text
    assert "Aucun service" in none


def test_the_card_gives_todays_hours(dila_json: Path) -> None:
    [office] = read_offices(str(dila_json))
    monday = card(office, datetime(2026, 12, 7, 10, 0))
    assert (monday["today"], monday["today_hours"]) == ("lundi", ["16 h 30 – 18 h 30"])
    sunday = card(office, datetime(2026, 12, 6, 10, 0))
    assert sunday["hours_known"] and sunday["today_hours"] == []


def test_browsers_get_french_error_pages_and_api_clients_json(client: TestClient) -> None:
    page = client.get("/pas-une-page", headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "Page introuvable" in page.text and 'id="q"' in page.text  # the skip link's target
    assert client.get("/pas-une-page").json() == {"detail": "Not Found"}
    assert client.get("/api/pas-une-page", headers={"accept": "text/html"}).headers[
        "content-type"].startswith("application/json")
    bad = client.get("/recherche", params={"q": "a", "page": "deux"})
    assert bad.status_code == 422 and "Recherche non valide" in bad.text and 'id="q"' in bad.text


def test_add_the_search_engine_page(client: TestClient) -> None:
    home = client.get("/").text
    assert 'href="/moteur-de-recherche"' in home
    assert 'rel="search" type="application/opensearchdescription+xml"' in home
    page = client.get("/moteur-de-recherche").text
    assert "Firefox" in page and "Chrome" in page and "Activer" in page


def test_dates_are_french(client: TestClient) -> None:
    from service.templating import date_fr

    assert date_fr("2026-12-03") == "3 décembre 2026" and date_fr("2008-05-01") == "1er mai 2008"
    html = client.get("/recherche", params={"q": "allocations familiales"}).text
    assert "publié le" in html and "2024-0" not in html.split("<time")[1].split("</time>")[0][-12:]

