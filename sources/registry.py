"""The registry as the rest of the product uses it: import, curate, compile, describe."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sources.categories import Category, parse_category
from sources.classifier import Classifier, Entry
from sources.errors import FormatError
from sources.hosts import normalize_host
from sources.importers import read_etalab, read_plain_list, read_universities
from sources.importers.etalab import Progress
from sources.importers.fetch import content_version, decode_text, read_bytes
from sources.store import ImportReport, Store

#: when two origins list the same host, the lower number gives its category
PRIORITY = {"etalab": 10, "universities": 20}
LIST_PRIORITY = 30


@dataclass
class ImportResult:
    report: ImportReport
    location: str
    files: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "origin": r.origin, "version": r.version, "location": self.location,
            "entries": r.total, "added": r.added, "removed": r.removed, "changed": r.changed,
            "unchanged": r.unchanged, "files": self.files, "missing": self.missing,
            "rejected": len(self.rejected),
        }


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

    def import_etalab(self, location: str, version: str | None = None,
                      progress: Progress | None = None) -> ImportResult:
        lists = read_etalab(location, progress)
        report = self.store.replace_origin("etalab", "etalab", location, version or lists.version,
                                           PRIORITY["etalab"], lists.rows)
        return ImportResult(report, location, lists.files, lists.missing, lists.rejected)

    def import_universities(self, location: str, version: str | None = None) -> ImportResult:
        data = read_bytes(location)
        rejected: list[str] = []
        rows = read_universities(decode_text(data, location), rejected)
        report = self.store.replace_origin("universities", "universities", location,
                                           version or content_version(data),
                                           PRIORITY["universities"], rows)
        return ImportResult(report, location, [location], [], rejected)

    def import_list(self, location: str, category: str, origin: str,
                    version: str | None = None) -> ImportResult:
        origin = origin.strip()
        if not origin or origin in PRIORITY:
            raise FormatError(f"origin name {origin!r} is reserved or empty")
        cat = parse_category(category)
        data = read_bytes(location)
        rejected: list[str] = []
        rows = read_plain_list(decode_text(data, location), cat.value, origin, rejected)
        report = self.store.replace_origin(origin, "list", location, version or content_version(data),
                                           LIST_PRIORITY, rows)
        return ImportResult(report, location, [location], [], rejected)

    # -- curator overlay ---------------------------------------------------

    def allow(self, host: str, reason: str, category: str | None = None,
              name: str | None = None) -> str:
        normal = normalize_host(host)
        cat = parse_category(category).value if category else Category.AUTRE_PUBLIC.value
        self.store.set_curated(normal, "allow", reason, cat, name)
        return normal

    def deny(self, host: str, reason: str) -> str:
        normal = normalize_host(host)
        self.store.set_curated(normal, "deny", reason)
        return normal

    def forget(self, host: str) -> bool:
        return self.store.remove_curated(normalize_host(host))

    # -- compiled view -----------------------------------------------------

    def _entries(self) -> Iterator[Entry]:
        rules: dict[tuple[str, str | None], tuple[str, str]] = {}
        merged: dict[str, list[Any]] = {}
        for host, category, name, origin, list_ in self.store.iter_entries():
            slot = merged.get(host)
            if slot is not None:
                if slot[2] is None and name:
                    slot[2] = name
                continue
            key = (origin, list_ if origin == "etalab" else None)
            texts = rules.get(key)
            if texts is None:
                rule = f"{origin}:{list_}" if key[1] else origin
                texts = rules[key] = (rule, f"listed by {rule}")
            merged[host] = [host, category, name, texts]
        for host, category, name, (rule, reason) in merged.values():
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
        return Classifier(self._entries(), allows=allows, denies=denies, builtin=builtin)

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
