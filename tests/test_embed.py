"""The shipped int8 ONNX embedder against the full-precision sentence-transformers model."""

import numpy as np

from qa.config import ONNX_BACKEND, Settings
from qa.indexing.embed import OnnxEmbedder, SentenceTransformerEmbedder, make_embedder

TEXTS = [
    "Leaders know their services well and have a clear plan to improve them.",
    "Care leavers say their personal advisers are persistent and stay in touch.",
    "The local authority designated officer (LADO) responds to allegations promptly. " * 20,
    "",
]


def test_onnx_vectors_match_the_full_precision_model_and_count_the_same_tokens():
    onnx, torch = OnnxEmbedder(), SentenceTransformerEmbedder()
    fast, exact = onnx.encode(TEXTS), torch.encode(TEXTS)
    assert fast.shape == exact.shape == (len(TEXTS), 384) and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-3)
    cosine = np.sum(fast * exact, axis=1)
    assert (cosine[:3] > 0.99).all() and cosine[3] > 0.95  # text; the empty string
    assert [onnx.count_tokens(t) for t in TEXTS] == [torch.count_tokens(t) for t in TEXTS]
    assert onnx.count_tokens(TEXTS[2]) > onnx.max_tokens == torch.max_tokens == 256


def test_settings_choose_the_embedder_and_the_index_records_it():
    default = Settings.load(environ={})
    assert isinstance(make_embedder(default), OnnxEmbedder) and default.fingerprint()["embedder"] == ONNX_BACKEND
    for settings in (Settings.load(environ={"QA_EMBEDDER": "torch"}), Settings.load(environ={}, model="other/model")):
        assert isinstance(make_embedder(settings), SentenceTransformerEmbedder)
        assert settings.fingerprint()["embedder"] == "torch"
    assert default.fingerprint() != Settings.load(environ={"QA_EMBEDDER": "torch"}).fingerprint()
