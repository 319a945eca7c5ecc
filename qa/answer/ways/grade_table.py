"""A grade asked of many authorities, or a judgement's change across one authority's inspections:
a table with one cited row per inspection."""

from __future__ import annotations

from qa.answer.asked import Asked
from qa.answer.filters import authority_of, in_region
from qa.answer.tables import NAMED, Row, across_authorities, over_time
from qa.ofsted import authorities
from qa.types import Reply


def answer(asked: Asked) -> Reply | None:
    query = asked.query
    table = rows(asked)
    if table is None:
        return None
    if query.change and not (query.many or query.grade_named):
        # One authority's change asked without naming a grade ("Has Luton improved since 2022?"):
        # in the reports' own words when they say it ("much better than at the time of the last
        # inspection"), with each inspection's grade. Of 17 such training questions the grades
        # alone were right for none, the reader's words for 15.
        answered, answers, closest = asked.qa.read(asked.store, query, asked.scope, asked.top_k)
        if answered:
            return Reply(asked.question, True, 0.0, answers, closest, table=tuple(table),
                         searched_for=query.searched_for)
    answers = tuple(row.answer for row in table if row.answer)
    return Reply(asked.question, bool(answers), 0.0, answers[:asked.top_k], table=tuple(table),
                 reason=None if answers else "grade_not_given")


def rows(asked: Asked) -> list[Row] | None:
    """The table's rows; None for a question that asks for no such table."""
    query, filters = asked.query, asked.filters
    named = {authorities.canonical(filters.authority)} if filters.authority else set(query.authorities)
    documents = [entry.document for entry in asked.store.entries.values() if filters.matches(entry.document)]
    scorer = asked.qa.reader.scorer
    if query.many and not named and query.judgement in NAMED:
        if query.region and not filters.region:
            documents = [d for d in documents if in_region(d, query.region)]
        return across_authorities(documents, query.judgement, query.grades, query.years,
                                  scorer.front_page(query.judgement))
    if query.change and len(named) == 1:
        return over_time([d for d in documents if authority_of(d) in named], query.change, query.since,
                         scorer.front_page(query.change))
    return None
