"""The body of ``POST /api/classify`` built from cached fragments (``service/classify_wire.py``)
and its compiled loop (``service/_wire.pyx``) against the plain way: one ``classify`` and one
``to_dict`` per URL, serialised by orjson.  Byte for byte, on hostile and generated URLs."""

from __future__ import annotations

import string
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from service import classify_wire
from service.classify_wire import ClassifyRenderer, checked_urls
from service.models import MAX_URL_LENGTH, MAX_URLS, ClassifyRequest
from sources import Classifier, Registry
from sources.urls import match_plain

_wire = classify_wire._compiled
SETTINGS = settings(max_examples=300, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: hosts the registries of these tests trust (list, curator, zone) and some they do not
HOSTS = ["www.lyon.fr", "lyon.fr", "www.caf.fr", "impots.gouv.fr", "www.service-public.fr",
         "www.ameli.fr", "mairie-exemple.fr", "www.univ-exemple.fr", "mit.edu", "www.ox.ac.uk",
         "sub.domain.gouv.fr", "evil.example.com", "gouv.fr.evil.com", "example.org", "localhost",
         "a", "a.b", "x.fr", "1.fr", "fr", "com", "0x7f.1", "127.0.0.1", "www.lyon.fr.",
         "www..lyon.fr", "xn--mairie-e9a.fr", "-lyon.fr", "lyon-.fr", "lyon.fr-", "a.1", "a.b1"]

HOSTILE = [
    "", " ", "pas une url", "javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>",
    "mailto:a@lyon.fr", "www.lyon.fr", "www.lyon.fr/path", "//www.lyon.fr/", "lyon.fr",
    "http://", "https://", "http:/www.lyon.fr/", "https:www.lyon.fr", "http:\\\\www.lyon.fr\\x",
    "https://www.lyon.fr", "https://www.lyon.fr/", "http://www.lyon.fr/", "https://lyon.fr/",
    "HTTPS://WWW.LYON.FR/", "https://WWW.Lyon.fr/x", "Https://www.lyon.fr/", "hTTp://www.lyon.fr/",
    "https://www.lyon.fr:443/", "https://www.lyon.fr:8080/x", "https://www.lyon.fr:/",
    "https://user:pass@www.lyon.fr/", "https://www.lyon.fr@evil.example.com/",
    "https://evil.example.com@www.lyon.fr/", "https://www.lyon.fr\\@evil.example.com/",
    "https://www.lyon.fr\\x", "https:\\\\www.lyon.fr\\", "https://www.lyon.fr./", "https://www.lyon.fr../",
    "https://www..lyon.fr/", "https://.www.lyon.fr/", "https://www.lyon.fr/../../etc",
    "https://www.lyon.fr/a/../b", "https://xn--mairie-e9a.fr/", "https://xn--/", "https://xn--a.fr/",
    "https://mairie-é.fr/", "https://ÉTAT.GOUV.FR/", "https://impots.gouv.fr/", "https://IMPOTS.gouv.fr/",
    "https://127.0.0.1/", "http://127.0.0.1:8000/api", "https://0x7f.0.0.1/", "https://2130706433/",
    "https://[::1]/", "https://[2001:db8::1]:443/", "https://1.2.3.4.gouv.fr/",
    "https://www.lyon.fr\t/", "https://www.ly\ton.fr/", "https://www.lyon.fr\n/", "\thttps://www.lyon.fr/",
    "https://www.lyon.fr/\r\n", " https://www.lyon.fr/ ", "https://www.lyon.fr /",
    'https://www.lyon.fr/"quoted"', "https://www.lyon.fr/a\\b", "https://www.lyon.fr/\\\\",
    "https://www.lyon.fr/\x00", "https://www.lyon.fr/\x01\x1f", "https://www.lyon.fr/\x7f",
    "https://www.lyon.fr/\u2028\u2029", "https://www.lyon.fr/é?q=ü#ß", "https://www.lyon.fr/\U0001f600",
    "https://www.lyon.fr/\ufeff", "https://www.lyon.fr?q=1", "https://www.lyon.fr#frag",
    "https://www.lyon.fr/?q=\"'<>", "https://www.lyon.fr%2f/", "https://www%2elyon.fr/",
    "https://www.lyon.fr;/", "https://www.lyon.fr,/", "https://www_lyon.fr/", "https://-www.lyon.fr/",
    "https://www.lyon.fr-/", "https://gouv.fr/", "https://fr/", "https://a/", "ftp://www.lyon.fr/",
    "ws://www.lyon.fr/", "https:///www.lyon.fr/", "https:////www.lyon.fr/", "httpss://www.lyon.fr/",
]
LONG = ["http://www.caf.fr/" + "x" * 5000, "https://" + "a" * 300 + ".fr/", "https://" + "a." * 200 + "fr/"]

HOST_CHARS = string.ascii_lowercase + string.digits + ".-"
NEAR_CHARS = HOST_CHARS + "ABZ_:@\\/?#[]% \t\n\r\x00\x7féÉ\u2028"


@pytest.fixture(scope="module")
def small_classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    """A registry of a list, curator allows and a deny (no shared data needed)."""
    data_dir = tmp_path_factory.mktemp("wire-registry")
    listed = data_dir / "communes.txt"
    listed.write_text("mairie-exemple.fr\nwww.lyon.fr\n", encoding="utf-8")
    with Registry(data_dir) as registry:
        registry.import_list(str(listed), "commune", "test-communes")
        registry.allow("www.caf.fr", "test", "etat", 'Caisse "d\'allocations" \\ familiales')
        registry.allow("www.ameli.fr", "test", "sante", "Assurance maladie\u2028é")
        registry.deny("evil.example.com", "test")
        return registry.classifier()


@pytest.fixture(params=["small", "full"])
def classifier(request: pytest.FixtureRequest, small_classifier: Classifier) -> Classifier:
    """The small registry, and every list of ../shared (skipped when absent)."""
    if request.param == "small":
        return small_classifier
    return request.getfixturevalue("full_classifier")


def expected(classifier: Classifier, urls: list[str]) -> tuple[bytes, int]:
    results = [classifier.classify(u) for u in urls]
    return (orjson.dumps({"results": [r.to_dict() for r in results]}),
            sum(1 for r in results if r.trusted))


def assert_same(renderer: ClassifyRenderer, urls: list[str]) -> None:
    want = expected(renderer.classifier, urls)
    assert renderer.render_python(urls) == want
    assert renderer.render(urls) == want


def near_urls() -> st.SearchStrategy[str]:
    """Strings that look like URLs: scheme-ish prefix, host-ish characters, a separator, a tail."""
    prefix = st.sampled_from(["http://", "https://", "HTTP://", "Https://", "http:/", "https:",
                              "http:\\\\", "https:///", "httpx://", "htt", "", "//", " https://"])
    host = st.one_of(st.sampled_from(HOSTS), st.text(HOST_CHARS, max_size=20),
                     st.text(NEAR_CHARS, max_size=12))
    sep = st.sampled_from(["", "/", "?", "#", ":", ":443", "@", "\\", ".", "..", " ", "\t", "/x", "?q=1"])
    tail = st.one_of(st.just(""), st.text(max_size=15), st.text(NEAR_CHARS, max_size=15))
    return st.builds(lambda *parts: "".join(parts), prefix, host, sep, tail)


any_url = st.one_of(near_urls(), st.sampled_from(HOSTILE), st.text(max_size=30))


def test_the_compiled_loop_is_in_use() -> None:
    """A failed build must not silently fall back to the Python loop."""
    assert classify_wire._compiled is not None
    assert Path(_wire.__file__).suffix in {".so", ".pyd"}


def test_hostile_urls_give_the_same_bytes(classifier: Classifier) -> None:
    renderer = ClassifyRenderer(classifier)
    assert_same(renderer, HOSTILE + LONG)
    for url in HOSTILE + LONG:  # alone, and after the cache has seen its host
        assert_same(renderer, [url])
        assert_same(ClassifyRenderer(classifier), [url, url])
    assert_same(renderer, HOSTILE[::-1])
    assert_same(renderer, [])
    assert renderer.render([]) == (b'{"results":[]}', 0)
    assert expected(classifier, HOSTILE)[1] > 0  # the lists do trust some of them


def test_hosts_of_the_registry_give_the_same_bytes(classifier: Classifier) -> None:
    urls = [f"{scheme}://{host}{tail}" for scheme in ("http", "https", "HTTPS") for host in HOSTS
            for tail in ("", "/", "/x?y#z", ":8080/", "?q")]
    renderer = ClassifyRenderer(classifier)
    assert_same(renderer, urls)
    assert_same(renderer, urls)


@SETTINGS
@given(urls=st.lists(any_url, max_size=30))
def test_generated_lists_give_the_same_bytes(small_classifier: Classifier, urls: list[str]) -> None:
    assert_same(ClassifyRenderer(small_classifier), urls)


@SETTINGS
@given(urls=st.lists(any_url, max_size=30))
def test_generated_lists_give_the_same_bytes_with_every_list(full_classifier: Classifier,
                                                             urls: list[str]) -> None:
    renderer = ClassifyRenderer(full_classifier)
    assert_same(renderer, urls)
    assert_same(renderer, urls)  # the second time from the cache


@settings(max_examples=3000, deadline=None, database=None)
@given(url=st.one_of(near_urls(), st.sampled_from(HOSTILE), st.text(max_size=20),
                     st.text(NEAR_CHARS, max_size=20)))
@example("http://a")
@example("https://")
@example("https:/")
@example("http://")
@example("https://a")
@example("https://a/")
@example("http://\n")
@example("http://a\n")
@example("https://www.lyon.fr\n")
@example("httpsx://a")
@example("http:/a/b")
def test_written_host_matches_the_regular_expression(url: str) -> None:
    match = match_plain(url)
    assert _wire.written_host(url) == (match[1] if match else None)


def test_written_host_on_every_short_string() -> None:
    """Exhaustive near the edges the hand scanner checks (lengths 0 to 10)."""
    seeds = ["http://", "https://", "http:/", "https:/", "http:", "https:"]
    for seed in seeds:
        for tail in ["", "a", "A", "/", "a/", "a.", "-", ".", "a?", "a#", "a\n", "aa", "a:", "0", "é"]:
            url = seed + tail
            match = match_plain(url)
            assert _wire.written_host(url) == (match[1] if match else None), url
            for cut in range(len(url) + 1):
                match = match_plain(url[:cut])
                assert _wire.written_host(url[:cut]) == (match[1] if match else None), url[:cut]


# -- checked_urls -------------------------------------------------------------------------

def pydantic_urls(body: bytes) -> list[str] | None:
    try:
        return ClassifyRequest.model_validate_json(body).urls
    except ValidationError:
        return None


REJECTED = [
    b"", b"null", b"[]", b'"urls"', b"{}", b'{"urls": null}', b'{"urls": "https://a.fr/"}',
    b'{"urls": {"a": 1}}', b'{"urls": [1]}', b'{"urls": ["a", null]}', b'{"urls": [["a"]]}',
    b'{"urls": ["a"], "extra": 1}', b'{"URLS": ["a"]}', b'{"urls": [', b"{'urls': ['a']}",
    b'{"urls": ["\\ud800"]}', b'{"urls": ["a"]} x', b"\xff\xfe",
    orjson.dumps({"urls": ["a"] * (MAX_URLS + 1)}),
    orjson.dumps({"urls": ["x" * (MAX_URL_LENGTH + 1)]}),
]

ACCEPTED = [
    b'{"urls": []}', b'{"urls": ["a"]}', b' {"urls" : [ "https://www.lyon.fr/" ] } ',
    orjson.dumps({"urls": ["a"] * MAX_URLS}), orjson.dumps({"urls": ["x" * MAX_URL_LENGTH]}),
    orjson.dumps({"urls": ["é" * MAX_URL_LENGTH, "\U0001f600" * 10, ""]}),
    orjson.dumps({"urls": HOSTILE + LONG}),
]


@pytest.fixture(params=["compiled", "python"])
def implementation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """``checked_urls`` with its compiled check, and without (an install with no C compiler)."""
    if request.param == "python":
        monkeypatch.setattr(classify_wire, "_compiled", None)
    return str(request.param)


@pytest.mark.parametrize("body", ACCEPTED)
def test_checked_urls_accepts_what_pydantic_accepts(implementation: str, body: bytes) -> None:
    urls = checked_urls(body)
    assert urls is not None
    assert urls == pydantic_urls(body) == orjson.loads(body)["urls"]


@pytest.mark.parametrize("body", REJECTED)
def test_checked_urls_leaves_rejected_bodies_to_pydantic(implementation: str, body: bytes) -> None:
    assert pydantic_urls(body) is None
    assert checked_urls(body) is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1)  # orjson's range
    | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)
