"""Snippets of long bodies: the window around the first match keeps them marked and escaped."""

from __future__ import annotations

from pathlib import Path

from index import snippets
from index.documents import PageDocument
from index.searcher import Searcher
from index.writer import IndexWriter
from sources import Classifier

FILLER = "Texte sans rapport avec la question posée. " * 400  # about 17,000 characters


def test_short_bodies_are_kept_whole() -> None:
    assert snippets.excerpt("Le salarié", {"salar"}) == "Le salarié"


def test_long_body_window_starts_near_the_first_match_of_any_form() -> None:
    body = FILLER + "Les <SALARIÉS> & l'État " + FILLER
    window = snippets.excerpt(body, {"salar", "zzz"})
    assert len(window) <= snippets.EXCERPT_CHARS
    assert "<SALARIÉS>" in window
    assert window.index("<SALARIÉS>") <= snippets.EXCERPT_CHARS // 4 + 10  # cut at a space before
    assert "l'État" in snippets.excerpt(body, {"etat"})  # accents folded, as the analyser does


def test_long_body_without_a_found_term_is_kept_whole() -> None:
    # tantivy's own analysis may still match it ("chevaux" has the stem "cheval"): cutting
    # the body blind would lose that match, so the whole body goes to the snippet generator
    body = FILLER * 2
    assert snippets.excerpt(body, {"introuvabl"}) == body
    assert snippets.excerpt(body, set()) == body
    # a stem is matched at the start of a word only ("ir" is not in "dire")
    assert snippets.excerpt("a dire " * 3000, {"ir"}) == "a dire " * 3000


def test_searcher_marks_an_irregular_plural_far_into_a_long_body(tmp_path: Path,
                                                                classifier: Classifier) -> None:
    body = FILLER + "Les chevaux de trait et l'œuvre du bourrelier. " + FILLER
    with IndexWriter(tmp_path / "index", classifier) as writer:
        writer.add(PageDocument("https://www.paris.fr/pages/chevaux", "Page longue", body))
    searcher = Searcher(tmp_path / "index")
    assert "<mark>chevaux</mark>" in searcher.search("cheval").results[0].snippet
    assert "<mark>œuvre</mark>" in searcher.search("oeuvre").results[0].snippet


def test_searcher_marks_a_match_far_into_a_long_body(tmp_path: Path, classifier: Classifier) -> None:
    body = FILLER + "Le <cher> & stationnement résidentiel. " + FILLER
    with IndexWriter(tmp_path / "index", classifier) as writer:
        writer.add(PageDocument("https://www.paris.fr/pages/long", "Page longue", body))
    hit = Searcher(tmp_path / "index").search("stationnement résidentiel").results[0]
    assert "&lt;cher&gt; &amp; <mark>stationnement</mark>" in hit.snippet
    assert "<cher>" not in hit.snippet
