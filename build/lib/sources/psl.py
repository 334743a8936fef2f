"""Registrable domains by the whole Public Suffix List (ICANN and private sections).

The list itself is the copy that the ``publicsuffixlist`` package ships and keeps
up to date; this module only compiles it into one dict so that the classifier
can find the registrable domain in the same walk up a host's labels that finds
its registry entry (one dict look-up per label instead of a second pass).
``tests/sources/test_psl.py`` runs the PSL project's own test cases and checks
this module against ``publicsuffixlist`` on random hosts.

Hosts and rules are compared in ASCII (punycode) lowercase form.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from sources.hosts import to_ascii_host

#: ``key`` is itself a rule (``fr``, ``gouv.fr``)
NORMAL = 1
#: a wildcard rule ``*.key`` exists (every child of ``key`` is a suffix)
WILDCARD = 2
#: ``key`` is an exception rule ``!key`` (``key`` is registrable)
EXCEPTION = 4
#: the rule comes from the private section (``wixsite.com``, ``github.io``)
PRIVATE = 8


def parse_rules(text: str) -> dict[str, int]:
    """Compile the PSL file format into ``{suffix: flags}``."""
    rules: dict[str, int] = {}
    private = 0
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("// ===BEGIN PRIVATE DOMAINS==="):
            private = PRIVATE
        if not line or line.startswith("//"):
            continue
        rule = line.split()[0]
        flag = NORMAL
        if rule.startswith("!"):
            rule, flag = rule[1:], EXCEPTION
        elif rule.startswith("*."):
            rule, flag = rule[2:], WILDCARD
        key = to_ascii_host(rule)
        rules[key] = rules.get(key, 0) | flag | private
    return rules


@lru_cache(maxsize=1)
def bundled_rules() -> dict[str, int]:
    """The rules of the list shipped with ``publicsuffixlist``."""
    text = resources.files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text("utf-8")
    return parse_rules(text)


def registrable_domain(host: str, rules: dict[str, int] | None = None) -> str | None:
    """The registrable domain (eTLD+1) of an ASCII lowercase host, or None.

    None when the host is itself a public suffix.  A host under an unlisted
    TLD falls back on the implicit ``*`` rule, as the PSL algorithm says:
    ``a.b.example`` -> ``b.example``.
    """
    if rules is None:
        rules = bundled_rules()
    return walk_registrable(host, rules)


def walk_registrable(host: str, rules: dict[str, int]) -> str | None:
    """The PSL algorithm as one walk from the longest suffix to the TLD.

    The first level that decides wins, which is the longest matching rule:
    an exception makes that level registrable, a wildcard one level up makes
    the previous (longer) level a suffix, a normal rule makes the level a suffix.
    The root of a wildcard rule (``kobe.jp`` for ``*.kobe.jp``) counts as a
    suffix too, as libpsl and publicsuffixlist read the list: the cautious
    reading for trust decisions.
    """
    if not host or host.startswith(".") or ".." in host:
        return None
    child = grandchild = None
    level = host
    while True:
        flags = rules.get(level, 0)
        if flags & EXCEPTION:
            return level
        if flags & WILDCARD:
            # like libpsl and publicsuffixlist, the root of a wildcard rule is a suffix too
            return grandchild
        if flags & NORMAL:
            return child
        dot = level.find(".")
        if dot < 0:
            return child
        grandchild, child = child, level
        level = level[dot + 1 :]


def is_public_suffix(host: str, rules: dict[str, int]) -> bool:
    """True when ``host`` is itself a public suffix (nothing registrable)."""
    return walk_registrable(host, rules) is None
