"""``sdc serve --workers 2``: /metrics counts every worker's requests, whichever worker answers;
connections are spread over the workers."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import httpx
import psutil
import pytest

from tests.served import start_service, stop_service


def _value(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert found is not None, f"{name} not in /metrics"
    return float(found.group(1))


def test_metrics_add_up_every_worker(pristine_data: Path, tmp_path: Path) -> None:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(pristine_data, data_dir)
    process, base = start_service(data_dir, "--workers", "2", "--no-access-log")
    try:
        sent = 30
        for i in range(sent):  # a new connection each: the kernel spreads them over the workers
            with httpx.Client(base_url=base, headers={"Connection": "close"}) as http:
                answer = http.post("/api/classify", json={"urls": [f"https://www.caf.fr/{i}",
                                                                    "https://example.com/"]})
                assert answer.status_code == 200
        for _ in range(6):  # any worker answers the scrape: each one gives the same totals
            with httpx.Client(base_url=base, headers={"Connection": "close"}) as http:
                text = http.get("/metrics").text
            assert _value(text, "sdc_urls_classified_total") == 2 * sent
            assert _value(text, "sdc_urls_trusted_total") == sent
            assert _value(text, "sdc_trusted_share") == pytest.approx(0.5)
            assert _value(text, 'sdc_http_requests_total{method="POST",route="/api/classify",status="200"}') \
                == sent
    finally:
        stop_service(process)
    assert list((data_dir / "metrics").glob("counter_*.db"))  # the workers' shared counters


def _listening_workers(server: psutil.Process, port: int) -> list[psutil.Process]:
    return [child for child in server.children(recursive=True)
            if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port
                   for c in child.net_connections("tcp"))]


def test_connections_opened_at_once_reach_every_worker(pristine_data: Path) -> None:
    """A burst of keep-alive connections (a load test, a proxy's pool) is spread over the workers:
    each has its own listening socket (service/workers.py); on one shared socket all 32 went to one."""
    process, base = start_service(pristine_data, "--workers", "2", "--no-access-log")
    try:
        port = int(base.rsplit(":", 1)[1])
        server = psutil.Process(process.pid)
        deadline = time.monotonic() + 120
        while len(workers := _listening_workers(server, port)) < 2:  # the second may still be starting
            assert time.monotonic() < deadline, "the second worker never listened"
            time.sleep(0.2)
        held = []
        for _ in range(32):
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            held.append(sock)
        for sock in held:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        ours = {sock.getsockname()[1] for sock in held}
        per_worker = [sum(1 for c in worker.net_connections("tcp") if c.raddr and c.raddr.port in ours)
                      for worker in workers]
        assert sum(per_worker) == 32
        assert min(per_worker) >= 4, per_worker  # the kernel hashes addresses: about 16 each
        for sock in held:
            sock.close()
    finally:
        stop_service(process)
