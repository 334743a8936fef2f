"""The compiled registry cached on disk answers exactly like a fresh compile, and is rebuilt
when the registry changes."""

from __future__ import annotations

import random
from pathlib import Path

from sources import Registry
from sources.compiled import cached_classifier

URLS = [
    "https://www.paris.fr/x", "https://mairie05.paris.fr/", "https://anything.chez.com/",
    "https://evil.com\\@www.service-public.fr/", "https://www.servi\u0441e-public.fr/",
    "https://aast.free.fr/", "https://free.fr/", "https://www.facebook.com/mairie",
    "https://x.gouv.fr/", "https://ain.gouv.fr/", "https://www.interieur.gouv.fr/",
    "https://a.b.c.kobe.jp/", "https://city.kobe.jp/", "https://www.nasa.gov/",
    "https://" + "a" * 70 + ".paris.fr/", "javascript:alert(1)", "https://xn--manc-bsab.fr/",
]


def test_the_cached_classifier_answers_like_a_fresh_compile(tmp_path: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "communes.txt").write_text("paris.fr\naast.free.fr\nfacebook.com\nvillage.fr\n", "utf-8")
    with Registry(tmp_path / "data") as registry:
        registry.import_etalab(str(lists))
        registry.deny("evil.paris.fr", reason="test")
        fresh = registry.classifier()
        first = cached_classifier(registry, tmp_path / "cache")
        cached = cached_classifier(registry, tmp_path / "cache")  # read back from disk
        assert type(cached._nodes).__name__ == "_LazyNodes"  # noqa: SLF001
        rng = random.Random(3)
        hosts = ["paris.fr", "www.paris.fr", "evil.paris.fr", "a.evil.paris.fr", "village.fr",
                 "free.fr", "aast.free.fr", "b.aast.free.fr", "gouv.fr", "kobe.jp", "x.y.kobe.jp"]
        urls = URLS + [f"https://{'.'.join(rng.sample(['a', 'www', 'x'], 2))}.{rng.choice(hosts)}/"
                       for _ in range(300)]
        for url in urls:
            assert cached.classify(url) == fresh.classify(url) == first.classify(url), url
        registry.allow("nouvelle.fr", reason="new")
        rebuilt = cached_classifier(registry, tmp_path / "cache")
        assert rebuilt.classify("https://nouvelle.fr/").trusted
        assert len(list((tmp_path / "cache").glob("classifier-*"))) == 1
