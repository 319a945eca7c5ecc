"""Passages to extractive answers: the span reader reads the best passages, and the answers are
ranked across passages by a calibrated score, the probability that the answer is right.

The span model (`qa.answer.span_reader`) marks the best span of each passage and scores "no answer
here". Each passage's span is described by a few features (its margin over "no answer", its share
of the question's span scores over all the passages read, the passage's retrieval rank and
similarity, whether its report is the latest of those read when the question names no year,
whether it lacks a name the question asks about, whether the question asks for a sum of money
or another figure that the span does not give). A logistic model over them ranks the spans, and a second one (Platt
scaling of the span's ranking logit, how far it falls below a hopeless margin and its lead over
the other spans) turns each into the chance of being right. Both are fitted on held-out training
questions (`training/fit_scorer.py`, weights in `qa/models/scorer.json`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.answer.query import Query
from qa.answer.span import Span
from qa.answer.span_reader import SpanModel
from qa.config import MODELS
from qa.errors import ConfigError
from qa.indexing.lexical import names
from qa.indexing.store import Store
from qa.reports.sentences import split_sentences
from qa.types import Answer, Citation, Document, Paragraph, Passage

SCORER = MODELS / "scorer.json"
FEATURES = ("margin", "share", "null_share", "rank", "similarity", "latest", "gap", "name_missing",
            "not_a_figure")
# A sum of money in an answer ("£1.2 million", "£500,000").
_MONEY = re.compile(r"£|\bpounds?\b|\b(?:million|thousand|billion)\b|\d(?:m|k|bn)\b", re.IGNORECASE)
# A figure in an answer: digits or a number in words ("three", "half", "per cent").
_FIGURE = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|quarter|third|thirds|"
                     r"per ?cent|percent|dozen)\b", re.IGNORECASE)
# What the question asks, for the calibration: the same reader's score is right more often for
# some kinds of question than others (out of fold over the held-out training questions, these
# raised "not found" for unanswerable questions from 0.772 to 0.801 at the same false abstention).
# Whether the question names an authority was tried and left out: it weighed +1.5 and so doubted
# every answer over a corpus of one authority, whose questions need not name it.
QUESTION = ("yes_no", "figure", "fact", "reason", "listing", "follow_up", "corrected", "year")
CALIBRATION = ("logit", "shortfall", "lead", *QUESTION)
# Front-page answers are measured in two groups: the overall effectiveness grade, which a question
# gets when it asks for a grade without naming one ("How was Walsall rated?") and so is sometimes
# not what was meant, and the rest, each asked by name (a judgement, the lead inspector, the dates).
FRONT_PAGE = ("overall", "named")
# A sentence that tells what follows from the one before, and one that tells the cause of the one
# before.
_CONSEQUENCE = re.compile(r"\s*(?:As a (?:result|consequence)|Consequently|Therefore|As such|Because of this|This "
                          r"(?:means|has meant|meant|results|resulted|has resulted|leads|led|has led|is leading)\b)")
_CAUSE_FOLLOWS = re.compile(r"\s*(?:This is (?:because|due to)|This was (?:because|due to)|That is because|"
                            r"Because|This is partly because)\b")
# A span whose margin over "no answer" is under this is rarely right: of the held-out training
# questions' best spans (8 passages read), 1.4% of the right ones and 72% of the unanswerable.
# How far a span falls below it is a calibration input (chosen out of fold with
# training/fit_scorer.py among 0, -4, -6, -8, -10 and -12: the best abstention at false
# abstention 0.05 and the least calibration error).
HOPELESS = -8.0
# How far after an answer the bracket it leaves open may close ("(FRT" and ")"): the words in
# brackets of the reports are initials or a short note.
_BRACKETED = 80
# A question none of whose passages is even this similar to it is about something no report speaks
# of ("Who won the 2022 World Cup?": 0.13 to an inspection letter), whatever names the reader marks
# in them. Of the held-out training questions (as written and as people type them) answered by a
# right passage, the least similar right passage had 0.142 (`training/fit_scorer.py` prints it;
# 0.106 with the embedder before it was fine-tuned, and this was 0.1).
LEAST_SIMILARITY = 0.14


@dataclass(frozen=True)
class Candidate:
    """The span the reader marks in one passage, in document offsets, with its features."""

    document: Document
    paragraph: int
    start: int
    end: int
    features: np.ndarray


@dataclass(frozen=True)
class Scorer:
    """Logistic ranking weights over FEATURES and the calibration of the best span's score."""

    weights: np.ndarray
    bias: float
    calibration: np.ndarray  # over CALIBRATION
    calibration_bias: float
    # The measured share of front-page answers that are right, by FRONT_PAGE group.
    front_pages: dict[str, float]

    @classmethod
    def load(cls, path: Path = SCORER) -> Scorer:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(np.array([data["weights"][name] for name in FEATURES], dtype=np.float64),
                       float(data["bias"]),
                       np.array([data["calibration"][name] for name in CALIBRATION], dtype=np.float64),
                       float(data["calibration_bias"]),
                       {group: float(data["front_page"][group]) for group in FRONT_PAGE})
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ConfigError(f"cannot read the answer scorer {path}: {error}") from None

    def front_page(self, judgement: str) -> float:
        """The chance that a front-page answer for `judgement` (a grade, "lead_inspector",
        "inspection_dates") is right."""
        return self.front_pages[front_page_group(judgement)]

    def logits(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights + self.bias

    def probabilities(self, features: np.ndarray, question: np.ndarray) -> np.ndarray:
        """The chance that each span is right, given the spans it was ranked with and the question
        (`question_row`); always finite (a feature that is not a number, from vectors damaged on
        disk, gives no chance)."""
        rows = calibration_rows(self.logits(features), features, question)
        return np.nan_to_num(1.0 / (1.0 + np.exp(-(rows @ self.calibration + self.calibration_bias))), nan=0.0)


def front_page_group(judgement: str) -> str:
    return "overall" if judgement == "overall_effectiveness" else "named"


def question_row(query: Query) -> np.ndarray:
    """The QUESTION features of a question, in QUESTION's order."""
    kinds = {"yes_no": query.yes_no, "figure": query.wants is not None, "fact": query.fact, "reason": query.reason,
             "listing": query.listing is not None, "follow_up": bool(query.context),
             "corrected": bool(query.corrections), "year": bool(query.years)}
    return np.array([kinds[name] for name in QUESTION], dtype=np.float64)


def calibration_rows(logits: np.ndarray, features: np.ndarray, question: np.ndarray) -> np.ndarray:
    """One row of CALIBRATION a span: its ranking logit, how far its margin falls below HOPELESS
    (0 when above), its lead over the best other span (negative for all but the best; 10 at most,
    and for a span alone), and the question's features."""
    if len(logits) > 1:
        top, second = np.sort(logits)[::-1][:2]
        lead = np.where(logits == top, logits - second, logits - top)
    else:
        lead = np.full(len(logits), 10.0)
    shortfall = np.minimum(features[:, FEATURES.index("margin")] - HOPELESS, 0.0)
    return np.column_stack([logits, shortfall, np.minimum(lead, 10.0), np.tile(question, (len(logits), 1))])


class PassageReader:
    """Reads the best passages with the span model and cites the best spans."""

    def __init__(self, spans: SpanModel, scorer: Scorer | None = None, passages_read: int = 6) -> None:
        self.spans = spans
        self.scorer = scorer or Scorer.load()
        self.passages_read = passages_read

    def read(self, store: Store, query: Query, passages: list[Passage], limit: int) -> list[Answer]:
        """Up to `limit` answers from different paragraphs, best first; each score is the
        probability that the answer is right."""
        candidates = self.candidates(store, query, passages)
        if not candidates:
            return []
        scores = self.scorer.probabilities(np.array([c.features for c in candidates]), question_row(query))
        answers, seen = [], set()
        for i in np.argsort(-scores, kind="stable"):
            candidate = candidates[i]
            where = (candidate.document.doc_id, candidate.paragraph)
            if where in seen:
                continue
            seen.add(where)
            answers.append(cite(candidate.document, candidate.paragraph, candidate.start, candidate.end,
                                float(scores[i])))
            if len(answers) == limit:
                break
        return answers

    def candidates(self, store: Store, query: Query, passages: list[Passage]) -> list[Candidate]:
        """The best span of each passage read, with its features."""
        passages = passages[:self.passages_read]
        spans = self.spans_of(store, query, passages)
        found = [(rank, passage, span) for rank, (passage, span) in enumerate(zip(passages, spans, strict=True))
                 if span is not None]
        if not found:
            return []
        scores = np.array([span.score for _, _, span in found])
        nulls = np.array([span.null for _, _, span in found])
        share = _softmax(scores)
        null_share = _softmax(np.append(scores, nulls.max()))[-1]
        margins = scores - nulls
        dates = [store.document(passage.doc_id).date or "" for _, passage, _ in found]
        newest = max(dates)
        named = names(query.with_context)
        candidates = []
        for n, (rank, passage, span) in enumerate(found):
            # A report that does not mention a name the question asks about rarely answers it.
            missing = bool(named) and not named <= store.vocabulary(passage.doc_id)
            text = store.document(passage.doc_id).text[passage.start + span.start:passage.start + span.end]
            features = np.array([margins[n], share[n], null_share, 1.0 / (1 + rank), passage.score,
                                 float(not query.years and dates[n] == newest), margins[n] - margins.max(),
                                 float(missing), _figure_missing(query.wants, text)])
            candidates.append(_place(store.document(passage.doc_id), passage, span, features, query))
        return [c for c in candidates if c is not None]


    def spans_of(self, store: Store, query: Query, passages: list[Passage]) -> list[Span | None]:
        """The span model's best span of each passage."""
        # A follow-up is read as asked: with the earlier question appended, the reader answered that
        # one instead ("And school attendance?" after a question on domestic abuse, at 0.95).
        return self.spans.read(query.asked, [store.document(p.doc_id).text[p.start:p.end] for p in passages])


def _figure_missing(wants: str | None, text: str) -> float:
    """Whether a span lacks the sum of money or the figure the question wants: "How many children
    were living in unregistered homes?" marked "a small number of children", "How much does the
    City of London spend on its local offer?" marked "up to 25 years"."""
    figure = {"money": _MONEY, "figure": _FIGURE}.get(wants or "")
    return float(figure is not None and not figure.search(text))


def _place(document: Document, passage: Passage, span: Span, features: np.ndarray,
           query: Query) -> Candidate | None:
    """The answer in document offsets, inside the paragraph where the span starts; none in a
    heading, which names a topic rather than answering. A question for a name, date or grade gets
    the span; in a list, one asking for the list gets all of it and one asking for an item its
    whole line; any other question (a figure, why or how, yes or no, what was found, what changed)
    the sentence around the span, and one for a cause also the sentence before that it follows from
    or the one after that gives its cause (`_with_cause`). (On the held-out training questions whose
    first paragraph was right, the sentence held the gold words more often than the clause or the
    span at a higher F1 for a figure, 0.84 against 0.73 and 0.41, for why and how, 0.74 against
    0.68, and for yes or no, 0.95 against 0.87; a bare number lacks its unit: "74" for "74%",
    "five" for "five schools". For the other questions the sentence rather than its clause: on the 705 answerable
    held-out training questions contains@1 0.721 to 0.738 at F1@1 0.759 to 0.756; the clause
    dropped the words that answer, "is not well developed." With the cause's sentence too, 7 more
    of their 40 why questions held the gold words, contains@1 0.773 to 0.783, none fewer: the reader
    had marked the consequence, "As a result, ...", which repeats the question's words.)"""
    start, end = passage.start + span.start, passage.start + span.end
    paragraph = document.paragraph_at(start)
    bounds = document.paragraphs[paragraph]
    if bounds.kind == "heading":
        return None
    end = min(end, bounds.end)
    text = document.text
    if query.listing and bounds.kind == "list":
        if query.listing == "all":
            start, end = bounds.start, bounds.end
        else:  # the item (or items) that hold the span
            lines = bounds.lines(text)
            start = max((left for left, _ in lines if left <= start), default=bounds.start)
            end = min((right for _, right in lines if right >= end), default=bounds.end)
    elif not (query.fact and query.wants is None):  # any question but one for a name, date or grade
        start, end = _sentence(text, bounds, start, end)
        if query.cause:
            start, end = _with_cause(text, bounds, start, end)
    end = _closed(text, bounds, start, end)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end <= start:
        return None
    return Candidate(document, paragraph, start, end, features)


def _with_cause(text: str, bounds: Paragraph, start: int, end: int) -> tuple[int, int]:
    """The sentences `start:end` with the one before when they tell what follows from it ("As a
    result, the partnership must rely on independent specialist schools.") and the one after when
    it tells their cause ("This is because IRO caseloads are too high."): a question for a cause
    asks for that sentence, and the reader often marks its consequence, which repeats the
    question's words."""
    sentences = split_sentences(text, bounds.start, bounds.end, bounds.breaks)
    before = [left for left, right in sentences if right <= start]
    after = [(left, right) for left, right in sentences if left >= end]
    if before and _CONSEQUENCE.match(text, start):
        start = before[-1]
    if after and _CAUSE_FOLLOWS.match(text, after[0][0]):
        end = after[0][1]
    return start, end


def _closed(text: str, bounds: Paragraph, start: int, end: int) -> int:
    """`end` moved past the brackets that `start:end` opens and leaves open, when they close within
    the paragraph soon after: the reader's span often stops just short, "the First Response Team
    (FRT" for "the First Response Team (FRT)"."""
    while text.count("(", start, end) > text.count(")", start, end):
        closing = text.find(")", end, min(end + _BRACKETED, bounds.end))
        if closing < 0:
            break
        end = closing + 1
    return end


def _sentence(text: str, bounds: Paragraph, start: int, end: int) -> tuple[int, int]:
    """The sentence (or sentences) of the paragraph `bounds` that hold `start:end`."""
    sentences = split_sentences(text, bounds.start, bounds.end, bounds.breaks)
    left = max((s for s, e in sentences if s <= start), default=bounds.start)
    right = min((e for s, e in sentences if e >= end), default=bounds.end)
    return left, right


def _softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


def cite(document: Document, index: int, start: int, end: int, score: float) -> Answer:
    """The answer `document.text[start:end]`, cited by its paragraph (`index`) and the report; the
    citation also marks the sentence (or sentences) that hold the answer."""
    paragraph = document.paragraphs[index]
    left, right = _sentence(document.text, paragraph, start, end)
    citation = Citation(
        doc_id=document.doc_id, title=document.title, date=document.date, source=document.source,
        paragraph=document.text[paragraph.start:paragraph.end], paragraph_number=paragraph.number,
        section=document.section(index), authority=document.authority, kind=document.kind,
        reference=document.reference(index),
        start=start - paragraph.start, end=end - paragraph.start, doc_start=start, doc_end=end,
        sentence_start=min(left, start) - paragraph.start, sentence_end=max(right, end) - paragraph.start,
        page=document.page_at(start), original=document.meta.get("url"),
        breaks=tuple(at - paragraph.start for at in paragraph.breaks))
    return Answer(document.text[start:end], score, citation)
