"""Errors of the service, and the one place where every error becomes an HTTP answer.

    ServiceError
    ├── IndexUnavailable     the search index is absent or cannot be opened (503)
    ├── Busy                 too many heavy requests in this worker (503 + Retry-After)
    └── CuratorAuthError     missing or wrong curator bearer token (401)

Errors of the libraries map by class (most specific first, see ``STATUS``):
``sources.errors`` (unknown category, invalid host -> 422; failed download
-> 502; registry store -> 503) and ``index.errors`` (503: queries never raise
there, only an index that cannot be opened or read). Request validation errors (wrong types, too many
URLs, invalid JSON) are FastAPI's 422 with its ``detail`` list naming the
field. API paths answer ``{"detail": ...}`` in JSON; pages answer the French
error page with the same status. Nothing a user sends ends as a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.errors import SearchIndexError
from service.responses import json_response
from sources import errors as sources_errors

logger = logging.getLogger("sdc.service")


class ServiceError(Exception):
    """Base class of the service's own errors; ``status`` is the HTTP status."""

    status = 503


class IndexUnavailable(ServiceError):
    """The search index is absent or cannot be opened."""

    status = 503


class Busy(ServiceError):
    """Too many heavy requests (searches, large batches) are running or waiting in this worker."""

    status = 503

    def __init__(self, retry_after: int = 1) -> None:
        super().__init__("the service is busy: retry in a moment")
        self.retry_after = retry_after


class CuratorAuthError(ServiceError):
    """The curator endpoints need ``Authorization: Bearer <SDC_CURATOR_TOKEN>``."""

    status = 401


#: errors of the libraries -> HTTP status, most specific first
STATUS: tuple[tuple[type[Exception], int], ...] = (
    (sources_errors.UnknownCategoryError, 422),
    (sources_errors.InvalidHostError, 422),
    (sources_errors.FetchError, 502),
    (sources_errors.FormatError, 422),
    (sources_errors.ImportSourceError, 422),
    (sources_errors.StoreError, 503),
    (sources_errors.SourcesError, 422),
    (SearchIndexError, 503),
)


def wants_json(request: Request) -> bool:
    """API and machine paths answer JSON; the search pages answer HTML."""
    path = request.url.path
    if path == "/" or path.startswith("/recherche"):
        return False
    # elsewhere a browser (it asks for text/html) gets the French page, API clients JSON
    return path.startswith("/api") or "text/html" not in request.headers.get("accept", "")


def _render_error(request: Request, status: int, detail: object) -> Response:
    if wants_json(request):
        return json_response({"detail": detail}, status=status)
    render: Callable[..., HTMLResponse] | None = getattr(request.app.state, "render_error", None)
    if render is None:
        return json_response({"detail": detail}, status=status)
    return render(request, status, detail)


def validation_detail(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The ``detail`` of a 422: where and what, without the input (it may be a query or URLs)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    """Register every exception handler of the service on ``app``."""

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        response = _render_error(request, exc.status_code, exc.detail)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return _render_error(request, 422, validation_detail(exc.errors()))

    async def service_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServiceError)
        response = _render_error(request, exc.status, str(exc))
        if isinstance(exc, CuratorAuthError):
            response.headers["WWW-Authenticate"] = "Bearer"
            # refused before its body was read: closing spares the worker's event loop the
            # rest of it (a 50 MB body cost 16 ms of CPU to drain for the next request)
            response.headers["Connection"] = "close"
        if isinstance(exc, Busy):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    def library_error(status: int) -> Callable[[Request, Exception], object]:
        async def handler(request: Request, exc: Exception) -> Response:
            return _render_error(request, status, str(exc))

        return handler

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ServiceError, service_error)
    for cls, status in STATUS:
        app.add_exception_handler(cls, library_error(status))  # type: ignore[arg-type]
