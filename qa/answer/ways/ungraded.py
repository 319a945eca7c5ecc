"""A grade asked of inspections that give no such grade: "not found", with why, and the grades they
do give as the closest passages."""

from __future__ import annotations

from qa.answer.asked import Asked
from qa.answer.tables import NAMED, Row, judgement_table
from qa.answer.tables import ungraded as ungraded_rows
from qa.types import Reply


def answer(asked: Asked) -> Reply | None:
    missing = rows(asked)
    if not missing:
        return None
    closest = [judgement_table(asked.store.document(row.doc_id), 0.0) for row in missing]
    return Reply(asked.question, False, 0.0, closest=tuple(answer for answer in closest if answer)[:asked.top_k],
                 table=tuple(missing), reason="grade_not_given")


def rows(asked: Asked) -> list[Row]:
    """For a grade asked of an authority's inspections (the latest, for the present) that none of
    them gives, a row per inspection saying why; else nothing."""
    query, scope = asked.query, asked.scope
    if query.judgement not in NAMED or query.past or scope.doc_ids is None:
        return []
    chosen = [asked.store.document(doc_id) for doc_id in scope.doc_ids]
    chosen = [d for d in chosen if not scope.years or d.years & set(scope.years)]
    if scope.latest:
        dated = [d for d in chosen if d.kind == "inspection" and d.date]
        newest = max((d.date for d in dated), default=None)
        chosen = [d for d in dated if d.date == newest]
    return ungraded_rows(chosen, query.judgement)
