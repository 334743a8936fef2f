"""The relevance evaluation of issue 3: the query set, its metrics and the two baselines.

* ``queries.tsv``: one query a line, ``query <TAB> expected URL <TAB> kind``,
  written by hand from the corpus (see docs/relevance.md for the rules).
* :mod:`bench.relevance.evalset`: reading the set and the corpus, MRR@k and recall@k.
* :mod:`bench.relevance.baselines`: tantivy with its default English stemmer and
  SQLite FTS5 (unicode61), both on the same fields and boosts as our index.

``python -m bench relevance`` (or ``bench/bench_relevance.py``) runs them all.
"""
