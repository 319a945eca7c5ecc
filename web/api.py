"""The JSON API: ask, list and read reports, upload and delete them, health, OpenAPI."""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context

from qa.answer.filters import Filters
from qa.config import MAX_TOP_K
from qa.errors import IndexBuildingError
from qa.indexing.uploads import add_report, delete_report
from qa.research import history as histories
from qa.research import survey as surveys
from qa.research.catalogue import Selection
from qa.research.feedback import FeedbackStore, checked_answer
from qa.types import Turn
from web.errors import APIError
from web.inputs import body_integer, json_object, query_integer
from web.limits import RateLimit
from web.openapi import document

blueprint = Blueprint("api", __name__, url_prefix="/api")
MAX_HISTORY = 20
# The longest answer a history turn may carry (an answer is a slice of one paragraph of a report).
MAX_ANSWER_CHARS = 10_000
# The longest report id a history turn may carry (a doc_id is a number and 16 hex digits).
MAX_REPORT_CHARS = 200
# Verdicts one client may send a minute: more than any person clicks, few enough that a script
# cannot fill the disk (unauthenticated, like asking).
FEEDBACK_PER_MINUTE = 60
_FEEDBACK = RateLimit(FEEDBACK_PER_MINUTE, 60.0)


def _qa():
    return current_app.extensions["qa"]


def _question_body() -> tuple[dict, str]:
    """The JSON object sent and its question, or a 400 that says what is wrong."""
    body = json_object()
    question = body.get("question")
    if not isinstance(question, str):
        raise APIError(400, "bad_question", "'question' must be a string")
    return body, question


@blueprint.post("/ask")
def ask():
    body, question = _question_body()
    top_k = body.get("top_k", 3)
    if isinstance(top_k, bool) or not isinstance(top_k, int) or not 1 <= top_k <= MAX_TOP_K:
        raise APIError(400, "bad_top_k", f"'top_k' must be an integer from 1 to {MAX_TOP_K}")
    history = _history(body.get("history", []))
    filters = Filters.from_dict(body.get("filters"))
    return jsonify(_qa().ask(question, history, top_k, filters).to_dict())


@blueprint.post("/survey")
def survey():
    """The question asked of every report in scope: a page of rows as JSON, or (with "stream": true)
    every row as a line of NDJSON while it is computed: {"total": N}, then {"row": ...} per report,
    then {"done": true, "id": ..., "took_ms": ...}; the id downloads the rows as CSV or JSON."""
    body, question = _question_body()
    offset, limit = body_integer(body, "offset", 0, 0), body_integer(body, "limit", None, 1)
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise APIError(400, "bad_stream", "'stream' must be true or false")
    qa = _qa()
    began = time.perf_counter()
    total, rows = surveys.survey(qa, question, Filters.from_dict(body.get("filters")), offset, limit)
    if not stream:
        found = [row.to_dict() for row in rows]
        return jsonify(question=question, total=total, offset=offset, rows=found,
                       took_ms=round((time.perf_counter() - began) * 1000, 2))

    def lines():
        yield json.dumps({"question": question, "total": total}) + "\n"
        done = []
        for row in rows:
            done.append(row)
            yield json.dumps({"row": row.to_dict()}, ensure_ascii=False) + "\n"
        key = _SURVEYS.keep(question, done)
        yield json.dumps({"done": True, "id": key, "took_ms": round((time.perf_counter() - began) * 1000, 2)}) + "\n"

    return Response(stream_with_context(lines()), mimetype="application/x-ndjson")


@blueprint.get("/survey/<key>.<form>")
def survey_download(key: str, form: str):
    """A finished survey's rows as CSV or JSON, as a file to save."""
    kept = _SURVEYS.get(key)
    if kept is None or form not in ("csv", "json"):
        raise APIError(404, "not_found", "no such survey: it may have been dropped; run it again")
    question, rows = kept
    if form == "csv":
        body, mimetype = surveys.to_csv(rows), "text/csv"
    else:
        body = json.dumps({"question": question, "total": len(rows), "rows": [row.to_dict() for row in rows]},
                          ensure_ascii=False, indent=1)
        mimetype = "application/json"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="survey-{key}.{form}"'})


