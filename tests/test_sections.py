"""The parts of a report that Ofsted's formats set out, found in real reports of each format."""

from dataclasses import replace
from pathlib import Path

import pytest

from qa.ofsted.sections import improvements, inspectors
from qa.reports.report import fingerprint, load_report
from qa.types import Document, Paragraph

SAMPLES = Path(__file__).parent / "samples"


def _report(name: str) -> Document:
    path = SAMPLES / name
    return load_report(fingerprint(path), path.stem, name)


def _items(document: Document) -> list[str]:
    return [document.text[item.start:item.end] for item in improvements(document)]


@pytest.mark.parametrize("name, count, first, last", [
    # The single inspection framework: numbered recommendations under topic headings.
    ("worcestershire-inspection-2017.txt", 14, "1. Ensure that elected members and senior leaders", "14. "),
    # ILACS: a bulleted list.
    ("worcestershire-inspection-2019.txt", 8, "The engagement with partners to deliver early help", None),
    ("authorities/sunderland/children's services inspection - 11 march 2025.txt", 3,
     "The uptake of return home interviews", None),
    # The single inspection framework's areas for improvement, the safeguarding board's own list left out.
    ("authorities/essex/children's services inspection - 21 march 2014.txt", 10, "14. Professionals who assess",
     "23. The authority and partners"),
])
def test_the_list_of_what_must_improve_is_found_in_each_format(name, count, first, last):
    document = _report(name)
    items = _items(document)
    assert len(items) == count
    assert items[0].startswith(first)
    if last:
        assert items[-1].startswith(last)
    for item in improvements(document):
        paragraph = document.paragraphs[item.paragraph]
        assert paragraph.start <= item.start < item.end <= paragraph.end


def test_an_area_send_inspection_lists_its_recommendations():
    items = _items(_report("worcestershire-send-2024.txt"))
    assert len(items) == 4 and items[0].startswith("all services gather accurate data")


def test_a_report_with_nothing_to_improve_has_no_list():
    assert improvements(_report("worcestershire-focused-visit-2025.txt")) == ()


def test_the_inspectors_of_a_visit_are_the_names_in_their_sentence():
    document = _report("worcestershire-focused-visit-2025.txt")
    index, start, end = inspectors(document)
    assert document.text[start:end] == "Rebecca Quested and Matthew Hedges"
    assert document.paragraphs[index].start <= start and end <= document.paragraphs[index].end
    assert inspectors(_report("worcestershire-inspection-2019.txt")) is None


@pytest.mark.parametrize(("sentence", "names"), [
    ("The visit was conducted by Alison Smale and Tara Geere, two of Her Majesty’s Inspectors.",
     "Alison Smale and Tara Geere"),
    ("This letter summarises the findings of a focused visit to the London Borough of Sutton children’s services "
     "on 26 and 27 June 2018 carried out by Caroline Walsh and Marcie Taylor, Her Majesty's Inspectors.",
     "Caroline Walsh and Marcie Taylor"),
    ("His Majesty’s Inspectors for the visit were Steve Lowe and Nhlanganiso Nyathi.",
     "Steve Lowe and Nhlanganiso Nyathi"),
    ("Her Majesty’s Inspectors (HMI) for this visit were Russel Breyer and Victoria Metheringham, with Teresa "
     "Godfrey, HMI designate.", "Russel Breyer and Victoria Metheringham, with Teresa Godfrey, HMI designate"),
    ("The inspectors for this visit were Parveen Hussain, His Majesty’s Inspector, and Nick Stacey, Ofsted Inspector.",
     "Parveen Hussain, His Majesty’s Inspector, and Nick Stacey, Ofsted Inspector"),
    ("His Majesty’s Inspectors for this visit were lead inspector Ceri Evans and team inspector Monique Lindsay.",
     "lead inspector Ceri Evans and team inspector Monique Lindsay"),
    ("The inspection was undertaken by Maire Atherton and Kate Malleson, Her Majesty’s Inspectors.",
     "Maire Atherton and Kate Malleson"),
])
def test_the_inspectors_are_found_in_each_way_a_letter_names_them(sentence, names):
    document = _document([("text", "Dear Ms Smith", None), ("text", sentence, None)])
    index, start, end = inspectors(document)
    assert (index, document.text[start:end]) == (1, names)