bodies = st.one_of(
    st.builds(lambda urls: orjson.dumps({"urls": urls}), st.lists(any_url, max_size=20)),
    st.builds(lambda urls: orjson.dumps({"urls": urls}), st.lists(json_values, max_size=5)),
    st.builds(lambda d: orjson.dumps(d), st.dictionaries(st.sampled_from(["urls", "url", "x"]),
                                                          json_values, max_size=3)),
    st.builds(lambda v: orjson.dumps(v), json_values),
    st.binary(max_size=40),
    st.builds(lambda urls, cut: orjson.dumps({"urls": urls})[:cut], st.lists(any_url, max_size=3),
              st.integers(0, 40)),
)


@settings(max_examples=1000, deadline=None, database=None)
@given(body=bodies)
@example(b'{"urls": ["a"], "urls": ["b"]}')
@example(b'{"urls": [], "urls": [1]}')
@example(b'{"urls": [1], "urls": []}')
@example(b'{"urls": ["a"], "urls": ["b"], "x": 1}')
@example(b'\xef\xbb\xbf{"urls": ["a"]}')
@example(b'{"urls": ["a"]}\n')
@example(b'{"urls": [NaN]}')
@example(b'{"urls": ["\\u0000\\u2028\\"\\\\"]}')
@example(b'{"urls": ["\xc3\x28"]}')
@example(b'{"ur\\u006cs": ["a"]}')
def test_checked_urls_never_accepts_what_pydantic_rejects(body: bytes) -> None:
    urls = checked_urls(body)
    if urls is not None:
        assert ClassifyRequest.model_validate_json(body).urls == urls
    compiled, classify_wire._compiled = classify_wire._compiled, None
    try:
        assert checked_urls(body) == urls  # the Python check agrees with the compiled one
    finally:
        classify_wire._compiled = compiled


