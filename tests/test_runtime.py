"""The onnxruntime sessions: as many threads as the cores this process may use, unless told, and
int8 weights that give the same products on every CPU."""

import os

import numpy as np
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


@pytest.mark.parametrize("flags, saturate", [
    ({"sse2", "avx2", "fma"}, True),  # an AMD EPYC of the Zen 3 kind
    ({"sse2", "avx2", "avx512f", "avx512_vnni"}, False),  # Zen 4, Intel Xeon
    ({"sse2", "avx2", "avx_vnni"}, False),  # AVX-VNNI without AVX-512
    (set(), False),  # not x86: /proc/cpuinfo lists "Features", not "flags"
])
def test_int8_products_saturate_only_on_x86_cpus_without_vnni(flags, saturate):
    from qa.runtime import int8_products_saturate

    assert int8_products_saturate(flags) is saturate


def _product_model(path, weights, zero_point):
    """A model of one int8 matrix product, as onnxruntime's dynamic quantization writes them."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    inputs = ["activations", "weights", "activations_zero_point"] + (["zero_point"] if zero_point is not None else [])
    initializers = [numpy_helper.from_array(weights, "weights"),
                    numpy_helper.from_array(np.array(7, dtype=np.uint8), "activations_zero_point")]
    if zero_point is not None:
        initializers.append(numpy_helper.from_array(zero_point, "zero_point"))
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", inputs, ["products"])], "product",
        [helper.make_tensor_value_info("activations", TensorProto.UINT8, [None, weights.shape[0]])],
        [helper.make_tensor_value_info("products", TensorProto.INT32, [None, weights.shape[1]])], initializers)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)


@pytest.mark.parametrize("zero_point", [None, np.array([0, -3, 5], dtype=np.int8)])
def test_unsigned_weights_give_the_same_products(tmp_path, zero_point):
    import onnxruntime

    from qa.runtime import unsigned_weights

    rng = np.random.default_rng(0)
    weights = rng.integers(-127, 128, size=(8, 3), dtype=np.int8)
    _product_model(tmp_path / "product.onnx", weights, zero_point)
    activations = rng.integers(0, 256, size=(4, 8), dtype=np.uint8)
    points = 0 if zero_point is None else zero_point.astype(np.int64)
    expected = (activations.astype(np.int64) - 7) @ (weights.astype(np.int64) - points)
    unsigned = unsigned_weights(tmp_path / "product.onnx")
    for model in (str(tmp_path / "product.onnx"), unsigned):
        session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
        assert (session.run(None, {"activations": activations})[0] == expected).all()


def test_only_weights_that_can_saturate_are_made_unsigned(tmp_path):
    from qa.indexing.embed import MODEL_DIR as EMBEDDER
    from qa.runtime import unsigned_weights

    assert unsigned_weights(MODEL_DIR / "reader.onnx") is None  # 7-bit weights
    assert unsigned_weights(EMBEDDER / "model.onnx") is not None
    _product_model(tmp_path / "small.onnx", np.full((4, 2), -64, dtype=np.int8), None)
    assert unsigned_weights(tmp_path / "small.onnx") is None


def test_on_a_cpu_without_vnni_the_embedder_gives_the_vectors_it_gives_elsewhere(monkeypatch):
    import qa.runtime as runtime
    from qa.indexing.embed import OnnxEmbedder

    sentences = ["Caseloads are manageable.", "What does Kent need to improve?"]
    elsewhere = OnnxEmbedder().encode(sentences)
    monkeypatch.setattr(runtime, "cpu_model", lambda: ("EPYC", {"sse2", "avx2", "fma"}))
    assert np.abs(OnnxEmbedder().encode(sentences) - elsewhere).max() < 1e-5
