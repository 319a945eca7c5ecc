"""Thousands of requests generated from the OpenAPI document against a running server: no 5xx,
every response as documented, every error in the one error shape."""

from __future__ import annotations

import shutil
import threading
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance
from waitress import create_server

from qa.config import Settings
from qa.pipeline import QA
from tests.conftest import DATA
from tests.fakes import FakeEmbedder
from web import create_app

pytestmark = pytest.mark.slow

TOKEN = "fuzz-token"
EXAMPLES = 500


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`qa serve`'s server (waitress) on a free port, over a small corpus and the fake embedder."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(DATA, folder / "corpus")
    config = Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index", model="fake-embedder",
                           admin_token=TOKEN, max_upload_mb=1)
    qa = QA(config, FakeEmbedder())
    qa.refresh()
    httpd = create_server(create_app(qa=qa), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=httpd.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.effective_port}"
    httpd.close()


def one_error_shape(ctx, response, case):
    """Every 4xx answer is `{"error": {"code": str, "message": str}}` and nothing else."""
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"}, body
        assert set(body["error"]) == {"code", "message"}, body
        assert all(isinstance(value, str) and value for value in body["error"].values()), body


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, one_error_shape]


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda mode: mode.value)
def test_generated_requests_get_documented_answers(server, mode):
    """Valid (positive) and invalid (negative) requests for every operation, with and without the token."""
    api = schemathesis.openapi.from_url(server + "/api/openapi.json")
    calls: Counter[str] = Counter()
    fuzzed = set()
    for result in api.get_all_operations():
        operation = result.ok()
        inputs = operation.definition.raw.get("parameters") or "requestBody" in operation.definition.raw
        if mode is GenerationMode.NEGATIVE and not inputs:
            continue  # no invalid request exists for an operation that takes nothing
        if inputs:
            fuzzed.add(operation.label)

        @given(case=operation.as_strategy(mode), token=st.booleans())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case, token):
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"} if token else None,
                                   checks=CHECKS)
            calls[case.operation.label] += 1

        call()
    # Every operation that takes input got its full share of generated requests.
    assert all(count == EXAMPLES for label, count in calls.items() if label in fuzzed), calls
    assert sum(calls.values()) >= len(fuzzed) * EXAMPLES >= 1000
