"""How a question typed the way people type is understood: its question found after context,
misspelt words corrected, jargon spelt out, and a name not made out never answered from elsewhere."""

import numpy as np
import pytest

from qa.answer.query import question_asked, understand
from qa.answer.spelling import Speller
from qa.types import Turn

KNOWN = {"kirklees", "east sussex", "west sussex", "worcestershire"}


def test_the_question_after_context_is_the_one_asked():
    text = ("I'm a councillor in Kirklees and we're preparing for scrutiny. The last inspection said something "
            "about supervision: what exactly needed to change?")
    assert question_asked(text) == ("The last inspection said something about supervision: "
                                    "what exactly needed to change?")
    assert question_asked("We have an inspection soon. what did they say about the front door") == \
        "what did they say about the front door"
    assert question_asked("Who leads St. Helens children's services?") == "Who leads St. Helens children's services?"


def test_the_context_still_steers_the_scope():
    query = understand("I'm a councillor in Kirklees. What did the last inspection say about supervision?",
                       known=KNOWN)
    assert query.authorities == ("kirklees",)
    assert query.asked == "What did the last inspection say about supervision?"


def test_misspelt_words_are_searched_for_corrected_and_said_so():
    speller = Speller(["director", "children", "service"], np.array([50, 900, 300]))
    query = understand("who is the directer of childrens servises in kirklees", known=KNOWN, speller=speller)
    assert query.asked == "who is the director of childrens services in kirklees"
    assert query.searched_for == query.asked and query.authorities == ("kirklees",)
    assert understand("Who is the director?", speller=speller).searched_for is None


def test_a_misspelt_authority_is_not_corrected_away():
    speller = Speller(["kirk", "service"], np.array([50, 300]))
    query = understand("services in kirklee", known=KNOWN, speller=speller)
    assert query.authorities == ("kirklees",) and "kirklee" in query.asked


def test_jargon_is_spelt_out_and_understood():
    query = understand("How are CLs doing in Worcestershire?", known=KNOWN)
    assert query.asked == "How are CLs (care leavers) doing in Worcestershire?"


def test_a_name_that_could_be_two_authorities_is_not_made_out():
    query = understand("How is Sussex doing?", known=KNOWN)
    assert query.authorities == () and set(query.could_mean) == {"east sussex", "west sussex"}


def test_what_must_improve_is_told_apart_from_what_has_improved():
    asks = ["What does Kirklees need to improve?", "Which areas did Ofsted say Kirklees still needs to work on?",
            "What did Ofsted recommend Kirklees do about early help in 2016?", "kirklees areas improvement 2024",
            "What did the 2022 focused visit ask Kirklees to improve about capacity?",
            "where is kirklees still falling short in childrens services"]
    does_not = ["Has Kirklees improved since its last inspection?", "What improvements has Kirklees made?",
                "Has Kirklees made progress on the areas for improvement from its 2023 inspection?",
                "Why do Kirklees leaders struggle to tackle waiting times?",
                "How long could children wait before a recommendation was made?"]
    assert all(understand(question, (), KNOWN).must_improve for question in asks)
    assert not any(understand(question, (), KNOWN).must_improve for question in does_not)
    assert understand("What does Kirklees need to improve?", (), KNOWN).listing == "all"
    assert understand("What did Ofsted tell Kirklees to improve in 2021?", (), KNOWN).listing == "all"
    assert understand("What does Kirklees need to improve at its front door?", (), KNOWN).listing == "item"


def test_who_carried_out_a_visit_is_asked_for_the_inspectors():
    for question in ("Who carried out the July 2023 focused visit to Kirklees?", "Which HMIs visited Kirklees in 2024?",
                     "Who were the inspectors on Kirklees's October 2018 focused visit?"):
        assert understand(question, (), KNOWN).inspectors, question
    assert not understand("Who is the director of children's services in Kirklees?", (), KNOWN).inspectors
    made_up = "Who made up most of Kirklees's care leavers at the 2018 focused visit?"
    assert not understand(made_up, (), KNOWN).inspectors


def test_the_pandemic_names_its_years_when_no_year_is_named():
    assert understand("How did Kirklees leaders respond to staff shortages in the third lockdown?", (),
                      KNOWN).years == (2020, 2021)
    assert understand("What did the 2022 visit say about Kirklees's recovery from the pandemic?", (),
                      KNOWN).years == (2022,)


def test_a_question_says_when_it_wants_a_sum_of_money_or_another_figure():
    assert understand("How much did Kirklees spend on agency social workers in 2022?", (), KNOWN).wants == "money"
    assert understand("How many children were living in unregistered homes in Kirklees?", (), KNOWN).wants == "figure"
    assert understand("What was the average caseload of a Kirklees social worker?", (), KNOWN).wants == "figure"
    assert understand("What was the social worker turnover rate in Kirklees in 2022?", (), KNOWN).wants == "figure"
    assert understand("What were social workers' caseloads in Kirklees in 2019?", (), KNOWN).wants == "figure"
    assert understand("What was the impact of the new team in Kirklees?", (), KNOWN).wants is None
    assert understand("Who is the director of children's services in Kirklees?", (), KNOWN).wants is None


