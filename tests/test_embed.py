"""The shipped int8 ONNX embedder, and how the settings choose an embedder."""

import numpy as np

from qa.config import ONNX_BACKEND, Settings
from qa.indexing.embed import OnnxEmbedder, SentenceTransformerEmbedder, make_embedder

TEXTS = [
    "Leaders know their services well and have a clear plan to improve them.",
    "Care leavers say their personal advisers are persistent and stay in touch.",
    "The local authority designated officer (LADO) responds to allegations promptly. " * 20,
    "",
]


def test_onnx_vectors_are_unit_length_and_count_the_tokens_of_the_base_model():
    """The shipped export is fine-tuned (its fidelity to its full-precision weights is measured by
    training/train_embedder.py export); it keeps the base model's tokenizer and length limit."""
    onnx, torch = OnnxEmbedder(), SentenceTransformerEmbedder()
    fast = onnx.encode(TEXTS)
    assert fast.shape == (len(TEXTS), 384) and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-3)
    assert [onnx.count_tokens(t) for t in TEXTS] == [torch.count_tokens(t) for t in TEXTS]
    assert onnx.count_tokens(TEXTS[2]) > onnx.max_tokens == torch.max_tokens == 256


def test_onnx_vectors_put_a_paraphrase_nearer_than_another_topic():
    onnx = OnnxEmbedder()
    question, paraphrase, other = onnx.encode(["Do care leavers keep in touch with their advisers?", TEXTS[1],
                                               "The LADO responds to allegations promptly."])
    assert question @ paraphrase > question @ other + 0.1


def test_settings_choose_the_embedder_and_the_index_records_it():
    default = Settings.load(environ={})
    assert isinstance(make_embedder(default), OnnxEmbedder) and default.fingerprint()["embedder"] == ONNX_BACKEND
    for settings in (Settings.load(environ={"QA_EMBEDDER": "torch"}), Settings.load(environ={}, model="other/model")):
        assert isinstance(make_embedder(settings), SentenceTransformerEmbedder)
        assert settings.fingerprint()["embedder"] == "torch"
    assert default.fingerprint() != Settings.load(environ={"QA_EMBEDDER": "torch"}).fingerprint()
