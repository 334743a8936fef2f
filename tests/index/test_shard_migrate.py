"""Reading every page back for ``sdc index reshard`` (issue 18): in slices of the URLs' uid, so that
a 10M-page index's addresses are never all held at once; every live page once, deleted ones never."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from index import shard_migrate, shards
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Classifier
from tests.index.conftest import DOCS, indexed
from tests.index.test_shard_copies import COPIES, ORIGINALS


@pytest.mark.parametrize("count", [0, 3])
def test_every_live_page_is_read_once_in_slices(tmp_path: Path, classifier: Classifier,
                                                monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    path = tmp_path / "index"
    if count:
        shards.create(path, count)
    indexed(path, classifier, ORIGINALS + COPIES)
    with IndexWriter(path, classifier) as writer:
        writer.delete_url(DOCS[0].url)
    monkeypatch.setattr(shard_migrate, "SLICE", 4)  # many slices of a few pages
    read = Counter(page.url for page in shard_migrate.stored_pages(path))
    assert set(read.values()) == {1}
    assert set(read) == {doc.url for doc in ORIGINALS + COPIES} - {DOCS[0].url}
    counts = shard_migrate.reshard(path, 2, classifier)
    assert counts["added"] == len(read) and Searcher(path).count() == len(read)
