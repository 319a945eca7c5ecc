"""Research across reports with the real models over real inspections of 2014 to 2026: questions
about many authorities, a judgement's change over time, one question asked of every report, and an
authority's history."""

import csv
import io

import pytest

from qa.answer.filters import Filters
from qa.answer.query import understand
from qa.research import history as histories
from qa.research.feedback import FeedbackError, FeedbackStore, checked_answer, question_file
from qa.research.survey import survey, to_csv


def _exact(qa, answer):
    citation = answer.citation
    assert qa.store.document(citation.doc_id).text[citation.doc_start:citation.doc_end] == answer.text
    assert citation.paragraph[citation.start:citation.end] == answer.text


def _rows(reply):
    return [(row.authority, row.date, row.grade, row.answer.text if row.answer else None) for row in reply.table]


@pytest.mark.parametrize("question, many, grades, judgement", [
    ("Which local authorities were judged inadequate overall in inspections published in 2024?", True,
     ("inadequate",), "overall_effectiveness"),
    ("Where was the impact of leaders judged outstanding in 2023?", True, ("outstanding",), "impact_of_leaders"),
    ("Which councils' care leavers were judged good in 2022?", True, ("good",), "care_leavers"),
    ("How many authorities are rated outstanding now?", True, ("outstanding",), "overall_effectiveness"),
    ("Which councils were judged good or better in 2023?", True, ("outstanding", "good"), "overall_effectiveness"),
    ("What was Sandwell's overall effectiveness grade in 2022?", False, (), "overall_effectiveness"),
    ("Why was the service for privately fostered children judged poor?", False, (), None),
])
def test_questions_about_many_authorities_are_understood(question, many, grades, judgement):
    query = understand(question, known={"sandwell"})
    assert (query.many, query.grades, query.judgement) == (many, grades, judgement)


@pytest.mark.parametrize("question, change", [
    ("How has Birmingham's overall effectiveness changed since 2018?", "overall_effectiveness"),
    ("Has Sunderland improved since its last inspection?", "overall_effectiveness"),
    ("Has support for care leavers improved in Birmingham since 2019?", "care_leavers"),
    # A topic of its own is the reader's: no judgement covers it.
    ("Has Birmingham got better at linking MARAC with child protection planning since its last inspection?", None),
    ("What needs to improve in Birmingham?", None),
])
def test_change_questions_name_the_judgement_or_leave_it_to_the_reader(question, change):
    assert understand(question, known={"birmingham", "sunderland"}).change == change


def test_which_authorities_were_judged_inadequate_in_a_year(research_qa):
    reply = research_qa.ask("Which local authorities were judged inadequate overall in inspections published in 2024?")
    assert reply.answered
    # Every 2024 inspection is a row; the one judged inadequate carries the answer, cited in its table.
    assert _rows(reply) == [("Havering", "2024-02-16", "inadequate", "Inadequate"),
                            ("Bromley", "2024-01-12", "outstanding", None)]
    answer = reply.answers[0]
    _exact(research_qa, answer)
    citation = answer.citation
    assert citation.paragraph[citation.sentence_start:citation.sentence_end] == "Overall effectiveness Inadequate"
    assert reply.to_dict()["table"][0]["answer"]["text"] == "Inadequate"


def test_now_means_each_authoritys_latest_inspection(research_qa):
    reply = research_qa.ask("How many authorities are rated outstanding now?", top_k=1)
    rows = {row.authority: row for row in reply.table}
    # One row per authority (Worcestershire's 2023 report is there as text and as PDF: one row).
    assert sorted(rows) == ["Birmingham", "Blackpool", "Bromley", "Essex", "Havering", "Sunderland",
                            "Worcestershire"]
    assert [row.authority for row in reply.table if row.answer] == ["Bromley", "Sunderland"]
    assert rows["Sunderland"].date == "2025-03-11" and rows["Birmingham"].grade == "good"
    # Inspections since the 2025 reform give no overall grade: said so, none invented.
    assert rows["Blackpool"].grade is None and "2025 reform" in rows["Blackpool"].note
    assert len(reply.answers) == 1
    for row in reply.table:
        if row.answer:
            _exact(research_qa, row.answer)


