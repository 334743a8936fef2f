"""Several machines, one registry: service hosts follow the curator host's registry.

The curator host serves its registry as a consistent SQLite snapshot
(``GET /api/registry/snapshot``, taken with SQLite's online backup), with its
generation and SHA-256 (``GET /api/registry/snapshot/meta``), to bearers of
``SDC_REGISTRY_FOLLOW_TOKEN``. A service host started with
``SDC_REGISTRY_FOLLOW=https://curator-host`` (and the same token) polls the
meta every second; when the generation differs from its own it downloads the
snapshot, checks its SHA-256 and that it opens as a registry, and copies it
into its local registry with the backup API, page by page inside one SQLite
transaction: readers of the local file see the old registry or the new one,
never half of one, and no file is copied by hand. Its workers then notice the
change as they notice a curator's (``ServiceState.refresh_registry``), and its
purge round removes denied hosts' pages from its own index.

The same module runs the purge rounds (``service.purge``) of every service host.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import httpx
from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from service.settings import Settings
from service.state import ServiceState
from sources import Registry
from sources.store import Store

logger = logging.getLogger("sdc.follow")
#: seconds between two polls of the curator host, and between two purge rounds
FOLLOW_EVERY = 1.0
PURGE_EVERY = 2.0
#: a registry snapshot larger than this is not one (the full lists make about 30 MB)
MAX_SNAPSHOT = 512 * 1024 * 1024

router = APIRouter(prefix="/api/registry", tags=["registry"], include_in_schema=True)


def _authorised(request: Request, authorization: str | None) -> None:
    expected = request.app.state.settings.registry_follow_token
    scheme, _, token = (authorization or "").partition(" ")
    if not expected:
        raise HTTPException(404, detail="Not Found")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.strip().encode(),
                                                                 expected.encode()):
        raise HTTPException(401, detail="a valid follow token is required (Authorization: Bearer ...)",
                            headers={"WWW-Authenticate": "Bearer"})


def snapshot(data_dir: Path) -> tuple[int, bytes]:
    """A consistent copy of the registry (online backup) and its generation."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Store.FILENAME
        with Store(data_dir) as store:
            target = sqlite3.connect(copy)
            try:
                store.db.backup(target)
            finally:
                target.close()
            generation = store.generation()
        return generation, copy.read_bytes()


@router.get("/snapshot/meta", responses={401: {}, 404: {}})
async def snapshot_meta(request: Request,
                        authorization: Annotated[str | None, Header()] = None) -> Response:
    """The registry's generation (cheap: followers poll it every second)."""
    _authorised(request, authorization)
    state: ServiceState = request.app.state.sdc

    def work() -> int:
        with state.open_registry() as registry:
            return registry.generation()

    return Response(f'{{"generation":{await run_in_threadpool(work)}}}',
                    media_type="application/json")


@router.get("/snapshot", responses={401: {}, 404: {}})
async def registry_snapshot(request: Request,
                            authorization: Annotated[str | None, Header()] = None) -> Response:
    """The registry as one SQLite file, with ``X-Registry-Generation`` and ``X-Registry-SHA256``."""
    _authorised(request, authorization)
    state: ServiceState = request.app.state.sdc

    def work() -> tuple[int, bytes, str]:  # the hash of ~30 MB off the event loop too
        generation, data = snapshot(state.data_dir)
        return generation, data, hashlib.sha256(data).hexdigest()

    generation, data, sha256 = await run_in_threadpool(work)
    return Response(data, media_type="application/vnd.sqlite3", headers={
        "X-Registry-Generation": str(generation), "X-Registry-SHA256": sha256})


class Follower:
    """Polls the curator host; applies a newer registry into the local one."""

    def __init__(self, base_url: str, token: str | None, data_dir: Path) -> None:
        self.base = base_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.data_dir = Path(data_dir)

    def local_generation(self) -> int:
        with Registry(self.data_dir) as registry:
            return registry.generation()

    def once(self, client: httpx.Client) -> bool:
        """One poll; True when a new registry was applied."""
        meta = client.get(f"{self.base}/api/registry/snapshot/meta", headers=self.headers)
        meta.raise_for_status()
        remote = int(meta.json()["generation"])
        if remote == self.local_generation():
            return False
        with client.stream("GET", f"{self.base}/api/registry/snapshot", headers=self.headers) as got:
            got.raise_for_status()
            chunks, size = [], 0
            for chunk in got.iter_bytes():
                size += len(chunk)
                if size > MAX_SNAPSHOT:
                    raise ValueError(f"registry snapshot larger than {MAX_SNAPSHOT} bytes")
                chunks.append(chunk)
            data = b"".join(chunks)
            expected = got.headers.get("X-Registry-SHA256", "")
        if hashlib.sha256(data).hexdigest() != expected:
            raise ValueError("registry snapshot does not match its SHA-256: not applied")
        apply_snapshot(data, self.data_dir)
        logger.info("registry generation %d applied from %s", remote, self.base)
        return True


def apply_snapshot(data: bytes, data_dir: Path) -> int:
    """Copy a verified snapshot into the local registry in one transaction; its generation."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Store.FILENAME
        path.write_bytes(data)
        source = sqlite3.connect(path)
        try:
            # a registry opens, holds its tables and says its generation: else nothing is applied
            (generation,) = source.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
            source.execute("SELECT count(*) FROM entries").fetchone()
            with Store(data_dir) as local:
                source.backup(local.db)
        except sqlite3.Error as exc:
            raise ValueError(f"registry snapshot is not a registry: {exc}") from None
        finally:
            source.close()
    return int(generation)


def background_tasks(state: ServiceState, settings: Settings) -> list[tuple[float, Callable[[], object]]]:
    """``(period, work)`` pairs for the service's lifespan: purge rounds, and following."""
    from service.purge import purge_pending

    def purge_round() -> None:
        with state.open_registry() as registry:
            if registry.curation.pending_purges(1):
                purge_pending(registry, settings.index_dir, settings.crawl_dir, state.classifier)

    tasks: list[tuple[float, Callable[[], object]]] = [(PURGE_EVERY, purge_round)]
    if settings.registry_follow:
        follower = Follower(settings.registry_follow, settings.registry_follow_token, settings.data_dir)
        client = httpx.Client(timeout=30.0)

        def follow_round() -> None:
            if follower.once(client):
                state.refresh_registry()

        tasks.append((FOLLOW_EVERY, follow_round))
    return tasks
