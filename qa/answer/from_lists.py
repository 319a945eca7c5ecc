"""Questions that a report's own structure answers (qa.ofsted.sections): what must improve, from the
report's list, who carried out a visit, from the sentence that names the inspectors, and what
initials stand for, where the report introduces them (qa.answer.acronyms).

Which report: the one the question names (by year or kind of report); for a question in the
present tense, the latest inspection for the whole list, and for an item on a topic the reports
since the latest inspection (a later focused visit may have looked at just that topic). A question
for the whole list gets all of it, each paragraph of it cited (one answer for a list set out in one
paragraph); one on a topic ("What does Oldham need to improve at its front door?") gets the item
closest to it in meaning first. Children's services questions are not answered from area SEND
inspections unless they name them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.answer.acronyms import expansion
from qa.answer.filters import Scope, distinct
from qa.answer.query import Query
from qa.answer.read import SCORER, cite
from qa.errors import ConfigError
from qa.indexing.embed import Embedder
from qa.indexing.store import Store
from qa.ofsted.sections import Item, improvements, inspectors
from qa.research.history import reports_of
from qa.types import Answer, Document

SEND = "send inspection"
# How much less similar to the question an item of a newer report may be and still come first:
# chosen among 0, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3 and 1 on the training questions as written and as
# typed that have lists in several reports (26, 35, 36, 38, 42, 42, 40 and 40 of 54 right).
NEWER = 0.15


@dataclass(frozen=True)
class ListScores:
    """The measured chance that an answer from a report's structure is right (fitted by
    training/fit_lists.py on the training questions): a whole list, an item on a topic (logistic
    over its similarity to the question and its lead over the next item), the inspectors."""

    whole: float
    item_weights: tuple[float, float]
    item_bias: float
    inspectors: float
    initials: float  # what initials stand for, as the report spells them out

    @classmethod
    def load(cls, path: Path = SCORER) -> ListScores:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))["lists"]
            return cls(float(data["whole"]), (float(data["item_weights"][0]), float(data["item_weights"][1])),
                       float(data["item_bias"]), float(data["inspectors"]), float(data["initials"]))
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            raise ConfigError(f"cannot read the scores of answers from lists in {path}: {error}") from None

    def item(self, similarity: float, lead: float) -> float:
        logit = self.item_weights[0] * similarity + self.item_weights[1] * lead + self.item_bias
        return float(1.0 / (1.0 + np.exp(-logit)))


def reports_asked(store: Store, query: Query, scope: Scope) -> list[Document]:
    """The reports in scope that the question may be answered from, newest first: of the kinds it
    names (area SEND inspections only when named), and for the present, none older than the latest
    inspection."""
    chosen = distinct(store.document(doc_id) for doc_id in scope.doc_ids or ())
    named = [d for d in chosen if d.kind in query.kinds]
    chosen = named if query.kinds else [d for d in chosen if d.kind != SEND]
    # "the November 2023 focused visit": the visit of that month (published in that month or later).
    chosen = [d for d in chosen if d.months & set(query.months)] or chosen
    if query.present and not scope.by_year:
        inspected = [d.date for d in chosen if d.kind == "inspection" and d.date]
        if inspected:
            chosen = [d for d in chosen if (d.date or "") >= max(inspected)]
    return sorted(chosen, key=lambda d: d.date or "", reverse=True)


def _whole_list_report(reports: list[Document], query: Query) -> Document:
    """The report whose whole list a question asks for: an inspection rather than a visit of the
    same time unless it names the kind; else the newest."""
    if not query.kinds:
        return next((d for d in reports if d.kind == "inspection"), reports[0])
    return reports[0]


class StructureAnswers:
    """Answers from the parts of reports that Ofsted's formats set out."""

    def __init__(self, embedder: Embedder, scores: ListScores) -> None:
        self.embedder = embedder
        self.scores = scores

    def must_improve(self, store: Store, query: Query, scope: Scope, search: str, limit: int) -> tuple[Answer, ...]:
        """What the report asked about says must improve: its whole list, each paragraph of it cited, or
        the item on the topic the question names first; nothing when no report in scope has a list.
        `search` is the question as searched for (without the names that chose the reports)."""
        if not query.must_improve or scope.doc_ids is None:
            return ()
        reports = [d for d in reports_asked(store, query, scope) if improvements(d)]
        if not reports:
            return ()
        if query.listing != "item":
            document = _whole_list_report(reports, query)
            return tuple(_cite(document, part, self.scores.whole) for part in by_paragraph(improvements(document)))
        ranked = self.ranked_items(reports, search)
        _, _, best = ranked[0]
        lead = best - ranked[1][2] if len(ranked) > 1 else best
        answers = [_cite(*ranked[0][:2], self.scores.item(best, lead))]
        for document, item, similarity in ranked[1:limit]:
            # The other items, each scored as if it were the first, below the first.
            score = min(self.scores.item(similarity, similarity - best), answers[0].score)
            answers.append(_cite(document, item, score))
        return tuple(answers)

    def ranked_items(self, reports: list[Document], search: str) -> list[tuple[Document, Item, float]]:
        """Every item of the lists of `reports` (newest first) with its similarity in meaning to
        `search`, the one to answer with first: the closest item of the newest report that has one
        about as close as the closest of all (a focused visit on the topic after the inspection
        says what must improve now), then the others, closest first."""
        items = [(document, item) for document in reports for item in improvements(document)]
        vectors = self.embedder.encode([search, *(document.text[item.start:item.end] for document, item in items)])
        similarity = vectors[1:] @ vectors[0]
        ranked = [(*items[i], float(similarity[i])) for i in np.argsort(-similarity, kind="stable")]
        first = next(r for d in reports for r in ranked if r[0] is d and r[2] >= ranked[0][2] - NEWER)
        return [first, *(r for r in ranked if r is not first)]

    def spelt_out(self, store: Store, query: Query, scope: Scope) -> tuple[Answer, ...]:
        """What the initials asked about stand for, where the newest report in scope that
        introduces them spells them out; asked in the present, of any of the authority's reports
        (initials keep their meaning: "LEAP" is spelt out in 2014 only)."""
        if not query.initials or scope.doc_ids is None:
            return ()
        chosen = distinct(store.document(doc_id) for doc_id in scope.doc_ids)
        if scope.latest and query.authorities:
            chosen = [document for key in query.authorities for document in reports_of(store, key)]
        reports = sorted(chosen, key=lambda d: d.date or "", reverse=True)
        for document in reports:
            found = expansion(document, query.initials)
            if found:
                return (cite(document, *found, self.scores.initials),)
        return ()

    def inspectors(self, store: Store, query: Query, scope: Scope) -> tuple[Answer, ...]:
        """Who carried out the visit asked about, from the sentence that names its inspectors."""
        if not query.inspectors or scope.doc_ids is None or query.many:
            return ()
        for document in reports_asked(store, query, scope):
            found = inspectors(document)
            if found:
                return (cite(document, *found, self.scores.inspectors),)
        return ()


def by_paragraph(items: tuple[Item, ...]) -> list[Item]:
    """The items of a list joined into one a paragraph: a list set out in one paragraph (a bulleted
    list, as two lists in three are) is one answer, the whole list, cited once; a list whose
    items are paragraphs of their own (numbered recommendations) is an answer an item, each cited."""
    parts: list[Item] = []
    for item in items:
        if parts and parts[-1].paragraph == item.paragraph:
            parts[-1] = replace(parts[-1], end=item.end)
        else:
            parts.append(item)
    return parts


def _cite(document: Document, item: Item, score: float) -> Answer:
    return cite(document, item.paragraph, item.start, item.end, score)