def test_a_judgement_of_the_older_framework_and_a_joint_one(research_qa):
    reply = research_qa.ask("Which councils were judged good in 2014?")
    assert _rows(reply) == [("Essex", "2014-03-21", "good", "good")]
    assert "The overall judgement is good" in reply.answers[0].citation.paragraph
    # 2018 to 2022 judged children in care and care leavers together: that grade is the care leavers' too.
    reply = research_qa.ask("Which councils' care leavers were judged requires improvement in 2019?")
    assert [row.authority for row in reply.table if row.answer] == ["Birmingham", "Worcestershire"]
    assert all("care leavers" in row.answer.citation.paragraph for row in reply.table)


def test_a_judgement_over_time_is_answered_with_both_reports_cited(research_qa):
    reply = research_qa.ask("How has Birmingham's overall effectiveness changed since 2018?")
    assert [(a.citation.date, a.text) for a in reply.answers] == [
        ("2023-04-18", "Good"), ("2019-01-17", "Requires improvement to be good")]
    for answer in reply.answers:
        _exact(research_qa, answer)
    assert reply.from_table


def test_a_change_asked_without_naming_a_grade_is_answered_in_the_reports_words_beside_the_grades(research_qa):
    reply = research_qa.ask("Has Sunderland improved since its last inspection?")
    assert [(row.date, row.grade) for row in reply.table] == [("2025-03-11", "outstanding"),
                                                              ("2021-08-20", "outstanding")]
    assert reply.answered and not reply.from_table and reply.to_dict()["from_table"] is False
    assert reply.answers[0].citation.date == "2025-03-11" and "improvement" in reply.answers[0].text
    for answer in reply.answers:
        _exact(research_qa, answer)


def test_other_questions_get_no_table(research_qa):
    reply = research_qa.ask("What needs to improve in Havering?")
    assert reply.table is None and reply.to_dict()["table"] is None


def test_survey_asks_every_report_in_scope_once(research_qa):
    total, rows = survey(research_qa, "How do the 2024 inspections describe the quality of supervision?")
    rows = list(rows)
    assert total == 2 and [row.authority for row in rows] == ["Bromley", "Havering"]
    for row in rows:
        assert 0.0 <= row.score <= 1.0
        if row.answer:
            _exact(research_qa, row.answer)
            assert row.answer.citation.doc_id == row.doc_id
    assert any(row.answer and "supervision" in row.answer.text for row in rows)
    # Twins count once, filters apply, and a page is a slice of the same rows.
    total, rows = survey(research_qa, "How effective is the front door?", Filters(authority="Worcestershire"))
    assert total == 2
    total, page = survey(research_qa, "How effective is the front door?", None, offset=3, limit=2)
    assert total == 10 and len(list(page)) == 2


def test_survey_csv_is_one_line_a_report_and_never_a_formula(research_qa):
    _, rows = survey(research_qa, "How well are care leavers supported?", Filters(authority="Sunderland"))
    rows = list(rows)
    table = list(csv.reader(io.StringIO(to_csv(rows))))
    assert table[0][:4] == ["authority", "region", "date", "kind"] and len(table) == 1 + len(rows)
    assert {line[1] for line in table[1:]} == {"North East"}
    forged = rows[0].__class__("=HYPERLINK(\"x\")", "+region", "id", "-title", None, "inspection", 0.5, None)
    assert list(csv.reader(io.StringIO(to_csv([forged]))))[1][:5] == ["'=HYPERLINK(\"x\")", "'+region", "",
                                                                       "inspection", "'-title"]


def test_history_lists_reports_grades_and_what_needs_to_improve(research_qa):
    store = research_qa.store
    key = histories.key_of("sunderland")
    found = histories.history(key, histories.reports_of(store, key))
    assert found["name"] == "Sunderland" and [r["date"] for r in found["history"]] == ["2021-08-20", "2025-03-11"]
    latest = found["history"][-1]
    assert latest["grades"]["overall_effectiveness"]["grade"] == "outstanding"
    assert latest["lead_inspector"]
    text = store.document(latest["doc_id"]).text
    assert len(latest["improvements"]) == 3
    for value in [*latest["grades"].values(), *latest["improvements"]]:
        assert text[value["doc_start"]:value["doc_end"]] == value["text"]
    assert latest["improvements"][0]["text"].startswith("The uptake of return home interviews")
    # Any name finds the authority; the PDF twin counts once.
    assert histories.key_of("Worcestershire-County-Council") == "worcestershire"
    assert len(histories.reports_of(store, "worcestershire")) == 2


