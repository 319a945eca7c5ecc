"""The span reader's answers from the best passages in scope, or "not found" with them as the
closest passages; the last way of answering, so it always replies."""

from __future__ import annotations

from qa.answer.asked import Asked
from qa.types import Reply


def answer(asked: Asked) -> Reply:
    query, scope = asked.query, asked.scope
    answered, answers, closest = asked.qa.read(asked.store, query, scope, asked.top_k)
    if answered:
        return Reply(asked.question, True, 0.0, answers, closest, searched_for=query.searched_for)
    empty = scope.doc_ids is not None and not scope.doc_ids  # the filters leave no report
    return Reply(asked.question, False, 0.0, (), closest, searched_for=query.searched_for,
                 reason="nothing_in_scope" if empty else "not_in_reports")
