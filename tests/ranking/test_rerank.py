from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ranking import (
    MAX_RESULTS,
    EngineResult,
    InvalidResultsError,
    Mode,
    TrustTable,
    parse_mode,
    rerank,
)
from ranking.weights import blended_score, position_score
from sources import Classifier

G = "google"


def results(*urls: str, engine: str = G) -> list[EngineResult]:
    return [EngineResult(u, f"t{i}", f"s{i}", engine, i) for i, u in enumerate(urls, 1)]


MIXED = results(
    "https://www.cartegrise.com/",
    "https://www.service-public.fr/particuliers/vosdroits/N367",
    "https://fr.wikipedia.org/wiki/Carte_grise",
    "https://immatriculation.ants.gouv.fr/",
    "https://impots-gouv-remboursement.fr/login",
    "https://www.paris.fr/demarches",
)


def test_annotate_keeps_order_and_adds_trust(table: TrustTable) -> None:
    ranked = rerank(MIXED, table, Mode.ANNOTATE)
    assert [r.position for r in ranked.results] == [1, 2, 3, 4, 6]
    first, second = ranked.results[:2]
    assert not first.trusted and first.category is None
    assert second.trusted and second.category == "autre-public"
    assert second.name == "Service-Public.fr" and second.domain == "service-public.fr"
    assert ranked.total == 6 and ranked.trusted_count == 3
    assert ranked.by_category == {"autre-public": 1, "commune": 1, "etat": 1}


def test_deny_listed_removed_in_every_mode(table: TrustTable) -> None:
    for mode in Mode:
        ranked = rerank(MIXED, table, mode)
        assert all("impots-gouv-remboursement" not in r.url for r in ranked.results)
        assert [r.domain for r in ranked.removed] == ["impots-gouv-remboursement.fr"]
        assert "phishing" in ranked.removed[0].reason


def test_unusable_urls_are_removed(table: TrustTable) -> None:
    ranked = rerank(results("javascript:alert(1)", "https://caf.fr/"), table)
    assert [r.url for r in ranked.results] == ["https://caf.fr/"]
    assert ranked.removed[0].reason.startswith("not a web URL")


def test_homoglyph_hosts_are_removed(table: TrustTable) -> None:
    ranked = rerank(results("https://www.sеrvice-public.fr/"), table)  # Cyrillic е
    assert ranked.results == [] and "homoglyph" in ranked.removed[0].reason


def test_filter_keeps_trusted_in_order(table: TrustTable) -> None:
    ranked = rerank(MIXED, table, Mode.FILTER)
    assert [r.position for r in ranked.results] == [2, 4, 6]
    assert ranked.total == 6 and ranked.trusted_count == 3


def test_boost_puts_trusted_first_keeping_relative_orders(table: TrustTable) -> None:
    ranked = rerank(MIXED, table, Mode.BOOST)
    assert [r.position for r in ranked.results] == [2, 4, 6, 1, 3]


def test_blend_uses_documented_formula(table: TrustTable) -> None:
    long_list = results(*[f"https://shop{i}.example.com/" for i in range(1, 10)],
                        "https://www.impots.gouv.fr/")
    ranked = rerank(long_list, table, Mode.BLEND)
    order = [r.position for r in ranked.results]
    # an État page at 10 (0.289 + 0.5) passes the 2nd result (0.631), not the 1st (1.0)
    assert order[:3] == [1, 10, 2]
    assert ranked.results[1].score == pytest.approx(1 / math.log2(11) + 0.5)
    assert blended_score(3, None, False) == position_score(3) == 0.5


def test_duplicates_collapse_across_engines_and_variants(table: TrustTable) -> None:
    mixed = [
        EngineResult("https://www.caf.fr/aides/", "Caf", "", "google", 1),
        EngineResult("https://shop.example.com/", "Shop", "", "google", 2),
        EngineResult("http://caf.fr/aides?utm_source=bing", "Caf", "", "bing", 1),
        EngineResult("https://shop.example.com/#x", "Shop", "", "bing", 2),
        EngineResult("https://caf.fr/aides", "Caf", "", "google", 3),
    ]
    ranked = rerank(mixed, table)
    assert [r.url for r in ranked.results] == ["https://www.caf.fr/aides/", "https://shop.example.com/"]
    assert ranked.results[0].engines == ["google", "bing"]
    assert ranked.total == 2 and ranked.trusted_count == 1 and ranked.duplicates == 3


