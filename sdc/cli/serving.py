"""``sdc serve`` (the web service under uvicorn) and ``sdc policies`` (browser policy files)."""

from __future__ import annotations

import functools
import os
import socket
from pathlib import Path
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
        from service.app import create_app

        uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]
        return
    # worker processes rebuild the settings from the same SDC_* environment
    os.environ.setdefault("SDC_DATA_DIR", str(settings.data_dir))
    uvicorn.run("service.app:create_app_from_env", factory=True, workers=workers,
                **common)  # type: ignore[arg-type]


#: connections and requests in flight per worker before uvicorn answers 503
CONCURRENCY_LIMIT = 1000


def server_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn's options against slow and greedy clients (docs/deploy.md, "Timeouts")."""
    from service.server import GuardedHttpProtocol

    return {
        "http": functools.partial(GuardedHttpProtocol, header_timeout=settings.header_timeout,
                                  body_timeout=settings.body_timeout),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "limit_concurrency": CONCURRENCY_LIMIT,
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


@click.command()
@click.option("--base-url", help="public URL of the service (default SDC_PUBLIC_BASE_URL)")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("policies"), show_default=True, help="directory to write the files to")
@click.option("--name", default="Sources de Confiance", show_default=True, help="engine name")
@click.option("--keyword", default="sdc", show_default=True, help="address-bar keyword")
@click.pass_context
def policies(ctx: click.Context, base_url: str | None, out_dir: Path, name: str, keyword: str) -> None:
    """Write Firefox (SearchEngines) and Chrome/Edge (DefaultSearchProvider*) policy files.

    See docs/deploy-default-search.md for where each file goes.
    """
    from service.policies import policy_files

    base_url = base_url or settings_of(ctx).public_base_url
    if not base_url:
        raise click.BadParameter("give the service's public URL (or set SDC_PUBLIC_BASE_URL)",
                                 param_hint="--base-url")
    try:
        files = policy_files(base_url, name.strip() or "Sources de Confiance", keyword.strip() or "sdc")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-url") from None
    for relative, content in files.items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="")
        click.echo(str(path))
    click.echo(f"sdc: {len(files)} policy files for {base_url} in {out_dir}/ "
               "(see docs/deploy-default-search.md)", err=True)
