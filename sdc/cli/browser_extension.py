"""``sdc extension build``: the trust list and the browser extension's packages.

Writes, under ``--out`` (default ``<data_dir>/extension``)::

    trustlist.json                          the compact, hashed list (served at
                                            /extension/trustlist.json)
    chromium/  firefox/                     the unpacked extensions (list packed in)
    sources-de-confiance-chromium-V.zip     what the Chrome Web Store / Edge Add-ons take
    sources-de-confiance-firefox-V.zip      what AMO signing takes
    release.json, releases/                 with --key: the signed CRX3 and the .xpi that
                                            `sdc serve` publishes with its update manifests

``sdc extension keygen`` writes the key that fixes the Chromium extension ID; it belongs to
the deployer and never goes into this repository.

The manifests are generated per browser by ``extension/scripts/build.js``
(node), so the extension's own sources stay the one description of it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import click

from sdc.cli import load_classifier, settings_of
from service import extension_packages as packages
from sources.trustlist import SERVICE_PATH, write_trustlist

EXTENSION_SRC = Path(__file__).resolve().parents[2] / "extension"
BROWSERS = ("chromium", "firefox")
#: fixed timestamp inside the zips, so that equal inputs give equal packages
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise click.UsageError("node (>= 20) is needed to assemble the extension: install nodejs")
    return node


def _extension_version() -> str:
    package = EXTENSION_SRC / "package.json"
    if not package.is_file():
        raise click.UsageError(f"the extension's sources are missing ({EXTENSION_SRC})")
    return str(json.loads(package.read_text("utf-8"))["version"])


def _check_url(value: str | None) -> str | None:
    if not value:
        return None
    if not value.startswith(("https://", "http://")):
        raise click.BadParameter(f"not an http(s) URL: {value!r}", param_hint="--service-url")
    return value.rstrip("/")


def assemble(browser: str, out: Path, version: str, service_url: str | None, trustlist: Path,
             public_key: str | None = None) -> Path:
    """Run the extension's build script for one browser; returns the unpacked folder."""
    target = out / browser
    command = [_node(), str(EXTENSION_SRC / "scripts" / "build.js"), "--browser", browser,
               "--out", str(target), "--version", version, "--trustlist", str(trustlist)]
    if service_url:
        command += ["--service-url", service_url]
    if public_key:  # a signed, self-hosted build: update URLs on the service
        command += ["--self-hosted"] + (["--public-key", public_key] if browser == "chromium" else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise click.UsageError(f"building the {browser} extension failed: {done.stderr.strip()}")
    return target


def pack(folder: Path, archive: Path) -> Path:
    """Zip a folder with sorted names and fixed times (reproducible); written atomically."""
    tmp = archive.with_name(archive.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    tmp.replace(archive)
    return archive


@click.group()
def extension() -> None:
    """The browser extension (Chromium and Firefox)."""


def _outside_checkout(path: Path) -> Path:
    path = path.expanduser().resolve()
    if path.is_relative_to(EXTENSION_SRC.parent):
        raise click.BadParameter(f"{path} is inside the project's checkout: keep the key out of it",
                                 param_hint="--out")
    return path


@extension.command("keygen")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="where to write the private key (PEM), outside this repository")
@click.option("--force", is_flag=True, help="replace an existing key (the extension ID changes)")
def keygen(out: Path, force: bool) -> None:
    """Write the deployer's signing key; it fixes the Chromium extension ID."""
    out = _outside_checkout(out)
    if out.exists() and not force:
        raise click.UsageError(f"{out} exists: replacing it changes the extension ID (use --force)")
    out.parent.mkdir(parents=True, exist_ok=True)
    pem = packages.generate_key()
    partial = out.with_name(f".{out.name}.tmp")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    partial.replace(out)
    ident = packages.extension_id(packages.load_key(out))
    click.echo(f"key: {out} (keep it private; back it up)")
    click.echo(f"chromium extension id: {ident}")
    click.echo(f"firefox add-on id: {packages.GECKO_ID}")


@extension.command("build")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="output folder (default: <data_dir>/extension)")
@click.option("--service-url", default=None,
              help="service the extension updates its list from (default: SDC_PUBLIC_BASE_URL)")
@click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="the deployer's key (sdc extension keygen): sign a CRX3 for self-hosting")
@click.pass_context
def build(ctx: click.Context, out: Path | None, service_url: str | None, key_path: Path | None) -> None:
    """Write the trust list and both browsers' extension packages."""
    settings = settings_of(ctx)
    service = _check_url(service_url or settings.public_base_url)
    version = _extension_version()
    _node()
    key = None
    if key_path is not None:
        try:
            key = packages.load_key(key_path.expanduser().resolve())
        except packages.PackageError as exc:
            raise click.BadParameter(str(exc), param_hint="--key") from None
        if not service:
            raise click.BadParameter("a signed build needs the service's URL (its update manifests)",
                                     param_hint="--service-url")
    out = out or settings.data_dir / "extension"
    classifier = load_classifier(settings)
    listing = out / "trustlist.json"
    document = write_trustlist(classifier, listing)
    click.echo(f"trust list {document['version']}: {classifier.entry_count} hosts, "
               f"{listing.stat().st_size // 1024} KiB -> {listing} (serve it at {SERVICE_PATH})")
    if classifier.entry_count == 0:
        click.echo("warning: the registry is empty, only the built-in zones are trusted "
                   "(import lists with `sdc sources import`)", err=True)
    public = packages.manifest_key(key) if key is not None else None
    for browser in BROWSERS:
        folder = assemble(browser, out, version, service, listing, public)
        archive = pack(folder, out / f"sources-de-confiance-{browser}-{version}.zip")
        click.echo(f"{browser}: {archive} ({archive.stat().st_size // 1024} KiB)")
    click.echo(f"service: {service or 'none (list packed in the extension, no updates)'}")
    stale = out / packages.RELEASE_FILE
    if key is None and stale.exists():
        # the unpacked builds no longer carry the key and update URLs a signed release needs
        stale.unlink()
        click.echo(f"warning: built without --key: {stale} removed, the service stops publishing "
                   "updates until the next `sdc extension build --key ...`", err=True)
    if key is not None and key_path is not None:
        info = {"key": str(key_path.expanduser().resolve()), "base_version": version,
                "chromium_id": packages.extension_id(key), "gecko_id": packages.GECKO_ID}
        (out / packages.RELEASE_FILE).write_text(json.dumps(info, indent=2) + "\n", "utf-8")
        current = packages.release(out, document)
        click.echo(f"release {current.version}: {out / packages.RELEASES / current.crx} "
                   f"(chromium id {current.chromium_id}), {out / packages.RELEASES / current.xpi}")
        click.echo(f"update manifests: {service}/extension/updates.xml, {service}/extension/updates.json")
