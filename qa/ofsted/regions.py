"""England's nine regions, the region of each local authority, and a region a question names.

`qa/data/regions.csv` gives each authority's Ofsted URN, its name as `qa.ofsted.authorities` writes it
and its region (the Office for National Statistics' region code and name, Open Government Licence
v3.0). It was made from the lookup of local authorities that the ofsted-ilacs-scrape-tool project
publishes (`import_data/la_lookup/Provider_data_lookup.csv`, MIT licence), which joins Ofsted's
URNs to ONS codes; the region names are ONS's, the codes the ONS codes of those names.
"""

from __future__ import annotations

import csv
import functools
import re

from qa.config import DATA
from qa.ofsted import authorities

LOOKUP = DATA / "regions.csv"
REGIONS = ("North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West")
# How a question names a region. Authorities that share its words are not the region: "North East
# Lincolnshire", "North Yorkshire", "East Riding of Yorkshire", "City of London", "London Borough
# of Croydon". West and South Yorkshire are parts of their region, not all of it: not a region.
_NAMED = tuple((region, re.compile(pattern, re.IGNORECASE)) for region, pattern in (
    ("North East", r"\bnorth[- ]?east(?:ern)?\b(?! lincs\b| lincolnshire\b)"),
    ("North West", r"\bnorth[- ]?west(?:ern)?\b"),
    ("Yorkshire and the Humber", r"\byorkshire (?:and|&) (?:the )?humber\b|"
                                 r"(?<!north )(?<!south )(?<!west )(?<!east )(?<!riding of )\byorkshire\b"),
    ("East Midlands", r"\beast(?:ern)? midlands\b"),
    ("West Midlands", r"\bwest(?:ern)? midlands\b"),
    ("East of England", r"\beast of england\b"),
    ("London", r"(?<!city of )\blondon\b(?! borough\b)"),
    ("South East", r"\bsouth[- ]?east(?:ern)?\b(?! midlands\b)"),
    ("South West", r"\bsouth[- ]?west(?:ern)?\b"),
))


@functools.lru_cache(maxsize=1)
def _by_authority() -> dict[str, str]:
    """The region of each authority's key."""
    with LOOKUP.open(encoding="utf-8", newline="") as lookup:
        return {authorities.canonical(row["authority"]): row["region"] for row in csv.DictReader(lookup)}


def region_of(key: str | None) -> str | None:
    """The region of the authority of key `key` (`qa.answer.filters.authority_of`), if it is known."""
    return _by_authority().get(key) if key else None


def named_in(text: str) -> str | None:
    """The region a text names ("Which councils in the North West were judged inadequate?",
    "north-west", "Yorkshire"), written as REGIONS write it, if it names exactly one."""
    found = {region for region, pattern in _NAMED if pattern.search(text)}
    return found.pop() if len(found) == 1 else None
