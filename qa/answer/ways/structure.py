"""Who carried out a visit, what initials stand for, what must improve: from the report's own
structure (qa.answer.from_lists), when the answer is likely enough to be right."""

from __future__ import annotations

from qa.answer.asked import Asked
from qa.answer.filters import without_scope
from qa.types import Reply


def answer(asked: Asked) -> Reply | None:
    store, query, scope, structure = asked.store, asked.query, asked.scope, asked.qa.structure
    answers = structure.inspectors(store, query, scope) or structure.spelt_out(store, query, scope) or \
        structure.must_improve(store, query, scope, without_scope(query.asked, scope), asked.top_k)
    if not answers or answers[0].score < asked.qa.settings.threshold:
        return None
    return Reply(asked.question, True, 0.0, answers, searched_for=query.searched_for)
