"""The sites a farm serves: what one virtual host answers to one GET (no I/O here).

A :class:`Site` maps ``(path, request headers)`` to a :class:`Reply`.  :class:`CorpusSite` serves
the real pages of the corpus at their real paths, rendered as complete HTML pages with the chrome
real sites have (header, navigation, breadcrumb, cookie banner, footer) around the content, and
with ETag/Last-Modified validators answered by 304.  Each host has a home page, ``robots.txt``
(one disallowed section, linked from every page so that obeying it is observable), a sitemap index
at ``/sitemap.xml`` pointing to gzip and plain sitemaps.  A host whose pages carry dates also
serves its news, as French public sites do: an RSS 2.0 feed at ``/actualites/rss.xml`` (linked
from every page's ``<head>``), an Atom feed at ``/actualites/atom.xml`` and a news sitemap at
``/sitemap-news.xml``, newest first, with the dates of the pages (:mod:`crawler.farm.feeds`).
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from typing import Any, Protocol
from urllib.parse import urlsplit

from crawler.farm.feeds import FEED_PATH, FEEDS, feed_reply

SITEMAP_CHUNK = 500
HOME_LINKS = 60
DISALLOWED = "/recherche"


@dataclass(slots=True)
class Reply:
    """One HTTP response; ``delay`` seconds pass before it is sent."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Site(Protocol):
    host: str
    scheme: str

    def respond(self, path: str, headers: dict[str, str]) -> Reply: ...


def html_reply(text: str, status: int = 200, charset: str = "utf-8", **headers: str) -> Reply:
    return Reply(status, text.encode(charset, "xmlcharrefreplace"),
                 {"Content-Type": f"text/html; charset={charset}", **headers})


def page_html(*, title: str, body: str, url: str, description: str = "", lang: str = "fr",
              links: Sequence[tuple[str, str]] = (), breadcrumb: str = "", published: str = "",
              site_name: str = "", charset: str = "utf-8", canonical: str | None = None,
              feed: str | None = None) -> str:
    """A complete page as a public website would serve it, content inside ``<main>``."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    crumbs = " &gt; ".join(escape(c.strip()) for c in breadcrumb.split(">") if c.strip())
    see_also = "\n".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for u, t in links)
    date_line = (f'<p class="date">Publié le <time datetime="{published}">{published}</time></p>'
                 if published else "")
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="{charset}">
<title>{escape(title)}</title>
<meta name="description" content="{escape(description)}">
<link rel="canonical" href="{escape(canonical or url)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
{_feed_link(feed)}
</head><body>
<div id="cookie-banner" class="cookie-consent"><p>Ce site utilise des cookies de mesure d'audience.
<button>Accepter</button> <button>Refuser</button></p></div>
<header><a href="/">{escape(site_name)}</a><p>République française</p></header>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="{DISALLOWED}?q=aide">Rechercher</a></li>
<li><a href="/plan-du-site">Plan du site</a></li></ul></nav>
<div class="breadcrumb">{crumbs}</div>
<main><h1>{escape(title)}</h1>
{date_line}
{paragraphs}
<h2>Voir aussi</h2><ul>{see_also}</ul>
</main>
<footer><p>Mentions légales - Accessibilité : partiellement conforme - Plan du site</p>
<a href="/mentions-legales">Mentions légales</a></footer>
</body></html>"""


def _feed_link(feed: str | None) -> str:
    if not feed:
        return ""
    return f'<link rel="alternate" type="application/rss+xml" title="Actualités" href="{escape(feed)}">'


def http_date(day: date | datetime) -> str:
    moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day, tzinfo=UTC)
    return format_datetime(moment, usegmt=True)


def not_modified(headers: dict[str, str], etag: str, last_modified: str) -> bool:
    """RFC 9110: If-None-Match wins; otherwise If-Modified-Since at or after Last-Modified."""
    if "if-none-match" in headers:
        return etag in [t.strip() for t in headers["if-none-match"].split(",")]
    since = headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
        except (TypeError, ValueError):
            return False
    return False


def robots_txt(host: str, scheme: str, disallow: list[str], crawl_delay: float = 0.0) -> Reply:
    delay = [f"Crawl-delay: {crawl_delay:g}"] if crawl_delay else []
    lines = ["User-agent: *", *(f"Disallow: {p}" for p in disallow), *delay, "",
             f"Sitemap: {scheme}://{host}/sitemap.xml", ""]
    return Reply(200, "\n".join(lines).encode(), {"Content-Type": "text/plain"})


def sitemap_xml(urls: list[str]) -> bytes:
    items = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + items.encode() + b"</urlset>")


def sitemap_index_xml(urls: list[str]) -> bytes:
    items = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + items.encode() + b"</sitemapindex>")


