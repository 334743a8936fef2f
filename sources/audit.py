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
import unicodedata
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
    for domain, subdomains in tenants.items():
        if len(subdomains) < min_tenants or domain in _KNOWN or under_any(domain, _ZONES):
            continue
        named = sorted(label for label in subdomains if _core(label) in bodies)
        share = len(named) / len(subdomains)
        if share < TENANT_SHARE or len(named) < min_tenants:
            continue
        filed = category_of.get(domain) or category_of.get(f"www.{domain}")
        if filed in HOSTING_BODIES:
            continue
        strong = filed is None or filed in SINGLE_BODY
        evidence = (f"{len(subdomains)} listed subdomains, {len(named)} named after listed bodies"
                    f" ({', '.join(named[:4])}...); the domain itself is "
                    + (f"filed as {filed}" if filed else "not listed"))
        found.append(Finding("platform", domain, evidence, strong, tuple(named)))
    found.sort(key=lambda f: (not f.applied, -len(f.tenants), f.host))
    return found


def audit_registry(registry: Registry, min_tenants: int = 3) -> list[Finding]:
    """Every finding of the registry as imported, for ``sdc sources audit``.

    Commercial or media domains need the communes' names, which the Annuaire gives
    (``sdc annuaire import``): a ``.com``/``.net`` domain filed as a commune whose name
    holds no commune's name (``linternaute.com``, ``afternic.com``) is printed. Without
    the Annuaire that check is skipped (a ``note`` finding says so)."""
    rules = psl.bundled_rules()
    entries = list(registry.store.iter_entries())
    rows = [(host, category, name) for host, category, name, *_ in entries]
    vouched = {host for host, _c, _n, origin, _l in entries if origin == "annuaire"}
    findings = detect_platforms(((h, c) for h, c, _ in rows), rules, min_tenants)
    platforms = {f.host for f in findings}
    communes = {_folded(name[len("Mairie - "):]) for _, _, name in rows
                if name and name.startswith("Mairie - ")}
    communes.discard("")
    seen: set[str] = set()
    for host, category, _name in rows:
        problem = dns_problem(host)
        if problem:
            findings.append(Finding("dns", host, f"{problem}; listed as {category}"))
        if not communes or category not in SINGLE_BODY or host.count(".") > 2:
            continue
        domain = psl.walk_registrable(host, rules)
        if (domain and domain not in seen and domain not in platforms
                and not {domain, f"www.{domain}"} & vouched  # an office's website per the Annuaire
                and not under_any(domain, _KNOWN)  # platforms the built-in rules already handle
                and domain.rsplit(".", 1)[-1] in COMMERCIAL_TLDS
                and not _names_a_commune(_folded(domain.split(".", 1)[0]), communes)):
            seen.add(domain)
            findings.append(Finding("commercial", domain, (
                f"a .{domain.rsplit('.', 1)[-1]} domain filed as {category} whose name holds no"
                " commune's name (Annuaire): check it is a public body's own site")))
    if not communes:
        findings.append(Finding("note", "-", "commercial and media domains not checked: import the"
                                " Annuaire first (sdc annuaire import) for the communes' names"))
    return findings


def _folded(text: str) -> str:
    """``Saint-Étienne-d'Orthe`` -> ``stetiennedorthe``: names and domain labels compared."""
    # NFKD leaves the ligatures whole (Œuilly, Lætitia): spelled out as domain labels spell them
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"\bsainte\b", "ste", re.sub(r"\bsaint\b", "st", re.sub(r"[-_']", " ", plain)))
    return re.sub(r"[^a-z]", "", plain)


def _names_a_commune(label: str, communes: set[str]) -> bool:
    """True when a commune's name of 4 letters or more is part of the label."""
    size = len(label)
    return any(label[i:j] in communes for i in range(size) for j in range(i + 4, size + 1))
