"""Filters, steering by the authority or year a question names, latest-report preference, and grades
answered from the judgement table; over the real Worcestershire samples with the fake embedder."""

import shutil
from pathlib import Path

import pytest

from qa.answer.filters import Filters, Scope, scope, without_scope
from qa.answer.query import understand
from qa.config import Settings
from qa.errors import FilterError
from qa.pipeline import QA
from qa.types import Turn
from tests.fakes import FakeEmbedder
from web import create_app

SAMPLES = Path(__file__).parent / "samples"
# The samples under the collection's own file names, which carry the publication date.
NAMES = {
    "worcestershire-inspection-2017.txt": "children's services inspection - 24 january 2017.txt",
    "worcestershire-inspection-2019.txt": "children's services inspection - 29 july 2019.txt",
    "worcestershire-inspection-2023.txt": "children's services inspection - 14 july 2023.txt",
    "worcestershire-focused-visit-2025.txt": "children's services focused visit - 13 january 2025.txt",
    "worcestershire-send-2024.txt": "area send full inspection - 15 july 2024.txt",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("filters")
    (folder / "corpus").mkdir()
    for sample, name in NAMES.items():
        shutil.copy(SAMPLES / sample, folder / "corpus" / name)
    qa = QA(Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index", model="fake-embedder",
                          threshold=0.0), FakeEmbedder())
    qa.refresh()
    return qa


def test_filters_are_validated():
    assert not Filters() and Filters(kind="inspection")
    for bad in ({"authority": "x", "colour": "red"}, {"from": "last year"}, {"kind": "audit"}, {"to": 2020}, []):
        with pytest.raises(FilterError):
            Filters.from_dict(bad)
    assert Filters.from_dict({"authority": "Dudley", "from": "2020-01-01"}) == Filters("Dudley", None, "2020-01-01")


def test_what_a_question_names():
    known = {"worcestershire", "north yorkshire", "york", "kingston upon hull", "newcastle upon tyne",
             "bath and north east somerset", "croydon", "leeds"}
    assert understand("How is North Yorkshire doing?", known=known).authorities == ("north yorkshire",)
    assert understand("What did Worcestershire's 2019 report say?", known=known).authorities == ("worcestershire",)
    assert understand("What about care leavers?", known=known).authorities == ()
    for question, key in [("Is Hull's front door timely?", "kingston upon hull"),
                          ("How is Newcastle doing?", "newcastle upon tyne"),
                          ("What must B&NES improve?", "bath and north east somerset"),
                          ("What did BANES get?", "bath and north east somerset"),
                          ("Is the London Borough of Croydon improving?", "croydon"),
                          ("Leeds City Council care leavers", "leeds")]:
        assert understand(question, known=known).authorities == (key,), question
    assert understand("Is Hull's MASH timely?", known=known).mentions == ("hull",)
    assert understand("changes since 2018 in the 2022 inspection").years == (2022,)
    assert understand("Has Kent improved since the 2022 inspection?").years == ()
    assert understand("Has Kent got better since it was judged inadequate in 2021?").years == ()
    assert understand("Is Kent's response better than at the 2017 inspection?").since == 2017
    assert understand("Is Kent's response better than at the December 2017 inspection?").years == ()
    # A year after a comma or a bracket names the report asked of, not the one compared with.
    assert understand("Has Kent got better since its last visit, according to the 2025 inspection?").years == (2025,)
    assert understand("Has Kent got better since the last inspection (2025 report)?").years == (2025,)
    assert understand("Were plans open longer than necessary at the 2022 visit?").years == (2022,)
    # "After" a visit is most often asked of that visit's report, unless another year is named.
    assert understand("What did Kent have to do after the October 2020 focused visit?").years == (2020,)
    assert understand("What held Kent back after the 2020 visit, according to the 2022 inspection?").years == (2022,)
    assert understand("How is Worcestershire rated?").current
    assert not understand("What did it say in 2019?").current
    assert understand("What must Kent improve?").present
    assert not understand("What did Kent's 2019 report say?").present
    assert not understand("Has Kent improved since its last inspection?").present
    assert understand("What did the 2022 focused visit find?").kinds == ("focused visit",)
    assert understand("Who is the lead inspector?").fact and understand("How many children are in care?").fact
    assert not understand("How well do leaders know their services?").fact
    follow_up = understand("And care leavers?", ["What did Hull's 2019 inspection say?"], known)
    assert follow_up.authorities == ("kingston upon hull",) and follow_up.years == (2019,)
    assert follow_up.with_context == "And care leavers? What did Hull's 2019 inspection say?"


