"""The JSON body of ``POST /api/classify``, built from fragments cached by host.

A request of 50 URLs is the extension's hot path. Building a dict per URL and
serialising it costs more than classifying it, and every URL of one host gets
the same answer but for its ``url`` field. So each host's part of the answer
(``"trusted":...,"reason":...}``) is serialised once and cached, keyed by the
host as the URL writes it (group 1 of :data:`sources.urls.match_plain`, the
only part of a plain URL its classification depends on). A URL then costs one
regular-expression match, one dict lookup and the serialisation of its own
text. URLs the fast path leaves to the WHATWG parser are classified one by one
as before. ``service/_wire.pyx`` is the same loop compiled with Cython.

One renderer serves one classifier: a registry reload builds a new classifier
and so, through :meth:`ClassifyRenderer.for_classifier`, a new cache.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from service.models import MAX_URL_LENGTH, MAX_URLS
from sources.classifier import MAX_CACHED_HOST as LONGEST_HOST
from sources.classifier import Classifier
from sources.urls import match_plain, plain_host
from sources.verdicts import Classification

try:  # built by ``pip install`` (setup.py); the Python loop below gives the same bytes
    from service import _wire as _compiled
except ImportError:  # pragma: no cover - an install without a C compiler
    _compiled = None  # type: ignore[assignment]

#: hosts whose fragment is kept; beyond it the cache starts again (about 30 MB for real
#: host names, 100 MB at most: longer written hosts are classified but never kept)
MAX_HOSTS = 100_000
#: the classifier's bound, plus the trailing dot a written host may carry
MAX_CACHED_HOST = LONGEST_HOST + 1
_OPEN = b'{"results":['
_ITEM = b'{"url":'


def checked_urls(body: bytes) -> list[str] | None:
    """The URLs of a body that :class:`service.models.ClassifyRequest` accepts as it is, else None.

    The common case, checked in a few microseconds less than pydantic takes; on
    None the caller lets pydantic decide, and name the problem.
    """
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if _compiled is not None:
        urls: list[str] | None = _compiled.checked_urls(data, MAX_URLS, MAX_URL_LENGTH)
        return urls
    if type(data) is not dict or len(data) != 1:
        return None
    urls = data.get("urls")
    if type(urls) is not list or len(urls) > MAX_URLS:
        return None
    return urls if all(type(u) is str and len(u) <= MAX_URL_LENGTH for u in urls) else None


def _fragment(classification: Classification) -> tuple[bytes, int]:
    """``,"trusted":...}`` + ``,`` for one classification, and 1 if it is trusted."""
    fields: dict[str, Any] = classification.to_dict()
    del fields["url"]
    return b"," + orjson.dumps(fields)[1:] + b",", int(classification.trusted)


class ClassifyRenderer:
    """Renders ``{"results": [...]}`` for a batch of URLs with one classifier."""

    def __init__(self, classifier: Classifier, max_hosts: int = MAX_HOSTS) -> None:
        self.classifier = classifier
        self._max_hosts = max_hosts
        #: host as written -> (fragment, trusted), or None when the full parser must decide
        self._by_host: dict[str, tuple[bytes, int] | None] = {}

    def for_classifier(self, classifier: Classifier) -> ClassifyRenderer:
        """This renderer if it serves ``classifier``, else a new one (the registry was reloaded)."""
        return self if classifier is self.classifier else ClassifyRenderer(classifier, self._max_hosts)

    def render(self, urls: Sequence[str]) -> tuple[bytes, int]:
        """The response body, and how many of ``urls`` are trusted; the order is kept."""
        if _compiled is not None:
            return _compiled.render(list(urls), self._by_host, self._learn, self._slow)
        return self.render_python(urls)

    def render_python(self, urls: Sequence[str]) -> tuple[bytes, int]:
        """:meth:`render` without the compiled loop (``service/_wire.pyx``), same bytes."""
        parts = [_OPEN]
        append = parts.append
        cached = self._by_host.get
        dumps = orjson.dumps
        trusted = 0
        for url in urls:
            match = match_plain(url)
            entry = cached(match[1], False) if match is not None else None
            if entry is False:  # first time this host is seen
                entry = self._learn(match[1])  # type: ignore[index]
            if entry is None:  # not a plain URL: the full WHATWG parse, for this URL alone
                entry = self._slow(url)
            append(_ITEM)
            append(dumps(url))
            append(entry[0])  # type: ignore[index]  # a fragment now: False and None were replaced
            trusted += entry[1]  # type: ignore[index]
        body = b"".join(parts)
        return (body[:-1] if urls else body) + b"]}", trusted

    def _slow(self, url: str) -> tuple[bytes, int]:
        return _fragment(self.classifier.classify(url))

    def _learn(self, written: str) -> tuple[bytes, int] | None:
        host = plain_host(written)
        entry = None if host is None else _fragment(
            Classification("", host, self.classifier.classify_host(host)))
        if len(written) > MAX_CACHED_HOST:
            return entry  # no real host is this long: keys of 8 KB would make the cache 1.6 GB
        if len(self._by_host) >= self._max_hosts:
            self._by_host.clear()  # rare; a bounded dict beats an LRU's bookkeeping per URL
        self._by_host[written] = entry
        return entry
