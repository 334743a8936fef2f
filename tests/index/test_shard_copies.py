"""Shards routed by copy key (issue 18): every copy of a page in one shard, so totals and facets
count documents once, as the single index does; a page whose content changes moves to its new
shard, and deletes and replacements by URL find it wherever it is."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
import tantivy

from index import schema as f
from index import shards
from index.documents import PageDocument
from index.results import SearchResults
from index.searcher import Searcher
from index.stored_page import content_hash
from index.writer import IndexWriter
from sources import Classifier
from tests.index.conftest import DOCS, indexed

COUNT = 3
#: pages, each with copies under other URLs, on several sites and categories
ORIGINALS = [
    *DOCS,
    *(PageDocument(f"https://www.paris.fr/pages/aide-{n}", f"Aide au logement {n}",
                   f"Une aide au logement numéro {n} versée par la ville. " + "Texte commun. " * (n % 5))
      for n in range(12)),
]
COPIES = [replace(doc, url=f"{doc.url}-copie-{k}") for n, doc in enumerate(ORIGINALS) for k in range(n % 4)]


def home(doc: PageDocument, count: int = COUNT) -> int:
    return shards.copy_route(f.same_id(content_hash(doc)), count)


def holders(path: Path, url: str) -> list[int]:
    """The shards holding a page at ``url``."""
    found = []
    for n, directory in enumerate(shards.shard_dirs(path)):
        searcher = Searcher(directory).searcher()
        query = tantivy.Query.term_query(f.build_schema(), f.URL, url)
        if searcher.search(query, 1).hits:
            found.append(n)
    return found


def groups(found: SearchResults) -> set[frozenset[str]]:
    return {frozenset([hit.url, *hit.duplicates]) for hit in found.results}


@pytest.fixture()
def both(tmp_path: Path, classifier: Classifier) -> tuple[Searcher, Searcher]:
    single = Searcher(indexed(tmp_path / "single", classifier, ORIGINALS + COPIES))
    shards.create(tmp_path / "sharded", COUNT)
    return single, Searcher(indexed(tmp_path / "sharded", classifier, ORIGINALS + COPIES))


def test_every_copy_of_a_page_is_in_the_shard_of_its_copy_key(both: tuple[Searcher, Searcher],
                                                               classifier: Classifier) -> None:
    path = both[1].path
    assert shards.route_of(path) == shards.ROUTE_COPY
    with IndexWriter(path, classifier) as writer:
        assert writer.route == shards.ROUTE_COPY
    assert len({home(doc) for doc in ORIGINALS}) == COUNT  # the pages are spread over every shard
    for doc in ORIGINALS + COPIES:
        assert holders(path, doc.url) == [home(doc)], doc.url


def test_totals_and_facets_count_documents_once(both: tuple[Searcher, Searcher], tmp_path: Path,
                                                classifier: Classifier) -> None:
    single, split = both
    # the older layout, routed by URL, as a witness that these queries meet copies in several shards
    shards.create(tmp_path / "by-url", COUNT, routed=shards.ROUTE_URL)
    by_url = Searcher(indexed(tmp_path / "by-url", classifier, ORIGINALS + COPIES))
    over = 0
    for query in ("aide logement", "aide logement ville", "carte grise", "allocations familiales",
                  "préfecture", "texte commun", "numéro 7", "site:paris.fr aide"):
        one, many = single.search(query, limit=50), split.search(query, limit=50)
        assert one.total > 0, query
        assert (many.total, many.facets) == (one.total, one.facets), query
        # the same documents, each with its copies (which copy stands for it is a tie of equal scores)
        assert groups(many) == groups(one), query
        over += by_url.search(query, limit=50).total - one.total
    assert over > 0
    # a category filter: the facets still count every category, each document once
    one = single.search("aide logement", category="commune")
    many = split.search("aide logement", category="commune")
    assert (many.total, many.facets) == (one.total, one.facets)


def test_a_changed_page_moves_to_its_new_shard(both: tuple[Searcher, Searcher],
                                               classifier: Classifier) -> None:
    path, documents = both[1].path, both[1].count()
    page = ORIGINALS[6]
    changed = next(replace(page, body=f"{page.body} Mise à jour {n}.") for n in range(50)
                   if home(replace(page, body=f"{page.body} Mise à jour {n}.")) != home(page))
    with IndexWriter(path, classifier) as writer:
        assert writer.add(changed) == "replaced"
        assert writer.contains(page.url)
        assert writer.counts == {"added": 0, "replaced": 1, "refused": 0, "deleted": 0}
    assert holders(path, page.url) == [home(changed)]
    searcher = Searcher(path)
    assert searcher.count() == documents
    found = searcher.search("mise à jour")
    assert [h.url for h in found.results] == [page.url] and found.total == 1
    # changed and changed back before a commit: one page, in the shard of its last content
    with IndexWriter(path, classifier, commit_seconds=0) as writer:
        assert writer.add(page) == "replaced"
        assert writer.add(changed) == "replaced"
        assert writer.add(page) == "replaced"
    assert holders(path, page.url) == [home(page)]
    assert Searcher(path).count() == documents


def test_deletes_find_the_page_in_any_shard(both: tuple[Searcher, Searcher], classifier: Classifier) -> None:
    path, documents = both[1].path, both[1].count()
    copy = COPIES[0]
    with IndexWriter(path, classifier) as writer:
        assert writer.delete_url(copy.url) == 1
        assert not writer.contains(copy.url)
        assert writer.delete_url(copy.url) == 0  # deleted already, before the commit
        assert writer.delete_url("https://www.paris.fr/absent") == 0
        assert writer.counts["deleted"] == 1
        # added again under new content, then deleted, in one batch: gone from every shard
        moved = replace(copy, body="Un tout autre texte.")
        assert writer.add(moved) == "added"
        assert writer.delete_url(copy.url) == 1
    assert holders(path, copy.url) == []
    assert Searcher(path).count() == documents - 1
    with IndexWriter(path, classifier) as writer:
        assert writer.delete_domain("paris.fr") == sum(d.url.startswith("https://www.paris.fr/")
                                                       for d in ORIGINALS + COPIES if d is not copy)
    assert Searcher(path).search("aide logement").total == 0


def test_a_refused_page_leaves_its_earlier_copy(both: tuple[Searcher, Searcher],
                                                classifier: Classifier) -> None:
    path = both[1].path
    untrusted = PageDocument("https://www.example.com/page", "Ailleurs", "Texte ailleurs.")
    with IndexWriter(path, classifier) as writer:
        assert writer.add(untrusted) == "refused"
        assert not writer.contains(untrusted.url)


def test_resharding_the_older_layout_routes_by_copy_key(tmp_path: Path, classifier: Classifier) -> None:
    from index.shard_migrate import reshard

    path = tmp_path / "index"
    shards.create(path, COUNT, routed=shards.ROUTE_URL)
    indexed(path, classifier, ORIGINALS + COPIES)
    counts = reshard(path, 2, classifier)
    assert counts["added"] == len(ORIGINALS + COPIES)
    assert shards.route_of(path) == shards.ROUTE_COPY and shards.shard_count(path) == 2
    for doc in ORIGINALS + COPIES:
        assert holders(path, doc.url) == [home(doc, 2)]


def test_threads_writing_one_url_leave_one_page(tmp_path: Path, classifier: Classifier) -> None:
    path = tmp_path / "index"
    shards.create(path, COUNT)
    urls = [f"https://www.paris.fr/pages/fil-{n}" for n in range(20)]

    def write(thread: int) -> None:
        for url in urls:
            writer.add(PageDocument(url, "Un fil", f"Texte écrit par le fil {thread} pour {url}."))

    with IndexWriter(path, classifier, commit_seconds=0.05) as writer:
        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(len(holders(path, url)) == 1 for url in urls)
    assert Searcher(path).count() == len(urls)


def test_a_page_left_in_two_shards_is_shown_once(tmp_path: Path, classifier: Classifier) -> None:
    from index.directory_writer import DirectoryWriter

    path = tmp_path / "index"
    shards.create(path, COUNT)
    page = ORIGINALS[6]
    changed = next(replace(page, body=f"{page.body} Mise à jour {n}.") for n in range(50)
                   if home(replace(page, body=f"{page.body} Mise à jour {n}.")) != home(page))
    # what a crash between two shards' commits leaves: the old text in its shard, the new in its own
    for doc in (page, changed):
        with DirectoryWriter(shards.shard_dirs(path)[home(doc)], classifier) as writer:
            writer.add(doc)
    found = Searcher(path).search("aide logement", limit=50)
    assert [h.url for h in found.results] == [page.url]
    with IndexWriter(path, classifier) as writer:  # its next write leaves one page
        assert writer.add(changed) == "replaced"
    assert holders(path, page.url) == [home(changed)]
