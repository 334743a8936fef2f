"""index.synonyms: alternative phrasings of a query from the French synonym list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.documents import PageDocument
from index.searcher import Searcher
from index.synonyms import (
    FUNCTION_WORDS,
    SYNONYMS_FILE,
    default_table,
    expand_query,
    expand_with,
    parse_table,
    spell_number,
    spelled_numbers,
    word_key,
)
from index.tuning import SearchTuning
from index.writer import IndexWriter
from sources import Category, Classifier, Entry


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("appareils auditifs", "prothèses auditives"),
        ("prothèses auditives", "appareils auditifs"),
        ("carte grise", "certificat d'immatriculation"),
        ("certificat d'immatriculation", "carte grise"),
        ("RSA", "revenu de solidarité active"),
        ("revenu de solidarité active", "RSA"),
        ("chômage", "allocation d'aide au retour à l'emploi"),
        ("chômage", "ARE"),
    ],
)
def test_the_issue_examples_expand_both_ways(query: str, expected: str) -> None:
    assert expected in expand_query(query)


def test_the_rest_of_the_query_is_kept_around_the_replaced_phrase() -> None:
    assert "remboursement prothèses auditives" in expand_query("remboursement sonotone")
    assert "prix certificat d'immatriculation" in expand_query("prix carte grise")


def test_the_original_query_is_never_an_alternative() -> None:
    for query in ("carte grise", "Carte Grise", "RSA", "chômage après démission"):
        folded = {word_key(w) for w in query.split()}
        assert all({word_key(w) for w in alt.split()} != folded for alt in expand_query(query))


@pytest.mark.parametrize("query", ["CARTE GRISE", "carte grisé", "cartes grises", "Cartes Grises"])
def test_matching_ignores_case_accents_and_plurals(query: str) -> None:
    assert "certificat d'immatriculation" in expand_query(query)


def test_matching_ignores_function_words_and_elision() -> None:
    assert "carte grise" in expand_query("certificat immatriculation")
    assert "carte grise" in expand_query("certificat d’immatriculation")  # typographic apostrophe
    assert expand_query("chomage") == expand_query("chômage")


def test_text_without_a_listed_phrase_has_no_alternative() -> None:
    assert expand_query("") == []
    assert expand_query("   ") == []
    assert expand_query("horaires de la piscine municipale") == []
    assert expand_query("l'âge minimum") == []  # "âge" is not the acronym AGE


def test_the_longest_phrase_wins_over_a_shorter_one_inside_it() -> None:
    alternatives = expand_query("allocation d'aide au retour à l'emploi formation")
    assert "AREF" in alternatives
    assert not any(a.startswith("ARE ") or a == "ARE formation" for a in alternatives)


def test_every_matched_phrase_is_represented_early() -> None:
    # two matches: the alternatives alternate between them, so a cap of 4 keeps both
    first = expand_query("prix carte grise")[:2]
    assert any("certificat d'immatriculation" in a for a in first)
    assert any(a.startswith(("coût", "tarif")) for a in first)


def test_numbers_are_also_given_in_words_as_legal_texts_write_them() -> None:
    assert expand_query("repos quotidien 11 heures")[0] == "repos quotidien onze heures"
    assert spelled_numbers("48 heures et 35 heures") == "quarante-huit heures et trente-cinq heures"
    assert spelled_numbers("L3121-27, 2,5 jours, 1901, 12h") == "L3121-27, 2,5 jours, 1901, 12h"


@pytest.mark.parametrize(
    ("number", "words"),
    [(0, "zéro"), (1, "un"), (16, "seize"), (17, "dix-sept"), (21, "vingt et un"), (35, "trente-cinq"),
     (70, "soixante-dix"), (71, "soixante et onze"), (80, "quatre-vingts"), (81, "quatre-vingt-un"),
     (99, "quatre-vingt-dix-neuf")],
)
def test_spell_number(number: int, words: str) -> None:
    assert spell_number(number) == words


def test_parse_table_reads_groups_and_skips_comments_and_singletons() -> None:
    table = parse_table("# comment\nvélo | bicyclette  # trailing comment\nseul\n\n a | b | \n")
    assert table.groups == (("vélo", "bicyclette"), ("a", "b"))
    assert expand_with("un vélo rouge", table) == ["un bicyclette rouge"]


def test_the_shipped_list_is_well_formed_and_says_where_it_comes_from() -> None:
    text = SYNONYMS_FILE.read_text(encoding="utf-8")
    assert "écrite par nous" in text and "vocabulaire du corpus" in text
    table = default_table()
    assert len(table.groups) >= 100
    owners: dict[tuple[str, ...], int] = {}
    for number, group in enumerate(table.groups):
        assert len(group) >= 2
        for phrasing in group:
            keys = tuple(word_key(w) for w in phrasing.replace("'", " ").replace("’", " ").split())
            assert owners.setdefault(keys, number) == number, f"{phrasing!r} is in two groups"


def test_the_table_is_loaded_once() -> None:
    assert default_table() is default_table()


def test_the_searcher_finds_a_page_through_a_synonym(tmp_path: Path) -> None:
    classifier = Classifier(entries=[Entry("service-public.fr", Category.ETAT, None, "test", "test")])
    pages = [
        PageDocument("https://www.service-public.fr/particuliers/vosdroits/F34781",
                     "Comment sont remboursées les prothèses auditives ?",
                     "Les prothèses auditives sont remboursées par l'assurance maladie."),
        PageDocument("https://www.service-public.fr/particuliers/vosdroits/F1",
                     "Remboursement des soins", "Le remboursement des soins par l'assurance maladie."),
    ]
    with IndexWriter(tmp_path / "index", classifier) as writer:
        for page in pages:
            writer.add(page)
    with_synonyms = Searcher(tmp_path / "index").search("sonotone")
    without = Searcher(tmp_path / "index", tuning=SearchTuning(synonym_weight=0.0)).search("sonotone")
    assert [hit.url for hit in with_synonyms.results] == [pages[0].url]
    assert without.results == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
       | st.lists(st.sampled_from(["carte", "grise", "RSA", "11", "de", "l'", "Chômage", "prix", "-", " "]),
                  max_size=8).map(" ".join))
def test_any_text_expands_without_error_and_never_to_itself(text: str) -> None:
    def keys(value: str) -> list[str]:
        return [k for k in (word_key(w) for w in re.findall(r"\w+", value)) if k not in FUNCTION_WORDS]

    for alternative in expand_query(text):
        assert isinstance(alternative, str) and alternative.strip()
        assert keys(alternative) != keys(text)
