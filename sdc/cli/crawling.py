"""``sdc crawl`` (crawl trusted sites into the index) and ``sdc farm`` (the loopback site farm)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from sdc.cli import settings_of
from service.settings import Settings
from sources import Category, Registry, parse_category
from sources.urls import host_of

if TYPE_CHECKING:
    from crawler.config import CrawlConfig
    from crawler.scope import CrawlScope


def crawl_config(settings: Settings, scope: CrawlScope, seeds: list[str], **overrides: Any) -> CrawlConfig:
    """The one CrawlConfig of ``sdc crawl`` and ``sdc run``: the ``SDC_CRAWL_*`` settings, then
    what the command decides (``overrides``: any other CrawlConfig field).

    AutoThrottle follows the delay: with ``SDC_CRAWL_DELAY=0`` nothing throttles (AutoThrottle
    would otherwise raise the delay again from its own start delay).
    """
    from crawler.config import CrawlConfig

    delay = float(overrides.pop("delay", settings.crawl_delay))
    fields: dict[str, Any] = {
        "crawl_dir": settings.crawl_dir, "index_dir": settings.index_dir,
        "proxy": settings.crawl_proxy, "delay": delay, "autothrottle": delay > 0,
        "concurrency": settings.crawl_concurrency, "timeout": settings.crawl_timeout,
        "contact_url": contact_url(settings),
    }
    fields.update(overrides)
    return CrawlConfig(scope=scope, seeds=seeds, **fields)


def contact_url(settings: Settings) -> str | None:
    """The page the crawler's user agent names: ``SDC_CRAWL_CONTACT_URL``, else the service's own
    public address (``SDC_PUBLIC_BASE_URL``), else none."""
    return settings.crawl_contact_url or settings.public_base_url or None


def contact_warning(settings: Settings) -> str | None:
    """What to tell a deployer whose crawler names no page of theirs (None when it does)."""
    if settings.crawl_contact_url:
        return None
    named = (f"names only the service's address ({settings.public_base_url})" if settings.public_base_url
             else "names no contact")
    return (f"the crawler's user agent {named}: set SDC_CRAWL_CONTACT_URL to a page saying who runs "
            "this crawler and how to reach you (every crawled site receives it)")


def split_hosts(values: tuple[str, ...]) -> list[str]:
    """Hosts given on the command line; a URL stands for its host (``https://x.gouv.fr/`` is
    ``x.gouv.fr``, read as sources.urls reads any URL)."""
    given = [v.strip() for value in values for v in value.replace(",", " ").split() if v.strip()]
    return [host_of(v) or v.lower().rstrip(".") for v in given]


def _is_proxy_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _read_seeds(path: Path) -> list[str]:
    from crawler.errors import SeedError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(f"cannot read the seed file {path}: {exc}") from exc
    seeds = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not seeds:
        raise SeedError(f"the seed file {path} has no URL")
    return seeds


def _registry_hosts(registry: Registry, category: Category | None) -> list[str]:
    """Hosts of the imported lists and of curator allows (of ``category`` when given)."""
    hosts = [host for host, host_category, *_ in registry.store.iter_entries()
             if category is None or host_category == category.value]
    hosts += [c.host for c in registry.store.curated() if c.action == "allow"
              and (category is None or (c.category or "autre-public") == category.value)]
    return sorted(set(hosts))


@click.command()
@click.option("--hosts", "hosts", multiple=True, metavar="H...",
              help="crawl only these hosts (repeat or separate with commas)")
@click.option("--seeds", "seeds_file", type=click.Path(path_type=Path, dir_okay=False),
              help="file of seed URLs, one per line (e.g. the Etalab urls.txt)")
@click.option("--category", help="crawl only the registry's hosts of this category")
@click.option("--max-pages", type=click.IntRange(min=1), help="stop after this many pages in all")
@click.option("--max-pages-per-host", type=click.IntRange(min=1), default=5000, show_default=True,
              help="page budget of each host")
@click.option("--proxy", help="HTTP proxy URL (default: SDC_CRAWL_PROXY, then http(s)_proxy)")
@click.option("--resume", is_flag=True, help="continue the crawl that was stopped")
@click.option("--worker", is_flag=True,
              help="join the crawl shared through Redis (SDC_REDIS_URL); pages go to `sdc index consume`")
@click.option("--new-crawl", is_flag=True, help="with --worker: forget the finished shared crawl first")
@click.option("--no-index", is_flag=True, hidden=True, help="fetch and extract only (benchmarks)")
@click.pass_context
def crawl(ctx: click.Context, hosts: tuple[str, ...], seeds_file: Path | None, category: str | None,
          max_pages: int | None, max_pages_per_host: int, proxy: str | None, resume: bool,
          worker: bool, new_crawl: bool, no_index: bool) -> None:
    """Crawl the trusted sites politely and index their pages as it goes.

    Seeds are the home pages of the given hosts, of the registry's hosts (of CATEGORY), or the
    URLs of the seed file; each host's robots.txt sitemaps and /sitemap.xml are read too.
    """
    from crawler.errors import SeedError
    from crawler.run import run_crawl
    from crawler.scope import CrawlScope

    settings = settings_of(ctx)
    if worker and not settings.redis_url:
        raise click.UsageError("--worker needs SDC_REDIS_URL (the Redis the workers share)")
    if worker and resume:
        raise click.UsageError("--resume is for one machine: workers always join the shared crawl")
    if new_crawl and not worker:
        raise click.UsageError("--new-crawl goes with --worker")
    proxy = proxy or settings.crawl_proxy
    if proxy and not _is_proxy_url(proxy):
        raise click.BadParameter(f"not an http(s) proxy URL: {proxy!r}", param_hint="--proxy")
    chosen = parse_category(category) if category else None
    host_list = split_hosts(hosts)
    with Registry(settings.registry_dir) as registry:
        classifier = registry.classifier()
        if seeds_file is not None:
            seeds = _read_seeds(seeds_file)
        elif host_list:
            seeds = [f"https://{h}/" for h in host_list]
        else:
            seeds = [f"https://{h}/" for h in _registry_hosts(registry, chosen)]
    scope = CrawlScope(classifier, host_list or None, chosen)
    untrusted = [h for h in host_list if not classifier.classify_host(h).trusted]
    if untrusted:
        raise SeedError(f"not trusted by the registry: {', '.join(untrusted)} (see `sdc check`)")
    config = crawl_config(
        settings, scope, seeds, index_dir=None if no_index else settings.index_dir,
        proxy=proxy, resume=resume, max_pages=max_pages, max_pages_per_host=max_pages_per_host,
        redis_url=settings.redis_url if worker else None,
    )
    if config.redis_url and _shared_crawl_finished(config.redis_url, new_crawl):
        click.echo("the shared crawl is finished (start another with --new-crawl)")
        return
    summary = run_crawl(config)
    for line in summary.lines():
        click.echo(line)
    warning = contact_warning(settings)
    if warning:  # after the crawl: a crawl that cannot start says so in one line, nothing else
        click.echo(f"sdc crawl: warning: {warning}", err=True)
    click.echo(f"stats: {config.crawl_dir / 'stats.json'}")


def _shared_crawl_finished(redis_url: str, new_crawl: bool) -> bool:
    """Whether the shared crawl already ended; with ``new_crawl``, forget it first."""
    from crawler.distributed.frontier import SharedFrontier

    frontier = SharedFrontier(redis_url, lease_seconds=1.0)
    try:
        if new_crawl:
            frontier.reset()
        return frontier.is_finished_marker()
    finally:
        frontier.close()


@click.command()
@click.option("--corpus", type=click.Path(path_type=Path, dir_okay=False),
              help="documents.jsonl(.gz) to serve (default: <shared_dir>/corpus/documents.jsonl.gz)")
@click.option("--limit", type=click.IntRange(min=1), help="serve only this many corpus pages")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, help="listening port (0: any)")
@click.option("--no-hostile", is_flag=True, help="serve only the corpus hosts")
@click.option("--small-sites", type=click.IntRange(min=0), default=0,
              help="also serve this many small 10-page sites (commune-NNNN.ferme-sdc.fr)")
@click.option("--register", is_flag=True, help="allow the farm's hosts in the registry (for `sdc crawl`)")
@click.option("--exit-after", type=float, hidden=True, help="stop after this many seconds (tests)")
@click.pass_context
def farm(ctx: click.Context, corpus: Path | None, limit: int | None, port: int, no_hostile: bool,
         small_sites: int, register: bool, exit_after: float | None) -> None:
    """Serve the site farm on 127.0.0.1 and print its proxy URL (Ctrl-C stops it).

    Crawl it with: sdc crawl --proxy <printed URL> --hosts <farm hosts>
    """
    from crawler.farm import run_farm

    settings = settings_of(ctx)
    path = corpus or settings.shared_dir / "corpus" / "documents.jsonl.gz"
    with run_farm(path, limit=limit, hostile=not no_hostile, port=port, small_sites=small_sites) as running:
        if register:
            with Registry(settings.registry_dir) as registry:
                running.register(registry)
        click.echo(running.proxy_url)
        click.echo(f"hosts: {' '.join(running.hosts)}", err=True)
        click.echo(f"pages: {len(running.records)}; export http_proxy={running.proxy_url} "
                   f"https_proxy={running.proxy_url}", err=True)
        if exit_after is not None:
            time.sleep(exit_after)
            return
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            click.echo("site farm stopped", err=True)
