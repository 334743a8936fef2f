"""``sdc serve`` in a subprocess (real uvicorn workers), for the scale-out tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.scale.redis_server import free_port

START_TIMEOUT = 120.0  # workers compile the registry; the machine is shared


def start_service(data_dir: Path, *args: str, **env: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    environ = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(data_dir / "none"),
               **env}
    process = subprocess.Popen([sys.executable, "-m", "sdc", "serve", "--port", str(port),
                                "--no-access-log", *args],
                               env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"sdc serve did not start: {process.communicate()[0]}")
        time.sleep(0.2)


def stop_service(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output
