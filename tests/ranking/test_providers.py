"""Providers against a loopback stand-in speaking each upstream's documented JSON."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ranking import Mode, TrustTable, rerank
from ranking.errors import (
    ProviderError,
    ProviderRateLimited,
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
    RankingError,
)
from ranking.providers import MarginaliaProvider, Provider, SearxngProvider, searxng

Upstream = Callable[..., str]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_searxng_results_per_engine(upstream: Upstream, standin: Any, table: TrustTable) -> None:
    provider = SearxngProvider(upstream(), timeout=2.0)
    assert isinstance(provider, Provider)
    found = run(provider.search("carte grise", page=2))
    path, params, _ = standin.requests[-1]
    assert path == "/ok/search"
    assert params["q"] == ["carte grise"] and params["format"] == ["json"]
    assert params["pageno"] == ["2"] and params["language"] == ["fr"]
    # 6 results, listed by 3 + 2 + 2 + 1 + 1 + 1 engines
    assert len(found) == 10
    assert (found[0].engine, found[0].position) == ("google", 2)
    assert found.failed == (("duckduckgo", "CAPTCHA"),)  # the others answered
    assert {(r.engine, r.position) for r in found if "ants" in r.url} == {
        ("google", 2), ("bing", 1), ("qwant", 1)}
    ranked = rerank(found, table, Mode.BOOST)
    assert ranked.total == 6 and ranked.duplicates == 4
    assert ranked.results[0].engines == ["google", "bing", "qwant"]
    assert [r.trusted for r in ranked.results[:4]] == [True, True, True, False]


def test_marginalia_sends_key_and_parses(upstream: Upstream, standin: Any) -> None:
    provider = MarginaliaProvider("secret-key", timeout=2.0, base_url=upstream(), count=3)
    found = run(provider.search("carte grise", page=2))
    path, params, headers = standin.requests[-1]
    assert params == {"query": ["carte grise"], "page": ["2"], "count": ["3"]}
    assert headers["API-Key"] == "secret-key"
    assert [r.position for r in found] == [4, 5, 6]
    assert {r.engine for r in found} == {"marginalia"}
    assert found[0].snippet.startswith("Changement de titulaire")


@pytest.mark.parametrize("behaviour, error, message", [
    ("429", ProviderRateLimited, "retry after 30 s"),
    ("500", ProviderUnavailable, "HTTP 500"),
    ("html", ProviderResponseError, "not JSON"),
    ("foreign", ProviderResponseError, "no 'results'"),
    ("captcha", ProviderUnavailable, "google (CAPTCHA), bing (timeout)"),
    ("403", ProviderResponseError, "search.formats"),
])
def test_searxng_failures_are_typed(upstream: Upstream, behaviour: str, error: type[Exception],
                                    message: str) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        run(SearxngProvider(upstream(behaviour), timeout=2.0).search("q"))
    assert isinstance(caught.value, ProviderError) and isinstance(caught.value, RankingError)
    assert caught.value.provider == "SearXNG"


def test_timeout(upstream: Upstream) -> None:
    with pytest.raises(ProviderTimeout, match="within 0.2 s"):
        run(SearxngProvider(upstream("slow"), timeout=0.2).search("q"))
    with pytest.raises(ProviderTimeout):
        run(MarginaliaProvider("k", timeout=0.2, base_url=upstream("slow")).search("q"))


def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderUnavailable, match="cannot be reached"):
        run(SearxngProvider(f"http://127.0.0.1:{port}", timeout=1.0).search("q"))


def test_marginalia_without_key_is_refused(upstream: Upstream) -> None:
    with pytest.raises(ProviderResponseError, match="HTTP 401"):
        run(MarginaliaProvider("", timeout=1.0, base_url=upstream()).search("q"))


def test_shared_client(upstream: Upstream) -> None:
    async def twice() -> int:
        async with httpx.AsyncClient() as client:
            provider = SearxngProvider(upstream(), timeout=2.0, client=client)
            first = await provider.search("a")
            second = await provider.search("b")
            return len(first) + len(second)

    assert run(twice()) == 20


def test_parse_skips_non_web_urls() -> None:
    body = {"query": "q", "number_of_results": 0, "results": [
        {"url": "javascript:alert(1)", "title": "x", "engine": "google"},
        {"url": "https://caf.fr/", "title": "Caf", "engine": "bing"},
        "not a result",
    ]}
    found = searxng.parse_response(body)
    assert [(r.url, r.engine, r.position) for r in found] == [("https://caf.fr/", "bing", 2)]
