"""The host a browser would connect to, for any string given as a URL.

Two paths give the same answer (``tests/sources/test_urls.py`` checks them
against each other on generated input):

* a regular expression that only accepts the plain form most URLs take
  (``http(s)://`` then lowercase-able ASCII labels, then ``/``, ``?``, ``#`` or
  the end), where WHATWG parsing can only give that host;
* the WHATWG URL parser (ada-url) for everything else: backslashes, userinfo,
  percent-encoded or fullwidth host characters, IDN, IPv4 numbers, ports,
  tabs and newlines (which browsers delete before parsing).

``urllib.parse`` is never used: it disagrees with browsers on
``https://evil.com\\@www.service-public.fr/`` (a browser goes to evil.com).
"""

from __future__ import annotations

import re
from typing import NamedTuple

import ada_url

from sources.hosts import HOST_TOO_LONG

#: an authority (userinfo, host, port) longer than this is refused before parsing.
#: Only the authority counts, on both paths: the path, query and fragment never
#: decide the host, so a 9,000-character path gets the same answer whether the
#: host is written ``www.`` (fast path) or ``WWW.`` (WHATWG parser).
MAX_URL_LENGTH = 8192
#: where a special URL's authority ends (WHATWG: ``\`` counts as ``/`` for http(s))
_AUTHORITY_END = re.compile(r"[/\\?#]")

#: lowercase only: the rare uppercase host takes the full parser, which lowercases it.
#: Group 1 is the only part of the URL ``fast_host`` looks at, so callers that
#: classify many URLs may cache their answers by it (``service.classify_wire``).
match_plain = re.compile(r"https?://([a-z0-9][a-z0-9.-]*)(?:[/?#]|\Z)").match
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21))
_WEB_SCHEMES = frozenset({"http:", "https:"})
_HOSTNAME = ("hostname",)
_TAB_OR_NEWLINE = {ord("\t"): None, ord("\n"): None, ord("\r"): None}
#: NamedTuples built through tuple.__new__: the slow path runs for one URL in ten
_new_tuple = tuple.__new__


class ParsedHost(NamedTuple):
    """A host (ASCII lowercase, no trailing dot) or, when there is none, why."""

    host: str | None
    reason: str | None = None


def fast_host_py(url: str) -> str | None:
    """The host of a plain ``http(s)://host/...`` URL, or None to take the slow path."""
    match = match_plain(url)
    return None if match is None else plain_host(match[1])


def written_host_py(url: str) -> str | None:
    """Group 1 of :data:`match_plain`: the host as the URL writes it, or None."""
    match = match_plain(url)
    return None if match is None else match[1]


def plain_host(written: str) -> str | None:
    """The host for group 1 of :data:`match_plain`, or None when only the full parser can tell."""
    # punycode must be validated and empty labels are the full parser's business
    if ".." in written or "xn--" in written:
        return None
    host = written[:-1] if written[-1] == "." else written
    # a top-level label must start with a letter: this leaves single-label hosts,
    # IPv4 numbers (``0x7f.1``) and odd labels to the full parser
    dot = host.rfind(".")
    if dot <= 0 or host[dot + 1] < "a":
        return None
    return host


try:  # the same two, compiled by setup.py from sources/_plain.pyx (tests/sources/test_plain.py)
    from sources._plain import fast_host, written_host
except ImportError:  # pragma: no cover - an install without a C compiler
    fast_host, written_host = fast_host_py, written_host_py


def parse_host(url: str) -> ParsedHost:
    """The host of ``url`` as a browser would resolve it, never raising.

    Schemeless input (``www.paris.fr/x``, ``paris.fr:8080``) is read as http.
    """
    host = fast_host(url)
    if host is not None:
        return ParsedHost(host)
    return parse_host_whatwg(url)


def parse_host_whatwg(url: str) -> ParsedHost:
    if not isinstance(url, str):
        return _new_tuple(ParsedHost, (None, "not a string"))
    # WHATWG: strip leading/trailing C0 controls and spaces, delete tabs and newlines anywhere
    text = url.strip(_C0_OR_SPACE)
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.translate(_TAB_OR_NEWLINE)
    if not text:
        return _new_tuple(ParsedHost, (None, "empty URL"))
    scheme = _SCHEME.match(text)
    if scheme is None or "." in scheme.group(0) and not text[scheme.end() :].startswith("//"):
        # ``paris.fr:8080/x`` is a host with a port, not a scheme named ``paris.fr``
        text = "http://" + text
    else:
        protocol = scheme.group(0).lower()
        if protocol not in _WEB_SCHEMES:
            return _new_tuple(ParsedHost, (None, f"not a web URL ({protocol})"))
    # only the authority decides the host: cut the rest, bound the authority
    start = text.index(":") + 1
    while start < len(text) and text[start] in "/\\":
        start += 1
    found = _AUTHORITY_END.search(text, start)
    end = len(text) if found is None else found.start()
    if end - start > MAX_URL_LENGTH:
        return _new_tuple(ParsedHost, (None, HOST_TOO_LONG))
    text = text[:end]
    try:
        host = str(ada_url.parse_url(text, attributes=_HOSTNAME)["hostname"]).rstrip(".")
    except ValueError:
        return _new_tuple(ParsedHost, (None, "not a valid URL"))
    if not host:
        return _new_tuple(ParsedHost, (None, "no host"))
    # a special URL's host is a domain, an IPv6 [address] or a dotted-decimal IPv4 address
    # (a domain ending in a number is parsed as IPv4 or refused)
    if host[0] == "[" or host[host.rfind(".") + 1 :].isdigit():
        return _new_tuple(ParsedHost, (None, "IP address host"))
    if "." not in host:
        return _new_tuple(ParsedHost, (None, "single-label host"))
    return _new_tuple(ParsedHost, (host, None))


