"""Every answer follows the registry: hits, their copies, totals, facets and completions.

The index holds pages of hosts the registry trusted when they were indexed. A deny or an
import that drops a host takes a purge round to reach the index (``service.purge``), and a
removed host whose listed subdomains stay trusted keeps its pages for good, so what is
served is checked against the current classifier here:

- a hit is served under its first trusted address (its own, else one of its copies), with
  the copies on untrusted hosts dropped; a hit with no trusted address is dropped;
- a page that lost hits is refilled: results are read again from the start in windows and
  the page is cut from the trusted ones, so page 1 of 10 shows 10 while 10 exist;
- the total and the category facets lose what the dropped hosts' pages counted: exactly when
  the refill read every match, else one search restricted to their sites (``site=``) says
  how many matches they had; the dropped hosts are those of the page and the pages before it
  and the hosts queued for purge (``ServiceState.pending_purges``), so a denied host whose
  pages all rank after the page shown is counted out too, until its purge has run;
- a completion is offered only when a search for it finds a trusted page.

The reads go through ``Searcher.search`` (its public keywords) only, and only when a hit was
dropped: a page whose hits are all trusted costs one classification per address.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from index.errors import SearchIndexError
from index.results import Hit, SearchResults
from sources import Classifier
from sources.urls import host_of

SearchFn = Callable[..., SearchResults]
#: the widest window ``Searcher.search`` reads (``index.searcher.MAX_LIMIT``, not imported: the
#: service starts without tantivy and says so, see ``ServiceState.searcher``)
MAX_LIMIT = 100
#: windows read at most to refill a page (their size: twice the hits up to the page's end, at
#: least WINDOW, at most MAX_LIMIT); a result set read to its end is counted exactly
REFILL_WINDOWS = 5
WINDOW = 50
#: pages a completion's search reads to find one trusted (not collapsed, no snippet, no facet)
COMPLETION_PAGES = 5


def checked_hit(hit: Hit, classifier: Classifier) -> Hit | None:
    """``hit`` as the registry sees it now (module docstring), or ``None``: no trusted address."""
    kept: list[tuple[str, Any]] = []
    for url in (hit.url, *hit.duplicates):
        verdict = classifier.classify(url).verdict
        if verdict.trusted:
            kept.append((url, verdict))
    if not kept:
        return None
    url, verdict = kept[0]
    copies = [u for u, _ in kept[1:]]
    category = verdict.category.value if verdict.category else hit.category
    changes: dict[str, Any] = {}
    if url != hit.url:
        changes.update(url=url, host=host_of(url) or hit.host)
    if copies != hit.duplicates:
        changes["duplicates"] = copies
    if (verdict.domain, category, verdict.name) != (hit.domain, hit.category, hit.name):
        changes.update(domain=verdict.domain or hit.domain, category=category,
                       name=verdict.name or hit.name)
    return dataclasses.replace(hit, **changes) if changes else hit


def _checked(hits: Iterable[Hit], classifier: Classifier, dropped: set[str]) -> list[Hit]:
    """The hits served; the hosts of the dropped ones are added to ``dropped``."""
    out = []
    for hit in hits:
        served = checked_hit(hit, classifier)
        if served is None:
            dropped.update(h for h in (host_of(u) for u in (hit.url, *hit.duplicates)) if h)
        else:
            out.append(served)
    return out


def served_search(search: SearchFn, classifier: Classifier, query: str, kwargs: dict[str, Any],
                  pending: Iterable[str] = ()) -> SearchResults:
    """``search(query, **kwargs)`` as the current registry allows it to be shown; ``pending``:
    hosts queued for purge, whose pages may match though none is on this page."""
    first = search(query, **kwargs)
    dropped: set[str] = set()
    hits = _checked(first.results, classifier, dropped)
    page, limit = first.page, first.limit
    # a page whose own hits are all trusted still moves when hits before it were dropped
    if not dropped and page > 1:
        _checked(_before(search, query, kwargs, (page - 1) * limit), classifier, dropped)
    if not dropped:
        if all(a is b for a, b in zip(hits, first.results, strict=True)):
            served = first
        else:
            served = dataclasses.replace(first, results=hits)
        queued = {h for h in pending if not classifier.classify_host(h).trusted}
        if not queued or not first.total:
            return served
        total, facets = _uncounted(search, classifier, query, kwargs, first, queued, 0)
        return dataclasses.replace(served, total=total, facets=facets)
    dropped.update(h for h in pending if not classifier.classify_host(h).trusted)
    wanted = page * limit
    window = min(MAX_LIMIT, max(2 * wanted, WINDOW))
    kept: list[Hit] = []
    exhausted = False
    for number in range(1, REFILL_WINDOWS + 1):
        read = search(query, **{**kwargs, "page": number, "limit": window, "facets": False})
        kept += _checked(read.results, classifier, dropped)
        exhausted = len(read.results) < window
        if exhausted or len(kept) >= wanted:
            break
    total, facets = first.total, first.facets
    if not exhausted or kwargs.get("category"):
        seen = len(first.results) - len(hits)
        total, facets = _uncounted(search, classifier, query, kwargs, first, dropped, seen)
    if exhausted:  # every match read: the exact count
        total = len(kept)
        if not kwargs.get("category"):
            facets = dict(Counter(h.category for h in kept))
    return dataclasses.replace(first, results=kept[wanted - limit:wanted], total=total, facets=facets)


def _before(search: SearchFn, query: str, kwargs: dict[str, Any], offset: int) -> list[Hit]:
    """The hits ranked before ``offset`` (at most ``REFILL_WINDOWS`` windows), without snippets."""
    window = min(MAX_LIMIT, offset)
    out: list[Hit] = []
    for number in range(1, REFILL_WINDOWS + 1):
        read = search(query, **{**kwargs, "page": number, "limit": window, "snippets": False,
                                "facets": False})
        out += read.results
        if len(read.results) < window or len(out) >= offset:
            break
    return out[:offset]


def _outermost(hosts: set[str]) -> list[str]:
    """The ``site:`` filters covering ``hosts`` once each (``x.fr`` covers ``www.x.fr``)."""
    from index.query import normalize_site

    sites = {normalize_site(h) for h in hosts}
    return sorted(s for s in sites if not any(s.endswith("." + other) for other in sites))


def _uncounted(search: SearchFn, classifier: Classifier, query: str, kwargs: dict[str, Any],
               first: SearchResults, dropped: set[str], seen: int) -> tuple[int, dict[str, int]]:
    """The total and facets of ``first`` less the matches on the dropped hosts.

    One search restricted to their sites (``site=`` takes several) counts them: exact when
    all its matches are untrusted (denied sites) or there are at most 100; when trusted
    hosts share those sites beyond that, the untrusted share of the first 100 stands for the
    rest.  A query with its own ``site:`` filter cannot be restricted further: only the
    ``seen`` hits dropped from its page are taken off its total.
    """
    from index.query import parse

    total, facets = first.total, Counter(first.facets)
    if parse(query).sites or kwargs.get("site"):
        return max(0, total - seen), dict(facets)
    sites = _outermost(dropped)
    if not sites:
        return total, dict(facets)
    read = search(query, **{**kwargs, "site": sites, "page": 1, "limit": MAX_LIMIT,
                            "snippets": False, "facets": True})
    if read.results:
        bad = [h for h in read.results if checked_hit(h, classifier) is None]
        if len(bad) == len(read.results):
            total -= read.total
            facets.subtract(read.facets)
        else:
            share = len(bad) / len(read.results)
            exact = read.total <= len(read.results)
            total -= len(bad) if exact else round(read.total * share)
            if exact and not kwargs.get("category"):
                facets.subtract(Counter(h.category for h in bad))
            else:
                facets.subtract({k: round(v * share) for k, v in read.facets.items()})
    return max(0, total), {k: v for k, v in facets.items() if v > 0}


def trusted_completions(search: SearchFn, classifier: Classifier, completions: Iterable[str],
                        limit: int) -> list[str]:
    """The completions (in their order) whose words find at least one trusted page."""
    out: list[str] = []
    for text in completions:
        words = text.replace('"', " ").strip()
        if not words:
            continue
        try:
            found = search(f'"{words}"', limit=COMPLETION_PAGES, snippets=False, facets=False,
                           fuzzy=False, collapse=False)
        except SearchIndexError:
            continue  # a keystroke never gets an error: a completion not checked is not offered
        if any(checked_hit(hit, classifier) is not None for hit in found.results):
            out.append(text)
            if len(out) >= limit:
                break
    return out
