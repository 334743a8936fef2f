"""Curator endpoints: allow or deny a host, forget a curation, trigger an import.

They exist only when ``SDC_CURATOR_TOKEN`` is set (``create_app`` does not
include this router otherwise) and every call needs
``Authorization: Bearer <token>``.  A change recompiles this worker's
classifier at once; other workers notice the registry file changed within
a second (``UPKEEP`` in ``service.app``).
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from service.settings import Settings
from service.deps import CuratorDep, SettingsDep, StateDep
from service.models import CuratedPublic, CuratedRequest, ImportPublic, ImportRequest
from service.responses import json_response
from service.state import ServiceState

router = APIRouter(prefix="/api/curator", tags=["curator"], dependencies=[CuratorDep],
                   responses={401: {"description": "missing or wrong curator token"}})


async def _reload(state: ServiceState) -> int:
    await run_in_threadpool(state.load_registry)  # about a second for 100k hosts: off the loop
    return state.classifier.entry_count


@router.post("/allow", response_model=CuratedPublic)
async def allow(body: CuratedRequest, state: StateDep) -> Response:
    """Trust a host and its subdomains (category default ``autre-public``)."""
    def work() -> str:  # SQLite may wait for an import's lock: off the event loop
        with state.open_registry() as registry:
            return registry.allow(body.host, body.reason, body.category, body.name)

    host = await run_in_threadpool(work)
    return json_response({"host": host, "action": "allow", "registry_entries": await _reload(state)})


@router.post("/deny", response_model=CuratedPublic)
async def deny(body: CuratedRequest, state: StateDep) -> Response:
    """Distrust a host and its subdomains, whatever the lists say."""
    def work() -> str:
        with state.open_registry() as registry:
            return registry.deny(body.host, body.reason)

    host = await run_in_threadpool(work)
    return json_response({"host": host, "action": "deny", "registry_entries": await _reload(state)})


@router.delete("/entries/{host}", response_model=CuratedPublic, responses={404: {}})
async def forget(state: StateDep, host: Annotated[str, Path(min_length=1, max_length=253)]) -> Response:
    """Remove a curator's allow or deny on ``host``."""
    def work() -> bool:
        with state.open_registry() as registry:
            return registry.forget(host)

    if not await run_in_threadpool(work):
        raise HTTPException(404, detail=f"no curated entry for {host!r}")
    return json_response({"host": host, "action": "forget", "registry_entries": await _reload(state)})


def default_location(kind: str, settings: Settings) -> str:
    shared = FilePath(settings.shared_dir) / "sources"
    if kind == "etalab":
        local = shared / "etalab"
        return str(local) if local.is_dir() else settings.etalab_url
    local = shared / "universities" / "world_universities_and_domains.json"
    return str(local) if local.is_file() else settings.universities_url


@router.post("/import", response_model=ImportPublic, responses={502: {}})
async def run_import(body: ImportRequest, state: StateDep, settings: SettingsDep) -> Response:
    """Import (replace) one origin's list now; answers when it is done."""
    if body.kind == "list" and not (body.location and body.category and body.origin):
        raise HTTPException(422, detail="kind=list needs location, category and origin")
    location = body.location or default_location(body.kind, settings)

    def work() -> dict[str, object]:
        with state.open_registry() as registry:
            if body.kind == "etalab":
                result = registry.import_etalab(location)
            elif body.kind == "universities":
                result = registry.import_universities(location)
            else:
                assert body.category and body.origin
                result = registry.import_list(location, body.category, body.origin)
        return result.to_dict()

    report = await run_in_threadpool(work)  # errors map to 4xx/502 in service.errors
    return json_response({**report, "registry_entries": await _reload(state)})