class CorpusSite:
    """One host of the corpus: its records served as pages at their real URLs."""

    def __init__(self, host: str, scheme: str, records: list[dict[str, Any]], served: set[str],
                 farm_hosts: set[str], delay: float = 0.0) -> None:
        self.host, self.scheme, self.delay = host, scheme, delay
        self.records: dict[str, dict[str, Any]] = {}
        for record in records:
            parts = urlsplit(record["url"])
            self.records[parts.path + (f"?{parts.query}" if parts.query else "")] = record
        # every URL the farm serves: links to the farm's hosts go only where a page exists
        self.served, self.farm_hosts = served, farm_hosts
        self.gone: dict[str, int] = {}
        self._cache: dict[str, Reply] = {}
        self._dated: list[dict[str, Any]] | None = None
        self.base = f"{scheme}://{host}"

    # -- changes (the incremental-crawl tests edit the web between two crawls) --

    def update(self, path: str, **fields: Any) -> None:
        record = self.records[path]
        self.records[path] = {**record, **fields, "version": record.get("version", 0) + 1}
        self._cache.pop(path, None)
        self._dated = None

    def remove(self, path: str, status: int = 404) -> None:
        self.records.pop(path, None)
        self._cache.pop(path, None)
        self._dated = None
        self.gone[path] = status

    # -- serving --

    def respond(self, path: str, headers: dict[str, str]) -> Reply:
        if path in self.records:
            reply = self._cache.get(path)
            if reply is None:
                reply = self._cache[path] = self._page(self.records[path])
            if not_modified(headers, reply.headers["ETag"], reply.headers["Last-Modified"]):
                return Reply(304, b"", {"ETag": reply.headers["ETag"]}, self.delay)
            return Reply(reply.status, reply.body, reply.headers, self.delay)
        if path == "/":
            return self._home()
        if path == "/robots.txt":
            return robots_txt(self.host, self.scheme, [DISALLOWED])
        if path == "/sitemap.xml":
            return self._sitemap_index()
        if path.startswith("/sitemaps/"):
            return self._sitemap(path)
        if path in FEEDS and self.dated():
            return feed_reply(path, self.host, self.base, self.dated())
        if path in self.gone:
            return html_reply("<h1>Page supprimée</h1>", self.gone[path])
        return html_reply("<h1>Page introuvable</h1>", 404)

    def _page(self, record: dict[str, Any]) -> Reply:
        links = [(u, u.rsplit("/", 1)[-1]) for u in record.get("links", ())
                 if u in self.served or urlsplit(u).hostname not in self.farm_hosts]
        text = page_html(title=record["title"], body=record["body"], url=record["url"],
                         description=record.get("description", ""), lang=record.get("lang") or "fr",
                         links=links, breadcrumb=record.get("breadcrumb", ""),
                         published=record.get("date", ""), site_name=self.host,
                         feed=FEED_PATH if self.dated() else None)
        day = date.fromisoformat(record["date"]) if record.get("date") else date(2020, 1, 1)
        digest = hashlib.sha1(f"{record['url']}:{record.get('version', 0)}".encode()).hexdigest()[:16]
        modified = datetime(day.year, day.month, day.day, tzinfo=UTC)
        if record.get("version"):
            modified = datetime.now(UTC).replace(microsecond=0)
        headers: dict[str, Any] = {"ETag": f'"{digest}"', "Last-Modified": http_date(modified)}
        return html_reply(text, **headers)

    def _home(self) -> Reply:
        urls = [r["url"] for r in list(self.records.values())[:HOME_LINKS]]
        return html_reply(page_html(title=f"Accueil - {self.host}", body="Bienvenue.", url=self.base + "/",
                                    links=[(u, u.rsplit("/", 1)[-1]) for u in urls], site_name=self.host,
                                    feed=FEED_PATH if self.dated() else None))

    def dated(self) -> list[dict[str, Any]]:
        """The host's dated pages, newest first: what its feeds list."""
        if self._dated is None:
            self._dated = sorted((r for r in self.records.values() if r.get("date")),
                                 key=lambda r: (r["date"], r["url"]), reverse=True)
        return self._dated

    def _page_urls(self) -> list[str]:
        return [r["url"] for r in self.records.values()]

    def _sitemap_index(self) -> Reply:
        count = max(1, -(-len(self.records) // SITEMAP_CHUNK))
        # alternate gzip and plain sitemaps, as real sites do both
        names = [f"{self.base}/sitemaps/pages-{i}.xml" + (".gz" if i % 2 == 0 else "") for i in range(count)]
        return Reply(200, sitemap_index_xml(names), {"Content-Type": "application/xml"})

    def _sitemap(self, path: str) -> Reply:
        name = path.removeprefix("/sitemaps/pages-").removesuffix(".gz").removesuffix(".xml")
        if not name.isdigit():
            return html_reply("<h1>Page introuvable</h1>", 404)
        start = int(name) * SITEMAP_CHUNK
        body = sitemap_xml(self._page_urls()[start:start + SITEMAP_CHUNK])
        if path.endswith(".gz"):
            return Reply(200, gzip.compress(body, 5), {"Content-Type": "application/x-gzip"})
        return Reply(200, body, {"Content-Type": "application/xml"})
