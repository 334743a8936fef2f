"""``GET /extension/trustlist.json``: the compact trust list the browser extension updates from.

Built from the classifier the service already holds (so it follows curator
changes and re-imports), cached per classifier, served with its SHA-256 as
ETag so that a daily check costs a 304.
"""

from __future__ import annotations

import asyncio
import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.deps import StateDep
from sources.classifier import Classifier
from sources.trustlist import build_trustlist

router = APIRouter(prefix="/extension", tags=["extension"])


class _TrustListCache:
    """The last list built, keyed by the classifier it was built from."""

    def __init__(self) -> None:
        self.classifier: Classifier | None = None
        self.body = b""
        self.etag = ""
        self.lock = asyncio.Lock()

    async def get(self, classifier: Classifier) -> tuple[bytes, str]:
        async with self.lock:
            if self.classifier is not classifier:
                document = await asyncio.to_thread(build_trustlist, classifier)
                self.body = json.dumps(document, ensure_ascii=False,
                                       separators=(",", ":")).encode("utf-8")
                self.etag = f'"{document["sha256"]}"'
                self.classifier = classifier
            return self.body, self.etag


@router.get("/trustlist.json", responses={200: {"content": {"application/json": {}}}, 304: {}})
async def trustlist(request: Request, state: StateDep) -> Response:
    """The versioned, hashed trust list (format in ``docs/extension.md``)."""
    cache: _TrustListCache = getattr(request.app.state, "trustlist_cache", None) or _TrustListCache()
    request.app.state.trustlist_cache = cache
    body, etag = await cache.get(state.classifier)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
