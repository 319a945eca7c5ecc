"""onnxruntime sessions for the shipped int8 models (the embedder and the span reader)."""

from __future__ import annotations

import threading
from pathlib import Path

from qa.errors import ConfigError


class Session:
    """An onnxruntime session whose runs take turns. Each run already uses all of the session's
    threads; runs side by side (a server's request threads) would only add up the memory their
    activations take, which onnxruntime keeps for the next run."""

    def __init__(self, session) -> None:
        self._session = session
        self._turn = threading.Lock()

    def run(self, outputs: list[str], feed: dict):
        with self._turn:
            return self._session.run(outputs, feed)

    def get_outputs(self):
        return self._session.get_outputs()


def cpu_session(model: Path, threads: int, missing: str) -> Session:
    """An inference session on `threads` CPU threads; `missing` is the error when there is no file."""
    import onnxruntime

    if not model.is_file():
        raise ConfigError(f"{missing} ({model} is not there)")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return Session(onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"]))
