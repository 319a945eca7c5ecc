"""The web app: a chat page and a JSON API over one shared QA engine."""

from __future__ import annotations

from flask import Flask

from qa.config import Settings
from qa.pipeline import QA
from web import api, chat, errors


def create_app(settings: Settings | None = None, qa: QA | None = None) -> Flask:
    """Build the app around `qa` (or a new engine from `settings`); models load once, on first use."""
    qa = qa or QA(settings or Settings.load())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = qa.settings.max_upload_mb * 1024 * 1024
    app.json.sort_keys = False
    app.extensions["qa"] = qa
    app.register_blueprint(api.blueprint)
    app.register_blueprint(chat.blueprint)
    errors.register(app)
    return app
