"""Guarded upstreams: short memory of answers and back-off, against the loopback stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from ranking.errors import ProviderRateLimited, ProviderTimeout, ProviderUnavailable
from ranking.providers import Guarded, SearxngProvider
from ranking.providers.guard import suspension


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guarded(url: str, clock: Clock, **options: Any) -> Guarded:
    return Guarded(SearxngProvider(url, timeout=2.0), clock=clock, **options)


def test_same_query_is_answered_from_memory(upstream: Callable[..., str], standin: Any) -> None:
    clock = Clock()
    provider = guarded(upstream(), clock)
    first = asyncio.run(provider.search("carte grise"))
    again = asyncio.run(provider.search("carte grise"))
    assert again == first and len(standin.requests) == 1
    assert again.failed == first.failed == (("duckduckgo", "CAPTCHA"),)
    again.clear()  # callers get a copy
    assert asyncio.run(provider.search("carte grise")) == first
    asyncio.run(provider.search("carte grise", page=2))
    assert len(standin.requests) == 2
    clock.now += 61
    asyncio.run(provider.search("carte grise"))
    assert len(standin.requests) == 3


def test_memory_is_bounded(upstream: Callable[..., str], standin: Any) -> None:
    provider = guarded(upstream(), Clock(), cache_size=2)
    for query in ("a", "b", "c", "a"):
        asyncio.run(provider.search(query))
    assert len(standin.requests) == 4  # "a" was pushed out by "c"


def test_rate_limit_suspends_for_retry_after(upstream: Callable[..., str], standin: Any) -> None:
    clock = Clock()
    provider = guarded(upstream("429"), clock)
    with pytest.raises(ProviderRateLimited) as caught:
        asyncio.run(provider.search("q"))
    assert caught.value.retry_after == 30
    clock.now += 29
    with pytest.raises(ProviderRateLimited, match="not asked again for 1 s"):
        asyncio.run(provider.search("other query"))
    assert len(standin.requests) == 1
    clock.now += 2
    with pytest.raises(ProviderRateLimited):
        asyncio.run(provider.search("q"))
    assert len(standin.requests) == 2


def test_unavailable_suspends_30_seconds(upstream: Callable[..., str], standin: Any) -> None:
    clock = Clock()
    provider = guarded(upstream("500"), clock)
    for _ in range(3):
        with pytest.raises(ProviderUnavailable):
            asyncio.run(provider.search("q"))
    assert len(standin.requests) == 1


def test_suspension_table() -> None:
    assert suspension(ProviderRateLimited("x", "m", 5000)) == 3600
    assert suspension(ProviderRateLimited("x", "m")) == 120
    assert suspension(ProviderTimeout("x", "m")) == 10