def test_a_visits_list_is_found_when_its_long_heading_ends_the_paragraph_before():
    document = _document([
        ("text", "Leaders know their services well. What needs to improve in this area of social work "
                 "practice?1", None),
        ("list", "The quality and impact of recorded supervision.\nThe effective use of family networks.", None),
    ])
    assert _items(document) == ["The quality and impact of recorded supervision.",
                                "The effective use of family networks."]
    after_a_footer = _document([
        ("text", "Ofsted is proud to use recycled paper\nWhat needs to improve in this area of social work "
                 "practice:", None),
        ("list", "Caseload allocations.", None),
    ])
    assert _items(after_a_footer) == ["Caseload allocations."]


def test_an_area_send_inspections_long_recommendations_are_items_unless_a_priority_table_comes_first():
    long = "Leaders should strengthen the transition into adulthood. " * 16  # about 900 characters
    lines = [("heading", "Areas for improvement", None), ("text", long.strip(), None),
             ("text", "Leaders should measure the impact of strategic actions.", None),
             ("text", "Local area partnership details\nLocal authority", None)]
    send = replace(_document(lines), kind="send inspection")
    assert len(_items(send)) == 2
    # Elsewhere an item that long is the report's text again (a new hash: lists are kept by it).
    assert _items(replace(send, kind="focused visit", sha256="visit")) == []
    with_priorities = replace(_document([("text", "Areas for priority action\nResponsible body\nThe council", None),
                                         *lines]), kind="send inspection")
    assert _items(with_priorities) == []


def test_work_carried_out_by_staff_names_no_inspectors():
    document = _document([("text", "Assessments carried out by Social Workers in the Front Door are timely.", None)])
    assert inspectors(document) is None


def _document(lines: list[tuple[str, str, int | None]]) -> Document:
    """A document from (kind, text, number) paragraphs."""
    text, paragraphs = "", []
    for kind, words, number in lines:
        start = len(text)
        text += words
        paragraphs.append(Paragraph(start, len(text), number, kind))
        text += "\n\n"
    return Document("d", "t", None, "s", str(hash(text)), text, tuple(paragraphs))


def test_findings_after_the_numbered_recommendations_are_not_items():
    document = _document([
        ("heading", "What does the local authority need to improve?", None),
        ("heading", "Priority and immediate action", None),
        ("text", "There are no areas of priority action.", None),
        ("heading", "Areas for improvement", None),
        ("heading", "Capacity", None),
        ("text", "7. Ensure that caseloads are manageable.", 7),
        ("heading", "Quality of practice", None),
        ("text", "8. Improve the quality of plans.", 8),
        ("heading", "The local authority’s strengths", None),
        ("text", "9. Senior leaders know their services well.", 9),
    ])
    assert _items(document) == ["7. Ensure that caseloads are manageable.", "8. Improve the quality of plans."]


def test_a_table_of_contents_is_not_the_list():
    document = _document([
        ("heading", "Recommendations", None),
        ("text", "Summary\nInspection findings\nInformation about this area", None),
        ("heading", "Recommendations", None),
        ("list", "The quality of plans.\nThe timeliness of visits.", None),
    ])
    assert _items(document) == ["The quality of plans.", "The timeliness of visits."]


@pytest.mark.parametrize("name, answers", [
    ("worcestershire-inspection-2019.txt", 1),  # a bulleted list: its lines are one paragraph
    ("worcestershire-inspection-2017.txt", 14),  # numbered recommendations, a paragraph each
])
def test_a_whole_list_is_an_answer_a_paragraph(name, answers):
    from qa.answer.from_lists import by_paragraph

    document = _report(name)
    items, parts = improvements(document), by_paragraph(improvements(document))
    assert len(parts) == answers
    # Together they hold every item and nothing between them but the space that separates a list's items.
    assert " ".join(document.text[part.start:part.end] for part in parts) == \
        " ".join(document.text[item.start:item.end] for item in items)
    assert len(items) > len(parts) if answers == 1 else len(items) == len(parts)
