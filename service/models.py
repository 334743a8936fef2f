"""Request and response schemas of the JSON API (named ``XPublic`` when returned).

The hot endpoints return orjson-encoded dicts of exactly these shapes; the
models document them in the OpenAPI schema and the tests check the two agree.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from sources.urls import MAX_URL_LENGTH  # one bound on any URL, the classifier's

#: limits on what a client can ask (documented in the schema, enforced by validation)
MAX_QUERY_LENGTH = 500
MAX_URLS = 1000
#: the public API's own paging limits (``page``, ``limit``, the HTML pages' ``page``): a contract
#: with clients, kept below the index library's hard bounds (``index.searcher.MAX_PAGE``/``MAX_LIMIT``,
#: which clamp silently) so that a request the API accepts is served as asked; a test checks it.
API_MAX_PAGE = 100
API_MAX_LIMIT = 50


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    urls: list[Annotated[str, Field(max_length=MAX_URL_LENGTH)]] = Field(
        max_length=MAX_URLS, description=f"up to {MAX_URLS} URLs")


class ClassificationPublic(BaseModel):
    url: str
    trusted: bool
    domain: str | None = Field(description="registrable domain of the URL's host")
    category: str | None = Field(description="category of the trusted source (see /api/stats)")
    name: str | None = Field(description="name of the source, when the registry knows it")
    rule: str | None = Field(description="the rule that decided (list, zone, curator...)")
    reason: str


class ClassificationsPublic(BaseModel):
    results: list[ClassificationPublic] = Field(description="one per URL, in the request's order")


class HitPublic(BaseModel):
    url: str
    title: str
    snippet: str = Field(description="HTML-escaped text with <mark> around matched terms")
    domain: str | None
    host: str | None = None
    category: str | None
    name: str | None
    score: float
    published: str | None = None
    duplicates: list[str] = Field(default_factory=list,
                                  description="other addresses of the same page, shown once")


class SearchResultsPublic(BaseModel):
    query: str
    total: int
    took_ms: float
    page: int
    limit: int
    results: list[HitPublic]
    facets: dict[str, dict[str, int]] = Field(description='{"category": {value: count}}')
    corrected_query: str | None = Field(None, description="the query with its typos corrected, when the "
                                        "results are for it (\"Résultats pour …\")")


class SourceEntryPublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    host: str
    origin: str
    category: str
    name: str | None = None


class SourcePublic(BaseModel):
    domain: str
    verdict: ClassificationPublic = Field(description="how the classifier sees https://<domain>/")
    entries: list[SourceEntryPublic] = Field(description="registry entries for it and its subdomains")
    curated: list[dict[str, str | None]] = Field(description="curator allow/deny entries")


class UsagePublic(BaseModel):
    month: str = Field(description="current month, YYYY-MM (UTC)")
    classified_this_month: int
    trusted_this_month: int
    classified_total: int
    trusted_total: int


class StatsPublic(BaseModel):
    documents: int | None = Field(description="documents in the search index (null: no index)")
    registry_entries: int = Field(description="hosts listed in the compiled registry")
    categories: dict[str, str] = Field(description="category value -> French label")
    classified: UsagePublic


class ComponentPublic(BaseModel):
    loaded: bool
    detail: str


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded"]
    index: ComponentPublic
    registry: ComponentPublic


class CuratedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str = Field(min_length=1, max_length=253)
    reason: str = Field(min_length=1, max_length=500)
    category: str | None = Field(None, description="for allow: category (default autre-public)")
    name: str | None = Field(None, max_length=200)


class CuratedPublic(BaseModel):
    host: str
    action: Literal["allow", "deny", "forget"]
    registry_entries: int


class ImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["etalab", "universities", "list"]
    location: str | None = Field(None, max_length=2000,
                                 description="path or URL; default: the configured upstream")
    category: str | None = Field(None, description="for kind=list: category of every host")
    origin: str | None = Field(None, max_length=100, description="for kind=list: list name")


class ImportPublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    origin: str
    entries: int
    added: int
    removed: int
    changed: int
    registry_entries: int
