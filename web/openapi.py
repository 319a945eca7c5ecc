"""The OpenAPI 3.1 description of the JSON API; a test checks real responses against it."""

from __future__ import annotations

from qa.config import MAX_TOP_K
from qa.ofsted.metadata import KINDS
from qa.ofsted.regions import REGIONS
from qa.research.catalogue import GRADES, SORTS
from qa.types import REASONS

_NULLABLE_STRING = {"type": ["string", "null"]}
_CITATION = {
    "type": "object",
    "required": ["doc_id", "title", "date", "source", "paragraph", "paragraph_number", "section", "authority",
                 "kind", "reference", "start", "end", "doc_start", "doc_end", "sentence_start", "sentence_end",
                 "page", "original", "breaks"],
    "properties": {
        "doc_id": {"type": "string"}, "title": {"type": "string"}, "date": _NULLABLE_STRING,
        "source": {"type": "string"}, "paragraph": {"type": "string"},
        "paragraph_number": {"type": ["integer", "null"]}, "section": _NULLABLE_STRING,
        "authority": _NULLABLE_STRING, "kind": {"type": "string"}, "reference": {"type": "string"},
        "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
        "doc_start": {"type": "integer", "minimum": 0}, "doc_end": {"type": "integer", "minimum": 0},
        "sentence_start": {"type": "integer", "minimum": 0, "description": "the sentence holding the answer"},
        "sentence_end": {"type": "integer", "minimum": 0},
        "page": {"type": ["integer", "null"], "minimum": 1,
                 "description": "the page of the original where the answer starts; null when it has no pages"},
        "original": {**_NULLABLE_STRING, "description": "the original's address (Ofsted's file) when known; "
                     "#page=N opens it at the page"},
        "breaks": {"type": "array", "items": {"type": "integer", "minimum": 1},
                   "description": "where each item of a list after the first starts in `paragraph` (its items "
                                  "are separated by a space): show the character before each as a line break"},
    },
}
_ANSWER = {
    "type": "object", "required": ["text", "score", "citation"],
    "properties": {"text": {"type": "string"}, "score": {"type": "number", "minimum": 0, "maximum": 1,
                                                         "description": "the measured chance that it is right"},
                   "likelihood": {"type": "string", "description": "the score in words: \"answers scored like "
                                  "this are right about 8 times in 10\""},
                   "citation": {"$ref": "#/components/schemas/Citation"}},
}
_REPLY = {
    "type": "object", "required": ["question", "answered", "took_ms", "answers"],
    "properties": {
        "question": {"type": "string"}, "answered": {"type": "boolean"}, "took_ms": {"type": "number"},
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"}},
        "closest": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"},
                    "description": "When not answered: the nearest passages, which are not answers."},
        "table": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/TableRow"},
                  "description": "For a question about many reports (which authorities were judged a grade, "
                                 "a judgement's change over time): one row per report asked about; "
                                 "`answers` holds the first top_k rows' answers, or for one authority's "
                                 "change asked without naming a grade the reports' own words about it. "
                                 "Null otherwise."},
        "from_table": {"type": "boolean", "description": "Whether `answers` are the table's rows' answers "
                                                          "(false without a table, or for the reports' words)."},
        "searched_for": {**_NULLABLE_STRING,
                         "description": "The question as searched for, when misspelt words of it were corrected."},
        "could_mean": {"type": "array", "items": {"type": "string"},
                       "description": "When the question names an authority that is not made out (a misspelling "
                                      "close to two names, \"Sussex\"): the authorities it could mean; the "
                                      "question is then not answered."},
        "reason": {"type": ["object", "null"], "required": ["code", "message"],
                   "properties": {"code": {"type": "string", "enum": list(REASONS)}, "message": {"type": "string"}},
                   "description": "Why the question was not answered; null when it was."},
    },
}
_TABLE_ROW = {
    "type": "object", "required": ["authority", "doc_id", "date", "kind", "grade", "answer", "note"],
    "properties": {"authority": {"type": "string"}, "doc_id": {"type": "string"}, "date": _NULLABLE_STRING,
                   "kind": {"type": "string"},
                   "grade": {**_NULLABLE_STRING, "description": "the report's grade for the judgement asked"},
                   "answer": {"oneOf": [{"$ref": "#/components/schemas/Answer"}, {"type": "null"}],
                              "description": "the cited grade, when the report is one the question asks for"},
                   "note": {**_NULLABLE_STRING, "description": "why the report gives no grade"}},
}
_FILTERS = {"type": ["object", "null"], "additionalProperties": False,
            "description": "Only reports that match all of these are searched.",
            "properties": {"authority": {"type": "string", "minLength": 1, "examples": ["Worcestershire"]},
                           "kind": {"type": "string", "enum": list(KINDS)},
                           "from": {"type": "string", "format": "date", "description": "published on or after"},
                           "to": {"type": "string", "format": "date", "description": "published on or before"},
                           "region": {"type": "string", "enum": list(REGIONS),
                                      "description": "reports on the authorities of this region of England"}}}
