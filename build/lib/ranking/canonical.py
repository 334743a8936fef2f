"""One key per page, so that the same result from two engines counts once.

Two URLs get the same key when they differ only by what does not change the
page an agent reads:

* the scheme (``http`` and ``https``), a leading ``www.``, the host's case and
  a default port (``:80``, ``:443``);
* a trailing slash (``/aides/`` and ``/aides``) and the fragment (``#top``);
* tracking parameters: ``utm_*``, ``mtm_*`` and ``pk_campaign``... (Matomo), ``xtor``
  (AT Internet, common on French public sites), ``gclid``, ``fbclid``,
  ``msclkid`` and the others of :data:`TRACKING_PARAMETERS`; the remaining
  parameters are sorted.

The key is not a URL to visit: results keep the URL the engine gave.
Removing parameters is left to w3lib's ``url_query_cleaner`` (Scrapy's URL
toolkit), which keeps the rest of the query byte for byte.

>>> canonical_url("https://www.Service-Public.fr/particuliers/?utm_source=x&b=2&a=1#top")
'service-public.fr/particuliers?a=1&b=2'
>>> canonical_url("http://service-public.fr/particuliers?b=2&a=1")
'service-public.fr/particuliers?a=1&b=2'
"""

from __future__ import annotations

import re
from functools import lru_cache

from w3lib.url import url_query_cleaner

#: exact names of parameters that only say where a click came from
TRACKING_PARAMETERS: frozenset[str] = frozenset({
    "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "xtor", "srsltid", "ref_src",
    "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid",
    # Matomo's legacy names and AT Internet's campaign names (``pk`` alone is often a real id)
    "pk_campaign", "pk_kwd", "pk_keyword", "pk_source", "pk_medium", "pk_content", "pk_cid",
    "at_medium", "at_campaign", "at_platform", "at_creation", "at_variant", "at_send_date",
})
#: prefixes of tracking parameter families (utm_source, mtm_campaign...)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "mtm_", "hsa_")

_PARTS = re.compile(r"[ \t\n\r]*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//(?:www\.)?([^/?#\s]*)([^?#]*)(\?[^#]*)?")
_DEFAULT_PORT = re.compile(r":(?:80|443)$")


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


@lru_cache(maxsize=8192)
def canonical_url(url: str) -> str:
    """The deduplication key of ``url`` (pure; cached because engines repeat URLs)."""
    match = _PARTS.match(url)
    if match is None:
        return url.strip()
    host, path, query = match.groups()
    host = _DEFAULT_PORT.sub("", host.lower().rstrip("."))
    if host.startswith("www."):
        host = host[4:]
    path = path.rstrip("/")
    if not query or len(query) == 1:
        return host + path
    return host + path + _clean_query(query)


def _clean_query(query: str) -> str:
    pairs = [p for p in query[1:].split("&") if p]
    tracking = [name for name in (p.split("=", 1)[0] for p in pairs) if is_tracking_parameter(name)]
    if tracking:
        query = url_query_cleaner(query, tracking, remove=True, unique=False)
        pairs = [p for p in query.lstrip("?").split("&") if p]
    return "?" + "&".join(sorted(pairs)) if pairs else ""
