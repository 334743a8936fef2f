"""The "Actualités officielles" view: dated pages only, newest first, French dates, categories."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def dates(html: str) -> list[str]:
    return re.findall(r'<time datetime="([0-9-]+)">', html)


def test_news_are_dated_newest_first_in_french(client: TestClient) -> None:
    page = client.get("/recherche/actualites", params={"q": "allocations familiales"})
    assert page.status_code == 200
    found = dates(page.text)
    assert len(found) == 10 and found == sorted(found, reverse=True)
    assert "publié le <time" in page.text and "mai 2024" in page.text
    assert ">2024-" not in page.text  # the dates are written in French, not ISO
    assert 'aria-current="page">Actualités officielles' in page.text
    assert "Actualités plus anciennes" in page.text


def test_news_filter_by_category_and_go_to_older_ones(client: TestClient) -> None:
    sante = client.get("/recherche/actualites", params={"q": "allocations familiales", "categorie": "sante"})
    assert sante.status_code == 200
    assert set(re.findall(r'class="badge badge--([a-z-]+)"', sante.text)) == {"sante"}
    assert 'aria-current="true"' in sante.text
    older = client.get("/recherche/actualites", params={"q": "allocations familiales", "page": 2})
    first, second = dates(client.get("/recherche/actualites", params={"q": "allocations familiales"}).text), \
        dates(older.text)
    assert second and max(second) <= min(first)


def test_undated_pages_are_not_news(client: TestClient) -> None:
    html = client.get("/recherche/actualites", params={"q": "prothèses auditives"}).text
    assert "Prothèses auditives" not in html and "Aucune actualité" in html


def test_bad_input_is_a_french_page(client: TestClient) -> None:
    for params in ({"q": "a", "categorie": "inconnue"}, {"q": "a", "page": 0}):
        page = client.get("/recherche/actualites", params=params)
        assert page.status_code == 422 and "text/html" in page.headers["content-type"]
