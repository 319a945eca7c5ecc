"""One question asked of every report in scope: a row per report with its best cited answer, or
none when the report does not answer it.

Each report is read as `ask` reads an authority's reports: its best passages (dense and BM25 fused,
within the report) by the span reader, its best span scored by the calibrated scorer. The question
is embedded once and BM25 scores it once for all reports, whose passages are searched for several
reports at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from qa.answer.filters import Filters, Scope, authority_of, distinct, in_region, without_scope
from qa.answer.query import Query, kinds_surveyed
from qa.answer.retrieve import in_each, query_vector
from qa.ofsted import authorities, regions
from qa.pipeline import QA
from qa.types import Answer, Document

# Passages read in each report, and reports whose passages are searched for at a time.
PASSAGES_PER_REPORT = 3
BATCH = 8
CSV_FIELDS = ("authority", "region", "date", "kind", "title", "doc_id", "answer", "score", "reference",
              "paragraph_number", "page", "doc_start", "doc_end")


@dataclass(frozen=True)
class SurveyRow:
    """A report and its answer to the question (None: it does not answer it); `score` is the best
    span's probability of being right, answered or not."""

    authority: str | None
    region: str | None
    doc_id: str
    title: str
    date: str | None
    kind: str
    score: float
    answer: Answer | None

    def to_dict(self) -> dict:
        return {"authority": self.authority, "region": self.region, "doc_id": self.doc_id, "title": self.title,
                "date": self.date,
                "kind": self.kind, "score": round(self.score, 4),
                "answer": self.answer.to_dict() if self.answer else None}


def reports(qa: QA, query: Query, filters: Filters) -> list[Document]:
    """The reports a survey asks: those the filters allow, of the region, years and kinds of report
    the question names, one of each; by authority, then date."""
    documents = [e.document for e in qa.store.entries.values() if filters.matches(e.document)]
    if query.region and not filters.region and not query.authorities:
        documents = [d for d in documents if in_region(d, query.region)]
    if query.years:
        documents = [d for d in documents if d.years & set(query.years)]
    kinds = () if filters.kind else kinds_surveyed(query.text)
    if kinds:
        documents = [d for d in documents if d.kind in kinds]
    return sorted(distinct(documents), key=lambda d: (authority_of(d) or "~", d.date or "", d.doc_id))


def survey(qa: QA, question: str, filters: Filters | None = None, offset: int = 0,
           limit: int | None = None) -> tuple[int, Iterator[SurveyRow]]:
    """How many reports are in scope, and their rows (from `offset`, at most `limit`), computed as
    they are iterated."""
    question = qa.check_question(question)
    store = qa.store
    query = qa.understand(store, question)
    chosen = reports(qa, query, filters or Filters())
    page = chosen[offset:None if limit is None else offset + limit]
    return len(chosen), _rows(qa, store, query, page)


def _rows(qa: QA, store, query: Query, documents: list[Document]) -> Iterator[SurveyRow]:
    # The report chose itself: its authority's name and its year no longer tell passages apart.
    search = without_scope(query.asked, Scope(years=query.years, named=query.mentions, by_year=bool(query.years)))
    vector = query_vector(qa.embedder, search)
    reader = qa.reader
    for at in range(0, len(documents), BATCH):
        batch = documents[at:at + BATCH]
        passages = in_each(store, vector, search, [d.doc_id for d in batch], PASSAGES_PER_REPORT)
        for document in batch:
            answers = reader.read(store, query, passages[document.doc_id], 1)
            best = answers[0] if answers else None
            score = best.score if best else 0.0
            name = authorities.display(authority_of(document)) or document.authority
            yield SurveyRow(name, regions.region_of(authority_of(document)), document.doc_id, document.title,
                            document.date, document.kind, score,
                            best if best and score >= qa.settings.threshold else None)


def to_csv(rows: list[SurveyRow]) -> str:
    """The rows as CSV, one line per report. A cell that a spreadsheet would run as a formula
    (starting with =, +, - or @) is prefixed with an apostrophe; the JSON keeps the exact text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        citation = row.answer.citation if row.answer else None
        values = [row.authority or "", row.region or "", row.date or "", row.kind, row.title, row.doc_id,
                  row.answer.text if row.answer else "", f"{row.score:.4f}",
                  citation.reference if citation else "",
                  "" if citation is None or citation.paragraph_number is None else citation.paragraph_number,
                  "" if citation is None or citation.page is None else citation.page,
                  citation.doc_start if citation else "", citation.doc_end if citation else ""]
        writer.writerow([_safe(value) for value in values])
    return out.getvalue()


def _safe(value):
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
