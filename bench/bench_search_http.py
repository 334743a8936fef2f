"""What ``/api/search`` costs over HTTP against the same query in-process (issue 14: at most 1.5x).

CPU time, not wall time (the machine is shared): the server's user + system time
from ``/proc/<pid>/stat`` over the requests ``wrk`` sent (one worker, 8 connections,
the 12 agent queries in turn), divided by the requests answered; against the CPU of
this process running :meth:`ServiceState.search_now` (the search, its hits checked
against the registry) for the same queries and parameters.  A third figure splits
the difference: the same requests through the application's ASGI stack in this
process (FastAPI, middleware, validation, JSON, the thread hop), without uvicorn and
the socket.  Rounds interleaved, medians shown; the load average is printed.

    python -m bench [--quick] search_http
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.served import QUERIES, free_port, prepare_data, start_server, stop_server

#: the target: HTTP at most this many times the in-process CPU
BUDGET = 1.5
CONNECTIONS = 8
_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (all its threads), from ``/proc``."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _paths() -> list[str]:
    return [f"/api/search?{urlencode({'q': q})}" for q in QUERIES]


def over_http(base: str, pid: int, seconds: float) -> float:
    """Server CPU microseconds per ``/api/search`` request under wrk."""
    from bench.wrk import run_wrk

    quoted = ", ".join(f'"{p}"' for p in _paths())
    script = (f"local paths = {{{quoted}}}\nlocal i = 0\n"
              "request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i])\nend\n")
    before = process_cpu(pid)
    run = run_wrk(base, script, seconds, CONNECTIONS)
    if run.errors:
        raise RuntimeError(f"{run.errors} failed /api/search requests")
    return (process_cpu(pid) - before) / run.requests * 1e6


def _per_call(work: Callable[[int], object], seconds: float) -> float:
    """CPU microseconds of this process per call of ``work`` (called with 0, 1, 2...)."""
    count, started, deadline = 0, time.process_time(), time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        work(count)
        count += 1
    return (time.process_time() - started) / count * 1e6


def in_process(state: Any, seconds: float) -> float:
    """CPU microseconds per ``ServiceState.search_now`` with the API's parameters."""
    return _per_call(lambda n: state.search_now(QUERIES[n % len(QUERIES)], category=None, site=None,
                                                page=1, limit=10), seconds)


def through_asgi(app: Any, seconds: float) -> float:
    """CPU microseconds per ``GET /api/search`` through the ASGI app, in this process."""
    loop = asyncio.new_event_loop()
    queries = [p.split("?", 1)[1].encode() for p in _paths()]

    async def call(query: bytes) -> None:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": "/api/search", "raw_path": b"/api/search",
                 "query_string": query, "root_path": "", "headers": [(b"host", b"bench")],
                 "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
        status: list[int] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])

        await app(scope, receive, send)
        if status != [200]:
            raise RuntimeError(f"/api/search answered {status}")

    try:
        return _per_call(lambda n: loop.run_until_complete(call(queries[n % len(queries)])), seconds)
    finally:
        loop.close()


def main(argv: list[str] | None = None) -> None:
    quick = "--quick" in (argv or [])
    seconds, rounds = (3.0, 2) if quick else (10.0, 3)
    with tempfile.TemporaryDirectory(prefix="bench-search-http-") as tmp:
        env = {**os.environ, "SDC_DATA_DIR": tmp, "SDC_LOG_QUERIES": "false"}
        env.pop("SDC_REDIS_URL", None)
        prepare_data(Path(tmp), 2000 if quick else None, env)
        os.environ["SDC_DATA_DIR"] = tmp  # this process's app and state read the same data
        from service.app import create_app
        from service.settings import Settings

        app = create_app(Settings(data_dir=Path(tmp)))
        state = app.state.sdc
        port = free_port()
        server = start_server([sys.executable, "-m", "sdc", "serve", "--port", str(port), "--workers", "1",
                               "--no-access-log"], env, port, "/healthz")
        base = f"http://127.0.0.1:{port}"
        print(f"1 worker, wrk {CONNECTIONS} connections, {len(QUERIES)} queries in turn, {seconds:.0f} s a "
              f"round, {rounds} rounds interleaved; CPU time per request (server: /proc/<pid>/stat); "
              "load average before: " + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)
        figures: dict[str, list[float]] = {"http": [], "asgi": [], "inproc": []}
        try:
            over_http(base, server.pid, 2)  # warm-up of both sides
            in_process(state, 1)
            through_asgi(app, 1)
            for _ in range(rounds):
                figures["http"].append(over_http(base, server.pid, seconds))
                figures["inproc"].append(in_process(state, seconds))
                figures["asgi"].append(through_asgi(app, seconds))
        finally:
            stop_server(server)
            state.close()
    http, asgi, inproc = (statistics.median(figures[k]) for k in ("http", "asgi", "inproc"))
    rows = (("ServiceState.search_now, in-process", "inproc"),
            ("GET /api/search through the ASGI app", "asgi"), ("GET /api/search over HTTP", "http"))
    for name, key in rows:
        print(f"  {name:<40}{statistics.median(figures[key]):>9.0f} us CPU  (rounds: "
              + ", ".join(f"{v:.0f}" for v in figures[key]) + ")")
    ratio = http / inproc
    print(f"HTTP / in-process = {ratio:.2f}x (ASGI stack {asgi - inproc:+.0f} us, uvicorn and the socket "
          f"{http - asgi:+.0f} us); target <= {BUDGET}x: {'MET' if ratio <= BUDGET else 'MISSED'}; "
          "load average after: " + " ".join(f"{x:.1f}" for x in os.getloadavg()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
