"""``sdc run``: what ``make run`` does on a fresh machine.

1. the registry: the lists of ``SDC_SHARED_DIR`` when present, else (with
   ``SDC_CRAWL_TARGET=web``, on a connected machine) their upstream URLs, else
   the built-in rules alone;
2. the index, when none exists yet: a crawl of the local site farm of real
   public-service pages (``SDC_CRAWL_TARGET=farm``, the default), or of the
   registry's sites on the real web (``web``), capped by ``SDC_RUN_MAX_PAGES``; the farm is our
   own loopback server, so its crawl has that cap as its per-host budget too (the crawler's
   default of 5,000 pages a host would leave out half of the 19,256-page corpus), while a web
   crawl keeps the crawler's polite per-host default;
3. the search service on ``SDC_HOST:SDC_PORT`` (http://127.0.0.1:8000).

Each step is skipped when its result already exists, so a second ``make run``
starts serving at once.
"""

from __future__ import annotations

from pathlib import Path

import click

from sdc.cli import settings_of
from service.settings import Settings
from sources import Registry
from sources.errors import ImportSourceError


def _say(message: str) -> None:
    click.echo(f"sdc run: {message}", err=True)


def ensure_registry(settings: Settings) -> None:
    with Registry(settings.registry_dir) as registry:
        if registry.store.origins():
            _say(f"registry already imported ({settings.registry_dir})")
            return
        etalab = settings.shared_dir / "sources" / "etalab"
        universities = settings.shared_dir / "sources" / "universities"
        universities /= "world_universities_and_domains.json"
        if etalab.is_dir():
            locations = (str(etalab), str(universities) if universities.is_file() else None)
        elif settings.crawl_target == "web":
            locations = (settings.etalab_url, settings.universities_url)
        else:
            curated = len(registry.store.curated())  # the farm's hosts, after a first run
            _say(f"no lists in {settings.shared_dir}: built-in rules only (gouv.fr, .gov, .edu...)"
                 + (f", and {curated} curator entries" if curated else ""))
            return
        try:
            report = registry.import_etalab(locations[0]).to_dict()
            _say(f"imported {report['entries']} Etalab hosts from {locations[0]}")
            if locations[1]:
                report = registry.import_universities(locations[1]).to_dict()
                _say(f"imported {report['entries']} university domains from {locations[1]}")
        except ImportSourceError as exc:
            _say(f"could not import the lists ({exc}): built-in rules only")


def _index_exists(index_dir: Path) -> bool:
    return (index_dir / "meta.json").is_file()


def ensure_index(settings: Settings) -> None:
    from crawler.run import run_crawl
    from crawler.scope import CrawlScope
    from sdc.cli.crawling import crawl_config  # the one builder of sdc crawl and sdc run

    if _index_exists(settings.index_dir):
        _say(f"index already built ({settings.index_dir})")
        return
    with Registry(settings.registry_dir) as registry:
        classifier = registry.classifier()
        listed = sorted({host for host, *_ in registry.store.iter_entries()})
    if settings.crawl_target == "web":
        if not listed:
            _say("no imported list to take seeds from: the index stays empty")
            return
        _say(f"crawling {len(listed)} registry hosts on the web (at most {settings.run_max_pages} pages)")
        config = crawl_config(settings, CrawlScope(classifier, None, None), [f"https://{h}/" for h in listed],
                              max_pages=settings.run_max_pages)
        _report(run_crawl(config))
        return
    corpus = settings.shared_dir / "corpus" / "documents.jsonl.gz"
    if not corpus.is_file():
        _say(f"no site farm corpus at {corpus}: the index stays empty")
        return
    from crawler.farm import run_farm

    with run_farm(corpus, hostile=False) as farm:
        untrusted = [h for h in farm.hosts if not classifier.classify_host(h).trusted]
        if untrusted:  # without ../shared's lists the corpus sites are not all listed
            with Registry(settings.registry_dir) as registry:
                farm.register(registry)
                classifier = registry.classifier()
        _say(f"crawling the local site farm ({len(farm.records)} real pages on "
             f"{len(farm.hosts)} sites, proxy {farm.proxy_url}) into {settings.index_dir}")
        # our own loopback farm: no politeness delay and no per-host budget are owed to it, and
        # the default budget (5,000 a host) would index 10,260 of the corpus's 19,256 pages
        config = crawl_config(settings, CrawlScope(classifier, farm.hosts, None), farm.home_urls(),
                              proxy=farm.proxy_url, delay=0.0, max_pages=settings.run_max_pages,
                              max_pages_per_host=settings.run_max_pages)
        _report(run_crawl(config))


def _report(summary: object) -> None:
    for line in summary.lines():  # type: ignore[attr-defined]
        _say(line)


@click.command()
@click.option("--host", help="interface to listen on (default SDC_HOST)")
@click.option("--port", type=click.IntRange(0, 65535), help="port (default SDC_PORT)")
@click.option("--no-serve", is_flag=True, help="build the registry and the index, then stop")
@click.pass_context
def run(ctx: click.Context, host: str | None, port: int | None, no_serve: bool) -> None:
    """Load the registry, build the index if there is none, and serve the search page."""
    from sdc.cli.serving import run_server

    settings = settings_of(ctx)
    ensure_registry(settings)
    ensure_index(settings)
    if no_serve:
        return
    host = host or settings.host
    port = settings.port if port is None else port
    run_server(settings, host, port, settings.workers)
