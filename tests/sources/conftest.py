from __future__ import annotations

import pytest

from sources import Category, Classifier, Entry

LISTED = {
    "paris.fr": Category.COMMUNE,
    "www.service-public.fr": Category.AUTRE_PUBLIC,
    "legifrance.gouv.fr": Category.ETAT,
    "ain.gouv.fr": Category.PREFECTURE,
    "xn--manc-9oae.fr": Category.COMMUNE,  # émancé.fr
    "aast.free.fr": Category.COMMUNE,
    "belpech.wixsite.com": Category.COMMUNE,
    "belpech.wix.com": Category.COMMUNE,
    "x.pagesperso-orange.fr": Category.COMMUNE,
    "facebook.com": Category.COLLECTIVITE,  # upstream mistakes: platforms listed
    "www.facebook.com": Category.COLLECTIVITE,
    "wordpress.com": Category.COLLECTIVITE,
    "mairie.orange.fr": Category.COMMUNE,
    "wixsite.com": Category.COMMUNE,
    "univ-paris1.fr": Category.ENSEIGNEMENT_SUPERIEUR,
}


def entry(host: str, category: Category) -> Entry:
    return Entry(host, category, None, "test", f"listed by test ({host})")


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return Classifier([entry(h, c) for h, c in LISTED.items()])
