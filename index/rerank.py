"""The learnt re-ranker: a LambdaMART model (LightGBM) orders the first stage's best candidates.

The first stage (BM25F, synonyms, legal handling, phrase bonus and the
verbatim rule: :mod:`index.searcher`) gives its best ``rerank_depth`` pages;
:mod:`index.features` describes each, and the model, trained on the tuning
parts of the evaluation sets by ``python -m bench.relevance.train``, scores
them.  The model file (LightGBM's text format) is in ``index/data/`` and read
once, when the :class:`~index.searcher.Searcher` starts.  Pages beyond the
depth keep their first-stage order, below the re-ranked ones.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import tantivy

from index.errors import SearchIndexError
from index.features import FEATURES, FeatureBuilder, Hits, QueryContext
from index.querybuild import QueryBuilder
from index.tuning import SearchTuning

DATA = Path(__file__).with_name("data")
#: the depth the committed model was trained for (``SearchTuning(rerank_depth=DEPTH)`` turns it on)
DEPTH = 30
#: called with each query's context, candidates and feature rows (``bench.relevance.train`` collects them)
Sink = Callable[[QueryContext, Hits, list[list[float]]], None]


class Reranker:
    """Re-orders the best ``depth`` hits of a query with ``model`` (``None``: features only)."""

    def __init__(self, features: FeatureBuilder, model: Any | None, depth: int) -> None:
        self._features = features
        self._model = model
        self.depth = depth
        #: when set, receives every query's rows (training); the order is then the model's, if any
        self.sink: Sink | None = None

    @classmethod
    def load(cls, schema: tantivy.Schema, builder: QueryBuilder, tuning: SearchTuning) -> Reranker | None:
        """The re-ranker ``tuning`` asks for (``None`` when ``rerank_depth`` is 0)."""
        if tuning.rerank_depth <= 0:
            return None
        features = FeatureBuilder(schema, builder, tuning)
        if not tuning.rerank_model:
            return cls(features, None, tuning.rerank_depth)
        return cls(features, read_model(DATA / tuning.rerank_model), tuning.rerank_depth)

    def rerank(self, searcher: tantivy.Searcher, context: QueryContext, hits: Hits) -> Hits:
        """``hits`` (best first) with the first ``depth`` in the model's order, scored by it."""
        top = hits[: self.depth]
        if len(top) < 2 or (self._model is None and self.sink is None):
            return hits
        rows = self._features.rows(searcher, context, top)
        if self.sink is not None:
            self.sink(context, top, rows)
        if self._model is None:
            return hits
        import numpy  # LightGBM's own dependency, loaded with the model

        # one thread: OpenMP's threads for 30 rows cost 25 times the prediction on a shared machine;
        # an array, not the lists: LightGBM converts lists row by row (0.19 against 0.04 ms)
        predicted = [float(p) for p in self._model.predict(numpy.asarray(rows, dtype=numpy.float64),
                                                           num_threads=1)]
        ordered = sorted(zip(predicted, range(len(top)), strict=True), key=lambda pair: (-pair[0], pair[1]))
        out = [(score, top[i][1]) for score, i in ordered]
        floor = min(predicted) - 1.0  # the pages beyond the depth stay below, in their order
        return out + [(floor - n * 1e-6, address) for n, (_, address) in enumerate(hits[self.depth:])]


def read_model(path: Path) -> Any:
    """The LightGBM booster saved at ``path``, checked against :data:`FEATURES`."""
    try:
        import lightgbm
    except ImportError as exc:
        raise SearchIndexError(f"the re-ranker needs LightGBM ({exc}): pip install lightgbm") from None
    try:
        booster = lightgbm.Booster(model_file=str(path))
    except (OSError, lightgbm.basic.LightGBMError) as exc:
        raise SearchIndexError(f"cannot read the re-ranking model {path}: {exc}") from None
    if tuple(booster.feature_name()) != FEATURES:
        raise SearchIndexError(f"the re-ranking model {path} reads other features than index.features: "
                               "train it again (python -m bench.relevance.train)")
    return booster
