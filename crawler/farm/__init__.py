"""The site farm: a local web on loopback for tests, benchmarks and ``make run``.

One process serves the corpus hosts (real pages at their real URLs) and the hostile hosts of
:mod:`crawler.farm.hostile`, and is reached as an HTTP proxy, so the crawler's ordinary proxy
support routes to it::

    with run_farm(corpus_path, limit=300, small_sites=0, hostile=True) as farm:
        classifier = farm.classifier()          # trusts every farm host except the off-list one
        farm.register(registry)                 # or allow them in a Registry, for `sdc crawl`
        crawl(..., proxy=farm.proxy_url)
        farm.requests                           # what was fetched, when
        farm.update(url, body="...")            # edit the web between two crawls
        farm.remove(url, status=410)

The farm runs its asyncio loop in a daemon thread of the calling process.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

from crawler.errors import FarmError
from crawler.farm.hostile import OFF_LIST_HOST, SUFFIX, HostileSite, hostile_sites
from crawler.farm.server import FarmServer, LoggedRequest
from crawler.farm.sites import CorpusSite, Site
from sources import Category, Classifier, Entry, Registry

__all__ = ["Farm", "LoggedRequest", "load_corpus", "run_farm"]


def load_corpus(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records of the corpus; with ``limit``, that many taken in turn from each site."""
    if not path.is_file():
        raise FarmError(f"corpus not found: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    by_site: dict[str, list[dict[str, Any]]] = {}
    try:
        with opener(path, "rb") as lines:
            for line in lines:
                if line.strip():
                    record = orjson.loads(line)
                    by_site.setdefault(record["site"], []).append(record)
    except (OSError, orjson.JSONDecodeError, KeyError) as exc:
        raise FarmError(f"cannot read corpus {path}: {exc}") from exc
    if limit is None:
        return [r for records in by_site.values() for r in records]
    chosen: list[dict[str, Any]] = []
    queues = [iter(records) for records in by_site.values()]
    while len(chosen) < limit and queues:
        for queue in list(queues):
            record = next(queue, None)
            if record is None:
                queues.remove(queue)
            elif len(chosen) < limit:
                chosen.append(record)
    return chosen


def small_site_records(records: list[dict[str, Any]], sites: int, pages: int) -> list[dict[str, Any]]:
    """``sites`` small municipal-like sites of ``pages`` pages each, texts taken from ``records``.

    They stand for the tens of thousands of small sites of the registry, which a crawl must visit
    side by side; each page links to the next two of its site.
    """
    if not records or sites <= 0:
        return []
    made = []
    for site in range(sites):
        base = f"https://commune-{site:04d}.{SUFFIX}"
        for page in range(pages):
            source = records[(site * pages + page) % len(records)]
            links = [f"{base}/page-{(page + step) % pages}" for step in (1, 2)]
            made.append({**source, "url": f"{base}/page-{page}", "site": base.split("//")[1], "links": links})
    return made


class Farm:
    """The sites of one farm and, once started, where to reach them."""

    def __init__(self, records: list[dict[str, Any]], *, hostile: bool = True, page_delay: float = 0.0,
                 small_sites: int = 0, pages_per_site: int = 10) -> None:
        records = records + small_site_records(records, small_sites, pages_per_site)
        served = {r["url"] for r in records}
        corpus_hosts: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            corpus_hosts.setdefault(urlsplit(record["url"]).hostname or "", []).append(record)
        extra: list[HostileSite] = hostile_sites() if hostile else []
        farm_hosts = set(corpus_hosts) | {s.host for s in extra}
        self.sites: dict[str, Site] = {}
        for host, recs in corpus_hosts.items():
            scheme = urlsplit(recs[0]["url"]).scheme
            self.sites[host] = CorpusSite(host, scheme, recs, served, farm_hosts, delay=page_delay)
        for site in extra:
            self.sites[site.host] = site
        self.records = records
        self.server = FarmServer(self.sites)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    # -- what the farm serves --

    @property
    def hosts(self) -> list[str]:
        """Every host a crawl may visit (the off-list host is not one of them)."""
        return sorted(h for h in self.sites if h != OFF_LIST_HOST)

    def home_urls(self) -> list[str]:
        return [f"{self.sites[h].scheme}://{h}/" for h in self.hosts]

    def classifier(self) -> Classifier:
        """A classifier trusting exactly the farm's hosts (no built-in zones)."""
        return Classifier(entries=[Entry(h, Category.AUTRE_PUBLIC, h, "farm", "served by the site farm")
                                   for h in self.hosts], builtin=False)

    def register(self, registry: Registry) -> None:
        """Allow the farm's hosts in a registry, so that ``sdc crawl`` trusts them."""
        for host in self.hosts:
            registry.allow(host, "served by the site farm", Category.AUTRE_PUBLIC.value)

    def site_of(self, url: str) -> CorpusSite:
        site = self.sites[urlsplit(url).hostname or ""]
        assert isinstance(site, CorpusSite)
        return site

    def update(self, url: str, **fields: Any) -> None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self._call(functools.partial(self.site_of(url).update, path, **fields))

    def remove(self, url: str, status: int = 404) -> None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        self._call(functools.partial(self.site_of(url).remove, path, status))

    # -- where to reach it --

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def requests(self) -> list[LoggedRequest]:
        return list(self.server.log)

    # -- running it --

    def start(self, port: int = 0) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            try:
                loop.run_until_complete(self.server.start(port=port))
            except OSError as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.server.close())
            loop.close()

        self._thread = threading.Thread(target=run, name="site-farm", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise FarmError(f"the site farm cannot listen on port {port}: {failure[0]}")

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)

    def _call(self, function: Callable[[], None]) -> None:
        """Run a change on the farm's own thread, so it never races a request being served."""
        if self._loop is None:
            function()
            return
        done = threading.Event()

        def call() -> None:
            try:
                function()
            finally:
                done.set()

        self._loop.call_soon_threadsafe(call)
        done.wait(5)


@contextmanager
def run_farm(corpus_path: Path | None, *, limit: int | None = None, hostile: bool = True,
             port: int = 0, page_delay: float = 0.0, small_sites: int = 0) -> Iterator[Farm]:
    """Start a farm in a background thread for the duration of the ``with`` block.

    ``page_delay`` makes every corpus page take that long, so that overlapping requests to one
    host would show in the request log.
    """
    records = load_corpus(corpus_path, limit) if corpus_path is not None else []
    farm = Farm(records, hostile=hostile, page_delay=page_delay, small_sites=small_sites)
    farm.start(port)
    try:
        yield farm
    finally:
        farm.stop()
