"""An authority that no report is about, or a name that is not made out: another authority's
reports must not answer it."""

from __future__ import annotations

from qa.answer.asked import Asked
from qa.ofsted import authorities
from qa.types import Reply


def answer(asked: Asked) -> Reply | None:
    query = asked.query
    # "Which councils in Yorkshire ...?" asks about several; "in the North West", about a region's.
    unsure = query.could_mean and not query.many and not query.region
    if query.authorities or asked.filters.authority or not (query.absent or unsure):
        return None
    could_mean = tuple(authorities.display(key) or key for key in query.could_mean) if unsure else ()
    return Reply(asked.question, False, 0.0, could_mean=could_mean,
                 reason="authority_not_made_out" if unsure else "no_report_about_authority")
