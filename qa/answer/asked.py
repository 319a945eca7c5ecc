"""A question as the ways of answering it see it (qa.answer.ways)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.answer.filters import Filters, Scope
from qa.answer.query import Query
from qa.indexing.store import Store

if TYPE_CHECKING:
    from qa.pipeline import QA


@dataclass(frozen=True)
class Asked:
    """Its text, how it is understood, the reports it is asked of, the filters given, how many
    answers are wanted, the store it is answered from and the engine whose reader, structure
    answers and settings answer it."""

    question: str
    query: Query
    scope: Scope
    filters: Filters
    top_k: int
    store: Store
    qa: QA
