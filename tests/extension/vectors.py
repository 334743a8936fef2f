"""The shared classification vectors: one registry, URLs and their expected answers.

``tests/fixtures/classification_vectors.json`` is read by both test suites:
``tests/extension/test_vectors.py`` (the Python classifier) and
``extension/src/shared/classifier.test.js`` (the extension's), the latter with
the trust list ``tests/fixtures/classification_trustlist.json`` compiled from
the same registry.  After a deliberate change of the classifier, regenerate
both files, review the diff of the expected answers, and commit them::

    .venv/bin/python -m tests.extension.vectors --write
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sources import Category, Classifier, Entry
from sources.psl import parse_rules
from sources.trustlist import build_trustlist

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
VECTORS = FIXTURES / "classification_vectors.json"
TRUSTLIST = FIXTURES / "classification_trustlist.json"
#: a fixed stamp, so that the committed list only changes with its data
STAMP = datetime(2026, 1, 1, tzinfo=UTC)

#: a subset of the Public Suffix List, in its own format (the cases the URLs need)
PSL = """\
fr
gouv.fr
asso.fr
com
org
net
gov
edu
int
eu
uk
co.uk
gov.uk
ac.uk
ca
qc.ca
gouv.qc.ca
jp
*.kobe.jp
!city.kobe.jp
*.ck
!www.ck
// ===BEGIN PRIVATE DOMAINS===
wixsite.com
blogspot.com
github.io
"""

ENTRIES = [
    ("paris.fr", "commune", "Ville de Paris", "etalab:communes", "listed by etalab:communes"),
    ("ain.gouv.fr", "prefecture", "Préfecture de l'Ain", "etalab:prefectures",
     "listed by etalab:prefectures"),
    ("service-public.fr", "etat", "Service-Public.fr", "etalab:etat", "listed by etalab:etat"),
    ("univ-lyon1.fr", "enseignement-superieur", None, "universities", "listed by universities"),
    ("belpech.wixsite.com", "commune", "Belpech", "etalab:communes", "listed by etalab:communes"),
    ("mairie.free.fr", "commune", "Mairie libre", "etalab:communes", "listed by etalab:communes"),
    ("facebook.com", "commune", "Page d'une commune", "etalab:communes", "listed by etalab:communes"),
    ("wixsite.com", "commune", "Plateforme", "etalab:communes", "listed by etalab:communes"),
    ("ville.city.kobe.jp", "etat-etranger", "Kobe", "list", "listed by list"),
    ("xn--mlanie-cva.fr", "commune", "Mélanie", "etalab:communes", "listed by etalab:communes"),
    ("xn--pars-53d.fr", "commune", "Homoglyph listed", "etalab:communes", "listed by etalab:communes"),
]
ALLOWS = [
    ("asso-exemple.fr", "autre-public", "Association agréée", "curator:allow",
     "allowed by a curator: agréée"),
    ("facebook.com", "commune", "Facebook allowed", "curator:allow", "allowed by a curator: test"),
]
DENIES = [
    ("vieux.paris.fr", None, None, "curator:deny", "denied by a curator: site abandonné"),
    ("phishing.gouv.fr", None, None, "curator:deny", "denied by a curator: phishing"),
]

URLS = [
    "https://www.paris.fr/pages/demarches",
    "https://paris.fr",
    "http://PARIS.FR./x",
    "https://notparis.fr/",
    "https://vieux.paris.fr/",
    "https://a.vieux.paris.fr/page",
    "https://www.interieur.gouv.fr/Actualites",
    "https://www.ain.gouv.fr/",
    "https://phishing.gouv.fr/login",
    "https://gouv.fr/",
    "https://www.service-public.fr/particuliers/vosdroits/F1234",
    "https://entreprendre.service-public.fr/",
    "https://www.univ-lyon1.fr/formation",
    "https://belpech.wixsite.com/mairie",
    "https://autre.wixsite.com/",
    "https://wixsite.com/",
    "https://www.wixsite.com/",
    "http://mairie.free.fr/",
    "http://voisin.free.fr/",
    "http://free.fr/",
    "https://www.facebook.com/mairie",
    "https://facebook.com/",
    "https://asso-exemple.fr/",
    "https://sub.asso-exemple.fr/",
    "https://ville.city.kobe.jp/",
    "https://a.b.kobe.jp/",
    "https://kobe.jp/",
    "https://www.ck/",
    "https://a.b.ck/",
    "https://www.nasa.gov/",
    "https://www.gov.uk/",
    "https://www.ox.ac.uk/",
    "https://ec.europa.eu/info",
    "https://www.who.int/fr",
    "https://www.quebec.gouv.qc.ca/",
    "https://exemple.com/",
    "https://xn--mlanie-cva.fr/",
    "https://mélanie.fr/",
    "https://xn--pars-53d.fr/",
    "https://www.xn--pars-53d.fr/",
    "https://www.pаris.fr/",
    "https://evil.com\\@www.service-public.fr/",
    "https://user:pass@www.service-public.fr:8443/x",
    "HTTPS://WWW.SERVICE-PUBLIC.FR/",
    "www.paris.fr/x",
    "paris.fr:8080/x",
    "  https://www.paris.fr/\n",
    "https://www.pa\tris.fr/",
    "https://ｗｗｗ.paris.fr/",
    "https://www%2Eparis.fr/",
    "http://192.168.0.1/",
    "http://[::1]/",
    "http://0x7f.1/",
    "http://localhost/",
    "mailto:contact@paris.fr",
    "javascript:alert(1)",
    "ftp://ftp.paris.fr/",
    "",
    "https://",
    "not a url at all",
    "https://www.paris.fr/" + "a" * 8200,
]


def registry() -> Classifier:
    def entries(rows: list[tuple[Any, ...]]) -> list[Entry]:
        return [Entry(h, Category(c) if c else None, n, r, why) for h, c, n, r, why in rows]

    return Classifier(entries(ENTRIES), allows=entries(ALLOWS), denies=entries(DENIES),
                      rules=parse_rules(PSL))


def expected() -> dict[str, Any]:
    classifier = registry()
    return {
        "about": "URL -> expected classification; shared by the Python and the extension tests "
                 "(regenerate with: python -m tests.extension.vectors --write)",
        "vectors": [classifier.classify(url).to_dict() for url in URLS],
    }


def trustlist() -> dict[str, Any]:
    return build_trustlist(registry(), now=STAMP)


def main(argv: list[str]) -> int:
    if argv != ["--write"]:
        print(__doc__, file=sys.stderr)
        return 2
    VECTORS.write_text(json.dumps(expected(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    TRUSTLIST.write_text(json.dumps(trustlist(), ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {VECTORS} and {TRUSTLIST}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
