"""``sdc curators ...`` and the journal commands of ``sdc sources`` (log, reports, audit).

A curator's token is printed once, by ``sdc curators add NAME``; only its
SHA-256 is kept. The single ``SDC_CURATOR_TOKEN`` keeps working and acts as
the curator ``curator-token`` in the log.
"""

from __future__ import annotations

import click
import orjson

from sdc.cli import settings_of
from sources import Registry


def _registry(ctx: click.Context) -> Registry:
    return Registry(settings_of(ctx).registry_dir)


def actor() -> str:
    """Who acts from the command line: the log names the system user."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.group()
def curators() -> None:
    """Named curators and their tokens (for the curator API)."""


@curators.command("add")
@click.argument("name")
@click.pass_context
def add(ctx: click.Context, name: str) -> None:
    """Create curator NAME and print its token (shown this once; only its hash is kept)."""
    with _registry(ctx) as registry:
        token = registry.curation.add_curator(name, actor())
    click.echo(token)
    click.echo(f"curator {name} added: keep this token, it is not stored and will not be shown again",
               err=True)


@curators.command("list")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
def list_(ctx: click.Context, as_json: bool) -> None:
    """Curators, when they were added and revoked (never their tokens)."""
    with _registry(ctx) as registry:
        rows = registry.curation.curators()
    for row in rows:
        click.echo(orjson.dumps(row).decode() if as_json else
                   f"{row['name']:<24} added {row['created_at']}"
                   + (f", revoked {row['revoked_at']}" if row["revoked_at"] else ""))


@curators.command("revoke")
@click.argument("name")
@click.pass_context
def revoke(ctx: click.Context, name: str) -> None:
    """Revoke NAME's token at once (the log keeps their actions under their name)."""
    with _registry(ctx) as registry:
        registry.curation.revoke_curator(name, actor())
    click.echo(f"curator {name} revoked")


@click.command()
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100_000))
@click.option("--target", help="only this host, origin or curator")
@click.pass_context
def log(ctx: click.Context, limit: int, target: str | None) -> None:
    """The audit log, newest first: who did what, when and why (JSON lines)."""
    with _registry(ctx) as registry:
        for line in registry.curation.log(limit, target.strip().lower() if target else None):
            click.echo(orjson.dumps(line).decode())


@click.command()
@click.option("--status", type=click.Choice(["open", "closed", "all"]), default="open",
              show_default=True)
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_context
def reports(ctx: click.Context, status: str, limit: int) -> None:
    """Agents' reports of a wrong verdict (JSON lines); a curator action with --report N closes one."""
    with _registry(ctx) as registry:
        for row in registry.curation.reports(status, limit):
            click.echo(orjson.dumps(row).decode())


@click.command("close-report")
@click.argument("report", type=int)
@click.option("--reason", required=True, help="why the verdict stays as it is")
@click.pass_context
def close_report(ctx: click.Context, report: int, reason: str) -> None:
    """Close REPORT without changing the registry (the verdict was right)."""
    with _registry(ctx) as registry:
        line = registry.curation.close_report(report, actor(), reason)
    click.echo(f"report #{report} closed (log line {line})")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.option("--min-tenants", default=5, show_default=True, type=click.IntRange(2, 10_000),
              help="listed tenant-like subdomains that make a domain a suspected platform")
@click.pass_context
def audit(ctx: click.Context, as_json: bool, min_tenants: int) -> None:
    """Suspected hosting platforms, commercial or media domains on the lists, and hosts that
    cannot exist in DNS, each with its evidence, for curators to confirm (sdc sources deny)."""
    from sources.audit import audit_registry

    with _registry(ctx) as registry:
        findings = audit_registry(registry, min_tenants=min_tenants)
    if as_json:
        click.echo(orjson.dumps([f.to_dict() for f in findings]).decode())
        return
    for finding in findings:
        click.echo(f"{finding.kind:<10} {finding.host:<40} {finding.evidence}")
    click.echo(f"{len(findings)} findings (confirm with: sdc sources deny HOST --reason ...)",
               err=True)
