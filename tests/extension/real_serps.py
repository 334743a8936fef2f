"""The real saved result pages of ``/work/shared/data/serp`` (see its PROVENANCE.md), split once,
before any engine definition was written, into a tuning half and a held-out half per engine, and
the scoring of what the extension found on them against the pages' organic results.

The pages are read from the shared data folder and never copied into the repository."""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

SERP_DIR = Path(os.environ.get("SDC_SERP_DIR",
                              Path(__file__).resolve().parents[3] / "shared" / "data" / "serp"))
#: the seed of the split; changing it would mean tuning on pages that were held out
SPLIT_SEED = "sdc-16"

#: links that are ads or the engine's own pages, whatever the layout: never an organic result
AD_OR_INTERNAL = ("/aclk", "googleadservices.", "doubleclick.", "bing.com/aclick", "/aclick?",
                  "r.search.yahoo.com/cbclk", "search.yahoo.com/", "bing.com/", "google.",
                  "qwant.com/", "ecosia.org/", "duckduckgo.com/", "search.brave.com/", "startpage.com/",
                  "yahoo.com/search", "msn.com/", "microsoft.com/en-us/bing")


@dataclass(frozen=True)
class Serp:
    file: str
    engine: str
    captured: str
    url: str  # the engine URL, served over HTTPS
    organic: tuple[str, ...]
    held_out: bool

    def html(self) -> bytes:
        return (SERP_DIR / self.file).read_bytes()


def available() -> bool:
    return (SERP_DIR / "results.jsonl").is_file()


def load() -> list[Serp]:
    rows = [json.loads(line) for line in (SERP_DIR / "results.jsonl").read_text("utf-8").splitlines() if line]
    by_engine: dict[str, list[str]] = {}
    for row in rows:
        by_engine.setdefault(row["engine"], []).append(row["file"])
    held: set[str] = set()
    for engine, files in by_engine.items():
        files = sorted(files)
        random.Random(f"{SPLIT_SEED}-{engine}").shuffle(files)
        held.update(files[: (len(files) + 1) // 2])
    return [Serp(row["file"], row["engine"], row["captured"],
                 "https://" + row["engine_url"].split("://", 1)[1],
                 tuple(row["organic_urls"]), row["file"] in held) for row in rows]


def normal(url: str) -> str:
    """The comparison PROVENANCE.md used: host lower-cased without ``www.``, no trailing ``/``,
    path and query percent-decoded, scheme ignored."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = unquote(parts.path).rstrip("/")
    query = unquote(parts.query)
    return f"{host}{path}" + (f"?{query}" if query else "")


def is_ad_or_internal(url: str) -> bool:
    low = url.lower()
    return any(marker in low for marker in AD_OR_INTERNAL)


@dataclass
class Score:
    organic: int
    recognised: int
    ad_or_internal: list[str]
    other: list[str]  # found, not in the page's list, not an ad: sitelinks, results the list left out


def score(serp: Serp, found: list[str]) -> Score:
    expected = {normal(u) for u in serp.organic}
    got = {normal(u) for u in found}
    recognised = sum(normal(u) in got for u in serp.organic)
    bad = [u for u in found if normal(u) not in expected and is_ad_or_internal(u)]
    other = [u for u in found if normal(u) not in expected and not is_ad_or_internal(u)]
    return Score(len(serp.organic), recognised, bad, other)
