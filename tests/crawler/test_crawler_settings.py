"""The Scrapy settings of a crawl: polite by default."""

from __future__ import annotations

from pathlib import Path

from crawler.config import CrawlConfig
from crawler.scope import CrawlScope
from crawler.settings import scrapy_settings
from sources import Classifier


def test_polite_defaults(tmp_path: Path) -> None:
    config = CrawlConfig(scope=CrawlScope(Classifier()), seeds=["https://www.paris.fr/"], crawl_dir=tmp_path,
                         contact_url="https://example.org/contact")
    settings = scrapy_settings(config)
    assert settings["ROBOTSTXT_OBEY"] is True
    assert settings["USER_AGENT"] == "SourcesDeConfianceBot/0.1 (+https://example.org/contact)"
    assert settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 1
    assert settings["CONCURRENT_REQUESTS"] == 64
    assert settings["DOWNLOAD_DELAY"] >= 1.0 and settings["AUTOTHROTTLE_ENABLED"] is True
    assert settings["DOWNLOAD_MAXSIZE"] == 5 * 1024 * 1024
    assert settings["DEPTH_LIMIT"] == 12
    assert settings["DOWNLOADER"] == "crawler.downloader.PoliteDownloader"
    assert settings["TWISTED_REACTOR"].endswith("AsyncioSelectorReactor")
    middlewares = settings["DOWNLOADER_MIDDLEWARES"]
    assert middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
