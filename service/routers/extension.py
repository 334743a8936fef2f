"""``GET /extension/trustlist.json``: the compact trust list the browser extension updates from;
``/extension/updates.xml`` (Chromium, Edge) and ``/extension/updates.json`` (Firefox): the update
manifests of the signed packages, which the service repacks with a higher version whenever the
trust list changes (``service/extension_packages.py``), and the packages themselves.

The list is built from the classifier the service already holds (so it follows curator
changes and re-imports), cached per classifier, served with its SHA-256 as
ETag so that a daily check costs a 304.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response

from service import extension_packages as packages
from service.deps import SettingsDep, StateDep, public_base
from sources.classifier import Classifier
from sources.trustlist import build_trustlist

router = APIRouter(prefix="/extension", tags=["extension"])


class _TrustListCache:
    """The last list built, keyed by the classifier it was built from."""

    def __init__(self) -> None:
        self.classifier: Classifier | None = None
        self.body = b""
        self.etag = ""
        self.document: dict[str, Any] = {}
        self.lock = asyncio.Lock()

    async def get(self, classifier: Classifier) -> tuple[bytes, str]:
        async with self.lock:
            if self.classifier is not classifier:
                document = await asyncio.to_thread(build_trustlist, classifier)
                self.body = json.dumps(document, ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8")
                self.etag = f'"{document["sha256"]}"'
                self.document = document
                self.classifier = classifier
            return self.body, self.etag


def _cache(request: Request) -> _TrustListCache:
    cache: _TrustListCache = getattr(request.app.state, "trustlist_cache", None) or _TrustListCache()
    request.app.state.trustlist_cache = cache
    return cache


#: documented for the schema-driven tests (no undocumented 4xx)
NO_PACKAGE: dict[int | str, dict[str, object]] = {404: {"description": "no extension package built"}}


@router.get("/trustlist.json", responses={200: {"content": {"application/json": {}}}, 304: {}})
async def trustlist(request: Request, state: StateDep) -> Response:
    """The versioned, hashed trust list (format in ``docs/extension.md``)."""
    body, etag = await _cache(request).get(state.classifier)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


async def _release(request: Request, state: StateDep, settings: SettingsDep) -> tuple[packages.Release, str]:
    """The release for the current trust list (a new one when it changed) and the base URL."""
    cache = _cache(request)
    await cache.get(state.classifier)
    try:
        current = await asyncio.to_thread(packages.release, settings.data_dir / "extension", cache.document)
    except packages.PackageError as exc:
        raise HTTPException(404, detail=f"no extension package: {exc}") from None
    base = public_base(request, settings.public_base_url)  # never the Host header
    return current, base


@router.get("/updates.xml", responses={200: {"content": {"application/xml": {}}}, **NO_PACKAGE})
async def updates_xml(request: Request, state: StateDep, settings: SettingsDep) -> Response:
    """Chromium/Edge update manifest: the signed CRX of the current release."""
    current, base = await _release(request, state, settings)
    return Response(packages.updates_xml(current, base), media_type="application/xml",
                    headers={"Cache-Control": "no-cache"})


@router.get("/updates.json", responses=NO_PACKAGE)
async def updates_json(request: Request, state: StateDep, settings: SettingsDep) -> JSONResponse:
    """Firefox update manifest: the ``.xpi`` of the current release."""
    current, base = await _release(request, state, settings)
    return JSONResponse(packages.updates_json(current, base), headers={"Cache-Control": "no-cache"})


#: fixed names that always lead to the current release (Firefox's ``install_url`` takes one)
LATEST = {"sources-de-confiance-chromium.crx": "crx", "sources-de-confiance-firefox.xpi": "xpi"}


@router.get("/{name}", response_model=None, responses=NO_PACKAGE)
async def package(name: str, request: Request, state: StateDep,
                  settings: SettingsDep) -> FileResponse | RedirectResponse:
    """One released package, by its versioned name, or the current one by its fixed name."""
    if name in LATEST:
        current, _ = await _release(request, state, settings)
        return RedirectResponse(f"/extension/{current.crx if LATEST[name] == 'crx' else current.xpi}",
                                status_code=302)
    match = packages.PACKAGE.match(name)
    path = settings.data_dir / "extension" / packages.RELEASES / name
    if match is None or not path.is_file():
        raise HTTPException(404, detail="no such package")
    media = "application/x-chrome-extension" if match.group(3) == "crx" else "application/x-xpinstall"
    return FileResponse(path, media_type=media)
