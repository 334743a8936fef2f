"""News feeds: discovery and parsing (RSS 2.0, Atom, news sitemaps), the farm's feeds built from
the corpus's dated pages, and a crawl that follows a feed to pages no link or sitemap names."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from crawler.farm.feeds import ATOM_PATH, FEED_PATH, NEWS_SITEMAP_PATH
from crawler.farm.sites import CorpusSite
from crawler.feeds import discover, looks_like_feed, news_document, parse_feed

RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Actus</title>
<item><title>Ancienne</title><link>/a</link>
<description>&lt;p&gt;Texte &amp;amp; d\xc3\xa9tails&lt;/p&gt;</description>
<pubDate>Mon, 01 Jan 2024 09:00:00 +0100</pubDate></item>
<item><title>R\xc3\xa9cente</title><link>https://ex.gouv.fr/b</link>
<pubDate>Thu, 03 Dec 2026 23:30:00 -0500</pubDate></item>
<item><title></title><link>https://ex.gouv.fr/no-title</link></item>
<item><title>Script</title><link>javascript:alert(1)</link></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom actus</title>
<entry><title>Une</title><link rel="alternate" href="https://ex.gouv.fr/une"/><link rel="edit" href="/x"/>
<summary>R\xc3\xa9sum\xc3\xa9</summary><updated>2026-12-03T10:00:00Z</updated></entry></feed>"""


def test_rss_items_are_read_newest_first_with_plain_text_and_utc_dates() -> None:
    items = parse_feed(RSS, "https://ex.gouv.fr/rss.xml")
    assert [i.title for i in items] == ["Récente", "Ancienne"]  # untitled and javascript: items dropped
    assert items[0].published == date(2026, 12, 4)  # 23:30 -05:00 is the 4th in UTC
    assert items[1].url == "https://ex.gouv.fr/a" and items[1].summary == "Texte & détails"
    assert items[1].source == "Actus"


def test_atom_and_news_sitemap() -> None:
    [entry] = parse_feed(ATOM, "https://ex.gouv.fr/atom.xml")
    assert (entry.url, entry.summary, entry.published) == ("https://ex.gouv.fr/une", "Résumé",
                                                           date(2026, 12, 3))
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/'
               b'schemas/sitemap-news/0.9"><url><loc>https://ex.gouv.fr/n</loc><news:news><news:publication>'
               b"<news:name>Ex</news:name></news:publication><news:publication_date>2026-11-30"
               b"</news:publication_date><news:title>Nouvelle</news:title></news:news></url></urlset>")
    [news] = parse_feed(sitemap, "https://ex.gouv.fr/sitemap-news.xml")
    assert (news.title, news.published, news.source) == ("Nouvelle", date(2026, 11, 30), "Ex")


def test_an_untitled_feed_is_named_after_its_host_as_a_browser_reads_it() -> None:
    untitled = b"<rss><channel><item><title>Une</title><link>/une</link></item></channel></rss>"
    [item] = parse_feed(untitled, "https://WWW.Paris.FR./rss.xml")  # sources.urls.host_of's host
    assert item.source == "www.paris.fr"


@pytest.mark.parametrize("body", [b"", b"<html><body>not a feed</body></html>", b"\x00\x01garbage",
                                  b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                  b"<rss><channel><item><title>&e;</title><link>https://x.fr/</link></item>"
                                  b"</channel></rss>"])
def test_anything_else_gives_no_item_and_no_error(body: bytes) -> None:
    items = parse_feed(body, "https://ex.gouv.fr/feed")
    assert all("root:" not in i.title for i in items)  # no external entity is ever read


def test_discovery_reads_alternate_links() -> None:
    page = ('<html><head><link rel="alternate" type="application/rss+xml" href="/actualites/rss.xml">'
            '<link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://ex.gouv.fr/atom">'
            '<link rel="alternate" hreflang="en" href="/en/"><link rel="stylesheet" href="/s.css">'
            '<link rel="alternate" type="application/rss+xml" href="javascript:x"></head></html>')
    assert discover(page, "https://ex.gouv.fr/page") == ["https://ex.gouv.fr/actualites/rss.xml",
                                                         "https://ex.gouv.fr/atom"]
    assert looks_like_feed(RSS) and not looks_like_feed(b"<!doctype html>")


def test_a_news_document_carries_title_summary_and_date() -> None:
    doc = news_document(parse_feed(RSS, "https://ex.gouv.fr/rss.xml")[1])
    assert (doc.url, doc.title, doc.body, doc.published) == (
        "https://ex.gouv.fr/a", "Ancienne", "Texte & détails", date(2024, 1, 1))


def test_the_farm_serves_feeds_of_the_corpus_dated_pages(corpus_records: list[dict[str, Any]]) -> None:
    records = [r for r in corpus_records if r["site"] == "travail-emploi.gouv.fr"]
    host = "travail-emploi.gouv.fr"
    site = CorpusSite(host, "https", records, {r["url"] for r in records}, {host})
    dated = sorted(r["date"] for r in records if r.get("date"))
    assert dated and dated[-1].startswith("2026")
    for path in (FEED_PATH, ATOM_PATH, NEWS_SITEMAP_PATH):
        reply = site.respond(path, {})
        items = parse_feed(reply.body, f"https://{host}{path}")
        assert reply.status == 200 and len(items) == min(50, len(dated))
        assert items[0].published == date.fromisoformat(dated[-1])  # newest first, the pages' dates
        assert {i.url for i in items} <= {r["url"] for r in records}
    home = site.respond("/", {}).body.decode()
    assert discover(home, f"https://{host}/") == [f"https://{host}{FEED_PATH}"]


def test_a_crawl_follows_the_feed(corpus_records: list[dict[str, Any]], make_farm: Any,
                                  crawl_run: Any) -> None:
    records = [r for r in corpus_records if r["site"] == "travail-emploi.gouv.fr"][:20]
    farm = make_farm(records, hostile=False)
    run = crawl_run(farm)
    # one page per host from links and sitemaps would be the home page: the feed names the others
    run.run("--max-pages-per-host", "30")
    assert run.stats["crawler/feeds"] >= 1 and run.stats["crawler/news"] >= 1
    feed_requests = [r for r in farm.requests if r.path == FEED_PATH]
    assert len(feed_requests) == 1  # each host's feed once
    indexed = run.indexed()
    assert any(doc.get("published") for doc in indexed.values())
