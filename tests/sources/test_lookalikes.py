"""Property-based: random look-alikes of listed domains are never trusted,
and the fast path for plain URLs always agrees with the WHATWG parser."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sources import Classifier
from sources.urls import fast_host, parse_host, parse_host_whatwg

from .conftest import LISTED

TRUSTED_HOSTS = sorted(h for h in LISTED if h not in {
    "facebook.com", "www.facebook.com", "wordpress.com", "mairie.orange.fr", "wixsite.com",
})
#: a look-alike inside a restricted zone (``0ain.gouv.fr``) is a state host: legitimately trusted
BUILTIN = Classifier()
EVIL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
HOMOGLYPHS = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441", "i": "\u0456"}


def _lookalike(host: str, evil: str, kind: int) -> str:
    stem = host.split(".")[0]
    if kind == 0:
        return f"{evil}{host}"  # glued prefix: evilparis.fr
    if kind == 1:
        return f"{host}.{evil}.com"  # paris.fr.evil.com
    if kind == 2:
        return host.replace(".", "-", 1) + ".com"  # paris-fr.com
    if kind == 3:
        return f"{stem}-{evil}.{host.split('.', 1)[1] if '.' in host else 'fr'}"  # paris-evil.fr
    if kind == 4:
        return host.rsplit(".", 1)[0] + ".com" if not host.endswith(".com") else host[:-4] + ".net"
    if kind == 5:  # one homoglyph substituted
        for latin, cyrillic in HOMOGLYPHS.items():
            if latin in stem:
                return host.replace(latin, cyrillic, 1)
        return f"{evil}.{evil}"
    return f"{host}{evil}.fr"  # paris.frevil.fr


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TRUSTED_HOSTS), EVIL, st.integers(0, 6), st.sampled_from(["http", "https"]))
def test_lookalikes_are_never_trusted(classifier: Classifier, host: str, evil: str, kind: int,
                                      scheme: str) -> None:
    fake = _lookalike(host, evil, kind)
    assume(fake != host and not fake.endswith("." + host))
    assume(not BUILTIN.classify(f"{scheme}://{fake}/").trusted)
    result = classifier.classify(f"{scheme}://{fake}/").to_dict()
    assert result["trusted"] is False, (fake, result)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TRUSTED_HOSTS), EVIL,
       st.sampled_from(["{t}@{e}", "{t}:x@{e}", "{e}\\@{t}", "{e}#@{t}", "{e}?@{t}", "{e}\\\\{t}",
                        "{e}/{t}", "{t}%40{e}", "{t}%2F@{e}"]))
def test_userinfo_and_delimiter_tricks_are_never_trusted(classifier: Classifier, host: str, evil: str,
                                                          pattern: str) -> None:
    url = "https://" + pattern.format(t=host, e=f"{evil}.com") + "/"
    result = classifier.classify(url)
    assert result.trusted is False, (url, result.to_dict())


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TRUSTED_HOSTS), EVIL, st.sampled_from(["{e}%2F@{t}", "{e}:80@{t}", "{e}@{t}"]))
def test_userinfo_before_a_listed_host_goes_to_that_host(classifier: Classifier, host: str, evil: str,
                                                         pattern: str) -> None:
    # the browser connects to what follows the last '@': the listed host
    url = "https://" + pattern.format(t=host, e=f"{evil}.com") + "/"
    assert classifier.classify(url).host == host


URLISH = st.text(
    alphabet=st.sampled_from(list("abcdefxyz019-._~:/?#@\\%[]!$&'()*+,;= \t\nABCXN") + ["\u00e9", "\uff41"]),
    max_size=40,
)


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["", "http://", "https://", "HTTP://", "http:/", "//"]), URLISH)
def test_fast_path_agrees_with_the_whatwg_parser(prefix: str, rest: str) -> None:
    url = prefix + rest
    fast = fast_host(url)
    if fast is not None:
        assert parse_host_whatwg(url).host == fast, url
    parse_host(url)  # never raises


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TRUSTED_HOSTS), st.lists(EVIL, max_size=3), URLISH)
def test_subdomains_and_paths_of_listed_hosts_stay_trusted(classifier: Classifier, host: str,
                                                           labels: list[str], path: str) -> None:
    full = ".".join([*labels, host])
    url = f"https://{full}/{path.replace('#', '').replace('?', '')}"
    if not ("\t" in path or "\n" in path):
        assert classifier.classify(url).trusted, url
