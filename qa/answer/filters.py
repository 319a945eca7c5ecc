"""Which reports a question is asked of: explicit filters, and what the question itself names.

A question that names an authority is asked of that authority's reports; one that names a year
prefers reports of that year, one that asks about a change since a year the reports after it; one
about the present is asked of the latest reports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields

from qa.answer.query import Query
from qa.errors import FilterError
from qa.ofsted import authorities, regions
from qa.ofsted.authorities import authority_key
from qa.ofsted.metadata import KINDS
from qa.types import Document


@dataclass(frozen=True)
class Filters:
    """Restrictions on the reports searched; empty means all reports."""

    authority: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    region: str | None = None  # one of qa.ofsted.regions.REGIONS, as written there

    def __post_init__(self) -> None:
        for name, said in (("date_from", "from"), ("date_to", "to")):  # as the API and the CLI name them
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise FilterError(f"filter {said!r} must be a date as YYYY-MM-DD, got {value!r}") from None
        if self.kind is not None and self.kind not in KINDS:
            raise FilterError(f"filter 'kind' must be one of {', '.join(KINDS)}; got {self.kind!r}")
        if self.authority is not None and not authority_key(self.authority):
            raise FilterError("filter 'authority' is empty")
        if self.region is not None and self.region not in regions.REGIONS:
            raise FilterError(f"filter 'region' must be one of {', '.join(regions.REGIONS)}; got {self.region!r}")

    @classmethod
    def from_dict(cls, data: object) -> Filters:
        """Filters from a JSON object: authority, kind, from, to (dates as YYYY-MM-DD), region (one
        of `qa.ofsted.regions.REGIONS`)."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise FilterError("'filters' must be an object")
        names = {"authority": "authority", "kind": "kind", "from": "date_from", "to": "date_to", "region": "region"}
        unknown = set(data) - set(names)
        if unknown:
            raise FilterError(f"unknown filter(s): {', '.join(sorted(unknown))}; use {', '.join(names)}")
        values = {names[key]: value for key, value in data.items() if value not in (None, "")}
        said = {value: key for key, value in names.items()}
        for key, value in values.items():
            if not isinstance(value, str):
                raise FilterError(f"filter {said[key]!r} must be a string")
        return cls(**values)

    def __bool__(self) -> bool:
        return any(getattr(self, spec.name) is not None for spec in fields(self))

    def matches(self, document: Document) -> bool:
        if self.authority is not None and authority_of(document) != authorities.canonical(self.authority):
            return False
        if self.kind is not None and document.kind != self.kind:
            return False
        if self.region is not None and not in_region(document, self.region):
            return False
        if self.date_from is not None and (document.date is None or document.date < self.date_from):
            return False
        return not (self.date_to is not None and (document.date is None or document.date > self.date_to))


@dataclass(frozen=True)
class Scope:
    """The reports a question is asked of (None: all), the years it names, whether it was kept to
    the latest reports, the names that chose the reports, and whether the years chose them."""

    doc_ids: frozenset[str] | None = None
    years: tuple[int, ...] = ()
    latest: bool = False
    named: tuple[str, ...] = ()
    by_year: bool = False


def scope(documents: list[Document], query: Query, filters: Filters, kinds: tuple[str, ...] = ()) -> Scope:
    """The reports a question is asked of: those the filters allow, of the authorities it names; of
    those, the ones of the years it names (else those after the year a change is measured from) or of
    the kinds of report it names, when there are any.
    A question about the present is asked of each authority's latest report of each kind (of the
    latest report of `kinds` only when it says "now": ratings come from inspections)."""
    named = () if filters.authority else query.authorities
    # A region the question names ("Which councils in the North West ...?") when it names no authority.
    region = None if named or filters.authority or filters.region else query.region
    if not filters and not named and not region:
        return Scope(None, query.years)
    # Steering keeps reports whose authority is unknown; only an explicit filter drops them.
    chosen = [d for d in documents if filters.matches(d) and
              (not named or not d.authority or authority_of(d) in named)
              and (region is None or in_region(d, region))]
    of_year = [d for d in chosen if d.years & set(query.years)]
    chosen = of_year or chosen
    if query.since and not of_year:
        # Of the 145 training questions with "since" and a year, 135 are answered by a later report;
        # 9 of the other 10 name the report's year after a comma or a bracket ("since the last
        # inspection, according to the 2025 report"), which is not a year measured from.
        chosen = [d for d in chosen if d.date and int(d.date[:4]) > query.since] or chosen
    chosen = [d for d in chosen if d.kind in query.kinds] or chosen
    latest = query.present and not of_year and bool(named or filters.authority)
    if latest:
        wanted = kinds if query.current and kinds else None

        def group(document: Document) -> tuple[str, str]:
            """Whose latest report, of which kind (of any of `wanted`, when given)."""
            return authority_of(document), "" if wanted else document.kind

        newest: dict[tuple[str, str], str] = {}
        for document in chosen:
            if document.date and (wanted is None or document.kind in wanted):
                newest[group(document)] = max(newest.get(group(document), ""), document.date)
        # Every report of the newest date is kept (a report can be there as PDF and as text), and
        # undated ones, which cannot be told to be older, unless only the latest of `kinds` is wanted.
        chosen = [d for d in chosen if newest.get(group(d)) == d.date or (not d.date and not wanted)] or chosen
    return Scope(frozenset(d.doc_id for d in chosen), query.years, latest,
                 () if filters.authority else query.mentions, bool(of_year))


def distinct(documents: Iterable[Document]) -> list[Document]:
    """One of each report: a report held twice (as PDF and as text: the same authority, kind and
    date) counts once, the copy with more grades read kept, else the text."""
    chosen: dict[tuple, Document] = {}
    for document in documents:
        key = (authority_of(document) or document.doc_id, document.kind, document.date or document.doc_id)
        held = chosen.get(key)
        if held is None or _fuller(document) > _fuller(held):
            chosen[key] = document
    return list(chosen.values())


def _fuller(document: Document) -> tuple[int, bool]:
    return len(document.meta.get("grades", {})), not document.source.lower().endswith(".pdf")


def authority_of(document: Document) -> str:
    """The canonical key of a report's authority ("" when unknown)."""
    return authorities.canonical(document.authority) if document.authority else ""


def in_region(document: Document, region: str) -> bool:
    """Whether a report's authority is in `region` (one of qa.ofsted.regions.REGIONS)."""
    return regions.region_of(authority_of(document)) == region


# "and" between the words of a name, also written "&" with or without spaces ("H&F").
_AND = r"(?:[\W_]+and[\W_]+|[\W_]*&[\W_]*)"


def without_scope(text: str, scope: Scope) -> str:
    """`text` without the authorities and years that chose the reports in `scope`.

    Once the search is limited to an authority's reports of a year, the name and the year no longer
    tell passages apart; they only pull the search towards passages that repeat them (covering
    letters, titles, front pages)."""
    patterns = [r"[\W_]+".join(map(re.escape, key.split())).replace(r"[\W_]+and[\W_]+", _AND) for key in scope.named]
    if scope.by_year:
        patterns += [str(year) for year in scope.years]
    for pattern in patterns:
        text = re.sub(r"\b" + pattern + r"(?:['’]s)?\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())
