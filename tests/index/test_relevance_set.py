"""The relevance evaluation set (bench/relevance/queries.tsv) is well formed, and its metrics are right."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

# bench/ is not an installed package: load the module from its file
_PATH = Path(__file__).resolve().parents[2] / "bench" / "relevance" / "evalset.py"
_SPEC = importlib.util.spec_from_file_location("bench_relevance_evalset", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
evalset = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = evalset  # dataclasses look their module up by name
_SPEC.loader.exec_module(evalset)
EvalQuery, KINDS, iter_corpus = evalset.EvalQuery, evalset.KINDS, evalset.iter_corpus
load_queries, reciprocal_rank, score = evalset.load_queries, evalset.reciprocal_rank, evalset.score

QUERIES = load_queries()


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join(re.findall(r"\w+", "".join(c for c in folded if not unicodedata.combining(c))))


@pytest.fixture(scope="module")
def corpus(corpus_file: Path) -> dict[str, dict[str, object]]:
    return {str(record["url"]): record for record in iter_corpus(corpus_file)}


def test_there_are_at_least_200_distinct_queries_of_known_kinds() -> None:
    assert len(QUERIES) >= 200
    assert len({_normal(q.text) for q in QUERIES}) == len(QUERIES), "duplicate queries"
    assert {q.kind for q in QUERIES} <= KINDS
    kinds = Counter(q.kind for q in QUERIES)
    for kind in ("paraphrase", "keywords", "question", "acronym", "no-accent", "plural", "case"):
        assert kinds[kind] >= 5, kind


def test_the_three_sites_are_covered() -> None:
    sites = Counter(q.expected_url.split("/")[2] for q in QUERIES)
    assert set(sites) == {"www.service-public.fr", "travail-emploi.gouv.fr", "www.legifrance.gouv.fr"}
    assert min(sites.values()) >= 40


def test_every_expected_url_is_in_the_corpus(corpus: dict[str, dict[str, object]]) -> None:
    missing = [q.expected_url for q in QUERIES if q.expected_url not in corpus]
    assert not missing


def test_no_query_is_its_pages_title(corpus: dict[str, dict[str, object]]) -> None:
    same = [q.text for q in QUERIES if _normal(q.text) == _normal(str(corpus[q.expected_url]["title"]))]
    assert not same


def test_every_expected_page_has_a_title_no_other_page_has(corpus: dict[str, dict[str, object]]) -> None:
    # service-public.fr publishes some fiches twice (particuliers / professionnels): such a page
    # cannot be "the one URL that should come first", so the set avoids them
    titles = Counter(_normal(str(record["title"])) for record in corpus.values())
    shared = [q.expected_url for q in QUERIES if titles[_normal(str(corpus[q.expected_url]["title"]))] > 1]
    assert not shared


def test_queries_for_code_articles_say_they_want_the_law() -> None:
    # a content query for an article names the code, the article or its number; otherwise the
    # service-public.fr fiche that explains the same rule would be an equally right answer
    marker = re.compile(r"\b(articles?|code du travail|[lrd]\d{4}-\d+)\b", re.IGNORECASE)
    legal = [q for q in QUERIES if "legifrance" in q.expected_url]
    assert all(marker.search(q.text) for q in legal)


def test_reciprocal_rank_and_scores() -> None:
    assert reciprocal_rank(["a", "b", "c"], "a") == 1.0
    assert reciprocal_rank(["a", "b", "c"], "c") == pytest.approx(1 / 3)
    assert reciprocal_rank(["x"] * 10 + ["a"], "a") == 0.0  # beyond the top 10
    first, third, missed = (EvalQuery(t, t, "keywords") for t in ("a", "c", "z"))
    result = score({first: ["a", "b"], third: ["a", "b", "c"], missed: ["a"]})
    assert result.mrr == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert result.recall == pytest.approx(2 / 3)
    assert score({}).count == 0


def test_a_malformed_line_is_reported_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "queries.tsv"
    path.write_text("# header\nok\thttps://x/\tkeywords\nbroken line\n", encoding="utf-8")
    with pytest.raises(ValueError, match="queries.tsv:3"):
        load_queries(path)


def test_the_benchmark_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "documents.jsonl"
    pages = [
        ("https://www.service-public.fr/particuliers/vosdroits/F34781",
         "Comment sont remboursées les prothèses auditives ?", "Remboursement par l'assurance maladie."),
        ("https://www.service-public.fr/particuliers/vosdroits/F19211",
         "Coût de la carte grise (certificat d'immatriculation)", "Le prix dépend de la région."),
        ("https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000033020918",
         "Article L3131-1 - Code du travail", "Repos quotidien d'une durée minimale de onze heures."),
    ]
    corpus.write_text("".join(
        json.dumps({"url": u, "title": t, "body": b}, ensure_ascii=False) + "\n" for u, t, b in pages
    ), encoding="utf-8")
    queries = tmp_path / "queries.tsv"
    queries.write_text(
        f"sonotone\t{pages[0][0]}\tparaphrase\nprix carte grise\t{pages[1][0]}\tkeywords\n"
        f"code du travail repos 11 heures\t{pages[2][0]}\tkeywords\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "bench.bench_relevance", "--corpus", str(corpus), "--queries", str(queries),
         "--sets", "hand"],
        cwd=_PATH.parents[2], capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    header = next(line for line in run.stdout.splitlines() if line.startswith("| set | part |"))
    assert [c.strip() for c in header.split("|")[4:9]] == [
        "ours", "ours + learnt re-ranker", "plain BM25 (French analysis)", "tantivy en_stem", "SQLite FTS5"]
    whole = next(line for line in run.stdout.splitlines() if line.startswith("| hand | all |"))
    assert whole.split("|")[4].strip() == "1.000 (1.000)"  # three documents, three right answers
