"""The trained span reader: the exact words of a passage that answer the question.

The model (all-MiniLM-L6-v2 with a start/end head, trained by `training/train_reader.py`, int8
ONNX) reads the question with each passage and marks its best span; the span's margin over "no
answer" says how sure it is.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from qa.answer.span import Span, SpanTokenizer, Window, batch, best_span
from qa.config import MODELS
from qa.errors import ConfigError
from qa.runtime import cpu_session

MODEL_DIR = MODELS / "reader"


class SpanModel:
    """Runs the reader with onnxruntime; loaded on first use, shared by all threads."""

    def __init__(self, folder: Path = MODEL_DIR, threads: int | None = None) -> None:
        self.folder = Path(folder)
        self.threads = threads
        self._session = None
        self._tokenizer: SpanTokenizer | None = None
        self._lock = threading.Lock()

    def _load(self):
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._tokenizer = SpanTokenizer(self.folder / "tokenizer.json")
                    self._session = cpu_session(self.folder / "reader.onnx", self.threads, "no reader model")
        return self._session, self._tokenizer

    def read(self, question: str, passages: Sequence[str],
             within: Sequence[tuple[int, int] | None] | None = None) -> list[Span | None]:
        """The best span of each passage (inside its `within` character range when given), or None."""
        if not passages:
            return []
        session, tokenizer = self._load()
        within = within or [None] * len(passages)
        return [_best(session, tokenizer.windows(question, passage), limit)
                for passage, limit in zip(passages, within, strict=True)]

    def best(self, question: str, passage: str) -> Span | None:
        return self.read(question, [passage])[0]


def _best(session, windows: list[Window], within: tuple[int, int] | None) -> Span | None:
    """The best span of a passage's windows, each read alone: the model quantises its activations
    with one scale over a run's rows, padding included, so a window read in a batch scored as the
    others in it made it."""
    found = []
    for window in windows:
        (starts,), (ends,) = session.run(["start_logits", "end_logits"], batch([window]))
        span = best_span(window, starts, ends, within)
        if span is not None:
            found.append(span)
    return max(found, key=lambda span: span.margin) if found else None


def span_model(setting: str) -> SpanModel:
    """The reader a `reader` setting names: "builtin" or a folder."""
    folder = MODEL_DIR if setting == "builtin" else Path(setting)
    if not (folder / "reader.onnx").is_file() or not (folder / "tokenizer.json").is_file():
        raise ConfigError(f"reader {setting!r}: {folder}/ needs reader.onnx and tokenizer.json")
    return SpanModel(folder)
