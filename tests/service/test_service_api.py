"""The JSON API over a real tantivy index built from the test pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from service.models import ClassificationPublic, SearchResultsPublic, SourcePublic, StatsPublic

SITES = {"www.caf.fr", "www.lyon.fr", "www.ameli.fr", "www.univ-exemple.fr"}
NAMES = {"Caisse d'allocations familiales", "Ville de Lyon", "Assurance maladie", "Université Exemple"}
XSS_TITLE = "<script>alert(1)</script>"


def test_search_returns_results_with_sources_and_facets(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "allocations familiales"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data = response.json()
    SearchResultsPublic.model_validate(data)
    assert data["query"] == "allocations familiales"
    assert data["total"] >= 15
    assert len(data["results"]) == 10
    first = data["results"][0]
    assert set(first) >= {"url", "title", "snippet", "domain", "category", "name", "score"}
    assert "<mark>" in "".join(hit["snippet"] for hit in data["results"])
    assert first["name"] in NAMES
    assert set(data["facets"]["category"]) >= {"etat", "commune", "sante", "enseignement-superieur"}
    assert sum(data["facets"]["category"].values()) == data["total"]


def test_search_answers_what_the_results_say(client: TestClient) -> None:
    """The API writes the hits' public fields itself (service.responses.search_payload): the same
    JSON as ``SearchResults.to_dict``, dates as ISO 8601, no field the schema does not name."""
    state = client.app.state.sdc  # type: ignore[attr-defined]
    for params in ({"q": "allocations familiales"}, {"q": "allocations", "category": "commune", "limit": 3},
                   {"q": "alerte sécurité"}):
        expected = state.search_now(params["q"], category=[params["category"]] if "category" in params
                                    else None, site=None, page=1, limit=params.get("limit", 10)).to_dict()
        expected["facets"] = {"category": expected["facets"]}
        data = client.get("/api/search", params=params).json()
        data.pop("took_ms"), expected.pop("took_ms")
        assert data == expected


def test_search_filters_by_category_site_and_paginates(client: TestClient) -> None:
    only = client.get("/api/search", params={"q": "allocations familiales", "category": "commune"}).json()
    assert only["results"] and {hit["category"] for hit in only["results"]} == {"commune"}
    # facets ignore the category filter: the other categories stay countable
    assert len(only["facets"]["category"]) >= 4
    site = client.get("/api/search", params={"q": "allocations", "site": "ameli.fr"}).json()
    assert {hit["domain"] for hit in site["results"]} == {"ameli.fr"}
    page1 = client.get("/api/search", params={"q": "allocations familiales", "limit": 5}).json()
    page2 = client.get("/api/search", params={"q": "allocations familiales", "limit": 5, "page": 2}).json()
    assert page2["page"] == 2 and len(page2["results"]) == 5
    assert not {h["url"] for h in page1["results"]} & {h["url"] for h in page2["results"]}


def test_search_returns_indexed_markup_as_data(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "alerte sécurité"}).json()
    hit = next(h for h in data["results"] if h["url"] == "https://www.lyon.fr/alerte")
    assert hit["title"] == XSS_TITLE  # JSON carries the text; the page escapes it
    assert "<img" not in hit["snippet"] and "&lt;img" in hit["snippet"]


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 2000}, "q"),
        ({}, "q"),
        ({"q": "a", "page": "deux"}, "page"),
        ({"q": "a", "page": 0}, "page"),
        ({"q": "a", "limit": 1000}, "limit"),
        ({"q": "a", "category": "boulangerie"}, "category"),
    ],
)
def test_bad_search_input_is_a_4xx_naming_the_problem(client: TestClient, params: dict[str, object],
                                                      word: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert word in str(response.json()["detail"])


def test_classify_keeps_order_and_says_why(client: TestClient) -> None:
    urls = ["https://www.lyon.fr/x", "https://evil.example.com/", "pas une url",
            "https://impots.gouv.fr/", "https://www.caf.fr/"]
    response = client.post("/api/classify", json={"urls": urls})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["url"] for r in results] == urls
    for result in results:
        ClassificationPublic.model_validate(result)
    assert [r["trusted"] for r in results] == [True, False, False, True, True]
    assert results[0]["category"] == "commune" and results[0]["name"] == "Ville de Lyon"
    assert results[1]["reason"] == "not in registry"


def test_classify_one_url(client: TestClient) -> None:
    data = client.get("/api/classify", params={"url": "https://www.ameli.fr/assure"}).json()
    assert data["trusted"] is True and data["category"] == "sante" and data["domain"] == "ameli.fr"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"json": {"urls": ["https://a.fr/"] * 1001}}, 422),
        ({"json": {"urls": "https://a.fr/"}}, 422),
        ({"json": {"urls": [1, 2]}}, 422),
        ({"json": {"url": ["https://a.fr/"]}}, 422),
        ({"content": b"{not json", "headers": {"content-type": "application/json"}}, 422),
        ({"content": b"", "headers": {"content-type": "application/json"}}, 422),
    ],
)
def test_bad_classify_input_is_a_422(client: TestClient, kwargs: dict[str, object], status: int) -> None:
    response = client.post("/api/classify", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.json()["detail"]


def test_classify_accepts_a_thousand_urls(client: TestClient) -> None:
    urls = [f"https://www.lyon.fr/{i}" for i in range(1000)]
    results = client.post("/api/classify", json={"urls": urls}).json()["results"]
    assert len(results) == 1000 and all(r["trusted"] for r in results)


def test_sources_describes_a_domain_with_provenance(client: TestClient) -> None:
    response = client.get("/api/sources/lyon.fr")
    assert response.status_code == 200
    data = SourcePublic.model_validate(response.json())
    assert data.domain == "lyon.fr"
    assert [c["host"] for c in data.curated] == ["www.lyon.fr"]
    assert data.curated[0]["action"] == "allow"
    invalid = client.get("/api/sources/127.0.0.1")
    assert invalid.status_code == 422 and "IP address" in invalid.json()["detail"]


def test_stats_count_classified_urls_without_storing_them(client: TestClient, built_data) -> None:
    before = client.get("/api/stats").json()
    StatsPublic.model_validate(before)
    client.post("/api/classify", json={"urls": ["https://www.lyon.fr/", "https://secret.example/"]})
    after = client.get("/api/stats").json()
    assert after["documents"] == before["documents"] > 0
    assert after["registry_entries"] == client.app.state.sdc.classifier.entry_count >= 2
    usage, old = after["classified"], before["classified"]
    assert usage["classified_this_month"] - old["classified_this_month"] == 2
    assert usage["trusted_total"] - old["trusted_total"] == 1
    stored = b"".join(p.read_bytes() for p in built_data.glob("usage.sqlite3*"))
    assert b"secret.example" not in stored and b"lyon" not in stored


def test_suggest_speaks_opensearch_suggestions(client: TestClient) -> None:
    response = client.get("/api/suggest", params={"q": "allocat"})
    assert response.status_code == 200
    query, completions = response.json()
    assert query == "allocat"
    assert completions and all(isinstance(c, str) for c in completions)
    assert any("alloc" in c.lower() for c in completions)
    assert client.get("/api/suggest", params={"q": ""}).json() == ["", []]


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/search", "/api/classify", "/api/sources/{domain}", "/api/stats",
            "/api/suggest", "/healthz", "/opensearch.xml"} <= set(paths)
    # the curator API is described, but answers nothing without a curator
    denied = client.post("/api/curator/deny", json={"host": "www.lyon.fr", "reason": "x"})
    assert denied.status_code in (401, 404)
