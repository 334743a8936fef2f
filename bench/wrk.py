"""``wrk``, the load generator of the service benchmarks: run it, read its figures.

``run_wrk`` drives a server with a Lua script (one wrk thread) and returns a :class:`Run`, with
the time wrk itself waited for a core; ``read_output`` reads the figures out of wrk's report for
a caller that runs wrk its own way (bench_service).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass

from bench.server_meters import run_queue_seconds

P99_BUDGET_MS = 50.0
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


@dataclass
class Output:
    rate: float
    #: milliseconds by percentile ("50", "99"...), as ``--latency`` prints them
    latency: dict[str, float]
    #: non-2xx/3xx responses and socket errors
    errors: int
    requests: int


def read_output(out: str) -> Output:
    latency = {p: float(v) * _UNITS[u]
               for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    count = (int(errors.group(1)) if errors else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return Output(rate, latency, count, requests)


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
    read = read_output(out)
    return Run(connections, read.rate, read.latency.get("50", 0.0), read.latency.get("99", 0.0), read.errors,
               read.requests, waited)
