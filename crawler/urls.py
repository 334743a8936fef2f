"""Which links are worth a request: URL canonicalisation and crawler-trap heuristics (pure functions).

Two spellings of one page must become one request, so every link goes through
:func:`sources.urls.canonical_url` (tracking and session parameters dropped, then w3lib's canonical
form), and its host is :func:`sources.urls.host_of`'s (``www.paris.fr.`` is ``www.paris.fr``).
Links that cannot be pages (images, archives, office files) are refused by extension before any
request is made.  What remains of traps (a calendar with a "next month" link forever) is
bounded by the per-host page budget and the depth limit, and :func:`looks_like_trap` refuses the
obvious shapes: very long URLs, deep paths repeating one segment, long query strings.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

from sources.urls import canonical_url, host_of

__all__ = ["canonical_url", "host_of", "is_page_link", "looks_like_trap"]

#: a crawled URL longer than this is taken for a trap (generated pages); any URL at all is
#: bounded by sources.urls.MAX_URL_LENGTH
TRAP_URL_LENGTH = 512
MAX_QUERY_ARGS = 4
MAX_PATH_DEPTH = 12
_IGNORED = frozenset("." + ext for ext in IGNORED_EXTENSIONS) | {".gz", ".xml", ".json", ".csv"}


def is_page_link(url: str) -> bool:
    """False for links whose extension says they are not HTML pages (images, PDFs, archives...)."""
    path = urlsplit(url).path.lower()
    return posixpath.splitext(path)[1] not in _IGNORED


def looks_like_trap(url: str) -> bool:
    """True for URL shapes that generate endless pages: too long, too deep, repeated segments."""
    if len(url) > TRAP_URL_LENGTH:
        return True
    parts = urlsplit(url)
    if parts.query.count("&") >= MAX_QUERY_ARGS:
        return True
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return True
    return len(segments) >= 4 and len(set(segments)) <= len(segments) // 2
