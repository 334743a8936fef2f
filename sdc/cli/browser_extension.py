"""``sdc extension build``: the trust list and the browser extension's packages.

Writes, under ``--out`` (default ``<data_dir>/extension``)::

    trustlist.json                          the compact, hashed list (served at
                                            /extension/trustlist.json)
    chromium/  firefox/                     the unpacked extensions (list packed in)
    sources-de-confiance-chromium-V.zip     what Chrome/Edge policies and stores take
    sources-de-confiance-firefox-V.zip      what Firefox (AMO signing, policies) takes

The manifests are generated per browser by ``extension/scripts/build.js``
(node), so the extension's own sources stay the one description of it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import click

from sdc.cli import load_classifier, settings_of
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


def assemble(browser: str, out: Path, version: str, service_url: str | None, trustlist: Path) -> Path:
    """Run the extension's build script for one browser; returns the unpacked folder."""
    target = out / browser
    command = [_node(), str(EXTENSION_SRC / "scripts" / "build.js"), "--browser", browser,
               "--out", str(target), "--version", version, "--trustlist", str(trustlist)]
    if service_url:
        command += ["--service-url", service_url]
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


@extension.command("build")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="output folder (default: <data_dir>/extension)")
@click.option("--service-url", default=None,
              help="service the extension updates its list from (default: SDC_PUBLIC_BASE_URL)")
@click.pass_context
def build(ctx: click.Context, out: Path | None, service_url: str | None) -> None:
    """Write the trust list and both browsers' extension packages."""
    settings = settings_of(ctx)
    service = _check_url(service_url or settings.public_base_url)
    version = _extension_version()
    _node()
    out = out or settings.data_dir / "extension"
    classifier = load_classifier(settings)
    listing = out / "trustlist.json"
    document = write_trustlist(classifier, listing)
    click.echo(f"trust list {document['version']}: {classifier.entry_count} hosts, "
               f"{listing.stat().st_size // 1024} KiB -> {listing} (serve it at {SERVICE_PATH})")
    if classifier.entry_count == 0:
        click.echo("warning: the registry is empty, only the built-in zones are trusted "
                   "(import lists with `sdc sources import`)", err=True)
    for browser in BROWSERS:
        folder = assemble(browser, out, version, service, listing)
        archive = pack(folder, out / f"sources-de-confiance-{browser}-{version}.zip")
        click.echo(f"{browser}: {archive} ({archive.stat().st_size // 1024} KiB)")
    click.echo(f"service: {service or 'none (list packed in the extension, no updates)'}")
