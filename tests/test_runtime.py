"""The onnxruntime sessions: as many threads as the cores this process may use, unless told."""

import os

import pytest

from qa.answer.span_reader import MODEL_DIR
from qa.errors import ConfigError
from qa.runtime import available_cores, cpu_session


def _threads(session) -> int:
    return session._session.get_session_options().intra_op_num_threads


def test_a_session_runs_on_the_cores_this_process_may_use(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3, 5})  # a container's CPU set
    assert available_cores() == 3
    assert _threads(cpu_session(MODEL_DIR / "reader.onnx", None, "no reader")) == 3
    assert _threads(cpu_session(MODEL_DIR / "reader.onnx", 1, "no reader")) == 1


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="no reader"):
        cpu_session(tmp_path / "reader.onnx", None, "no reader")


@pytest.mark.parametrize("flags, bf16, shown", [
    ({"avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8"}, True,
     "Xeon (avx2, avx512f, avx512_vnni, amx_int8)"),
    ({"avx2", "fma"}, False, "Xeon (avx2)"),  # an AMD EPYC of the Zen 3 kind: train in float32
    (set(), False, "Xeon (no AVX2)"),
])
def test_training_autocasts_to_bf16_only_where_the_cpu_computes_it(monkeypatch, flags, bf16, shown):
    import qa.runtime as runtime

    monkeypatch.setattr(runtime, "cpu_model", lambda: ("Xeon", flags))
    assert runtime.fast_bf16() is bf16
    assert runtime.cpu_description() == shown



def test_the_embedder_does_not_spin_on_after_its_run_and_the_reader_does():
    from qa.answer.span_reader import SpanModel
    from qa.indexing.embed import OnnxEmbedder

    def spins(session) -> str:
        return session._session.get_session_options().get_session_config_entry("session.intra_op.allow_spinning")

    embedder, reader = OnnxEmbedder(), SpanModel()
    embedder.encode(["a question"])
    reader.read("a question", ["a passage"])
    assert spins(embedder._loaded[0]) == "0"
    assert spins(reader._session) == "1"
