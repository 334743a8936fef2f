from __future__ import annotations

import time
from pathlib import Path

import pytest

from index.documents import PageDocument
from index.errors import IndexLockedError, SearchIndexError
from index.searcher import Searcher
from index.writer import IndexWriter, site_terms
from sources import Classifier


def page(url: str, title: str = "Titre", body: str = "corps du texte") -> PageDocument:
    return PageDocument(url, title, body)


def test_add_replace_refuse_and_counts(tmp_path: Path, classifier: Classifier) -> None:
    with IndexWriter(tmp_path / "i", classifier) as writer:
        assert writer.add(page("https://www.paris.fr/a")) == "added"
        assert writer.add(page("https://www.paris.fr/a", title="Nouveau")) == "replaced"  # uncommitted
        writer.commit()
        assert writer.add(page("https://www.paris.fr/a", title="Dernier")) == "replaced"  # committed
        assert writer.add(page("https://evil.example.com/a")) == "refused"
        assert writer.add(page("not a url")) == "refused"
        counts = dict(writer.counts)
    assert counts == {"added": 1, "replaced": 2, "refused": 2, "deleted": 0}
    searcher = Searcher(tmp_path / "i")
    assert searcher.count() == 1
    assert [h.title for h in searcher.search("titre dernier").results] == ["Dernier"]


def test_domain_category_and_name_come_from_the_registry(index_dir: Path) -> None:
    hit = Searcher(index_dir).search("stationnement").results[0]
    assert (hit.host, hit.domain, hit.category, hit.name) == (
        "www.paris.fr", "paris.fr", "commune", "Ville de Paris")


def test_delete_by_url_and_by_domain(index_dir: Path, classifier: Classifier) -> None:
    searcher = Searcher(index_dir)
    with IndexWriter(index_dir, classifier) as writer:
        assert writer.delete_url("https://www.paris.fr/pages/stationnement") == 1
        assert writer.delete_url("https://www.paris.fr/absent") == 0
        assert writer.delete_domain("service-public.fr") == 2
        assert writer.delete_domain("AIN.gouv.fr") == 1
        assert writer.counts["deleted"] == 4
    assert searcher.count() == len(["travail-emploi"])
    assert searcher.search("stationnement").total == 0
    assert searcher.search("site:service-public.fr").total == 0


def test_one_writer_per_directory(tmp_path: Path, classifier: Classifier) -> None:
    with IndexWriter(tmp_path / "i", classifier):
        with pytest.raises(IndexLockedError) as caught:
            IndexWriter(tmp_path / "i", classifier)
    assert isinstance(caught.value, SearchIndexError)
    with IndexWriter(tmp_path / "i", classifier):  # released on close
        pass


def test_commits_every_batch_and_readers_see_them(tmp_path: Path, classifier: Classifier) -> None:
    path = tmp_path / "i"
    with IndexWriter(path, classifier, batch_size=3, commit_seconds=0) as writer:
        searcher = Searcher(path)
        for n in range(4):
            writer.add(page(f"https://www.paris.fr/{n}"))
        assert searcher.count() == 3  # one batch committed, no restart of the searcher
        writer.commit()
        assert searcher.count() == 4


def test_closed_writer_refuses_work(tmp_path: Path, classifier: Classifier) -> None:
    writer = IndexWriter(tmp_path / "i", classifier)
    writer.close()
    writer.close()
    with pytest.raises(SearchIndexError):
        writer.add(page("https://www.paris.fr/x"))


def test_site_terms() -> None:
    assert site_terms("www.ain.gouv.fr") == ["www.ain.gouv.fr", "ain.gouv.fr", "gouv.fr", "fr"]


def test_slow_producers_are_committed_by_the_timer(tmp_path: Path, classifier: Classifier) -> None:
    path = tmp_path / "i"
    with IndexWriter(path, classifier, batch_size=1000, commit_seconds=0.2) as writer:
        searcher = Searcher(path)
        writer.add(page("https://www.paris.fr/lent"))
        deadline = time.monotonic() + 30  # generous: the machine may be busy
        while searcher.count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert searcher.count() == 1  # committed without commit(), close() or a full batch


def test_an_index_of_another_schema_is_a_clear_error(tmp_path: Path, classifier: Classifier) -> None:
    import tantivy

    from index.errors import IndexOpenError

    other = tantivy.Index(tantivy.SchemaBuilder().add_text_field("url", stored=True).build(),
                          path=str(tmp_path))
    other.writer(15_000_000, 1).commit()
    del other
    with pytest.raises(IndexOpenError, match="another schema"):
        IndexWriter(tmp_path, classifier)


def test_leaving_by_an_exception_rolls_back_to_the_last_commit(tmp_path: Path,
                                                               classifier: Classifier) -> None:
    with IndexWriter(tmp_path / "i", classifier) as writer:
        writer.add(page("https://www.paris.fr/kept"))
    with pytest.raises(RuntimeError):
        with IndexWriter(tmp_path / "i", classifier, batch_size=10_000, commit_seconds=0) as writer:
            for n in range(50):
                writer.add(page(f"https://www.paris.fr/lost/{n}"))
            writer.delete_url("https://www.paris.fr/kept")
            raise RuntimeError("the input ended early")
    assert Searcher(tmp_path / "i").count() == 1
    with IndexWriter(tmp_path / "i", classifier) as writer:  # the lock was released
        assert writer.contains("https://www.paris.fr/kept")


def test_out_of_range_fields_are_dropped_and_an_unusable_page_refused(tmp_path: Path,
                                                                      classifier: Classifier) -> None:
    from datetime import date, datetime

    from index.errors import InvalidDocumentError

    with IndexWriter(tmp_path / "i", classifier) as writer:
        doc = page("https://www.paris.fr/typo")
        doc.published, doc.fetched = date(202, 5, 12), datetime(9999, 12, 31)
        assert writer.add(doc) == "added" and writer.amended == 1
        with pytest.raises(InvalidDocumentError):
            writer.add(page("https://www.paris.fr/" + "x" * 9000))
    hit = Searcher(tmp_path / "i").search("corps").results[0]
    assert hit.url == "https://www.paris.fr/typo" and hit.published is None
