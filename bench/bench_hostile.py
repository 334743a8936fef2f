"""Normal traffic under attack: ``sdc serve --workers 2`` with one hostile request of each kind a second.

Normal traffic: ``wrk`` (one thread, 32 connections) cycling over ``POST /api/classify``
(50 URLs), ``GET /api/search`` and the search page ``/recherche``, each connection pausing
between requests so that the offered rate is ``RATE`` requests a second (200, or
``SDC_BENCH_RATE``; an open load
that the service should carry; a closed loop without pauses would measure queueing).
Meanwhile, every second, one request of each hostile kind of issue 14 (the 8 MB classify
of 4,000-label hosts, a 50 MB body to a curator route without token, curator imports of
``/dev/zero``, a search hitting a 50 MB page, half bodies and half headers left open, a
forged Host header, HEAD, a non-integer rerank position, a 60 KB query string, a header
flood, a JSON nesting bomb, a 200 MB body), a ``/healthz`` probe every 100 ms (its own wrk), and the
workers' memory sampled every few seconds.

Targets, each printed with met or MISSED: no error on the normal requests, their p99 under
50 ms, ``/healthz`` p99 under 100 ms, the workers' heap flat (``server_meters.flat``: the
anonymous resident memory, medians of the first and last fifths of the samples, within
10 % or 20 MB; the whole resident set is printed beside it), no 5xx but 503 to the hostile
requests.  A warm-up under attack (30 s, less for short runs) comes first; then 10
minutes (``--minutes N``; 30 s with ``--quick``).  The workers' CPU per normal request is
printed (CPU time survives a loaded machine better than latencies), and the load average.

    python -m bench [--quick] hostile [--minutes=N]
    python -m bench.bench_hostile --minutes 10       # about 12 minutes with the set-up
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

from bench.hostile_requests import MB, TOKEN, Attacker
from bench.served import QUERIES, classify_body, free_port, prepare_data, start_server, stop_server
from bench.server_meters import RssSampler, flat, route_histograms, route_tails, run_queue_seconds
from bench.wrk import Run, run_wrk

RATE = float(os.environ.get("SDC_BENCH_RATE", "200"))  # normal requests a second, offered
CONNECTIONS = 32
P99_BUDGET_MS = 50.0
HEALTHZ_BUDGET_MS = 100.0


#: the normal requests' kinds, in the order the mix sends them
KINDS = ("classify", "search", "page")


def _lua(urls: list[str], delay_ms: float, kinds: tuple[str, ...] = KINDS) -> str:
    """wrk's script: the ``kinds`` of normal request in turn (one classify, one search, one page),
    each connection pausing ``delay_ms`` between requests."""
    json_header = '{["Content-Type"] = "application/json"}'
    by_kind = {
        "classify": [f'wrk.format("POST", "/api/classify", {json_header}, '
                     f'[==[{classify_body(urls).decode()}]==])'],
        "search": [f'wrk.format("GET", "/api/search?q={quote(q)}")' for q in QUERIES],
        "page": [f'wrk.format("GET", "/recherche?q={quote(q)}")' for q in QUERIES],
    }
    tables = ", ".join("{" + ", ".join(by_kind[k]) + "}" for k in kinds)
    return "\n".join([
        "local kinds = {}", "local turn = 0", "local next_of = {}",
        "init = function(args)", f"  kinds = {{{tables}}}",
        "  for k = 1, #kinds do next_of[k] = 0 end", "end",
        "request = function()", "  turn = turn % #kinds + 1",
        "  local list = kinds[turn]", "  next_of[turn] = next_of[turn] % #list + 1",
        "  return list[next_of[turn]]", "end",
        f"delay = function() return {delay_ms:.3f} end"]) + "\n"


class Prober(threading.Thread):
    """``/healthz`` every 100 ms from its own ``wrk`` (one connection, a pause between requests):
    measured in C, away from this process's attacker threads and their GIL."""

    SCRIPT = 'wrk.path = "/healthz"\ndelay = function() return 100 end\n'

    def __init__(self, base: str, seconds: float) -> None:
        super().__init__(daemon=True)
        self.base, self.seconds = base, seconds
        self.run_: Run | None = None

    def run(self) -> None:
        self.run_ = run_wrk(self.base, self.SCRIPT, self.seconds, 1)


