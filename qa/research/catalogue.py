"""The indexed reports as a researcher looks them up: filtered by authority, region, kind, year,
overall grade and the day they arrived in the index, sorted by any column. The reports page and
`GET /api/reports` share it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from qa.answer.filters import authority_of, in_region
from qa.errors import FilterError
from qa.indexing.store import Entry, Store
from qa.ofsted import authorities, regions
from qa.ofsted.metadata import GRADES, KINDS

SORTS = {
    "date": lambda e: e.document.date or "",
    "authority": lambda e: (authority_of(e.document) or "~", e.document.date or ""),
    "region": lambda e: (regions.region_of(authority_of(e.document)) or "~", authority_of(e.document) or "~"),
    "kind": lambda e: (e.document.kind, e.document.date or ""),
    "inspected": lambda e: e.document.meta.get("inspection_start") or "",
    "grade": lambda e: (_rank(e.document.meta.get("grades", {}).get("overall_effectiveness")), e.document.date or ""),
    "title": lambda e: e.document.title.lower(),
    "arrived": lambda e: e.indexed_at,
}


def _rank(grade: str | None) -> int:
    return GRADES.index(grade) if grade in GRADES else len(GRADES)


@dataclass(frozen=True)
class Selection:
    """Which reports, in which order: every field optional, as a query string gives them."""

    authority: str | None = None
    region: str | None = None
    kind: str | None = None
    year: int | None = None
    grade: str | None = None
    since: dt.date | None = None  # arrived in the index on or after this day (UTC)
    sort: str = "date"
    descending: bool = True

    @classmethod
    def from_args(cls, args) -> Selection:
        """From a query string (authority, region, kind, year, grade, since, sort, order=asc|desc);
        a bad value is a FilterError that says which."""
        values = {name: (args.get(name) or "").strip() or None
                  for name in ("authority", "region", "kind", "year", "grade")}
        if values["region"] is not None and values["region"] not in regions.REGIONS:
            raise FilterError(f"'region' must be one of {', '.join(regions.REGIONS)}")
        if values["kind"] is not None and values["kind"] not in KINDS:
            raise FilterError(f"'kind' must be one of {', '.join(KINDS)}")
        if values["grade"] is not None and values["grade"] not in GRADES:
            raise FilterError(f"'grade' must be one of {', '.join(GRADES)}")
        year = values.pop("year")
        if year is not None and not (year.isascii() and year.isdigit() and len(year) == 4):
            raise FilterError("'year' must be a year, e.g. 2024")
        since = (args.get("since") or "").strip() or None
        try:
            since = dt.date.fromisoformat(since) if since else None
        except ValueError:
            raise FilterError("'since' must be a day as YYYY-MM-DD, e.g. 2026-11-30") from None
        sort = args.get("sort") or "date"
        if sort not in SORTS:
            raise FilterError(f"'sort' must be one of {', '.join(SORTS)}")
        order = args.get("order") or ("desc" if sort in ("date", "inspected", "arrived") else "asc")
        if order not in ("asc", "desc"):
            raise FilterError("'order' must be asc or desc")
        return cls(**values, year=int(year) if year else None, since=since, sort=sort, descending=order == "desc")

    def select(self, store: Store) -> list[Entry]:
        key = authorities.canonical(self.authority) if self.authority else None
        chosen = [entry for entry in store.entries.values()
                  if (key is None or authority_of(entry.document) == key)
                  and (self.region is None or in_region(entry.document, self.region))
                  and (self.kind is None or entry.document.kind == self.kind)
                  and (self.year is None or self.year in entry.document.years)
                  and (self.since is None or entry.indexed_at[:10] >= self.since.isoformat())
                  and (self.grade is None
                       or entry.document.meta.get("grades", {}).get("overall_effectiveness") == self.grade)]
        return sorted(chosen, key=SORTS[self.sort], reverse=self.descending)

    def query(self, **changes) -> dict:
        """The selection as query-string values, with `changes`: for links that re-sort or page."""
        values = {"authority": self.authority, "region": self.region, "kind": self.kind, "year": self.year,
                  "grade": self.grade,
                  "since": self.since.isoformat() if self.since else None, "sort": self.sort,
                  "order": "desc" if self.descending else "asc"} | changes
        return {name: value for name, value in values.items() if value is not None}
