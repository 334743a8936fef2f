"""The registrable domain by the whole PSL, checked on the PSL project's own test cases.

``data/test_psl.txt`` is ``tests/test_psl.txt`` of github.com/publicsuffix/list
(public domain, CC0), as shipped in the publicsuffixlist package.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from publicsuffixlist import PublicSuffixList

from sources import psl
from sources.hosts import to_ascii_host

CASES = re.findall(
    r"^checkPublicSuffix\((null|'[^']*'), (null|'[^']*')\);",
    (Path(__file__).parent / "data" / "test_psl.txt").read_text("utf-8"),
    re.MULTILINE,
)


def _unquote(value: str) -> str | None:
    return None if value == "null" else value.strip("'")


def test_the_psl_test_file_was_read() -> None:
    assert len(CASES) > 60


@pytest.mark.parametrize(("domain", "expected"), CASES)
def test_psl_project_cases(domain: str, expected: str) -> None:
    given_domain, want = _unquote(domain), _unquote(expected)
    if given_domain is None:
        return  # null input: our API takes strings only
    host = to_ascii_host(given_domain) if not given_domain.startswith(".") else given_domain.lower()
    got = psl.registrable_domain(host)
    assert got == (to_ascii_host(want) if want else None)


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("belpech.wixsite.com", "belpech.wixsite.com"),  # private section counts
        ("wixsite.com", None),
        ("socialgouv.github.io", "socialgouv.github.io"),
        ("ain.gouv.fr", "ain.gouv.fr"),
        ("www.interieur.gouv.fr", "interieur.gouv.fr"),
        ("gouv.fr", None),
        ("www.paris.fr", "paris.fr"),
        ("x.service.gov.uk", "x.service.gov.uk"),
        ("universita.corsicafr", "universita.corsicafr"),  # upstream typo: unlisted TLD
    ],
)
def test_known_domains(host: str, expected: str | None) -> None:
    assert psl.registrable_domain(host) == expected


REFERENCE = PublicSuffixList()
_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?", fullmatch=True)
_suffixes = st.sampled_from(sorted(psl.bundled_rules()))


@settings(max_examples=600, deadline=None)
@given(st.lists(_label, min_size=0, max_size=3), _suffixes)
def test_agrees_with_publicsuffixlist(labels: list[str], suffix: str) -> None:
    host = ".".join([*labels, suffix])
    reference = REFERENCE.privatesuffix(host)
    assert psl.registrable_domain(host) == reference
