"""Curator endpoints: allow, deny, forget, import; the audit log; agents' reports.

Every call needs ``Authorization: Bearer <token>``: a named curator's token
(``sdc curators add NAME``) or the single ``SDC_CURATOR_TOKEN`` (acting as
``curator-token``). While neither exists the endpoints answer 404. The token
is checked from the headers **before** the body is read, and bodies are read
streamed with a 1 MB cap (:func:`service.bodies.read_body`), so an anonymous
300 MB POST costs nothing. Every action goes to the audit log with its curator.

A change recompiles this worker's classifier at once; other workers notice the
registry changed within a second (``UPKEEP`` in ``service.app``); a deny also
queues the host's pages for purge from the index (``service.purge``).

Imports read only the configured upstreams (``SDC_ETALAB_URL``,
``SDC_UNIVERSITIES_URL``) or regular files under the configured data folders
(``SDC_SHARED_DIR``, ``SDC_DATA_DIR/imports``): never a path or URL the caller
chooses (``/dev/zero``, ``/etc/passwd``, a loopback URL are 4xx).
"""

from __future__ import annotations

import secrets
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from service.bodies import read_body
from service.deps import SettingsDep, StateDep
from service.errors import CuratorAuthError
from service.models import CuratedPublic, CuratedRequest, ImportPublic
from service.responses import json_response
from service.settings import Settings
from service.state import ServiceState
from sources.curation import SHARED_TOKEN_CURATOR
from sources.errors import NotFoundError
from sources.records import ImportGuard

#: a curator's request is a host and a reason: nothing legitimate comes near 1 MB
MAX_CURATOR_BODY = 1024 * 1024
Model = TypeVar("Model", bound=BaseModel)


async def curator_name(
    request: Request, settings: SettingsDep, state: StateDep,
    authorization: Annotated[str | None, Header(description="Bearer <curator token>")] = None,
) -> str:
    """The curator the bearer token belongs to; 401 otherwise, 404 while curation is off."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    shared = settings.curator_token
    if shared and scheme.lower() == "bearer" and secrets.compare_digest(token.encode(), shared.encode()):
        return SHARED_TOKEN_CURATOR

    def lookup() -> tuple[str | None, bool]:
        with state.open_registry() as registry:
            curation = registry.curation
            name = curation.curator_for(token) if scheme.lower() == "bearer" else None
            return name, bool(shared) or curation.has_curators()

    name, enabled = await run_in_threadpool(lookup)
    if not enabled:
        raise HTTPException(404, detail="Not Found")
    if name is None:
        raise CuratorAuthError("a valid curator token is required (Authorization: Bearer ...)")
    return name


CuratorName = Annotated[str, Depends(curator_name)]
router = APIRouter(prefix="/api/curator", tags=["curator"],
                   responses={401: {"description": "missing or wrong curator token"},
                              404: {"description": "no curator is configured"},
                              413: {"description": "body larger than 1 MB"}})


class CuratorAction(CuratedRequest):  # an allow or deny, and the agent's report it answers
    report: int | None = Field(None, ge=1, description="the agent's report this answers (closed)")


class ImportOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["etalab", "universities", "list"]
    location: str | None = Field(None, max_length=2000, description=(
        "default: the configured upstream; else a file under SDC_SHARED_DIR or SDC_DATA_DIR/imports"))
    category: str | None = Field(None, description="for kind=list: category of every host")
    origin: str | None = Field(None, max_length=100, description="for kind=list: list name")
    dry_run: bool = Field(False, description="report the host-by-host diff, change nothing")
    allow_shrink: bool = Field(False, description="import even past the shrink guard")


class CloseReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


def _body(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a body the route reads itself (after the token is checked)."""
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": model.model_json_schema()}}}}


async def _read(request: Request, model: type[Model]) -> Model:
    raw = await read_body(request, MAX_CURATOR_BODY)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None


async def _reload(state: ServiceState) -> int:
    await run_in_threadpool(state.load_registry)  # about a second for 100k hosts: off the loop
    return state.classifier.entry_count


@router.post("/allow", response_model=CuratedPublic, openapi_extra=_body(CuratorAction))
async def allow(request: Request, curator: CuratorName, state: StateDep) -> Response:
    """Trust a host and its subdomains (category default ``autre-public``)."""
    body = await _read(request, CuratorAction)

    def work() -> str:  # SQLite may wait for an import's lock: off the event loop
        with state.open_registry() as registry:
            return registry.allow(body.host, body.reason, body.category, body.name,
                                  actor=curator, report=body.report)

    host = await run_in_threadpool(work)
    return json_response({"host": host, "action": "allow", "registry_entries": await _reload(state)})


@router.post("/deny", response_model=CuratedPublic, openapi_extra=_body(CuratorAction))
async def deny(request: Request, curator: CuratorName, state: StateDep) -> Response:
    """Distrust a host and its subdomains, whatever the lists say; its pages leave the index."""
    body = await _read(request, CuratorAction)

    def work() -> str:
        with state.open_registry() as registry:
            return registry.deny(body.host, body.reason, actor=curator, report=body.report)

    host = await run_in_threadpool(work)
    return json_response({"host": host, "action": "deny", "registry_entries": await _reload(state)})


