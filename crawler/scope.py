"""Which hosts a crawl may visit: trusted by the registry's classifier, and inside the crawl's hosts.

The classifier is the only judge of trust; a crawl started with ``--hosts`` or ``--category`` is
further narrowed to those hosts (and their subdomains), so that crawling one site does not wander
into every other trusted site it links to.
"""

from __future__ import annotations

from collections.abc import Iterable

from sources import Category, Classifier
from sources.hosts import under_any
from sources.urls import host_of


class CrawlScope:
    """``allows(host)``: trusted, in the category if one is given, and under one of ``hosts`` if given."""

    def __init__(self, classifier: Classifier, hosts: Iterable[str] | None = None,
                 category: Category | None = None) -> None:
        self.classifier = classifier
        # ``https://x.gouv.fr/`` or ``X.gouv.fr.`` given for a host still means x.gouv.fr
        self.hosts = frozenset(host_of(h) or h.lower().rstrip(".") for h in hosts) if hosts else None
        self.category = category

    def allows(self, host: str | None) -> bool:
        # no cache of its own: classify_host's is bounded, a dict of every host ever linked is not
        return bool(host) and self._decide(host)  # type: ignore[arg-type]

    def _decide(self, host: str) -> bool:
        verdict = self.classifier.classify_host(host)
        if not verdict.trusted:
            return False
        if self.category is not None and verdict.category != self.category:
            return False
        return self.hosts is None or under_any(host, self.hosts)
