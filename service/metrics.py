"""Prometheus metrics: requests, latency by route, URLs classified, trusted share.

Each app owns its ``CollectorRegistry`` (tests build many apps in one process).
Routes are labelled by their template (``/api/sources/{domain}``), never by the
requested path, so no domain, URL or query reaches the metrics.  With several
workers each process exposes its own counters (scrape each, or sum them); the
persisted totals shared by every worker are in ``/api/stats``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
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
        self._counts = [0, 0]  # URLs classified, trusted: read at scrape time by _Classified
        self.registry.register(_Classified(self._counts))
        #: (method, route, status) -> its two labelled children: ``labels()`` locks and
        #: builds them on every call, a few microseconds that every request paid
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency."""
        children = self._children.get((method, route, status))
        if children is None:
            children = (self.latency.labels(route), self.requests.labels(method, route, str(status)))
            self._children[(method, route, status)] = children
        children[0].observe(seconds)
        children[1].inc()

    def count_classified(self, classified: int, trusted: int) -> None:
        # plain integers: a Counter's lock and checks cost more than the rest of the
        # count, on the path that runs for every batch of URLs (single-threaded: the
        # event loop)
        counts = self._counts
        counts[0] += classified
        counts[1] += trusted

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _Classified(Collector):
    """``sdc_urls_classified``, ``sdc_urls_trusted`` and ``sdc_trusted_share`` of this process."""

    def __init__(self, counts: list[int]) -> None:
        self._counts = counts

    def collect(self) -> Iterator[Metric]:
        classified, trusted = self._counts
        yield CounterMetricFamily("sdc_urls_classified", "URLs classified by this process",
                                  value=classified)
        yield CounterMetricFamily("sdc_urls_trusted", "URLs classified as trusted by this process",
                                  value=trusted)
        yield GaugeMetricFamily("sdc_trusted_share", "share of classified URLs found trusted (this process)",
                                value=trusted / classified if classified else 0.0)


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
            self.metrics.observe(scope["method"], _route_of(scope), status[0],
                                 time.perf_counter() - started)


def _route_of(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return "/static" if scope.get("path", "").startswith("/static/") else "(unmatched)"
