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


def test_snippets_never_show_codes_dates_identifiers_or_menus(tmp_path: Path, classifier: Classifier) -> None:
    body = ("Accueil\nPublié le 2019-05-02\nLa prime d'activité est versée chaque mois par la Caf.\n"
            "Voir aussi N19806 N19978 F488 R1234\nRéférence 3f9a0c1b2d4e5f60a1b2 LEGIARTI000006901088\n"
            "La prime d'activité2024-01-02 dépend des ressources.\nPlan du site")
    path = tmp_path / "index"
    with IndexWriter(path, classifier) as writer:
        writer.add(PageDocument("https://www.service-public.fr/particuliers/vosdroits/F2882",
                                "Prime d'activité", body))
    for query in ("prime activité", "prime N19806", "publié prime", "accueil prime"):
        snippet = Searcher(path).search(query).results[0].snippet
        for junk in ("N19806", "F488", "2019-05-02", "2024-01-02", "3f9a0c1b", "LEGIARTI", "Plan du site"):
            assert junk not in snippet, (query, snippet)
        assert "<mark>" in snippet


def test_clean_keeps_legal_citations_and_invoice_numbers() -> None:
    text = "les articles L1234-5, L1234-6 du code ; facture n°2018-01-025"
    assert snippets.clean(text) == text
    assert not snippets.has_junk(text)


def _analysed(word: str) -> str | None:
    from index.analysis import french_analyzer

    tokens = french_analyzer().pre_tokenize(word).tokens
    return tokens[0].text if len(tokens) == 1 else None


def test_passage_begins_just_before_the_densest_stretch_of_rare_terms() -> None:
    dense = "Le salarié protégé et le salarié licencié : indemnité de licenciement du salarié. "
    body = "Un salarié. " + FILLER[:3000] + dense + FILLER[:3000] + "Le licenciement. "
    weights = {"salar": 0.01, "licenci": 0.02, "indemnit": 0.05}
    cut = snippets.passage(body, weights, 200, _analysed)
    assert cut is not None and dense in cut
    assert len(cut) < 2 * 200 + 50  # about two fragments for tantivy, not the whole body
    # the stretch fits the first fragment tantivy cuts (200 UTF-8 bytes of " " + text)
    assert len((" " + cut[:cut.index(dense) + len(dense.rstrip(". "))]).encode()) <= 200


def test_passage_only_counts_words_that_analyse_to_the_term() -> None:
    # "imposition" starts with "impos" but is not the term; the body's one "imposés" is
    body = "Imposition imposition imposition. " * 60 + "Revenus imposés. " + "Texte. " * 100
    cut = snippets.passage(body, {"impos": 0.5}, 200, _analysed)
    assert cut is not None and "imposés" in cut and "Imposition" not in cut[:cut.index("imposés")][-30:]


def test_passage_gives_up_on_short_bodies_and_missing_terms() -> None:
    assert snippets.passage("Le salarié", {"salar": 1.0}, 200, _analysed) is None
    assert snippets.passage(FILLER, {"cheval": 1.0}, 200, _analysed) is None  # "chevaux": tantivy's job
    assert snippets.passage(FILLER, {}, 200, _analysed) is None


def test_junk_found_with_or_without_codes_as_the_whole_expression_finds_it() -> None:
    for text in ("Accueil", "  Menu  :\nTexte", "Voir aussi N19806 F488 R1234",
                 "Texte\nAccessibilité : partielle", "Ce site utilise des cookies pour vous",
                 "Un texte sans rien d'autre", "Publié le 2019-05-02",
                 "id abcdefab-abcd-abcd-abcd-abcdefabcdef fin"):
        assert snippets.has_junk(text) == (snippets._JUNK.search(text) is not None), text
        assert snippets.clean(text) == snippets._JUNK.sub(" ", text), text
