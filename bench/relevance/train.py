"""Train the learnt re-ranker (``index/data/rerank.txt``) on the TUNING parts of the four sets only.

    python -m bench.relevance.train [--keep DIR] [--cv-only] [--out PATH]

1. indexes the corpus (as ``bench.bench_relevance`` does; ``--keep`` reuses it);
2. runs every tuning query through ``Searcher.search`` with the re-ranker's
   features on and no model: the rows of the first stage's best
   ``rerank_depth`` pages, labelled 1 when the page (or a copy of it: same
   title and body) is a right answer;
3. cross-validates LambdaMART (LightGBM ``lambdarank``) by query, five folds,
   a typo query in the fold of its clean source; prints MRR@10 by set, first
   stage against re-ranked, per fold-held-out query;
4. unless ``--cv-only``, trains on every tuning query and writes the model in
   LightGBM's text format.

Seeded (``SEED``, one thread, deterministic LightGBM): the same file every run.
The held-out parts are never read here.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import shutil
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.relevance.evalset import EvalQuery, iter_corpus, reciprocal_rank

SEED = 12
FOLDS = 5
#: the cross-validation is run once per salt (other folds) and averaged: with one split, variants
#: moved a 140-query kind by 0.01-0.02 from one split to the next (one query from rank 1 to 2: 0.007)
SALTS = ("", "a", "b")
#: each hand-written tuning query counts this many times against the 1,782 generated ones: with 1,
#: the hand-written keywords kind lost 0.015 in the cross-validation on the tuning parts (the issue's
#: rule: no kind loses more than 0.01); with 3 none does (keywords -0.009), and the sets gain as much
HAND_WEIGHT = 3
#: chosen by the cross-validation on the tuning parts (docs/relevance.md): small trees, few of them;
#: 7 leaves or 150+ rounds gained on the copied phrases and lost on the hand-written set and titles.
#: A binary objective with page features (commit facc923) did better in cross-validation and worse
#: on the held-out parts (docs/relevance.md, "second attempt"): not kept
PARAMS: dict[str, Any] = {
    "objective": "lambdarank", "metric": "ndcg", "eval_at": [1, 10],
    "num_leaves": 3, "min_data_in_leaf": 20, "learning_rate": 0.1, "num_iterations": 100,
    "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1, "lambdarank_truncation_level": 10,
    "seed": SEED, "deterministic": True, "force_row_wise": True, "num_threads": 1, "verbosity": -1,
}
OUT = Path(__file__).resolve().parents[2] / "index" / "data" / "rerank.txt"


@dataclass
class Group:
    """One tuning query: its first-stage candidates' rows, labels, content keys and first-stage RR."""

    set_name: str
    query: EvalQuery
    rows: list[list[float]]
    labels: list[int]
    keys: list[str]
    first: float  # reciprocal rank of the search as served (first stage only)


def collect(path: Path, sets: dict[str, list[EvalQuery]], same: dict[str, str],
            depth: int) -> list[Group]:
    """Every tuning query's candidates and features, read through the searcher's own path."""
    from index.searcher import Searcher
    from index.tuning import SearchTuning

    searcher = Searcher(path, tuning=replace(SearchTuning(), rerank_depth=depth, rerank_model=""))
    reranker = searcher.reranker
    assert reranker is not None
    groups: list[Group] = []
    tantivy_searcher = searcher.searcher()
    for set_name, queries in sets.items():
        chosen = [q for q in queries if q.part == "tuning"]
        for n, query in enumerate(chosen, start=1):
            seen: list[tuple[Any, list[list[float]]]] = []
            reranker.sink = _first(seen)  # collapsing may rank twice: the first call is the one
            found = searcher.search(query.text, limit=10, snippets=False, facets=False)
            ranked = [(hit.url, *hit.duplicates) for hit in found.results]
            first = reciprocal_rank(ranked, query)
            if not seen:
                groups.append(Group(set_name, query, [], [], [], first))
                continue
            hits, rows = seen[0]
            urls = [str(tantivy_searcher.doc(address).get_first("url") or "") for _, address in hits]
            right = {same.get(u, u) for u in (query.expected_url, *query.also)}
            keys = [same.get(u, u) for u in urls]
            groups.append(Group(set_name, query, rows, [int(k in right) for k in keys], keys, first))
            if n % 200 == 0:
                print(f"  {set_name}: {n}/{len(chosen)} queries", file=sys.stderr, flush=True)
    reranker.sink = None
    return groups


def _first(seen: list[tuple[Any, list[list[float]]]]) -> Any:
    def sink(_context: Any, hits: Any, rows: list[list[float]]) -> None:
        if not seen:
            seen.append((hits, rows))
    return sink


def fold_of(query: EvalQuery, salt: str = "") -> int:
    """The query's fold: a typo query goes with its clean source (they share the answer)."""
    text = salt + (query.source or query.text)
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) % FOLDS


def reranked_rr(group: Group, scores: Sequence[float]) -> float:
    """RR@10 of the candidates ordered by ``scores``, one result per document (copies collapsed)."""
    if not group.rows:
        return group.first
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    shown: list[str] = []
    for i in order:
        if group.keys[i] not in shown:
            shown.append(group.keys[i])
            if group.labels[i]:
                return 1.0 / len(shown) if len(shown) <= 10 else 0.0
    return 0.0