def _big_page(path: Path) -> Path:
    sentence = "Les allocations familiales sont versées, page gigantesque de démonstration. "
    body = sentence * (50 * MB // len(sentence))
    path.write_text(json.dumps({"url": "https://www.service-public.fr/enorme", "title": "Page gigantesque",
                                "body": body}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _minutes(argv: list[str]) -> float:
    """``--minutes N`` or ``--minutes=N`` (10 by default, 0.5 with ``--quick``)."""
    return float(_option(argv, "minutes", "0.5" if "--quick" in argv else "10"))


def _workers_cpu(pid: int) -> float:
    """User + system CPU seconds of the server's processes so far (its workers included)."""
    total = 0.0
    for process in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _option(argv: list[str], name: str, default: str) -> str:
    """``--name VALUE`` or ``--name=VALUE``."""
    for i, arg in enumerate(argv):
        if arg.startswith(f"--{name}="):
            return arg.split("=", 1)[1]
        if arg == f"--{name}" and i + 1 < len(argv):
            return argv[i + 1]
    return default


def _normal(base: str, urls: list[str], seconds: float, split: bool) -> dict[str, Run]:
    """The normal traffic: one wrk over the mix, or with ``split`` one wrk per kind at a third of
    the rate and of the connections each, at once (each kind's own latencies)."""
    if not split:
        return {"mix": run_wrk(base, _lua(urls, CONNECTIONS * 1000 / RATE), seconds, CONNECTIONS)}
    runs: dict[str, Run] = {}
    share = CONNECTIONS // len(KINDS)

    def one(kind: str) -> None:
        runs[kind] = run_wrk(base, _lua(urls, share * 1000 / (RATE / len(KINDS)), (kind,)), seconds, share)

    threads = [threading.Thread(target=one, args=(kind,)) for kind in KINDS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return runs


def main(argv: list[str] | None = None) -> None:
    """Options: ``--minutes N``, ``--quick``, ``--attacks all|none|WORDS`` (the hostile kinds
    sent), ``--split`` (one wrk per normal kind: the latency of each)."""
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): skipped")
        return
    argv = argv or []
    seconds = _minutes(argv) * 60
    warmup = min(30.0, max(5.0, seconds / 20))
    split = "--split" in argv
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        env = {**os.environ, "SDC_DATA_DIR": tmp, "SDC_LOG_QUERIES": "false", "SDC_CURATOR_TOKEN": TOKEN}
        env.pop("SDC_REDIS_URL", None)
        urls = prepare_data(Path(tmp), 2000 if "--quick" in argv else None, env)
        subprocess.run([sys.executable, "-m", "sdc", "index", "add", str(_big_page(Path(tmp) / "big.jsonl"))],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server([sys.executable, "-m", "sdc", "serve", "--port", str(port), "--workers", "2",
                               "--no-access-log"], env, port, "/healthz")
        try:
            attacker = Attacker(base, _option(argv, "attacks", "all"))
            print(f"2 workers; normal: wrk 1 thread, {CONNECTIONS} connections, classify (50 URLs) / "
                  f"/api/search / /recherche in turn{' (one wrk per kind)' if split else ''}, offered "
                  f"{RATE:.0f} req/s ({CONNECTIONS * 1000 / RATE:.0f} ms pause per connection); "
                  f"{len(attacker.kinds)} hostile kinds; {warmup:.0f} s of warm-up under attack, then "
                  f"{seconds:.0f} s measured; load average before: {_load()}", flush=True)
            prober = Prober(base, seconds)
            attacker.start()  # the warm-up is under attack too: its buffers are part of the steady state
            _normal(base, urls, warmup, split)
            sampler = RssSampler(server.pid, every=max(1.0, seconds / 60))
            sampler.start()
            prober.start()
            workers = [p.pid for p in psutil.Process(server.pid).children(recursive=True)]
            before = (_workers_cpu(server.pid), run_queue_seconds(workers), psutil.cpu_times(),
                      route_histograms(base), _bench_cpu())
            runs = _normal(base, urls, seconds, split)
            after = (_workers_cpu(server.pid), run_queue_seconds(workers), psutil.cpu_times(),
                     route_histograms(base), _bench_cpu())
            attacker.stopped.set()
            sampler.stopped.set()
            for thread in (attacker, prober, sampler):
                thread.join()
        finally:
            stop_server(server)
    _report(runs, prober, attacker, sampler, seconds, before, after)


def _bench_cpu() -> tuple[float, float]:
    """CPU seconds of this process (the attacker's threads, the samplers) and of its finished
    children (the wrk runs): the bench's own share of the two cores."""
    times = psutil.Process().cpu_times()
    return times.user + times.system, times.children_user + times.children_system


def _machine(before: Any, after: Any) -> float:
    """Cores busy over the run, the whole machine (every process: ours, wrk, others')."""
    idle = (after.idle + after.iowait) - (before.idle + before.iowait)
    return (sum(after) - sum(before) - idle) / max(1e-9, (sum(after) - sum(before)) / psutil.cpu_count())


def _report(runs: dict[str, Run], prober: Prober, attacker: Attacker, sampler: RssSampler, seconds: float,
            before: tuple[Any, ...], after: tuple[Any, ...]) -> None:
    print("hostile requests (status: count; 0 = closed by the server, -1 = client error; "
          "skipped = still running from the second before):")
    for name, statuses in attacker.statuses.items():
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        skipped = f"; skipped {attacker.skipped[name]}" if attacker.skipped[name] else ""
        print(f"  {name:<52} {shown}{skipped}")
    server_errors = sum(n for st in attacker.statuses.values() for s, n in st.items()
                        if s >= 500 and s != 503)
    health = prober.run_ or Run(1, 0.0, 0.0, float("inf"), 1, 0)
    rss_start, rss_end, _ = flat(sampler.samples)
    anon_start, anon_end, anon_flat = flat(sampler.anon)
    requests = sum(r.requests for r in runs.values())
    errors = sum(r.errors for r in runs.values())
    p99 = max(r.p99_ms for r in runs.values())  # split: the worst kind's
    cpu, queued = after[0] - before[0], after[1] - before[1]
    for kind, run in runs.items():
        print(f"normal requests ({kind}): {run.rate:,.0f} req/s, {run.requests:,} requests, "
              f"p50 {run.p50_ms:.2f} ms, p99 {run.p99_ms:.1f} ms, {run.errors} errors; wrk itself waited "
              f"{run.client_wait:.1f} s for a core")
    per = 1000 / max(requests, 1)
    print(f"workers' CPU {cpu / seconds:.2f} cores, {cpu * per:.2f} ms per normal request (the hostile "
          f"ones included); the workers' threads waited {queued * per:.2f} ms per normal request for a "
          f"core (run queue); machine busy {_machine(before[2], after[2]):.2f} of {psutil.cpu_count()} "
          f"cores, of which the attacker {(after[4][0] - before[4][0]) / seconds:.2f} and the normal "
          f"requests' wrk {(after[4][1] - before[4][1]) / seconds:.2f}")
    print("time inside the workers' app by route (hostile requests included): requests, share over")
    print("\n".join(route_tails(before[3], after[3])))
    print(f"/healthz: {health.requests:,} probes, p50 {health.p50_ms:.1f} ms")
    print(f"workers' memory (medians of the first and last fifths of {len(sampler.samples)} samples): "
          f"resident {rss_start:.0f} -> {rss_end:.0f} MB (peak {max(sampler.samples, default=0):.0f}), "
          f"of which anonymous (heap) {anon_start:.0f} -> {anon_end:.0f} MB")
    targets = [
        ("no error on the normal requests", f"{errors} errors", errors == 0),
        (f"normal requests p99 < {P99_BUDGET_MS:.0f} ms", f"{p99:.1f} ms", p99 < P99_BUDGET_MS),
        (f"/healthz p99 < {HEALTHZ_BUDGET_MS:.0f} ms", f"{health.p99_ms:.1f} ms, {health.errors} failures",
         health.p99_ms < HEALTHZ_BUDGET_MS and not health.errors),
        ("workers' heap flat", f"{anon_start:.0f} -> {anon_end:.0f} MB", anon_flat),
        ("hostile requests: no 5xx but 503", f"{server_errors}", not server_errors),
    ]
    for name, figure, met in targets:
        print(f"  {name:<40} {figure:<28} {'met' if met else 'MISSED'}")
    print(f"{'PASS' if all(met for *_, met in targets) else 'FAIL'}; load average after: {_load()} "
          "(2 cores: above 2, other work shares them and latencies are not the service's alone)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
