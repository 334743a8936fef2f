"""Dependencies of the routes, named once as ``Annotated`` aliases.

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in
its thread pool, which costs more than the work they do.  There is no searcher
dependency: routes search through ``ServiceState.search``, which checks every
hit against the current registry and keeps tantivy off the event loop.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from service.errors import CuratorAuthError
from service.models import API_MAX_LIMIT, API_MAX_PAGE, MAX_QUERY_LENGTH
from service.settings import Settings
from service.state import ServiceState
from sources import Category, Classifier


async def get_state(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.sdc
    return state


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StateDep = Annotated[ServiceState, Depends(get_state)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_classifier(state: StateDep) -> Classifier:
    return state.classifier


ClassifierDep = Annotated[Classifier, Depends(get_classifier)]


async def require_curator(
    settings: SettingsDep,
    authorization: Annotated[str | None, Header(description="Bearer <curator token>")] = None,
) -> None:
    expected = settings.curator_token
    scheme, _, token = (authorization or "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), expected.encode()
    ):
        raise CuratorAuthError("a valid curator token is required (Authorization: Bearer ...)")


CuratorDep = Depends(require_curator)


def public_base(request: Request, configured: str | None) -> str:
    """The service's absolute base URL, one rule for every absolute link (OpenSearch, update
    manifests): ``SDC_PUBLIC_BASE_URL``, else the address the server listens on; never the
    request's ``Host`` header, which any client can set (a browser would install a provider,
    or an update, pointing at ``evil.example``)."""
    if configured:
        return configured.rstrip("/")
    host, port = request.scope.get("server") or ("127.0.0.1", 80)
    scheme = request.scope.get("scheme", "http")
    shown = f"[{host}]" if ":" in str(host) else str(host)
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{shown}" + ("" if port in (None, default) else f":{port}")

# query parameters shared by the API and the page
SearchQuery = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LENGTH, pattern=r"\S",
                                   description="the search: words, \"phrases\", -exclusions, site:")]
PageParam = Annotated[int, Query(ge=1, le=API_MAX_PAGE, description="page number, from 1")]
LimitParam = Annotated[int, Query(ge=1, le=API_MAX_LIMIT, description="results per page")]
CategoryParam = Annotated[list[Category] | None, Query(max_length=20,
                                                       description="category filter (repeatable)")]
SiteParam = Annotated[str | None, Query(max_length=253, description="restrict to a host or domain")]
