"""The data that flows through the pipeline; every span carries offsets into a document's text."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a document: `text[start:end]`, with the report's own number if it has one.

    `kind` is "text", "heading", "list" or "table" (one row a line). A list's items run on with a
    space between, as a quotation of the list reads ("The timeliness of health assessments.
    Independent reviewing officer workloads."); `breaks` are where each item after the first
    starts. (An index built before keeps its lists one item a line, with no breaks.)
    """

    start: int
    end: int
    number: int | None = None
    kind: str = "text"
    breaks: tuple[int, ...] = ()

    def lines(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each line of the paragraph in `text`: a list's items, a table's rows,
        the lines of a text broken by the writer."""
        if self.breaks:
            cuts = [self.start, *self.breaks, self.end + 1]
            return [(left, right - 1) for left, right in zip(cuts, cuts[1:], strict=False)]
        spans, offset = [], self.start
        for line in text[self.start:self.end].split("\n"):
            spans.append((offset, offset + len(line)))
            offset += len(line) + 1
        return spans

    def shown(self, text: str) -> str:
        """The paragraph's text for display, each line on a line of its own (a list's items too):
        as long as `text[start:end]`, so that the same offsets hold."""
        return lined(text[self.start:self.end], self.breaks, self.start)


def lined(text: str, breaks: tuple[int, ...], offset: int) -> str:
    """`text`, which starts at `offset`, with the space before each of `breaks` (where a list's next
    item starts) shown as a line break."""
    characters = list(text)
    for at in breaks:
        if 0 <= at - 1 - offset < len(characters):
            characters[at - 1 - offset] = "\n"
    return "".join(characters)


@dataclass(frozen=True)
class Turn:
    """An earlier turn of a chat: its question, and the words of the first answer it got and the
    report (doc_id) that answer cites ("" for none or not known)."""

    question: str
    answer: str = ""
    report: str = ""


@dataclass(frozen=True)
class Document:
    """A cleaned report: the stored text that every offset points into, and its metadata."""

    doc_id: str
    title: str
    date: str | None
    source: str
    sha256: str
    text: str
    paragraphs: tuple[Paragraph, ...] = ()
    kind: str = "other"
    authority: str | None = None
    # Read from the text (qa.ofsted.metadata): inspection dates, lead inspector, framework, grades.
    meta: dict = field(default_factory=dict)
    # Where each page of the original starts in `text` (qa.reports.pages); () when it has no pages.
    pages: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page of the original (from 1) that holds `offset`; None when not known."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None

    @property
    def years(self) -> set[int]:
        """Years the report belongs to: of its publication and of its inspection or visit."""
        return {int(value[:4]) for value in self._dates}

    @property
    def months(self) -> set[tuple[int, int]]:
        """(year, month) of its publication and of its inspection or visit."""
        return {(int(value[:4]), int(value[5:7])) for value in self._dates if len(value) >= 7}

    @property
    def _dates(self) -> list[str]:
        return [value for value in (self.date, self.meta.get("inspection_start"), self.meta.get("inspection_end"))
                if value]

    def reference(self, paragraph: int | None = None) -> str:
        """How a citation names the report: "Worcestershire, inspection published 14 July 2023
        (inspected 22 May 2023 to 26 May 2023), paragraph 10"; a report that gives no date says so."""
        kind = self.kind if self.kind != "other" else "report"
        parts = [self.authority or self.title]
        parts.append(f"{kind} published {written_day(self.date)}" if self.date else f"{kind}, date not given")
        visit = [written_day(self.meta[key]) for key in ("inspection_start", "inspection_end") if self.meta.get(key)]
        if visit:
            parts[-1] += f" (inspected {' to '.join(dict.fromkeys(visit))})"
        number = self.paragraphs[paragraph].number if paragraph is not None else None
        if number is not None:
            parts.append(f"paragraph {number}")
        return ", ".join(parts)

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph that contains `offset` (or the last one starting before it)."""
        low, high = 0, len(self.paragraphs)
        while low < high:
            middle = (low + high) // 2
            if self.paragraphs[middle].start <= offset:
                low = middle + 1
            else:
                high = middle
        return max(low - 1, 0)

    def section(self, index: int) -> str | None:
        """The heading that the paragraph at `index` comes under, if any."""
        for paragraph in reversed(self.paragraphs[:index]):
            if paragraph.kind == "heading":
                return self.text[paragraph.start:paragraph.end]
        return None


@dataclass(frozen=True, slots=True)
class Chunk:
    """A token-bounded run of whole paragraphs (or sentences of one long paragraph)."""

    doc_id: str
    start: int
    end: int
    tokens: int


@dataclass(frozen=True)
class Passage:
    """A chunk retrieved for a question, with its similarity score."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    score: float


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from: the report, its paragraph, and offsets into both."""

    doc_id: str
    title: str
    date: str | None
    source: str
    paragraph: str
    paragraph_number: int | None
    section: str | None
    authority: str | None
    kind: str
    reference: str
    start: int
    end: int
    doc_start: int
    doc_end: int
    # The sentence holding the answer, in the paragraph (equal to start and end for a sentence answer).
    sentence_start: int
    sentence_end: int
    # The page of the original where the answer starts; None when the report has no pages.
    page: int | None = None
    # The original's address (Ofsted's file, from the report's sidecar or the corpus's manifest.csv),
    # None when not known.
    original: str | None = None
    # Where each item after the first starts in `paragraph`, for a list (see Paragraph.breaks): to
    # show its items as lines.
    breaks: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Answer:
    """An exact slice of a report's text with a score in [0, 1] and its citation."""

    text: str
    score: float
    citation: Citation

    @property
    def shown(self) -> str:
        """The text for display: a list's items (Citation.breaks) on lines of their own."""
        return lined(self.text, self.citation.breaks, self.citation.start)

    @property
    def likelihood(self) -> str:
        """The score in words: it is a measured probability of being right (training/fit_scorer.py)."""
        times = round(self.score * 10)
        if times >= 10:
            return "answers scored like this are right nearly every time"
        if times <= 0:
            return "answers scored like this are rarely right"
        return f"answers scored like this are right about {times} times in 10"

    def to_dict(self) -> dict:
        return {"text": self.text, "score": round(self.score, 4), "likelihood": self.likelihood,
                "citation": self.citation.to_dict()}