@pytest.mark.parametrize("typed, wants", [
    # As typed into a search box, the question words left out: the same as asked in full.
    ("much kirklees spend agency social workers 2022", "money"),
    ("many children living unregistered homes kirklees 2024", "figure"),
    ("average caseload kirklees social workers", "figure"),
    ("proportion kirklees social workers agency staff", "figure"),
    ("kirklees care leavers 2023", None),
    ("rate kirklees childrens services", None),
])
def test_a_terse_question_wants_a_figure_as_the_whole_one_does(typed, wants):
    query = understand(typed, (), KNOWN)
    assert query.wants == wants
    assert query.fact is (wants is not None)


def test_a_figure_asked_of_one_authority_is_never_a_grade_but_one_asked_of_many_counts_grades():
    money = understand("How much did Kirklees invest after the 2015 inadequate judgement?", (), KNOWN)
    assert money.wants == "money" and money.judgement is None
    many = understand("How many councils were rated inadequate in 2023?", (), KNOWN)
    assert many.judgement == "overall_effectiveness"


@pytest.mark.parametrize("question", [
    "When did Kirklees appoint a permanent director after the 2016 inadequate judgement?",
    "Despite the inadequate rating in 2016, which parts of Kirklees's services did Ofsted find strong?",
    "What held Kirklees back from getting a good judgement in 2019?",
    "I chair scrutiny in Kirklees. Why was it judged inadequate?",
])
def test_a_question_that_mentions_a_grade_but_asks_for_something_else_is_not_a_grade(question):
    assert understand(question, (), KNOWN).judgement is None


@pytest.mark.parametrize(("question", "judgement"), [
    ("How was Kirklees rated in 2019?", "overall_effectiveness"),
    ("What grade did Kirklees get for care leavers when it was inspected in 2019?", "care_leavers"),
    ("Is Kirklees still rated good?", "overall_effectiveness"),
])
def test_grade_questions_stay_grade_questions(question, judgement):
    assert understand(question, (), KNOWN).judgement == judgement


def test_leavers_alone_are_care_leavers():
    assert understand("kirklees leavers grade 2014", (), KNOWN).judgement == "care_leavers"


def test_a_follow_up_is_searched_for_with_the_earlier_question_and_the_answer_it_got():
    earlier = Turn("What did the February 2018 focused visit find about Newham's emergency duty team?",
                   "Social workers in the emergency duty team respond promptly.")
    follow_up = understand("Was there anything it needed to do better?", [earlier], KNOWN)
    assert follow_up.context == (earlier.question,) and follow_up.context_answer == earlier.answer
    assert follow_up.searched_context == (f"{earlier.question} {earlier.answer}",)
    # A question that stands alone leans on neither; a history of bare questions still works.
    alone = understand("What did Ofsted say about care leavers in Kirklees in 2024?", [earlier], KNOWN)
    assert alone.context == () and alone.searched_context == ()
    assert understand("And care leavers?", [earlier.question], KNOWN).searched_context == (earlier.question,)


def test_a_question_that_names_nothing_of_its_own_leans_on_the_report_of_the_last_answer():
    earlier = Turn("Were social workers' caseloads too high in Kirklees at the 2014 inspection?",
                   "Social worker caseloads are too high.", "007_0123456789abcdef")
    assert understand("Which teams were worst affected?", [earlier], KNOWN).on_earlier_report == earlier.report
    # Not when it names an authority, a year, a kind of report or a time, nor when the earlier
    # question it is seen to follow up names them (it is then asked of those reports).
    for question in ("Which Kirklees teams were worst affected?", "Which teams were worst affected in 2018?",
                     "What did the focused visit find?", "Which teams are worst affected now?",
                     "Has that changed since then?", "Which councils have the highest caseloads?", "And why?"):
        assert understand(question, [earlier], KNOWN).on_earlier_report is None, question
    assert understand("Which teams were worst affected?", [earlier.question], KNOWN).on_earlier_report is None
    # A question seen to follow up the earlier one is steered by it instead, whatever that names.
    unnamed = Turn("How were referrals relating to domestic abuse dealt with?", "Promptly.", earlier.report)
    assert understand("And school attendance?", [unnamed], KNOWN).on_earlier_report is None
    assert understand("Which teams were worst affected?", (), KNOWN).on_earlier_report is None


def test_a_follow_up_after_a_grade_asks_the_grade_of_the_area_it_names():
    earlier = "What grade did children in care get in Kirklees's 2026 Ofsted inspection?"
    assert understand("And care leavers?", [earlier], KNOWN).judgement == "care_leavers"
    assert understand("And care leavers?", ["How does Kirklees support children in care?"], KNOWN).judgement is None
