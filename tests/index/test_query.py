from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from index.query import ParsedQuery, normalize_site, parse


def test_words_phrases_exclusions_and_filters() -> None:
    parsed = parse('congé "période d\'essai" -stage -"temps partiel" +cdd site:https://www.Paris.fr/x '
                   "catégorie:Commune categorie:etat")
    assert parsed == ParsedQuery(words=("congé",), required=("cdd",), phrases=("période d'essai",),
                                 excluded=("stage", "temps partiel"), sites=("paris.fr",),
                                 categories=("commune", "etat"))


def test_typographic_and_unclosed_quotes() -> None:
    assert parse("« congé parental »").phrases == ("congé parental",)
    assert parse("“carte grise”").phrases == ("carte grise",)
    assert parse('"carte grise').phrases == ("carte grise",)


def test_operators_without_value_and_unknown_fields() -> None:
    assert parse("site:") == ParsedQuery()
    assert parse("categorie: carte").words == ("carte",)
    assert parse("title:foo").words == ("title foo",)
    assert not parse('"" «»').has_terms


def test_normalize_site() -> None:
    assert normalize_site("HTTPS://www.Ain.gouv.fr:443/path?q") == "ain.gouv.fr"
    assert normalize_site("paris.fr.") == "paris.fr"


@given(st.text(max_size=80))
def test_parse_never_raises(text: str) -> None:
    parse(text)
