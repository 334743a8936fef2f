"""The shared vectors hold for the Python classifier (the extension's tests read the same file)."""

from __future__ import annotations

import json

import pytest

from sources.trustlist import build_payload
from tests.extension import vectors

EXPECTED = json.loads(vectors.VECTORS.read_text("utf-8"))["vectors"]


@pytest.mark.parametrize("expected", EXPECTED, ids=[v["url"][:60] for v in EXPECTED])
def test_python_classifier_gives_the_shared_answer(expected: dict) -> None:
    assert vectors.registry().classify(expected["url"]).to_dict() == expected


def test_vectors_cover_every_url_of_the_generator() -> None:
    assert [v["url"] for v in EXPECTED] == vectors.URLS


def test_committed_trustlist_is_compiled_from_the_vector_registry() -> None:
    committed = json.loads(vectors.TRUSTLIST.read_text("utf-8"))
    assert json.loads(committed["payload"]) == json.loads(
        json.dumps(build_payload(vectors.registry()), ensure_ascii=False)
    ), "run: python -m tests.extension.vectors --write"
    assert committed == vectors.trustlist()