_SURVEY = {
    "type": "object", "required": ["question"],
    "properties": {"question": {"type": "string", "minLength": 1, "maxLength": 2000}, "filters": _FILTERS,
                   "offset": {"type": "integer", "minimum": 0, "default": 0},
                   "limit": {"type": "integer", "minimum": 1},
                   "stream": {"type": "boolean", "default": False,
                              "description": "true: NDJSON lines {\"total\"}, {\"row\"} per report, then "
                                             "{\"done\", \"id\", \"took_ms\"}"}},
}
_SURVEY_ROW = {
    "type": "object", "required": ["authority", "region", "doc_id", "title", "date", "kind", "score", "answer"],
    "properties": {"authority": _NULLABLE_STRING, "region": _NULLABLE_STRING,
                   "doc_id": {"type": "string"}, "title": {"type": "string"},
                   "date": _NULLABLE_STRING, "kind": {"type": "string"},
                   "score": {"type": "number", "minimum": 0, "maximum": 1},
                   "answer": {"oneOf": [{"$ref": "#/components/schemas/Answer"}, {"type": "null"}],
                              "description": "null: the report does not answer it"}},
}
_SURVEY_PAGE = {
    "type": "object", "required": ["question", "total", "offset", "rows", "took_ms"],
    "properties": {"question": {"type": "string"}, "total": {"type": "integer"}, "offset": {"type": "integer"},
                   "rows": {"type": "array", "items": {"$ref": "#/components/schemas/SurveyRow"}},
                   "took_ms": {"type": "number"}},
}
_AUTHORITY = {
    "type": "object", "required": ["key", "slug", "name", "region", "reports", "latest_inspection", "grades"],
    "properties": {"key": {"type": "string"}, "slug": {"type": "string"}, "name": {"type": "string"},
                   "region": {**_NULLABLE_STRING, "description": "its region of England (ONS)"},
                   "reports": {"type": "integer"}, "latest_inspection": _NULLABLE_STRING,
                   "grades": {"type": "object", "additionalProperties": {"type": "string"}}},
}
_SPAN = {"type": "object", "required": ["text", "doc_start", "doc_end", "paragraph_number"],
         "properties": {"text": {"type": "string"}, "doc_start": {"type": "integer"}, "doc_end": {"type": "integer"},
                        "paragraph_number": {"type": ["integer", "null"]}, "grade": {"type": "string"}}}
_HISTORY = {
    "allOf": [{"$ref": "#/components/schemas/Authority"}, {
        "type": "object", "required": ["judgements", "history", "latest_arrival", "region_grades"],
        "properties": {"judgements": {"type": "object", "additionalProperties": {"type": "string"}},
                       "latest_arrival": {**_NULLABLE_STRING, "description": "when the authority's most "
                                          "recently indexed report arrived in the index (UTC)"},
                       "region_grades": {
                           "type": ["object", "null"], "required": ["region", "authorities", "grades"],
                           "description": "how its region's authorities were graded at their latest graded "
                                          "inspection: per judgement, how many got each grade",
                           "properties": {"region": {"type": "string"}, "authorities": {"type": "integer"},
                                          "grades": {"type": "object", "additionalProperties": {
                                              "type": "object", "additionalProperties": {"type": "integer"}}}}},
                       "history": {"type": "array", "items": {
                           "type": "object",
                           "required": ["doc_id", "title", "kind", "date", "inspection_start", "inspection_end",
                                        "lead_inspector", "framework", "grades", "improvements"],
                           "properties": {"doc_id": {"type": "string"}, "title": {"type": "string"},
                                          "kind": {"type": "string"}, "date": _NULLABLE_STRING,
                                          "inspection_start": _NULLABLE_STRING, "inspection_end": _NULLABLE_STRING,
                                          "lead_inspector": _NULLABLE_STRING, "framework": _NULLABLE_STRING,
                                          "grades": {"type": "object", "additionalProperties": _SPAN},
                                          "improvements": {"type": "array", "items": _SPAN}}}}}}],
}
_ASK_HISTORY = {"type": "array", "maxItems": 20, "items": {
    "type": "object", "required": ["question"],
    "properties": {"question": {"type": "string", "minLength": 1, "maxLength": 2000},
                   "answer": {**_NULLABLE_STRING, "maxLength": 10000,
                              "description": "the words of the first answer the question got: a follow-up is "
                                             "searched for with them"},
                   "report": {**_NULLABLE_STRING, "maxLength": 200,
                              "description": "the doc_id that answer cites: a question that names no authority, "
                                             "year or kind of report of its own is asked of that report first"}}}}
