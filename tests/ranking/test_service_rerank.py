"""``POST /api/rerank`` and the unified view, in the real app over a real index."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from index.documents import PageDocument
from index.writer import IndexWriter
from ranking import EngineResult
from service.app import create_app
from service.settings import Settings
from sources import Registry

PAGES = [
    PageDocument("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031688118",
                 "Article L521-1 du code de la sécurité sociale : allocations familiales",
                 "Les allocations familiales sont dues à partir du deuxième enfant à charge. " * 5,
                 published=date(2023, 1, 1), kind="news"),
    PageDocument("https://www.caf.fr/allocataires/allocations-familiales", "Les allocations familiales",
                 "Vous avez au moins deux enfants : les allocations familiales de la Caf. " * 5,
                 published=date(2026, 4, 1), kind="news"),
    PageDocument("https://www.service-public.fr/particuliers/vosdroits/F13213",
                 "Allocations familiales | Service-Public.fr",
                 "Les allocations familiales sont versées par la Caf ou la MSA. " * 5),
    PageDocument("https://www.insee.fr/fr/statistiques/prestations", "Prestations familiales en chiffres",
                 "Les allocations familiales en chiffres : bénéficiaires et montants. " * 5,
                 published=date(2025, 6, 1), kind="news"),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ranking-service")
    with Registry(path) as registry:
        for host, category in [("caf.fr", "autre-public"), ("service-public.fr", "autre-public"),
                               ("insee.fr", "autre-public"), ("paris.fr", "commune")]:
            registry.allow(host, "test", category)
        registry.deny("impots-gouv-remboursement.fr", "phishing")
        classifier = registry.classifier()
    with IndexWriter(path / "index", classifier) as writer:
        for page in PAGES:
            assert writer.add(page) == "added"
    return path


@pytest.fixture()
def make_client(data_dir: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        app = create_app(Settings(data_dir=data_dir, shared_dir=data_dir / "none", **settings))
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def as_json(results: list[EngineResult]) -> list[dict[str, Any]]:
    return [{"url": r.url, "title": r.title, "snippet": r.snippet, "engine": r.engine,
             "position": r.position} for r in results]


# -- POST /api/rerank --------------------------------------------------------------


def test_rerank_api_modes(make_client: Callable[..., TestClient],
                          serps: dict[str, list[EngineResult]]) -> None:
    client = make_client()
    results = as_json(serps["bing-impots"]) + [
        {"url": "https://impots-gouv-remboursement.fr/login", "engine": "bing", "position": 11}]
    annotated = client.post("/api/rerank", json={"query": "impôts", "results": results})
    assert annotated.status_code == 200
    assert annotated.headers["content-type"] == "application/json"
    body = annotated.json()
    assert body["mode"] == "annotate" and body["total"] == 10 and body["duplicates"] == 1
    assert body["trusted_count"] == 4 and sum(body["by_category"].values()) == 4
    assert [r["domain"] for r in body["removed"]] == ["impots-gouv-remboursement.fr"]
    first = body["results"][0]
    assert {"trusted", "domain", "category", "name", "engines"} <= first.keys()
    boosted = client.post("/api/rerank", json={"results": results, "mode": "boost"}).json()
    flags = [r["trusted"] for r in boosted["results"]]
    assert flags == sorted(flags, reverse=True)
    filtered = client.post("/api/rerank", json={"results": results, "mode": "filter"}).json()
    assert len(filtered["results"]) == 4


def test_rerank_agrees_with_classify(make_client: Callable[..., TestClient],
                                     serps: dict[str, list[EngineResult]]) -> None:
    client = make_client()
    for items in serps.values():
        ranked = client.post("/api/rerank", json={"results": as_json(items)}).json()["results"]
        classified = client.post("/api/classify", json={"urls": [r["url"] for r in ranked]})
        assert classified.status_code == 200
        assert [r["trusted"] for r in ranked] == [c["trusted"] for c in classified.json()["results"]]


def test_rerank_merge_uses_our_index(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    body = client.post("/api/rerank", json={
        "query": "allocations familiales", "mode": "merge",
        "results": [{"url": "https://www.cartegrise.com/", "engine": "google", "position": 1},
                    {"url": "http://caf.fr/allocataires/allocations-familiales/", "engine": "google",
                     "position": 2}]}).json()
    urls = [r["url"] for r in body["results"]]
    assert urls[0] == "https://www.caf.fr/allocataires/allocations-familiales"  # ours + google's
    assert body["results"][0]["engines"] == ["sdc", "google"]
    assert "https://www.cartegrise.com/" not in urls and len(urls) >= 3


@pytest.mark.parametrize("payload, fragment", [
    ({"results": [{"url": f"https://a{i}.fr/"} for i in range(501)]}, "results"),
    ({"results": [], "mode": "top"}, "mode"),
    ({"results": [{"title": "no url"}]}, "url"),
    ({"results": [{"url": "https://caf.fr/", "position": -1}]}, "position"),
    ({"results": "https://caf.fr/"}, "results"),
    ({}, "results"),
    ({"results": [], "mdoe": "filter"}, "mdoe"),  # a misspelt key is not ignored
    ({"results": [{"url": "https://caf.fr/", "bogus": 1}]}, "bogus"),
])
def test_rerank_bad_input_is_422(make_client: Callable[..., TestClient], payload: Any,
                                 fragment: str) -> None:
    response = make_client().post("/api/rerank", json=payload)
    assert response.status_code == 422
    assert fragment in str(response.json()["detail"])


def test_rerank_invalid_json(make_client: Callable[..., TestClient]) -> None:
    response = make_client().post("/api/rerank", content=b"{not json",
                                  headers={"content-type": "application/json"})
    assert response.status_code == 422 and "detail" in response.json()


def test_rerank_500_results_is_fine(make_client: Callable[..., TestClient]) -> None:
    results = [{"url": f"https://www.caf.fr/p/{i}", "engine": "g", "position": i + 1} for i in range(500)]
    body = make_client().post("/api/rerank", json={"results": results, "mode": "blend"}).json()
    assert body["total"] == 500 == body["trusted_count"]


# -- the unified view on /recherche -----------------------------------------------------


def test_unified_view_merges_and_counts(make_client: Callable[..., TestClient],
                                        upstream: Callable[..., str]) -> None:
    client = make_client(searxng_url=upstream(), upstream_timeout=2.0)
    page = client.get("/recherche", params={"q": "allocations familiales"})
    assert page.status_code == 200
    text = page.text
    # the stand-in's six results: ants, service-public, interieur are trusted
    assert "3 sources de confiance parmi les 6 premiers résultats" in text
    assert "moteurs interrogés : SearXNG" in text
    assert "ces moteurs n&#39;ont pas répondu : duckduckgo" in text
    assert 'aria-current="page">Sources de confiance' in text
    merged = text.split('class="hits unified__hits"')[1].split("</ol>")[0]
    assert "cartegrise.com" not in merged and "Source non vérifiée" not in merged
    assert "www.caf.fr/allocataires" in merged and "immatriculation.ants.gouv.fr" in merged
    everything = client.get("/recherche", params={"q": "allocations familiales", "vue": "tous"}).text
    listed = everything.split('class="hits unified__hits"')[1].split("</ol>")[0]
    assert "cartegrise.com" in listed and "Source non vérifiée" in listed
    assert listed.index("immatriculation.ants.gouv.fr") < listed.index("cartegrise.com")


@pytest.mark.parametrize("behaviour, notice", [
    ("500", "est indisponible"), ("slow", "n'a pas répondu à temps"),
    ("429", "limite le nombre de recherches"), ("html", "est indisponible"),
])
def test_upstream_failure_degrades_with_notice(make_client: Callable[..., TestClient],
                                               upstream: Callable[..., str], behaviour: str,
                                               notice: str) -> None:
    # only the slow stand-in needs a short timeout: on a loaded machine a 500 took longer than 0.3 s
    timeout = 0.3 if behaviour == "slow" else 5.0
    client = make_client(searxng_url=upstream(behaviour), upstream_timeout=timeout)
    page = client.get("/recherche", params={"q": "allocations familiales"})
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert notice in text and "seuls les résultats de notre index" in text
    assert "Allocations familiales | Service-Public.fr" in page.text  # our own results are there


def test_without_upstream_only_verticals(make_client: Callable[..., TestClient]) -> None:
    text = make_client().get("/recherche", params={"q": "allocations familiales"}).text
    assert "premiers résultats" not in text and "Textes de référence" in text
    assert "unified__hits" not in text


def test_vertical_reference_texts(make_client: Callable[..., TestClient]) -> None:
    text = make_client().get("/recherche", params={"q": "allocations familiales", "vue": "textes"}).text
    block = text.split('class="hits unified__hits"')[1].split("</ol>")[0]
    assert "legifrance.gouv.fr" in block and "insee.fr" in block
    assert "caf.fr" not in block and "service-public.fr" not in block


def test_vertical_official_news_newest_first(make_client: Callable[..., TestClient]) -> None:
    text = make_client().get("/recherche",
                             params={"q": "allocations familiales", "vue": "actualites"}).text
    block = text.split('class="hits unified__hits"')[1].split("</ol>")[0]
    order = [block.index(u) for u in ("www.caf.fr", "www.insee.fr", "www.legifrance.gouv.fr")]
    assert order == sorted(order)
    assert "service-public.fr" not in block  # not a news item


def test_upstream_is_asked_once_per_query(make_client: Callable[..., TestClient],
                                          upstream: Callable[..., str], standin: Any) -> None:
    client = make_client(searxng_url=upstream(), upstream_timeout=2.0)
    for view in ("confiance", "tous", "confiance"):
        client.get("/recherche", params={"q": "allocations familiales", "vue": view})
    assert len(standin.requests) == 1
    failing = make_client(searxng_url=upstream("500"), upstream_timeout=2.0)
    for query in ("carte grise", "impôts"):
        page = failing.get("/recherche", params={"q": query})
        assert "est indisponible" in page.text
    assert len(standin.requests) == 2  # the failed upstream is left alone for a while