# Why a question was not answered, by the code a reply's `reason` gives: one sentence each, which
# the API, the chat and the CLI show.
REASONS = {
    "no_report_about_authority": "No indexed report is about the authority the question names.",
    "authority_not_made_out": "The question's authority is not made out: its name could be more than one.",
    "nothing_in_scope": "No indexed report matches the question's filters.",
    "grade_not_given": "No report asked about gives that grade.",
    "not_in_reports": "The reports do not answer this question.",
}


@dataclass(frozen=True)
class Reply:
    """What `ask` returns: answers, or `answered=False` with the closest passages for context."""

    question: str
    answered: bool
    took_ms: float
    answers: tuple[Answer, ...] = ()
    closest: tuple[Answer, ...] = field(default=())
    # For a question about many reports: one row per report asked about (qa.answer.tables.Row), else None.
    table: tuple | None = None
    # The question as searched for, when misspelt words of it were corrected.
    searched_for: str | None = None
    # The authorities a name in the question could mean, when it was not made out (not answered).
    could_mean: tuple[str, ...] = ()
    # Why it was not answered: a key of REASONS (None when answered).
    reason: str | None = None

    def __post_init__(self) -> None:
        if not self.answered and self.reason is None:
            object.__setattr__(self, "reason", "not_in_reports")

    @property
    def from_table(self) -> bool:
        """Whether the answers are the table's rows' (else the reports' words beside the table)."""
        rows = [row.answer.citation for row in self.table or () if row.answer]
        return all(any((answer.citation.doc_id, answer.citation.doc_start) == (row.doc_id, row.doc_start)
                       for row in rows) for answer in self.answers)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answered": self.answered,
            "took_ms": round(self.took_ms, 2),
            "answers": [answer.to_dict() for answer in self.answers],
            "closest": [answer.to_dict() for answer in self.closest],
            "table": None if self.table is None else [row.to_dict() for row in self.table],
            "from_table": self.table is not None and self.from_table,
            "searched_for": self.searched_for,
            "could_mean": list(self.could_mean),
            "reason": None if self.reason is None else {"code": self.reason, "message": REASONS[self.reason]},
        }


def written_day(iso: str) -> str:
    """"2023-07-14" as "14 July 2023"."""
    day = dt.date.fromisoformat(iso[:10])
    return f"{day.day} {day:%B} {day.year}"
