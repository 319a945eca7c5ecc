"""The HTML pages: the chat, the list of reports, and one report with its cited span highlighted."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

blueprint = Blueprint("chat", __name__)


@blueprint.get("/")
def chat():
    return render_template("chat.html")


@blueprint.get("/reports")
def reports():
    entries = sorted(current_app.extensions["qa"].store.entries.values(),
                     key=lambda entry: entry.document.date or "", reverse=True)
    return render_template("reports.html", documents=[entry.document for entry in entries])


@blueprint.get("/reports/<doc_id>")
def report(doc_id: str):
    document = current_app.extensions["qa"].store.entry(doc_id).document
    start = request.args.get("start", type=int)
    end = request.args.get("end", type=int)
    valid = start is not None and end is not None and 0 <= start < end <= len(document.text)
    paragraphs = []
    for paragraph in document.paragraphs:
        text = document.text[paragraph.start:paragraph.end]
        cited = valid and paragraph.start <= start and end <= paragraph.end
        if cited:
            left, right = start - paragraph.start, end - paragraph.start
            parts = (text[:left], text[left:right], text[right:])
        else:
            parts = (text, "", "")
        paragraphs.append({"number": paragraph.number, "cited": cited, "parts": parts})
    return render_template("report.html", document=document, paragraphs=paragraphs)
