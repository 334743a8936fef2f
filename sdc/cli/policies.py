"""``sdc policies``: browser policy files for a fleet.

The default search engine (Firefox ``SearchEngines``, Chrome/Edge ``DefaultSearchProvider*``), and,
when the extension's ID is known (``--extension-id``, or the ``release.json`` that
``sdc extension build --key`` writes), the extension force-installed from the service with its
managed settings, for Linux, Windows and macOS, plus Chrome's ``@confiance`` site search.
See docs/deploy-default-search.md and docs/extension.md for where each file goes.
"""

from __future__ import annotations

from pathlib import Path

import click

from sdc.cli import settings_of


def _extension_id(given: str | None, data_dir: Path) -> str | None:
    if given:
        return given.strip()
    from service.extension_packages import PackageError, read_release_info

    try:
        return str(read_release_info(data_dir / "extension")["chromium_id"])
    except PackageError:
        return None


@click.command()
@click.option("--base-url", help="public URL of the service (default SDC_PUBLIC_BASE_URL)")
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("policies"), show_default=True, help="directory to write the files to")
@click.option("--name", default="Sources de Confiance", show_default=True, help="engine name")
@click.option("--keyword", default="sdc", show_default=True, help="address-bar keyword")
@click.option("--extension-id", default=None,
              help="Chromium extension ID (default: from <data_dir>/extension/release.json)")
@click.option("--mode", type=click.Choice(["local", "service"]), default="local", show_default=True,
              help="classification mode the extension is locked to")
@click.pass_context
def policies(ctx: click.Context, base_url: str | None, out_dir: Path, name: str, keyword: str,
             extension_id: str | None, mode: str) -> None:
    """Write the browsers' policy files: default search engine, extension, site search."""
    from service.policies import extension_policy_files, policy_files

    settings = settings_of(ctx)
    base_url = base_url or settings.public_base_url
    if not base_url:
        raise click.BadParameter("give the service's public URL (or set SDC_PUBLIC_BASE_URL)",
                                 param_hint="--base-url")
    name = name.strip() or "Sources de Confiance"
    try:
        files = policy_files(base_url, name, keyword.strip() or "sdc")
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base-url") from None
    ident = _extension_id(extension_id, settings.data_dir)
    if ident is not None:
        try:
            files |= extension_policy_files(base_url, ident, mode, name)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--extension-id") from None
    for relative, content in files.items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="")
        click.echo(str(path))
    note = f"extension {ident}" if ident else "no extension policies (no --extension-id, no signed build)"
    click.echo(f"sdc: {len(files)} policy files for {base_url} in {out_dir}/, {note} "
               "(see docs/deploy-default-search.md, docs/extension.md)", err=True)