# -- the cache --------------------------------------------------------------------------

def test_a_full_cache_starts_again_and_keeps_answering(small_classifier: Classifier) -> None:
    renderer = ClassifyRenderer(small_classifier, max_hosts=3)
    urls = [f"https://{host}/p{i}" for i in range(4) for host in HOSTS]
    for _ in range(3):
        assert_same(renderer, urls)
        assert len(renderer._by_host) <= 3
    for start in range(0, len(urls), 5):  # batches smaller and larger than the cache
        assert_same(renderer, urls[start:start + 5])


@SETTINGS
@given(urls=st.lists(any_url, max_size=40))
def test_a_tiny_cache_gives_the_same_bytes(small_classifier: Classifier, urls: list[str]) -> None:
    assert_same(ClassifyRenderer(small_classifier, max_hosts=2), urls)


def test_for_classifier_keeps_one_renderer_per_classifier(small_classifier: Classifier,
                                                          registry: Registry) -> None:
    renderer = ClassifyRenderer(small_classifier, max_hosts=5)
    assert renderer.for_classifier(small_classifier) is renderer
    renderer.render(["https://www.lyon.fr/"])
    registry.allow("evil.example.com", "changed its mind", "etat", "Plus si méchant")
    other = registry.classifier()
    fresh = renderer.for_classifier(other)
    assert fresh is not renderer and fresh.classifier is other
    assert fresh._max_hosts == 5 and not fresh._by_host
    urls = ["https://evil.example.com/", "https://www.lyon.fr/"]
    assert_same(renderer, urls)
    assert_same(fresh, urls)
    assert orjson.loads(fresh.render(urls)[0])["results"][0]["trusted"] is True
    assert orjson.loads(renderer.render(urls)[0])["results"][0]["trusted"] is False


def test_hosts_longer_than_dns_allows_are_answered_but_never_kept(small_classifier: Classifier) -> None:
    # an 8 KB written host per cache entry would let a few requests fill gigabytes
    renderer = ClassifyRenderer(small_classifier)
    long_host = ".".join(["a" * 60] * 5) + ".fr"  # 308 characters
    urls = [f"https://{long_host}/", "https://www.lyon.fr/"]
    for implementation in (renderer.render, renderer.render_python):
        assert implementation(urls) == expected(small_classifier, urls)
    assert long_host not in renderer._by_host
    assert "www.lyon.fr" in renderer._by_host
    small_classifier.classify(urls[0])
    assert long_host not in small_classifier._cache
