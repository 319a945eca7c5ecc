"""Every failure becomes one JSON shape under /api/ and a plain page elsewhere; never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

from qa.errors import (
    FilterError,
    IndexBuildingError,
    IndexMismatchError,
    IndexMissingError,
    NotFoundError,
    QAError,
    QuestionError,
    ReportError,
    StorageError,
)
from qa.indexing.uploads import BadAddressError, OutsideCorpusError, ReportExistsError, UnsupportedFormatError
from qa.research.feedback import FeedbackError

log = logging.getLogger(__name__)

# Domain errors, most specific first, to (HTTP status, error code).
_STATUS = [
    (UnsupportedFormatError, 415, "unsupported_format"),
    (BadAddressError, 400, "bad_url"),
    (FilterError, 400, "bad_filters"),
    (FeedbackError, 400, "bad_feedback"),
    (QuestionError, 400, "bad_question"),
    (ReportError, 400, "bad_report"),
    (NotFoundError, 404, "not_found"),
    (OutsideCorpusError, 409, "outside_corpus"),
    (ReportExistsError, 409, "report_exists"),
    (StorageError, 507, "insufficient_storage"),
    (IndexBuildingError, 503, "building"),
    (IndexMissingError, 503, "no_index"),
    (IndexMismatchError, 503, "index_mismatch"),
    (QAError, 400, "bad_request"),
]


class APIError(Exception):
    """A request the API refuses: status, a stable code and a message for people."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def _respond(status: int, code: str, message: str) -> Response:
    if request.path.startswith("/api/"):
        response = jsonify(error={"code": code, "message": message})
    else:
        response = make_response(render_template("error.html", status=status, message=message))
    response.status_code = status
    return response


def register(app: Flask) -> None:
    @app.errorhandler(APIError)
    def api_error(error: APIError):
        response = _respond(error.status, error.code, error.message)
        response.headers.update(error.headers)
        return response

    @app.errorhandler(QAError)
    def domain_error(error: QAError):
        status, code = next((s, c) for kind, s, c in _STATUS if isinstance(error, kind))
        return _respond(status, code, str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = (error.name or "error").lower().replace(" ", "_")
        response = _respond(error.code or 500, code, error.description or error.name)
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error on %s", request.path)
        return _respond(500, "internal_error", "something went wrong on the server; it has been logged")