def test_feedback_is_kept_checked_and_becomes_a_question_file(research_qa, tmp_path):
    reply = research_qa.ask("Who was the lead inspector of the 2024 Havering inspection?")
    answer = reply.answers[0]
    feedback = FeedbackStore(tmp_path / "feedback.sqlite3")
    citation = answer.citation
    checked = checked_answer(research_qa.store, citation.doc_id, citation.doc_start, citation.doc_end)
    assert checked.text == answer.text
    feedback.add("right", "Who led it?", ["Earlier question?"], checked, "gen-000001")
    feedback.add("wrong", "What went wrong?", [], checked, "gen-000001")
    with pytest.raises(FeedbackError):
        feedback.add("maybe", "Who led it?", [], checked, None)
    with pytest.raises(FeedbackError):
        checked_answer(research_qa.store, citation.doc_id, -1, 5)
    with pytest.raises(FeedbackError):
        checked_answer(research_qa.store, "no-such-report", 0, 5)
    rows = feedback.all()
    assert [row["verdict"] for row in rows] == ["right", "wrong"]
    items = question_file(rows)
    assert items[0]["answers"] == [answer.text] and items[0]["history"] == ["Earlier question?"]
    assert answer.text in items[0]["evidence"]
    assert items[1]["answers"] == [] and items[1]["unanswerable"] is False
    assert items[1]["wrong"][0]["doc_start"] == citation.doc_start


def test_a_grade_that_the_latest_inspection_does_not_give_is_not_invented(research_qa):
    reply = research_qa.ask("What is Blackpool's overall effectiveness grade?")
    (row,) = reply.table
    # Since the 2025 reform there is no overall grade: not found, the row says why, and the closest
    # passage is the grades there are.
    assert not reply.answered and not reply.answers
    assert row.grade is None and row.answer is None and "2025 reform" in row.note
    answer = reply.closest[0]
    _exact(research_qa, answer)
    assert "Overall effectiveness" not in answer.text and "care leavers Outstanding" in " ".join(answer.text.split())
    # Asked how it changed, both inspections are cited: one by its grades, none invented.
    reply = research_qa.ask("Has Birmingham improved since its last inspection?")
    assert [row.grade for row in reply.table] == ["good", "requires improvement"]


def test_what_must_improve_is_the_latest_inspections_own_list_cited_whole(research_qa):
    reply = research_qa.ask("What does Sunderland need to improve?")
    # Its three items are the lines of one paragraph: one answer, the whole list, cited once.
    assert reply.answered and len(reply.answers) == 1
    whole = reply.answers[0]
    assert whole.citation.date == "2025-03-11"
    # Its items read on, a space between them, as a quotation of the list does; the citation says
    # where each starts, to show them a line each.
    paragraph, breaks = whole.citation.paragraph, whole.citation.breaks
    assert len(breaks) == 2 and all(paragraph[at - 1] == " " for at in breaks)
    assert whole.text.startswith("The uptake of return home interviews") and "\n" not in whole.text
    shown = whole.shown.split("\n")  # as the command line shows it
    assert len(shown) == 3 and " ".join(shown) == whole.text
    assert whole.text == whole.citation.paragraph[whole.citation.start:whole.citation.end]
    _exact(research_qa, whole)
    past = research_qa.ask("What did the 2021 inspection say Sunderland needed to improve?")
    assert [answer.citation.date for answer in past.answers] == ["2021-08-20"]
    assert past.answers[0].text.startswith("The consistency of the quality of assessments")


def test_a_topic_question_gets_the_item_on_its_topic_first(research_qa):
    reply = research_qa.ask("What did the 2019 inspection ask Worcestershire to improve about mental health services?")
    assert reply.answered
    assert reply.answers[0].text.startswith("The availability of a dedicated pathway to the provision of mental health")
    assert reply.answers[0].score > max(answer.score for answer in reply.answers[1:])
    _exact(research_qa, reply.answers[0])
