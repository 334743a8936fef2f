"""What the index stores for one page, as the crawler and ``sdc index add`` hand it over.

Domain, category and source name are deliberately absent: the writer takes
them from the trust registry at add time, never from the input.

:func:`normalise` is the one boundary every page crosses before it is indexed
(``IndexWriter.add`` calls it, whatever the page came from: a JSON Lines file,
the Redis stream, the crawler).  One bad field never costs the page: a date
out of a sane range (``0202-05-12``, a real ``<meta name="date">`` typo, or
``9999-12-31``) is dropped, an oversized text is cut, and each of these is
named in :attr:`PageDocument.notes` for the caller to count and report.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

DocumentKind = Literal["page", "news"]

#: the sane range of a page's dates: before 1900 or over a year ahead is a typo
MIN_DATE = date(1900, 1, 1)
FUTURE_SLACK = timedelta(days=366)
#: longest texts kept (characters); past them the text is cut (a 50 MB page slowed every query)
MAX_URL = 8192
MAX_TITLE = 1000
MAX_DESCRIPTION = 5000
MAX_BODY = 1_000_000
MAX_HEADINGS = 200
MAX_HEADING = 500
MAX_LANG = 35  # BCP 47 tags are shorter


@dataclass(slots=True)
class PageDocument:
    """One page, identified by its canonical URL (re-adding the URL replaces it).

    ``notes`` names the fields dropped or cut on the way in (never indexed).
    """

    url: str
    title: str
    body: str
    description: str = ""
    headings: list[str] = field(default_factory=list)
    lang: str | None = None
    published: date | None = None
    fetched: datetime | None = None
    notes: list[str] = field(default_factory=list)
    #: ``page`` or ``news`` (an item of a site's news feed: the Actualités view shows only these)
    kind: DocumentKind = "page"


class InvalidPage(ValueError):
    """A page that cannot be indexed at all (no usable URL)."""


def normalise(doc: PageDocument, today: date | None = None) -> PageDocument:
    """``doc`` with every field within bounds (see the module docstring); :class:`InvalidPage`
    when its URL is empty or longer than :data:`MAX_URL`."""
    url = doc.url.strip() if isinstance(doc.url, str) else ""
    if not url:
        raise InvalidPage("the page has no URL")
    if len(url) > MAX_URL:
        raise InvalidPage(f"URL longer than {MAX_URL} characters")
    notes = list(doc.notes)
    today = today or datetime.now(UTC).date()
    published = doc.published
    if published is not None and not _sane(published, today):
        notes.append(f"date {published.isoformat()} out of range, dropped")
        published = None
    fetched = doc.fetched
    if fetched is not None and not _sane(fetched.date(), today):
        notes.append(f"fetched {fetched.isoformat()} out of range, dropped")
        fetched = None
    title = _cut(_text(doc.title), MAX_TITLE, "title", notes)
    description = _cut(_text(doc.description), MAX_DESCRIPTION, "description", notes)
    body = _cut(_text(doc.body), MAX_BODY, "body", notes)
    headings = [h[:MAX_HEADING] for h in (doc.headings or []) if isinstance(h, str)]
    if len(headings) > MAX_HEADINGS:
        notes.append(f"{len(headings) - MAX_HEADINGS} headings past {MAX_HEADINGS} dropped")
        headings = headings[:MAX_HEADINGS]
    lang = doc.lang.strip()[:MAX_LANG] or None if isinstance(doc.lang, str) else None
    if (url, title, description, body, headings, lang, published, fetched, notes) == (
            doc.url, doc.title, doc.description, doc.body, doc.headings, doc.lang, doc.published,
            doc.fetched, doc.notes):
        return doc
    return dataclasses.replace(doc, url=url, title=title, description=description, body=body,
                               headings=headings, lang=lang, published=published, fetched=fetched,
                               notes=notes)


def _sane(value: date, today: date) -> bool:
    return MIN_DATE <= value <= today + FUTURE_SLACK


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _cut(text: str, limit: int, name: str, notes: list[str]) -> str:
    if len(text) <= limit:
        return text
    notes.append(f"{name} cut at {limit} characters (was {len(text)})")
    return text[:limit]
