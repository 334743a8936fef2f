"""The extension's classifier gives the Python classifier's answer on real data.

The trust list is compiled from every list of ../shared; the URLs are the
corpus pages, the links they contain, and every registry host with a
subdomain in front.  ``extension/scripts/classify.js`` classifies them with the
extension's own code, under node.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
import subprocess
from pathlib import Path

from sources import Classifier
from sources.trustlist import write_trustlist

#: enough to meet every kind of host of the corpus, small enough for a few seconds
MAX_LINKS = 40_000


def corpus_urls(corpus_file: Path) -> list[str]:
    urls: list[str] = []
    links: list[str] = []
    with gzip.open(corpus_file, "rt", encoding="utf-8") as lines:
        for line in lines:
            doc = json.loads(line)
            urls.append(doc["url"])
            for link in doc.get("links") or ():
                links.append(link if isinstance(link, str) else str(link.get("url", "")))
    return urls + list(itertools.islice(dict.fromkeys(links), MAX_LINKS))


def registry_urls(classifier: Classifier) -> list[str]:
    hosts = [key for key, node in classifier._nodes.items() if node.entry or node.zone]  # noqa: SLF001
    return [f"https://{prefix}{host}/" for host in hosts for prefix in ("", "www.", "a.b.")]


#: pieces of URLs that exercise both parsers' corners (schemes, userinfo, IDN, IPs, ports...)
SCHEMES = ["http://", "https://", "HTTPS://", "", "//", "ftp://", "javascript:", "mailto:", "foo.bar://",
           "http:"]
USERINFO = ["", "", "", "user:pw@", "evil.com\\@", "@"]
HOSTS = ["www.paris.fr", "paris.fr.", "PARIS.FR", "xn--mlanie-bva.fr", "mélanie.fr", "www.pаris.fr",
         "xn--pris-53d.fr", "0x7f.1", "127.0.0.1", "1.2.3", "[::1]", "localhost", "a..b.fr",
         "ｗｗｗ.paris.fr", "www%2Eparis.fr", "gouv.fr", "www.interieur.gouv.fr", "x.wixsite.com",
         "wixsite.com", "www.wixsite.com",
         "a.b.kobe.jp", "city.kobe.jp", "www.ck", "a.b.ck", "123.fr", "a.123", "paris.fr:8080", "-a.fr",
         "a_b.paris.fr", "www.facebook.com", "x.free.fr", "nasa.gov", "EC.EUROPA.EU", "a.b.c.d.e.gouv.fr.",
         "xn--80ak6aa92e.com", "münchen.de", "exa mple.fr", "paris.fr.."]
TAILS = ["", "/", "/x?q=1", "#f", "?a", "\t/x", " ", ":443/", ":99999/", "\\x", "/a b"]
PADS = ["", "", " ", "\n", "\t", "\x00"]


def generated_urls(count: int, seed: int = 8) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(PADS) + rng.choice(SCHEMES) + rng.choice(USERINFO) + rng.choice(HOSTS)
            + rng.choice(TAILS) + rng.choice(PADS) for _ in range(count)]


def run_node(node: str, extension_dir: Path, listing: Path, urls: list[str]) -> list[dict]:
    done = subprocess.run(
        [node, str(extension_dir / "scripts" / "classify.js"), str(listing)],
        input="\n".join(json.dumps(u) for u in urls) + "\n",
        capture_output=True, text=True, check=True, timeout=120,
    )
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(answers) == len(urls)
    return answers


def test_extension_parses_tricky_urls_as_python_does(node: str, extension_dir: Path, tmp_path: Path) -> None:
    classifier = Classifier()
    listing = tmp_path / "trustlist.json"
    write_trustlist(classifier, listing)
    urls = generated_urls(4000)
    answers = run_node(node, extension_dir, listing, urls)
    differences = [(url, answer, expected) for url, answer in zip(urls, answers, strict=True)
                   if answer != (expected := classifier.classify(url).to_dict())]
    assert not differences[:5], f"{len(differences)} of {len(urls)} URLs differ"
    assert 0 < sum(a["trusted"] for a in answers) < len(answers)


def test_extension_agrees_with_python_on_real_data(
    node: str, extension_dir: Path, full_classifier: Classifier, corpus_file: Path, tmp_path: Path
) -> None:
    listing = tmp_path / "trustlist.json"
    write_trustlist(full_classifier, listing)
    urls = corpus_urls(corpus_file) + registry_urls(full_classifier)
    answers = run_node(node, extension_dir, listing, urls)
    differences = [
        (url, answer, expected)
        for url, answer in zip(urls, answers, strict=True)
        if answer != (expected := full_classifier.classify(url).to_dict())
    ]
    assert not differences[:5], f"{len(differences)} of {len(urls)} URLs differ"
    assert sum(a["trusted"] for a in answers) > 1000
