"""Question (and chat history) to ranked passages from the dense index."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from qa.embed import Embedder
from qa.filters import Scope, report_years
from qa.store import Store
from qa.types import Passage

_FOLLOW_UP = re.compile(
    r"^(and|but|also|what about|how about|so|then)\b|\b(it|its|they|them|their|she|he|her|his|this|"
    r"that|these|those|there)\b", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[A-Za-z0-9']{3,}")
HISTORY_WEIGHT = 0.6
# Added to the similarity of passages from reports of a year the question names.
YEAR_BONUS = 0.05


def is_follow_up(question: str) -> bool:
    """Whether a question leans on earlier turns: it starts with "and" or similar, or is very short."""
    return bool(_FOLLOW_UP.search(question)) or len(_CONTENT_WORD.findall(question)) <= 3


def query_vector(embedder: Embedder, question: str, history: Sequence[str] = ()) -> np.ndarray:
    """The question's vector, pulled towards the last earlier question when it is a follow-up."""
    if history and is_follow_up(question):
        vectors = embedder.encode([question, history[-1]])
        vector = vectors[0] + HISTORY_WEIGHT * vectors[1]
        return (vector / np.linalg.norm(vector)).astype(np.float32)
    return embedder.encode([question])[0]


def retrieve(store: Store, vector: np.ndarray, k: int, scope: Scope | None = None) -> list[Passage]:
    """The `k` passages nearest to the query vector among the reports in scope.

    Reports of a year the question names rank a little higher."""
    scope = scope or Scope()
    passages = store.search(vector, k, scope.doc_ids)
    if not scope.years:
        return passages
    years = set(scope.years)
    boosted = [replace(p, score=p.score + YEAR_BONUS) if report_years(store.document(p.doc_id)) & years else p
               for p in passages]
    return sorted(boosted, key=lambda p: -p.score)
