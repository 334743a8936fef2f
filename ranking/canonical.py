"""One key per page, so that the same result from two engines counts once.

Two URLs get the same key when they differ only by what does not change the
page an agent reads:

* the scheme (``http`` and ``https``), a leading ``www.``, the host's case, a
  trailing dot and a default port (``:80``, ``:443``);
* a trailing slash (``/aides/`` and ``/aides``) and the fragment (``#top``);
* tracking parameters (:func:`sources.urls.is_tracking_parameter`: ``utm_*``,
  ``mtm_*``, ``xtor``, ``gclid``...); the remaining parameters are sorted.

The key is not a URL to visit (that is :func:`sources.urls.canonical_url`):
results keep the URL the engine gave.  The URL is read by the WHATWG parser of
:func:`sources.urls.split_url`, as a browser would; removing parameters is left
to w3lib's ``url_query_cleaner``, which keeps the rest of the query byte for byte.

>>> result_key("https://www.Service-Public.fr/particuliers/?utm_source=x&b=2&a=1#top")
'service-public.fr/particuliers?a=1&b=2'
>>> result_key("http://service-public.fr/particuliers?b=2&a=1")
'service-public.fr/particuliers?a=1&b=2'
"""

from __future__ import annotations

from functools import lru_cache

from w3lib.url import url_query_cleaner

from sources.urls import is_tracking_parameter, split_url

__all__ = ["result_key"]


#: longer URLs are keyed afresh each time: 8,192 cached keys of 8 KB URLs held 135 MB
CACHED_URL_CHARS = 1024


def result_key(url: str) -> str:
    """The deduplication key of ``url`` (pure; cached because engines repeat URLs)."""
    return _cached_key(url) if len(url) <= CACHED_URL_CHARS else _key(url)


@lru_cache(maxsize=8192)
def _cached_key(url: str) -> str:
    return _key(url)


def _key(url: str) -> str:
    """The deduplication key of ``url``.

    Anything the WHATWG parser does not read as an http(s) URL with a host is its own key,
    without its scheme and fragment.
    """
    parts = split_url(url)
    if parts is None:
        return _unparsed_key(url)
    host = parts.host.removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    if not parts.query:
        return host + path
    return host + path + _clean_query(parts.query)


def _unparsed_key(url: str) -> str:
    """What the parser refuses (``javascript:``, ``https://a.0/``) is its own key, less the scheme,
    the fragment and the case of what stands for the host."""
    text = url.strip()
    scheme_end = text.find("://")
    if not 0 < scheme_end < 12:
        return text
    rest = text[scheme_end + 3 :].split("#", 1)[0]
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    return rest[:cut].lower() + rest[cut:]


def _clean_query(query: str) -> str:
    pairs = [p for p in query.split("&") if p]
    tracking = [name for name in (p.split("=", 1)[0] for p in pairs) if is_tracking_parameter(name)]
    if tracking:
        query = url_query_cleaner("?" + query, tracking, remove=True, unique=False)
        pairs = [p for p in query.lstrip("?").split("&") if p]
    return "?" + "&".join(sorted(pairs)) if pairs else ""
