"""``sdc sources ...``: the trust registry from the command line (``sdc check`` is in check.py)."""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson

from sdc.cli import settings_of
from sdc.cli.curators import actor, audit, close_report, log, reports
from sources import Registry


def open_registry(ctx: click.Context) -> Registry:
    return Registry(settings_of(ctx).registry_dir)


@click.group()
def sources() -> None:
    """Import, curate and inspect the trust registry."""


@sources.group("import")
def import_() -> None:
    """Import an upstream list (replaces that origin's previous import)."""


def _report(result: Any, as_json: bool) -> None:
    data = result.to_dict(hosts=result.report.dry_run)
    if as_json:
        click.echo(orjson.dumps(data).decode())
        return
    if result.report.dry_run:  # the host-by-host diff, then the summary: nothing was changed
        for sign, key in (("+", "added"), ("-", "removed"), ("~", "changed")):
            for host in data["hosts"][key]:
                click.echo(f"{sign} {host}")
    click.echo(
        f"{data['origin']}: {data['entries']} entries from {data['location']} "
        f"(version {data['version']}): {data['added']} added, {data['removed']} removed, "
        f"{data['changed']} changed, {data['unchanged']} unchanged"
        + (" [dry run: nothing changed]" if result.report.dry_run else "")
    )
    if data.get("refused"):
        click.echo(f"  the import itself would be refused: {data['refused']}")
    if data["missing"]:
        click.echo(f"  missing files: {', '.join(data['missing'])}")
    for line in result.rejected[:20]:
        click.echo(f"  rejected {line}", err=True)
    if len(result.rejected) > 20:
        click.echo(f"  ... and {len(result.rejected) - 20} more rejected lines", err=True)


json_option = click.option("--json", "as_json", is_flag=True, help="print JSON")
version_option = click.option("--version", help="upstream version to record (default: content hash)")


def guard_options(command: Any) -> Any:
    command = click.option("--dry-run", is_flag=True,
                           help="print the host-by-host diff and change nothing")(command)
    return click.option("--allow-shrink", is_flag=True,
                        help="import even if it removes more than SDC_IMPORT_MAX_SHRINK of the"
                             " origin's hosts or misses a file the last import read")(command)


def guard_of(ctx: click.Context, dry_run: bool, allow_shrink: bool) -> Any:
    from sources.records import ImportGuard

    return ImportGuard(settings_of(ctx).import_max_shrink, allow_shrink, dry_run, actor=actor())


def purge_now(ctx: click.Context) -> None:
    """Purge queued hosts' pages from the index now when its writer is free (else the service will)."""
    from service.purge import purge_pending

    settings = settings_of(ctx)
    with open_registry(ctx) as registry:
        done = purge_pending(registry, settings.index_dir, settings.crawl_dir)
    if done.pages or done.busy:
        click.echo(f"index: {done.pages} pages of {done.hosts} hosts removed"
                   + (" (the index writer is busy: the rest is queued)" if done.busy else ""),
                   err=True)


@import_.command("etalab")
@click.argument("location")
@version_option
@json_option
@guard_options
@click.pass_context
def import_etalab(ctx: click.Context, location: str, version: str | None, as_json: bool,
                  dry_run: bool, allow_shrink: bool) -> None:
    """Etalab public-sector lists from a directory or a URL base (domains.csv and urls.txt, or
    the 2023 layout's communes.txt...)."""
    from tqdm import tqdm

    from sources.importers.etalab import ETALAB_CATEGORIES

    with open_registry(ctx) as registry, tqdm(total=len(ETALAB_CATEGORIES) + 1, unit="file",
                                              desc="etalab", file=sys.stderr, leave=False,
                                              disable=None) as bar:

        def advance(name: str, hosts: int) -> None:
            bar.set_postfix_str(f"{name} {hosts} hosts")
            bar.update(1)

        _report(registry.import_etalab(location, version, advance,
                                       guard_of(ctx, dry_run, allow_shrink)), as_json)
    if not dry_run:
        purge_now(ctx)


@import_.command("universities")
@click.argument("location")
@version_option
@json_option
@guard_options
@click.pass_context
def import_universities(ctx: click.Context, location: str, version: str | None,
                        as_json: bool, dry_run: bool, allow_shrink: bool) -> None:
    """The world universities list (JSON) from a path or URL."""
    with open_registry(ctx) as registry:
        _report(registry.import_universities(location, version,
                                             guard_of(ctx, dry_run, allow_shrink)), as_json)
    if not dry_run:
        purge_now(ctx)


