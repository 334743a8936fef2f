"""Meters on the server under a benchmark, read from outside it.

Its workers' memory (:class:`RssSampler`, judged by :func:`flat`), their CPU time
(:func:`cpu_seconds`), the time processes waited for a core (:func:`run_queue_seconds`: the
workers', and wrk's own), and the workers' latency histograms by route from ``/metrics``
(:func:`route_histograms`, :func:`route_tails`).
"""

from __future__ import annotations

import contextlib
import re
import statistics
import threading
from pathlib import Path

import httpx
import psutil


class RssSampler(threading.Thread):
    """Samples the memory of the server's worker processes every ``every`` seconds.

    Two figures per sample, in MB summed over the workers: the resident set (``samples``) and
    its anonymous part (``anon``, ``RssAnon`` of ``/proc/<pid>/status``): the heap, where a leak
    shows.  The rest of the resident set is file pages, mostly the index's mapped segments,
    which grow as queries touch them and belong to the page cache."""

    def __init__(self, server_pid: int, every: float) -> None:
        super().__init__(daemon=True)
        self.server, self.every = psutil.Process(server_pid), every
        self.samples: list[float] = []
        self.anon: list[float] = []
        self.stopped = threading.Event()

    def _workers(self) -> list[psutil.Process]:
        return [p for p in self.server.children(recursive=True) if p.is_running()] or [self.server]

    def rss_mb(self) -> float:
        total = 0
        for process in self._workers():
            try:
                total += process.memory_info().rss
            except psutil.Error:
                continue
        return total / 1e6

    def anon_mb(self) -> float:
        total = 0.0
        for process in self._workers():
            try:
                with open(f"/proc/{process.pid}/status", encoding="ascii") as status:
                    total += next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))
            except (OSError, StopIteration):
                continue
        return total * 1024 / 1e6

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            self.samples.append(self.rss_mb())
            self.anon.append(self.anon_mb())


def flat(samples: list[float]) -> tuple[float, float, bool]:
    """(start, end, flat) of a memory series taken after warm-up: the medians of its first and
    last fifths (a single sample may catch a large request in flight), flat when the end is
    within 20 MB or 10 % of the start."""
    if not samples:
        return 0.0, 0.0, True
    fifth = max(1, len(samples) // 5)
    start, end = statistics.median(samples[:fifth]), statistics.median(samples[-fifth:])
    return start, end, end - start <= max(20.0, 0.10 * start)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a server and its worker processes so far."""
    process = psutil.Process(pid)
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


def run_queue_seconds(pids: list[int]) -> float:
    """Seconds the live threads of ``pids`` spent runnable but waiting for a core (the second
    field of ``/proc/<pid>/task/<tid>/schedstat``): CPU queueing, as opposed to waiting inside
    the process (a lock, the GIL, I/O)."""
    total = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            try:
                total += int(task.read_text().split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return total / 1e9


_BUCKET = re.compile(r"^sdc_http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$", re.M)


def route_histograms(base: str) -> dict[str, dict[float, float]]:
    """The workers' latency histograms by route from ``/metrics`` (cumulative counts by bound)."""
    out: dict[str, dict[float, float]] = {}
    text = httpx.get(base + "/metrics", timeout=10).text
    for labels, count in _BUCKET.findall(text):
        named = dict(re.findall(r'(\w+)="([^"]*)"', labels))
        out.setdefault(named["route"], {})[float(named["le"])] = float(count)
    return out


def route_tails(before: dict[str, dict[float, float]], after: dict[str, dict[float, float]],
                over: tuple[float, ...] = (0.02, 0.05, 0.1)) -> list[str]:
    """One line per route answered between the two scrapes: requests, share over each bound
    of ``over`` seconds (time inside the app: from the first middleware to the last byte)."""
    lines = []
    for route, counts in sorted(after.items()):
        start = before.get(route, {})
        delta = {b: c - start.get(b, 0.0) for b, c in counts.items()}
        total = delta.get(float("inf"), 0.0)
        if total <= 0:
            continue
        shares = ", ".join(f">{b * 1000:.0f} ms {100 * (total - delta.get(b, 0.0)) / total:.1f}%"
                           for b in over)
        lines.append(f"  {route:<28} {total:>8,.0f}  {shares}")
    return lines
