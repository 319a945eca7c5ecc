"""The ways of answering (qa.answer.ways): tried in order, each may leave a question to the next,
and the span reader, last, always replies."""

from __future__ import annotations

from qa import pipeline
from qa.answer.ways import WAYS, reader, unknown_authority
from qa.types import Reply


def test_the_reader_is_the_last_way_and_replies_when_no_other_does(fake_qa):
    fake_qa.refresh()
    asked = fake_qa.asked("What colour is the moon over the sea?")
    assert WAYS[-1] is reader.answer
    assert all(way(asked) is None for way in WAYS[:-1])
    reply = reader.answer(asked)
    assert isinstance(reply, Reply) and reply.question == asked.question


def test_an_authority_no_report_is_about_is_answered_by_its_own_way(fake_qa):
    fake_qa.refresh()
    asked = fake_qa.asked("What does Rutland need to improve?")
    reply = unknown_authority.answer(asked)
    assert reply is not None and not reply.answered and reply.reason == "no_report_about_authority"
    assert fake_qa.ask(asked.question).reason == "no_report_about_authority"


def test_a_new_way_is_one_function_in_the_order(fake_qa, monkeypatch):
    fake_qa.refresh()

    def weather(asked):
        return Reply(asked.question, False, 0.0, reason="not_in_reports") if "weather" in asked.question else None

    monkeypatch.setattr(pipeline, "WAYS", (weather, *WAYS))
    reply = fake_qa.ask("What was the weather like?")
    assert reply.reason == "not_in_reports" and reply.closest == ()  # answered before the reader read
    assert fake_qa.ask("What colour is the moon?").closest  # left to the reader, which read passages
