"""Marginalia Search's JSON API: an independent, non-commercial web search engine.

Request: ``GET {base_url}/search?query=...&page=1&count=20`` with the key in
the ``API-Key`` header (`Marginalia API`_; keys are free on request, the
``public`` key is shared and often rate limited).  The answer is
``{"license", "query", "results": [{"url", "title", "description",
"quality", "format", "details"}]}``, in Marginalia's order.

Marginalia favours small, text-heavy sites, so it finds the pages of small
communes and associations that commercial engines bury: a good second
upstream beside SearXNG.

.. _Marginalia API: https://about.marginalia-search.com/article/api/
"""

from __future__ import annotations

from typing import Any, TypedDict

import httpx

from ranking.errors import ProviderResponseError
from ranking.models import EngineResult
from ranking.providers.base import get_json, web_url

BASE_URL = "https://api2.marginalia-search.com"


class ApiSearchResult(TypedDict):
    """Marginalia's `ApiSearchResult`_.

    .. _ApiSearchResult: https://github.com/MarginaliaSearch/MarginaliaSearch/blob/master/code/
       services-application/api-service/java/nu/marginalia/api/model/ApiSearchResult.java
    """

    url: str
    title: str
    description: str
    quality: float
    format: str
    details: str


class ApiSearchResults(TypedDict):
    """Marginalia's `ApiSearchResults`_.

    .. _ApiSearchResults: https://github.com/MarginaliaSearch/MarginaliaSearch/blob/master/code/
       services-application/api-service/java/nu/marginalia/api/model/ApiSearchResults.java
    """

    license: str
    query: str
    results: list[ApiSearchResult]


class MarginaliaProvider:
    """Marginalia Search, with the API key given (``Settings.marginalia_api_key``)."""

    name = "Marginalia"

    def __init__(self, api_key: str, *, timeout: float, base_url: str = BASE_URL, count: int = 20,
                 client: httpx.AsyncClient | None = None) -> None:
        self.api_key = api_key
        self.timeout = timeout
        self.base_url = base_url.rstrip("/")
        self.count = count
        self.client = client

    async def search(self, query: str, *, page: int = 1) -> list[EngineResult]:
        body = await get_json(self.client, self.name, f"{self.base_url}/search",
                              params={"query": query, "page": page, "count": self.count},
                              headers={"API-Key": self.api_key}, timeout=self.timeout)
        return parse_response(body, offset=(page - 1) * self.count)


def parse_response(body: Any, *, offset: int = 0) -> list[EngineResult]:
    """The engine results of a Marginalia JSON body (pure; raises on a foreign format)."""
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise ProviderResponseError(MarginaliaProvider.name, "no 'results' list in the answer")
    response: ApiSearchResults = body  # type: ignore[assignment]
    out: list[EngineResult] = []
    for item in response["results"]:
        url = web_url(item.get("url")) if isinstance(item, dict) else None
        if url is None:
            continue
        out.append(EngineResult(url, str(item.get("title") or ""), str(item.get("description") or ""),
                                "marginalia", offset + len(out) + 1))
    return out
