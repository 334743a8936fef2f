"""The one interface every upstream engine implements, and its HTTP plumbing.

A provider turns a query into an ordered list of :class:`EngineResult`, or
raises a :class:`ranking.errors.ProviderError` subclass.  The caller (the
search page) catches ``ProviderError`` and shows our own index only, with a
notice naming the upstream: an upstream failure is never an error page.

HTTP status mapping (:func:`get_json`):

=====================================  ===============================
timeout (connect, read or pool)        :class:`ProviderTimeout`
connection refused, DNS, TLS, 5xx      :class:`ProviderUnavailable`
429                                    :class:`ProviderRateLimited`
other 4xx, non-JSON body               :class:`ProviderResponseError`
=====================================  ===============================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

import httpx

from ranking.errors import (
    ProviderRateLimited,
    ProviderResponseError,
    ProviderTimeout,
    ProviderUnavailable,
)
from ranking.models import EngineResult

USER_AGENT = "sources-de-confiance/0.1"  # no made-up project address


@runtime_checkable
class Provider(Protocol):
    """An upstream engine: ``await provider.search("carte grise", page=1)``."""

    #: short name shown to users ("SearXNG", "Marginalia")
    name: str

    async def search(self, query: str, *, page: int = 1) -> list[EngineResult]: ...


async def get_json(client: httpx.AsyncClient | None, provider: str, url: str, *,
                   params: Mapping[str, str | int], headers: Mapping[str, str] | None = None,
                   timeout: float) -> Any:
    """GET ``url`` and decode its JSON body, mapping every failure to a ProviderError.

    ``client`` is shared between calls when given (its connection pool is
    reused); otherwise a client lives for this one call.
    """
    all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
    try:
        if client is None:
            async with httpx.AsyncClient(timeout=timeout) as own:
                response = await own.get(url, params=params, headers=all_headers)
        else:
            response = await client.get(url, params=params, headers=all_headers, timeout=timeout)
    except httpx.TimeoutException:
        raise ProviderTimeout(provider, f"no answer within {timeout:g} s") from None
    except (httpx.TransportError, httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise ProviderUnavailable(provider, f"cannot be reached ({type(exc).__name__})") from None
    status = response.status_code
    if status == 429:
        retry = _seconds(response.headers.get("Retry-After"))
        raise ProviderRateLimited(provider, "rate limited (HTTP 429)"
                                  + (f", retry after {retry:g} s" if retry is not None else ""), retry)
    if status >= 500:
        raise ProviderUnavailable(provider, f"upstream error (HTTP {status})")
    if status >= 400:
        raise ProviderResponseError(provider, f"request refused (HTTP {status})")
    try:
        return response.json()
    except ValueError:
        raise ProviderResponseError(provider, "the answer is not JSON") from None


def _seconds(value: str | None) -> float | None:
    """``Retry-After`` in seconds (the HTTP-date form is rare for APIs and read as absent)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def web_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL string (engines sometimes return others)."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return value
    return None
