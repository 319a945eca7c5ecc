"""Shared fixtures: settings on a temporary folder, a small corpus, a fake and a real engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qa.config import Settings
from qa.pipeline import QA
from tests.fakes import FakeEmbedder

DATA = Path(__file__).parent / "data"


def pytest_addoption(parser) -> None:
    parser.addoption("--slow", action="store_true",
                     help="also run the slow tests (browser, crash, Ray, soak, schema fuzzing), as .ci/run does")


def pytest_collection_modifyitems(config, items) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of tests/data to change freely."""
    folder = tmp_path / "corpus"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, corpus: Path) -> Settings:
    return Settings.load(environ={}, corpus=corpus, index=tmp_path / "index", model="fake-embedder")


@pytest.fixture
def fake_qa(settings: Settings) -> QA:
    return QA(settings, FakeEmbedder())


@pytest.fixture(scope="session")
def real_embedder():
    """The real default embedder (the shipped int8 ONNX model), loaded once for the whole run."""
    from qa.indexing.embed import make_embedder

    embedder = make_embedder(Settings.load(environ={}))
    embedder.encode(["load"])
    return embedder


@pytest.fixture(scope="session")
def seeds_qa(tmp_path_factory, real_embedder) -> QA:
    """The real engine over the shipped corpus, indexed once."""
    settings = Settings.load(environ={}, corpus=CORPUS, index=tmp_path_factory.mktemp("seeds-index"))
    qa = QA(settings, real_embedder)
    qa.refresh()
    return qa


SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(scope="session")
def research_qa(tmp_path_factory, real_embedder) -> QA:
    """The real engine over real inspections of seven authorities (2014 to 2026) and Worcestershire's
    2019 and 2023 inspections (the 2023 one as text and as its PDF), indexed once."""
    folder = tmp_path_factory.mktemp("research")
    shutil.copytree(SAMPLES / "authorities", folder / "corpus")
    for name in ("worcestershire-inspection-2019.txt", "worcestershire-inspection-2023.txt",
                 "worcestershire-inspection-2023.pdf"):
        shutil.copy(SAMPLES / name, folder / "corpus" / name)
    settings = Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index", admin_token="admin-token",
                             feedback=str(folder / "feedback.sqlite3"))
    qa = QA(settings, real_embedder)
    qa.refresh()
    return qa
