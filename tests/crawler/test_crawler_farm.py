"""The site farm itself, through httpx: a proxy for many virtual hosts, with logs."""

from __future__ import annotations

import gzip
from typing import Any

import httpx
import pytest

from crawler.errors import FarmError
from crawler.farm import Farm, load_corpus


@pytest.fixture()
def farm(corpus_records: list[dict[str, Any]], make_farm: Any) -> Farm:
    return make_farm(corpus_records[:30])


def test_corpus_pages_at_their_real_urls(farm: Farm) -> None:
    record = farm.records[0]
    with httpx.Client(proxy=farm.proxy_url, verify=False) as client:
        page = client.get(record["url"])
        assert page.status_code == 200
        assert f"<title>{record['title']}" in page.text.replace("&#x27;", "'")
        assert 'id="cookie-banner"' in page.text and "<nav>" in page.text and "<footer>" in page.text
        again = client.get(record["url"], headers={"If-None-Match": page.headers["ETag"]})
        assert again.status_code == 304 and again.content == b""
        since = client.get(record["url"], headers={"If-Modified-Since": page.headers["Last-Modified"]})
        assert since.status_code == 304
        assert client.get("https://www.hors-liste.invalid/").status_code == 502
    assert farm.server.tunnels == 2  # one CONNECT per host, the connection is kept alive


def test_robots_and_sitemaps(farm: Farm) -> None:
    host = "www.service-public.fr"
    with httpx.Client(proxy=farm.proxy_url, verify=False) as client:
        robots = client.get(f"https://{host}/robots.txt").text
        assert "Disallow: /recherche" in robots and f"Sitemap: https://{host}/sitemap.xml" in robots
        index = client.get(f"https://{host}/sitemap.xml").text
        assert "<sitemapindex" in index and f"https://{host}/sitemaps/pages-0.xml.gz" in index
        sitemap = gzip.decompress(client.get(f"https://{host}/sitemaps/pages-0.xml.gz").content).decode()
    urls = [r["url"] for r in farm.records if r["url"].startswith(f"https://{host}/")]
    assert urls and all(f"<loc>{u}</loc>" in sitemap for u in urls)


def test_request_log_and_plain_http(farm: Farm) -> None:
    with httpx.Client(proxy=farm.proxy_url) as client:
        legacy = client.get("http://ancien.ferme-sdc.fr/mediatheque")
    assert legacy.headers["content-type"] == "text/html; charset=windows-1252"
    assert legacy.content.decode("cp1252").count("Médiathèque") == 2
    with httpx.Client() as client:  # origin form with a Host header, as a reverse proxy would send
        direct = client.get(f"{farm.proxy_url}/public", headers={"Host": "prive.ferme-sdc.fr"})
        assert direct.status_code == 200
    logged = farm.requests[-2:]
    assert [(r.host, r.path, r.status) for r in logged] == [
        ("ancien.ferme-sdc.fr", "/mediatheque", 200), ("prive.ferme-sdc.fr", "/public", 200)]
    assert all(r.end >= r.start for r in logged)


def test_edits_between_crawls(farm: Farm) -> None:
    first, second = farm.records[0]["url"], farm.records[1]["url"]
    with httpx.Client(proxy=farm.proxy_url, verify=False) as client:
        etag = client.get(first).headers["ETag"]
        farm.update(first, body="Texte modifié")
        changed = client.get(first, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and "Texte modifié" in changed.text
        farm.remove(second, status=410)
        assert client.get(second).status_code == 410


def test_classifier_trusts_the_farm_hosts_only(farm: Farm) -> None:
    classifier = farm.classifier()
    assert classifier.classify("https://www.service-public.fr/x").trusted
    assert classifier.classify("https://agenda.ferme-sdc.fr/").trusted
    assert not classifier.classify("https://www.hors-liste.example/").trusted
    assert not classifier.classify("https://www.impots.gouv.fr/").trusted


def test_limit_takes_every_site(corpus_file: Any) -> None:
    records = load_corpus(corpus_file, 9)
    assert len({r["site"] for r in records}) == 3


def test_missing_corpus(tmp_path: Any) -> None:
    with pytest.raises(FarmError):
        load_corpus(tmp_path / "absent.jsonl.gz")
