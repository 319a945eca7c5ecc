"""The NaN guards after the attention softmaxes go, and nothing else changes."""

import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

from onnx_graph import drop_nan_guards  # noqa: E402

from qa.answer.span_reader import MODEL_DIR as READER_DIR  # noqa: E402
from qa.indexing.embed import MODEL_DIR as EMBEDDER_DIR  # noqa: E402


def _guarded(path: Path, weights: np.ndarray) -> None:
    """scores -> Softmax -> Where(IsNaN(p), 0, p) -> MatMul(weights) -> out, as PyTorch exports it."""
    from onnx import TensorProto, helper, numpy_helper

    nodes = [helper.make_node("Softmax", ["scores"], ["p"], axis=-1),
             helper.make_node("IsNaN", ["p"], ["nan"]),
             helper.make_node("Constant", [], ["zero"], value=numpy_helper.from_array(np.array(0.0, np.float32))),
             helper.make_node("Where", ["nan", "zero", "p"], ["guarded"]),
             helper.make_node("MatMul", ["guarded", "weights"], ["out"])]
    graph = helper.make_graph(nodes, "attention", [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [2, 4])],
                              [helper.make_tensor_value_info("out", TensorProto.FLOAT, [2, 3])],
                              [numpy_helper.from_array(weights, "weights")])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def _run(path: Path, scores: np.ndarray) -> np.ndarray:
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"scores": scores})[0]


def test_the_guard_goes_and_the_outputs_stay_the_same(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "model.onnx"
    _guarded(path, rng.normal(size=(4, 3)).astype(np.float32))
    scores = rng.normal(size=(2, 4)).astype(np.float32)
    before = _run(path, scores)
    assert drop_nan_guards(path) == 1
    assert [node.op_type for node in onnx.load(str(path)).graph.node] == ["Softmax", "MatMul"]
    assert np.array_equal(_run(path, scores), before)
    assert drop_nan_guards(path) == 0  # nothing left to drop


@pytest.mark.parametrize("model", [READER_DIR / "reader.onnx", EMBEDDER_DIR / "model.onnx"])
def test_the_shipped_models_have_no_nan_guards(model):
    assert "IsNaN" not in {node.op_type for node in onnx.load(str(model)).graph.node}