_FEEDBACK = {
    "type": "object", "required": ["verdict", "question", "answer"],
    "properties": {"verdict": {"type": "string", "enum": ["right", "wrong", "answers"],
                               "description": "answers: a closest passage that does answer the question"},
                   "question": {"type": "string", "minLength": 1, "maxLength": 2000},
                   "history": _ASK_HISTORY,
                   "answer": {"type": "object", "required": ["text", "citation"],
                              "description": "an answer as the reply gave it; its text must be its report's "
                                             "text at doc_start:doc_end",
                              "properties": {"text": {"type": "string"}, "citation": {
                                  "type": "object", "required": ["doc_id", "doc_start", "doc_end"]}}}},
}
_FEEDBACK_LIST = {
    "type": "object", "required": ["feedback"],
    "properties": {"feedback": {"type": "array", "items": {
        "type": "object", "required": ["id", "created_at", "verdict", "question", "history", "answer", "generation"],
        "properties": {"id": {"type": "integer"}, "created_at": {"type": "string"},
                       "verdict": {"type": "string"}, "question": {"type": "string"},
                       "history": {"type": "array", "items": {"type": "string"}},
                       "answer": {"$ref": "#/components/schemas/Answer"}, "generation": _NULLABLE_STRING}}}},
}
_ASK = {
    "type": "object", "required": ["question"],
    "properties": {
        "question": {"type": "string", "minLength": 1, "maxLength": 2000},
        "history": _ASK_HISTORY,
        "top_k": {"type": "integer", "minimum": 1, "maximum": MAX_TOP_K, "default": 3,
                  "description": "How many answers at most; a report's whole list of what must improve is "
                                 "given item by item, every item."},
        "filters": _FILTERS,
    },
}
_REPORT_SUMMARY = {
    "type": "object",
    "required": ["doc_id", "title", "date", "kind", "authority", "source", "meta", "paragraph_count", "indexed_at"],
    "properties": {"doc_id": {"type": "string"}, "title": {"type": "string"}, "date": _NULLABLE_STRING,
                   "kind": {"type": "string"}, "authority": _NULLABLE_STRING, "source": {"type": "string"},
                   "meta": {"type": "object", "description": "inspection dates, lead inspector, framework, grades",
                            "properties": {"inspection_start": _NULLABLE_STRING, "inspection_end": _NULLABLE_STRING,
                                           "lead_inspector": _NULLABLE_STRING, "framework": _NULLABLE_STRING,
                                           "grades": {"type": "object",
                                                      "additionalProperties": {"type": "string"}}}},
                   "paragraph_count": {"type": "integer"}, "indexed_at": {"type": "string"}},
}
_REPORT = {
    "allOf": [{"$ref": "#/components/schemas/ReportSummary"}, {
        "type": "object", "required": ["text", "paragraphs"],
        "properties": {"text": {"type": "string"}, "paragraphs": {"type": "array", "items": {
            "type": "object", "required": ["start", "end", "number", "kind"],
            "properties": {"start": {"type": "integer"}, "end": {"type": "integer"},
                           "number": {"type": ["integer", "null"]},
                           "kind": {"type": "string", "enum": ["text", "heading", "list", "table"]}}}}}}],
}
_SUMMARY = {
    "type": "object",
    "required": ["added", "changed", "removed", "unchanged", "skipped", "chunks_embedded", "took_s"],
    "properties": {
        "added": {"type": "array", "items": {"type": "string"}},
        "changed": {"type": "array", "items": {"type": "string"}},
        "removed": {"type": "array", "items": {"type": "string"}},
        "unchanged": {"type": "integer"},
        "skipped": {"type": "array", "items": {"type": "object", "required": ["source", "reason"],
                                               "properties": {"source": {"type": "string"},
                                                              "reason": {"type": "string"}}}},
        "chunks_embedded": {"type": "integer"}, "took_s": {"type": "number"},
        "stages_s": {"type": "object", "additionalProperties": {"type": "number"}},
    },
}
_HEALTH = {
    "type": "object", "required": ["status", "documents", "chunks", "model", "built_at", "refreshing", "damaged"],
    "description": "status: ok; degraded (answering from an earlier generation: see damaged); building (the "
                   "first index, none of it saved yet: see progress)",
    "properties": {"status": {"type": "string"}, "documents": {"type": "integer"},
                   "chunks": {"type": "integer"}, "model": {"type": "string"}, "built_at": _NULLABLE_STRING,
                   "refreshing": {"type": "boolean", "description": "a refresh is running (at start-up, "
                                  "after a corpus change or an upload); answers come from the last "
                                  "complete index meanwhile"},
                   "damaged": {**_NULLABLE_STRING, "description": "Why the index was loaded from an earlier "
                               "generation than its current one (files truncated, changed or missing); null "
                               "when it was not"},
                   "progress": {"type": ["object", "null"], "description": "while a refresh runs: the "
                                "reports it found, how many are settled, how many a saved generation "
                                "holds, and the seconds left at its pace so far (null before the first "
                                "report is indexed); null when none runs",
                                "properties": {"reports": {"type": "integer"}, "done": {"type": "integer"},
                                               "saved": {"type": "integer"},
                                               "seconds_left": {"type": ["integer", "null"]}}},
                   "fetch": {"type": ["object", "null"], "description": "`qa serve --fetch-every`: how often new "
                             "reports are fetched from Ofsted's site, and the last run (null when off)",
                             "properties": {"every_s": {"type": "number"}, "running": {"type": "boolean"},
                                            "last": {"type": ["object", "null"]},
                                            "next_at": _NULLABLE_STRING}}},
}
_ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"],
                             "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}},
}


