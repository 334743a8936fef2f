"""``sdc annuaire import|search|status`` and ``sdc sources coverage``: the Annuaire from the command line."""

from __future__ import annotations

import sys

import click
import orjson

from sdc.cli import load_classifier, settings_of

json_option = click.option("--json", "as_json", is_flag=True, help="print JSON")


@click.group()
def annuaire() -> None:
    """Import and search the Annuaire de l'administration (Service-Public.fr / DILA)."""


@annuaire.command("import")
@click.argument("location")
@click.option("--version", help="upstream version to record (default: content hash)")
@click.option("--registry/--no-registry", default=True,
              help="also make the offices' websites the registry origin `annuaire` (default: yes)")
@json_option
@click.pass_context
def import_(ctx: click.Context, location: str, version: str | None, registry: bool, as_json: bool) -> None:
    """Replace the Annuaire with LOCATION: the 2019 CSV, or DILA's JSON (file, .gz, all_latest.tar.bz2),
    a path or an http(s) URL."""
    from tqdm import tqdm

    from sources.annuaire import AnnuaireStore, import_annuaire
    from sources.annuaire.origin import register_origin
    from sources.store import Store

    settings = settings_of(ctx)
    with tqdm(desc="annuaire", unit=" offices", file=sys.stderr, mininterval=0.5, leave=False,
              disable=None) as bar:
        def advance(n: int) -> None:
            bar.update(n - bar.n)

        report = import_annuaire(settings.data_dir, location, version, advance)
    data = report.to_dict()
    from index.office_index import build

    with AnnuaireStore(settings.data_dir, readonly=True) as store:
        build(store, settings.data_dir)  # the search's tantivy index (index/office_index.py)
        if registry:
            with Store(settings.registry_dir) as reg:
                origin = register_origin(store, reg, report.version)
            data["registry"] = {"origin": origin.origin, "hosts": origin.total, "added": origin.added,
                                "changed": origin.changed, "removed": origin.removed}
    if as_json:
        click.echo(orjson.dumps(data).decode())
        return
    click.echo(f"annuaire: {data['offices']} offices from {location} (version {data['version']}"
               f"{', dated ' + data['date'] if data['date'] else ''}): {data['added']} added, "
               f"{data['changed']} changed, {data['removed']} removed")
    if registry:
        r = data["registry"]
        click.echo(f"registry origin annuaire: {r['hosts']} websites ({r['added']} added, "
                   f"{r['changed']} changed, {r['removed']} removed)")


@annuaire.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--type", "kind", help="office type (pivot), e.g. mairie, gendarmerie, cio")
@click.option("--commune", help="commune name")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 100))
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], kind: str | None, commune: str | None,
           limit: int) -> None:
    """Search the Annuaire: one JSON object per office, best first."""
    from index.errors import SearchIndexError
    from index.office_index import OfficeIndex
    from index.offices import Candidates
    from index.offices import search as search_offices
    from sources.annuaire import AnnuaireStore

    data_dir = settings_of(ctx).data_dir
    with AnnuaireStore(data_dir, readonly=True) as store:
        candidates: Candidates = store
        try:
            candidates = OfficeIndex(data_dir, store)
        except SearchIndexError:
            pass  # the store's own FTS5 table
        for found in search_offices(candidates, " ".join(query), kind=kind, commune=commune, limit=limit):
            click.echo(orjson.dumps(found.office.to_dict()).decode())


@annuaire.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """What the Annuaire holds: offices, version, upstream date, location, import time."""
    from sources.annuaire import AnnuaireStore

    with AnnuaireStore(settings_of(ctx).data_dir, readonly=True) as store:
        click.echo(orjson.dumps(store.meta()).decode())


@click.command()
@click.option("--type", "kinds", multiple=True, default=("mairie",), show_default=True,
              help="office types to measure (repeat; `all` for every type)")
@click.option("--list", "list_", is_flag=True, help="list the untrusted websites, for curators")
@json_option
@click.pass_context
def coverage(ctx: click.Context, kinds: tuple[str, ...], list_: bool, as_json: bool) -> None:
    """Which offices of the Annuaire have a website, and whether the registry trusts it."""
    from sources.annuaire import AnnuaireStore
    from sources.annuaire.origin import coverage as measure

    settings = settings_of(ctx)
    classifier = load_classifier(settings)
    with AnnuaireStore(settings.data_dir, readonly=True) as store:
        result = measure(store, classifier, None if "all" in kinds else set(kinds))
    data = result.to_dict()
    if as_json:
        click.echo(orjson.dumps(data).decode())
        return
    for kind, row in data["by_type"].items():
        click.echo(f"{kind}: {row['offices']} offices, {row['with_website']} with a website, "
                   f"{row['trusted']} of them trusted")
    click.echo(f"distinct websites: {data['websites']}, trusted {data['trusted']} "
               f"({100 * data['share']:.1f} %), of which {data['trusted_by_annuaire_only']} only "
               f"through the annuaire origin")
    untrusted = data["untrusted"]
    click.echo(f"untrusted websites: {len(untrusted)}" + ("" if list_ else " (--list to see them)"))
    if list_:
        for row in untrusted:
            click.echo(f"  {row['website']}\t{row['name']}\t{row['id']}\t{row['reason']}")
