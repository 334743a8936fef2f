"""crawler.urls: one spelling per page, and links that are not worth a request."""

from __future__ import annotations

from crawler.urls import canonical_url, is_page_link, looks_like_trap


def test_canonical_url_merges_spellings() -> None:
    same = {
        canonical_url("https://WWW.Mairie.fr/a?b=2&a=1#top"),
        canonical_url("https://www.mairie.fr/a?a=1&b=2"),
        canonical_url("https://www.mairie.fr/a?a=1&utm_source=x&b=2&PHPSESSID=abc"),
    }
    assert same == {"https://www.mairie.fr/a?a=1&b=2"}
    assert canonical_url("https://www.mairie.fr") == "https://www.mairie.fr/"
    assert canonical_url("https://www.mairie.fr/d%C3%A9marches") == "https://www.mairie.fr/d%C3%A9marches"


def test_not_page_links() -> None:
    assert not is_page_link("https://a.fr/photo.JPG")
    assert not is_page_link("https://a.fr/notice.pdf")
    assert not is_page_link("https://a.fr/sitemap.xml.gz")
    assert is_page_link("https://a.fr/demarches/")
    assert is_page_link("https://a.fr/page.html")


def test_trap_shapes() -> None:
    assert looks_like_trap("https://a.fr/" + "x" * 600)
    assert looks_like_trap("https://a.fr/agenda?a=1&b=2&c=3&d=4&e=5")
    assert looks_like_trap("https://a.fr/a/b/a/b/a/b/")
    assert looks_like_trap("https://a.fr/" + "/".join("abcdefghijklmn"))
    assert not looks_like_trap("https://a.fr/agenda?mois=2026-11")
    assert not looks_like_trap("https://a.fr/vie-municipale/conseil/2024/compte-rendu")


def test_a_malformed_link_is_refused_not_raised() -> None:
    assert canonical_url("https://travail-emploi.gouv.fr:80a/page") is None
    assert canonical_url("https://[::1/page") is None
