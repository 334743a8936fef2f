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
   the first fifth's: :func:`bench.server_meters.flat`).

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
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.served import (
    QUERIES,
    classify_body,
    free_port,
    kept_index_data,
    prepare_data,
    rerank_body,
    start_server,
    stop_server,
)
from bench.server_meters import RssSampler, flat
from bench.wrk import P99_BUDGET_MS, run_wrk

RAMP = (1, 2, 3, 4, 6, 8, 16, 32)
HOLD_CONNECTIONS = 8
SECONDS_PER_MONTH = 30 * 86_400
#: results per request, in the order of the mix: 4 classify (50), 3 rerank (20), 3 search (10)
MIX = ("classify",) * 4 + ("rerank",) * 3 + ("search",) * 3
RESULTS = {"classify": 50, "rerank": 20, "search": 10}
RESULTS_PER_REQUEST = sum(RESULTS[kind] for kind in MIX) / len(MIX)


def _lua(urls: list[str], delay_ms: float | None) -> str:
    """A wrk script cycling over the mix; with ``delay_ms``, each connection pauses that long."""
    json_header = '{["Content-Type"] = "application/json"}'
    classify = f'wrk.format("POST", "/api/classify", {json_header}, [==[{classify_body(urls).decode()}]==])'
    rerank = f'wrk.format("POST", "/api/rerank", {json_header}, [==[{rerank_body(urls).decode()}]==])'
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
