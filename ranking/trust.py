"""What the registry says of one result URL, looked up once per URL.

:class:`TrustTable` wraps a :class:`sources.Classifier` (the registry,
compiled) and remembers each URL's verdict, because engines keep returning
the same few thousand official pages: a look-up is then one dict access.
The memory is bounded (it starts afresh past ``max_entries``, 50,000 URLs
by default, or past ``max_bytes`` of remembered text, 32 MB: URLs may be
8 KB long, and 50,000 of them with their keys and hosts held 1.2 GB) and
safe to share between threads (a dict assignment is atomic).

Deny-listed
    A result is *deny-listed* when a curator denied its host or a parent
    (rule ``curator:deny``: malicious or impersonating sites), or when its
    host mixes scripts (a possible homoglyph of an official name), or when
    its URL is not a web URL at all (``javascript:``, ``data:``...).  Such
    results are removed in every mode and listed with the reason.
"""

from __future__ import annotations

from typing import NamedTuple

from ranking.canonical import result_key
from sources import Classifier, Verdict

DENY_RULE = "curator:deny"
_HOMOGLYPH = "mixed-script"
#: what one remembered URL costs beside its text (the dict slot, the Trust tuple, three str headers)
ENTRY_BYTES = 300
#: reasons of :meth:`Classifier.classify` for URLs that are no web page at all
_NOT_WEB = ("not a web URL", "not a valid URL", "not a string", "empty URL", "no host",
            "longer than")


class Trust(NamedTuple):
    """One URL's dedup key, host, verdict, and why it must be removed (None: keep it)."""

    canonical: str
    host: str | None
    verdict: Verdict
    category: str | None
    removal: str | None


def removal_reason(host: str | None, verdict: Verdict) -> str | None:
    """Why a result with this verdict is taken out of every list, or None."""
    if verdict.rule == DENY_RULE:
        return verdict.reason
    reason = verdict.reason
    if reason.startswith(_HOMOGLYPH) or (host is None and reason.startswith(_NOT_WEB)):
        return reason
    return None


class TrustTable:
    """A classifier with a bounded memory of the URLs it has seen."""

    def __init__(self, classifier: Classifier, *, max_entries: int = 50_000,
                 max_bytes: int = 32 * 1024 * 1024) -> None:
        self.classifier = classifier
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._seen: dict[str, Trust] = {}
        self._bytes = 0  # characters of the remembered URLs, keys and hosts, plus ENTRY_BYTES each

    def lookup(self, url: str) -> Trust:
        found = self._seen.get(url)
        if found is not None:
            return found
        classification = self.classifier.classify(url)
        host, verdict = classification.host, classification.verdict
        category = verdict.category.value if verdict.category is not None else None
        found = Trust(result_key(url), host, verdict, category, removal_reason(host, verdict))
        size = len(url) + len(found.canonical) + len(host or "") + ENTRY_BYTES
        if len(self._seen) >= self.max_entries or self._bytes + size > self.max_bytes:
            self._seen, self._bytes = {}, 0
        self._seen[url] = found
        self._bytes += size
        return found
