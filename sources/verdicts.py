"""The values the classifier deals in: registry entries and verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sources.categories import Category

NOT_LISTED = "not in registry"


@dataclass(frozen=True, slots=True)
class Entry:
    """One trusted (or, for curator denies, distrusted) host as compiled."""

    host: str
    category: Category | None
    name: str | None
    rule: str
    reason: str


class Verdict(NamedTuple):
    """The classification of one host; shared between calls (hosts under one entry
    share one instance), never mutated."""

    trusted: bool
    domain: str | None
    category: Category | None
    name: str | None
    rule: str | None
    reason: str
    matched: str | None


NOT_A_STRING = Verdict(False, None, None, None, None, "not a string", None)


class Classification(NamedTuple):
    """The classification of one URL, as ``sdc check`` and the API return it."""

    url: str
    host: str | None
    verdict: Verdict

    @property
    def trusted(self) -> bool:
        return self.verdict.trusted

    def to_dict(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "url": self.url,
            "trusted": v.trusted,
            "domain": v.domain,
            "category": v.category.value if v.category else None,
            "name": v.name,
            "rule": v.rule,
            "reason": v.reason,
        }
