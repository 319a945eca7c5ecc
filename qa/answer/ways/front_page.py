"""The grade, lead inspector or dates asked for, from the front pages of the reports in scope."""

from __future__ import annotations

from qa.answer.asked import Asked
from qa.answer.read import cite
from qa.ofsted.judgements import FACT_KINDS, grade_citations
from qa.types import Answer, Reply


def answer(asked: Asked) -> Reply | None:
    answers = citations(asked)
    return Reply(asked.question, True, 0.0, answers) if answers else None


def citations(asked: Asked) -> tuple[Answer, ...]:
    """The front-page values asked for, each cited, newest report first; nothing when the question
    asks none of these, asks them of no authority in particular (no report's to give), or asks
    about a change (the reader compares reports). A question about the present is answered from
    the latest inspection only (the latest area SEND inspection, asked of one)."""
    query, scope = asked.query, asked.scope
    if not query.judgement or query.past or scope.doc_ids is None:
        return ()
    chosen = [entry.document for entry in asked.store.entries.values() if entry.document.doc_id in scope.doc_ids]
    if scope.latest:
        kinds = [kind for kind in query.kinds if kind in FACT_KINDS] or ["inspection"]
        inspections = [d for d in chosen if d.kind in kinds and d.date]
        chosen = [max(inspections, key=lambda d: d.date)] if inspections else []
    score = asked.qa.reader.scorer.front_page(query.judgement)
    return tuple(cite(document, index, start, end, score)
                 for document, index, start, end in grade_citations(chosen, query.judgement, scope.years, asked.top_k))
