"""What the API reads from a request, checked at the edge: a malformed body, text that is not
Unicode, or a number that is not one is a 400 in the one error shape, never a 500."""

from __future__ import annotations

import json

from flask import request

from web.errors import APIError

# How deeply a JSON body may nest (the deepest the API reads is a history turn's answer: 4).
MAX_DEPTH = 32
# The largest integer a request may give (an offset, a limit).
MAX_INTEGER = 10**9
# The largest JSON body (a question with 20 turns of history and their answers is a few KB; only
# uploads are large).
MAX_JSON_BYTES = 1024 * 1024
_BAD_JSON = "send a JSON object, e.g. {\"question\": \"...\"}"


def json_object() -> dict:
    """The request's body, sent as application/json, as a JSON object of valid Unicode text nested
    at most MAX_DEPTH deep."""
    if not request.is_json:
        raise APIError(400, "bad_json", _BAD_JSON)
    if (request.content_length or 0) > MAX_JSON_BYTES:
        raise APIError(413, "request_entity_too_large", f"a JSON body may be at most {MAX_JSON_BYTES:,} bytes")
    raw = request.stream.read(MAX_JSON_BYTES + 1)  # also when no length is given (chunked)
    if len(raw) > MAX_JSON_BYTES:
        raise APIError(413, "request_entity_too_large", f"a JSON body may be at most {MAX_JSON_BYTES:,} bytes")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the decoder's limit
        raise APIError(400, "bad_json", _BAD_JSON) from None
    if not isinstance(body, dict):
        raise APIError(400, "bad_json", _BAD_JSON)
    _check(body)
    return body


def _check(value: object) -> None:
    """Refuse JSON nested too deeply or holding a lone surrogate ("\\ud800"), which is no text."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise APIError(400, "bad_json", f"the JSON is nested more than {MAX_DEPTH} deep")
        if isinstance(item, str):
            _text(item)
        elif isinstance(item, dict):
            for key, inner in item.items():
                _text(key)
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)


def _text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise APIError(400, "bad_text",
                       "text must be valid Unicode (a lone surrogate such as \\ud800 is not)") from None


def body_integer(body: dict, name: str, default, least: int):
    """A JSON body's integer `name` (`default` when absent), from `least` to MAX_INTEGER."""
    value = body.get(name, default)
    return value if value is default else at_least(name, value, least)


def query_integer(name: str, default, least: int):
    """A query string's integer `name` in ASCII digits (`default` when absent or empty), from `least`
    to MAX_INTEGER: "²" and a 5,000-digit number are refused, not read."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= len(str(MAX_INTEGER))):
        raise APIError(400, f"bad_{name}", f"'{name}' must be an integer from {least} to {MAX_INTEGER:,}")
    return at_least(name, int(raw), least)


def at_least(name: str, value, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_INTEGER:
        raise APIError(400, f"bad_{name}", f"'{name}' must be an integer from {least} to {MAX_INTEGER:,}")
    return value
