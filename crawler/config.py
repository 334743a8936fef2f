"""One crawl's parameters as plain values (the CLI builds it from ``Settings`` and options)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crawler.scope import CrawlScope


@dataclass
class CrawlConfig:
    """Everything a crawl needs; defaults are the polite ones."""

    scope: CrawlScope
    seeds: list[str]
    crawl_dir: Path
    index_dir: Path | None = None
    proxy: str | None = None
    resume: bool = False
    max_pages: int | None = None
    max_pages_per_host: int = 5000
    depth_limit: int = 12
    #: minimum delay between two requests to one host (AutoThrottle never goes below it)
    delay: float = 1.0
    autothrottle: bool = True
    #: requests in flight across all hosts; one at a time per host
    concurrency: int = 64
    per_host: int = 1
    timeout: float = 20.0
    max_size: int = 5 * 1024 * 1024
    #: the deployer's page saying who runs this crawler and how to reach them (sent to every site)
    contact_url: str | None = None
    revisit: bool = True
    progress: bool = True
    log_level: str = "WARNING"
    extra_settings: dict[str, object] = field(default_factory=dict)
    #: set: this process is one worker of a crawl shared through Redis (crawler.distributed)
    redis_url: str | None = None

    @property
    def user_agent(self) -> str:
        bot = "SourcesDeConfianceBot/0.1"
        return f"{bot} (+{self.contact_url})" if self.contact_url else bot