@import_.command("list")
@click.argument("location")
@click.option("--category", required=True, help="category of every host in the list")
@click.option("--origin", required=True, help="name of this list (re-importing it replaces it)")
@version_option
@json_option
@guard_options
@click.pass_context
def import_list(ctx: click.Context, location: str, category: str, origin: str,
                version: str | None, as_json: bool, dry_run: bool, allow_shrink: bool) -> None:
    """A plain list, one host per line, from a path or URL."""
    with open_registry(ctx) as registry:
        _report(registry.import_list(location, category, origin, version,
                                     guard_of(ctx, dry_run, allow_shrink)), as_json)
    if not dry_run:
        purge_now(ctx)


report_option = click.option("--report", type=int, help="the agent's report this answers (closes it)")


@sources.command()
@click.argument("host")
@click.option("--reason", required=True, help="why (kept with the entry)")
@click.option("--category", help="category of the allowed host (default autre-public)")
@click.option("--name", help="organisation's name")
@report_option
@click.pass_context
def allow(ctx: click.Context, host: str, reason: str, category: str | None,
          name: str | None, report: int | None) -> None:
    """Trust HOST and its subdomains, whatever the lists say (a deny still wins)."""
    with open_registry(ctx) as registry:
        normal = registry.allow(host, reason, category, name, actor=actor(), report=report)
    click.echo(f"allowed {normal}: {reason}")


@sources.command()
@click.argument("host")
@click.option("--reason", required=True, help="why (kept with the entry)")
@report_option
@click.pass_context
def deny(ctx: click.Context, host: str, reason: str, report: int | None) -> None:
    """Never trust HOST nor its subdomains, whatever any list says; its pages leave the index."""
    with open_registry(ctx) as registry:
        normal = registry.deny(host, reason, actor=actor(), report=report)
    click.echo(f"denied {normal}: {reason}")
    purge_now(ctx)


@sources.command()
@click.argument("host")
@click.option("--reason", default="", help="why (kept in the log)")
@report_option
@click.pass_context
def forget(ctx: click.Context, host: str, reason: str, report: int | None) -> None:
    """Remove HOST's curator allow or deny entry (the log keeps it)."""
    with open_registry(ctx) as registry:
        removed = registry.forget(host, actor=actor(), reason=reason, report=report)
    click.echo(f"{'removed' if removed else 'no curator entry for'} {host}")


@sources.command()
@click.argument("domain")
@click.pass_context
def show(ctx: click.Context, domain: str) -> None:
    """What the registry knows of DOMAIN and its subdomains (JSON)."""
    with open_registry(ctx) as registry:
        click.echo(orjson.dumps(registry.describe(domain), option=orjson.OPT_INDENT_2).decode())


@sources.command()
@json_option
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Trusted hosts, registrable domains, counts by category and by origin."""
    with open_registry(ctx) as registry:
        data = registry.stats()
    if as_json:
        click.echo(orjson.dumps(data).decode())
        return
    click.echo(f"{data['hosts']} trusted hosts over {data['domains']} registrable domains"
               f" ({data['listed_but_untrusted']} listed hosts kept untrusted by platform"
               " or curator rules)")
    click.echo("by category:")
    for name, count in data["by_category"].items():
        click.echo(f"  {name:<26} {count:>7}")
    click.echo("by origin:")
    for origin in data["origins"]:
        click.echo(f"  {origin['origin']:<26} {origin['entries']:>7}  version {origin['version']},"
                   f" imported {origin['imported_at']} from {origin['location']}")
    click.echo(f"curated: {data['curated']['allow']} allowed, {data['curated']['deny']} denied")


@sources.command()
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10000))
@click.option("--hosts", "with_hosts", is_flag=True, help="list the hosts each import added and removed")
@click.pass_context
def history(ctx: click.Context, limit: int, with_hosts: bool) -> None:
    """The last imports: counts, and with --hosts the hosts each one added and removed."""
    with open_registry(ctx) as registry:
        for row in registry.store.imports(limit):
            if with_hosts:
                row = {**row, **registry.store.import_hosts(int(row["id"]))}  # type: ignore[call-overload]
            click.echo(orjson.dumps(row).decode())


# the journal's commands (sdc/cli/curators.py) belong to this group
for _command in (log, reports, audit, close_report):
    sources.add_command(_command)


# `sdc sources coverage` lives with the Annuaire's commands (sdc/cli/annuaire.py)
from sdc.cli.annuaire import coverage as _coverage  # noqa: E402

sources.add_command(_coverage)
