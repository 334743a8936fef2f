"""Errors raised by the re-ranking package and its upstream providers.

    RankingError
    ├── InvalidResultsError     a result list the re-ranker cannot take (too long, bad mode...)
    └── ProviderError           an upstream engine failed; the caller shows our index only
        ├── ProviderTimeout     no answer within the configured timeout
        ├── ProviderRateLimited the upstream said 429 (or its equivalent)
        ├── ProviderUnavailable connection refused, DNS failure, HTTP 5xx
        └── ProviderResponseError  an answer that is not the documented format (or HTTP 4xx)

Every :class:`ProviderError` carries the provider's name, so the search page
can say which upstream failed ("Le moteur externe SearXNG n'a pas répondu à temps").
Messages are one line and user-facing: the CLI prints them as is.
"""

from __future__ import annotations


class RankingError(Exception):
    """Base class of every error of the ``ranking`` package."""


class InvalidResultsError(RankingError, ValueError):
    """A result list or option that the re-ranker refuses (the API answers 422)."""


class ProviderError(RankingError):
    """An upstream engine could not give results; degrade to our own index only."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(f"{provider}: {message}")
        self.provider = provider


class ProviderTimeout(ProviderError):
    """The upstream did not answer within the timeout."""


class ProviderRateLimited(ProviderError):
    """The upstream refused the request for now (HTTP 429)."""

    def __init__(self, provider: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(provider, message)
        #: seconds the upstream asked us to wait (its ``Retry-After``), when it said
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """The upstream cannot be reached or failed on its side (HTTP 5xx)."""


class ProviderResponseError(ProviderError):
    """The upstream answered something else than its documented format."""
