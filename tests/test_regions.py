"""England's regions: every authority has one, questions and filters name them, and the answers
across authorities, the reports table, the survey and the authority page keep to them."""

from __future__ import annotations

import pytest

from qa.answer.filters import Filters
from qa.errors import FilterError
from qa.ofsted import authorities, regions
from qa.research.catalogue import Selection
from qa.research.history import page
from qa.research.survey import survey


def test_every_authority_of_the_table_has_one_of_the_nine_regions():
    for name in authorities.canonical_names():
        assert regions.region_of(authorities.canonical(name)) in regions.REGIONS, name
    assert regions.region_of("knowsley") == "North West" and regions.region_of("north east lincolnshire") == \
        "Yorkshire and the Humber" and regions.region_of("milton keynes") == "South East"
    assert regions.region_of("") is None and regions.region_of("atlantis") is None


@pytest.mark.parametrize(("text", "region"), [
    ("Which councils in the North West were judged inadequate?", "North West"),
    ("north-west councils rated good", "North West"),
    ("London boroughs judged outstanding in 2024", "London"),
    ("Which Yorkshire councils are good?", "Yorkshire and the Humber"),
    ("councils in the east midlands", "East Midlands"),
    # Authorities whose names hold a region's words are not the region.
    ("North East Lincolnshire care leavers", None),
    ("City of London care leavers", None),
    ("London Borough of Croydon", None),
    ("North Yorkshire's 2023 inspection", None),
    ("East Riding of Yorkshire", None),
    ("Compare the North West with the South East", None),  # two regions: neither
])
def test_a_region_is_read_from_a_question(text, region):
    assert regions.named_in(text) == region


def test_a_region_filter_takes_only_the_nine_names():
    assert Filters.from_dict({"region": "North East"}).region == "North East"
    with pytest.raises(FilterError, match="region"):
        Filters.from_dict({"region": "Narnia"})
    with pytest.raises(FilterError, match="'region' must be a string"):
        Filters.from_dict({"region": 3})
    with pytest.raises(FilterError, match="region"):
        Selection.from_args({"region": "north"})


def test_grades_asked_of_a_region_come_from_its_authorities_only(research_qa):
    """Of the sample authorities, Sunderland is the North East's; Bromley, Havering and the others
    are not."""
    reply = research_qa.ask("Which councils in the North East were judged outstanding?")
    assert reply.table and {row.authority for row in reply.table} == {"Sunderland"}
    everywhere = research_qa.ask("Which councils were judged outstanding?")
    assert len({row.authority for row in everywhere.table}) > 1


def test_the_region_filter_keeps_answers_and_rows_to_its_authorities(research_qa):
    reply = research_qa.ask("How well are care leavers supported?", filters=Filters(region="London"))
    assert reply.answers and {a.citation.authority for a in reply.answers} <= {"Bromley", "Havering"}
    total, rows = survey(research_qa, "How well are care leavers supported?", Filters(region="London"))
    rows = list(rows)
    assert total == len(rows) > 0 and {row.region for row in rows} == {"London"}
    chosen = Selection(region="North East").select(research_qa.store)
    assert chosen and {entry.document.authority for entry in chosen} == {"Sunderland"}


def test_an_authority_page_sets_its_grades_beside_its_regions(research_qa):
    found = page(research_qa.store, "sunderland")
    beside = found["region_grades"]
    assert found["region"] == "North East" and beside["region"] == "North East" and beside["authorities"] == 1
    assert beside["grades"]["overall_effectiveness"] == {found["grades"]["overall_effectiveness"]: 1}
