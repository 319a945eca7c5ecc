"""onnxruntime sessions for the shipped int8 models (the embedder and the span reader)."""

from __future__ import annotations

from pathlib import Path

from qa.errors import ConfigError


def cpu_session(model: Path, threads: int, missing: str):
    """An inference session on `threads` CPU threads; `missing` is the error when there is no file."""
    import onnxruntime

    if not model.is_file():
        raise ConfigError(f"{missing} ({model} is not there)")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
