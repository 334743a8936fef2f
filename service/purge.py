"""Purge from the index the pages of hosts the registry no longer trusts.

A curator deny and an import that removes hosts queue those hosts in the
registry (``sources.journal``'s ``purges`` table). Whoever can take the index
writer next empties the queue: the service's background task every few
seconds, or the CLI right after ``sdc sources deny|import``. tantivy allows one
writer per index: when another holds it (a crawl, ``sdc index consume``) the
queue simply waits for the next round; no request ever waits for a purge.
Until a page is purged, search answers already hide it (every hit is checked
against the current registry when served).

The crawl frontier forgets those hosts too: their URLs not yet handled in the
persisted frontier (``<crawl_dir>/frontier.sqlite``) are marked done, so that a
resumed crawl never asks them again (a crawl compiles the registry when it
starts, and its scope drops untrusted hosts' links from then on).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from index.errors import IndexLockedError, IndexOpenError, SearchIndexError
from sources import Classifier, Registry

logger = logging.getLogger("sdc.purge")
#: hosts purged per round: a round holds the writer for a bounded time
BATCH = 50


@dataclass(frozen=True, slots=True)
class PurgeResult:
    hosts: int = 0
    pages: int = 0
    #: the index writer was held by another process: the queue waits for the next round
    busy: bool = False
    #: hosts still queued after this round
    left: int = 0


def purge_pending(registry: Registry, index_dir: Path, crawl_dir: Path | None = None,
                  classifier: Classifier | None = None) -> PurgeResult:
    """Delete the queued hosts' pages that the current registry does not trust."""
    pending = registry.curation.pending_purges(BATCH)
    if not pending:
        return PurgeResult()
    from index.schema import open_index
    from index.writer import IndexWriter

    if classifier is None or classifier.generation != registry.generation():
        classifier = registry.classifier()  # a stale verdict must never skip a purge
    if crawl_dir is not None:
        from crawler.errors import CrawlStateError
        from crawler.frontier import forget_hosts

        try:
            forget_hosts(crawl_dir / "frontier.sqlite",
                         [h for h in pending if not classifier.is_trusted(h)])
        except CrawlStateError as exc:  # the index purge must not wait for the frontier
            logger.warning("%s", exc)
    try:
        open_index(index_dir, create=False)
    except (IndexOpenError, SearchIndexError, OSError):
        for host in pending:  # no index yet: nothing to purge, nothing to keep queued
            registry.curation.purged(host, 0)
        return PurgeResult(len(pending))
    try:
        writer = IndexWriter(index_dir, classifier, commit_seconds=0, threads=1,
                             heap_bytes=15_000_000)
    except IndexLockedError:
        return PurgeResult(busy=True, left=len(pending))
    pages = 0
    with writer:
        for host in pending:
            deleted = 0
            if not classifier.is_trusted(host) and not _trusted_below(registry, classifier, host):
                deleted = writer.delete_domain(host)
            registry.curation.purged(host, deleted)
            pages += deleted
    left = len(registry.curation.pending_purges(BATCH))
    if pages:
        logger.info("purged %d pages of %d hosts from the index", pages, len(pending))
    return PurgeResult(len(pending), pages, False, left)


def _trusted_below(registry: Registry, classifier: Classifier, host: str) -> bool:
    """True when a listed subdomain of ``host`` stays trusted (``www.paris.fr`` when
    ``paris.fr`` leaves a list): deleting the whole domain would drop its pages too."""
    return any(str(e["host"]) != host and classifier.is_trusted(str(e["host"]))
               for e in registry.store.entries_for(host))
