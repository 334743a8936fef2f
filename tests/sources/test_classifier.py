"""The classifier on every case of the issue: what must be trusted, and what never."""

from __future__ import annotations

import pytest

from sources import Category, Classifier, Entry
from sources.psl import registrable_domain


def verdict(classifier: Classifier, url: str) -> dict[str, object]:
    return classifier.classify(url).to_dict()


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.paris.fr/", "paris.fr"),
        ("https://paris.fr", "paris.fr"),
        ("https://a.b.c.paris.fr/x", "paris.fr"),  # every subdomain
        ("HTTPS://WWW.PARIS.FR/Démarches", "paris.fr"),  # uppercase
        ("https://www.paris.fr./", "paris.fr"),  # trailing dot
        ("https://www.paris.fr:8443/x", "paris.fr"),  # port
        ("http://www.paris.fr/a/b?c=d&e=f#g", "paris.fr"),  # path, query, fragment
        ("https://émancé.fr/", "xn--manc-9oae.fr"),  # IDN in Unicode
        ("https://xn--manc-9oae.fr/", "xn--manc-9oae.fr"),  # IDN in punycode
        ("https://ÉMANCÉ.FR/", "xn--manc-9oae.fr"),
        ("https://ｗｗｗ.ｐａｒｉｓ.ｆｒ/", "paris.fr"),  # fullwidth
        ("https://www.service%2Dpublic.fr/", "service-public.fr"),  # percent-encoded host
        ("www.paris.fr/x", "paris.fr"),  # schemeless
        ("paris.fr", "paris.fr"),
        ("paris.fr:8080/x", "paris.fr"),
        ("  https://www.paris.fr/  ", "paris.fr"),  # surrounding spaces, as browsers strip
        ("https://www.interieur.gouv.fr/", "interieur.gouv.fr"),  # built-in zone
        ("https://ain.gouv.fr/", "ain.gouv.fr"),
        ("https://www.nasa.gov/", "nasa.gov"),
        ("https://commission.europa.eu/", "europa.eu"),
        ("https://www.who.int/", "who.int"),
        ("https://www.ox.ac.uk/", "ox.ac.uk"),
        ("http://aast.free.fr/page", "free.fr"),  # a tenant listed by itself
        ("https://belpech.wixsite.com/mairie", "belpech.wixsite.com"),
        ("https://www.belpech.wix.com/", "wix.com"),
        ("https://x.pagesperso-orange.fr/", "pagesperso-orange.fr"),
    ],
)
def test_trusted(classifier: Classifier, url: str, domain: str) -> None:
    result = verdict(classifier, url)
    assert result["trusted"] is True, result
    assert result["domain"] == domain
    assert result["category"]
    assert result["rule"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://notparis.fr/", "not in registry"),  # label boundary
        ("https://paris.fr.evil.com/", "not in registry"),
        ("https://gouv.fr.evil.com/", "not in registry"),
        ("https://evil-gouv.fr/", "not in registry"),
        ("https://paris.fr-mairie.com/", "not in registry"),
        ("https://legifrance.gouv.fr@evil.com/", "not in registry"),  # userinfo
        ("https://www.paris.fr:pass@evil.com/", "not in registry"),
        ("https://evil.com\\@www.service-public.fr/", "not in registry"),  # backslash
        ("https://evil.com#@www.paris.fr/", "not in registry"),
        ("https://evil.com?@www.paris.fr/", "not in registry"),
        ("https://www.paris.fr\t.evil.com/", "not in registry"),  # browsers delete tabs
        ("https://g\u043euv.fr/", "mixed-script"),  # Cyrillic o
        ("https://www.servi\u0441e-public.fr/", "mixed-script"),  # Cyrillic es
        ("https://p\u0430ris.fr/", "mixed-script"),  # Cyrillic a
        ("javascript:alert(document.domain)//www.paris.fr", "not a web URL"),
        ("JaVaScRiPt:alert(1)", "not a web URL"),
        ("data:text/html,<script>alert(1)</script>", "not a web URL"),
        ("file:///etc/passwd", "not a web URL"),
        ("ftp://paris.fr/", "not a web URL"),
        ("mailto:maire@paris.fr", "not a web URL"),
        ("http://127.0.0.1/", "IP address"),
        ("http://0x7f.1/", "IP address"),
        ("http://2130706433/", "IP address"),
        ("http://[::1]/", "IP address"),
        ("https://www.facebook.com/mairie.de.belpech", "shared platform"),  # listed by mistake
        ("https://facebook.com/", "shared platform"),
        ("https://fr-fr.facebook.com/", "shared platform"),
        ("https://wordpress.com/", "shared platform"),
        ("https://mairie.orange.fr/", "shared platform"),
        ("https://wixsite.com/", "shared platform"),
        ("https://www.wix.com/", "shared platform"),
        ("http://free.fr/", "shared platform"),
        ("http://www.free.fr/", "shared platform"),
        ("http://evil.free.fr/", "not in registry"),  # an unlisted neighbour of a tenant
        ("https://evil.wixsite.com/", "not in registry"),
        ("https://evil.pagesperso-orange.fr/", "not in registry"),
        ("https://x.wordpress.com/", "not in registry"),
    ],
)
def test_untrusted(classifier: Classifier, url: str, reason: str) -> None:
    result = verdict(classifier, url)
    assert result["trusted"] is False, result
    assert reason in str(result["reason"])


