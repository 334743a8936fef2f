"""The blended score of ``blend`` mode: engine position and trust, in one number.

    score = 1 / log2(1 + position) + TRUST_WEIGHT × CATEGORY_WEIGHTS[category]

The first term is the DCG discount of the engine's position (1.0 at 1, 0.63 at
2, 0.5 at 3, 0.29 at 10, 0.17 at 59); the second is 0 for an untrusted result
and at most ``TRUST_WEIGHT`` (0.5) for the State's own sites.  So with the
defaults a trusted État page ranked 10th (0.29 + 0.5) passes an unknown
site ranked 2nd (0.63) but not the engine's first result (1.0), and a
commune's page (0.29 + 0.4) passes a 3rd-ranked commercial site (0.5) too.
Weights are data: change them here, not in the code that uses them.
"""

from __future__ import annotations

import math

from sources import Category

TRUST_WEIGHT = 0.5

#: how much each category of trusted source is preferred, from 0 to 1
CATEGORY_WEIGHTS: dict[str, float] = {
    Category.ETAT.value: 1.0,
    Category.PREFECTURE.value: 1.0,
    Category.AUTRE_PUBLIC.value: 0.9,
    Category.SANTE.value: 0.9,
    Category.REGION.value: 0.8,
    Category.DEPARTEMENT.value: 0.8,
    Category.COLLECTIVITE.value: 0.8,
    Category.INTERCOMMUNALITE.value: 0.8,
    Category.COMMUNE.value: 0.8,
    Category.ACADEMIE.value: 0.8,
    Category.ENSEIGNEMENT_SUPERIEUR.value: 0.7,
    Category.ETABLISSEMENT_SCOLAIRE.value: 0.6,
    Category.AMBASSADE.value: 0.6,
    Category.INSTITUTION_INTERNATIONALE.value: 0.6,
    Category.ETAT_ETRANGER.value: 0.3,
}
#: a trusted source whose category has no weight above (a new category)
DEFAULT_WEIGHT = 0.5


def position_score(position: int) -> float:
    """The DCG discount of a 1-based position (positions below 1 count as 1)."""
    return 1.0 / math.log2(1 + max(position, 1))


def blended_score(position: int, category: str | None, trusted: bool,
                  trust_weight: float = TRUST_WEIGHT) -> float:
    if not trusted:
        return position_score(position)
    weight = CATEGORY_WEIGHTS.get(category, DEFAULT_WEIGHT) if category else DEFAULT_WEIGHT
    return position_score(position) + trust_weight * weight