def fit(groups: Sequence[Group], params: dict[str, Any]) -> Any:
    """LambdaMART on ``groups`` (``params["hand_weight"]``: copies of each hand-written query)."""
    import lightgbm
    import numpy as np

    from index.features import FEATURES

    rows, labels, sizes = [], [], []
    keep = kept(params)
    for group in groups:
        if not group.rows or not any(group.labels):
            continue  # a query without a right candidate teaches nothing about order
        if "sets" in params and group.set_name not in params["sets"]:
            continue
        copies = params.get("hand_weight", HAND_WEIGHT) if group.set_name == "hand" else 1
        for _ in range(copies):
            rows += [[row[i] for i in keep] for row in group.rows]
            labels += group.labels
            sizes.append(len(group.rows))
    data = lightgbm.Dataset(np.array(rows, dtype=np.float64), label=np.array(labels), group=sizes,
                            feature_name=[FEATURES[i] for i in keep], free_raw_data=False)
    settings = {k: v for k, v in params.items() if k not in OURS}
    if params.get("monotone"):
        settings["monotone_constraints"] = [params["monotone"].get(FEATURES[i], 0) for i in keep]
    return lightgbm.train(settings, data)


#: keys of the parameters that are this script's, not LightGBM's
OURS = ("hand_weight", "drop", "sets", "monotone")


def kept(params: dict[str, Any]) -> list[int]:
    """The columns the model reads: every feature but those of ``params["drop"]`` (ablations)."""
    from index.features import FEATURES

    dropped = set(params.get("drop", ()))
    unknown = dropped - set(FEATURES)
    if unknown:
        raise SystemExit(f"no such feature: {', '.join(sorted(unknown))}")
    return [i for i, name in enumerate(FEATURES) if name not in dropped]


def cross_validate(groups: Sequence[Group], params: dict[str, Any]) -> dict[str, tuple[float, float, int]]:
    """Per set and kind: MRR@10 of the first stage and of the re-ranker, each query scored by the model
    of the folds it was not trained on, averaged over the splits of :data:`SALTS`."""
    out: dict[str, list[tuple[float, float]]] = {}
    keep = kept(params)
    for salt, fold in ((salt, fold) for salt in SALTS for fold in range(FOLDS)):
        model = fit([g for g in groups if fold_of(g.query, salt) != fold], params)
        for group in (g for g in groups if fold_of(g.query, salt) == fold):
            rows = [[row[i] for i in keep] for row in group.rows]
            rr = reranked_rr(group, model.predict(rows)) if group.rows else group.first
            out.setdefault(group.set_name, []).append((group.first, rr))
            out.setdefault(f"{group.set_name}:{group.query.kind}", []).append((group.first, rr))
    return {name: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v), len(v) // len(SALTS))
            for name, v in out.items()}


def _groups(corpus: Path, root: Path, depth: int, *, reuse: bool) -> list[Group]:
    """The tuning queries' rows, from the index under ``root`` (built when missing); with ``reuse``,
    cached there, keyed by the code and data of ``index/`` (the first stage and the features)."""
    from bench.bench_relevance import build_ours, load_sets

    records = list(iter_corpus(corpus))
    same = {str(r["url"]): " ".join(f"{r.get('title')} {r.get('body')}".split()) for r in records}
    if not (root / "ours" / "meta.json").is_file():
        build_ours(records, root / "ours")
    package = Path(__file__).resolve().parents[2] / "index"
    digest = hashlib.sha256()
    for path in sorted([*package.glob("*.py"), package / "data" / "synonymes.txt"]):
        digest.update(path.read_bytes())
    cache = root / f"groups-{depth}-{digest.hexdigest()[:12]}.pickle"
    if reuse and cache.is_file():
        groups: list[Group] = pickle.loads(cache.read_bytes())
        return groups
    groups = collect(root / "ours", load_sets(), same, depth)
    cache.write_bytes(pickle.dumps(groups))
    return groups


def main(argv: list[str] | None = None) -> None:
    from bench.bench_relevance import DEFAULT_CORPUS
    from index.rerank import DEPTH

    parser = argparse.ArgumentParser(prog="bench.relevance.train", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--keep", type=Path, default=None, help="build the index here and reuse it")
    parser.add_argument("--depth", type=int, default=DEPTH)
    parser.add_argument("--cv-only", action="store_true", help="cross-validate, write no model")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--params", default="", help="changes to PARAMS, as a Python dict literal")
    args = parser.parse_args(argv)
    import ast

    params = {**PARAMS, **(ast.literal_eval(args.params) if args.params else {})}
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus} (SDC_SHARED_DIR)", file=sys.stderr)
        sys.exit(2)
    root = args.keep or Path(tempfile.mkdtemp(prefix="rerank-train-"))
    try:
        groups = _groups(args.corpus, root, args.depth, reuse=args.keep is not None)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{len(groups)} tuning queries, {sum(len(g.rows) for g in groups)} candidate rows, "
          f"depth {args.depth}")
    print("\n| tuning set (5-fold CV by query) | queries | first stage | re-ranked |\n|---|---|---|---|")
    for name, (first, rr, count) in sorted(cross_validate(groups, params).items()):
        print(f"| {name} | {count} | {first:.3f} | {rr:.3f} |")
    if not args.cv_only:
        if params.get("drop"):
            raise SystemExit("a model without some features cannot be served: drop them from index.features")
        model = fit(groups, params)
        args.out.write_text(model.model_to_string(), encoding="utf-8")
        print(f"\nwrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
