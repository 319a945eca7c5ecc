"""Cleaning and structure on real Ofsted reports (tests/samples) and the shipped news seeds."""

import re
from collections import Counter
from pathlib import Path

import pytest

from qa.reports.clean import clean
from qa.reports.layout import structure
from qa.reports.loaders import extract
from qa.reports.sentences import split_sentences
from tests.conftest import CORPUS

SAMPLES = Path(__file__).parent / "samples"


def _structured(name: str):
    path = SAMPLES / name
    text, _ = extract(path, path.read_bytes())
    stored, paragraphs = structure(text)
    return stored, paragraphs, {p.number: stored[p.start:p.end] for p in paragraphs if p.number}


def _words(text: str) -> Counter:
    return Counter(re.findall(r"[a-z0-9]+", text.lower()))


def test_page_break_inside_a_numbered_paragraph_is_joined_without_the_running_header():
    text, _, numbered = _structured("worcestershire-inspection-2023.txt")
    assert numbered[5] == (
        "5. The recording of decision-making by the emergency duty team (EDT) lacks clarity for some "
        "children. Social workers visit children and families promptly and ensure safety plans are in place. "
        "Communication between the social workers in EDT and daytime services ensures seamless support to "
        "children and families.")
    assert not re.search(r"^15 to 26 May 2023$", text, re.MULTILINE)
    assert text.count("Inspection of Worcestershire local authority children’s services") == 1


def test_numbered_paragraphs_are_all_found_in_order():
    for name, last in [("worcestershire-inspection-2023.txt", 62), ("worcestershire-inspection-2019.txt", 57),
                       ("worcestershire-inspection-2023.pdf", 62)]:
        _, paragraphs, _ = _structured(name)
        numbers = [p.number for p in paragraphs if p.number]
        assert numbers == list(range(1, last + 1)), name


def test_judgement_table_rows_keep_each_label_with_its_grade():
    for name in ("worcestershire-inspection-2023.txt", "worcestershire-inspection-2023.pdf"):
        text, paragraphs, _ = _structured(name)
        table = next(text[p.start:p.end] for p in paragraphs if p.kind == "table")
        rows = table.split("\n")
        assert "The experiences and progress of children in care Requires improvement to be good" in rows
        assert "The experiences and progress of care leavers Good" in rows
        assert rows[-1] == "Overall effectiveness Good"
    text, paragraphs, _ = _structured("worcestershire-inspection-2019.txt")
    table = next(text[p.start:p.end] for p in paragraphs if p.kind == "table")
    assert table.endswith("\nOverall effectiveness Requires improvement to be good")


def test_old_framework_table_numbers_are_not_paragraph_numbers():
    text, paragraphs, numbered = _structured("worcestershire-inspection-2017.txt")
    table = next(text[p.start:p.end] for p in paragraphs if p.kind == "table")
    assert "1. Children who need help and protection Inadequate" in table.split("\n")
    assert "2.1 Adoption performance Requires improvement" in table.split("\n")
    assert numbered[1].startswith("1. Ensure that elected members and senior leaders meet their statutory")
    assert "Contents" not in text and "Summary for children and young people\n9" not in text


def test_what_needs_to_improve_is_a_heading_over_a_list_without_bullet_glyphs():
    for name in ("worcestershire-inspection-2023.txt", "worcestershire-inspection-2023.pdf"):
        text, paragraphs, _ = _structured(name)
        index = next(i for i, p in enumerate(paragraphs) if p.kind == "list")
        items = _lines(text, paragraphs[index])
        assert items[0] == "Effective analysis of risk by the local authority designated officer team (LADO)."
        assert items[1] == ("A consistent service for all children in care, including the timely progression "
                            "of their plans for permanence.")
        assert len(items) == 4
        heading = paragraphs[index - 1]
        assert heading.kind == "heading" and text[heading.start:heading.end] == "What needs to improve?"
        assert "◼" not in text


def test_a_note_in_brackets_on_its_own_line_stays_with_its_list_item():
    text, paragraphs = structure(
        "What needs to improve?\n"
        "◼ The management oversight of the local authority designated officer (LADO).\n"
        "(outcome 3, national framework)\n"
        "◼ The identification and assessment of children living in private fostering\n"
        "arrangements. (outcome 3, national framework)\n\n"
        "The experiences and progress of children who need help and\nprotection: good\n")
    assert [p.kind for p in paragraphs] == ["heading", "list", "heading"]
    assert _lines(text, paragraphs[1]) == [
        "The management oversight of the local authority designated officer (LADO). (outcome 3, national framework)",
        "The identification and assessment of children living in private fostering arrangements. "
        "(outcome 3, national framework)"]


