"""The farm's news feeds: a corpus host's dated pages as RSS 2.0, Atom 1.0 and a news sitemap.

Built from the pages themselves (title, description, date, URL), newest first, at most
:data:`FEED_ITEMS`, so the crawler's feed discovery and the "Actualités officielles" view are
tested without the network (travail-emploi.gouv.fr's pages of the corpus are dated 2026).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.utils import format_datetime
from typing import Any
from xml.sax.saxutils import escape

FEED_PATH = "/actualites/rss.xml"
ATOM_PATH = "/actualites/atom.xml"
NEWS_SITEMAP_PATH = "/sitemap-news.xml"
FEEDS = (FEED_PATH, ATOM_PATH, NEWS_SITEMAP_PATH)
FEED_ITEMS = 50


def _moment(day: str) -> datetime:
    d = date.fromisoformat(day[:10])
    return datetime(d.year, d.month, d.day, 8, 0, tzinfo=UTC)


def _summary(record: dict[str, Any]) -> str:
    return escape(record.get("description") or record["body"][:300])


def rss(host: str, base: str, records: list[dict[str, Any]]) -> bytes:
    items = "".join(
        f"<item><title>{escape(r['title'])}</title><link>{escape(r['url'])}</link>"
        f"<guid isPermaLink=\"true\">{escape(r['url'])}</guid>"
        f"<description>{_summary(r)}</description>"
        f"<pubDate>{format_datetime(_moment(r['date']), usegmt=True)}</pubDate></item>"
        for r in records[:FEED_ITEMS])
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Actualités - {escape(host)}</title><link>{escape(base)}/</link>"
            f"<description>Les actualités de {escape(host)}</description>{items}</channel></rss>").encode()


def atom(host: str, base: str, records: list[dict[str, Any]]) -> bytes:
    newest = _moment(records[0]["date"]).isoformat() if records else "2020-01-01T00:00:00+00:00"
    entries = "".join(
        f"<entry><title>{escape(r['title'])}</title><link href=\"{escape(r['url'])}\"/>"
        f"<id>{escape(r['url'])}</id><updated>{_moment(r['date']).isoformat()}</updated>"
        f"<summary>{_summary(r)}</summary></entry>"
        for r in records[:FEED_ITEMS])
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Actualités - {escape(host)}</title><id>{escape(base)}{ATOM_PATH}</id>"
            f"<updated>{newest}</updated>{entries}</feed>").encode()


def news_sitemap(host: str, records: list[dict[str, Any]]) -> bytes:
    urls = "".join(
        f"<url><loc>{escape(r['url'])}</loc><news:news><news:publication><news:name>{escape(host)}"
        f"</news:name><news:language>fr</news:language></news:publication>"
        f"<news:publication_date>{r['date'][:10]}</news:publication_date>"
        f"<news:title>{escape(r['title'])}</news:title></news:news></url>"
        for r in records[:FEED_ITEMS])
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
            'sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>").encode()


def feed_reply(path: str, host: str, base: str, records: list[dict[str, Any]]) -> Any:
    from crawler.farm.sites import Reply  # sites imports this module: the Reply class at call time

    if path == FEED_PATH:
        return Reply(200, rss(host, base, records), {"Content-Type": "application/rss+xml; charset=utf-8"})
    if path == ATOM_PATH:
        return Reply(200, atom(host, base, records), {"Content-Type": "application/atom+xml; charset=utf-8"})
    return Reply(200, news_sitemap(host, records), {"Content-Type": "application/xml"})
