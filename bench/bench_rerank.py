"""Re-ranking speed (issue 6): 100 results in annotate and merge modes, and ``/api/rerank``.

1. In process, one core: re-rank the 100 results of several engines' pages
   (tests/fixtures/serp, with cross-engine duplicates) in ``annotate`` and
   ``merge`` (10 hits of our own index fused in).  Target: >= 5,000 calls/s.
   Baseline in the same run: ``Classifier.classify`` on the same 100 URLs,
   which is the least any trust annotation must do.  Each figure is given
   warm (the :class:`TrustTable` has seen these URLs: the service's steady
   state) and with a fresh table each call (every URL classified again;
   ``result_key`` and the classifier keep their own small memories, as
   they do in the service).
2. On loopback (uvicorn, one worker, the other core for the load
   generator): ``POST /api/rerank`` with those 100 results against ``POST
   /api/classify`` with the same 100 URLs; requests/s, p50 and p99.

The full registry of ../shared/data is used when present (else the
built-in rules only).  ``--quick`` shortens every measure.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ranking import EngineResult, Mode, Reranked, TrustTable, rerank
from sources import Classifier, Registry

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
SERP = ROOT / "tests" / "fixtures" / "serp"
TARGET = 5000.0


@dataclass(frozen=True)
class Hit:
    url: str
    title: str
    snippet: str


def hundred_results() -> list[EngineResult]:
    """The fixtures' pages, then the same pages as another engine saw them, up to 100."""
    pages = [EngineResult(**row) for path in sorted(SERP.glob("*.json"))
             for row in json.loads(path.read_text(encoding="utf-8"))]
    out = list(pages)
    for i, r in enumerate(pages):
        if len(out) >= 100:
            break
        out.append(EngineResult(r.url.replace("https://www.", "http://"), r.title, r.snippet,
                                "qwant" if r.engine != "qwant" else "bing", i % 10 + 1))
    return out[:100]


def build_registry(data_dir: Path) -> tuple[Classifier, str]:
    with Registry(data_dir) as registry:
        if (SHARED / "sources" / "etalab").is_dir():
            registry.import_etalab(str(SHARED / "sources" / "etalab"))
            registry.import_universities(str(SHARED / "sources" / "universities" /
                                             "world_universities_and_domains.json"))
        classifier = registry.classifier()  # compiled once: stats() would compile its own
        if (SHARED / "sources" / "etalab").is_dir():
            return classifier, f"full registry ({registry.stats(classifier)['hosts']} hosts)"
        return classifier, "built-in rules only (../shared/data absent)"


def rate(work: Callable[[], object], seconds: float) -> float:
    """Calls per second of ``work`` over about ``seconds`` (best of 3 slices)."""
    best = 0.0
    for _ in range(3):
        count, started = 0, time.perf_counter()
        deadline = started + seconds / 3
        while True:
            work()
            count += 1
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, count / (now - started))
    return best


def bench_in_process(classifier: Classifier, seconds: float) -> None:
    results = hundred_results()
    urls = [r.url for r in results]
    own = [Hit(r.url, r.title, r.snippet) for r in results if classifier.classify(r.url).trusted][:10]
    warm = TrustTable(classifier)
    baseline = rate(lambda: [classifier.classify(u) for u in urls], seconds)
    print(f"baseline: Classifier.classify x 100 URLs  {baseline:10,.0f} calls/s")
    for mode in (Mode.ANNOTATE, Mode.MERGE):
        # functions rather than lambdas: mypy cannot type a lambda's default, which binds this
        # loop's mode (the same call cost as the lambdas they replace, so the figures compare)
        def hot_call(m: Mode = mode) -> Reranked:
            return rerank(results, warm, m, own=own)

        def cold_call(m: Mode = mode) -> Reranked:
            return rerank(results, TrustTable(classifier), m, own=own)

        hot = rate(hot_call, seconds)
        cold = rate(cold_call, seconds)
        verdict = "OK" if hot >= TARGET else "BELOW TARGET"
        print(f"rerank {mode.value:8} 100 results, warm     {hot:10,.0f} calls/s  "
              f"({hot / baseline:.2f}x baseline; target {TARGET:,.0f}: {verdict})")
        print(f"rerank {mode.value:8} 100 results, fresh    {cold:10,.0f} calls/s  "
              f"({cold / baseline:.2f}x baseline)")


# -- loopback HTTP ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(data_dir / "none")}
    command = [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app_from_env",
               "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-access-log",
               "--log-level", "warning"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the service did not start")


async def _connection(port: int, request: bytes, until: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            if status != 200:
                raise RuntimeError(f"HTTP {status}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


def load(port: int, path: str, body: Any, seconds: float,
         concurrency: int = 16) -> tuple[float, float, float]:
    """requests/s, p50 ms, p99 ms of POSTs of ``body`` on keep-alive connections."""
    payload = json.dumps(body).encode()
    request = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload
    latencies: list[float] = []

    async def run() -> float:
        started = time.perf_counter()
        until = started + seconds
        await asyncio.gather(*(_connection(port, request, until, latencies) for _ in range(concurrency)))
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, p99 * 1000


def bench_http(data_dir: Path, seconds: float, rounds: int) -> None:
    try:
        import service.app  # noqa: F401
        import service.routers.rerank  # noqa: F401
    except ImportError as exc:
        print(f"/api/rerank: skipped, the service is not available ({exc})")
        return
    results = hundred_results()
    rows = [{"url": r.url, "title": r.title, "snippet": r.snippet, "engine": r.engine,
             "position": r.position} for r in results]
    port = free_port()
    server = start_server(data_dir, port)
    try:
        classify_body = {"urls": [r.url for r in results]}
        rerank_body = {"query": "carte grise", "results": rows, "mode": "annotate"}
        load(port, "/api/classify", classify_body, 0.5)  # warm both paths
        load(port, "/api/rerank", rerank_body, 0.5)
        figures: dict[str, list[tuple[float, float, float]]] = {"classify": [], "rerank": []}
        for _ in range(rounds):  # interleaved, so drift hits both alike
            figures["classify"].append(load(port, "/api/classify", classify_body, seconds))
            figures["rerank"].append(load(port, "/api/rerank", rerank_body, seconds))
        medians = {name: tuple(statistics.median(f[i] for f in runs) for i in range(3))
                   for name, runs in figures.items()}
        for name, (rps, p50, p99) in medians.items():
            print(f"POST /api/{name:8} 100 URLs, 1 worker  {rps:8,.0f} req/s  p50 {p50:5.1f} ms  "
                  f"p99 {p99:5.1f} ms")
        ratio = medians["rerank"][0] / medians["classify"][0]
        print(f"/api/rerank / /api/classify: {ratio:.2f}x the requests/s "
              f"({medians['rerank'][0] * 100:,.0f} results/s re-ranked)")
    finally:
        server.terminate()
        server.wait(10)


def main(argv: list[str] | None = None) -> None:
    quick = "--quick" in (argv or [])
    with tempfile.TemporaryDirectory(prefix="bench-rerank-") as tmp:
        data_dir = Path(tmp)
        classifier, label = build_registry(data_dir)
        print(f"registry: {label}; 100 results from {len(list(SERP.glob('*.json')))} engine pages")
        bench_in_process(classifier, 1.5 if quick else 6.0)
        bench_http(data_dir, 2.0 if quick else 5.0, 1 if quick else 3)


if __name__ == "__main__":
    main(sys.argv[1:])
