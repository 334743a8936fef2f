"""Run one crawl to its end in this process and say what it did.

``run_crawl(config)`` starts Scrapy (asyncio reactor) with the settings of :mod:`crawler.settings`,
waits for the end, writes Scrapy's stats to ``<crawl_dir>/stats.json`` and returns a
:class:`CrawlSummary`.  Twisted's reactor runs once per process: call it once (the CLI does), or
from a subprocess.

Resuming: the frontier (every URL scheduled, and whether it was handled) is kept in
``<crawl_dir>/frontier.sqlite`` (:mod:`crawler.frontier`).  A crawl started without ``resume``
starts a new frontier (it is a new crawl, made incremental by the crawl state); ``resume`` asks
again what the stopped crawl had not handled.  Ctrl-C or SIGTERM stop a crawl gracefully within a
download time (the requests still queued behind a host's delay are dropped, left for ``--resume``;
the index is committed, the state and the frontier saved); a second one forces it.
"""

from __future__ import annotations

import signal
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from crawler.config import CrawlConfig
from crawler.errors import CrawlStateError, SeedError
from crawler.frontier import Frontier
from crawler.progress import errors_by_kind
from crawler.settings import scrapy_settings
from crawler.state import CrawlState

if TYPE_CHECKING:
    from index.writer import IndexWriter


@dataclass
class CrawlSummary:
    """The figures a user wants at the end of a crawl (all of Scrapy's stats are in ``stats``)."""

    pages: int
    unchanged: int
    gone: int
    indexed: dict[str, int]
    hosts: int
    seconds: float
    finish_reason: str
    errors: dict[str, int]
    dropped: dict[str, int]
    stats: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        return (self.pages + self.unchanged) / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        dropped = ", ".join(f"{k} {v}" for k, v in sorted(self.dropped.items()) if v) or "none"
        errors = ", ".join(f"{k} {v}" for k, v in sorted(self.errors.items())) or "none"
        indexed = ", ".join(f"{k} {v}" for k, v in sorted(self.indexed.items())) or "no index"
        return [
            f"crawl {self.finish_reason} in {self.seconds:.1f} s: {self.pages} pages fetched, "
            f"{self.unchanged} unchanged, {self.gone} gone, on {self.hosts} hosts "
            f"({self.pages_per_second:.1f} pages/s)",
            f"index: {indexed}",
            f"dropped: {dropped}",
            f"errors: {errors}",
            *(["stopped: `sdc crawl --resume` goes on where it stopped"] if self.finish_reason == "shutdown"
              else []),
        ]


def _open_index(config: CrawlConfig) -> IndexWriter | None:
    if config.index_dir is None:
        return None
    from index.writer import IndexWriter

    return IndexWriter(config.index_dir, config.scope.classifier, batch_size=1000, commit_seconds=5.0)


def _stop_queues_on_signal(crawler: Any) -> None:
    """Chain our stop to Scrapy's Ctrl-C and SIGTERM handlers (installed when the process started):
    Scrapy's graceful stop waits for every request the downloader holds, including those queued
    behind a host's delay; :meth:`crawler.downloader.PoliteDownloader.stop_queues` drops those, so
    the first Ctrl-C stops within a download time, the state and the frontier saved."""
    from twisted.internet import reactor  # installed by Scrapy by now (importing it installs one)

    downloader = crawler.engine.downloader
    if not hasattr(downloader, "stop_queues"):
        return
    for signum in (signal.SIGINT, signal.SIGTERM):
        scrapy_handler = signal.getsignal(signum)
        if not callable(scrapy_handler):
            continue

        def handler(number: int, frame: Any, scrapy_handler: Any = scrapy_handler) -> None:
            scrapy_handler(number, frame)  # the graceful stop (and the forced one on a second signal)
            reactor.callFromThread(downloader.stop_queues)

        signal.signal(signum, handler)


def run_crawl(config: CrawlConfig) -> CrawlSummary:
    """Crawl until the queue is empty (or the budget is spent); blocks."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.allowlist import AllowlistSpider

    if not config.seeds:
        raise SeedError("nothing to crawl: no seed URL (give --hosts, --seeds or import the registry)")
    try:
        config.crawl_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CrawlStateError(f"cannot create the crawl directory {config.crawl_dir}: {exc}") from exc
    shared: dict[str, Any] = {}
    state = CrawlState(config.crawl_dir / "state.sqlite")
    writer = None
    if config.redis_url:  # one worker of a shared crawl: pages go to the stream (crawler.distributed)
        from crawler.distributed.frontier import SharedFrontier
        from index.stream import PageStream

        frontier: Any = SharedFrontier(config.redis_url, lease_seconds=3 * config.timeout + 5)
        shared["page_stream"] = PageStream(frontier.client)
    else:
        frontier = Frontier(config.crawl_dir / "frontier.sqlite", resume=config.resume)
        try:
            # opened here, before Scrapy starts, so that a locked or unusable index is a clear error
            writer = _open_index(config)
        except BaseException:
            frontier.close()
            state.close()
            raise
    process = CrawlerProcess(scrapy_settings(config))
    crawler = process.create_crawler(AllowlistSpider)
    # weak=False: the dispatcher would otherwise keep only a weak reference to the lambda
    crawler.signals.connect(lambda: _stop_queues_on_signal(crawler), signal=signals.engine_started,
                            weak=False)
    started = time.monotonic()
    try:
        process.crawl(crawler, config=config, crawl_state=state, frontier=frontier, index_writer=writer,
                      **shared)
        process.start()
    finally:
        if writer is not None:
            writer.close()
        frontier.close()
        state.close()
    seconds = time.monotonic() - started
    stats = dict(crawler.stats.get_stats()) if crawler.stats else {}
    (config.crawl_dir / "stats.json").write_bytes(
        orjson.dumps(stats, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS, default=str))
    spider = crawler.spider
    return CrawlSummary(
        pages=int(stats.get("crawler/pages", 0)),
        unchanged=int(stats.get("crawler/unchanged", 0)),
        gone=int(stats.get("crawler/gone", 0)),
        indexed={k.split("/", 1)[1]: int(v) for k, v in stats.items() if k.startswith("index/")},
        hosts=sum(1 for n in getattr(spider, "per_host", {}).values() if n),
        seconds=seconds,
        finish_reason=str(stats.get("finish_reason", "stopped")),
        errors=errors_by_kind(stats),
        dropped={
            "offsite redirects": int(stats.get("offsite/redirect_dropped", 0)),
            "offsite requests": int(stats.get("offsite/filtered", 0)),
            "off-list canonical": int(stats.get("crawler/canonical_offlist", 0)),
            "robots.txt": int(stats.get("robotstxt/forbidden", 0)),
            "binary/not html": sum(int(v) for k, v in stats.items() if k.startswith("crawler/skipped/")),
            "traps": int(stats.get("crawler/links/trap", 0)),
            "host budget": int(stats.get("crawler/host_budget_reached", 0)),
        },
        stats=stats,
    )
