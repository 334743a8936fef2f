"""``sdc serve`` (the web service under uvicorn); ``sdc policies`` lives in sdc/cli/policies.py."""

from __future__ import annotations

import functools
import os
import socket
from typing import Any

import click

from sdc.cli import settings_of
from service.settings import Settings


@click.command()
@click.option("--host", help="interface to listen on (default SDC_HOST, 127.0.0.1)")
@click.option("--port", type=click.IntRange(0, 65535), help="port (default SDC_PORT, 8000)")
@click.option("--workers", type=click.IntRange(1, 64), help="worker processes (default SDC_WORKERS, 1)")
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="log requests (without query strings unless SDC_LOG_QUERIES=true)")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None,
          access_log: bool) -> None:
    """Run the search page, the JSON API and the OpenSearch provider."""
    settings = settings_of(ctx)
    run_server(settings, host or settings.host, settings.port if port is None else port,
               workers or settings.workers, access_log)


def run_server(settings: Settings, host: str, port: int, workers: int, access_log: bool = True) -> None:
    """Serve until interrupted (also what ``sdc run`` calls once the data is built)."""
    import uvicorn

    _check_can_listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sdc: serving {settings.public_base_url or f'http://{shown}:{port}/'} "
               f"({workers} worker{'s' if workers > 1 else ''}, data in {settings.data_dir})", err=True)
    common = {"host": host, "port": port, "access_log": access_log, "proxy_headers": True,
              "server_header": False, "log_level": "info", **server_limits(settings)}
    if workers == 1:
        from service.app import create_worker_app

        uvicorn.run(create_worker_app(settings), **common)
        return
    # worker processes rebuild the settings from the same SDC_* environment
    os.environ.setdefault("SDC_DATA_DIR", str(settings.data_dir))
    from service.metrics import prepare_multiprocess
    from service.workers import supervise

    prepare_multiprocess(settings.data_dir / "metrics")  # one /metrics for all the workers
    supervise(common, workers)  # one listening socket per worker (service/workers.py says why)


#: connections and requests in flight per worker before uvicorn answers 503 (a bound on file
#: descriptors: idle and slow connections are closed by the deadlines of service.server)
CONCURRENCY_LIMIT = 8192
#: seconds a stopping worker gives the requests in flight before cancelling them: a client stalling
#: its body would otherwise hold the stop to the body deadline (30 s), past which the worker is
#: killed (service.workers.STOP_GRACE, systemd's TimeoutStopSec) before it writes its usage counters
GRACEFUL_SHUTDOWN = 10.0


def server_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn's options against slow and greedy clients (docs/deploy.md, "Timeouts")."""
    from service.server import GuardedHttpProtocol

    return {
        "http": functools.partial(GuardedHttpProtocol, header_timeout=settings.header_timeout,
                                  body_timeout=settings.body_timeout),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": CONCURRENCY_LIMIT,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN,
        # no WebSocket route: an upgrade request is answered as the HTTP request it also is (with
        # uvicorn's WebSocket handler it got a bare 403, and its log line kept the query and client)
        "ws": "none",
    }


def _check_can_listen(host: str, port: int) -> None:
    """Fail with one line (exit 2) when the address is taken, before uvicorn logs a traceback-like error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
