"""The compact trust list that the browser extension classifies with, offline.

The extension must give, for every URL, the same answer as :class:`Classifier`
(``extension/src/shared/classifier.js`` is a line-by-line port of
``Classifier.classify_host``).  So the list carries exactly what the compiled
classifier holds, nothing more:

* ``psl``: every Public Suffix List rule with its flags (``NORMAL``,
  ``WILDCARD``, ``EXCEPTION``; the private-section bit is dropped, the
  classifier never reads it).  All of them are needed: the registrable domain
  of *any* URL is part of the answer;
* ``zones``, ``deniedPlatforms``, ``sharedSuffixes``, ``platformOwnLabels``:
  the built-in rules of :mod:`sources.builtin`, as the classifier compiled them;
* ``hosts``: the registry entries as ``[host, category index, name, rule index]``
  (rule and reason texts are shared through ``rules``), then curator ``allows``
  and ``denies``;
* ``scripts``: for every named non-ASCII code point, the first word of its
  Unicode name, which is how :func:`sources.hosts.scripts_of` tells scripts
  apart in the homoglyph check (shipped so both sides use one Unicode version).

The file is ``{"format", "version", "sha256", "payload"}`` where ``payload`` is
the JSON text above and ``sha256`` its UTF-8 digest: the extension checks the
digest before replacing its list, and never needs to re-serialise JSON the
way Python does.  ``version`` is the generation time plus the digest's head,
so two builds of the same registry differ only when the data does.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sources import psl
from sources.builtin import PLATFORM_OWN_LABELS
from sources.categories import LABELS, Category
from sources.classifier import Classifier, Entry

#: bumped when the payload's shape changes; the extension refuses other formats
FORMAT = 1
#: where the service publishes the list (the extension GETs it at most daily)
SERVICE_PATH = "/extension/trustlist.json"

_CATEGORIES: tuple[Category, ...] = tuple(Category)
_CATEGORY_INDEX = {c: i for i, c in enumerate(_CATEGORIES)}
_PSL_FLAGS = psl.NORMAL | psl.WILDCARD | psl.EXCEPTION


def build_payload(classifier: Classifier) -> dict[str, Any]:
    """Everything the extension's classifier needs, as plain JSON-able data."""
    rules: dict[tuple[str, str], int] = {}
    hosts: list[list[Any]] = []
    allows: list[list[Any]] = []
    denies: list[list[Any]] = []
    zones: list[list[Any]] = []
    denied_platforms: list[str] = []
    shared: list[str] = []
    psl_rules: dict[str, int] = {}
    # the classifier's compiled nodes are the single source of truth
    _rules, nodes, _has_denies = classifier.compiled()
    for key in sorted(nodes):
        node = nodes[key]
        if node.psl & _PSL_FLAGS:
            psl_rules[key] = node.psl & _PSL_FLAGS
        if node.zone is not None:
            zones.append(_full(node.zone))
        if node.denied_platform:
            denied_platforms.append(key)
        if node.shared:
            shared.append(key)
        if node.entry is not None:
            e = node.entry
            rule = rules.setdefault((e.rule, e.reason), len(rules))
            hosts.append([e.host, _category(e.category), e.name, rule])
        if node.allow is not None:
            allows.append(_full(node.allow))
        if node.deny is not None:
            denies.append([node.deny.host, node.deny.rule, node.deny.reason])
    return {
        "categories": [[c.value, LABELS[c]] for c in _CATEGORIES],
        "psl": psl_rules,
        "zones": zones,
        "deniedPlatforms": denied_platforms,
        "sharedSuffixes": shared,
        "platformOwnLabels": sorted(PLATFORM_OWN_LABELS),
        "rules": [list(key) for key in rules],
        "hosts": hosts,
        "allows": allows,
        "denies": denies,
        "scripts": unicode_name_words(),
    }


def build_trustlist(classifier: Classifier, *, now: datetime | None = None) -> dict[str, Any]:
    """The versioned, hashed list file (see the module docstring)."""
    payload = json.dumps(build_payload(classifier), ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return {
        "format": FORMAT,
        "version": f"{stamp}-{digest[:12]}",
        "sha256": digest,
        "entries": classifier.entry_count,
        "payload": payload,
    }


def write_trustlist(classifier: Classifier, path: Path, *, now: datetime | None = None) -> dict[str, Any]:
    """Write the list file atomically (a reader never sees half a list); returns it."""
    document = build_trustlist(classifier, now=now)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), "utf-8")
    tmp.replace(path)
    return document


@lru_cache(maxsize=1)
def unicode_name_words() -> dict[str, Any]:
    """``{"words": [...], "ranges": [start, end, word index, ...]}`` over U+0080..U+10FFFF.

    Consecutive code points whose names start with the same word share one
    range; unnamed code points are in no range (``scripts_of`` skips them).
    """
    words: dict[str, int] = {}
    ranges: list[int] = []
    last_word = -1
    for cp in range(0x80, 0x110000):
        name = unicodedata.name(chr(cp), "")
        if not name:
            last_word = -1
            continue
        word = words.setdefault(name.split(" ", 1)[0], len(words))
        if word == last_word:
            ranges[-2] = cp
        else:
            ranges += [cp, cp, word]
            last_word = word
    return {"unicode": unicodedata.unidata_version, "words": list(words), "ranges": ranges}


def _category(category: Category | None) -> int | None:
    return None if category is None else _CATEGORY_INDEX[category]


def _full(entry: Entry) -> list[Any]:
    return [entry.host, _category(entry.category), entry.name, entry.rule, entry.reason]