def test_merge_fuses_own_index_and_engines_by_rrf(table: TrustTable) -> None:
    own = results("https://www.caf.fr/rsa", "https://www.insee.fr/fr/statistiques/1", engine="sdc")
    engines = [
        EngineResult("https://shop.example.com/rsa", "", "", "google", 1),
        EngineResult("https://www.service-public.fr/N19775", "", "", "google", 2),
        EngineResult("https://caf.fr/rsa/", "", "", "google", 3),
        EngineResult("https://www.service-public.fr/N19775", "", "", "bing", 1),
    ]
    ranked = rerank(engines, table, Mode.MERGE, own=own)
    urls = [r.url for r in ranked.results]
    # caf.fr/rsa: 1/61 (ours) + 1/62 (google's 2nd trusted); service-public: 1/61 + 1/61
    assert urls == ["https://www.service-public.fr/N19775", "https://www.caf.fr/rsa",
                    "https://www.insee.fr/fr/statistiques/1"]
    assert ranked.results[0].score == pytest.approx(2 / 61)
    assert ranked.results[1].engines == ["sdc", "google"]
    assert all(r.trusted for r in ranked.results)
    assert ranked.total == 3 and ranked.trusted_count == 2


def test_merge_without_own_results_is_the_engines_trusted_fusion(table: TrustTable) -> None:
    ranked = rerank(MIXED, table, Mode.MERGE)
    assert [r.position for r in ranked.results] == [2, 4, 6]


def test_merge_screens_own_hits_too(table: TrustTable) -> None:
    own = results("https://impots-gouv-remboursement.fr/x", "https://shop.example.com/", engine="sdc")
    assert rerank([], table, Mode.MERGE, own=own).results == []


def test_limits_and_modes(table: TrustTable) -> None:
    too_many = results(*[f"https://a{i}.example.com/" for i in range(MAX_RESULTS + 1)])
    with pytest.raises(InvalidResultsError, match="at most 500"):
        rerank(too_many, table)
    assert rerank(too_many[:MAX_RESULTS], table).total == MAX_RESULTS
    assert parse_mode(" Boost ") is Mode.BOOST
    with pytest.raises(InvalidResultsError, match="unknown mode 'top'"):
        parse_mode("top")


def test_table_memory_is_bounded(small_classifier: Classifier) -> None:
    table = TrustTable(small_classifier, max_entries=3)
    for i in range(10):
        table.lookup(f"https://a{i}.example.com/")
    assert len(table._seen) <= 3
    assert table.lookup("https://caf.fr/").verdict.trusted


def test_table_memory_is_bounded_in_bytes_too(small_classifier: Classifier) -> None:
    # a stranger's test: 50,000 remembered 8 KB URLs (with their keys) held 1.2 GB
    table = TrustTable(small_classifier, max_bytes=100_000)
    for i in range(200):
        table.lookup(f"https://a{i}.example.com/{'x' * 8000}")
    assert table._bytes <= 100_000 and len(table._seen) <= 6
    assert table.lookup("https://caf.fr/").verdict.trusted


# -- properties ------------------------------------------------------------

HOSTS = ["www.caf.fr", "caf.fr", "www.paris.fr", "www.impots.gouv.fr", "shop.example.com",
         "fr.wikipedia.org", "impots-gouv-remboursement.fr", "www.facebook.com", "ec.europa.eu"]
result_lists = st.lists(
    st.builds(EngineResult,
              url=st.builds(lambda s, h, p: f"{s}://{h}/{p}", st.sampled_from(["http", "https"]),
                            st.sampled_from(HOSTS), st.sampled_from(["", "a", "a/", "b?utm_source=x"])),
              engine=st.sampled_from(["google", "bing", "qwant"]),
              position=st.integers(1, 50)),
    max_size=40)


@settings(max_examples=150, deadline=None)
@given(result_lists)
def test_modes_agree(small_classifier: Classifier, items: list[EngineResult]) -> None:
    table = TrustTable(small_classifier)
    annotated = rerank(items, table, Mode.ANNOTATE)
    keys = [r.canonical for r in annotated.results]
    assert len(keys) == len(set(keys))
    assert annotated.total == len(keys) + len(annotated.removed)
    assert annotated.total + annotated.duplicates == len(items)
    trusted = [r for r in annotated.results if r.trusted]
    assert annotated.trusted_count == len(trusted) == sum(annotated.by_category.values())
    assert [r.canonical for r in rerank(items, table, Mode.FILTER).results] == [r.canonical for r in trusted]
    boosted = [r.canonical for r in rerank(items, table, Mode.BOOST).results]
    untrusted = [r.canonical for r in annotated.results if not r.trusted]
    assert boosted == [r.canonical for r in trusted] + untrusted
    blended = rerank(items, table, Mode.BLEND).results
    assert sorted(r.canonical for r in blended) == sorted(keys)
    assert all(a.score >= b.score for a, b in zip(blended, blended[1:], strict=False))
    merged = rerank(items, table, Mode.MERGE).results
    assert sorted(r.canonical for r in merged) == sorted(r.canonical for r in trusted)
    assert not any(r.domain == "impots-gouv-remboursement.fr" for mode in Mode
                   for r in rerank(items, table, mode).results)