def _json(schema: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def _errors(*statuses: int) -> dict:
    return {str(status): {"description": "Error", "content": _json("Error")} for status in statuses}


def _query(name: str, schema: dict, description: str | None = None) -> dict:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    return parameter | ({"description": description} if description else {})


def _page(name: str) -> dict:
    return _query(name, {"type": "integer", "minimum": 0 if name == "offset" else 1})


def document() -> dict:
    """The OpenAPI document."""
    admin = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Verbatim (qa): questions over Ofsted's reports on children's services", "version": "1.0.0",
                 "description": "Extractive answers: every answer is an exact slice of a report."},
        "paths": {
            "/api/ask": {"post": {
                "summary": "Answer a question, optionally as a follow-up of earlier turns",
                "requestBody": {"required": True, "content": _json("AskRequest")},
                "responses": {"200": {"description": "The reply", "content": _json("Reply")},
                              **_errors(400, 413, 415, 503)}}},
            "/api/survey": {"post": {
                "summary": "Ask one question of every report in scope: one row per report",
                "requestBody": {"required": True, "content": _json("SurveyRequest")},
                "responses": {"200": {"description": "A page of rows, or with stream: every row as NDJSON",
                                      "content": {**_json("SurveyPage"), "application/x-ndjson": {
                                          "schema": {"type": "string"}}}},
                              **_errors(400, 413, 503)}}},
            "/api/survey/{id}.{format}": {"get": {
                "summary": "A finished streamed survey's rows, to save",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                               {"name": "format", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": ["csv", "json"]}}],
                "responses": {"200": {"description": "The rows", "content": {
                    "text/csv": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "object"}}}},
                              **_errors(404)}}},
            "/api/authorities": {"get": {
                "summary": "Every authority with its latest inspection's grades",
                "responses": {"200": {"description": "Authorities", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["authorities"], "properties": {"authorities": {
                        "type": "array", "items": {"$ref": "#/components/schemas/Authority"}}}}}}},
                              **_errors(503)}}},
            "/api/authorities/{name}": {
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
                                "description": "any of its names, spaces as hyphens (birmingham, hull)"}],
                "get": {"summary": "An authority's reports in date order, with grades and what needs to improve, "
                                   "cited",
                        "responses": {"200": {"description": "Its history", "content": _json("AuthorityHistory")},
                                      **_errors(404, 503)}}},
            "/api/feedback": {
                "post": {"summary": "Keep a user's verdict on an answer",
                         "requestBody": {"required": True, "content": _json("FeedbackRequest")},
                         "responses": {"201": {"description": "Saved", "content": {"application/json": {
                             "schema": {"type": "object", "required": ["id", "saved"],
                                        "properties": {"id": {"type": "integer"}, "saved": {"type": "boolean"}}}}}},
                                       **_errors(400, 413, 429, 503, 507)}},
                "get": {"summary": "Every verdict kept", "security": admin,
                        "parameters": [_page("offset"), _page("limit")],
                        "responses": {"200": {"description": "Feedback", "content": _json("FeedbackList")},
                                      **_errors(400, 401, 403)}}},
            "/api/reports": {
                "get": {"summary": "The indexed reports, filtered and sorted as the reports page",
                        "parameters": [
                            _query("authority", {"type": "string"}),
                            _query("region", {"type": "string", "enum": list(REGIONS)}),
                            _query("kind", {"type": "string", "enum": list(KINDS)}),
                            _query("year", {"type": "integer"}),
                            _query("grade", {"type": "string", "enum": list(GRADES)}, "overall effectiveness"),
                            _query("since", {"type": "string", "format": "date"},
                                   "arrived in the index on or after this day (YYYY-MM-DD, UTC)"),
                            _query("sort", {"type": "string", "enum": list(SORTS)}),
                            _query("order", {"type": "string", "enum": ["asc", "desc"]}),
                            _page("offset"), _page("limit")],
                        "responses": {"200": {"description": "Reports", "content": {"application/json": {
                            "schema": {"type": "object", "required": ["total", "offset", "reports"], "properties": {
                                "total": {"type": "integer"}, "offset": {"type": "integer"},
                                "reports": {"type": "array",
                                            "items": {"$ref": "#/components/schemas/ReportSummary"}}}}}}},
                                      **_errors(400, 503)}},
                "post": {"summary": "Add a report, or replace one with replace=true", "security": admin,
                         "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                             "type": "object", "required": ["file"],
                             "properties": {"file": {"type": "string", "format": "binary"},
                                            "url": {"type": "string", "format": "uri", "maxLength": 2000,
                                                    "description": "the original's http or https address: "
                                                                   "citations link to it at their page"},
                                            "replace": {"type": "string", "enum": ["true", "false"],
                                                        "default": "false",
                                                        "description": "Replace the report of the same id; "
                                                                       "without it such an upload is a 409."}}}}}},
                         "responses": {"200": {"description": "What the refresh did",
                                               "content": _json("RefreshSummary")},
                                       **_errors(400, 401, 403, 409, 413, 415, 503, 507)}}},
            "/api/reports/{doc_id}": {
                "parameters": [{"name": "doc_id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "get": {"summary": "One report with its text and paragraph offsets",
                        "responses": {"200": {"description": "The report", "content": _json("Report")},
                                      **_errors(404, 503)}},
                "delete": {"summary": "Delete a report", "security": admin,
                           "responses": {"200": {"description": "What the refresh did",
                                                 "content": _json("RefreshSummary")},
                                         **_errors(401, 403, 404, 409, 503)}}},
            "/api/health": {"get": {"summary": "Status and index size",
                                    "responses": {"200": {"description": "Health", "content": _json("Health")},
                                                  **_errors(503)}}},
            "/api/openapi.json": {"get": {"summary": "This document",
                                          "responses": {"200": {"description": "OpenAPI document"}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "The QA_ADMIN_TOKEN setting"}},
            "schemas": {"Citation": _CITATION, "Answer": _ANSWER, "Reply": _REPLY, "AskRequest": _ASK,
                        "ReportSummary": _REPORT_SUMMARY, "Report": _REPORT, "RefreshSummary": _SUMMARY,
                        "Health": _HEALTH, "Error": _ERROR, "TableRow": _TABLE_ROW, "SurveyRequest": _SURVEY,
                        "SurveyRow": _SURVEY_ROW, "SurveyPage": _SURVEY_PAGE, "Authority": _AUTHORITY,
                        "AuthorityHistory": _HISTORY, "FeedbackRequest": _FEEDBACK, "FeedbackList": _FEEDBACK_LIST},
        },
    }
