"""Lexical retrieval: BM25 over the indexed chunks, Lucene's variant (non-negative IDF, no k1 + 1
factor; the same scores, to the bit, as bm25s's "lucene" method, which this replaced).

Names, places, years and jargon (LADO, PLO, MASH) are where exact words beat embeddings.

Each document's term counts are computed once (`TermCounts`) and kept by the stores that follow
it, so a refresh builds the index again from arrays rather than from the text: a fraction of a
second for the whole collection, and without millions of short-lived strings.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from qa.answer.spelling import Speller
from qa.indexing.lexical import terms

# Scores computed at a time when the index is built.
_BLOCK = 1 << 18


class Vocabulary:
    """Term ids, shared by a store and the stores that follow it; terms are only ever added."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, words: list[str]) -> np.ndarray:
        """The ids of `words`, giving new ones to terms not seen before."""
        with self._lock:
            ids = self._ids
            return np.fromiter((ids.setdefault(word, len(ids)) for word in words), dtype=np.int32, count=len(words))

    def terms(self) -> list[str]:
        """Every term, in the order of their ids."""
        with self._lock:
            return list(self._ids)

    def known(self, words: Iterable[str]) -> list[int]:
        """The ids of the words that have one."""
        return [self._ids[word] for word in words if word in self._ids]


@dataclass(frozen=True)
class TermCounts:
    """Chunks as BM25 sees them: a (chunk, term id, count) triple for each term of each chunk,
    and each chunk's length in terms."""

    chunks: np.ndarray
    terms: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, texts: Iterable[str], vocabulary: Vocabulary) -> TermCounts:
        chunks, ids, counts, lengths = [], [], [], []
        for n, text in enumerate(texts):
            words = vocabulary.add(terms(text))
            unique, count = np.unique(words, return_counts=True)
            chunks.append(np.full(len(unique), n, dtype=np.int32))
            ids.append(unique)
            counts.append(count)
            lengths.append(len(words))
        if not lengths:
            return cls(*(np.zeros(0, dtype=np.int32) for _ in range(4)))
        return cls(np.concatenate(chunks), np.concatenate(ids).astype(np.int32),
                   np.concatenate(counts).astype(np.int32), np.array(lengths, dtype=np.int32))


class LexicalIndex:
    """BM25 scores of chunks for a question. `ids` are the chunk ids, in the order of the chunks
    that `counts` (one TermCounts a document) describe."""

    def __init__(self, ids: np.ndarray, counts: Sequence[TermCounts], vocabulary: Vocabulary,
                 k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.vocabulary = vocabulary
        self._rows = {int(cid): row for row, cid in enumerate(self.ids)}
        starts = np.cumsum([0] + [len(c.lengths) for c in counts])[:-1]
        empty = np.zeros(0, dtype=np.int32)
        rows = np.concatenate([c.chunks + np.int32(start) for c, start in zip(counts, starts, strict=True)] or [empty])
        columns = np.concatenate([c.terms for c in counts] or [empty])
        tf = np.concatenate([c.counts for c in counts] or [empty])
        lengths = np.concatenate([c.lengths for c in counts] or [empty])
        if len(lengths) != len(self.ids):
            raise ValueError(f"{len(self.ids)} chunk ids for {len(lengths)} chunks")
        width = len(vocabulary)
        frequencies = np.bincount(columns, minlength=width)[:width]
        count = len(self.ids)
        idf = np.log(1 + (count - frequencies + 0.5) / (frequencies + 0.5)).astype(np.float32)
        average = lengths.mean() if count else 1.0
        # Column by column (term by term), as a question reads them.
        order = np.argsort(columns, kind="stable")
        self._chunks = rows[order]
        self._scores = np.empty(len(order), dtype=np.float32)
        for start in range(0, len(order), _BLOCK):  # a block at a time: little memory besides the result
            part = order[start:start + _BLOCK]
            frequency = tf[part].astype(np.float64)
            # idf x tf / (k1 (1 - b + b length / average) + tf), in float64 as bm25s computed it.
            norm = k1 * ((1 - b) + b * lengths[self._chunks[start:start + _BLOCK]] / average) + frequency
            self._scores[start:start + _BLOCK] = idf[columns[part]] * (frequency / norm)
        self._starts = np.concatenate([[0], np.cumsum(frequencies)])

    @classmethod
    def of(cls, chunks: Iterable[tuple[int, str]]) -> LexicalIndex:
        """The index of (chunk id, text) pairs."""
        ids, texts = [], []
        for cid, text in chunks:
            ids.append(cid)
            texts.append(text)
        vocabulary = Vocabulary()
        return cls(np.array(ids, dtype=np.int64), [TermCounts.of(texts, vocabulary)], vocabulary)

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
        scores = np.zeros(len(self.ids), dtype=np.float32)
        width = len(self._starts) - 1  # terms added to the vocabulary since are in no chunk here
        for term in self.vocabulary.known(dict.fromkeys(terms(question))):
            if term < width:
                start, end = self._starts[term], self._starts[term + 1]
                scores[self._chunks[start:end]] += self._scores[start:end]
        if mask is not None:
            scores *= mask
        return scores

    @functools.cached_property
    def speller(self) -> Speller:
        """Corrects misspelt words of a question against the terms of these chunks."""
        width = len(self._starts) - 1
        return Speller(self.vocabulary.terms()[:width], np.diff(self._starts))

    def rows(self, cids: Iterable[int]) -> np.ndarray:
        """Where these chunks' scores are in `scores` (-1 for a chunk not indexed)."""
        return np.fromiter((self._rows.get(cid, -1) for cid in cids), dtype=np.int64)
