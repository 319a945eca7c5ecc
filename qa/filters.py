"""Which reports a question is asked of: explicit filters, and what the question itself names.

A question that names an authority is asked of that authority's reports; one that names a year
prefers reports of that year; one that asks for the current state ("how is X rated now?") is
asked of the latest report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

from qa.errors import FilterError
from qa.lexical import STOPWORDS
from qa.metadata import KINDS, authority_key
from qa.types import Document

_YEAR = re.compile(r"\b(?<!since )(?<!before )(20[12]\d)\b", re.IGNORECASE)
_CURRENT = re.compile(r"\b(?:current(?:ly)?|now|latest|most recent|at present|today|still)\b|"
                      r"^(?:how|what) (?:is|are) .{0,60}\b(?:rated|judged|graded|doing)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Filters:
    """Restrictions on the reports searched; empty means all reports."""

    authority: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                try:
                    dt.date.fromisoformat(value)
                except (TypeError, ValueError):
                    raise FilterError(f"filter {name!r} must be a date as YYYY-MM-DD, got {value!r}") from None
        if self.kind is not None and self.kind not in KINDS:
            raise FilterError(f"filter 'kind' must be one of {', '.join(KINDS)}; got {self.kind!r}")
        if self.authority is not None and not authority_key(self.authority):
            raise FilterError("filter 'authority' is empty")

    @classmethod
    def from_dict(cls, data: object) -> Filters:
        """Filters from a JSON object: authority, kind, from, to (dates as YYYY-MM-DD)."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise FilterError("'filters' must be an object")
        names = {"authority": "authority", "kind": "kind", "from": "date_from", "to": "date_to"}
        unknown = set(data) - set(names)
        if unknown:
            raise FilterError(f"unknown filter(s): {', '.join(sorted(unknown))}; use {', '.join(names)}")
        values = {names[key]: value for key, value in data.items() if value not in (None, "")}
        for key, value in values.items():
            if not isinstance(value, str):
                raise FilterError(f"filter {key!r} must be a string")
        return cls(**values)

    def __bool__(self) -> bool:
        return any(getattr(self, spec.name) is not None for spec in fields(self))

    def matches(self, document: Document) -> bool:
        if self.authority is not None and authority_key(document.authority or "") != authority_key(self.authority):
            return False
        if self.kind is not None and document.kind != self.kind:
            return False
        if self.date_from is not None and (document.date is None or document.date < self.date_from):
            return False
        return not (self.date_to is not None and (document.date is None or document.date > self.date_to))


@dataclass(frozen=True)
class Scope:
    """The reports a question is asked of (None: all), the years it names, whether it wants the latest,
    the authorities (keys) it names, and whether the reports were chosen by the years."""

    doc_ids: frozenset[str] | None = None
    years: tuple[int, ...] = ()
    latest: bool = False
    named: tuple[str, ...] = ()
    by_year: bool = False


def scope(documents: list[Document], question: str, filters: Filters, kinds: tuple[str, ...] = ()) -> Scope:
    """Apply the filters and what the question names; for the current state keep each authority's latest report.

    `kinds` narrows the latest report to those types (ratings come from inspections)."""
    known = {authority_key(d.authority): d.authority for d in documents if d.authority}
    named = () if filters.authority else authorities_named(question, known)
    years = years_named(question)
    if not filters and not named:
        return Scope(None, years)
    # Steering keeps reports whose authority is unknown; only an explicit filter drops them.
    chosen = [d for d in documents if filters.matches(d) and
              (not named or not d.authority or authority_key(d.authority) in named)]
    # An authority's reports of the year the question names, when it has any.
    of_year = [d for d in chosen if report_years(d) & set(years)]
    chosen = of_year or chosen
    latest = asks_for_current(question) and bool(named or filters.authority)
    if latest:
        newest: dict[str, Document] = {}
        for document in chosen:
            if document.date and (not kinds or document.kind in kinds):
                key = authority_key(document.authority or "")
                if key not in newest or document.date > newest[key].date:
                    newest[key] = document
        chosen = list(newest.values()) or chosen
    return Scope(frozenset(d.doc_id for d in chosen), years, latest, named, bool(of_year))


def authorities_named(question: str, known: dict[str, str]) -> tuple[str, ...]:
    """Authority keys (from `known`: key -> display name) that the question names, longest first."""
    text = " " + authority_key(question) + " "
    found: list[str] = []
    for key in sorted(known, key=len, reverse=True):
        if len(key) < 3 or key in STOPWORDS:
            continue
        if f" {key} " in text:
            found.append(key)
            text = text.replace(f" {key} ", " | ")
    return tuple(found)


def without_scope(text: str, scope: Scope) -> str:
    """`text` without the authorities and years that chose the reports in `scope`.

    Once the search is limited to an authority's reports of a year, the name and the year no longer
    tell passages apart; they only pull the search towards passages that repeat them (covering
    letters, titles, front pages)."""
    patterns = [r"[\W_]+".join(r"(?:and|&)" if word == "and" else re.escape(word) for word in key.split())
                for key in scope.named]
    if scope.by_year:
        patterns += [str(year) for year in scope.years]
    for pattern in patterns:
        text = re.sub(r"\b" + pattern + r"(?:['’]s)?\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def years_named(question: str) -> tuple[int, ...]:
    """Years the question asks about ("in 2022"), not those it measures from ("since 2018")."""
    return tuple(sorted({int(year) for year in _YEAR.findall(question)}))


def asks_for_current(question: str) -> bool:
    return bool(_CURRENT.search(question))


def report_years(document: Document) -> set[int]:
    """Years a report belongs to: publication and inspection."""
    dates = [document.date, document.meta.get("inspection_start"), document.meta.get("inspection_end")]
    return {int(value[:4]) for value in dates if value}
