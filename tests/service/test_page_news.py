"""The "Actualités officielles" view and API: news items only, newest first, French dates, categories."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crawler.farm import Farm, load_corpus
from crawler.farm.feeds import FEED_PATH
from crawler.feeds import parse_feed
from service.app import create_app
from service.settings import Settings
from service.templating import date_fr
from sources import Registry

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_api_lists_news_only_newest_first(client: TestClient) -> None:
    found = client.get("/api/actualites", params={"q": "allocations familiales", "limit": 20}).json()
    days = [hit["published"] for hit in found["results"]]
    assert found["total"] >= len(days) >= 10 and days == sorted(days, reverse=True)
    assert "https://www.ameli.fr/prothese" not in {hit["url"] for hit in found["results"]}
    assert sum(found["facets"]["category"].values()) == found["total"]
    sante = client.get("/api/actualites", params={"q": "allocations familiales", "category": "sante"}).json()
    assert sante["results"] and {hit["category"] for hit in sante["results"]} == {"sante"}
    for params in ({"q": ""}, {"q": "a", "category": "inconnue"}, {"q": "a", "limit": 0}):
        bad = client.get("/api/actualites", params=params)
        assert bad.status_code == 422 and "detail" in bad.json()
    assert "/api/actualites" in client.get("/api/openapi.json").json()["paths"]


# -- end to end: a real crawl of the loopback site farm, whose feeds list the corpus's dated pages --

@pytest.fixture(scope="module")
def crawled(corpus_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any]]:
    """A service over the index a real ``sdc crawl`` built from the farm (80 pages a site: each
    site's feeds list its 50 newest pages; the other pages are pages, not news)."""
    data_dir = tmp_path_factory.mktemp("news-crawl") / "data"
    farm = Farm(load_corpus(corpus_file, 240), hostile=False)
    farm.start()
    try:
        with Registry(data_dir) as registry:
            farm.register(registry)
        seeds = data_dir / "seeds.txt"
        seeds.write_text("\n".join(farm.home_urls()) + "\n")
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env.update(SDC_DATA_DIR=str(data_dir), SDC_CRAWL_DELAY="0", SDC_CRAWL_TIMEOUT="2")
        command = [sys.executable, "-m", "sdc", "crawl", "--seeds", str(seeds), "--hosts",
                   ",".join(farm.hosts), "--proxy", farm.proxy_url, "--max-pages-per-host", "100"]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-2000:]
        items: dict[str, Any] = {}
        for host in farm.hosts:
            reply = farm.sites[host].respond(FEED_PATH, {})
            if reply.status == 200:
                items.update({i.url: i for i in parse_feed(reply.body, f"https://{host}{FEED_PATH}")})
        with TestClient(create_app(Settings(data_dir=data_dir, shared_dir=data_dir / "none"))) as client:
            yield client, items
    finally:
        farm.stop()


def test_the_crawled_feed_items_are_the_news(crawled: tuple[TestClient, Any]) -> None:
    client, items = crawled
    found = client.get("/api/actualites", params={"q": "travail", "limit": 50}).json()
    urls = [hit["url"] for hit in found["results"]]
    assert len(urls) >= 20 and len(urls) == len(set(urls))  # an item and its crawled page: one result
    assert set(urls) <= set(items)
    for hit in found["results"]:  # the feed's publication date
        assert hit["published"] == items[hit["url"]].published.isoformat()
    assert [h["published"] for h in found["results"]] == sorted((h["published"] for h in found["results"]),
                                                                reverse=True)
    pages = client.get("/api/search", params={"q": "travail", "limit": 50}).json()
    assert {hit["url"] for hit in pages["results"]} - set(items)  # the index has pages that are not news

    html = client.get("/recherche/actualites", params={"q": "travail"}).text
    shown = re.findall(r'<h2 class="hit__title"><a href="([^"]+)"', html)
    assert shown == urls[:10]
    newest = items[urls[0]].published
    assert f'<time datetime="{newest.isoformat()}">{date_fr(newest)}</time>' in html
    assert f">{newest.isoformat()}<" not in html  # French dates, not ISO
