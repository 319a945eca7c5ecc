"""What a report's initials stand for, where it spells them out."""

import pytest

from qa.answer.acronyms import expansion
from qa.answer.query import understand
from qa.types import Document, Paragraph


def _document(text: str) -> Document:
    return Document("d", "t", None, "s", str(hash(text)), text, (Paragraph(0, len(text)),))


@pytest.mark.parametrize("text, initials, spelt", [
    ("Care leavers are supported by the Learning, Employment, Advice, Preparation (LEAP) team.", "LEAP",
     "Learning, Employment, Advice, Preparation"),
    ("Leaders run Greenwich Risk Adolescent Safeguarding and Prevention (GRASP) for adolescents.", "GRASP",
     "Greenwich Risk Adolescent Safeguarding and Prevention"),
    ("The ATLAS group (Accept, Teach, Listen, Access, Support) meets monthly.", "ATLAS",
     "Accept, Teach, Listen, Access, Support"),
    ("The children in care council, Our Voice, Our Services (‘OVOS’), is strong.", "ovos", "Our Voice, Our Services"),
])
def test_initials_are_found_where_the_report_spells_them_out(text, initials, spelt):
    document = _document(text)
    _, start, end = expansion(document, initials)
    assert text[start:end] == spelt


def test_initials_the_report_does_not_spell_out_have_no_expansion():
    assert expansion(_document("Staff use a model (STAR) that is systemic."), "STAR") is None
    assert expansion(_document("The (X) team."), "X") is None


def test_a_question_for_what_initials_stand_for_names_them():
    known = {"bradford"}
    assert understand("What does LEAP stand for in Bradford's leaving care service?", (), known).initials == "LEAP"
    assert understand("what does mst-can stand for in bradford", (), known).initials == "mst-can"
    assert understand("What does the ATLAS group name stand for?", (), known).initials == "ATLAS"
    assert understand("What does Bradford need to improve?", (), known).initials is None


def test_the_engine_answers_what_initials_stand_for_from_the_report(seeds_qa):
    reply = seeds_qa.ask("What does WCF stand for in Worcestershire?")
    assert reply.answered and reply.answers[0].text == "Worcestershire Children First"
    citation = reply.answers[0].citation
    assert seeds_qa.store.document(citation.doc_id).text[citation.doc_start:citation.doc_end] == reply.answers[0].text
