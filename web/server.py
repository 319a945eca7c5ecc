"""The HTTP server: waitress, reading no request body past what the app accepts, and giving its
own refusals (a body or headers too large, a malformed request) in the API's one JSON error shape
rather than as plain text."""

from __future__ import annotations

import json

from flask import Flask
from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from qa.config import Settings
from web import largest_request


class _JsonErrorTask(ErrorTask):
    """waitress's error reply as {"error": {"code": ..., "message": ...}}."""

    def execute(self) -> None:
        error = self.request.error
        body = json.dumps({"error": {"code": error.reason.lower().replace(" ", "_"),
                                     "message": " ".join(str(error.body).split())}}).encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    error_task_class = _JsonErrorTask


def make_server(app: Flask, settings: Settings, host: str, port: int, threads: int):
    """A waitress server for `app`; its `run()` serves until stopped."""
    # waitress stops reading a body past what the app accepts (by default it reads up to 1 GiB).
    server = create_server(app, host=host, port=port, threads=threads,
                           max_request_body_size=largest_request(settings))
    server.channel_class = _Channel
    return server
