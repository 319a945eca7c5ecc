"""Metadata read from real reports' text (tests/samples)."""

from pathlib import Path

import pytest

from qa.ofsted.authorities import authority_key, canonical, display
from qa.ofsted.metadata import grade_spans, read_metadata
from qa.reports.layout import structure
from qa.reports.loaders import extract

SAMPLES = Path(__file__).parent / "samples"


def _metadata(name: str, file_name: str = ""):
    path = SAMPLES / name
    text, paragraphs = structure(extract(path, path.read_bytes())[0])
    return read_metadata(text, paragraphs, file_name)


@pytest.mark.parametrize("name", ["worcestershire-inspection-2023.txt", "worcestershire-inspection-2023.pdf"])
def test_ilacs_inspection(name):
    meta = _metadata(name, "children's services inspection - 14 july 2023.txt")
    assert meta.authority == "Worcestershire" and meta.kind == "inspection"
    assert (meta.inspection_start, meta.inspection_end) == ("2023-05-15", "2023-05-26")
    assert meta.published == "2023-07-14", "the report does not print it, so the file name's date is used"
    assert meta.lead_inspector == "Rebecca Quested"
    assert meta.framework == "ILACS standard"
    assert meta.grades == {"impact_of_leaders": "good", "help_and_protection": "good",
                           "children_in_care": "requires improvement", "care_leavers": "good",
                           "overall_effectiveness": "good"}


def test_2019_inspection_judges_children_in_care_and_care_leavers_together():
    meta = _metadata("worcestershire-inspection-2019.txt")
    assert meta.lead_inspector == "Peter McEntee" and meta.inspection_end == "2019-06-28"
    # The one judgement of both is each one's grade.
    assert meta.grades == {name: "requires improvement" for name in
                           ("impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers",
                            "overall_effectiveness")}


def test_single_inspection_framework_report():
    meta = _metadata("worcestershire-inspection-2017.txt")
    assert (meta.authority, meta.framework, meta.published) == ("Worcestershire", "SIF", "2017-01-24")
    assert (meta.inspection_start, meta.inspection_end) == ("2016-10-24", "2016-11-17")
    assert meta.lead_inspector == "Jenny Turnross"
    # Adoption and the safeguarding board, which only this framework judged, from the body's
    # statements ("The graded judgement for adoption performance is that it requires improvement").
    assert meta.grades == {"help_and_protection": "inadequate", "children_in_care": "inadequate",
                           "care_leavers": "inadequate", "impact_of_leaders": "inadequate",
                           "overall_effectiveness": "inadequate", "adoption": "requires improvement",
                           "lscb": "requires improvement"}


def test_grades_are_cited_where_a_sentence_states_them():
    path = SAMPLES / "worcestershire-inspection-2017.txt"
    text, paragraphs = structure(extract(path, path.read_bytes())[0])
    spans = grade_spans(text, paragraphs)

    def line(name):
        index, start, end = spans[name]
        paragraph = paragraphs[index]
        return " ".join(text[paragraph.start:paragraph.end].split()), text[start:end]

    assert line("adoption") == ("The graded judgement for adoption performance is that it requires improvement",
                                "requires improvement")
    assert line("lscb")[1] == "requires improvement" and "Safeguarding Children Board requires" in line("lscb")[0]
    care_leavers, grade = line("care_leavers")
    assert care_leavers.startswith("The graded judgement about the experience and progress of care leavers")
    assert grade == "inadequate"


def _cited(report: str, judgement: str) -> tuple[str, str]:
    """The grade cited for `judgement` in a report whose text is `report`, and its paragraph up to it."""
    text, paragraphs = structure(report)
    index, start, end = grade_spans(text, paragraphs)[judgement]
    return text[start:end], text[paragraphs[index].start:end]


def test_a_list_of_the_last_inspections_grades_is_not_this_ones():
    grade, _ = _cited("Inspection of services for children in need of help and protection\n\n"
                      "The judgements at the last inspection were:\n"
                      "Overall effectiveness: inadequate\n"
                      "Adoption performance: inadequate\n\n"
                      "The graded judgement for adoption performance is that it is good\n", "adoption")
    assert grade == "good"


@pytest.mark.parametrize("name", ["worcestershire-focused-visit-2025.txt", "worcestershire-focused-visit-2025.pdf"])
def test_focused_visit_letter(name):
    meta = _metadata(name)
    assert (meta.authority, meta.kind, meta.published) == ("Worcestershire", "focused visit", "2025-01-13")
    assert (meta.inspection_start, meta.inspection_end) == ("2024-12-03", "2024-12-04")
    assert meta.lead_inspector == "Rebecca Quested" and meta.grades == {}


def test_send_inspection():
    meta = _metadata("worcestershire-send-2024.txt")
    assert (meta.authority, meta.kind, meta.framework) == ("Worcestershire", "send inspection", "area SEND")
    assert (meta.inspection_start, meta.inspection_end) == ("2024-04-22", "2024-04-26")
    assert meta.lead_inspector == "Helen Forrest"


