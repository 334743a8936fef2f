"""The page footer says truthfully where a query goes."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from service.app import create_app
from tests.service.conftest import settings_for


def _footer(data_dir: Path, **settings: object) -> str:
    with TestClient(create_app(settings_for(data_dir, **settings))) as client:
        page = client.get("/").text
    return page[page.index("<footer"):]


def test_footer_says_no_third_party_without_upstream(built_data: Path) -> None:
    footer = _footer(built_data)
    assert "Aucune requête n'est transmise à un tiers." in footer
    assert "SearXNG" not in footer


def test_footer_names_the_upstreams_a_query_goes_to(built_data: Path) -> None:
    footer = _footer(built_data, searxng_url="http://127.0.0.1:9/", marginalia_api_key="k")
    assert "transmise à un tiers" not in footer
    assert "votre recherche est aussi transmise à : SearXNG, Marginalia." in footer


def test_footer_says_when_queries_are_logged(built_data: Path) -> None:
    assert "Aucune requête n'est enregistrée." in _footer(built_data, log_queries=False)
    logged = _footer(built_data, log_queries=True)
    assert "Aucune requête n'est enregistrée" not in logged
    assert "Les requêtes sont inscrites au journal du serveur" in logged
