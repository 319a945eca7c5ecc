"""A query to ranked passages: dense and BM25 results, fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from qa.answer.filters import Scope
from qa.indexing.embed import Embedder
from qa.indexing.store import Store
from qa.types import Passage

HISTORY_WEIGHT = 0.6
# Reciprocal rank fusion: a passage scores 1 / (RRF_K + rank) in each list it is in.
RRF_K = 60
# Added to the similarity of passages from reports of a year the question names.
YEAR_BONUS = 0.05


def query_vector(embedder: Embedder, question: str, context: Sequence[str] = ()) -> np.ndarray:
    """The question's vector, pulled towards the earlier question it follows up, if any."""
    if context:
        vectors = embedder.encode([question, context[-1]])
        vector = vectors[0] + HISTORY_WEIGHT * vectors[1]
        return (vector / max(float(np.linalg.norm(vector)), 1e-12)).astype(np.float32)
    return embedder.encode([question])[0]


def retrieve(store: Store, vector: np.ndarray, query: str, k: int, scope: Scope | None = None) -> list[Passage]:
    """The `k` best passages among the reports in scope: the dense index's nearest chunks to
    `vector` and BM25's best chunks for the words of `query`, fused by reciprocal rank.

    A passage's score stays its cosine similarity to the question; reports of a year the question
    names rank a little higher."""
    scope = scope or Scope()
    allowed = None if scope.doc_ids is None else store.chunk_ids(scope.doc_ids)
    dense = {p.chunk_id: p for p in store.search(vector, k, allowed)}
    lexical = [cid for cid, _ in store.lexical.search(query, k, allowed) if cid in store]
    missing = [cid for cid in lexical if cid not in dense]
    passages = dense | {cid: store.passage(cid, float(score))
                        for cid, score in zip(missing, store.similarity(vector, missing), strict=True)}
    if scope.years:
        years = set(scope.years)
        passages = {cid: replace(p, score=p.score + YEAR_BONUS) if store.document(p.doc_id).years & years
                    else p for cid, p in passages.items()}
    by_similarity = sorted(dense, key=lambda cid: -passages[cid].score)
    return [passages[cid] for cid in fuse([by_similarity, lexical])[:k]]


def in_each(store: Store, vector: np.ndarray, query: str, doc_ids: Sequence[str], k: int
            ) -> dict[str, list[Passage]]:
    """The `k` best passages of each report, ranked as `retrieve` ranks them within one report; the
    BM25 scores are computed once for all of them."""
    lexical = store.lexical.scores(query)
    found = {}
    for doc_id in doc_ids:
        cids = list(store.entries[doc_id].chunk_ids)
        similarity = store.similarity(vector, cids)
        rows = store.lexical.rows(cids)
        words = np.where(rows >= 0, lexical[np.maximum(rows, 0)], 0.0)
        dense = [cids[i] for i in np.argsort(-similarity, kind="stable")[:k]]
        matched = [cids[i] for i in np.argsort(-words, kind="stable")[:k] if words[i] > 0]
        by_id = dict(zip(cids, similarity.tolist(), strict=True))
        found[doc_id] = [store.passage(cid, by_id[cid]) for cid in fuse([dense, matched])[:k]]
    return found


def fuse(rankings: Sequence[Sequence[int]]) -> list[int]:
    """Reciprocal rank fusion: ids ordered by the sum over rankings of 1 / (RRF_K + rank)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            fused[item] = fused.get(item, 0.0) + 1 / (RRF_K + rank)
    return sorted(fused, key=lambda item: -fused[item])
