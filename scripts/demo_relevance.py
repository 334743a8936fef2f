"""How the embedded demo answers the project's relevance queries (``bench/relevance/queries.tsv``).

The demo's pages were drawn at random (``scripts/build_demo.py``), not chosen for these queries::

    python scripts/demo_relevance.py

prints how many of the queries get results from the demo index, and MRR@10 and recall@10 on
the queries whose expected page is one of the demo's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from index.jsonl import read_documents
from index.searcher import Searcher
from sdc import demo
from sources import Classifier, Registry

QUERIES = Path(__file__).resolve().parents[1] / "bench" / "relevance" / "queries.tsv"


def main() -> None:
    urls = {item.url for _, item in read_documents(demo.PAGES) if hasattr(item, "url")}
    rows = [line.rstrip("\n").split("\t") for line in QUERIES.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    with tempfile.TemporaryDirectory() as tmp:
        with Registry(Path(tmp)) as registry:
            demo.register(registry)
            classifier: Classifier = registry.classifier()
        demo.build_index(Path(tmp) / "index", classifier)
        searcher = Searcher(Path(tmp) / "index")
        answered, ranks = 0, []
        for query, expected, *_ in rows:
            results = searcher.search(query, limit=10)
            answered += bool(results.total)
            if expected in urls:
                found = [hit.url for hit in results.results]
                ranks.append(found.index(expected) + 1 if expected in found else 0)
    print(f"queries with results: {answered}/{len(rows)}")
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    print(f"queries whose expected page is in the demo: {len(ranks)}; MRR@10 {mrr:.3f}; "
          f"recall@10 {sum(1 for r in ranks if r)}/{len(ranks)}")


if __name__ == "__main__":
    main()
