"""Prometheus metrics: requests, latency by route, URLs classified, trusted share.

Each app owns its ``CollectorRegistry`` (tests build many apps in one process).
Routes are labelled by their template (``/api/sources/{domain}``), never by the
requested path, so no domain, URL or query reaches the metrics.  With several
workers each process exposes its own counters (scrape each, or sum them); the
persisted totals shared by every worker are in ``/api/stats``.
"""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: latency buckets in seconds, dense where the API answers (1-50 ms)
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("sdc_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("sdc_http_request_duration_seconds", "time to answer, by route",
                                 ["route"], buckets=BUCKETS, registry=self.registry)
        self.classified = Counter("sdc_urls_classified", "URLs classified by this process",
                                  registry=self.registry)
        self.trusted = Counter("sdc_urls_trusted", "URLs classified as trusted by this process",
                               registry=self.registry)
        self.trusted_share = Gauge("sdc_trusted_share",
                                   "share of classified URLs found trusted (this process)",
                                   registry=self.registry)
        self._counts = [0, 0]

    def count_classified(self, classified: int, trusted: int) -> None:
        self.classified.inc(classified)
        self.trusted.inc(trusted)
        self._counts[0] += classified
        self._counts[1] += trusted
        if self._counts[0]:
            self.trusted_share.set(self._counts[1] / self._counts[0])

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Pure ASGI middleware (a ``BaseHTTPMiddleware`` would cost a task per request)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = _route_of(scope)
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)
            self.metrics.requests.labels(scope["method"], route, str(status[0])).inc()


def _route_of(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return "/static" if scope.get("path", "").startswith("/static/") else "(unmatched)"
