"""Real servers for the tests: a free loopback port, ``sdc serve`` in a subprocess, an ASGI app under
uvicorn in a thread."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import uvicorn

START_TIMEOUT = 120.0  # workers compile the registry; the machine is shared


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_service(data_dir: Path, *args: str, **env: str) -> tuple[subprocess.Popen[str], str]:
    """``sdc serve`` on a free port with ``data_dir``, once ``/healthz`` answers; output on stdout."""
    port = free_port()
    environ = {**os.environ, "SDC_DATA_DIR": str(data_dir), "SDC_SHARED_DIR": str(data_dir / "none"),
               **env}
    if "SDC_LOG_QUERIES" not in env:
        environ.pop("SDC_LOG_QUERIES", None)
    process = subprocess.Popen([sys.executable, "-m", "sdc", "serve", "--port", str(port), *args],
                               env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_serving(process, base):
        raise RuntimeError(f"sdc serve did not start: {process.communicate()[0]}")
    return process, base


def wait_until_serving(process: subprocess.Popen[Any], base: str, timeout: float = START_TIMEOUT) -> bool:
    """True once ``/healthz`` answers 200; False (the process killed) if it exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            return False
        time.sleep(0.1)


def stop_service(process: subprocess.Popen[str]) -> str:
    """Stop it as Ctrl-C does; its whole output."""
    process.send_signal(signal.SIGINT)
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


def wait_for(probe: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
    """Poll ``probe`` until it returns something truthy, and return that (``AssertionError`` naming
    ``what`` past ``timeout`` seconds): for state another process publishes when it is ready."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass
class InThread:
    """A uvicorn server running in a daemon thread of the test process."""

    port: int
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> bool:
        """Ask it to stop as a signal would; whether it stopped within ``timeout`` seconds."""
        self.server.should_exit = True
        self.thread.join(timeout)
        return not self.thread.is_alive()


@contextmanager
def uvicorn_in_thread(app: Any, **config: Any) -> Iterator[InThread]:
    """``app`` under uvicorn (``config``: more of ``uvicorn.Config``'s options) on a free loopback
    port, in a daemon thread; stopped on exit."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False, **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started or not thread.is_alive(), "uvicorn to start", timeout=20)
    if not server.started:
        raise RuntimeError("uvicorn did not start")
    running = InThread(port, server, thread)
    try:
        yield running
    finally:
        running.stop()
