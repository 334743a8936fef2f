"""``sources._plain`` (compiled) gives the answers of the Python ``fast_host`` and ``written_host``."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sources import urls
from sources.urls import fast_host_py, written_host_py

HOSTISH = st.lists(st.sampled_from(list("abcxnz09-.") + ["..", "xn--", "A", "\u00e9"]),
                   max_size=12).map("".join)
TAIL = st.lists(st.sampled_from(list("/?#:@\\ .aZ\t\"") + ["\u00e9", "\u2028"]), max_size=8).map("".join)
PREFIX = st.sampled_from(["http://", "https://", "HTTP://", "http:/", "httpss://", "http:", "", "https:///",
                          "hxxp://", "http://www."])

HANDPICKED = [
    "https://www.service-public.fr/x", "http://a.fr", "https://a.fr.", "https://a..fr/", "https://xn--a.fr/",
    "https://a.xn--fr/", "https://a.1fr/", "https://1.2.3.4/", "https://fr/", "https://.fr/", "https://a.fr:443/",
    "https://a.fr#x", "https://a.fr?x", "https://a.fr\\x", "https://A.fr/", "https://a.fr/é", "https://é.fr/",
    "https://", "http://", "https:/", "", "h", "https://a.b.", "https://a.-/", "https://a.b-c.d/", "https://a./",
    "https://ab./", "https://a.fr..", "https://a.fr/\ud800", "http://xn--", "https://a.x", "https://0.a/",
]


def test_the_compiled_module_is_in_use() -> None:
    # a broken build must fail here, not pass on the slower Python functions
    assert urls.fast_host is not fast_host_py
    assert urls.written_host is not written_host_py
    assert urls.fast_host.__module__ == "sources._plain"


@pytest.mark.parametrize("url", HANDPICKED)
def test_handpicked(url: str) -> None:
    assert urls.fast_host(url) == fast_host_py(url)
    assert urls.written_host(url) == written_host_py(url)


@settings(max_examples=3000, deadline=None)
@given(PREFIX, HOSTISH, TAIL, TAIL)
@example("https://", "a.b", "/", "")
def test_generated(prefix: str, host: str, sep: str, rest: str) -> None:
    url = prefix + host + sep + rest
    assert urls.fast_host(url) == fast_host_py(url), url
    assert urls.written_host(url) == written_host_py(url), url


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_any_text(text: str) -> None:
    for url in (text, "https://" + text, "http://a" + text):
        assert urls.fast_host(url) == fast_host_py(url), url


@pytest.mark.parametrize("value", [None, 3, b"https://a.fr/", ["https://a.fr/"]])
def test_what_is_not_a_string_raises_type_error_as_the_pattern_does(value: object) -> None:
    with pytest.raises(TypeError):
        fast_host_py(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        urls.fast_host(value)  # type: ignore[arg-type]
