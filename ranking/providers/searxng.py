"""SearXNG's JSON search API: Google, Bing, Qwant... through a self-hosted metasearch.

Request: ``GET {base_url}/search?q=...&format=json&pageno=1&language=fr``
(`Search API`_).  The instance must allow the JSON format in its
``settings.yml`` (``search: formats: [html, json]``); otherwise it answers
403, reported here as :class:`ProviderResponseError` with that hint.

Each SearXNG result lists every engine that returned it (``engines``) and
its position in each (``positions``); we emit one :class:`EngineResult` per
(engine, position), in SearXNG's order, so re-ranking counts each engine's
list and collapses the duplicates itself.

.. _Search API: https://docs.searxng.org/dev/search_api.html
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

import httpx

from ranking.errors import ProviderResponseError, ProviderUnavailable
from ranking.models import EngineResult, EngineResults
from ranking.providers.base import get_json, web_url


class SearxngResult(TypedDict):
    """One item of ``results`` (`result types`_; the JSON of a ``MainResult``).

    .. _result types: https://docs.searxng.org/dev/result_types/main_result.html
    """

    url: str
    title: str
    content: NotRequired[str]
    engine: str
    engines: NotRequired[list[str]]
    positions: NotRequired[list[int]]
    score: NotRequired[float]
    category: NotRequired[str]
    publishedDate: NotRequired[str | None]
    parsed_url: NotRequired[list[str]]


class SearxngResponse(TypedDict):
    """The body of ``/search?format=json`` (see ``searx/webutils.py:get_json_response``)."""

    query: str
    number_of_results: int
    results: list[SearxngResult]
    answers: NotRequired[list[Any]]
    corrections: NotRequired[list[str]]
    infoboxes: NotRequired[list[Any]]
    suggestions: NotRequired[list[str]]
    #: ``[[engine name, reason], ...]`` for engines that failed this time
    unresponsive_engines: NotRequired[list[list[str]]]


class SearxngProvider:
    """A SearXNG instance (``Settings.searxng_url``) used as upstream."""

    name = "SearXNG"

    def __init__(self, base_url: str, *, timeout: float, language: str = "fr",
                 categories: str = "general", client: httpx.AsyncClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.language = language
        self.categories = categories
        self.client = client

    async def search(self, query: str, *, page: int = 1) -> list[EngineResult]:
        params: dict[str, str | int] = {"q": query, "format": "json", "pageno": page,
                                        "language": self.language, "categories": self.categories}
        try:
            body = await get_json(self.client, self.name, f"{self.base_url}/search", params=params,
                                  timeout=self.timeout)
        except ProviderResponseError as exc:
            if "HTTP 403" in str(exc):
                raise ProviderResponseError(
                    self.name, "JSON format refused (HTTP 403): add json to search.formats "
                    "in the instance's settings.yml") from None
            raise
        return parse_response(body, self.name)


def parse_response(body: Any, provider: str = SearxngProvider.name) -> EngineResults:
    """The engine results of a SearXNG JSON body (pure; raises on a foreign format).

    Engines listed in ``unresponsive_engines`` are reported in ``failed`` when
    others answered, and raise :class:`ProviderUnavailable` when none did.
    """
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        raise ProviderResponseError(provider, "no 'results' list in the answer")
    response: SearxngResponse = body  # type: ignore[assignment]
    out: list[EngineResult] = []
    for rank, item in enumerate(response["results"], start=1):
        if not isinstance(item, dict):
            continue
        url = web_url(item.get("url"))
        if url is None:
            continue
        title = str(item.get("title") or "")
        snippet = str(item.get("content") or "")
        engines = item.get("engines") or [item.get("engine") or provider]
        positions = item.get("positions") or []
        for index, engine in enumerate(engines):
            position = positions[index] if index < len(positions) else rank
            out.append(EngineResult(url, title, snippet, str(engine),
                                    position if isinstance(position, int) else rank))
    failed = [(str(e[0]), str(e[1])) for e in response.get("unresponsive_engines") or []
              if isinstance(e, list) and len(e) == 2]
    if not out and failed:
        listed = ", ".join(f"{name} ({reason})" for name, reason in failed)
        raise ProviderUnavailable(provider, f"every engine failed: {listed}")
    return EngineResults(out, failed=failed)
