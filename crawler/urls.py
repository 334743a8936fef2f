"""Which links are worth a request: URL canonicalisation and crawler-trap heuristics (pure functions).

Two spellings of one page must become one request, so every link goes through w3lib's
``canonicalize_url`` (sorted query arguments, normalised percent-encoding, no fragment) after the
session and tracking parameters that make endless variations (``utm_*``, ``PHPSESSID``...) are
dropped.  Links that cannot be pages (images, archives, office files) are refused by extension before
any request is made.  What remains of traps (a calendar with a "next month" link forever) is
bounded by the per-host page budget and the depth limit, and :func:`looks_like_trap` refuses the
obvious shapes: very long URLs, deep paths repeating one segment, long query strings.
"""

from __future__ import annotations

import posixpath
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS
from w3lib.url import canonicalize_url

MAX_URL_LENGTH = 512
MAX_QUERY_ARGS = 4
MAX_PATH_DEPTH = 12
#: query parameters that never change what a page says
TRACKING_PREFIXES = ("utm_", "xtor", "fbclid", "gclid", "mc_", "phpsessid", "jsessionid", "sid",
                     "sessionid", "at_")
_IGNORED = frozenset("." + ext for ext in IGNORED_EXTENSIONS) | {".gz", ".xml", ".json", ".csv"}


def canonical_url(url: str) -> str | None:
    """One spelling per page: tracking parameters dropped, then w3lib's canonical form.

    None for a link that cannot be a URL (``https://host:80a/``, unbalanced brackets): pages
    in the wild carry such links, and one of them must not cost the page's other links.
    """
    try:
        parts = urlsplit(url)
        if parts.query:
            kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                    if not k.lower().startswith(TRACKING_PREFIXES)]
            parts = parts._replace(query=urlencode(kept))
        path = parts.path or "/"
        return canonicalize_url(urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, "")))
    except ValueError:
        return None


def is_page_link(url: str) -> bool:
    """False for links whose extension says they are not HTML pages (images, PDFs, archives...)."""
    path = urlsplit(url).path.lower()
    return posixpath.splitext(path)[1] not in _IGNORED


def looks_like_trap(url: str) -> bool:
    """True for URL shapes that generate endless pages: too long, too deep, repeated segments."""
    if len(url) > MAX_URL_LENGTH:
        return True
    parts = urlsplit(url)
    if parts.query.count("&") >= MAX_QUERY_ARGS:
        return True
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > MAX_PATH_DEPTH:
        return True
    return len(segments) >= 4 and len(set(segments)) <= len(segments) // 2
