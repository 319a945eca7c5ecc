"""The passage reader: spans ranked across passages, kept in their paragraph, lists answered whole
or by the item asked about, every answer an exact slice with its sentence; with a stand-in span
model (the shipped one is tested in test_span.py and end to end)."""

import numpy as np
import pytest

from qa.answer.query import understand
from qa.answer.read import PassageReader, Scorer
from qa.answer.span import Span
from qa.indexing.lexical import terms
from qa.types import Document, Paragraph, Passage

INTRO = "Kent was inspected in 2026. Leaders, who are new, know their services well."
LIST = ("The timeliness of assessments for children in need.\n"
        "The quality of the front door's response to domestic abuse.\n"
        "Support for care leavers aged over 21.")
TEXT = f"What needs to improve?\n{INTRO}\n{LIST}"
HEADING, PARAGRAPH = (0, 22), (23, 23 + len(INTRO))
ITEMS = (PARAGRAPH[1] + 1, len(TEXT))
DOCUMENT = Document("kent", "Kent", "2026-02-01", "kent.txt", "0" * 64, TEXT,
                    (Paragraph(*HEADING, kind="heading"), Paragraph(*PARAGRAPH), Paragraph(*ITEMS, kind="list")),
                    kind="inspection", authority="Kent")


class Spans:
    """Marks `marked` (a substring of the document) wherever a passage holds it."""

    def __init__(self, marked: str, margin: float = 5.0) -> None:
        self.marked, self.margin = marked, margin

    def read(self, question, passages, within=None):
        found = []
        for passage in passages:
            at = passage.find(self.marked)
            found.append(Span(at, at + len(self.marked), self.margin, 0.0) if at >= 0 else
                          Span(0, min(4, len(passage)), -3.0, 0.0))
        return found


class Store:
    def document(self, doc_id):
        return DOCUMENT

    def vocabulary(self, doc_id):
        return frozenset(terms(TEXT))


def _read(question, marked, top_k=3):
    passages = [Passage(1, "kent", ITEMS[0], ITEMS[1], 0.6), Passage(0, "kent", PARAGRAPH[0], PARAGRAPH[1], 0.5)]
    reader = PassageReader(Spans(marked), Scorer.load())
    return reader.read(Store(), understand(question, known={"kent"}), passages, top_k)


def _exact(answer):
    citation = answer.citation
    assert citation.paragraph[citation.start:citation.end] == answer.text == TEXT[citation.doc_start:citation.doc_end]
    assert citation.sentence_start <= citation.start < citation.end <= citation.sentence_end


def test_the_marked_span_answers_a_question_for_a_fact_and_the_other_passage_follows():
    answers = _read("Which assessments are timely?", "timeliness of assessments")
    assert [a.text for a in answers][:1] == ["timeliness of assessments"]
    assert len(answers) == 2 and answers[0].score > answers[1].score
    assert all(0.0 < a.score < 1.0 for a in answers)
    for answer in answers:
        _exact(answer)


def test_a_question_for_the_whole_list_gets_the_whole_list():
    first = _read("What does Kent need to improve?", "front door")[0]
    assert first.text == LIST and first.citation.paragraph == LIST
    _exact(first)


def test_a_question_about_one_item_gets_that_items_line():
    first = _read("What must Kent improve about its response to domestic abuse?", "domestic abuse")[0]
    assert first.text == "The quality of the front door's response to domestic abuse."
    _exact(first)


@pytest.mark.parametrize("question", ["How well do leaders know their services?", "Why are leaders effective?",
                                      "Do leaders know their services?", "How many services do leaders know?",
                                      "What do leaders know about their services?"])
def test_questions_but_those_for_a_name_date_or_grade_get_the_sentence_around_the_span(question):
    first = _read(question, "know their services", top_k=1)[0]
    assert first.text == "Leaders, who are new, know their services well."
    _exact(first)


