"""The HTML pages: the chat, the reports table, an authority's history, the survey across reports,
and one report with its cited span highlighted. Report text is rendered as text only."""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, Response, abort, current_app, render_template, request

from qa.answer.filters import authority_of
from qa.answer.read import SCORER
from qa.answer.tables import JUDGEMENTS
from qa.errors import IndexMissingError, ReportError
from qa.indexing.refresh import located
from qa.ofsted.metadata import KINDS
from qa.ofsted.regions import REGIONS, region_of
from qa.reports import pdf_view
from qa.research import history as histories
from qa.research.catalogue import GRADES, Selection
from web.chart import grades_chart

blueprint = Blueprint("chat", __name__)
PAGE_SIZE = 50


def _store():
    return current_app.extensions["qa"].store


@blueprint.get("/")
def chat():
    """The chat, with what is loaded and the filters on the reports asked (empty while the first
    index is built: the chat says how far that is)."""
    try:
        store = _store()
    except IndexMissingError:
        return render_template("chat.html", loaded=None, authorities=[], kinds=KINDS, regions=REGIONS)
    dates = sorted(entry.document.date for entry in store.entries.values() if entry.document.date)
    loaded = {"reports": len(store.entries), "authorities": len(store.authorities),
              "first": dates[0] if dates else None, "last": dates[-1] if dates else None}
    return render_template("chat.html", loaded=loaded, authorities=_authority_names(), kinds=KINDS, regions=REGIONS)


@blueprint.get("/about")
def about():
    """How answers are scored: what a score means and how it was measured (qa/models/scorer.json)."""
    return render_template("about.html", scorer=json.loads(SCORER.read_text(encoding="utf-8")))


@blueprint.get("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page names: the page's own icon."""
    return current_app.send_static_file("favicon.svg")


@blueprint.get("/compare")
def compare():
    return render_template("compare.html", kinds=KINDS, authorities=_authority_names(), regions=REGIONS)


@blueprint.get("/reports")
def reports():
    selection = Selection.from_args(request.args)
    chosen = selection.select(_store())
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    pages = max((len(chosen) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(page, pages)
    shown = chosen[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    years = sorted({year for entry in _store().entries.values() for year in entry.document.years}, reverse=True)
    week_ago = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=7)).isoformat()
    return render_template("reports.html", entries=shown, total=len(chosen), selection=selection, page=page,
                           week_ago=week_ago,
                           pages=pages, kinds=KINDS, grades=GRADES, years=years, judgements=JUDGEMENTS,
                           regions=REGIONS, region_of=lambda d: region_of(authority_of(d)),
                           authorities=_authority_names(), slug_of=lambda d: histories.slug(authority_of(d)),
                           name_of=lambda d: histories.name_of(authority_of(d), [d]))


@blueprint.get("/authorities")
def authorities():
    store = _store()
    listed = [histories.summary(key, histories.reports_of(store, key)) for key in sorted(store.authorities)]
    return render_template("authorities.html", authorities=listed, judgements=JUDGEMENTS)


@blueprint.get("/authorities/<name>")
def authority(name: str):
    found = histories.page(_store(), histories.key_of(name))
    if found is None:
        abort(404, description=f"no reports about an authority called {name!r}")
    inspections = [report for report in found["history"] if report["kind"] == "inspection" and report["date"]]
    chart = grades_chart([(report["date"], {name: value["grade"] for name, value in report["grades"].items()})
                          for report in inspections], JUDGEMENTS)
    return render_template("authority.html", authority=found, chart=chart, judgements=JUDGEMENTS, grades=GRADES,
                           improving=[report for report in found["history"] if report["improvements"]])


@blueprint.get("/reports/<doc_id>")
def report(doc_id: str):
    """A report's text with the cited span (`start`, `end`) marked; for a report held as PDF, first
    the page of the PDF it is on (or page `page`), with the span's words highlighted on it."""
    document = _store().entry(doc_id).document
    start = request.args.get("start", type=int)
    end = request.args.get("end", type=int)
    valid = start is not None and end is not None and 0 <= start < end <= len(document.text)
    original = None
    pdf = _pdf_of(document)
    if pdf is not None:
        cited = document.page_at(start) if valid else None
        number = request.args.get("page", type=int) or cited or 1
        try:
            original = pdf_view.page(pdf, number, document.text[start:end] if number == cited else "")
        except ReportError:
            original = None
    paragraphs = []
    for paragraph in document.paragraphs:
        text = paragraph.shown(document.text)
        cited = valid and paragraph.start <= start and end <= paragraph.end
        if cited:
            left, right = start - paragraph.start, end - paragraph.start
            parts = (text[:left], text[left:right], text[right:])
        else:
            parts = (text, "", "")
        paragraphs.append({"number": paragraph.number, "cited": cited, "parts": parts})
    return render_template("report.html", document=document, paragraphs=paragraphs, original=original,
                           span={"start": start, "end": end} if valid else {},
                           slug=histories.slug(authority_of(document)) if document.authority else None)


@blueprint.get("/reports/<doc_id>/pages/<int:number>.png")
def report_page(doc_id: str, number: int):
    """Page `number` of a report held as PDF, as an image."""
    pdf = _pdf_of(_store().entry(doc_id).document)
    if pdf is None:
        abort(404, description="this report is not held as a PDF")
    try:
        image = pdf_view.render(pdf, number)
    except ReportError as error:
        abort(404, description=str(error))
    return Response(image, mimetype="image/png", headers={"Cache-Control": "private, max-age=3600"})


def _pdf_of(document):
    """The PDF a report was read from, when it is one and is still in the corpus."""
    path = located(document.source, current_app.extensions["qa"].settings.corpus)
    return path if pdf_view.is_pdf(path) else None


def _authority_names() -> list[tuple[str, str]]:
    """(key, name) of every authority in the index, by name."""
    store = _store()
    return sorted(((key, histories.name_of(key)) for key in store.authorities), key=lambda item: item[1].lower())
