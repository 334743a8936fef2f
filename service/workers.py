"""``sdc serve --workers N``: N uvicorn servers, each accepting on its own socket (``SO_REUSEPORT``).

uvicorn's own ``--workers`` hands every worker the same listening socket.  Whichever
worker is awake when connections arrive accepts all it can: the 32 keep-alive
connections of a load test, or of a reverse proxy's pool opened in a burst, all
landed on one worker (measured: 32 and 0), so the second worker and the second
core sat idle while the first queued every request (issue 14).  Here each worker
binds its own listening socket to the same address with ``SO_REUSEPORT`` and the
kernel spreads new connections over them by their addresses' hash.

The parent binds the port first (``--port 0`` gets one number for all workers),
never listens on it, starts the workers with ``multiprocessing``'s spawn (as uvicorn
does), restarts a worker that dies, and stops them all on ``SIGINT``/``SIGTERM``
(each uvicorn server then finishes its requests).  Only uvicorn's public
``Config``/``Server.run(sockets=...)`` are used.  Linux and the BSDs only.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
from typing import Any

logger = logging.getLogger("uvicorn.error")

#: the application factory every worker serves
FACTORY = "service.app:create_app_from_env"
#: seconds a stopping worker has to finish before it is killed
STOP_GRACE = 30.0


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT`` (not listening yet)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve_worker(options: dict[str, Any]) -> None:
    """One worker (in its own process): a uvicorn server on its own ``SO_REUSEPORT`` socket."""
    import uvicorn

    config = uvicorn.Config(FACTORY, factory=True, **options)
    uvicorn.Server(config).run(sockets=[reuseport_socket(config.host, config.port)])


def supervise(options: dict[str, Any], workers: int) -> None:
    """Run ``workers`` worker processes on ``options["host"]:options["port"]`` until a signal."""
    holder = reuseport_socket(options["host"], options["port"])  # the port is ours from here
    options = {**options, "port": holder.getsockname()[1]}
    context = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=serve_worker, args=(options,), name="sdc-worker")
        process.start()
        return process

    def stop(signum: int, frame: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    try:
        while not stopping.wait(0.5):
            for i, process in enumerate(processes):
                if not process.is_alive() and not stopping.is_set():
                    logger.warning("worker %s exited with %s: starting another", process.pid,
                                   process.exitcode)
                    processes[i] = start()
    finally:
        _stop_all(processes)
        holder.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop_all(processes: list[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        if process.is_alive():
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight, then exits
    for process in processes:
        process.join(STOP_GRACE)
        if process.is_alive():
            process.kill()
            process.join()
