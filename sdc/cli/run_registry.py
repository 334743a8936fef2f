"""``sdc run``'s first steps: the registry's lists and the Annuaire, from the local copies or upstream.

The lists come from ``SDC_SHARED_DIR`` when it holds them, else they are downloaded (through
``SDC_CRAWL_PROXY`` when set); what came of it, a :data:`RegistryStart`, tells :mod:`sdc.cli.run`
how to make the index.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Literal

import click

from sdc import demo
from service.settings import Settings
from sources import Registry
from sources.errors import SourcesError

#: how the registry was made: kept from a previous run, local copies, built-in rules alone (local
#: copies without lists), downloaded from upstream, or not (offline)
RegistryStart = Literal["existing", "shared", "builtin", "upstream", "offline"]
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")


def say(message: str) -> None:
    """One line of what ``sdc run`` does, on stderr."""
    click.echo(f"sdc run: {message}", err=True)


def has_shared_copies(settings: Settings) -> bool:
    shared = settings.shared_dir
    return (shared / "sources" / "etalab").is_dir() or (shared / "corpus" / "documents.jsonl.gz").is_file()


@contextlib.contextmanager
def _downloads_through(proxy: str | None) -> Iterator[None]:
    """The list downloads go through ``SDC_CRAWL_PROXY`` unless the environment names a proxy."""
    if not proxy or any(os.environ.get(name) for name in PROXY_VARIABLES):
        yield
        return
    os.environ.update({name: proxy for name in PROXY_VARIABLES})
    try:
        yield
    finally:
        for name in PROXY_VARIABLES:
            os.environ.pop(name, None)


def ensure_registry(settings: Settings) -> RegistryStart:
    with Registry(settings.registry_dir) as registry:
        if [o for o in registry.store.origins() if o["origin"] != demo.ORIGIN]:
            say(f"registry already imported ({settings.registry_dir})")
            return "existing"
        etalab = settings.shared_dir / "sources" / "etalab"
        universities = settings.shared_dir / "sources" / "universities"
        universities /= "world_universities_and_domains.json"
        if etalab.is_dir():
            locations = (str(etalab), str(universities) if universities.is_file() else None)
            start: RegistryStart = "shared"
        elif has_shared_copies(settings) and settings.crawl_target == "farm":
            curated = len(registry.store.curated())  # the farm's hosts, after a first run
            say(f"no lists in {settings.shared_dir}: built-in rules only (gouv.fr, .gov, .edu...)"
                + (f", and {curated} curator entries" if curated else ""))
            return "builtin"
        else:
            locations, start = (settings.etalab_url, settings.universities_url), "upstream"
        with _downloads_through(settings.crawl_proxy):
            try:
                say(f"importing the Etalab lists from {locations[0]}")
                report = registry.import_etalab(
                    locations[0], progress=lambda name, n: say(f"  {name}: {n} hosts")).to_dict()
                say(f"imported {report['entries']} Etalab hosts from {locations[0]}")
            except SourcesError as exc:
                if start == "upstream":
                    say(f"could not download the lists ({exc}): offline start, with the embedded demo")
                    return "offline"
                say(f"could not import the lists ({exc}): built-in rules only")
                return "builtin"
            if locations[1]:  # the Etalab lists are in: without this one the start goes on
                try:
                    say(f"importing the universities list from {locations[1]}")
                    report = registry.import_universities(locations[1]).to_dict()
                    say(f"imported {report['entries']} university domains from {locations[1]}")
                except SourcesError as exc:
                    say(f"could not import the universities list ({exc}): going on without it")
    return start


def ensure_annuaire(settings: Settings, start: RegistryStart) -> None:
    """``sdc annuaire import`` (its own command, with its progress) when there is no data yet."""
    if start == "offline":
        return
    local = settings.shared_dir / "annuaire" / "annuaire-2019.csv.gz"
    location = str(local) if local.is_file() else settings.annuaire_url
    if not location:
        return
    from sources.annuaire import AnnuaireStore
    from sources.annuaire.errors import AnnuaireError

    with contextlib.suppress(AnnuaireError), AnnuaireStore(settings.data_dir, readonly=True) as store:
        if store.count():
            say("Annuaire already imported")
            return
    say(f"importing the Annuaire from {location}")
    with _downloads_through(settings.crawl_proxy):
        done = subprocess.run([sys.executable, "-m", "sdc", "annuaire", "import", str(location)],
                              env={**os.environ, "SDC_DATA_DIR": str(settings.data_dir.resolve())})
    if done.returncode:
        say("could not import the Annuaire (above): the search goes on without it")
