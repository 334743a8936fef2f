"""What the spider hands to the pipelines: a page to index, a page that is gone, a page unchanged."""

from __future__ import annotations

from dataclasses import dataclass

from index.documents import PageDocument


@dataclass(slots=True)
class Page:
    """A fetched page worth indexing, with the validators for the next, conditional, fetch."""

    document: PageDocument
    etag: str | None = None
    last_modified: str | None = None

    @property
    def url(self) -> str:
        return self.document.url


@dataclass(slots=True)
class Gone:
    """A page that answered 404 or 410: removed from the index and from the crawl state."""

    url: str
    status: int


@dataclass(slots=True)
class Unchanged:
    """A page that answered 304 Not Modified: the index keeps what it has."""

    url: str
