"""A long refresh saves what it has indexed every few reports, so a killed one resumes, and a first
build is served from the start: /api/health and the chat say how far it is, and questions are
answered from its first saved part."""

from __future__ import annotations

import threading

import pytest

from qa import pipeline
from qa.errors import IndexBuildingError
from qa.indexing.store import Store
from qa.pipeline import QA
from tests.fakes import FakeEmbedder
from web import create_app


class Stopping(FakeEmbedder):
    """Stops (as a killed process would) when asked to embed the report number `stop_at`."""

    def __init__(self, stop_at: int) -> None:
        super().__init__()
        self.stop_at, self.reports = stop_at, 0

    def encode(self, texts, progress: bool = False):
        self.reports += 1
        if self.reports == self.stop_at:
            raise KeyboardInterrupt
        return super().encode(texts, progress)


class Gated(FakeEmbedder):
    """Embeds a report for the background refresh only when let through, so a test can look at a
    build half-way; questions are embedded at once."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Semaphore(0)

    def encode(self, texts, progress: bool = False):
        if threading.current_thread().name == "background-refresh":
            assert self.gate.acquire(timeout=30)
        return super().encode(texts, progress)


def test_a_killed_refresh_resumes_from_its_last_saved_part(settings, monkeypatch):
    monkeypatch.setattr(pipeline, "CHECKPOINT_REPORTS", 2)
    with pytest.raises(KeyboardInterrupt):
        QA(settings, Stopping(stop_at=4)).refresh()
    # Saved after each two reports (the empty one is skipped, and counts): the three indexed before
    # the fourth was stopped.
    saved = Store.load(settings.index, settings.fingerprint())
    assert sorted(saved.entries) == ["article", "children-s-services-o-neill-report", "latin1"]
    embedder = FakeEmbedder()
    summary = QA(settings, embedder).refresh()
    assert len(summary.unchanged) == 3 and len(summary.added) == 2
    assert len(QA(settings, embedder).store.entries) == 5


def test_a_first_build_is_served_from_the_start_and_says_how_far_it_is(settings, monkeypatch):
    monkeypatch.setattr(pipeline, "CHECKPOINT_REPORTS", 2)
    embedder = Gated()
    qa = QA(settings, embedder)
    client = create_app(qa=qa).test_client()
    done = threading.Event()
    qa.refresh_in_background(report=lambda outcome: done.set())
    _wait(lambda: qa.progress.total)  # the corpus scanned

    health = client.get("/api/health").get_json()
    assert health["status"] == "building" and health["refreshing"] and health["documents"] == 0
    assert health["progress"]["reports"] == 6 and health["progress"]["saved"] == 0
    refused = client.post("/api/ask", json={"question": "What is the adoption panel?"})
    assert refused.status_code == 503 and refused.get_json()["error"]["code"] == "building"
    assert "the index is being built" in refused.get_json()["error"]["message"]
    with pytest.raises(IndexBuildingError):
        qa.warm_up() or qa.store  # warming up does not wait for it; the store is not there yet
    assert 'id="building"' in client.get("/").get_data(as_text=True)

    embedder.gate.release(2)  # two reports: the first part is saved, and answered from
    _wait(lambda: qa.progress.saved >= 2)
    health = client.get("/api/health").get_json()
    assert health["status"] == "ok" and health["refreshing"] and health["documents"] == 2
    assert health["progress"]["done"] >= 2 and health["progress"]["seconds_left"] is not None
    assert client.post("/api/ask", json={"question": "What is the adoption panel?"}).status_code == 200

    embedder.gate.release(10)
    assert done.wait(30)
    health = client.get("/api/health").get_json()
    assert health["documents"] == 5 and not health["refreshing"] and health["progress"] is None


def _wait(condition, seconds: float = 30) -> None:
    stop = threading.Event()
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        stop.wait(0.02)
    raise TimeoutError("the build did not get there")
