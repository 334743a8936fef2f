"""The search page as HTML: French, escaped, filtered, paginated, safe headers."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.security import CSP


def test_home_is_a_french_search_form_with_autodiscovery(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="fr">' in html
    assert '<form class="search" role="search" action="/recherche" method="get">' in html
    assert '<label for="q"' in html
    assert ('<link rel="search" type="application/opensearchdescription+xml" '
            'title="Sources de Confiance" href="/opensearch.xml">') in html
    assert 'href="#contenu"' in html  # skip link


def test_results_page_shows_results_badges_count_and_time(client: TestClient) -> None:
    html = client.get("/recherche", params={"q": "allocations familiales"}).text
    assert "résultats" in html and "pour « <strong>allocations familiales</strong> »" in html
    assert re.search(r"\((\d+ ms|moins d'une milliseconde)\)", html)
    assert html.count('<li class="hit">') == 10
    assert "<mark>" in html
    assert 'class="badge badge--commune">Commune</span>' in html
    assert "Ville de Lyon" in html
    assert 'aria-label="Pagination"' in html and 'rel="next"' in html
    assert 'aria-current="page"' in html  # the "Tous" tab and page 1


def test_tabs_facets_and_filters(client: TestClient) -> None:
    html = client.get("/recherche", params={"q": "allocations familiales"}).text
    for label in ("Tous", "État et opérateurs", "Collectivités", "Enseignement et recherche", "Santé"):
        assert f">{label} <span" in html
    assert "International" not in html  # no document of that vertical in the index
    assert "Filtrer par catégorie" in html
    filtered = client.get("/recherche", params={"q": "allocations familiales", "categorie": "sante"}).text
    assert "badge--commune" not in filtered and "badge--sante" in filtered
    assert "Retirer tous les filtres" in filtered
    tab = client.get("/recherche", params={"q": "allocations familiales", "onglet": "collectivites"}).text
    assert set(re.findall(r'class="badge badge--([a-z-]+)"', tab)) == {"commune"}
    page2 = client.get("/recherche", params={"q": "allocations familiales", "page": 2}).text
    assert 'rel="prev"' in page2 and '<ol class="hits" start="11">' in page2


def test_indexed_markup_is_shown_as_text(client: TestClient) -> None:
    html = client.get("/recherche", params={"q": "alerte sécurité"}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<script" not in html  # the page has no script at all


def test_no_result_suggests_removing_filters_and_accents(client: TestClient) -> None:
    html = client.get("/recherche", params={"q": "xylophone quantique", "categorie": "sante"}).text
    assert "Aucun résultat" in html
    assert "Retirer les filtres" in html and "sans accents" in html


def test_bad_page_input_gets_a_french_error_page(client: TestClient) -> None:
    for params in ({"q": "x" * 2000}, {"q": "a", "page": "deux"}, {"q": "a", "categorie": "boulangerie"}):
        response = client.get("/recherche", params=params)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("text/html")
        assert "Un paramètre de la recherche" in response.text
    assert "Aucune page" not in client.get("/recherche", params={"q": ""}).text  # empty: the form


def test_every_response_carries_a_strict_csp(client: TestClient) -> None:
    for path in ("/", "/recherche?q=allocations", "/api/search?q=a", "/static/sdc.css", "/nope"):
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in CSP and "frame-ancestors 'none'" in CSP
    assert "http" not in CSP  # no third-party origin allowed


def test_pages_request_nothing_from_elsewhere(client: TestClient) -> None:
    html = client.get("/recherche", params={"q": "allocations familiales"}).text
    for attribute in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert attribute.startswith(("/", "#")) or attribute.startswith("https://www."), attribute
    assert not re.findall(r'(?:src)="https?://', html)  # only result links leave the site
    css = client.get("/static/sdc.css").text
    assert "url(" not in css and "@import" not in css


def test_empty_service_says_what_is_missing(empty_client: TestClient) -> None:
    page = empty_client.get("/recherche", params={"q": "allocations"})
    assert page.status_code == 503
    assert "La recherche n'est pas encore disponible" in page.text
    api = empty_client.get("/api/search", params={"q": "allocations"})
    assert api.status_code == 503 and "no search index" in api.json()["detail"]
    assert empty_client.get("/api/suggest", params={"q": "allo"}).json() == ["allo", []]
    health = empty_client.get("/healthz").json()
    assert health["status"] == "degraded" and not health["index"]["loaded"]
    assert "sdc index add" in health["index"]["detail"]
    assert empty_client.post("/api/classify", json={"urls": ["https://www.gouv.fr/"]}).json()[
        "results"][0]["trusted"]


@given(q=st.text(max_size=600), page=st.integers(-3, 150), onglet=st.text(max_size=15),
       categorie=st.one_of(st.none(), st.sampled_from(["commune", "sante", "Santé", ""]),
                           st.text(max_size=12)))
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_any_page_request_gets_a_page_never_a_500(client: TestClient, q: str, page: int, onglet: str,
                                                  categorie: str | None) -> None:
    params: dict[str, object] = {"q": q, "page": page, "onglet": onglet}
    if categorie is not None:
        params["categorie"] = categorie
    response = client.get("/recherche", params=params)
    assert response.status_code in (200, 422)
    assert response.headers["content-type"].startswith("text/html")
    assert "<script" not in response.text
