"""Be a good client of an upstream: remember its recent answers and back off when it fails.

:class:`Guarded` wraps any :class:`Provider` and is one itself:

* **Short memory.**  The same query within ``cache_seconds`` (60 s) is not
  sent again: switching "Tous | Sources de confiance" on the search page
  re-renders without a new upstream request.  Answers stay in memory only,
  at most ``cache_size`` of them, and are never written anywhere.
* **Suspension.**  After a failure the upstream is left alone for a while,
  like SearXNG suspends its own engines: pages then answer at once with the
  notice instead of waiting for a timeout each time.  The error raised
  meanwhile has the original type, so the notice stays the same.

=========================  ===========================================
failure                    suspension
=========================  ===========================================
``ProviderRateLimited``    its ``Retry-After`` (at most 1 h), else 120 s
``ProviderUnavailable``    30 s
``ProviderResponseError``  300 s (usually a configuration problem)
``ProviderTimeout``        10 s
=========================  ===========================================
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from ranking.errors import (
    ProviderError,
    ProviderRateLimited,
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
)
from ranking.models import EngineResult, EngineResults
from ranking.providers.base import Provider

SUSPENSIONS: dict[type[ProviderError], float] = {
    ProviderRateLimited: 120.0,
    ProviderUnavailable: 30.0,
    ProviderResponseError: 300.0,
    ProviderTimeout: 10.0,
}
MAX_SUSPENSION = 3600.0


def suspension(error: ProviderError) -> float:
    """How long to leave an upstream alone after ``error`` (seconds)."""
    if isinstance(error, ProviderRateLimited) and error.retry_after is not None:
        return min(error.retry_after, MAX_SUSPENSION)
    for kind, seconds in SUSPENSIONS.items():
        if isinstance(error, kind):
            return seconds
    return SUSPENSIONS[ProviderUnavailable]


class Guarded:
    """``provider`` with a short memory of answers and a suspension after failures."""

    def __init__(self, provider: Provider, *, cache_seconds: float = 60.0, cache_size: int = 256,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.provider = provider
        self.name = provider.name
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self._clock = clock
        self._answers: OrderedDict[tuple[str, int], tuple[float, EngineResults]] = OrderedDict()
        self._suspended: tuple[float, ProviderError] | None = None

    async def search(self, query: str, *, page: int = 1) -> list[EngineResult]:
        now = self._clock()
        if self._suspended is not None:
            until, error = self._suspended
            if now < until:
                raise _again(error, until - now)
            self._suspended = None
        key = (query, page)
        cached = self._answers.get(key)
        if cached is not None and now - cached[0] < self.cache_seconds:
            return EngineResults(cached[1], failed=cached[1].failed)  # a copy: callers may extend it
        try:
            found = await self.provider.search(query, page=page)
        except ProviderError as error:
            self._suspended = (self._clock() + suspension(error), error)
            raise
        self._answers[key] = (now, EngineResults(found, failed=getattr(found, "failed", ())))
        self._answers.move_to_end(key)
        while len(self._answers) > self.cache_size:
            self._answers.popitem(last=False)
        return found


def _again(error: ProviderError, remaining: float) -> ProviderError:
    message = str(error).removeprefix(f"{error.provider}: ")
    text = f"{message} (not asked again for {remaining:.0f} s)"
    if isinstance(error, ProviderRateLimited):
        return ProviderRateLimited(error.provider, text, error.retry_after)
    return type(error)(error.provider, text)
