"""Misspelt words corrected against the index's terms; English words, numbers and names left alone."""

import numpy as np

from qa.answer.spelling import Speller, allowed_edits, is_word


def speller() -> Speller:
    terms = ["director", "directed", "children", "service", "supervision", "leaver", "childrenin", "kirklee"]
    chunks = np.array([40, 5, 900, 300, 60, 80, 1, 50])
    return Speller(terms, chunks)


def test_misspelt_words_are_corrected_to_the_commonest_close_term():
    text, corrections = speller().correct_text("who is the directer of childrens servises")
    assert text == "who is the director of childrens services"
    assert corrections == {"directer": "director", "servises": "services"}


def test_the_case_of_the_first_letter_is_kept():
    assert speller().correct_text("Supervison in Kirklees")[0] == "Supervision in Kirklees"


def test_english_words_numbers_short_words_and_kept_words_are_left_alone():
    text = "What did the 2023 visit say about services for leavers in Kent?"
    assert speller().correct_text(text) == (text, {})
    assert speller().correct_text("servises", keep=lambda word: word == "servises") == ("servises", {})
    assert speller().correct("zzzzzzzz") is None


def test_terms_in_few_chunks_are_not_offered():
    # "childrenin" is a term of the index (an extraction break) but in one chunk only.
    assert speller().correct("childrenin") is None  # known as a term: left as it is
    assert speller().correct("childrenn") == "children"


def test_how_many_edits_a_typo_may_hold_grows_with_the_word():
    assert [allowed_edits(n) for n in (3, 4, 7, 8, 12)] == [0, 1, 1, 2, 2]
    assert is_word("children's") and is_word("whats") and not is_word("servises")
