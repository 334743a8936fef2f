"""The Scrapy settings of a crawl, built from a :class:`crawler.config.CrawlConfig`.

Polite by default, as Scrapy's project template: robots.txt obeyed with our own user agent, one
request at a time per host (``CONCURRENT_REQUESTS_PER_DOMAIN = 1``; slots are keyed by host),
a minimum delay that AutoThrottle never goes under, and a global concurrency across hosts so
that many small sites progress side by side.  Middleware order is the map below.
"""

from __future__ import annotations

from typing import Any

from crawler.config import CrawlConfig

DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.offsite.TrustedOffsiteMiddleware": 50,
    # RobotsTxtMiddleware: 100 (Scrapy's)
    "crawler.middlewares.conditional.ConditionalRequestMiddleware": 560,
    "crawler.middlewares.retry_after.RetryAfterMiddleware": 555,  # sees responses before Retry (550)
    "crawler.middlewares.proxy.ProxyMiddleware": 740,  # before HttpProxyMiddleware (750)
}
ITEM_PIPELINES = {
    "crawler.pipelines.StatePipeline": 100,
    "crawler.pipelines.IndexPipeline": 200,
}


def scrapy_settings(config: CrawlConfig) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "BOT_NAME": "sources-de-confiance",
        "USER_AGENT": config.user_agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "SourcesDeConfianceBot",
        "CONCURRENT_REQUESTS": config.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.per_host,
        "DOWNLOAD_DELAY": config.delay,
        "DOWNLOAD_DELAY_JITTER": 0.0,  # the delay is a minimum, not an average
        "AUTOTHROTTLE_ENABLED": config.autothrottle,
        "AUTOTHROTTLE_START_DELAY": max(config.delay, 1.0) if config.autothrottle else config.delay,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": config.timeout,
        "DOWNLOAD_MAXSIZE": config.max_size,
        "DOWNLOAD_WARNSIZE": 0,
        "DEPTH_LIMIT": config.depth_limit,
        "SCHEDULER_PRIORITY_QUEUE": "crawler.queues.HostRotationQueue",
        "REDIRECT_MAX_TIMES": 5,
        "RETRY_TIMES": 2,
        "RETRY_AFTER_MAX": 300.0,
        "COOKIES_ENABLED": False,
        "REFERER_ENABLED": False,  # nothing to tell a site about where we come from
        # Scrapy parses a callback's source to warn about generator returns; its cache is keyed by
        # bound methods, which live as long as one request, so it parsed again for every page
        # (about 1 ms a page, profiled)
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "TELNETCONSOLE_ENABLED": False,
        "REACTOR_THREADPOOL_MAXSIZE": 4,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "DOWNLOADER": "crawler.downloader.PoliteDownloader",
        "DOWNLOADER_MIDDLEWARES": DOWNLOADER_MIDDLEWARES,
        "CONCURRENT_ITEMS": 1,  # pipelines are synchronous; Scrapy starts this many tasks per callback
        "ITEM_PIPELINES": ITEM_PIPELINES,
        "EXTENSIONS": {"crawler.progress.CrawlProgress": 500},
        "SDC_PROXY": config.proxy,
        "SDC_PROGRESS": config.progress,
        "LOG_LEVEL": config.log_level,
        "LOG_FILE": str(config.crawl_dir / "crawl.log"),
        "LOG_FILE_APPEND": False,
        "LOG_INSTALL_ROOT_HANDLER": True,
        "STATS_DUMP": False,
    }
    if config.redis_url:
        settings["SCHEDULER"] = "crawler.distributed.scheduler.SharedScheduler"
        settings["ITEM_PIPELINES"] = {"crawler.pipelines.StatePipeline": 100,
                                      "crawler.distributed.pipeline.StreamPipeline": 200}
    settings.update(config.extra_settings)
    return settings
