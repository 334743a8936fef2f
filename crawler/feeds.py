"""News feeds of trusted sites: where they are, and what they say (pure functions, no I/O).

* :func:`discover` reads a page's ``<link rel="alternate" type="application/rss+xml|atom+xml">``;
  :data:`COMMON_PATHS` are the addresses French public sites use when a page does not say
  (``/rss.xml``, ``/feed``, ``/actualites/rss.xml``…).
* :func:`parse_feed` reads RSS 2.0, Atom 1.0 and news sitemaps (``<news:news>``) into
  :class:`FeedItem` (title, link, summary, publication date, source); a feed that is not XML, or
  none of those, gives no item (a crawler skips it, it never fails on one).
* :func:`news_document` turns an item into the index's news document (``kind="news"``): its link,
  title and summary, its publication date; :func:`news_page` marks the item's own page, when it is
  crawled, as that news document (the page's text, the feed's date and summary where the page has
  none), so that an item is one document whether its page is crawled or not.

The spider fetches feeds as it fetches pages (the same robots.txt, delays and budgets): see
:mod:`crawler.news`.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from crawler.urls import host_of
from index.documents import PageDocument

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+xml", "application/xml",
              "text/xml")
#: where French public sites put their feed when no page links it
COMMON_PATHS = ("/rss.xml", "/feed", "/feed.xml", "/atom.xml", "/actualites/rss.xml", "/rss",
                "/spip.php?page=backend")
MAX_ITEMS = 200
ATOM = "{http://www.w3.org/2005/Atom}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_TAGS = re.compile(r"<[^>]+>")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True, slots=True)
class FeedItem:
    url: str
    title: str
    summary: str
    published: date | None
    source: str  # the feed's own title, or its host


def discover(page_html: str, base_url: str) -> list[str]:
    """Absolute URLs of the feeds a page links in its ``<head>`` (``rel="alternate"``)."""
    found: list[str] = []
    for node in LexborHTMLParser(page_html).css('link[rel~="alternate" i][href]'):
        kind = (node.attributes.get("type") or "").split(";")[0].strip().lower()
        href = (node.attributes.get("href") or "").strip()
        if kind in FEED_TYPES[:3] and href:
            url = urljoin(base_url, href)
            if urlsplit(url).scheme in ("http", "https") and url not in found:
                found.append(url)
    return found


def looks_like_feed(body: bytes) -> bool:
    head = body[:512].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
    return head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<urlset"))


def _text(value: str | None) -> str:
    """Plain text of an element's content (feeds often carry escaped HTML)."""
    return " ".join(html.unescape(_TAGS.sub(" ", html.unescape(value or ""))).split())


def _date(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)  # RSS: RFC 822
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))  # Atom, sitemaps: RFC 3339
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def _child(element: etree._Element, *names: str) -> str | None:
    for name in names:
        found = element.find(name)
        if found is not None:
            return "".join(found.itertext())
    return None


def parse_feed(body: bytes, feed_url: str) -> list[FeedItem]:
    """Items of an RSS 2.0, Atom or news-sitemap document (newest first), at most MAX_ITEMS."""
    try:
        root = etree.fromstring(body, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    host = host_of(feed_url) or ""  # the host as a browser reads it: no trailing dot, IDNA
    items: list[FeedItem] = []
    if root.tag == "rss" or root.find("channel") is not None:
        channel = root.find("channel")
        source = _text(_child(channel, "title")) if channel is not None else ""
        for item in root.iter("item"):
            link = (_child(item, "link") or _child(item, "guid") or "").strip()
            items.append(FeedItem(urljoin(feed_url, link), _text(_child(item, "title")),
                                  _text(_child(item, "description")),
                                  _date(_child(item, "pubDate", "{http://purl.org/dc/elements/1.1/}date")),
                                  source or host))
    elif root.tag == f"{ATOM}feed":
        source = _text(_child(root, f"{ATOM}title"))
        for entry in root.iter(f"{ATOM}entry"):
            links = entry.findall(f"{ATOM}link")
            href = next((lk.get("href") for lk in links if lk.get("rel", "alternate") == "alternate"), None)
            items.append(FeedItem(urljoin(feed_url, (href or "").strip()),
                                  _text(_child(entry, f"{ATOM}title")),
                                  _text(_child(entry, f"{ATOM}summary", f"{ATOM}content")),
                                  _date(_child(entry, f"{ATOM}published", f"{ATOM}updated")), source or host))
    elif root.tag == f"{SITEMAP}urlset":
        for url in root.iter(f"{SITEMAP}url"):
            news = url.find(f"{NEWS}news")
            if news is None:
                continue
            publication = news.find(f"{NEWS}publication")
            source = _text(_child(publication, f"{NEWS}name")) if publication is not None else ""
            items.append(FeedItem((_child(url, f"{SITEMAP}loc") or "").strip(),
                                  _text(_child(news, f"{NEWS}title")), "",
                                  _date(_child(news, f"{NEWS}publication_date")), source or host))
    items = [i for i in items if i.url.startswith(("http://", "https://")) and i.title]
    items.sort(key=lambda i: i.published or date.min, reverse=True)
    return items[:MAX_ITEMS]


def news_document(item: FeedItem, fetched: datetime | None = None) -> PageDocument:
    """The index's news document for a feed item whose page is not crawled: its link, title,
    summary and publication date."""
    summary = item.summary or item.title
    return PageDocument(url=item.url, title=item.title, body=summary, description=summary[:300],
                        published=item.published, fetched=fetched or datetime.now(UTC), kind="news")


def news_page(page: PageDocument, item: FeedItem) -> PageDocument:
    """The crawled page of a feed item as its news document: the page's text, the feed's date (the
    site's own publication date of the item) and the feed's summary where the page has none."""
    return dataclasses.replace(page, kind="news", published=item.published or page.published,
                               title=page.title or item.title,
                               description=page.description or item.summary[:300])
