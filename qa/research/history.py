"""An authority's history: its reports in date order, each with its dates, lead inspector, grades
and its list of what needs to improve, every value with its offsets in the report."""

from __future__ import annotations

from collections.abc import Iterable

from qa.answer.filters import authority_of, distinct
from qa.answer.tables import JUDGEMENTS
from qa.indexing.store import Store
from qa.ofsted import authorities, regions
from qa.ofsted.metadata import grade_spans
from qa.ofsted.sections import improvements
from qa.types import Document


def slug(key: str) -> str:
    """An authority's key as it appears in a URL: "bath-and-north-east-somerset"."""
    return key.replace(" ", "-")


def key_of(name: str) -> str:
    """The key of an authority named in a URL or by any of its names."""
    return authorities.canonical(name.replace("-", " "))


def name_of(key: str, documents: Iterable[Document] = ()) -> str:
    """An authority's name: the table's, else as its first report writes it."""
    return authorities.display(key) or next((d.authority for d in documents if d.authority), key)


def reports_of(store: Store, key: str) -> list[Document]:
    """The authority's reports, one of each (a PDF and its text twin count once), oldest first; none
    for a name that folds to nothing ("-"), which is no authority's."""
    if not key:
        return []
    chosen = [e.document for e in store.entries.values() if authority_of(e.document) == key]
    return sorted(distinct(chosen), key=lambda d: (d.date or "", d.doc_id))


def page(store: Store, key: str) -> dict | None:
    """An authority's history (`history`) with when its most recently indexed report arrived in
    the index (UTC, ISO 8601); None for a name no report is about."""
    documents = reports_of(store, key)
    if not documents:
        return None
    arrived = max(e.indexed_at for e in store.entries.values() if authority_of(e.document) == key)
    region = regions.region_of(key)
    return history(key, documents) | {"latest_arrival": arrived,
                                      "region_grades": region_grades(store, region) if region else None}


def region_grades(store: Store, region: str) -> dict:
    """How the authorities of `region` were graded at their latest graded inspection: for each
    judgement, how many got each grade."""
    latest: dict[str, Document] = {}
    for entry in store.entries.values():
        document, key = entry.document, authority_of(entry.document)
        if (document.kind == "inspection" and document.date and document.meta.get("grades")
                and regions.region_of(key) == region and document.date > getattr(latest.get(key), "date", "")):
            latest[key] = document
    grades: dict[str, dict[str, int]] = {name: {} for name in JUDGEMENTS}
    for document in latest.values():
        for name, grade in document.meta["grades"].items():
            if name in grades:
                grades[name][grade] = grades[name].get(grade, 0) + 1
    return {"region": region, "authorities": len(latest), "grades": grades}


def summary(key: str, documents: list[Document]) -> dict:
    """An authority in a list: its name, how many reports, its latest inspection and grades."""
    inspections = [d for d in documents if d.kind == "inspection" and d.date]
    latest = inspections[-1] if inspections else None
    return {"key": key, "slug": slug(key), "name": name_of(key, documents), "region": regions.region_of(key),
            "reports": len(documents),
            "latest_inspection": latest.date if latest else None,
            "grades": dict(latest.meta.get("grades", {})) if latest else {}}


def history(key: str, documents: list[Document]) -> dict:
    """Everything the history page shows, as JSON: every report with its kind, dates, lead
    inspector, grades and what needs to improve, each value with its offsets in the report."""
    reports = []
    for document in documents:
        spans = grade_spans(document.text, document.paragraphs) if document.meta.get("grades") else {}
        reports.append({
            "doc_id": document.doc_id, "title": document.title, "kind": document.kind, "date": document.date,
            "inspection_start": document.meta.get("inspection_start"),
            "inspection_end": document.meta.get("inspection_end"),
            "lead_inspector": document.meta.get("lead_inspector"), "framework": document.meta.get("framework"),
            "grades": {name: _value(document, spans[name], grade)
                       for name, grade in document.meta.get("grades", {}).items() if name in spans},
            "improvements": [_value(document, (item.paragraph, item.start, item.end))
                             for item in improvements(document)],
        })
    return {**summary(key, documents), "judgements": JUDGEMENTS, "history": reports}


def _value(document: Document, where: tuple[int, int, int], grade: str | None = None) -> dict:
    index, start, end = where
    value = {"text": document.text[start:end], "doc_start": start, "doc_end": end,
             "paragraph_number": document.paragraphs[index].number}
    return value if grade is None else {"grade": grade, **value}
