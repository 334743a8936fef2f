"""The one settings object, read from ``SDC_*`` environment variables.

Library packages never read it: the CLI and the service build one ``Settings``
and pass plain values (paths, URLs, numbers) down.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ETALAB_UPSTREAM = (
    "https://raw.githubusercontent.com/etalab/noms-de-domaine-organismes-secteur-public/"
    "master"  # today's layout: domains.csv and urls.txt at the root
)
UNIVERSITIES_UPSTREAM = (
    "https://raw.githubusercontent.com/Hipo/university-domains-list/master/"
    "world_universities_and_domains.json"
)


class Settings(BaseModel):
    """Every setting has a working default; ``SDC_DATA_DIR=/srv/sdc`` overrides ``data_dir``.

    ``Settings()`` reads the ``SDC_*`` variables (any case) as pydantic-settings did, keyword
    arguments winning; every field is a scalar, so this is the whole of what it did for us,
    without the 0.15 s its import costs every ``sdc check``.
    """

    model_config = ConfigDict(extra="ignore", validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        found = {key[4:].lower(): value for key, value in os.environ.items()
                 if key[:4].upper() == "SDC_"}
        return {**{name: found[name] for name in cls.model_fields if name in found}, **data}

    data_dir: Path = Field(Path("var"), description="registry, index and crawl state")
    shared_dir: Path = Field(Path("../shared/data"),
                             description="local copies of the open data, used when present")
    etalab_url: str = Field(ETALAB_UPSTREAM, description="Etalab lists, used when shared_dir lacks them")
    universities_url: str = Field(UNIVERSITIES_UPSTREAM, description="world universities list")

    # crawl
    crawl_target: Literal["farm", "web"] = Field(
        "farm", description="'farm' (local site farm) or 'web' (the real web)")
    crawl_proxy: str | None = Field(None, description="HTTP proxy for the crawl")
    crawl_contact_url: str | None = Field(
        None, description="page saying who runs this crawler and how to reach them, sent to every crawled "
        "site in the user agent (unset: SDC_PUBLIC_BASE_URL, else none, and `sdc crawl` warns)")
    run_max_pages: int = Field(25_000, description="pages `sdc run` crawls when it builds the index")
    run_seeds: str = Field(
        "www.service-public.fr,www.legifrance.gouv.fr,travail-emploi.gouv.fr,www.impots.gouv.fr,"
        "www.collectivites-locales.gouv.fr,www.interieur.gouv.fr",
        description="national sites `sdc run` crawls first on a connected machine (hosts, commas)")
    annuaire_url: str | None = Field(
        None, description="the Annuaire `sdc run` imports on a connected machine (DILA's dump, URL or path)")
    redis_url: str | None = Field(None, description="Redis for the distributed crawl and shared stats")
    crawl_delay: float = Field(1.0, description="minimum seconds between two requests to one host")
    crawl_concurrency: int = Field(64, description="requests in flight across all hosts (one per host)")
    crawl_timeout: float = Field(20.0, description="seconds before a request is given up")

    # service
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    public_base_url: str | None = Field(None, description="absolute URL the service is reached at")
    header_timeout: float = Field(10.0, gt=0, le=3600, description=(
        "seconds a client has to send its request headers"))
    body_timeout: float = Field(30.0, gt=0, le=3600, description=(
        "seconds a client has to send its request body, or to read some of an answer"))
    keep_alive_timeout: int = Field(5, ge=1, description="seconds an idle keep-alive connection is kept")
    curator_token: str | None = Field(None, description="bearer token enabling curator endpoints")
    import_max_shrink: float = Field(0.02, ge=0, le=1, description=(
        "an import removing more than this share of an origin's hosts is refused"))
    registry_follow: str | None = Field(None, description=(
        "follow the registry of a curator host: its base URL (http(s)://...)"))
    registry_follow_token: str | None = Field(None, description="bearer token for the snapshot")
    log_queries: bool = Field(False, description="log query strings (off: privacy by default)")
    searxng_url: str | None = Field(None, description="SearXNG instance used as upstream engine")
    upstream_timeout: float = 3.0
    marginalia_api_key: str | None = Field(None, description="Marginalia Search API key (2nd upstream)")

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value or None

    @property
    def registry_dir(self) -> Path:
        return self.data_dir

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def crawl_dir(self) -> Path:
        return self.data_dir / "crawl"
