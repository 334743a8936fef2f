"""The upstream engines of the unified view: built once from the typed settings, sharing one
``httpx.AsyncClient`` for the app's life (its connection pool reused by every search), closed by
the app's lifespan (:func:`close_upstreams`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import httpx

from ranking import EngineResult
from ranking.errors import ProviderError, ProviderRateLimited, ProviderTimeout
from ranking.providers import Guarded, MarginaliaProvider, Provider, SearxngProvider
from service.settings import Settings


def providers_from_settings(settings: Settings, client: httpx.AsyncClient | None = None) -> list[Provider]:
    """The upstreams the settings configure (none: the unified view is off)."""
    found: list[Provider] = []
    if settings.searxng_url:
        found.append(SearxngProvider(settings.searxng_url, timeout=settings.upstream_timeout,
                                     client=client))
    if settings.marginalia_api_key:
        found.append(MarginaliaProvider(settings.marginalia_api_key,
                                        timeout=settings.upstream_timeout, client=client))
    return found


class Upstreams:
    """The app's upstreams, guarded (memory, back-off), over one client (None without upstream)."""

    def __init__(self, settings: Settings) -> None:
        #: the event loop its client's connections belong to
        self.loop = asyncio.get_running_loop()
        configured = bool(settings.searxng_url or settings.marginalia_api_key)
        self.client = httpx.AsyncClient(timeout=settings.upstream_timeout) if configured else None
        self.providers: list[Provider] = [Guarded(p) for p in providers_from_settings(settings, self.client)]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.providers]

    async def search(self, query: str) -> tuple[list[EngineResult], list[str]]:
        return await gather_engines(self.providers, query) if self.providers else ([], [])

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None


def upstreams_of(app: Any) -> Upstreams:
    """The app's :class:`Upstreams`, made at its first use inside the event loop that uses it
    (a server has one loop for its life; a test client without its lifespan, one per request)."""
    found: Upstreams | None = getattr(app.state, "upstreams", None)
    if found is None or found.loop is not asyncio.get_running_loop():
        found = app.state.upstreams = Upstreams(app.state.settings)
    return found


async def close_upstreams(app: Any) -> None:
    """Close the app's upstream client (the lifespan's end)."""
    found: Upstreams | None = getattr(app.state, "upstreams", None)
    if found is not None:
        await found.aclose()
        app.state.upstreams = None


def notice_for(error: ProviderError) -> str:
    """The visible notice when an upstream failed: our index only, and why, in French."""
    why = ("n'a pas répondu à temps" if isinstance(error, ProviderTimeout) else
           "limite le nombre de recherches pour le moment" if isinstance(error, ProviderRateLimited)
           else "est indisponible")
    return (f"Le moteur externe {error.provider} {why} : "
            "seuls les résultats de notre index sont affichés.")


async def gather_engines(providers: Sequence[Provider], query: str
                         ) -> tuple[list[EngineResult], list[str]]:
    """Every provider's results, concatenated, and a notice per failed provider."""
    answers = await asyncio.gather(*(p.search(query) for p in providers), return_exceptions=True)
    results: list[EngineResult] = []
    notices: list[str] = []
    for provider, answer in zip(providers, answers, strict=True):
        if isinstance(answer, ProviderError):
            notices.append(notice_for(answer))
        elif isinstance(answer, BaseException):
            notices.append(notice_for(ProviderError(provider.name, str(answer))))
        else:
            results.extend(answer)
            failed = getattr(answer, "failed", ())
            if failed:
                names = ", ".join(name for name, _ in failed)
                notices.append(f"Via {provider.name}, ces moteurs n'ont pas répondu : {names}. "
                               "La liste des moteurs est incomplète.")
    return results, notices