def test_the_names_and_years_that_chose_the_reports_are_not_searched_for(engine):
    documents = [entry.document for entry in engine.store.entries.values()]
    question = "What did Worcestershire's 2019 inspection say about the LADO?"
    chosen = scope(documents, understand(question, known=engine.store.authorities), Filters())
    assert chosen.named == ("worcestershire",) and chosen.by_year and len(chosen.doc_ids) == 1
    assert without_scope(question, chosen) == "What did inspection say about the LADO?"
    # A year no report of the authority has only ranks; it stays in the search.
    later = scope(documents, understand("What did Worcestershire say in 2021?", known=engine.store.authorities),
                  Filters())
    assert not later.by_year and without_scope("What did Worcestershire say in 2021?", later) == "What did say in 2021?"
    assert without_scope("Telford & Wrekin's and telford and wrekin IROs", Scope(named=("telford and wrekin",))) \
        == "and IROs"
    assert without_scope("Is Southend-on-Sea's MASH timely?", Scope(named=("southend on sea",))) == "Is MASH timely?"
    assert without_scope("Who is Worcestershire's director?", Scope()) == "Who is Worcestershire's director?"


def test_every_answer_comes_from_reports_that_match_the_filters(engine):
    for filters, check in [
        (Filters(kind="send inspection"), lambda d: d.kind == "send inspection"),
        (Filters(date_from="2019-01-01", date_to="2023-12-31"), lambda d: "2019" <= d.date[:4] <= "2023"),
        (Filters(authority="worcestershire county council", kind="focused visit"), lambda d: d.kind == "focused visit"),
    ]:
        reply = engine.ask("What needs to improve for children in care?", top_k=5, filters=filters)
        assert reply.answers
        assert all(check(engine.store.document(a.citation.doc_id)) for a in reply.answers), filters


def test_a_filter_that_matches_nothing_gives_no_answer(engine):
    reply = engine.ask("What needs to improve?", filters=Filters(authority="Dudley"))
    assert not reply.answered and not reply.answers and not reply.closest


def test_grade_question_is_answered_from_the_judgement_table_of_that_year(engine):
    reply = engine.ask("What was Worcestershire's overall effectiveness grade in 2019?")
    answer = reply.answers[0]
    assert reply.answered and answer.text == "Requires improvement to be good"
    citation = answer.citation
    assert citation.paragraph[citation.start:citation.end] == answer.text
    assert "Overall effectiveness Requires improvement to be good" in citation.paragraph.split("\n")
    assert citation.date == "2019-07-29"
    assert citation.reference.startswith("Worcestershire, inspection published 29 July")
    leaders = engine.ask("How were leaders judged in Worcestershire in 2017?").answers[0]
    assert leaders.text == "Inadequate" and "Leadership, management and governance" in leaders.citation.paragraph


def test_grades_only_the_old_framework_gave_come_from_the_sentences_that_state_them(engine):
    adoption = engine.ask("How was adoption performance graded in Worcestershire's 2017 inspection?")
    answer = adoption.answers[0]
    assert adoption.answered and answer.text == "requires improvement" and answer.citation.date == "2017-01-24"
    assert " ".join(answer.citation.paragraph.split()).startswith("The graded judgement for adoption performance")
    board = engine.ask("How was the Worcestershire Safeguarding Children Board judged in 2017?").answers[0]
    assert board.text == "requires improvement" and "Safeguarding Children Board" in board.citation.paragraph
    # Inspections since 2018 judge neither: asked of the latest, the reply says so.
    now = engine.ask("What is Worcestershire's adoption performance grade?")
    assert not now.answered and now.reason == "grade_not_given"
    assert [row.note for row in now.table] == ["no grade for adoption performance in this report"]


def test_lead_inspector_and_inspection_dates_come_from_the_lines_that_name_them(engine):
    lead = engine.ask("Who was the lead inspector for Worcestershire's 2019 inspection?").answers[0]
    assert lead.text == "Peter McEntee" and lead.citation.date == "2019-07-29"
    assert lead.citation.paragraph[lead.citation.start:lead.citation.end] == lead.text
    dates = engine.ask("When did the 2023 inspection of Worcestershire take place?").answers[0]
    assert dates.text == "15 to 26 May 2023" and dates.citation.date == "2023-07-14"
    assert "Inspection dates: 15 to 26 May 2023" in dates.citation.paragraph
    signed = engine.ask("Who was the lead inspector of Worcestershire in 2017?").answers[0]
    assert signed.text == "Jenny Turnross" and signed.citation.date == "2017-01-24"
    latest = engine.ask("Who led the inspection of Worcestershire?").answers[0]
    assert latest.text == "Rebecca Quested" and latest.citation.date == "2023-07-14"
    # An area SEND inspection is led by an inspector of Ofsted and one of the Care Quality Commission.
    send = engine.ask("Who was the lead inspector for Worcestershire's SEND inspection?").answers[0]
    assert send.text == "Helen Forrest" and send.citation.kind == "send inspection"
    earlier = Turn("Who was the lead inspector for Worcestershire's SEND inspection?", send.text, send.citation.doc_id)
    cqc = engine.ask("And who led for the CQC?", [earlier]).answers[0]
    assert cqc.text == "Louise Holland" and cqc.citation.doc_id == send.citation.doc_id


