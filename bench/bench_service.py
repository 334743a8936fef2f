"""The service on loopback: ``/api/classify`` (50 URLs a request) and ``/api/search``.

Each target runs under uvicorn with 1 and then 2 workers, next to a minimal
Starlette app returning a constant (the ceiling of the server stack on this
machine), in the same run.  Load comes from ``wrk`` (Debian package) when
installed, else from a bounded asynchronous httpx client (which competes for
the same 2 cores, so its figures are lower).  The registry holds every list of
``../shared/data`` when present; the index holds the corpus (2,000 documents
with ``--quick``).  Access logs are off in every server, the ceiling included.
``/api/classify`` is measured twice: one body posted again and again (the hosts
of a results page, already seen), and 400 different bodies in turn (no URL
seen twice, a quarter of the hosts new).  Next to the rate, the server's own
CPU time per request: steadier when other work shares the two cores.  The CPU of
``/api/search`` over HTTP against the same queries in-process (target: 1.5x) is
``bench_search_http``'s.

    python -m bench [--quick] service
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from fastapi import FastAPI, Request
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

from bench.served import (
    QUERIES,
    ROOT,
    URLS_PER_REQUEST,
    classify_body,
    free_port,
    prepare_data,
    start_server,
    stop_server,
    varied_bodies,
)
from bench.server_meters import cpu_seconds
from bench.wrk import read_output

CONNECTIONS = 32
#: searches cost milliseconds (snippets): fewer connections keep queueing from hiding latency
SEARCH_CONNECTIONS = 8
CONSTANT = b'{"results":[]}'


async def _constant(request: object) -> Response:
    return Response(CONSTANT, media_type="application/json")


#: the ceiling: the same server stack answering a constant, no routing work beyond one route
ceiling_app = Starlette(routes=[Route("/{path:path}", _constant, methods=["GET", "POST"])])


def reference_app() -> FastAPI:
    """The issue's reference: a bare FastAPI endpoint, raw body + orjson, classifying the URLs.

    No middleware, no metrics, no counters, no validation beyond orjson: what our
    service's /api/classify would cost with nothing of its own around it.
    """
    from sources import Registry

    with Registry(Path(os.environ["SDC_DATA_DIR"])) as registry:
        classify = registry.classifier().classify
    app = FastAPI()

    @app.post("/api/classify")
    async def bare(request: Request) -> Response:
        urls = orjson.loads(await request.body())["urls"]
        return Response(orjson.dumps({"results": [classify(u).to_dict() for u in urls]}),
                        media_type="application/json")

    return app


@dataclass
class Figure:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    #: server CPU time per request (all its processes): steadier than the rate when
    #: other work shares the two cores, since wrk and the server compete for them
    cpu_us: float = 0.0


# -- load generators ------------------------------------------------------------

def _wrk(url: str, script: str, seconds: float, connections: int) -> Figure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "--latency",
                              "-s", lua.name, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(lua.name)
    read = read_output(out)
    return Figure(read.rate, read.latency["50"], read.latency["99"], read.errors)


def _lua_post(bodies: list[bytes]) -> str:
    """POST the bodies in turn (one body: the same request every time)."""
    quoted = ",\n".join(f"[==[{b.decode()}]==]" for b in bodies)
    return ('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"local bodies = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #bodies + 1\n"
            "  return wrk.format(nil, nil, nil, bodies[i])\nend\n")


def _lua_queries(paths: list[str]) -> str:
    quoted = ", ".join(f'"{p}"' for p in paths)
    return (f"local paths = {{{quoted}}}\nlocal i = 0\n"
            "request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")


async def _httpx_load(url: str, paths: list[str], bodies: list[bytes] | None, seconds: float,
                      connections: int) -> Figure:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections)
    choices: list[bytes | None] = list(bodies or []) or [None]
    requests = itertools.cycle(itertools.product(paths, choices))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as client:
        async def worker() -> None:
            nonlocal errors
            for path, body in requests:
                if time.perf_counter() >= stop_at:
                    return
                started = time.perf_counter()
                if body is None:
                    response = await client.get(path)
                else:
                    response = await client.post(path, content=body,
                                                 headers={"content-type": "application/json"})
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code >= 300

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return Figure(len(latencies) / elapsed, pick(0.50), pick(0.99), errors)


def _load(base: str, paths: list[str], bodies: list[bytes] | None, seconds: float,
          connections: int = CONNECTIONS, server: int | None = None) -> Figure:
    """Warm up for a second, then measure for ``seconds``; ``server`` is the pid to charge CPU to."""
    def measure() -> Figure:
        if shutil.which("wrk"):
            script = _lua_post(bodies) if bodies is not None else _lua_queries(paths)
            return _wrk(base + paths[0], script, seconds, connections)
        return asyncio.run(_httpx_load(base, paths, bodies, seconds, connections))

    if shutil.which("wrk"):
        _wrk(base + paths[0], _lua_post(bodies) if bodies is not None else _lua_queries(paths), 1,
             connections)
    else:
        asyncio.run(_httpx_load(base, paths, bodies, 1, connections))
    cpu_before = cpu_seconds(server) if server else 0.0
    figure = measure()
    if server:
        requests = figure.rate * seconds
        figure.cpu_us = (cpu_seconds(server) - cpu_before) / requests * 1e6 if requests else 0.0
    return figure


TARGETS = {
    "ceiling": "ceiling (Starlette constant)",
    "reference": "bare FastAPI classify (ref)",
    "classify": f"/api/classify ({URLS_PER_REQUEST} URLs)",
    "varied": "/api/classify, varied URLs",
    "search": "/api/search",
    "suggest": "/api/suggest (keystrokes)",
}


def main(argv: list[str] | None = None) -> None:
    quick = "--quick" in (argv or [])
    seconds = 3.0 if quick else 10.0
    tool = ("wrk (1 thread" if shutil.which("wrk") else "httpx async client (") + \
        f", {CONNECTIONS} connections; {SEARCH_CONNECTIONS} for search and suggest)"
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        data_dir = Path(tmp)
        env = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_LOG_QUERIES": "false"}
        started = time.perf_counter()
        urls = prepare_data(data_dir, 2000 if quick else None, env)
        print(f"setup: registry + index in {time.perf_counter() - started:.0f} s; load: {tool}, "
              f"{seconds:.0f} s per target after 1 s of warm-up, rounds interleaved, median shown; "
              "access logs off; load average before: " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
        body = classify_body(urls)
        varied = varied_bodies(data_dir, urls)
        search_paths = [f"/api/search?{httpx.QueryParams({'q': q})}" for q in QUERIES]
        # what a browser sends while a query is typed: every prefix of every query
        suggest_paths = [f"/api/suggest?{httpx.QueryParams({'q': q[:n]})}"
                         for q in QUERIES for n in range(1, len(q) + 1)]
        print(f"{'target':<30}{'workers':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}"
              f"{'errors':>8}{'vs ceiling':>12}{'CPU us/req':>12}{'CPU vs ceiling':>16}")
        rounds = 2 if quick else 3
        for workers in (1, 2):
            ceiling_port, service_port, reference_port = free_port(), free_port(), free_port()
            service_cmd = [sys.executable, "-m", "sdc", "serve", "--port", str(service_port),
                           "--workers", str(workers), "--no-access-log"]
            bench_env = {**env, "PYTHONPATH": str(ROOT)}
            servers = [start_server(_uvicorn("ceiling_app", ceiling_port, workers), bench_env,
                                    ceiling_port, "/"),
                       start_server(_uvicorn("reference_app", reference_port, workers, factory=True),
                                    bench_env, reference_port, "/docs"),
                       start_server(service_cmd, env, service_port, "/healthz")]
            ceiling_base, reference_base, service_base = (
                f"http://127.0.0.1:{port}" for port in (ceiling_port, reference_port, service_port))
            pids = {"ceiling": servers[0].pid, "reference": servers[1].pid, "service": servers[2].pid}
            figures: dict[str, list[Figure]] = {k: [] for k in TARGETS}
            try:
                for _ in range(rounds):  # interleaved: the machine's other load hits all alike
                    figures["ceiling"].append(_load(ceiling_base, ["/api/classify"], [body], seconds,
                                                    server=pids["ceiling"]))
                    figures["reference"].append(_load(reference_base, ["/api/classify"], [body], seconds,
                                                      server=pids["reference"]))
                    figures["classify"].append(_load(service_base, ["/api/classify"], [body], seconds,
                                                     server=pids["service"]))
                    figures["varied"].append(_load(service_base, ["/api/classify"], varied, seconds,
                                                   server=pids["service"]))
                    figures["search"].append(_load(service_base, search_paths, None, seconds,
                                                   SEARCH_CONNECTIONS, server=pids["service"]))
                    figures["suggest"].append(_load(service_base, suggest_paths, None, seconds,
                                                    SEARCH_CONNECTIONS, server=pids["service"]))
            finally:
                for server in servers:
                    stop_server(server)
            medians = {k: _median(v) for k, v in figures.items()}
            ceiling = medians["ceiling"]
            for key, name in TARGETS.items():
                _row(name, workers, medians[key], None if key == "ceiling" else ceiling)
            classify, reference = medians["classify"], medians["reference"]
            print(f"{'':<30}{'':>8}  = {classify.rate * URLS_PER_REQUEST:,.0f} URLs classified/s "
                  f"with {workers} worker{'s' if workers > 1 else ''}, "
                  f"{classify.rate / reference.rate:.2f}x the bare FastAPI reference; rounds: "
                  + ", ".join(f"{f.rate:,.0f}" for f in figures["classify"]) + " req/s", flush=True)


def _uvicorn(app: str, port: int, workers: int, factory: bool = False) -> list[str]:
    return [sys.executable, "-m", "uvicorn", *(["--factory"] if factory else []),
            f"bench.bench_service:{app}", "--port", str(port), "--workers", str(workers),
            "--no-access-log", "--log-level", "warning"]


def _median(figures: list[Figure]) -> Figure:
    """The round with the median rate (its own latencies: percentiles do not average)."""
    return sorted(figures, key=lambda f: f.rate)[len(figures) // 2]


def _row(name: str, workers: int, figure: Figure, ceiling: Figure | None) -> None:
    ratio = f"{figure.rate / ceiling.rate:.2f}" if ceiling else "1.00"
    cpu_ratio = f"{ceiling.cpu_us / figure.cpu_us:.2f}" if ceiling and figure.cpu_us else "1.00"
    print(f"{name:<30}{workers:>8}{figure.rate:>10,.0f}{figure.p50_ms:>9.2f}{figure.p99_ms:>9.2f}"
          f"{figure.errors:>8}{ratio:>12}{figure.cpu_us:>12.1f}{cpu_ratio:>16}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
