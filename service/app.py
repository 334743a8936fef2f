"""``create_app(settings)``: the FastAPI application, wiring only.

    uvicorn --factory service.app:create_app_from_env     # what ``sdc serve`` runs

Routers: the search page, the JSON API, OpenSearch, health and metrics, the
curator endpoints (only with a curator token), re-ranking (``routers.rerank``).
Middleware: security headers and metrics (pure ASGI), HEAD as GET; ``POST /api/classify``
goes around them to ``service.hotpath``.  Background work: flushing the usage counters,
noticing registry changes made by other workers and refreshing the index status every second
(:meth:`ServiceState.upkeep`, in a thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.routing import get_route_path
from starlette.types import ASGIApp, Receive, Scope, Send

from service import hotpath, registry_follow, startup
from service.errors import install_error_handlers
from service.head import HeadAsGetMiddleware
from service.logs import install_privacy_filter
from service.metrics import MetricsMiddleware
from service.openapi import install_openapi
from service.routers import (
    annuaire,
    api,
    curator,
    extension,
    health,
    opensearch,
    reports,
    rerank,
    search_page,
)
from service.runtime import HeapKeeper, building, tune_worker
from service.security import SecurityHeadersMiddleware
from service.settings import Settings
from service.state import ServiceState
from service.templating import Renderer, base_path, environment
from service.upstreams import close_upstreams

logger = logging.getLogger("sdc.service")

STATIC = Path(__file__).parent / "static"
USAGE_FLUSH = 1.0  # seconds between flushes of the usage counters
#: seconds between upkeep rounds: registry changes by other workers (a cheap stamp), index status
UPKEEP = 1.0

DESCRIPTION = """Recherche dans les sources publiques de confiance, classification d'URL
et fournisseur OpenSearch. Snippets are HTML-escaped with `<mark>` highlights."""


async def _every(seconds: float, work: Callable[[], object]) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            await asyncio.to_thread(work)
        except Exception as exc:  # background upkeep must outlive a failed round
            logger.warning("background task %s failed: %s", getattr(work, "__name__", work), exc)


#: one set of CORS options: the middleware's, and the headers of the hot path
CORS_OPTIONS: dict[str, Any] = {
    "allow_origins": ["*"], "allow_methods": ["GET", "POST"],
    "allow_headers": ["Content-Type", "If-None-Match"], "expose_headers": ["ETag"], "max_age": 86400,
}


class ServiceApp(FastAPI):
    """FastAPI, but ``POST /api/classify`` goes straight to :mod:`service.hotpath`.

    Overriding the ASGI entry point is the only way ahead of FastAPI's error and telemetry layers
    (no public hook); so is reading ``CORSMiddleware.simple_headers`` below.  Both are guarded by
    ``tests/service/test_framework_internals.py``, which fails when a release changes them."""

    hot_path: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = _without_trailing_slash(scope)
        if (self.hot_path is not None and scope["type"] == "http" and scope["method"] == "POST"
                and get_route_path(scope) == hotpath.ROUTE):
            scope["app"] = self
            await self.hot_path(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _without_trailing_slash(scope: Scope) -> Scope:
    """``/recherche/`` answered as ``/recherche``, in place of Starlette's redirect (``redirect_slashes``
    is off): that redirect wrote its ``Location`` from the request's ``Host`` header, which a shared
    cache in front could then serve to everyone (no absolute URL of ours comes from ``Host``)."""
    path = scope["path"]
    if len(path) < 2 or not path.endswith("/"):
        return scope
    scope = {**scope, "path": path.rstrip("/") or "/"}
    if isinstance(scope.get("raw_path"), bytes):
        scope["raw_path"] = scope["raw_path"].rstrip(b"/") or b"/"
    return scope


def create_app(settings: Settings) -> ServiceApp:
    state = ServiceState(settings.data_dir, settings.index_dir, settings.redis_url)

    heap = HeapKeeper(state.classifier)

    def upkeep() -> None:
        with building():  # a round may recompile the registry
            state.upkeep()
        heap.after_reload(state.classifier)  # a recompiled registry: its old objects collected

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(_every(USAGE_FLUSH, state.usage.flush)),
                 asyncio.create_task(_every(UPKEEP, upkeep))]
        tasks += [asyncio.create_task(_every(period, work))  # purge rounds, registry following
                  for period, work in registry_follow.background_tasks(state, settings)]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await close_upstreams(app)  # the upstream engines' one HTTP client
            state.close()

    app = ServiceApp(title="Sources de Confiance", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None,  # Swagger UI loads a CDN
                  openapi_url="/api/openapi.json", redirect_slashes=False)
    app.state.settings = settings
    app.state.sdc = state
    render = Renderer(environment(), base_path(settings.public_base_url))
    app.state.templates = render.env
    # the footer says where a query goes: nowhere, or to the configured upstream engines,
    # and whether the access log keeps it
    render.env.globals["requetes_journalisees"] = settings.log_queries
    # what `sdc run` started from: a demonstration index, or a first crawl under way
    render.env.globals["demarrage"] = functools.partial(startup.notice, settings.data_dir)
    render.env.globals["moteurs_tiers"] = [
        name for name, on in (("SearXNG", settings.searxng_url), ("Marginalia", settings.marginalia_api_key))
        if on]
    app.state.render = render
    app.state.render_error = render.error

    install_error_handlers(app)
    install_openapi(app)
    install_privacy_filter(settings.log_queries)
    app.add_middleware(MetricsMiddleware, metrics=state.metrics)
    app.add_middleware(SecurityHeadersMiddleware)
    # The extension calls the API and fetches its list from its own origin
    # (chrome-extension://, moz-extension://); nothing here uses cookies.
    app.add_middleware(CORSMiddleware, **CORS_OPTIONS)
    app.add_middleware(HeadAsGetMiddleware)  # outermost: every layer sees the GET it stands for
    app.include_router(search_page.router)
    app.include_router(api.router)
    app.include_router(opensearch.router)
    app.include_router(health.router)
    app.include_router(extension.router)
    app.include_router(curator.router)  # 404 while no curator token nor named curator exists
    app.include_router(reports.router)
    app.include_router(registry_follow.router)  # 404 without SDC_REGISTRY_FOLLOW_TOKEN
    app.include_router(rerank.router)
    app.include_router(annuaire.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # The extension's hot path skips the stack above (service/hotpath.py says why)
    cors_headers = CORSMiddleware(app.router, **CORS_OPTIONS).simple_headers
    app.hot_path = hotpath.ClassifyEndpoint(state, cors_headers)
    return app


def create_worker_app(settings: Settings) -> ServiceApp:
    """:func:`create_app` for a server process: its registry and index, once built, are frozen
    out of the garbage collector's full passes, the GIL handed over sooner (``service.runtime``)."""
    with building():
        app = create_app(settings)
    tune_worker()
    return app


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings from ``SDC_*`` environment variables."""
    return create_worker_app(Settings())