@router.delete("/entries/{host}", response_model=CuratedPublic)
async def forget(state: StateDep, curator: CuratorName,
                 host: Annotated[str, Path(min_length=1, max_length=253)],
                 reason: Annotated[str, Query(max_length=500)] = "",
                 report: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """Remove a curator's allow or deny on ``host`` (the audit log keeps it)."""
    def work() -> bool:
        with state.open_registry() as registry:
            return registry.forget(host, actor=curator, reason=reason, report=report)

    if not await run_in_threadpool(work):
        raise HTTPException(404, detail=f"no curated entry for {host!r}")
    return json_response({"host": host, "action": "forget", "registry_entries": await _reload(state)})


def import_location(kind: str, location: str | None, settings: Settings) -> str:
    """The configured upstream, or a regular file under a configured data folder; else 422."""
    shared = FilePath(settings.shared_dir)
    if location is None:
        if kind == "etalab":
            local = shared / "sources" / "etalab"
            return str(local) if local.is_dir() else settings.etalab_url
        if kind == "universities":
            local = shared / "sources" / "universities" / "world_universities_and_domains.json"
            return str(local) if local.is_file() else settings.universities_url
        raise HTTPException(422, detail="kind=list needs a location under the data folders")
    if location in (settings.etalab_url, settings.universities_url):
        return location
    if "://" in location:
        raise HTTPException(422, detail="imports read the configured upstream URLs only"
                                        " (SDC_ETALAB_URL, SDC_UNIVERSITIES_URL)")
    roots = [shared, FilePath(settings.data_dir) / "imports"]
    try:
        path = FilePath(location).resolve(strict=True)
    except (OSError, RuntimeError):
        raise HTTPException(422, detail=f"no such import file or folder: {location!r}") from None
    if not any(path.is_relative_to(root.resolve()) for root in roots if root.exists()):
        raise HTTPException(422, detail="imports read files under SDC_SHARED_DIR or"
                                        " SDC_DATA_DIR/imports only")
    if not (path.is_file() or (kind == "etalab" and path.is_dir())):
        raise HTTPException(422, detail=f"{location!r} is not a regular file")
    return str(path)


@router.post("/import", response_model=ImportPublic, responses={502: {}},
             openapi_extra=_body(ImportOrder))
async def run_import(request: Request, curator: CuratorName, state: StateDep,
                     settings: SettingsDep) -> Response:
    """Import (replace) one origin's list now; answers when it is done."""
    body = await _read(request, ImportOrder)
    if body.kind == "list" and not (body.location and body.category and body.origin):
        raise HTTPException(422, detail="kind=list needs location, category and origin")
    location = import_location(body.kind, body.location, settings)
    guard = ImportGuard(settings.import_max_shrink, body.allow_shrink, body.dry_run, actor=curator)

    def work() -> dict[str, object]:
        with state.open_registry() as registry:
            if body.kind == "etalab":
                result = registry.import_etalab(location, guard=guard)
            elif body.kind == "universities":
                result = registry.import_universities(location, guard=guard)
            else:
                assert body.category and body.origin
                result = registry.import_list(location, body.category, body.origin, guard=guard)
        return result.to_dict(hosts=body.dry_run)

    report = await run_in_threadpool(work)  # errors map to 4xx/502 in service.errors
    return json_response({**report, "registry_entries": await _reload(state)})


@router.get("/log")
async def audit_log(state: StateDep, _: CuratorName,
                    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                    target: Annotated[str | None, Query(max_length=253)] = None,
                    before: Annotated[int | None, Query(ge=1)] = None) -> Response:
    """The append-only audit log, newest first: who, when, what and why."""
    def work() -> list[dict[str, Any]]:
        with state.open_registry() as registry:
            return registry.curation.log(limit, target, before)

    return json_response({"log": await run_in_threadpool(work)})


@router.get("/reports")
async def reports(state: StateDep, _: CuratorName,
                  status: Annotated[Literal["open", "closed", "all"], Query()] = "open",
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
    """Agents' reports of a wrong verdict; close one with an action citing it (``report``)."""
    def work() -> list[dict[str, Any]]:
        with state.open_registry() as registry:
            return registry.curation.reports(status, limit)

    return json_response({"reports": await run_in_threadpool(work)})


@router.post("/reports/{report}/close", openapi_extra=_body(CloseReport), responses={404: {}})
async def close_report(request: Request, curator: CuratorName, state: StateDep,
                       report: Annotated[int, Path(ge=1)]) -> Response:
    """Close a report without changing the registry (the verdict was right)."""
    body = await _read(request, CloseReport)

    def work() -> int:
        with state.open_registry() as registry:
            return registry.curation.close_report(report, curator, body.reason)

    try:
        line = await run_in_threadpool(work)
    except NotFoundError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    return json_response({"report": report, "closed": True, "log": line})
