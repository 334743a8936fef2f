"""The world universities and domains list (Hipo/university-domains-list, MIT).

A JSON array of ``{"name", "domains": [...], "web_pages": [...], "country",
"alpha_two_code", "state-province"}``; every domain becomes an
``enseignement-superieur`` entry named after the university.
"""

from __future__ import annotations

import json
from typing import Any

from sources.categories import Category
from sources.errors import FormatError, InvalidHostError
from sources.hosts import normalize_host
from sources.records import Row


def read_universities(text: str, rejected: list[str] | None = None) -> list[Row]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(f"universities list is not valid JSON: {exc}") from None
    except RecursionError:  # the list is flat: deep nesting is not the upstream format
        raise FormatError("universities list is nested too deeply to be the upstream format") from None
    if not isinstance(data, list):
        raise FormatError("universities list must be a JSON array of objects")
    rows: list[Row] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("domains"), list):
            raise FormatError(f"universities list item {index} has no 'domains' array")
        name = item.get("name") if isinstance(item.get("name"), str) else None
        country = item.get("alpha_two_code")
        for domain in item["domains"]:
            try:
                host = normalize_host(str(domain))
            except InvalidHostError as exc:
                if rejected is not None:
                    rejected.append(f"item {index}: {exc}")
                continue
            if host in seen:
                continue
            seen.add(host)
            rows.append(Row(host, Category.ENSEIGNEMENT_SUPERIEUR.value, name,
                            country if isinstance(country, str) else None))
    return rows
