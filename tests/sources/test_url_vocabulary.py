"""The URL vocabulary every package uses (sources.urls): host, registrable domain, parts of a URL,
canonical URL, tracking parameters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sources.urls import (
    canonical_url,
    host_of,
    is_tracking_parameter,
    registrable_domain_of,
    split_url,
    split_url_whatwg,
)


def test_host_as_a_browser_reads_it() -> None:
    assert host_of("https://www.paris.fr./actualites") == "www.paris.fr"
    assert host_of("HTTPS://WWW.Paris.FR:443/x") == "www.paris.fr"
    assert host_of("https://evil.com\\@www.service-public.fr/") == "evil.com"
    assert host_of("www.paris.fr/x") == "www.paris.fr"
    assert host_of("javascript:alert(1)") is None and host_of("https://127.0.0.1/") is None
    assert registrable_domain_of("https://a.b.paris.fr/") == "paris.fr"


def test_one_tracking_list() -> None:
    for name in ("utm_source", "UTM_Campaign", "mtm_kwd", "xtor", "gclid", "fbclid", "PHPSESSID",
                 "jsessionid", "pk_campaign", "at_medium"):
        assert is_tracking_parameter(name), name
    for name in ("q", "id", "pk", "utm", "page", "side"):
        assert not is_tracking_parameter(name), name


def test_canonical_url() -> None:
    assert canonical_url("https://WWW.Mairie.fr./a?b=2&utm_source=x&a=1&PHPSESSID=z#top") \
        == "https://www.mairie.fr/a?a=1&b=2"
    assert canonical_url("https://www.mairie.fr") == "https://www.mairie.fr/"
    assert canonical_url("https://travail-emploi.gouv.fr:80a/page") is None


segment = st.text(st.sampled_from("abcXYZ019-._~%!$&'()*+,;=:@ \"<>`{}\\é/"), max_size=8)
plain_hosts = st.sampled_from(["caf.fr", "www.caf.fr", "caf.fr.", "a-b.gouv.fr", "x1.eu"])


@given(st.sampled_from(["http", "https"]), plain_hosts, st.lists(segment, max_size=4),
       st.one_of(st.none(), segment), st.one_of(st.none(), segment))
def test_the_quick_cut_is_the_parser_s(scheme: str, host: str, path: list[str], query: str | None,
                                       fragment: str | None) -> None:
    url = f"{scheme}://{host}" + "".join("/" + p for p in path)
    url += "" if query is None else "?" + query
    url += "" if fragment is None else "#" + fragment
    assert split_url(url) == split_url_whatwg(url), url
