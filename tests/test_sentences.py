from qa.reports.sentences import split_sentences


def test_sentences_skip_abbreviations_initials_and_numbers():
    text = "1. Mr. Smith met J. Bloggs at 10.30. They agreed! Was it timely? Yes."
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == ["Mr. Smith met J. Bloggs at 10.30.", "They agreed!", "Was it timely?", "Yes."]


def test_sentences_keep_closing_quotes():
    text = '"It is good," said the report. "It improved." Next one.'
    assert [text[a:b] for a, b in split_sentences(text)] == [
        '"It is good," said the report.', '"It improved."', "Next one."]


def test_each_line_of_a_list_or_table_is_its_own_sentence():
    text = "Overall effectiveness Good\nChildren in care Requires improvement to be good\nA list item without a stop"
    assert [text[a:b] for a, b in split_sentences(text)] == text.split("\n")
