"""The Public Suffix List's own test cases, through the classifier the service uses.

Source: ``tests/test_psl.txt`` of https://github.com/publicsuffix/list (public domain, CC0),
commit e8c9a2b2b2856b6449999dd0ec0d118f364ed0cd (2026-08-19); identical to the copy in
``data/test_psl.txt`` that ``test_psl.py`` runs against ``sources.psl``.  Here every case is
asked of ``Classifier.classify_host`` (normalised hosts) and ``Classifier.classify`` (the
same name in a URL), leading-dot inputs included: a name DNS cannot hold has no
registrable domain and is never trusted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sources import Classifier
from sources.hosts import to_ascii_host

CASES = [(None if d == "null" else d.strip("'"), None if e == "null" else e.strip("'"))
         for d, e in re.findall(r"^checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);",
                                (Path(__file__).parent / "data" / "test_psl.txt").read_text("utf-8"),
                                re.MULTILINE)]


def test_every_case_was_read() -> None:
    assert len(CASES) >= 70 and any(d and d.startswith(".") for d, _ in CASES)


@pytest.mark.parametrize(("given", "expected"), [c for c in CASES if c[0] is not None])
def test_psl_case_through_the_classifier(classifier: Classifier, given: str, expected: str | None) -> None:
    want = to_ascii_host(expected) if expected else None
    if given.startswith(".") or ".." in given:
        verdict = classifier.classify_host(given.lower())
        assert verdict.domain is None and not verdict.trusted
        assert classifier.classify(f"https://{given}/").verdict.domain is None
        return
    host = to_ascii_host(given)
    assert classifier.classify_host(host).domain == want
    assert classifier.classify(f"https://{given}/").verdict.domain == want
