"""``sdc run``: what ``make run`` does, on whichever machine it finds itself.

Three starts, told apart by what is there (each step is skipped when its result exists, so a
second ``make run`` serves at once):

* **local copies** (``SDC_SHARED_DIR``, ``../shared/data`` on CI and dev machines): the registry
  from their lists, the Annuaire, and the index from a crawl
  of the local site farm of real public-service pages (``SDC_CRAWL_TARGET=web``: of the registry's
  sites on the real web), capped by ``SDC_RUN_MAX_PAGES``; the farm is our own loopback server, so
  that cap is its per-host budget too;
* **connected** (no local copy): the registry from its upstreams (Etalab, the universities list,
  the Annuaire at ``SDC_ANNUAIRE_URL``, which has no default), downloaded through
  ``SDC_CRAWL_PROXY`` when set;
  then a polite crawl of a few national sites (``SDC_RUN_SEEDS``, at most ``SDC_RUN_MAX_PAGES``
  pages) in the background, and the service as soon as its first pages are in;
* **offline** (a download failed or was refused): the embedded demo (:mod:`sdc.demo`), 500 real
  pages, so that the search page answers at once and says it is a demonstration.  The next
  ``make run`` on a connected machine replaces it.

The registry and the Annuaire are made by :mod:`sdc.cli.run_registry`, the index here.
What happened and what to run next is printed at the end, and told by the pages
(:mod:`service.startup`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from sdc import demo
from sdc.cli import settings_of
from sdc.cli.crawling import contact_warning, crawl_config, split_hosts  # as `sdc crawl` does
from sdc.cli.first_crawl import FirstCrawl
from sdc.cli.run_registry import RegistryStart, ensure_annuaire, ensure_registry, has_shared_copies
from sdc.cli.run_registry import say as _say
from service.settings import Settings
from service.startup import clear_status, read_status, write_status
from sources import Registry


def _warn_contact(settings: Settings) -> None:
    """Before a crawl of real sites (not the loopback farm): whether its user agent names the deployer."""
    warning = contact_warning(settings)
    if warning:
        _say(f"warning: {warning}")


def _index_exists(index_dir: Path) -> bool:
    return (index_dir / "meta.json").is_file()


def build_demo(settings: Settings) -> None:
    """The embedded demo's pages in the index, their sites trusted; the pages say it is a demo."""
    with Registry(settings.registry_dir) as registry:
        demo.register(registry)
        classifier = registry.classifier()
    _say(f"indexing the embedded demo ({demo.PAGES.name}: real pages of {', '.join(demo.SITES)}, "
         "Licence Ouverte)")
    pages = demo.build_index(settings.index_dir, classifier)
    write_status(settings.data_dir, {"mode": "demo", "pages": pages, "sites": list(demo.SITES)})
    _say(f"demo index built: {pages} pages in {settings.index_dir}")


def start_first_crawl(settings: Settings, resume: bool = False) -> FirstCrawl | None:
    """The crawl of ``SDC_RUN_SEEDS`` in the background once its first pages are in; None (and
    the demo instead, when there is no index) if it gets none."""
    with Registry(settings.registry_dir) as registry:
        classifier = registry.classifier()
    seeds = split_hosts((settings.run_seeds,))  # read as `sdc crawl --hosts` reads them
    hosts = [h for h in seeds if classifier.classify_host(h).trusted]
    if len(hosts) < len(seeds):
        left_out = ", ".join(sorted(set(seeds) - set(hosts)))
        _say(f"not in the registry, left out of the first crawl: {left_out}")
    if not hosts:
        _say("no trusted seed site to crawl (SDC_RUN_SEEDS): starting with the embedded demo")
        if not _index_exists(settings.index_dir):
            build_demo(settings)
        return None
    _warn_contact(settings)
    crawl = FirstCrawl(settings, hosts, settings.run_max_pages, _say, resume=resume)
    _say(f"{'resuming' if resume else 'starting'} the first crawl of {', '.join(hosts)} in the background "
         f"(at most {settings.run_max_pages} pages, one request a host every {settings.crawl_delay:g} s; "
         f"log {crawl.log}); serving once its first pages are in")
    if crawl.wait_first_pages():
        _say(f"first pages in ({crawl.pages}): serving while the crawl goes on")
        crawl.follow()
        return crawl
    crawl.stop()
    for line in crawl.last_lines():
        _say(f"  crawl: {line}")
    if _index_exists(settings.index_dir) and not resume:
        shutil.rmtree(settings.index_dir)  # an empty index made by the failed crawl
    _say("the first crawl got no page (its log above): starting with the embedded demo")
    if not _index_exists(settings.index_dir):
        build_demo(settings)
    return None


