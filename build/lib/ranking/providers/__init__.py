"""Upstream engines, one module each, behind :class:`ranking.providers.base.Provider`."""

from ranking.providers.base import Provider
from ranking.providers.guard import Guarded
from ranking.providers.marginalia import MarginaliaProvider
from ranking.providers.searxng import SearxngProvider

__all__ = ["Guarded", "MarginaliaProvider", "Provider", "SearxngProvider"]