class _Kept:
    """The latest finished surveys, by id, for their downloads."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[str, list]] = OrderedDict()
        self._lock = threading.Lock()

    def keep(self, question: str, rows: list) -> str:
        key = secrets.token_hex(8)
        with self._lock:
            self._items[key] = (question, rows)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> tuple[str, list] | None:
        with self._lock:
            return self._items.get(key)


_SURVEYS = _Kept()


def _history(history) -> list[Turn]:
    if not isinstance(history, list) or len(history) > MAX_HISTORY:
        raise APIError(400, "bad_history", f"'history' must be a list of at most {MAX_HISTORY} turns")
    turns = []
    for turn in history:
        if not isinstance(turn, dict) or not isinstance(turn.get("question"), str) or not all(
                isinstance(turn.get(name, ""), (str, type(None))) for name in ("answer", "report")):
            raise APIError(400, "bad_history",
                           "each history turn must be {\"question\": str, \"answer\": str, \"report\": str}")
        answer, report = turn.get("answer") or "", turn.get("report") or ""
        if len(answer) > MAX_ANSWER_CHARS:
            raise APIError(400, "bad_history", f"a history turn's answer is {len(answer):,} characters; the "
                           f"limit is {MAX_ANSWER_CHARS:,}")
        if len(report) > MAX_REPORT_CHARS:
            raise APIError(400, "bad_history", f"a history turn's report id is {len(report):,} characters; the "
                           f"limit is {MAX_REPORT_CHARS}")
        turns.append(Turn(_qa().check_question(turn["question"]), answer, report))
    return turns


@blueprint.get("/reports")
def reports():
    """The indexed reports, filtered and sorted as the reports page does (authority, region, kind, year,
    grade, sort, order), from `offset`, at most `limit`."""
    chosen = Selection.from_args(request.args).select(_qa().store)
    offset = query_integer("offset", 0, 0)
    limit = query_integer("limit", None, 1)
    page = chosen[offset:None if limit is None else offset + limit]
    return jsonify(total=len(chosen), offset=offset, reports=[_summary(entry) for entry in page])


@blueprint.get("/authorities")
def authorities():
    store = _qa().store
    return jsonify(authorities=[histories.summary(key, histories.reports_of(store, key))
                                for key in sorted(store.authorities)])


@blueprint.get("/authorities/<name>")
def authority(name: str):
    found = histories.page(_qa().store, histories.key_of(name))
    if found is None:
        raise APIError(404, "not_found", f"no reports about an authority called {name!r}")
    return jsonify(found)


@blueprint.post("/feedback")
def feedback():
    """A user's verdict on an answer: {"verdict": "right" | "wrong" | "answers", "question": str,
    "history": [...], "answer": {"citation": {"doc_id", "doc_start", "doc_end"}}}. The answer must
    be a span of the report it cites; it is kept as the server cites it. A client may send at most
    FEEDBACK_PER_MINUTE a minute (429 with Retry-After past that)."""
    wait = _FEEDBACK.wait(request.remote_addr or "")
    if wait:
        raise APIError(429, "too_many_requests", f"at most {FEEDBACK_PER_MINUTE} verdicts a minute; try again "
                                                 f"in {wait} s", headers={"Retry-After": str(wait)})
    body, question = _question_body()
    qa = _qa()
    question = qa.check_question(question)
    history = _history(body.get("history", []))
    answer = body.get("answer")
    citation = answer.get("citation") if isinstance(answer, dict) else None
    if not isinstance(citation, dict):
        raise APIError(400, "bad_answer", "'answer' must be an answer object with its citation")
    store = qa.store
    checked = checked_answer(store, citation.get("doc_id"), citation.get("doc_start"), citation.get("doc_end"))
    if answer.get("text") != checked.text:
        raise APIError(400, "bad_answer", "the answer's text is not the report's text at its offsets")
    key = FeedbackStore(qa.settings.feedback_path).add(body.get("verdict"), question,
                                                        [turn.question for turn in history], checked, store.generation)
    return jsonify(id=key, saved=True), 201


@blueprint.get("/feedback")
def feedback_list():
    _authorise()
    offset, limit = query_integer("offset", 0, 0), query_integer("limit", None, 1)
    return jsonify(feedback=FeedbackStore(_qa().settings.feedback_path).all(offset, limit))


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
    replace = request.form.get("replace", "false")
    if replace not in ("true", "false"):
        raise APIError(400, "bad_replace", "'replace' must be true or false")
    settings = _qa().settings
    limit = settings.max_upload_mb * 1024 * 1024
    data = file.read(limit + 1)
    if len(data) > limit:
        raise APIError(413, "request_entity_too_large",
                       f"the file is over the upload limit of {settings.max_upload_mb} MB (QA_MAX_UPLOAD_MB)")
    url = request.form.get("url") or None
    summary = add_report(_qa(), file.filename or "", data, replace == "true", url)
    return jsonify(summary.to_dict())


@blueprint.delete("/reports/<doc_id>")
def delete(doc_id: str):
    _authorise()
    return jsonify(delete_report(_qa(), doc_id).to_dict())


@blueprint.get("/health")
def health():
    qa = _qa()
    schedule = current_app.extensions.get("fetch")
    fetch = schedule.status() if schedule is not None else None
    progress = qa.progress.to_dict() if qa.refreshing else None
    try:
        store = qa.store
    except IndexBuildingError:
        # The first build, none of it saved yet: up, and saying how far it is.
        return jsonify(status="building", documents=0, chunks=0, model=qa.settings.model, built_at=None,
                       refreshing=True, damaged=None, fetch=fetch, progress=progress)
    return jsonify(status="ok" if store.damaged is None else "degraded", documents=len(store.entries),
                   chunks=store.chunk_count, model=qa.settings.model, built_at=store.built_at,
                   refreshing=qa.refreshing, damaged=store.damaged, fetch=fetch, progress=progress)


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
