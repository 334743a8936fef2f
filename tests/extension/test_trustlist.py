"""The compact trust list: shape, digest, version, and what it carries from the registry."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from sources import Registry
from sources.trustlist import FORMAT, build_payload, build_trustlist, unicode_name_words, write_trustlist


def test_document_is_versioned_and_hashed(registry: Registry) -> None:
    registry.allow("asso.example.fr", "agréée", "autre-public", "Asso")
    document = build_trustlist(registry.classifier(), now=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC))
    assert document["format"] == FORMAT
    assert hashlib.sha256(document["payload"].encode("utf-8")).hexdigest() == document["sha256"]
    assert document["version"] == f"20260304T050607Z-{document['sha256'][:12]}"


def test_payload_carries_entries_overlay_and_builtin_rules(registry: Registry, tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("mairie-exemple.fr\n", "utf-8")
    registry.import_list(str(listing), "commune", "test")
    registry.allow("asso.example.fr", "agréée", "autre-public", "Asso")
    registry.deny("vieux.mairie-exemple.fr", "abandonné")
    payload = build_payload(registry.classifier())
    categories = [value for value, _label in payload["categories"]]
    # the registry also holds the built-in national table; the imported host is one row
    [host] = [row for row in payload["hosts"] if row[0] == "mairie-exemple.fr"]
    assert categories[host[1]] == "commune"
    assert payload["rules"][host[3]] == ["test", "listed by test"]
    assert payload["allows"][0][:3] == ["asso.example.fr", categories.index("autre-public"), "Asso"]
    assert payload["denies"] == [
        ["vieux.mairie-exemple.fr", "curator:deny", "denied by a curator: abandonné"]
    ]
    assert "gouv.fr" in {zone[0] for zone in payload["zones"]}
    assert "facebook.com" in payload["deniedPlatforms"] and "wixsite.com" in payload["sharedSuffixes"]
    assert payload["psl"]["fr"] == 1 and payload["psl"]["kobe.jp"] & 2 and payload["psl"]["city.kobe.jp"] == 4


def test_unicode_name_words_cover_named_code_points() -> None:
    table = unicode_name_words()
    ranges = table["ranges"]
    words = dict(zip(range(len(ranges) // 3), (table["words"][w] for w in ranges[2::3]), strict=True))
    starts = ranges[0::3]
    assert starts == sorted(starts)
    assert words[next(i for i, s in enumerate(starts) if s <= 0x430 <= ranges[i * 3 + 1])] == "CYRILLIC"


def test_write_is_atomic_and_readable(registry: Registry, tmp_path: Path) -> None:
    target = tmp_path / "out" / "trustlist.json"
    document = write_trustlist(registry.classifier(), target)
    assert json.loads(target.read_text("utf-8")) == document
    assert not list(target.parent.glob("*.tmp"))
