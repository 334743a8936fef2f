"""Hosts that cannot exist in DNS are never trusted, cost one check, and are never cached;
the fast and slow URL paths share one length and host rule (issue 14's rows)."""

from __future__ import annotations

import pytest

from sources import Classifier
from sources.errors import InvalidHostError
from sources.hosts import HOST_TOO_LONG, dns_problem, normalize_host


@pytest.mark.parametrize("host", [
    "a" * 64 + ".paris.fr",                      # a label over 63 octets
    ".".join(["a"] * 130) + ".gouv.fr",           # a name over 253 characters
    "a*b.paris.fr", "mairie!.paris.fr", "x$y.gouv.fr",  # WHATWG lets these through, DNS does not
    "a..paris.fr",
])
def test_hosts_dns_cannot_hold_are_never_trusted(classifier: Classifier, host: str) -> None:
    assert dns_problem(host) is not None
    verdict = classifier.classify_host(host)
    assert not verdict.trusted and verdict.rule is None
    assert host not in classifier._cache  # noqa: SLF001 - nothing DNS refuses fills the cache


def test_underscores_and_hyphens_are_dns_characters(classifier: Classifier) -> None:
    assert dns_problem("_dmarc.paris.fr") is None and dns_problem("mairie-x.paris.fr") is None
    assert classifier.classify_host("www.paris.fr").trusted


def test_a_megabyte_host_is_refused_by_its_length(classifier: Classifier) -> None:
    huge = "a." * 500_000 + "gouv.fr"
    assert classifier.classify_host(huge).reason == HOST_TOO_LONG
    assert classifier.classify(f"https://{huge}/").verdict.reason == HOST_TOO_LONG
    assert classifier.classify(f"https://{huge.upper()}/").verdict.reason == HOST_TOO_LONG
    with pytest.raises(InvalidHostError):
        normalize_host(huge)


@pytest.mark.parametrize("host", ["www.service-public.fr", "WWW.service-public.fr",
                                  "www.service-public.fr.", "Www.Service-Public.FR"])
def test_one_rule_for_long_paths_on_both_paths(classifier: Classifier, host: str) -> None:
    """Only the authority decides the host: a 9,000-character path changes nothing."""
    for path in ("/" + "x" * 9000, "/?q=" + "y" * 20000, "#" + "z" * 9000, "\\" + "w" * 9000):
        verdict = classifier.classify(f"https://{host}{path}").verdict
        assert verdict.trusted, (host, path[:3], verdict.reason)


def test_backslash_still_ends_the_authority(classifier: Classifier) -> None:
    assert not classifier.classify("https://evil.com\\@www.service-public.fr/" + "x" * 9000).trusted
    assert not classifier.classify("https://evil.com\\@WWW.service-public.fr/").trusted


def test_userinfo_longer_than_the_cap_is_refused(classifier: Classifier) -> None:
    verdict = classifier.classify("https://" + "u" * 9000 + "@WWW.service-public.fr/").verdict
    assert not verdict.trusted and verdict.reason == HOST_TOO_LONG


def test_audit_folding_spells_out_ligatures() -> None:
    from sources.audit import _folded

    assert _folded("Œuilly") == "oeuilly"
    assert _folded("Saint-Œnard-de-Lætitia") == "stoenarddelaetitia"
    assert _folded("Saint-Étienne-d'Orthe") == "stetiennedorthe"
