"""The JSON API: ask, list and read reports, upload and delete them, health, OpenAPI."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request

from qa.config import MAX_TOP_K
from qa.filters import Filters
from qa.uploads import add_report, delete_report
from web.errors import APIError
from web.openapi import document

blueprint = Blueprint("api", __name__, url_prefix="/api")
MAX_HISTORY = 20


def _qa():
    return current_app.extensions["qa"]


@blueprint.post("/ask")
def ask():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise APIError(400, "bad_json", "send a JSON object, e.g. {\"question\": \"...\"}")
    question = body.get("question")
    if not isinstance(question, str):
        raise APIError(400, "bad_question", "'question' must be a string")
    top_k = body.get("top_k", 3)
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= MAX_TOP_K:
        raise APIError(400, "bad_top_k", f"'top_k' must be an integer from 1 to {MAX_TOP_K}")
    history = _history(body.get("history", []))
    filters = Filters.from_dict(body.get("filters"))
    return jsonify(_qa().ask(question, history, top_k, filters).to_dict())


def _history(history) -> list[str]:
    if not isinstance(history, list) or len(history) > MAX_HISTORY:
        raise APIError(400, "bad_history", f"'history' must be a list of at most {MAX_HISTORY} turns")
    questions = []
    for turn in history:
        if not isinstance(turn, dict) or not isinstance(turn.get("question"), str) or not isinstance(
                turn.get("answer", ""), (str, type(None))):
            raise APIError(400, "bad_history",
                           "each history turn must be {\"question\": str, \"answer\": str}")
        questions.append(_qa().check_question(turn["question"]))
    return questions


@blueprint.get("/reports")
def reports():
    store = _qa().store
    return jsonify(reports=[_summary(entry) for entry in store.entries.values()])


@blueprint.get("/reports/<doc_id>")
def report(doc_id: str):
    entry = _qa().store.entry(doc_id)
    document = entry.document
    return jsonify(**_summary(entry), text=document.text, paragraphs=[
        {"start": p.start, "end": p.end, "number": p.number, "kind": p.kind} for p in document.paragraphs])


@blueprint.post("/reports")
def upload():
    _authorise()
    file = request.files.get("file")
    if file is None:
        raise APIError(400, "no_file", "send the report as multipart form data in a field named 'file'")
    summary = add_report(_qa(), file.filename or "", file.read())
    return jsonify(summary.to_dict())


@blueprint.delete("/reports/<doc_id>")
def delete(doc_id: str):
    _authorise()
    return jsonify(delete_report(_qa(), doc_id).to_dict())


@blueprint.get("/health")
def health():
    qa = _qa()
    store = qa.store
    return jsonify(status="ok", documents=len(store.entries), chunks=store.chunk_count,
                   model=qa.settings.model, built_at=store.built_at)


@blueprint.get("/openapi.json")
def openapi():
    return jsonify(document())


def _summary(entry) -> dict:
    document = entry.document
    return {"doc_id": document.doc_id, "title": document.title, "date": document.date,
            "kind": document.kind, "authority": document.authority, "source": document.source,
            "meta": document.meta,
            "paragraph_count": len(document.paragraphs), "indexed_at": entry.indexed_at}


def _authorise() -> None:
    token = _qa().settings.admin_token
    if not token:
        raise APIError(403, "admin_disabled", "uploads and deletions are off: set QA_ADMIN_TOKEN to allow them")
    given = request.headers.get("Authorization", "")
    if not given.startswith("Bearer ") or not hmac.compare_digest(given[7:].encode(), token.encode()):
        raise APIError(401, "unauthorized", "send 'Authorization: Bearer <token>' with the admin token")