def test_features_tell_the_reader_about_rank_and_margin():
    reader = PassageReader(Spans("know their"), Scorer.load())
    passages = [Passage(0, "kent", PARAGRAPH[0], PARAGRAPH[1], 0.5), Passage(1, "kent", ITEMS[0], ITEMS[1], 0.6)]
    first, second = reader.candidates(Store(), understand("Do leaders know their services?"), passages)
    assert first.features[0] == 5.0 and second.features[0] == -3.0  # margins
    assert first.features[1] > second.features[1] and np.isclose(first.features[1] + second.features[1], 1.0)
    assert first.features[3] == 1.0 and second.features[3] == 0.5  # 1 / (1 + rank)
    assert first.features[7] == 0.0  # the report has every name the question asks about
    named, = reader.candidates(Store(), understand("Do leaders in Gotham know their services?"), passages[:1])
    assert named.features[7] == 1.0


def test_a_span_lacking_the_figure_or_the_sum_asked_for_is_marked():
    from qa.answer.read import _figure_missing

    assert _figure_missing("figure", "a small number of children") == 1.0
    assert _figure_missing("figure", "about 35 children") == 0.0
    assert _figure_missing("figure", "two in three care leavers") == 0.0
    assert _figure_missing("money", "up to 25 years") == 1.0
    assert _figure_missing("money", "£7.5 million") == 0.0
    assert _figure_missing(None, "a small number of children") == 0.0


def test_scores_are_finite_whatever_the_features():
    import numpy as np

    from qa.answer.read import FEATURES, QUESTION, Scorer

    scorer = Scorer.load()
    rows = np.zeros((2, len(FEATURES)))
    rows[0, FEATURES.index("similarity")] = np.nan
    scores = scorer.probabilities(rows, np.zeros(len(QUESTION)))
    assert np.isfinite(scores).all() and scores[0] == 0.0


def test_an_answer_closes_the_bracket_it_opens():
    text = "Referrals go to the First Response Team (FRT) within a day. The team is new."
    document = Document("kent", "Kent", "2026-02-01", "kent.txt", "0" * 64, text, (Paragraph(0, len(text)),),
                        kind="inspection", authority="Kent")

    class OneReport(Store):
        def document(self, doc_id):
            return document

    reader = PassageReader(Spans("the First Response Team (FRT"), Scorer.load())
    answers = reader.read(OneReport(), understand("Which team handles referrals in Kent?", known={"kent"}),
                          [Passage(0, "kent", 0, len(text), 0.6)], 1)
    assert answers[0].text == "the First Response Team (FRT)"
    assert answers[0].citation.paragraph[answers[0].citation.start:answers[0].citation.end] == answers[0].text


@pytest.mark.parametrize("question, marked, expected", [
    # The reader marks the consequence, which repeats the question's words: the cause before it comes too.
    ("Why does Kent use schools out of its area?", "must rely",
     "Kent has too few special school places. As a result, the partnership must rely on schools out of area."),
    # The cause that follows comes too.
    ("Why are children not seen between reviews?", "not routinely seen",
     "Children are not routinely seen between reviews. This is because caseloads are too high."),
    # Not for other questions, nor a sentence that follows from nothing in the paragraph.
    ("How does Kent place children?", "must rely",
     "As a result, the partnership must rely on schools out of area."),
    ("What held up decisions in Kent?", "Decisions are slow",
     "Decisions are slow."),
])
def test_a_question_for_a_cause_gets_the_sentence_that_tells_it(question, marked, expected):
    text = {"must rely": "Kent has too few special school places. As a result, the partnership must rely on "
                         "schools out of area. Leaders know this.",
            "not routinely seen": "Children are not routinely seen between reviews. This is because caseloads are "
                                  "too high. IROs are skilled.",
            "Decisions are slow": "Decisions are slow. Leaders know this."}[marked]
    document = Document("kent", "Kent", "2026-02-01", "kent.txt", "0" * 64, text, (Paragraph(0, len(text)),),
                        kind="inspection", authority="Kent")

    class OneReport(Store):
        def document(self, doc_id):
            return document

    reader = PassageReader(Spans(marked), Scorer.load())
    answers = reader.read(OneReport(), understand(question, known={"kent"}), [Passage(0, "kent", 0, len(text), 0.6)], 1)
    assert answers[0].text == expected
    assert answers[0].citation.paragraph[answers[0].citation.start:answers[0].citation.end] == answers[0].text