def ensure_index(settings: Settings, start: RegistryStart | None = None) -> FirstCrawl | None:
    """The index, by the start of the registry (``None``: today's start from local copies)."""
    status = read_status(settings.data_dir) or {}
    if _index_exists(settings.index_dir):
        connected = start in ("upstream", "existing") and not has_shared_copies(settings)
        if status.get("mode") == "demo" and connected:
            _say("the lists are in: the demo index gives way to a crawl of national sites")
            shutil.rmtree(settings.index_dir)
            clear_status(settings.data_dir)
        elif status.get("mode") == "crawling" and connected:
            return start_first_crawl(settings, resume=True)
        else:
            _say(f"index already built ({settings.index_dir})"
                 + (" (the embedded demo)" if status.get("mode") == "demo" else ""))
            return None
    if start is None or start in ("shared", "builtin") or has_shared_copies(settings):
        crawl_shared(settings)
        return None
    if start == "offline":
        build_demo(settings)
        return None
    return start_first_crawl(settings)


def crawl_shared(settings: Settings) -> None:
    """Today's index of a machine with ``../shared``: the site farm (or the registry's sites on the web)."""
    from crawler.run import run_crawl
    from crawler.scope import CrawlScope

    with Registry(settings.registry_dir) as registry:
        classifier = registry.classifier()
        listed = sorted({host for host, *_ in registry.store.iter_entries()})
    if settings.crawl_target == "web":
        if not listed:
            _say("no imported list to take seeds from: the index stays empty")
            return
        _warn_contact(settings)
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
        summary = run_crawl(config)
        _report(summary)
        if summary.errors.get("http 502"):
            # the pages link to trusted subdomains (dares.travail-emploi.gouv.fr...) that the farm,
            # standing in for the web, does not hold: its proxy answers them 502, as a gateway would
            _say(f"the http 502 are links to trusted hosts the local site farm does not hold "
                 f"(it serves {', '.join(sorted(farm.hosts))}): expected")


def _report(summary: object) -> None:
    for line in summary.lines():  # type: ignore[attr-defined]
        _say(line)


def next_steps(settings: Settings, start: RegistryStart, crawl: FirstCrawl | None) -> list[str]:
    """What happened, and what to run next (the README tells the same)."""
    status = read_status(settings.data_dir) or {}
    if status.get("mode") == "demo":
        return [f"started from the embedded DEMO index ({status.get('pages', 0)} real pages of "
                f"{', '.join(demo.SITES)}): no network, or the download was refused",
                "next: run `make run` again on a connected machine (set SDC_CRAWL_PROXY=http://proxy:port "
                "behind a proxy): it imports the lists and replaces the demo by a crawl of national sites"]
    if crawl is not None:
        return [f"started from the upstream lists; the first crawl of {len(crawl.hosts)} national sites "
                f"goes on in the background ({crawl.pages} pages so far, at most {crawl.budget})",
                "next: `sdc crawl` crawls every site of the registry (hours: see docs/deploy.md for a "
                "scheduled crawl); `sdc sources stats` shows the registry"]
    if has_shared_copies(settings):
        return [f"started from the local copies in {settings.shared_dir}",
                "next: `SDC_CRAWL_TARGET=web make run` (fresh data dir) crawls the real web; docs/deploy.md "
                "for a server"]
    return [f"started from the data in {settings.data_dir} (registry: {start})",
            "next: `sdc crawl` refreshes the index; `sdc sources stats` shows the registry"]


@click.command()
@click.option("--host", help="interface to listen on (default SDC_HOST)")
@click.option("--port", type=click.IntRange(0, 65535), help="port (default SDC_PORT)")
@click.option("--no-serve", is_flag=True, help="build the registry and the index, then stop")
@click.pass_context
def run(ctx: click.Context, host: str | None, port: int | None, no_serve: bool) -> None:
    """Load the registry, build the index if there is none, and serve the search page."""
    from sdc.cli.serving import run_server

    settings = settings_of(ctx)
    start = ensure_registry(settings)
    ensure_annuaire(settings, start)
    crawl = ensure_index(settings, start)
    try:
        for line in next_steps(settings, start, crawl):
            _say(line)
        if no_serve:
            if crawl is not None:
                crawl.wait()
            return
        host = host or settings.host
        port = settings.port if port is None else port
        run_server(settings, host, port, settings.workers)
    finally:
        if crawl is not None:
            crawl.stop()
