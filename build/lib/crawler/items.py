"""What the spider hands to the pipelines: a page to index, a page that is gone, a page unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Page:
    """A fetched page worth indexing, with the validators for the next, conditional, fetch."""

    url: str
    title: str
    body: str
    description: str = ""
    headings: list[str] = field(default_factory=list)
    lang: str | None = None
    published: date | None = None
    fetched: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class Gone:
    """A page that answered 404 or 410: removed from the index and from the crawl state."""

    url: str
    status: int


@dataclass(slots=True)
class Unchanged:
    """A page that answered 304 Not Modified: the index keeps what it has."""

    url: str
