"""The names figures of ``bench_sources`` (issue 13): the share of trusted hosts named with a
category other than ``autre-public``, on the 500 hosts most linked from the corpus and on
held-out sets nobody looked at while writing the names.

    python -m bench sources --names [--annuaire]
"""

from __future__ import annotations

import hashlib
import os
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sources import Classifier

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SDC_SHARED_DIR", ROOT.parent / "shared" / "data"))
#: the trusted hosts ranked after the 500 most linked, split dev/held (``held_out``) at commit
#: 4505705, before the naming work: "dev HOST" or "held HOST" lines
FROZEN = ROOT / "tests" / "sources" / "data" / "names_next_linked.txt"


def held_out(host: str) -> bool:
    """The fixed split of the hosts nobody curated: half of them (by a hash of the name, so
    the split does not depend on the corpus's order) were never looked at while tuning."""
    return hashlib.sha256(host.encode()).digest()[0] % 2 == 1


def corpus_links() -> Counter[str] | None:
    """How many links of the corpus point at each host (``None``: no corpus)."""
    import ast
    import gzip
    import json

    from sources.urls import parse_host

    corpus = SHARED / "corpus" / "documents.jsonl.gz"
    if not corpus.is_file():
        return None
    links: Counter[str] = Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            value = json.loads(line).get("links") or []
            if isinstance(value, str):
                try:
                    value = ast.literal_eval(value)
                except (ValueError, SyntaxError):
                    value = []
            for url in value:
                host = parse_host(str(url)).host
                if host:
                    links[host] += 1
    return links


def name_sets(classifier: Classifier, links: Counter[str], listed: Sequence[str]) -> dict[str, list[str]]:
    """The host sets the names figures are taken on.

    ``top500``: the 500 most linked trusted hosts (the curated table was written from them);
    ``next-dev``/``next-held``: the trusted hosts linked less than those (132 with the corpus of
    ../shared), split by :func:`held_out`; ``frozen-dev``/``frozen-held``: the same two sets as
    they were before any naming work (:data:`FROZEN`; the sets above move when a name makes
    one more host trusted); ``registry-dev``/``registry-held``: 2,000 hosts drawn
    from the registry's trusted entries (none linked from the corpus), split the same way.
    """
    trusted = [h for h, _ in links.most_common() if classifier.classify_host(h).trusted]
    drawn = [h for h in random.Random(13).sample(sorted(listed), min(len(listed), 6000))
             if h not in links and classifier.classify_host(h).trusted][:2000]
    rest = trusted[500:]
    frozen: dict[str, list[str]] = {"dev": [], "held": []}
    if FROZEN.is_file():
        for line in FROZEN.read_text("utf-8").splitlines():
            part, _, host = line.partition(" ")
            frozen[part].append(host)
    return {"top500": trusted[:500],
            "next-dev": [h for h in rest if not held_out(h)],
            "next-held": [h for h in rest if held_out(h)],
            "frozen-dev": frozen["dev"], "frozen-held": frozen["held"],
            "registry-dev": [h for h in drawn if not held_out(h)],
            "registry-held": [h for h in drawn if held_out(h)]}


def well_named(classifier: Classifier, host: str) -> bool:
    """Named, with a category other than ``autre-public``."""
    v = classifier.classify_host(host)
    return bool(v.trusted and v.name and v.category and v.category.value != "autre-public")


def bench_names(registry_dir: Path) -> None:
    """Share of hosts named with a category other than autre: the curated 500 and held-out sets."""
    from sources import Registry

    links = corpus_links()
    if links is None:
        print("names: skipped, ../shared/data/corpus is absent")
        return
    with Registry(registry_dir) as registry:
        classifier = registry.classifier()
        origins = [str(o["origin"]) for o in registry.store.origins()]
        listed = sorted({host for host, *_ in registry.store.iter_entries()})
    print(f"names, origins {'+'.join(origins)} + national table"
          " (named with a category other than autre):")
    for label, hosts in name_sets(classifier, links, listed).items():
        good = sum(well_named(classifier, h) for h in hosts)
        note = {"top500": "  (target >= 95 %; the curated table was written from these)",
                "next-held": "  (held out)",
                "frozen-held": "  (held out, frozen: target >= 90 %)",
                "registry-held": "  (held out)"}.get(label, "")
        print(f"  {label:<14} {good:>5} / {len(hosts):<5} {100 * good / max(1, len(hosts)):5.1f} %{note}")
    top = [h for h, _ in links.most_common(500)]
    print(f"  500 most linked hosts, trusted or not: {sum(well_named(classifier, h) for h in top) / 5:.1f} %"
          f" ({sum(classifier.classify_host(h).trusted for h in top)} of them trusted)")
