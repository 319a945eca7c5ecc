"""Filters, steering by the authority or year a question names, latest-report preference, and grades
answered from the judgement table; over the real Worcestershire samples with the fake embedder."""

import shutil
from pathlib import Path

import pytest

from qa.config import Settings
from qa.errors import FilterError
from qa.filters import Filters, Scope, asks_for_current, authorities_named, scope, without_scope, years_named
from qa.pipeline import QA
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
    known = {"worcestershire": "Worcestershire", "north yorkshire": "North Yorkshire", "york": "York"}
    assert authorities_named("How is North Yorkshire doing?", known) == ("north yorkshire",)
    assert authorities_named("What did Worcestershire's 2019 report say?", known) == ("worcestershire",)
    assert authorities_named("What about care leavers?", known) == ()
    assert years_named("changes since 2018 in the 2022 inspection") == (2022,)
    assert asks_for_current("How is Worcestershire rated?") and not asks_for_current("What did it say in 2019?")


def test_the_names_and_years_that_chose_the_reports_are_not_searched_for(engine):
    documents = [entry.document for entry in engine.store.entries.values()]
    question = "What did Worcestershire's 2019 inspection say about the LADO?"
    chosen = scope(documents, question, Filters())
    assert chosen.named == ("worcestershire",) and chosen.by_year and len(chosen.doc_ids) == 1
    assert without_scope(question, chosen) == "What did inspection say about the LADO?"
    # A year no report of the authority has only ranks; it stays in the search.
    later = scope(documents, "What did Worcestershire say in 2021?", Filters())
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


def test_current_state_question_uses_the_latest_inspection_and_says_its_date(engine):
    reply = engine.ask("How is Worcestershire rated?")
    assert reply.answered and reply.answers[0].text == "Good"
    assert reply.answers[0].citation.reference == "Worcestershire, inspection published 14 July 2023"
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
