"""The OpenAPI 3.1 description of the JSON API; a test checks real responses against it."""

from __future__ import annotations

from qa.config import MAX_TOP_K
from qa.metadata import KINDS

_NULLABLE_STRING = {"type": ["string", "null"]}
_CITATION = {
    "type": "object",
    "required": ["doc_id", "title", "date", "source", "paragraph", "paragraph_number", "section", "authority",
                 "kind", "reference", "start", "end", "doc_start", "doc_end", "sentence_start", "sentence_end"],
    "properties": {
        "doc_id": {"type": "string"}, "title": {"type": "string"}, "date": _NULLABLE_STRING,
        "source": {"type": "string"}, "paragraph": {"type": "string"},
        "paragraph_number": {"type": ["integer", "null"]}, "section": _NULLABLE_STRING,
        "authority": _NULLABLE_STRING, "kind": {"type": "string"}, "reference": {"type": "string"},
        "start": {"type": "integer", "minimum": 0}, "end": {"type": "integer", "minimum": 0},
        "doc_start": {"type": "integer", "minimum": 0}, "doc_end": {"type": "integer", "minimum": 0},
        "sentence_start": {"type": "integer", "minimum": 0, "description": "the sentence holding the answer"},
        "sentence_end": {"type": "integer", "minimum": 0},
    },
}
_ANSWER = {
    "type": "object", "required": ["text", "score", "citation"],
    "properties": {"text": {"type": "string"}, "score": {"type": "number", "minimum": 0, "maximum": 1},
                   "citation": {"$ref": "#/components/schemas/Citation"}},
}
_REPLY = {
    "type": "object", "required": ["question", "answered", "took_ms", "answers"],
    "properties": {
        "question": {"type": "string"}, "answered": {"type": "boolean"}, "took_ms": {"type": "number"},
        "answers": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"}},
        "closest": {"type": "array", "items": {"$ref": "#/components/schemas/Answer"},
                    "description": "When not answered: the nearest passages, which are not answers."},
    },
}
_ASK = {
    "type": "object", "required": ["question"],
    "properties": {
        "question": {"type": "string", "minLength": 1, "maxLength": 2000},
        "history": {"type": "array", "maxItems": 20, "items": {
            "type": "object", "required": ["question"],
            "properties": {"question": {"type": "string", "minLength": 1, "maxLength": 2000},
                           "answer": _NULLABLE_STRING}}},
        "top_k": {"type": "integer", "minimum": 1, "maximum": MAX_TOP_K, "default": 3},
        "filters": {"type": ["object", "null"], "additionalProperties": False,
                    "description": "Only reports that match all of these are searched.",
                    "properties": {"authority": {"type": "string", "minLength": 1, "examples": ["Worcestershire"]},
                                   "kind": {"type": "string", "enum": list(KINDS)},
                                   "from": {"type": "string", "format": "date",
                                            "description": "published on or after"},
                                   "to": {"type": "string", "format": "date",
                                          "description": "published on or before"}}},
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
    "type": "object", "required": ["status", "documents", "chunks", "model", "built_at"],
    "properties": {"status": {"type": "string"}, "documents": {"type": "integer"},
                   "chunks": {"type": "integer"}, "model": {"type": "string"}, "built_at": _NULLABLE_STRING},
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


def document() -> dict:
    """The OpenAPI document."""
    admin = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "qa: questions over Ofsted reports", "version": "1.0.0",
                 "description": "Extractive answers: every answer is an exact slice of a report."},
        "paths": {
            "/api/ask": {"post": {
                "summary": "Answer a question, optionally as a follow-up of earlier turns",
                "requestBody": {"required": True, "content": _json("AskRequest")},
                "responses": {"200": {"description": "The reply", "content": _json("Reply")},
                              **_errors(400, 413, 415, 503)}}},
            "/api/reports": {
                "get": {"summary": "The indexed reports",
                        "responses": {"200": {"description": "Reports", "content": {"application/json": {
                            "schema": {"type": "object", "required": ["reports"], "properties": {
                                "reports": {"type": "array",
                                            "items": {"$ref": "#/components/schemas/ReportSummary"}}}}}}},
                                      **_errors(503)}},
                "post": {"summary": "Add or replace a report", "security": admin,
                         "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                             "type": "object", "required": ["file"],
                             "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                         "responses": {"200": {"description": "What the refresh did",
                                               "content": _json("RefreshSummary")},
                                       **_errors(400, 401, 403, 413, 415, 503)}}},
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
                        "Health": _HEALTH, "Error": _ERROR},
        },
    }
