"""Lexical retrieval: BM25 (Lucene's non-negative IDF, from bm25s) over the indexed chunks.

Names, places, years and jargon (LADO, PLO, MASH) are where exact words beat embeddings."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import bm25s
import numpy as np

from qa.lexical import terms

# bm25s sets its logger to DEBUG and prints every index build.
logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """BM25 scores of chunks for a question; chunks are given as (chunk id, term list)."""

    def __init__(self, chunks: Iterable[tuple[int, list[str]]], k1: float = 1.2, b: float = 0.75) -> None:
        ids, tokens = [], []
        for cid, words in chunks:
            ids.append(cid)
            tokens.append(words)
        self.ids = np.array(ids, dtype=np.int64)
        self._rows = {cid: row for row, cid in enumerate(ids)}
        self._model = bm25s.BM25(method="lucene", k1=k1, b=b)
        if tokens:
            self._model.index(tokens, show_progress=False)

    def search(self, question: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Up to `k` (chunk id, score) pairs with a positive score, best first; only chunk ids in
        `allowed` when given."""
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            mask[[self._rows[cid] for cid in allowed.tolist() if cid in self._rows]] = 1.0
        scores = self.scores(question, mask)
        k = min(k, int(np.count_nonzero(scores > 0)))
        if k == 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[row]), float(scores[row])) for row in top]

    def scores(self, question: str, mask: np.ndarray | None = None) -> np.ndarray:
        """Every chunk's score, in the order of `ids` (0 where `mask` is 0)."""
        vocabulary = self._model.vocab_dict if len(self.ids) else {}
        words = [word for word in dict.fromkeys(terms(question)) if word in vocabulary]
        if not words:
            return np.zeros(len(self.ids), dtype=np.float32)
        return self._model.get_scores(words, weight_mask=mask)

    def rows(self, cids: Iterable[int]) -> np.ndarray:
        """Where these chunks' scores are in `scores` (-1 for a chunk not indexed)."""
        return np.fromiter((self._rows.get(cid, -1) for cid in cids), dtype=np.int64)
