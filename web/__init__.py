"""The web app: a chat page and a JSON API over one shared QA engine."""

from __future__ import annotations

from flask import Flask, Response

from qa.config import Settings
from qa.pipeline import QA
from web import api, chat, errors


def create_app(settings: Settings | None = None, qa: QA | None = None) -> Flask:
    """Build the app around `qa` (or a new engine from `settings`); models load once, on first use."""
    qa = qa or QA(settings or Settings.load())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = largest_request(qa.settings)
    app.json.sort_keys = False
    app.extensions["qa"] = qa
    app.register_blueprint(api.blueprint)
    app.register_blueprint(chat.blueprint)
    errors.register(app)
    app.after_request(_safe_headers)
    return app


# What a multipart upload may add to its file: the boundaries, the field's headers and its name.
MULTIPART_ALLOWANCE = 64 * 1024


def largest_request(settings: Settings) -> int:
    """The largest request body read: an upload of the largest file (QA_MAX_UPLOAD_MB) with its
    multipart wrapping. The file itself is held to the limit by the upload (web.api)."""
    return settings.max_upload_mb * 1024 * 1024 + MULTIPART_ALLOWANCE


# Pages run only the app's own scripts and styles (no inline script or style), load nothing from
# elsewhere and cannot be framed: report text, which is untrusted, can at worst be shown.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def _safe_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response.headers["X-Frame-Options"] = "DENY"
    return response