def test_authority_names_compare_without_council_words():
    assert authority_key("Worcestershire County Council") == authority_key("worcestershire")
    assert authority_key("Bournemouth, Christchurch & Poole") == "bournemouth christchurch and poole"
    assert authority_key("The Council of the Isles of Scilly") == "isles of scilly"
    assert authority_key("Dudley's") == "dudley"
    assert authority_key("City of London") == "city of london" != authority_key("London Borough of Ealing")


def test_every_name_of_an_authority_has_one_key():
    assert canonical("Hull") == canonical("Kingston upon Hull City Council") == "kingston upon hull"
    assert canonical("B&NES") == canonical("Bath and North East Somerset Council") == "bath and north east somerset"
    assert canonical("London Borough of Croydon") == canonical("Croydon") == "croydon"
    assert canonical("Sandwell Children's Trust") == "sandwell"
    assert canonical("Stoke-onTrent") == "stoke on trent" and display("stoke on trent") == "Stoke-on-Trent"
    assert canonical("Gotham City Council") == "gotham"  # not in the table: its own key


def test_a_report_that_names_its_authority_only_in_its_opening_lines_gets_it():
    text = ("29 November 2024\nMs A Smith\nDirector of Children's Services\nSandwell Children's Trust\n\n"
            "Dear Ms Smith\nThis letter summarises the findings of the focused visit.\n")
    assert read_metadata(text, ()).authority == "Sandwell"
    assert read_metadata("Inspection of the London Borough of Ealing local authority children's services\n",
                         ()).authority == "the London Borough of Ealing"


def test_the_lead_inspector_named_in_the_middle_of_an_older_inspection_is_found():
    from qa.ofsted.metadata import fact_spans
    from qa.reports.report import fingerprint, load_report

    path = Path(__file__).parent / "samples" / "authorities" / "essex"
    path = path / "children's services inspection - 21 march 2014.txt"
    document = load_report(fingerprint(path), "essex-2014", path.name)
    index, start, end = fact_spans(document.text, document.paragraphs)["lead_inspector"]
    assert document.text[start:end] == "Ian Young" and 6000 < start < len(document.text) - 3000


def test_an_area_send_inspection_names_its_ofsted_and_cqc_lead_inspectors_in_its_team():
    from qa.ofsted.metadata import fact_spans
    from qa.reports.report import fingerprint, load_report

    path = SAMPLES / "worcestershire-send-2024.txt"
    document = load_report(fingerprint(path), "send", path.name)
    spans = fact_spans(document.text, document.paragraphs)
    assert [document.text[start:end] for _, start, end in (spans["lead_inspector"], spans["cqc_lead_inspector"])] \
        == ["Helen Forrest", "Louise Holland"]
    assert document.meta["lead_inspector"] == "Helen Forrest"
    # The team's lines as other SEND reports print them; two can share a line.
    for line, ofsted, cqc in [
            ("Sam Hainey, Ofsted HMI, lead inspector\nKieran Bird, Ofsted HMI\n\nClaire Mason, CQC lead inspector",
             "Sam Hainey", "Claire Mason"),
            ("Gaynor Roberts, Ofsted HMI, lead inspector Lesley Perry, CQC lead inspector", "Gaynor Roberts",
             "Lesley Perry"),
            ("Andrew Wright HMI, Ofsted Lead inspector\n\nClaire Mason, CQC Lead Inspector", "Andrew Wright",
             "Claire Mason"),
            ("Rebecca Sharples, Ofsted HMI Lead\nInspector\n\nGeraldine Bates, CQC Lead Inspector", "Rebecca Sharples",
             "Geraldine Bates"),
            ("Charlie Fordham, HMI, Lead inspector\nTessa Valpy, CQC Lead inspector", "Charlie Fordham", "Tessa Valpy"),
            ("Dr Tina Pagett, Ofsted lead inspector\nDaniel Carrick, CQC lead inspector", "Dr Tina Pagett",
             "Daniel Carrick")]:
        text, paragraphs = structure("Area SEND inspection of a local area partnership\n\nInspection team\n\n"
                                     + line + "\n")
        found = fact_spans(text, paragraphs)
        assert (text[found["lead_inspector"][1]:found["lead_inspector"][2]],
                text[found["cqc_lead_inspector"][1]:found["cqc_lead_inspector"][2]]) == (ofsted, cqc), line


def test_the_overall_sentence_is_read_across_a_line_break_in_the_authoritys_name():
    # The front page of a 2016 report, its name wrapped as the PDF's text has it.
    grade, cited = _cited("Royal Borough of Kensington and\nChelsea\n\n"
                          "Children’s services in the Royal Borough of Kensington and\n"
                          "Chelsea are outstanding\n\n"
                          "1. Children who need help and protection Good\n\n"
                          "Children’s services in Kensington and Chelsea are of a consistently good quality.\n",
                          "overall_effectiveness")
    assert grade == "outstanding" and cited.startswith("Children’s services in the Royal Borough of Kensington and\n")


def test_a_2013_inspection_names_its_reporting_inspector_as_the_lead():
    text, paragraphs = structure("Inspection of looked after children services\nKent County Council\n\n"
                                 "Inspection dates:\n\n15 – 19 July 2013\n\nReporting inspector Helen Cawston HMI\n\n"
                                 "Age group:\n\nPublished:\n\nAll\n23 August 2013\n")
    assert read_metadata(text, paragraphs).lead_inspector == "Helen Cawston"
