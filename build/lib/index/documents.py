"""What the index stores for one page, as the crawler and ``sdc index add`` hand it over.

Domain, category and source name are deliberately absent: the writer takes
them from the trust registry at add time, never from the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class PageDocument:
    """One page, identified by its canonical URL (re-adding the URL replaces it)."""

    url: str
    title: str
    body: str
    description: str = ""
    headings: list[str] = field(default_factory=list)
    lang: str | None = None
    published: date | None = None
    fetched: datetime | None = None
