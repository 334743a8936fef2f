from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ranking.canonical import result_key
from sources.urls import is_tracking_parameter


@pytest.mark.parametrize("a, b", [
    ("https://www.caf.fr/aides/", "http://caf.fr/aides"),
    ("https://CAF.fr/aides", "https://caf.fr/aides#haut"),
    ("https://caf.fr:443/aides", "http://caf.fr:80/aides"),
    ("https://caf.fr/a?utm_source=g&utm_medium=cpc&id=3", "https://caf.fr/a?id=3"),
    ("https://caf.fr/a?id=3&gclid=x&fbclid=y&msclkid=z", "https://caf.fr/a?id=3"),
    ("https://caf.fr/a?xtor=RSS-1&b=2&a=1", "https://caf.fr/a?a=1&b=2"),
    ("https://caf.fr/a?pk_campaign=x&mtm_source=y", "https://caf.fr/a"),
    ("https://caf.fr/?", "https://caf.fr"),
])
def test_same_page_same_key(a: str, b: str) -> None:
    assert result_key(a) == result_key(b)


@pytest.mark.parametrize("a, b", [
    ("https://caf.fr/a", "https://caf.fr/b"),
    ("https://caf.fr/a?id=3", "https://caf.fr/a?id=4"),
    ("https://caf.fr/a?pk=3", "https://caf.fr/a?pk=4"),  # ``pk`` alone is a real id
    ("https://caf.fr/a", "https://caf.fr.evil.com/a"),
    ("https://caf.fr/A", "https://caf.fr/a"),  # paths are case-sensitive
    ("https://www2.caf.fr/a", "https://caf.fr/a"),
])
def test_different_pages_different_keys(a: str, b: str) -> None:
    assert result_key(a) != result_key(b)


def test_tracking_parameter_names() -> None:
    assert is_tracking_parameter("UTM_Source")
    assert is_tracking_parameter("xtor")
    assert not is_tracking_parameter("q")
    assert not is_tracking_parameter("utm")


def test_non_web_urls_are_their_own_key() -> None:
    assert result_key("javascript:alert(1)") == "javascript:alert(1)"
    assert result_key("") == ""


label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
# a top-level label starts with a letter: ``a.0`` is no domain (browsers read it as an IPv4 address)
top = st.from_regex(r"[a-z]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
hosts = st.tuples(st.lists(label, min_size=1, max_size=3), top).map(lambda p: ".".join([*p[0], p[1]]))
segment = st.from_regex(r"[A-Za-z0-9._~%-]{1,12}", fullmatch=True)
paths = st.lists(segment, max_size=4).map(lambda s: "/" + "/".join(s))
params = st.lists(st.tuples(st.from_regex(r"[a-z]{1,6}", fullmatch=True).filter(
    lambda n: not is_tracking_parameter(n)), st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True)),
    max_size=4, unique_by=lambda p: p[0])
tracking = st.lists(st.sampled_from(["utm_source", "utm_campaign", "gclid", "fbclid", "xtor",
                                     "mtm_kwd", "msclkid"]), max_size=3)


@given(hosts, paths, params, tracking, st.booleans(), st.booleans(), st.booleans())
def test_variants_collapse(host: str, path: str, query: list[tuple[str, str]], extra: list[str],
                           https: bool, www: bool, slash: bool) -> None:
    plain = f"https://{host}{path}" + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
    pairs = [*reversed(query), *((name, "x") for name in extra)]
    variant = (f"{'https' if https else 'http'}://{'www.' if www else ''}{host.upper()}{path}"
               + ("/" if slash and not path.endswith("/") else "")
               + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "") + "#frag")
    assert result_key(variant) == result_key(plain)


@given(st.text(max_size=200))
def test_never_raises(text: str) -> None:
    assert isinstance(result_key(text), str)


@given(st.text(max_size=30), st.text(max_size=30), st.sampled_from(["utm_source", "xtor", "gclid", "q"]),
       st.text(max_size=30))
def test_never_raises_on_odd_queries(host: str, path: str, name: str, value: str) -> None:
    url = f"https://{host}/{path}?{name}={value}&{value}={name}&%zz&=&&#{path}"
    key = result_key(url)
    assert isinstance(key, str)
    assert result_key(url.replace("https://", "http://", 1)) == key
