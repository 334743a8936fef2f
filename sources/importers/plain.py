"""A plain list: one host (or URL) per line, ``#`` comments and blank lines ignored."""

from __future__ import annotations

from collections.abc import Iterator

from sources.errors import InvalidHostError
from sources.hosts import normalize_host
from sources.records import Row


def parse_host_lines(text: str, category: str, list_name: str | None,
                     rejected: list[str]) -> Iterator[Row]:
    """Rows from ``host  # comment`` lines; invalid lines go to ``rejected`` as ``N: text``."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line, _, comment = raw.partition("#")
        line = line.strip()
        if not line:
            continue
        try:
            host = normalize_host(line)
        except InvalidHostError as exc:
            rejected.append(f"{list_name or 'list'}:{number}: {exc}")
            continue
        yield Row(host, str(category), None, list_name, comment.strip() or None)


def read_plain_list(text: str, category: str, list_name: str | None = None,
                    rejected: list[str] | None = None) -> list[Row]:
    return list(parse_host_lines(text, category, list_name, [] if rejected is None else rejected))
