"""Liveness and metrics: ``/healthz`` says what is loaded, ``/metrics`` speaks Prometheus."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from service.deps import StateDep
from service.models import HealthPublic
from service.responses import json_response

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthPublic)
async def healthz(state: StateDep) -> Response:
    """``ok`` when the index and the registry are loaded, else ``degraded`` saying what is missing.

    Always 200 while the process serves: the classification API works without an index.
    """
    index_loaded, index_detail, _ = state.index_status()
    registry_loaded = state.registry_error is None
    registry_detail = (f"{state.classifier.entry_count} entries" if registry_loaded
                       else f"built-in rules only: {state.registry_error}")
    if registry_loaded and state.classifier.entry_count == 0:
        registry_detail = "empty registry: built-in rules only (run 'sdc sources import ...')"
    status = "ok" if index_loaded and registry_loaded else "degraded"
    return json_response({
        "status": status,
        "index": {"loaded": index_loaded, "detail": index_detail},
        "registry": {"loaded": registry_loaded, "detail": registry_detail},
    })


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}}}})
async def metrics(state: StateDep) -> Response:
    """Prometheus text format: requests, latency by route, URLs classified, trusted share."""
    return Response(state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