def test_a_number_that_ends_a_sentence_is_not_a_paragraph_number():
    text, paragraphs = structure(
        "What needs to improve?\n"
        "◼ The provision of personal assistants for care leavers when they reach the age of\n"
        "17.\n"
        "◼ The availability of suitable accommodation.\n\n"
        "1.\n"
        "Children are safe.\n")
    assert [(p.kind, p.number) for p in paragraphs] == [("heading", None), ("list", None), ("text", 1)]
    assert _lines(text, paragraphs[1]) == [
        "The provision of personal assistants for care leavers when they reach the age of 17.",
        "The availability of suitable accommodation."]


def test_a_lists_items_read_on_as_a_quotation_of_it_does_with_each_items_start_kept():
    text, paragraphs = structure("What needs to improve?\n"
                                 "◼ The timeliness of initial and review health assessments for children.\n"
                                 "◼ Independent reviewing officer workloads\n"
                                 "◼ The voice of the child in the corporate parenting committee.\n")
    listed = paragraphs[1]
    assert text[listed.start:listed.end] == (
        "The timeliness of initial and review health assessments for children. Independent reviewing officer "
        "workloads The voice of the child in the corporate parenting committee.")
    assert _lines(text, listed) == ["The timeliness of initial and review health assessments for children.",
                                    "Independent reviewing officer workloads",
                                    "The voice of the child in the corporate parenting committee."]
    # Shown a line an item, at the same offsets.
    assert listed.shown(text) == "\n".join(_lines(text, listed))
    # A sentence ends where an item does, full stop or not.
    assert [text[a:b] for a, b in split_sentences(text, listed.start, listed.end, listed.breaks)] == \
        _lines(text, listed)


def _lines(text: str, paragraph) -> list[str]:
    return [text[start:end] for start, end in paragraph.lines(text)]


def test_ofsted_address_and_back_page_are_removed_but_the_letter_is_kept():
    for name in ("worcestershire-focused-visit-2025.txt", "worcestershire-focused-visit-2025.pdf"):
        text, _, _ = _structured(name)
        for boilerplate in ("Piccadilly Gate", "M1 2WD", "enquiries@ofsted.gov.uk", "Crown copyright",
                            "Textphone"):
            assert boilerplate not in text, (name, boilerplate)
        assert text.startswith("13 January 2025\nAdam Johnston\nInterim Director Children’s Services")
        assert "On 1 October 2024, Worcestershire Children First was reintegrated" in text
        assert text.endswith("Yours sincerely\n\nRebecca Quested\nHis Majesty’s Inspector") or \
            text.endswith("Yours sincerely\nRebecca Quested\nHis Majesty’s Inspector")


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_cleaning_keeps_every_line_of_the_report(name):
    """Each line of report text survives whole; only repeated page furniture and the back page go."""
    raw = (SAMPLES / name).read_text(encoding="utf-8")
    text, _ = structure(raw)
    lines = [line.strip() for line in raw.split("\n")]
    counts = Counter(lines)
    back_page = next((n for n, line in enumerate(lines) if line.startswith("The Office for Standards in Educ")),
                     len(lines))
    body = [re.sub(r"^[◼▪•\ue000-\uf8ff]\s*", "", line) for line in lines[:back_page]
            if len(line) >= 30 and counts[line] < 3]
    missing = [line for line in body if " ".join(line.split()) not in text]
    assert len(body) > 100 and not missing
    assert not _words(text) - _words(raw), "cleaning adds no words"


def test_news_seeds_lose_teasers_navigation_and_read_more_links():
    teaser_page = (CORPUS / "003_bfc458f800b82471.txt").read_text(encoding="utf-8")
    text, _ = structure(teaser_page)
    for chrome in ("Read Full Story", "Cafcass introduces", "Spending on early help", "Make an Enquiry",
                   "tackling violence against women", "Subscribe Today", "Mackman"):
        assert chrome not in text
    assert text.startswith("Support to children in care at Worcestershire is improved, says Ofsted")
    assert "The report found:" in text and "Timeliness of proceedings has improved" in text
    links = (CORPUS / "001_f31e2302bed8b243.txt").read_text(encoding="utf-8")
    text, _ = structure(links)
    assert "READ MORE" not in text and "Dyson Perrins" not in text
    assert "Despite the overall good rating" in text


def test_clean_normalises_characters_and_keeps_page_breaks():
    assert clean("a\r\nb\u00a0\u00a0c\fd\x00e\u200bf\n\n") == ["a", "b c", "\f", "def", "", ""]


def test_paragraph_offsets_slice_the_stored_text():
    text, paragraphs, _ = _structured("worcestershire-send-2024.txt")
    assert paragraphs and all(text[p.start:p.end].strip() == text[p.start:p.end] != "" for p in paragraphs)
    assert all(a.end < b.start for a, b in zip(paragraphs, paragraphs[1:], strict=False))
