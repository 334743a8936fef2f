"""Prometheus metrics: requests, latency by route, URLs classified, trusted share.

Each app owns its ``CollectorRegistry`` (tests build many apps in one process).
Routes are labelled by their template (``/api/sources/{domain}``), never by the
requested path, so no domain, URL or query reaches the metrics.

With several workers behind one port, a scrape reaches one worker at random, so
the workers share their counters through prometheus-client's multiprocess mode:
``sdc serve --workers N`` calls :func:`prepare_multiprocess` before the workers
start (it sets ``PROMETHEUS_MULTIPROC_DIR`` to an emptied ``<data>/metrics``),
each worker writes its counts there, and ``/metrics`` answers the sum of every
worker's.  The persisted totals are in ``/api/stats``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: latency buckets in seconds, dense where the API answers (1-50 ms)
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


#: prometheus-client's variable: where the workers of one server write their counters
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def prepare_multiprocess(directory: Path) -> None:
    """Before starting several workers: their shared counters go to ``directory``, emptied of
    an earlier server's (which would be added to this one's)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROCESS_ENV] = str(directory)


def multiprocess_dir() -> str | None:
    """The shared directory when this process runs in multiprocess mode, else None.

    prometheus-client picks its mode once, when it is first imported, from the environment."""
    if values.ValueClass is values.MutexValue:
        return None
    return os.environ.get(MULTIPROCESS_ENV) or os.environ.get(MULTIPROCESS_ENV.lower())


class Metrics:
    def __init__(self) -> None:
        shared = multiprocess_dir()
        # multiprocess mode: the counters live in the shared files, and a scrape reads them all
        own = None if shared else CollectorRegistry(auto_describe=True)
        self.requests = Counter("sdc_http_requests", "HTTP requests answered",
                                ["method", "route", "status"], registry=own)
        self.latency = Histogram("sdc_http_request_duration_seconds", "time to answer, by route",
                                 ["route"], buckets=BUCKETS, registry=own)
        self._counts = [0, 0]  # URLs classified, trusted: read at scrape time by _Classified
        if own is not None:
            self.registry = own
            self.registry.register(_Classified(self._counts))
        else:
            self.registry = CollectorRegistry()
            workers = MultiProcessCollector(None, path=shared)
            self.registry.register(workers)
            self.registry.register(_SharedShare(workers))
            self._classified = Counter("sdc_urls_classified", "URLs classified by the workers",
                                       registry=None)
            self._trusted = Counter("sdc_urls_trusted", "URLs classified as trusted by the workers",
                                    registry=None)
            self.count_classified = self._count_shared  # type: ignore[method-assign]
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

    def _count_shared(self, classified: int, trusted: int) -> None:
        self._classified.inc(classified)
        self._trusted.inc(trusted)

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


class _SharedShare(Collector):
    """``sdc_trusted_share`` of every worker, from the counters they share."""

    def __init__(self, workers: MultiProcessCollector) -> None:
        self._workers = workers

    def collect(self) -> Iterator[Metric]:
        totals = {"sdc_urls_classified_total": 0.0, "sdc_urls_trusted_total": 0.0}
        for family in self._workers.collect():
            for sample in family.samples:
                if sample.name in totals:
                    totals[sample.name] += sample.value
        classified, trusted = totals["sdc_urls_classified_total"], totals["sdc_urls_trusted_total"]
        yield GaugeMetricFamily("sdc_trusted_share", "share of classified URLs found trusted (all workers)",
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


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return "/static" if scope.get("path", "").startswith("/static/") else "(unmatched)"
