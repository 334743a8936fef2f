from __future__ import annotations

import pytest

from index.analysis import fold, french_analyzer, suggest_analyzer


@pytest.mark.parametrize(("a", "b"), [
    ("préfecture", "prefecture"),
    ("Élections", "election"),
    ("allocations familiales", "allocation familiale"),
    ("sécurité sociale", "securite sociale"),
    ("congés payés", "conge paye"),
    ("prothèses auditives", "prothese auditive"),
    ("l'État", "etat"),
    ("l’État", "etat"),
    ("d'identité", "identite"),
    ("jusqu'à", ""),
    ("qu'il", ""),
])
def test_french_analyzer_folds_stems_and_drops_elisions(a: str, b: str) -> None:
    analyzer = french_analyzer()
    assert analyzer.analyze(a) == analyzer.analyze(b)


def test_stop_words_keep_positions_for_phrases() -> None:
    tokens = french_analyzer().pre_tokenize("permis de conduire").tokens
    assert [(t.position, t.text) for t in tokens] == [(0, "perm"), (2, "conduir")]


def test_suggest_analyzer_folds_without_stemming() -> None:
    assert suggest_analyzer().analyze("Préfecture des Élections") == ["prefecture", "des", "elections"]


def test_fold() -> None:
    assert fold("Œuvre à l'Été") == "oeuvre a l'ete"
