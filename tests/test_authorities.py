"""Authority names as people write them: exact, informal, initials, misspelt, or not made out."""

import pytest

from qa.ofsted import authorities
from qa.ofsted.authorities import named_in, short_forms

EVERY = authorities.table_keys()


@pytest.mark.parametrize("text, key", [
    ("whats the rating for knowsly childrens servises", "knowsley"),
    ("warington care leavers", "warrington"),
    ("What did the H&F focused visit find?", "hammersmith and fulham"),
    ("R&C 2023 focused visit", "redcar and cleveland"),
    ("How is B&NES doing?", "bath and north east somerset"),
    ("BwD front door", "blackburn with darwen"),
    ("north east lincs care leavers 2023", "north east lincolnshire"),
    ("NE Lincolnshire", "north east lincolnshire"),
    ("Kingston-upon-Hull City Council", "kingston upon hull"),
    ("Notts County Council", "nottinghamshire"),
    ("Northants", "northamptonshire"),
    ("tower hamlts", "tower hamlets"),
    ("Hamersmith and Fullham", "hammersmith and fulham"),
    ("Bath and Norh East Somerset", "bath and north east somerset"),
    ("Cenrral Bedfordshire", "central bedfordshire"),
    ("Middlesborough inadequate", "middlesbrough"),
    ("I work in Birmingam", "birmingham"),
    ("brum", "birmingham"),
])
def test_a_name_as_people_write_it_is_recognised(text, key):
    assert named_in(text, EVERY).keys == (key,)


@pytest.mark.parametrize("text", ["West Sussex", "west sussex care leavers", "W Sussex"])
def test_a_compass_word_tells_authorities_apart(text):
    assert named_in(text, EVERY).keys == ("west sussex",)


@pytest.mark.parametrize("text, candidates", [
    ("What about Sussex?", ("east sussex", "west sussex")),
    ("Cheshire ofsted report", ("cheshire east", "cheshire west and chester")),
    ("How is Brnet doing?", ("barnet", "brent")),
])
def test_a_name_not_made_out_gets_the_authorities_it_could_mean(text, candidates):
    named = named_in(text, EVERY)
    assert named.keys == () and set(candidates) <= set(named.could_mean)


@pytest.mark.parametrize("text", [
    "What is dealing with neglect like?", "How are children in care supported?", "Is the MASH effective?",
    "What did inspectors find about the front door?"])
def test_ordinary_words_are_not_taken_for_a_name(text):
    named = named_in(text, EVERY)
    assert named.keys == () and named.could_mean == ()


def test_only_the_given_authorities_are_found():
    assert named_in("Kent and Medway", {"kent"}).keys == ("kent",)


def test_short_forms_are_initials_and_compass_letters():
    assert short_forms("Hammersmith and Fulham") == ("H&F",)
    assert short_forms("Blackburn with Darwen") == ("BwD",)
    assert short_forms("North East Lincolnshire") == ("NE Lincolnshire",)
    assert short_forms("Kent") == ()


def test_initials_around_with_are_not_those_around_and():
    assert named_in("B&D", EVERY).keys == ("barking and dagenham",)
    assert named_in("BwD", EVERY).keys == ("blackburn with darwen",)


def test_a_possessive_without_its_apostrophe_is_the_name():
    assert named_in("lead inspector walsalls 2017 inspection", EVERY).keys == ("walsall",)
    assert named_in("What are C Bedfordshires areas for improvement", EVERY).keys == ("central bedfordshire",)
    assert named_in("the name of Rutladns children in care council", EVERY).keys == ("rutland",)


def test_a_name_that_is_an_everyday_word_in_lower_case_beside_another_is_the_word():
    assert named_in("i'm reading up on Sutton. what needs to improve", EVERY).keys == ("sutton",)
    assert named_in("What about Reading and Slough?", EVERY).keys == ("reading", "slough")


def test_a_council_outside_england_is_named_and_known_to_be_no_reports():
    from qa.answer.query import understand

    for question in ("What overall grade did Ofsted give Cardiff Council's children's services in 2014?",
                     "glasgow care leavers", "How is the Vale of Glamorgan doing?"):
        query = understand(question, (), authorities.table_keys())
        assert query.absent and not query.authorities, question
    assert understand("What did Ofsted say about Swindon?", (), {"swindon"}).authorities == ("swindon",)