# -- the URL vocabulary every package uses (crawler, ranking, index, service) --
#
# host:              :func:`host_of` (the browser's host, lowercase ASCII, no trailing dot)
# registrable domain: :func:`registrable_domain_of` (eTLD+1 by the Public Suffix List)
# canonical URL:     :func:`canonical_url` (the one spelling of a page to fetch)
# tracking list:     :data:`TRACKING_PARAMETERS`, :data:`TRACKING_PREFIXES`, :func:`is_tracking_parameter`

#: exact names of query parameters that never change what a page says: where a click came from
#: (ads, newsletters, Matomo's and AT Internet's campaign names, common on French public sites)
#: and session ids (which make endless spellings of one page for a crawler)
TRACKING_PARAMETERS: frozenset[str] = frozenset({
    "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "fbclid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "xtor", "srsltid", "ref_src",
    "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "s_cid",
    # Matomo's legacy names and AT Internet's campaign names (``pk`` alone is often a real id)
    "pk_campaign", "pk_kwd", "pk_keyword", "pk_source", "pk_medium", "pk_content", "pk_cid",
    "at_medium", "at_campaign", "at_platform", "at_creation", "at_variant", "at_send_date",
    # session ids
    "phpsessid", "jsessionid", "sessionid", "sid", "aspsessionid",
})
#: prefixes of tracking parameter families (utm_source, mtm_campaign...)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "mtm_", "hsa_")


def is_tracking_parameter(name: str) -> bool:
    """Whether a query parameter only says where a visit came from (case-insensitive)."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def host_of(url: str) -> str | None:
    """The host a browser would connect to for ``url`` (``www.paris.fr.`` -> ``www.paris.fr``),
    or None for anything that is not a web URL with a domain host."""
    return parse_host(url).host


def registrable_domain_of(url: str) -> str | None:
    """The registrable domain (eTLD+1) of ``url``'s host, or None."""
    from sources.psl import registrable_domain  # the PSL rules load on first use

    host = host_of(url)
    return None if host is None else registrable_domain(host)


class WebURL(NamedTuple):
    """An http(s) URL as a browser reads it: host (lowercase ASCII, no trailing dot; unlike
    :func:`host_of`, an IP address is a host here), non-default port or "", path (``/`` at
    least, dot segments resolved, percent-encoded) and query (without ``?``)."""

    host: str
    port: str
    path: str
    query: str


_PARTS = ("protocol", "hostname", "port", "pathname", "search")


#: what follows the host of a plain URL when the WHATWG parser would keep it as written: no
#: character it percent-encodes or rewrites (space, quotes, ``<>`{}``, backslash, ``%``)
_AS_WRITTEN = re.compile(r"[A-Za-z0-9\-._~!$&()*+,;=:@/?]*\Z").match


def split_url(url: str) -> WebURL | None:
    """``url`` cut into :class:`WebURL` parts by the WHATWG parser, or None (not a web URL,
    no host, unparsable, too long).  Schemeless input is read as http, as :func:`parse_host`.

    A plain URL (:data:`match_plain`) whose path and query the parser would leave as written
    is cut without it (a few string operations against about 20 µs for ada-url's binding);
    ``tests/sources/test_url_vocabulary.py`` checks both ways agree."""
    if len(url) > MAX_URL_LENGTH:
        return None
    plain = match_plain(url)
    if plain is not None:
        host = plain_host(plain[1])
        if host is not None:
            rest = url[plain.end(1) :].split("#", 1)[0]
            if _AS_WRITTEN(rest) and "/." not in rest:
                path, _, query = rest.partition("?")
                return WebURL(host, "", path or "/", query)
    return split_url_whatwg(url)


def split_url_whatwg(url: str) -> WebURL | None:
    """:func:`split_url` by the WHATWG parser alone."""
    if len(url) > MAX_URL_LENGTH:
        return None
    text = url.strip(_C0_OR_SPACE).translate(_TAB_OR_NEWLINE)
    scheme = _SCHEME.match(text)
    if scheme is None or "." in scheme.group(0) and not text[scheme.end() :].startswith("//"):
        text = "http://" + text
    try:
        parts = ada_url.parse_url(text, attributes=_PARTS)
    except ValueError:
        return None
    host = str(parts["hostname"]).rstrip(".")
    if str(parts["protocol"]) not in _WEB_SCHEMES or not host:
        return None
    return WebURL(host, str(parts["port"]), str(parts["pathname"]) or "/", str(parts["search"])[1:])


def canonical_url(url: str) -> str | None:
    """The one spelling of the page ``url`` names, to fetch and store it once.

    Tracking parameters (:func:`is_tracking_parameter`) are dropped, then w3lib's
    ``canonicalize_url`` sorts the query, normalises percent-encoding and drops the fragment;
    the host is lowercased and loses a trailing dot.  None for a link that cannot be a URL
    (``https://host:80a/``, unbalanced brackets): pages in the wild carry such links.
    """
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    from w3lib.url import canonicalize_url

    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        # urllib only re-assembles the parts here; which host a URL names is host_of's answer
        parts = urlsplit(url)
        if parts.query:
            kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                    if not is_tracking_parameter(k)]
            parts = parts._replace(query=urlencode(kept))
        netloc = _TRAILING_DOT.sub("", parts.netloc.lower())
        return canonicalize_url(urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")))
    except ValueError:
        return None


#: the trailing dot of a host, before an optional port
_TRAILING_DOT = re.compile(r"\.(?=(?::\d*)?\Z)")
