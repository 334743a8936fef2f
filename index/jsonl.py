"""Read pages from JSON Lines (optionally gzip), one :class:`PageDocument` per line.

Each line is an object with at least ``url``, ``title`` and ``body``;
``description``, ``headings``, ``date`` (published, ``YYYY-MM-DD`` or ISO
8601), ``fetched`` and ``lang`` are optional.  Any ``domain``, ``site``,
``category`` or ``name`` in the file is ignored: the registry decides those.
A bad line is reported with its number and the reading goes on; a bad date
drops the date, not the page; only a file that cannot be opened or
decompressed at all is an error.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, cast

import orjson

from index.documents import PageDocument
from index.errors import InputFileError

#: longest line read (a page's JSON); past it the line is reported invalid, never held whole
MAX_LINE_BYTES = 64 * 1024 * 1024
READ_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class InvalidLine:
    line: int
    reason: str


def open_bytes(path: Path) -> IO[bytes]:
    """Open ``path`` for reading, gunzipping it when it starts with the gzip magic."""
    try:
        raw = open(path, "rb")  # noqa: SIM115 - handed to the caller
        if raw.peek(2)[:2] != b"\x1f\x8b":
            return raw
        raw.close()  # a GzipFile does not close a file object it is given: let it open its own
        return cast(IO[bytes], gzip.open(path, "rb"))
    except OSError as exc:
        raise InputFileError(f"cannot read {path}: {exc.strerror or exc}") from None


def check_readable(path: Path) -> None:
    """Raise :class:`InputFileError` unless ``path`` opens and its start decodes (before any indexing)."""
    try:
        with open_bytes(path) as stream:
            stream.read(4096)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(f"cannot read {path}: {exc}") from None


def read_documents(path: Path) -> Iterator[tuple[int, PageDocument | InvalidLine]]:
    """Yield ``(line number, document or InvalidLine)``; blank lines are skipped.

    Lines stay bytes until orjson decodes them: a text layer would decode
    every line to ``str`` only for orjson to encode it again (a third of the
    reading time on the corpus).
    """
    with open_bytes(path) as stream:
        number = 0
        try:
            for number, line in enumerate(_lines(stream), start=1):  # noqa: B007 - used after the loop
                if line is None:
                    yield number, InvalidLine(number, f"line longer than {MAX_LINE_BYTES} bytes")
                elif line.strip():
                    yield number, parse_line(line, number)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputFileError(f"cannot read {path} after line {number}: {exc}") from None


def _lines(stream: IO[bytes]) -> Iterator[bytes | None]:
    """The lines of ``stream``; ``None`` for one longer than :data:`MAX_LINE_BYTES`, skipped
    without holding it (a gzip bomb of zeros with no newline is one endless line)."""
    while True:
        line = stream.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while line and not line.endswith(b"\n"):
            line = stream.readline(READ_CHUNK)
        yield None


def parse_line(line: str | bytes, number: int) -> PageDocument | InvalidLine:
    try:
        record = _loads(line)
    except orjson.JSONDecodeError as exc:
        return InvalidLine(number, f"invalid JSON ({exc})")
    if not isinstance(record, dict):
        return InvalidLine(number, "not a JSON object")
    try:
        return to_document(record)
    except (TypeError, ValueError) as exc:
        return InvalidLine(number, str(exc))


def _loads(line: str | bytes) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        if not isinstance(line, bytes):
            raise
        # invalid UTF-8 is replaced, as a text reader would, rather than losing the line
        return orjson.loads(line.decode("utf-8", errors="replace"))


def to_document(record: dict[str, Any]) -> PageDocument:
    """The page of a decoded JSON object; ``ValueError`` only without text ``url``, ``title`` and
    ``body``.  A date that cannot be read is dropped and named in ``notes``, the page kept
    (its ranges and sizes are checked by :func:`index.documents.normalise` in the writer)."""
    for key in ("url", "title", "body"):
        if not isinstance(record.get(key), str) or (key == "url" and not record[key].strip()):
            raise ValueError(f"missing or non-text '{key}'")
    headings = record.get("headings") or []
    if not isinstance(headings, list):
        raise ValueError("'headings' must be a list of strings")
    notes: list[str] = []
    published = _date(record.get("date", record.get("published")), "date", notes)
    return PageDocument(
        url=record["url"].strip(),
        title=record["title"],
        body=record["body"],
        description=_text(record.get("description")),
        headings=[h for h in headings if isinstance(h, str)],
        lang=_text(record.get("lang")) or None,
        published=published,
        fetched=_datetime(record.get("fetched"), notes),
        notes=notes,
        kind="news" if record.get("kind") == "news" else "page",  # a crawl worker's feed item
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _date(value: Any, key: str, notes: list[str]) -> date | None:
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return date.fromisoformat(value[:10])
    except ValueError:
        notes.append(f"'{key}' is not a date: {str(value)[:40]!r}, dropped")
        return None


def _datetime(value: Any, notes: list[str]) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return datetime.fromisoformat(value[:64])
    except ValueError:
        notes.append(f"'fetched' is not a date-time: {str(value)[:40]!r}, dropped")
        return None