@pytest.mark.parametrize(
    "garbage",
    [
        "", " ", "not a url", "http://", "https://", "://", "http:///x", "\x00", "\x00\x01\x02",
        "https://\x00paris.fr/", "x" * 10_000, "https://" + "a." * 5000 + "fr", "\n\r\t",
        "https://%zz/", "https://[::1/", "http://a b.fr/", "https://xn--zz.fr/", "https://..fr/",
        "https://paris..fr/", "\ud800", "https://\u202e\u202d.fr/", "http://localhost/",
        "https://www.paris.fr:99999/",
    ],
)
def test_garbage_is_untrusted_with_a_reason(classifier: Classifier, garbage: str) -> None:
    result = verdict(classifier, garbage)
    assert result["trusted"] is False
    assert result["reason"]


def test_non_string_input_is_untrusted(classifier: Classifier) -> None:
    assert classifier.classify(None).trusted is False  # type: ignore[arg-type]
    assert classifier.classify(42).trusted is False  # type: ignore[arg-type]


def test_domain_is_the_psl_registrable_domain(classifier: Classifier) -> None:
    for host in ["a.b.belpech.wixsite.com", "www.city.kobe.jp", "x.y.service.gov.uk", "a.b.c.paris.fr",
                 "aast.free.fr", "www.example.co.uk", "example"]:
        assert classifier.classify_host(host).domain == registrable_domain(host)


def test_result_keys(classifier: Classifier) -> None:
    assert list(verdict(classifier, "https://www.paris.fr/")) == [
        "url", "trusted", "domain", "category", "name", "rule", "reason",
    ]


def test_more_specific_entry_beats_the_zone(classifier: Classifier) -> None:
    assert verdict(classifier, "https://www.ain.gouv.fr/")["category"] == "prefecture"
    assert verdict(classifier, "https://www.economie.gouv.fr/")["category"] == "etat"
    assert verdict(classifier, "https://www.economie.gouv.fr/")["rule"] == "zone:gouv.fr"


def test_curator_deny_beats_lists_and_zones() -> None:
    listed = Entry("paris.fr", Category.COMMUNE, None, "test", "listed")
    deny = Entry("paris.fr", None, None, "curator:deny", "denied by a curator: hijacked")
    zone_deny = Entry("evil.gouv.fr", None, None, "curator:deny", "denied by a curator: test")
    sub = Entry("www.paris.fr", Category.COMMUNE, None, "test", "listed")
    classifier = Classifier([listed, sub], denies=[deny, zone_deny])
    for url in ["https://paris.fr/", "https://www.paris.fr/", "https://a.www.paris.fr/",
                "https://evil.gouv.fr/", "https://www.evil.gouv.fr/"]:
        result = classifier.classify(url).to_dict()
        assert result["trusted"] is False
        assert result["rule"] == "curator:deny"
    assert classifier.classify("https://ain.gouv.fr/").trusted


def test_curator_allow_beats_a_denied_platform() -> None:
    allow = Entry("www.facebook.com", Category.COMMUNE, "Mairie", "curator:allow", "allowed")
    classifier = Classifier([], allows=[allow])
    assert classifier.classify("https://www.facebook.com/x").trusted
    assert not classifier.classify("https://facebook.com/x").trusted


def test_an_entry_that_is_a_public_suffix_covers_only_itself() -> None:
    # github.io is in the PSL private section; blogspot.com too (and a shared platform)
    entries = [Entry("github.io", Category.ETAT, None, "test", "listed"),
               Entry("notaires.fr", Category.AUTRE_PUBLIC, None, "test", "listed")]
    classifier = Classifier(entries)
    assert not classifier.classify("https://evil.github.io/").trusted
    assert classifier.classify("https://notaires.fr/").trusted
    assert not classifier.classify("https://evil.notaires.fr/").trusted


def test_builtin_rules_alone_make_a_useful_fresh_install() -> None:
    classifier = Classifier()
    assert classifier.classify("https://www.service-public.gouv.fr/").trusted
    assert classifier.classify("https://www.legifrance.gouv.fr/").trusted
    assert not classifier.classify("https://www.paris.fr/").trusted
    assert classifier.entry_count == 0


def test_an_entry_that_is_a_suffix_through_a_wildcard_covers_only_itself() -> None:
    # the PSL says *.np: com.np is a public suffix with no rule of its own
    classifier = Classifier([Entry("com.np", Category.ETAT, None, "test", "listed")],
                            allows=[Entry("gov.bd", Category.ETAT, None, "curator:allow", "allowed")])
    assert classifier.classify("https://com.np/").trusted
    assert not classifier.classify("https://evil.com.np/").trusted
    assert classifier.classify("https://gov.bd/").trusted
    assert not classifier.classify("https://evil.gov.bd/").trusted
