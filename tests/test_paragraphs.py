from qa.clean import clean
from qa.paragraphs import split_paragraphs, split_sentences
from tests.conftest import DATA


def test_clean_normalises_whitespace_and_breaks():
    assert clean("a\r\nb\u00a0\u00a0c\fd\x00e\u200bf\n\n\n\ng  ") == "a\nb c\n\ndef\n\ng"


def test_paragraphs_are_offsets_into_the_text():
    text = clean((DATA / "numbered report.txt").read_text())
    paragraphs = split_paragraphs(text)
    for paragraph in paragraphs:
        body = text[paragraph.start:paragraph.end]
        assert body == body.strip() and body
    bodies = [text[p.start:p.end] for p in paragraphs]
    assert "What needs to improve?" in bodies


def test_numbered_paragraphs_get_their_numbers():
    text = clean((DATA / "numbered report.txt").read_text())
    numbered = {p.number: text[p.start:p.end] for p in split_paragraphs(text) if p.number}
    assert sorted(numbered) == [1, 2, 10]
    assert numbered[1].startswith("1.\nChildren in Exampleshire receive a prompt response")
    assert numbered[2].startswith("2. Strategy meetings") and "10." not in numbered[2]
    assert numbered[10].endswith("suitable homes.")


def test_sentences_skip_abbreviations_initials_and_numbers():
    text = "1. Mr. Smith met J. Bloggs at 10.30. They agreed! Was it timely? Yes.\n- A bullet\n- Another"
    sentences = [text[a:b] for a, b in split_sentences(text)]
    assert sentences == ["Mr. Smith met J. Bloggs at 10.30.", "They agreed!", "Was it timely?", "Yes.",
                         "- A bullet", "- Another"]


def test_sentences_keep_closing_quotes():
    text = '"It is good," said the report. "It improved." Next one.'
    assert [text[a:b] for a, b in split_sentences(text)] == [
        '"It is good," said the report.', '"It improved."', "Next one."]
