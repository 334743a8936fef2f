"""Find what the lists should not trust as they are: hosting platforms, commercial or media
domains, and hosts that cannot exist in DNS, each with its evidence.

Platforms are found, not only listed by hand (``sources.builtin``): a listed
registrable domain whose listed subdomains look like tenants (several hosts
named after *different* communes or bodies of the lists, under one domain) is a
suspected shared platform. When that domain is itself filed as a single body
(``commune`` or ``collectivite``: a commune's site does not host other
communes') or is not listed at all, the suspicion is strong and the classifier
treats it as a shared platform at once: its listed tenants stay trusted, it and
anything else under it are not. Other suspects (an ``autre-public`` domain, an
intercommunality hosting its communes) are printed by ``sdc sources audit`` for a
curator to confirm with ``sdc sources deny`` or ``allow``; a curator allow on
the domain always overrides the detection.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sources import psl
from sources.builtin import DENIED_PLATFORMS, PLATFORM_OWN_LABELS, SHARED_SUFFIXES, ZONES
from sources.hosts import dns_problem, under_any

if TYPE_CHECKING:
    from sources.registry import Registry

#: categories of a single local body: such a domain hosting other bodies' sites is a platform
SINGLE_BODY = frozenset({"commune", "collectivite"})
#: categories of bodies that legitimately host their members' sites (an EPCI, the State...)
HOSTING_BODIES = frozenset({"intercommunalite", "etat", "departement", "region", "prefecture",
                            "academie", "enseignement-superieur", "sante"})
#: share of tenant labels named after a listed body for a domain to be suspected
TENANT_SHARE = 0.3
#: registrable domains on these TLDs whose name is no body's are printed as "commercial"
COMMERCIAL_TLDS = frozenset({"com", "net", "biz", "info"})
_AFFIX = re.compile(r"^(?:www\d?|mairie|ville|commune|cc|ccas|agglo|cdc)-?|[-0-9]")
_ZONES = frozenset(zone.suffix for zone in ZONES)
_KNOWN = SHARED_SUFFIXES | DENIED_PLATFORMS


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str        # platform, commercial, dns
    host: str
    evidence: str
    #: the classifier already treats it so (platform found with strong evidence)
    applied: bool = False
    tenants: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "host": self.host, "evidence": self.evidence,
                "applied": self.applied, "tenants": list(self.tenants)}


def _core(label: str) -> str:
    """``mairie-saint-martin2`` -> ``saintmartin``: a label compared with commune names."""
    return _AFFIX.sub("", label)


def detect_platforms(rows: Iterable[tuple[str, str]], rules: dict[str, int],
                     min_tenants: int = 3) -> list[Finding]:
    """Suspected platforms among listed ``(host, category)`` rows, strongest evidence first."""
    rows = list(rows)
    category_of = dict(rows)
    bodies: set[str] = set()
    tenants: dict[str, set[str]] = defaultdict(set)
    for host, category in rows:
        if category in ("commune", "collectivite", "intercommunalite") and host.count(".") <= 2:
            # ``ville-x.fr`` or ``www.ville-x.fr``: the body's own name, as its domain spells it
            label = host.split(".")[-2] if host.count(".") == 1 or host.startswith("www.") else ""
            core = _core(label)
            if len(core) >= 4:
                bodies.add(core)
        if host.count(".") < 2:
            continue  # ``x.fr`` is a registrable domain (or a suffix), nobody's tenant
        domain = psl.walk_registrable(host, rules)
        if not domain or host == domain:
            continue
        labels = host[: -len(domain) - 1].split(".")
        label = labels[-1]
        if label in PLATFORM_OWN_LABELS:
            continue
        tenants[domain].add(label)
    found: list[Finding] = []
    for domain, labels in tenants.items():
        if len(labels) < min_tenants or domain in _KNOWN or under_any(domain, _ZONES):
            continue
        named = sorted(label for label in labels if _core(label) in bodies)
        share = len(named) / len(labels)
        if share < TENANT_SHARE or len(named) < min_tenants:
            continue
        category = category_of.get(domain) or category_of.get(f"www.{domain}")
        if category in HOSTING_BODIES:
            continue
        strong = category is None or category in SINGLE_BODY
        evidence = (f"{len(labels)} listed subdomains, {len(named)} named after listed bodies"
                    f" ({', '.join(named[:4])}...); the domain itself is "
                    + (f"filed as {category}" if category else "not listed"))
        found.append(Finding("platform", domain, evidence, strong, tuple(named)))
    found.sort(key=lambda f: (not f.applied, -len(f.tenants), f.host))
    return found


def audit_registry(registry: Registry, min_tenants: int = 3) -> list[Finding]:
    """Every finding of the registry as imported, for ``sdc sources audit``."""
    rules = psl.bundled_rules()
    rows = [(host, category) for host, category, *_ in registry.store.iter_entries()]
    findings = detect_platforms(rows, rules, min_tenants)
    platforms = {f.host for f in findings}
    seen: set[str] = set()
    for host, category in rows:
        problem = dns_problem(host)
        if problem:
            findings.append(Finding("dns", host, f"{problem}; listed as {category}"))
        domain = psl.walk_registrable(host, rules)
        if (domain and domain not in seen and domain not in platforms and host in (domain, f"www.{domain}")
                and domain.rsplit(".", 1)[-1] in COMMERCIAL_TLDS and category in SINGLE_BODY
                and not _looks_public(domain)):
            seen.add(domain)
            findings.append(Finding("commercial", domain,
                                    f"a .{domain.rsplit('.', 1)[-1]} domain filed as {category} whose"
                                    " name is no commune's: check it is the body's own site"))
    return findings


def _looks_public(domain: str) -> bool:
    label = domain.split(".", 1)[0]
    return any(word in label for word in ("mairie", "ville", "commune", "agglo", "cc-", "communaute",
                                          "departement", "region", "cg", "pref"))
