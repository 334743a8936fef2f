"""Tell, for any URL or host, whether it belongs to a trusted source, which one and why.

The registry is compiled into one dict keyed by host and by public suffix.
Classifying walks up the host's labels (``a.b.paris.fr``, ``b.paris.fr``,
``paris.fr``, ``fr``) with one dict look-up per label, and in that same walk
finds the registrable domain by the Public Suffix List.

Precedence, from strongest to weakest:

1. a curator *deny* on the host or any parent: untrusted, whatever else says;
2. the most specific of curator *allow*, list entry or restricted zone
   (``ain.gouv.fr`` listed as a prefecture beats the ``gouv.fr`` zone);
3. a denied platform (``facebook.com``) on a parent: untrusted, unless the
   match of rule 2 is a curator allow;
4. otherwise untrusted, "not in registry".

Entries cover their host and every subdomain, on label boundaries: ``paris.fr``
covers ``www.paris.fr``, never ``notparis.fr``.  The walk never lets an entry
cover hosts across a public suffix or a shared hosting platform: an entry for
``free.fr`` or ``wixsite.com`` only ever matches that exact host (and those
are denied platforms anyway), so ``aast.free.fr`` is trusted only when listed
itself, and its unlisted neighbours are not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sources import psl
from sources.builtin import DENIED_PLATFORMS, PLATFORM_OWN_LABELS, SHARED_SUFFIXES, ZONES
from sources.classifier_node import Node
from sources.hosts import MAX_HOST_LENGTH, dns_problem, is_mixed_script
from sources.urls import fast_host, parse_host_whatwg
from sources.verdicts import NOT_A_STRING, NOT_LISTED, Classification, Entry, Verdict

__all__ = ["Classification", "Classifier", "Entry", "Verdict"]

#: hosts whose verdict is kept; about 10 MB when full
HOST_CACHE_SIZE = 65_536
#: the longest host name DNS allows (RFC 1035): nothing longer is walked or cached
MAX_CACHED_HOST = MAX_HOST_LENGTH
#: building NamedTuples through tuple.__new__ skips a Python frame on the hot path
_new_tuple = tuple.__new__


class Classifier:
    """An immutable, compiled registry; safe to share between threads."""

    def __init__(
        self,
        entries: Iterable[Entry] = (),
        *,
        allows: Iterable[Entry] = (),
        denies: Iterable[Entry] = (),
        builtin: bool = True,
        rules: dict[str, int] | None = None,
        generation: int = 0,
        platforms: Iterable[str] = (),
    ) -> None:
        self._generation = generation
        self._rules = psl.bundled_rules() if rules is None else rules
        nodes: dict[str, Node] = {}

        def node(key: str) -> Node:
            found = nodes.get(key)
            if found is None:
                found = nodes[key] = Node()
            return found

        for key, flags in self._rules.items():
            node(key).psl = flags
        if builtin:
            for zone in ZONES:
                node(zone.suffix).zone = Entry(
                    zone.suffix, zone.category, zone.name, f"zone:{zone.suffix}",
                    f"restricted zone {zone.suffix}: {zone.policy}",
                )
            for host in DENIED_PLATFORMS:
                node(host).denied_platform = True
            for host in SHARED_SUFFIXES:
                node(host).shared = True
        # platforms found in the lists themselves (``sources.audit``): shared suffixes too
        for host in platforms:
            node(host).shared = True
        count = 0
        for entry in entries:
            slot = node(entry.host)
            if slot.entry is None:  # first origin wins: callers order by priority
                slot.entry = entry
                count += 1
        for entry in allows:
            node(entry.host).allow = entry
        for entry in denies:
            node(entry.host).deny = entry
        for key, slot in nodes.items():
            # every node, not only PSL rules: ``com.np`` is a suffix through ``*.np`` alone
            slot.suffix = slot.shared or psl.is_public_suffix(key, self._rules)
        self._nodes = nodes
        self._has_denies = any(n.deny is not None for n in nodes.values())
        self._cache: dict[str, Verdict] = {}
        self.entry_count = count
        self._memoize()

    def _memoize(self) -> None:
        """Precompute the fast path, checked against the full walk on a probe subdomain.

        A host's verdict only depends on the nodes on its path: when the first
        node above a host is ``L`` and ``L`` holds no rule that looks at the
        labels below it (wildcard, exception, shared platform, exact-only
        suffix entry), every ``x.L`` gets the verdict of ``probe.L``.
        """
        for key, slot in self._nodes.items():
            if slot.shared or slot.psl & (psl.WILDCARD | psl.EXCEPTION) or "xn--" in key:
                continue
            probe = self._classify_walk(f"probe-{len(key)}.{key}")
            if slot.entry is not None or slot.allow is not None or slot.deny is not None:
                if not slot.suffix and probe == self._classify_walk(key) and probe.domain is not None:
                    slot.fast = probe
            elif (slot.psl & psl.NORMAL and not probe.trusted and probe.rule is None
                  and probe.reason == NOT_LISTED):
                slot.unlisted_below = True

    # -- hosts -------------------------------------------------------------

    def classify_host(self, host: str) -> Verdict:
        """Classify an ASCII lowercase host without a trailing dot (the crawler's case).

        Verdicts are cached per host (bounded: the cache is emptied when full),
        since result pages and crawls see the same hosts over and over.
        """
        cache = self._cache
        verdict = cache.get(host)
        if verdict is None:
            # a host DNS cannot hold is refused before any walk, and never cached (8 KB keys
            # would fill memory): a 1 MB host costs one length comparison
            problem = dns_problem(host)
            if problem is not None:
                return _new_tuple(Verdict, (False, None, None, None, None, problem, None))
            verdict = self._lookup(host)
            if len(cache) >= HOST_CACHE_SIZE:
                cache.clear()
            cache[host] = verdict
        return verdict

    def is_trusted(self, host: str) -> bool:
        """True when ``host`` (ASCII lowercase, as the index stores it) is trusted now."""
        return self.classify_host(host).trusted

    def _lookup(self, host: str) -> Verdict:
        """The first node above the host usually answers; else the full walk."""
        if "xn--" not in host:
            nodes = self._nodes
            level = host
            child = None
            while True:
                slot = nodes.get(level)
                if slot is not None:
                    if slot.fast is not None:
                        return slot.fast
                    if slot.unlisted_below and child is not None:
                        return _new_tuple(Verdict, (False, child, None, None, None, NOT_LISTED, None))
                    break
                dot = level.find(".")
                if dot < 0:
                    break
                child = level
                level = level[dot + 1 :]
        return self._classify_walk(host)

    def _classify_walk(self, host: str) -> Verdict:
        """The full walk; ``classify_host`` memoizes it per node."""
        nodes = self._nodes
        level = host
        child: str | None = None
        grandchild: str | None = None
        domain: str | None = None
        domain_found = False
        boundary = False
        candidate: Entry | None = None
        curated = False
        platform: str | None = None
        while True:
            slot = nodes.get(level)
            if slot is not None:
                flags = slot.psl
                if not domain_found and flags:
                    if flags & psl.EXCEPTION:
                        domain, domain_found = level, True
                    elif flags & psl.WILDCARD:
                        domain, domain_found = grandchild, True
                    elif flags & psl.NORMAL:
                        domain, domain_found = child, True
                if flags & psl.WILDCARD and child is not None:
                    boundary = True
                if slot.deny is not None:
                    return self._verdict(slot.deny, host, False)
                if candidate is None and not boundary:
                    exact_only = slot.suffix and level != host
                    if slot.allow is not None and not exact_only:
                        candidate, curated = slot.allow, True
                    elif slot.entry is not None and not exact_only:
                        candidate = slot.entry
                if candidate is None and slot.zone is not None:
                    candidate = slot.zone
                if platform is None and not boundary:
                    if slot.shared:
                        # the platform's own hosts are not tenants; tenants are judged alone
                        if child is None or _own_label(child, level):
                            platform = level
                    elif slot.denied_platform:
                        platform = level
                if slot.suffix:
                    boundary = True
                if candidate is not None and not self._has_denies and domain_found:
                    break
            dot = level.find(".")
            if dot < 0:
                if not domain_found:
                    domain = child
                break
            grandchild, child = child, level
            level = level[dot + 1 :]
        if not domain_found:
            domain = psl.walk_registrable(host, self._rules)
        if platform is not None and not curated:
            return Verdict(False, domain, None, None, f"platform:{platform}",
                           f"shared platform {platform}: its pages are not vouched for by the lists",
                           platform)
        if is_mixed_script(host):
            return Verdict(False, domain, None, None, None,
                           "mixed-script host name (possible homoglyph)", None)
        if candidate is None:
            return Verdict(False, domain, None, None, None, NOT_LISTED, None)
        return Verdict(True, domain, candidate.category, candidate.name, candidate.rule,
                       candidate.reason, candidate.host)

    def _verdict(self, deny: Entry, host: str, trusted: bool) -> Verdict:
        domain = psl.walk_registrable(host, self._rules)
        return Verdict(trusted, domain, None, None, deny.rule, deny.reason, deny.host)

    # -- saving and restoring (sources.compiled) --------------------------

    def compiled(self) -> tuple[dict[str, int], Mapping[str, Node], bool]:
        """What a restore needs besides the counts: the PSL rules, the node table, whether a deny exists."""
        return self._rules, self._nodes, self._has_denies

    @classmethod
    def restore(cls, rules: dict[str, int], nodes: dict[str, Node], has_denies: bool,
                entry_count: int, generation: int) -> Classifier:
        """A classifier over an already compiled node table (``sources.compiled`` reads it lazily)."""
        restored = cls.__new__(cls)
        restored._rules = rules
        restored._nodes = nodes
        restored._has_denies = has_denies
        restored._cache = {}
        restored._generation = generation
        restored.entry_count = entry_count
        return restored

    @property
    def generation(self) -> int:
        """The registry generation this classifier was compiled from (0: not from a registry)."""
        return self._generation

    # -- URLs --------------------------------------------------------------

    def classify(self, url: str) -> Classification:
        """Classify any string given as a URL; never raises."""
        try:
            host = fast_host(url)
        except TypeError:  # not a string
            return Classification(str(url), None, NOT_A_STRING)
        if host is not None:
            verdict = self._cache.get(host)  # classify_host's cache, read inline on the hot path
            if verdict is None:
                verdict = self.classify_host(host)
            return _new_tuple(Classification, (url, host, verdict))
        parsed = parse_host_whatwg(url)
        if parsed.host is None:
            verdict = _new_tuple(Verdict, (False, None, None, None, None, parsed.reason or "no host", None))
            return _new_tuple(Classification, (url, None, verdict))
        return _new_tuple(Classification, (url, parsed.host, self.classify_host(parsed.host)))

    def registrable_domain(self, host: str) -> str | None:
        return psl.walk_registrable(host, self._rules)


def _own_label(child: str, level: str) -> bool:
    """True when ``child`` is ``www.<level>`` or another platform-owned label."""
    return child[: len(child) - len(level) - 1] in PLATFORM_OWN_LABELS
