"""The registry as the rest of the product uses it: import, curate, compile, describe."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sources import psl
from sources.audit import detect_platforms
from sources.builtin import SHARED_SUFFIXES
from sources.categories import Category, parse_category
from sources.classifier import Classifier, Entry
from sources.curation import Curation
from sources.errors import FormatError
from sources.hosts import normalize_host
from sources.importers import read_etalab, read_plain_list, read_universities
from sources.importers.etalab import Progress
from sources.importers.fetch import content_version, decode_text, read_bytes
from sources.naming import Namer, communes_of_annuaire
from sources.national import ACADEMIES, NATIONAL
from sources.precedence import PRIORITY, priority
from sources.records import ImportGuard, ImportReport, Row
from sources.store import Store

#: Etalab's catch-all file for local bodies: the national table's category beats it
GENERIC = Category.COLLECTIVITE.value
_COMMIT = re.compile(r"/([0-9a-f]{40})(?:/|$)")


@dataclass
class ImportResult:
    report: ImportReport
    location: str
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def to_dict(self, hosts: bool = False) -> dict[str, Any]:
        r = self.report
        data: dict[str, Any] = {
            "origin": r.origin, "version": r.version, "location": self.location,
            "entries": r.total, "added": r.added, "removed": r.removed, "changed": r.changed,
            "unchanged": r.unchanged, "files": self.files, "missing": self.missing,
            "rejected": len(self.rejected), "dry_run": r.dry_run, "import": r.import_id,
            "refused": r.refused,
        }
        if hosts:
            data["hosts"] = {"added": list(r.added_hosts), "removed": list(r.removed_hosts),
                             "changed": list(r.changed_hosts)}
        return data


class Registry:
    """The trust registry stored under ``data_dir``."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.store = Store(self.data_dir)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- imports -----------------------------------------------------------

    def _replace(self, origin: str, kind: str, location: str, version: str, rows: list[Row],
                 guard: ImportGuard | None, files: list[str], missing: list[str]) -> ImportReport:
        guard = guard or ImportGuard()
        commit = _COMMIT.search(location)
        if commit and not version.startswith("git:"):
            version = f"git:{commit.group(1)} {version}"
        guard = ImportGuard(guard.max_shrink, guard.allow_shrink, guard.dry_run,
                            tuple(files), tuple(missing), guard.actor)
        return self.store.replace_origin(origin, kind, location, version, priority(origin), rows, guard)

    def import_etalab(self, location: str, version: str | None = None,
                      progress: Progress | None = None,
                      guard: ImportGuard | None = None) -> ImportResult:
        lists = read_etalab(location, progress)
        report = self._replace("etalab", "etalab", location, version or lists.version, lists.rows,
                               guard, lists.files, lists.missing)
        return ImportResult(report, location, lists.files, lists.missing, lists.rejected)

    def import_universities(self, location: str, version: str | None = None,
                            guard: ImportGuard | None = None) -> ImportResult:
        data = read_bytes(location)
        rejected: list[str] = []
        rows = read_universities(decode_text(data, location), rejected)
        report = self._replace("universities", "universities", location,
                               version or content_version(data), rows, guard, [], [])
        return ImportResult(report, location, [location], [], rejected)

    def import_rows(self, origin: str, kind: str, location: str, version: str, rows: list[Row],
                    guard: ImportGuard | None = None) -> ImportResult:
        """Replace ``origin`` with ``rows`` read by an importer elsewhere (the Annuaire's)."""
        report = self._replace(origin, kind, location, version, rows, guard, [], [])
        return ImportResult(report, location, [location], [], [])

    def import_list(self, location: str, category: str, origin: str,
                    version: str | None = None, guard: ImportGuard | None = None) -> ImportResult:
        origin = origin.strip()
        if not origin or origin in PRIORITY or origin == "national":
            raise FormatError(f"origin name {origin!r} is reserved or empty")
        cat = parse_category(category)
        data = read_bytes(location)
        rejected: list[str] = []
        rows = read_plain_list(decode_text(data, location), cat.value, origin, rejected)
        report = self._replace(origin, "list", location, version or content_version(data), rows,
                               guard, [], [])
        return ImportResult(report, location, [location], [], rejected)

    # -- curator overlay ---------------------------------------------------

    def allow(self, host: str, reason: str, category: str | None = None,
              name: str | None = None, *, actor: str = "cli", report: int | None = None) -> str:
        normal = normalize_host(host)
        cat = parse_category(category).value if category else Category.AUTRE_PUBLIC.value
        self.store.set_curated(normal, "allow", reason, cat, name, actor=actor, report=report)
        return normal

    def deny(self, host: str, reason: str, *, actor: str = "cli", report: int | None = None) -> str:
        normal = normalize_host(host)
        self.store.set_curated(normal, "deny", reason, actor=actor, report=report)
        return normal

    def forget(self, host: str, *, actor: str = "cli", reason: str = "",
               report: int | None = None) -> bool:
        return self.store.remove_curated(normalize_host(host), actor=actor, reason=reason,
                                         report=report)

    @property
    def curation(self) -> Curation:
        return Curation(self.store)

    def generation(self) -> int:
        """Changes whenever a verdict may have changed (imports, curator actions)."""
        return self.store.generation()

    # -- compiled view -----------------------------------------------------

    def _entries(self) -> Iterator[Entry]:
        """One entry per host, named and categorised by precedence (module docstring).

        Within a host's origins, the first name and the first category other than
        ``autre-public`` win. Then a host under a national-table domain takes the
        table's name and category unless it is filed as another kind of body (a school
        under ``ac-rennes.fr`` stays a school; Etalab's catch-all ``collectivite`` is no
        kind), and the Annuaire's office name on a
        shared website (a PMI on ``www.paris.fr``) yields to the table; finally an
        unnamed host takes the name of its nearest named parent of the same category.
        """
        rules: dict[tuple[str, str | None], tuple[str, str]] = {}
        merged: dict[str, list[Any]] = {}
        autre = Category.AUTRE_PUBLIC.value
        # every national entry has a category (sources/national.py)
        national = ((e.host, e.category.value, e.name, "national", None) for e in NATIONAL)  # type: ignore[union-attr]
        stored = self.store.iter_entries(PRIORITY)
        for host, category, name, origin, list_ in (*national, *stored):
            slot = merged.get(host)
            if slot is not None:
                if slot[2] is None and name:
                    slot[2] = name
                if slot[1] == autre and category != autre:
                    slot[1] = category
                continue
            key = (origin, list_ if origin == "etalab" else None)
            texts = rules.get(key)
            if texts is None:
                rule = f"{origin}:{list_}" if key[1] else origin
                texts = rules[key] = (rule, f"listed by {rule}")
            merged[host] = [host, category, name, texts, origin]
        namer = Namer(psl.bundled_rules(), communes_of_annuaire(self.data_dir), ACADEMIES)
        for slot in merged.values():
            if slot[4] == "national":
                continue
            table = _parent(slot[0], merged, lambda p: p[4] == "national")
            if table is not None and (slot[1] in (autre, GENERIC, table[1]) or slot[4] == "annuaire"):
                slot[1], slot[2] = table[1], table[2]
            elif slot[2] is None:
                parent = _parent(slot[0], merged, lambda p, c=slot[1]: bool(p[2]) and p[1] == c)  # type: ignore[misc]
                if parent is not None:
                    slot[2] = parent[2]
                else:  # what the lists' structure says (sources.naming)
                    derived = namer.derive(slot[0], slot[1])
                    if derived is not None:
                        slot[1], slot[2] = derived
        for host, category, name, (rule, reason), _origin in merged.values():
            yield Entry(host, Category(category), name, rule, reason)

    def classifier(self, *, builtin: bool = True) -> Classifier:
        """Compile the registry into an in-memory classifier (about a second for 100k hosts)."""
        allows, denies = [], []
        for c in self.store.curated():
            if c.action == "allow":
                allows.append(Entry(c.host, Category(c.category or Category.AUTRE_PUBLIC),
                                    c.name, "curator:allow", f"allowed by a curator: {c.reason}"))
            else:
                denies.append(Entry(c.host, None, None, "curator:deny",
                                    f"denied by a curator: {c.reason}"))
        generation = self.generation()
        entries = list(self._entries())
        allowed = {a.host for a in allows}
        platforms = [f.host for f in detect_platforms(((e.host, e.category.value if e.category else "")
                                                       for e in entries), psl.bundled_rules())
                     if f.applied and f.host not in allowed] if builtin else []
        return Classifier(entries, allows=allows, denies=denies, builtin=builtin,
                          generation=generation, platforms=platforms)

    def stats(self, classifier: Classifier | None = None) -> dict[str, Any]:
        """Trusted hosts, their registrable domains, counts by category and by origin."""
        classifier = classifier or self.classifier()
        by_category: Counter[str] = Counter()
        domains: set[str] = set()
        hosts = untrusted = 0
        seen: set[str] = set()
        by_origin: Counter[str] = Counter()
        for host, _category, _name, origin, _list in self.store.iter_entries():
            by_origin[origin] += 1
            if host in seen:
                continue
            seen.add(host)
            verdict = classifier.classify_host(host)
            if not verdict.trusted:
                untrusted += 1
                continue
            hosts += 1
            by_category[verdict.category.value if verdict.category else "?"] += 1
            domains.add(verdict.domain or host)
        curated = self.store.curated()
        return {
            "hosts": hosts,
            "domains": len(domains),
            "by_category": dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
            "by_origin": dict(sorted(by_origin.items())),
            "listed_but_untrusted": untrusted,
            "curated": {"allow": sum(c.action == "allow" for c in curated),
                        "deny": sum(c.action == "deny" for c in curated)},
            "origins": self.store.origins(),
        }

    def describe(self, domain: str) -> dict[str, Any]:
        """What the registry knows of a host or domain and its subdomains, with provenance."""
        host = normalize_host(domain)
        return {
            "domain": host,
            "entries": self.store.entries_for(host),
            "curated": [asdict(c) for c in self.store.curated()
                        if c.host == host or c.host.endswith("." + host)],
        }


def _parent(host: str, merged: dict[str, list[Any]],
            wanted: Callable[[list[Any]], bool]) -> list[Any] | None:
    """The nearest listed parent ``wanted`` accepts, never across a public suffix or a
    hosting platform (another body's): ``lannuaire.service-public.fr`` -> ``service-public.fr``."""
    level = host
    while True:
        dot = level.find(".")
        if dot < 0 or level.count(".") < 2:
            return None  # stop at the registrable level: ``fr`` names nothing
        level = level[dot + 1 :]
        slot = merged.get(level)
        if slot is not None and wanted(slot):
            if level in SHARED_SUFFIXES or psl.is_public_suffix(level, psl.bundled_rules()):
                return None
            return slot