def test_current_state_question_uses_the_latest_inspection_and_says_its_date(engine):
    reply = engine.ask("How is Worcestershire rated?")
    assert reply.answered and reply.answers[0].text == "Good"
    assert reply.answers[0].citation.reference == ("Worcestershire, inspection published 14 July 2023 "
                                                   "(inspected 15 May 2023 to 26 May 2023)")
    in_care = engine.ask("How is Worcestershire currently rated for children in care?").answers[0]
    assert in_care.text == "Requires improvement to be good"


def test_api_takes_filters_and_refuses_bad_ones(engine):
    client = create_app(qa=engine).test_client()
    response = client.post("/api/ask", json={"question": "What needs to improve?",
                                             "filters": {"kind": "inspection", "from": "2023-01-01"}})
    assert response.status_code == 200
    dates = {answer["citation"]["date"] for answer in response.get_json()["answers"]}
    assert dates == {"2023-07-14"}
    response = client.post("/api/ask", json={"question": "What needs to improve?", "filters": {"from": "soon"}})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_filters"


def _dates(engine, question):
    chosen = scope([e.document for e in engine.store.entries.values()],
                   understand(question, known=engine.store.authorities), Filters())
    return sorted(engine.store.document(doc_id).date for doc_id in chosen.doc_ids), chosen


def test_a_question_about_the_present_is_asked_of_the_latest_report_of_each_kind(engine):
    dates, chosen = _dates(engine, "What needs to improve for care leavers in Worcestershire?")
    assert chosen.latest and dates == ["2023-07-14", "2024-07-15", "2025-01-13"]
    dates, chosen = _dates(engine, "What did Worcestershire's 2019 inspection say about care leavers?")
    assert not chosen.latest and dates == ["2019-07-29"]
    # A change since a year is told by the reports after it, which compare with the one before.
    dates, chosen = _dates(engine, "How have Worcestershire's services changed since 2017?")
    assert not chosen.latest and dates == ["2019-07-29", "2023-07-14", "2024-07-15", "2025-01-13"]
    dates, _ = _dates(engine, "Are Worcestershire's care leavers better supported than at the 2023 inspection?")
    assert dates == ["2024-07-15", "2025-01-13"]


def test_a_question_that_names_nothing_is_asked_first_of_the_report_the_last_answer_cites(engine):
    by_date = {e.document.date: e.document.doc_id for e in engine.store.entries.values()}
    question = "What did inspectors find about supervision?"
    for date in ("2017-01-24", "2023-07-14", "2025-01-13"):
        earlier = Turn("Were caseloads manageable in Worcestershire?", "Caseloads are manageable.", by_date[date])
        assert engine.ask(question, [earlier]).answers[0].citation.doc_id == by_date[date]
    # Filters given choose the reports; a report the index does not hold is passed over.
    earlier = Turn("Were caseloads manageable in Worcestershire?", "Caseloads are manageable.", by_date["2017-01-24"])
    assert engine.ask(question, [earlier], filters=Filters(kind="send inspection")).answers[0].citation.doc_id == \
        by_date["2024-07-15"]
    gone = Turn(earlier.question, earlier.answer, "999_0123456789abcdef")
    assert engine.ask(question, [gone]).answers[0].text == engine.ask(question, [earlier.question]).answers[0].text


def test_a_visit_is_found_by_the_year_it_took_place_as_well_as_the_year_it_was_published(engine):
    # The focused visit of 3 and 4 December 2024 was published on 13 January 2025.
    dates, chosen = _dates(engine, "What did the 2024 focused visit to Worcestershire find?")
    assert chosen.by_year and dates == ["2025-01-13"]


def test_a_citation_of_a_report_that_gives_no_date_says_so():
    from qa.types import Document, Paragraph

    undated = Document("n", "Praise for Worcestershire", None, "n.txt", "0", "Some text.", (Paragraph(0, 10, 1),),
                       kind="news", authority="Worcestershire")
    assert undated.reference(0) == "Worcestershire, news, date not given, paragraph 1"
