"""The offices' websites as the registry origin ``annuaire``, and the registry's coverage of them.

An office's website names a host the State's own directory vouches for: the origin lists each
host once, named after its office (a mairie's name first when several offices share a host),
with the category of its type.  Hosts of shared platforms are listed too: the classifier's
platform rules (``sources.builtin``) keep them untrusted whatever a list says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sources.annuaire.store import AnnuaireStore
from sources.annuaire.types import category
from sources.classifier import Classifier
from sources.errors import SourcesError
from sources.hosts import normalize_host
from sources.precedence import priority
from sources.records import ImportReport, Row
from sources.store import Store
from sources.urls import host_of

ORIGIN = "annuaire"
#: types whose office name best names a host, first wins
PREFERRED = ("mairie", "cg", "cr", "prefecture", "communaute_communes", "communaute_agglomerations", "epci")


def _host(website: str) -> str | None:
    try:
        host = host_of(website)
        return normalize_host(host) if host else None
    except (SourcesError, ValueError):
        return None


def _rank(kind: str) -> int:
    return PREFERRED.index(kind) if kind in PREFERRED else len(PREFERRED)


def origin_rows(store: AnnuaireStore) -> Iterator[Row]:
    """One registry row per website host of the Annuaire."""
    best: dict[str, tuple[int, str, str, str]] = {}
    for office_id, kind, name, website in store.websites():
        host = _host(website)
        if host is None:
            continue
        candidate = (_rank(kind), name, kind, office_id)
        if host not in best or candidate < best[host]:
            best[host] = candidate
    for host, (_r, name, kind, office_id) in sorted(best.items()):
        yield Row(host, category(kind).value, name, kind, f"Annuaire: {office_id}")


@dataclass
class Coverage:
    """Which websites of the Annuaire the registry trusts, by office type."""

    websites: int = 0
    trusted: int = 0
    #: trusted only because the ``annuaire`` origin lists them (no other list does)
    by_annuaire: int = 0
    by_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    #: (office id, name, website, why untrusted) of every untrusted website, for curators
    untrusted: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.trusted / self.websites if self.websites else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"websites": self.websites, "trusted": self.trusted, "share": round(self.share, 4),
                "trusted_by_annuaire_only": self.by_annuaire,
                "by_type": {k: {"offices": v[0], "with_website": v[1], "trusted": v[2]}
                            for k, v in sorted(self.by_type.items(), key=lambda kv: -kv[1][0])},
                "untrusted": [{"id": i, "name": n, "website": w, "reason": r}
                              for i, n, w, r in self.untrusted]}


def coverage(store: AnnuaireStore, classifier: Classifier, kinds: set[str] | None = None) -> Coverage:
    """Distinct websites (by URL) of the offices (of ``kinds``) and whether ``classifier`` trusts them."""
    result = Coverage()
    seen: dict[str, bool] = {}
    for office_id, kind, name, website in store.websites_all():
        if kinds and kind not in kinds:
            continue
        counts = result.by_type[kind]
        counts[0] += 1
        if not website:
            continue
        counts[1] += 1
        trusted = seen.get(website)
        if trusted is None:
            verdict = classifier.classify(website).verdict
            trusted = seen[website] = bool(verdict.trusted)
            result.websites += 1
            result.trusted += trusted
            result.by_annuaire += trusted and verdict.rule == ORIGIN
            if not trusted:
                result.untrusted.append((office_id, name, website, verdict.reason or ""))
        counts[2] += trusted
    return result


def register_origin(store: AnnuaireStore, registry: Store, version: str) -> ImportReport:
    """Make the Annuaire's websites the whole content of the registry origin ``annuaire``."""
    return registry.replace_origin(ORIGIN, ORIGIN, str(store.path), version, priority(ORIGIN),
                                  origin_rows(store))
