"""Answers that are tables of grades, each cited in its report's judgement table: one grade asked
of many authorities' inspections ("Which councils were judged inadequate in 2024?"), and one
judgement across an authority's inspections ("How has Birmingham's overall effectiveness changed
since 2018?")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa.answer.filters import authority_of, distinct
from qa.answer.read import cite
from qa.ofsted import authorities
from qa.ofsted.metadata import grade_spans, table_spans
from qa.types import Answer, Document

JUDGEMENTS = {
    "overall_effectiveness": "overall effectiveness",
    "impact_of_leaders": "the impact of leaders",
    "help_and_protection": "children who need help and protection",
    "children_in_care": "children in care",
    "care_leavers": "care leavers",
}
# Judgements of the 2013 to 2018 framework alone, which tables and charts of every inspection leave out.
FORMER_JUDGEMENTS = {
    "adoption": "adoption performance",
    "lscb": "the Local Safeguarding Children Board",
}
# Every judgement a question can ask the grade of.
NAMED = {**JUDGEMENTS, **FORMER_JUDGEMENTS}
# Inspections under the framework Ofsted brought in with its 2025 reform give no overall grade.
REFORM_YEAR = 2025


@dataclass(frozen=True)
class Row:
    """One report of a table answer: its grade for the judgement asked, and the answer citing it
    when the report is one the question asks for (None otherwise)."""

    authority: str
    doc_id: str
    date: str | None
    kind: str
    grade: str | None
    answer: Answer | None
    note: str | None = None

    def to_dict(self) -> dict:
        return {"authority": self.authority, "doc_id": self.doc_id, "date": self.date, "kind": self.kind,
                "grade": self.grade, "answer": self.answer.to_dict() if self.answer else None,
                "note": self.note}


def inspections(documents: Iterable[Document]) -> list[Document]:
    """The inspection reports, one per inspection."""
    return distinct(d for d in documents if d.kind == "inspection")


def across_authorities(documents: Iterable[Document], judgement: str, grades: Sequence[str],
                       years: Sequence[int], score: float) -> list[Row]:
    """Each authority's inspections published in `years` (its latest inspection when none are
    given), with the `judgement` grade; rows of the `grades` asked for (any grade, when none are)
    carry an answer and come first."""
    chosen = inspections(documents)
    if years:
        chosen = [d for d in chosen if d.date and int(d.date[:4]) in years]
    else:
        newest: dict[str, Document] = {}
        for document in chosen:
            key = authority_of(document) or document.doc_id
            if document.date and document.date > (newest[key].date if key in newest else ""):
                newest[key] = document
        chosen = list(newest.values())
    rows = [_row(document, judgement, grades, score) for document in chosen]
    return sorted(rows, key=lambda row: (row.answer is None, row.authority, row.date or ""))


def over_time(documents: Iterable[Document], judgement: str, since: int | None, score: float) -> list[Row]:
    """An authority's inspections, newest first, with the `judgement` grade: those from the year
    `since` on and the last one before it (to compare with), or the latest two when no year is
    given. Every row with a grade carries an answer."""
    chosen = sorted((d for d in inspections(documents) if d.date), key=lambda d: d.date, reverse=True)
    if since is None:
        chosen = chosen[:2]
    else:
        after = [d for d in chosen if int(d.date[:4]) >= since]
        chosen = after + [d for d in chosen if int(d.date[:4]) < since][:1 if len(after) < 2 else 0]
    return [_row(document, judgement, (), score, whole_table=True) for document in chosen]


def ungraded(documents: Iterable[Document], judgement: str) -> list[Row]:
    """When none of the inspections among `documents` gives a `judgement` grade (an inspection
    since the 2025 reform asked its overall grade): a row for each, newest first, saying why;
    else nothing."""
    chosen = inspections(documents)
    if not chosen or any(judgement in d.meta.get("grades", {}) for d in chosen):
        return []
    return [_row(document, judgement, (), 0.0) for document in sorted(chosen, key=lambda d: d.date or "",
                                                                       reverse=True)]


def _spans(document: Document) -> dict[str, tuple[int, int, int]]:
    return grade_spans(document.text, document.paragraphs) if document.meta.get("grades") else {}


def judgement_table(document: Document, score: float) -> Answer | None:
    """The report's whole judgement table (every grade it gives), cited, if it has one."""
    spans = table_spans(document.text, document.paragraphs) if document.meta.get("grades") else {}
    if not spans:
        return None
    index = next(iter(spans.values()))[0]
    paragraph = document.paragraphs[index]
    return cite(document, index, paragraph.start, paragraph.end, score) if paragraph.kind == "table" else None


def _row(document: Document, judgement: str, grades: Sequence[str], score: float,
         whole_table: bool = False) -> Row:
    """A report's row; with `whole_table`, a report without the grade asked is answered with its
    whole judgement table (the grades it does give), when it has one."""
    grade = document.meta.get("grades", {}).get(judgement)
    span = _spans(document).get(judgement) if grade else None
    answer = cite(document, *span, score) if span and (not grades or grade in grades) else None
    if answer is None and whole_table:
        answer = judgement_table(document, score)
    name = authorities.display(authority_of(document)) or document.authority or document.title
    return Row(name, document.doc_id, document.date, document.kind, grade, answer,
               None if grade else _missing(document, judgement))


def _missing(document: Document, judgement: str) -> str:
    """Why a report gives no grade for `judgement`."""
    graded = document.meta.get("grades", {})
    if judgement == "overall_effectiveness" and graded and document.date and int(document.date[:4]) >= REFORM_YEAR:
        return "no overall effectiveness grade: inspections since Ofsted's 2025 reform give none"
    return f"no grade for {NAMED[judgement]} in this report"
