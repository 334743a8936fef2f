"""Sustained mixed load on ``sdc serve --workers 2``: the highest sustainable rate, then half of it held.

Traffic is a fixed mix, in this order, repeated: 4 ``POST /api/classify`` (50 URLs each,
about half trusted), 3 ``POST /api/rerank`` (20 engine results, ``boost``), 3 ``GET
/api/search`` (French queries, 10 results).  Load comes from ``wrk`` (Debian package, one
thread) with a Lua script; the service has the full registry and the corpus index
(2,000 documents with ``--quick``).

1. **Highest sustainable rate**: wrk without pauses at 1, 2, 3, 4, 6, 8, 16 and 32 connections; the
   best rate whose run had no error and a p99 under 50 ms, confirmed by two more runs at that
   concurrency (the median of the three is the figure: the machine is shared).  A closed loop:
   wrk sends the next request as soon as the previous answers, so each step is the capacity at
   that concurrency.
2. **Hold half of it**: 8 connections, each pausing between requests (wrk's ``delay()``,
   calibrated on a short run) so the offered rate is half the sustainable one, for 10 minutes
   (30 s with ``--quick``).  Passes when no request failed, p99 < 50 ms and the resident memory
   of the workers is flat (the median of the last fifth of the samples within 10% or 20 MB of
   the first fifth's: :func:`flat`).

Both figures are converted to results per month (one result: one URL classified, one engine
result re-ranked or one search result served; 30 days).

    python -m bench [--quick] load
    python -m bench.bench_load --index /tmp/scale/10m --hold 180   # over a kept index (issue 18)

``--index DIR`` serves an index built by ``bench.scale_build`` (linked, never written: the
synthetic hosts ``site0.fr`` ... are imported into the registry first, so no page is purged)
instead of the corpus's; ``--hold`` shortens the hold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

from bench.served import (
    QUERIES,
    classify_body,
    free_port,
    kept_index_data,
    prepare_data,
    start_server,
    stop_server,
)

P99_BUDGET_MS = 50.0
RAMP = (1, 2, 3, 4, 6, 8, 16, 32)
HOLD_CONNECTIONS = 8
SECONDS_PER_MONTH = 30 * 86_400
#: results per request, in the order of the mix: 4 classify (50), 3 rerank (20), 3 search (10)
MIX = ("classify",) * 4 + ("rerank",) * 3 + ("search",) * 3
RESULTS = {"classify": 50, "rerank": 20, "search": 10}
RESULTS_PER_REQUEST = sum(RESULTS[kind] for kind in MIX) / len(MIX)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Run:
    connections: int
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    #: seconds wrk's own threads waited for a core (its latencies include them)
    client_wait: float = 0.0

    @property
    def ok(self) -> bool:
        return self.errors == 0 and self.p99_ms < P99_BUDGET_MS


def _rerank_body(urls: list[str]) -> bytes:
    foreign = ["https://fr.wikipedia.org/wiki/Carte_grise", "https://www.example.com/aide",
               "https://forum.example.org/t/1", "https://www.lemonde.fr/article"]
    picked = [u for pair in zip(urls[::11], foreign * 10, strict=False) for u in pair][:20]
    return json.dumps({"query": "carte grise", "mode": "boost", "results": [
        {"url": u, "title": f"Résultat {i}", "snippet": "Démarches et formulaires", "engine": "google",
         "position": i + 1} for i, u in enumerate(picked)]}, ensure_ascii=False).encode()


def _lua(urls: list[str], delay_ms: float | None) -> str:
    """A wrk script cycling over the mix; with ``delay_ms``, each connection pauses that long."""
    json_header = '{["Content-Type"] = "application/json"}'
    classify = f'wrk.format("POST", "/api/classify", {json_header}, [==[{classify_body(urls).decode()}]==])'
    rerank = f'wrk.format("POST", "/api/rerank", {json_header}, [==[{_rerank_body(urls).decode()}]==])'
    searches = [f'wrk.format("GET", "/api/search?{httpx.QueryParams({"q": q})}")' for q in QUERIES]
    lines = ["local requests = {}", "local i = 0", "local s = 0", "init = function(args)"]
    lines += [f"  requests[{n + 1}] = {classify if kind == 'classify' else rerank}"
              for n, kind in enumerate(MIX) if kind != "search"]
    lines += ["  searches = {" + ", ".join(searches) + "}", "end",
              "request = function()", f"  i = i % {len(MIX)} + 1",
              f"  if i > {MIX.index('search')} then s = s % #searches + 1 return searches[s] end",
              "  return requests[i]", "end"]
    if delay_ms is not None:
        lines += [f"delay = function() return {max(0.0, delay_ms):.3f} end"]
    return "\n".join(lines) + "\n"


def run_wrk(base: str, script: str, seconds: float, connections: int) -> Run:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as lua:
        lua.write(script)
    waited = 0.0
    try:
        wrk = subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--timeout", "10s",
                                "--latency", "-s", lua.name, base + "/"], stdout=subprocess.PIPE, text=True)
        # its run-queue wait, read until it exits: on a busy machine the client waits for a core too
        while wrk.poll() is None:
            waited = max(waited, run_queue_seconds([wrk.pid]))
            time.sleep(0.5)
        out = wrk.stdout.read() if wrk.stdout else ""
        if wrk.returncode:
            raise subprocess.CalledProcessError(wrk.returncode, "wrk", out)
    finally:
        os.unlink(lua.name)
    latency = {p: float(v) * _UNITS[u]
               for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = (int(errors.group(1)) if errors else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return Run(connections, rate, latency.get("50", 0.0), latency.get("99", 0.0), count, requests, waited)


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


def flat(samples: list[float]) -> tuple[float, float, bool]:
    """(start, end, flat) of a memory series taken after warm-up: the medians of its first and
    last fifths (a single sample may catch a large request in flight), flat when the end is
    within 20 MB or 10 % of the start."""
    if not samples:
        return 0.0, 0.0, True
    fifth = max(1, len(samples) // 5)
    start, end = statistics.median(samples[:fifth]), statistics.median(samples[-fifth:])
    return start, end, end - start <= max(20.0, 0.10 * start)


def _per_month(rate: float) -> str:
    results = rate * RESULTS_PER_REQUEST * SECONDS_PER_MONTH
    return (f"{results / 1e9:,.1f} billion results/month ({rate * SECONDS_PER_MONTH / 1e6:,.0f} M requests; "
            f"{results / 3e6:,.0f}x the association's 3 M results/month)")


def main(argv: list[str] | None = None) -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipped")
        return
    parser = argparse.ArgumentParser(prog="python -m bench.bench_load")
    parser.add_argument("--quick", action="store_true", help="2,000 corpus pages, 4 s steps, 30 s hold")
    parser.add_argument("--index", type=Path, default=None, help="serve this kept index (bench.scale_build)")
    parser.add_argument("--hold", type=float, default=None, metavar="SECONDS", help="length of the hold")
    args, _ = parser.parse_known_args(argv or [])  # `python -m bench` passes every flag to every bench
    step_seconds, hold_seconds = (4.0, 30.0) if args.quick else (8.0, 600.0)
    hold_seconds = args.hold or hold_seconds
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        env = {**os.environ, "SDC_DATA_DIR": tmp, "SDC_LOG_QUERIES": "false"}
        env.pop("SDC_REDIS_URL", None)  # the default deployment: SQLite usage counters
        started = time.perf_counter()
        if args.index is not None:
            urls = kept_index_data(Path(tmp), args.index.resolve(), env)
        else:
            urls = prepare_data(Path(tmp), 2000 if args.quick else None, env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server([sys.executable, "-m", "sdc", "serve", "--port", str(port), "--workers", "2",
                               "--no-access-log"], env, port, "/healthz")
        try:
            print(f"setup {time.perf_counter() - started:.0f} s; 2 workers; mix per 10 requests: 4 classify "
                  f"(50 URLs), 3 rerank (20 results), 3 search (10 results) = {RESULTS_PER_REQUEST:.0f} "
                  f"results a request on average; wrk 1 thread; load average before: "
                  + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
            run_wrk(base, _lua(urls, None), 3, 8)  # warm-up: caches, JIT-free but lazy imports
            print(f"{'ramp: connections':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}")
            ramp = []
            for connections in RAMP:
                run = run_wrk(base, _lua(urls, None), step_seconds, connections)
                ramp.append(run)
                print(f"{connections:<20}{run.rate:>9,.0f}{run.p50_ms:>9.2f}{run.p99_ms:>9.2f}"
                      f"{run.errors:>8}{'' if run.ok else '  (over budget)'}", flush=True)
            best = max((r for r in ramp if r.ok), key=lambda r: r.rate, default=None)
            if best is None:  # still measure the hold, so that the run says how far off it is
                best = max(ramp, key=lambda r: (r.errors == 0, r.rate))
                print(f"no load level met p99 < {P99_BUDGET_MS:.0f} ms without errors: "
                      f"taking the best rate ({best.connections} connections), over budget")
            # the machine is shared: one lucky step is not a sustainable rate; two more runs at the
            # best concurrency, and the median of the three is the figure
            runs = sorted([best, *(run_wrk(base, _lua(urls, None), step_seconds, best.connections)
                                   for _ in range(2))], key=lambda r: r.rate)
            sustainable = runs[1]
            print(f"confirming {best.connections} connections: "
                  + ", ".join(f"{r.rate:,.0f} req/s (p99 {r.p99_ms:.1f} ms, {r.errors} errors)"
                              for r in runs))
            if not sustainable.ok:
                print("the best step did not hold on confirmation: taking the next one down")
                sustainable = max((r for r in ramp if r.ok and r.connections < best.connections),
                                  key=lambda r: r.rate, default=sustainable)
            budget = "" if sustainable.ok else " OVER BUDGET"
            print(f"highest sustainable rate: {sustainable.rate:,.0f} req/s at {sustainable.connections} "
                  f"connections (p99 {sustainable.p99_ms:.1f} ms{budget}) = {_per_month(sustainable.rate)}",
                  flush=True)
            _hold(base, urls, server.pid, sustainable.rate / 2, sustainable.p50_ms, hold_seconds)
        finally:
            stop_server(server)


def _hold(base: str, urls: list[str], server_pid: int, target: float, p50_ms: float,
          seconds: float) -> None:
    delay = _calibrate(base, urls, target, p50_ms)
    sampler = RssSampler(server_pid, every=max(1.0, seconds / 60))
    sampler.start()
    run = run_wrk(base, _lua(urls, delay), seconds, HOLD_CONNECTIONS)
    sampler.stopped.set()
    sampler.join()
    first, last, steady = flat(sampler.samples)
    peak = max(sampler.samples, default=0.0)
    verdict = "PASS" if run.ok and steady else "FAIL"
    print(f"hold {seconds:.0f} s at half (target {target:,.0f} req/s, pause {delay:.1f} ms a request "
          f"on each of {HOLD_CONNECTIONS} connections): {run.rate:,.0f} req/s, {run.requests:,} requests, "
          f"p50 {run.p50_ms:.2f} ms, p99 {run.p99_ms:.2f} ms, {run.errors} errors; workers' RSS "
          f"{first:.0f} -> {last:.0f} MB (peak {peak:.0f}, {'flat' if steady else 'GROWING'}); "
          f"= {_per_month(run.rate)}: {verdict}", flush=True)


def _calibrate(base: str, urls: list[str], target: float, p50_ms: float) -> float:
    """The pause that makes ``HOLD_CONNECTIONS`` closed loops offer ``target`` requests/s.

    Each connection cycles pause + response time, so rate = connections / (pause + latency);
    the latency under the new load is not known in advance: correct the pause on short runs.
    """
    cycle = HOLD_CONNECTIONS * 1000 / target
    delay = cycle - p50_ms
    for _ in range(3):
        probe = run_wrk(base, _lua(urls, delay), 4, HOLD_CONNECTIONS)
        if abs(probe.rate - target) <= 0.05 * target:
            break
        delay = max(0.0, delay + cycle - HOLD_CONNECTIONS * 1000 / max(probe.rate, 1.0))
    return delay


if __name__ == "__main__":
    main(sys.argv[1:])
