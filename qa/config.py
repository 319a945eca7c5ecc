"""One Settings object: defaults, then QA_* environment variables, then explicit overrides."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from qa.errors import ConfigError
from qa.ofsted.site import DEFAULT_URL as DEFAULT_OFSTED_URL

# The package's own files: its trained models and its tables.
MODELS = Path(__file__).resolve().parent / "models"
DATA = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
# The shipped int8 export of it, fine-tuned on the Ofsted training questions
# (training/train_embedder.py), as an index records what built it; to be named anew whenever its
# vectors change, so that an index of the old ones is refused, not mixed.
ONNX_BACKEND = "onnx-int8-ofsted1"
# Names under which the default model is found in its PyPI package (and in qa/models/embedder).
PACKAGED_MODELS = frozenset({DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"})
EMBEDDERS = ("onnx", "torch")
MAX_TOP_K = 20


@functools.cache
def fitted_threshold() -> float:
    """The "not found" threshold that training/fit_scorer.py chose and recorded with the scorer (read
    once: every Settings takes it as its default)."""
    try:
        return float(json.loads((MODELS / "scorer.json").read_text(encoding="utf-8"))["threshold"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"cannot read the threshold from {MODELS / 'scorer.json'}: {error}") from None


@dataclass(frozen=True)
class Settings:
    """Everything configurable; the index records the fields that shape it (see `fingerprint`)."""

    corpus: Path = Path("corpus")
    index: Path = Path("index")
    model: str = DEFAULT_MODEL
    # "onnx": the default model's int8 ONNX export (qa/models/embedder), run by onnxruntime;
    # "torch": sentence-transformers. Other models always use sentence-transformers.
    embedder: str = "onnx"
    encoding: str = "cl100k_base"
    chunk_tokens: int = 160
    top_k: int = 3
    candidates: int = 12
    # The least calibrated probability of being right for an answer; below it the reply is "not
    # found". Chosen by training/fit_scorer.py, which records it in qa/models/scorer.json.
    threshold: float = field(default_factory=fitted_threshold)
    # The span reader: "builtin" (the model in qa/models/reader) or a folder holding reader.onnx and
    # tokenizer.json.
    reader: str = "builtin"
    # How many of the best passages the span reader reads for a question (about 6 ms each here).
    passages_read: int = 6
    max_question_chars: int = 2000
    # Chunks per embedding batch: a report's chunks are embedded in batches of their own, and 4 was
    # the fastest of 1, 4, 8, 16 and 32 here (5% faster than 16, 10% than 32). Again without the
    # models' NaN guards (1,500 chunks, Intel Xeon with AMX): 1: 156, 2: 160, 4: 183, 8: 183,
    # 16: 180, 32: 148 chunks a second.
    batch_size: int = 4
    # Uploads and deletions through the API need this bearer token; empty disables them.
    admin_token: str = ""
    max_upload_mb: int = 50
    # How often a running server looks for new, changed and removed files in the corpus.
    scan_seconds: float = 3.0
    # The SQLite file of users' verdicts on answers; empty: feedback.sqlite3 beside the index folder.
    feedback: str = ""
    # The Ray cluster `qa index` reads and embeds reports on: HOST:PORT, ray://HOST:PORT, "auto" (the
    # one `ray start` made here) or "local" (a new one on this machine); empty: in this process.
    ray_address: str = ""
    # Ofsted's reports site, which `qa fetch` lists new reports on (a mirror or a test server may
    # stand in), the seconds between two of its requests, and how long one may take.
    ofsted_url: str = DEFAULT_OFSTED_URL
    fetch_delay: float = 1.0
    fetch_timeout: float = 30.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "corpus", Path(self.corpus))
        object.__setattr__(self, "index", Path(self.index))
        if not 16 <= self.chunk_tokens <= 512:
            raise ConfigError(f"chunk_tokens must be between 16 and 512, got {self.chunk_tokens}")
        if not 1 <= self.top_k <= MAX_TOP_K:
            raise ConfigError(f"top_k must be between 1 and {MAX_TOP_K}, got {self.top_k}")
        if self.candidates < self.top_k:
            raise ConfigError("candidates must be at least top_k")
        if not 1 <= self.passages_read <= self.candidates:
            raise ConfigError("passages_read must be between 1 and candidates")
        if not 0.0 <= self.threshold <= 1.0:
            raise ConfigError(f"threshold must be between 0 and 1, got {self.threshold}")
        if self.batch_size < 1 or self.max_question_chars < 1 or self.max_upload_mb < 1:
            raise ConfigError("batch_size, max_question_chars and max_upload_mb must be positive")
        if self.embedder not in EMBEDDERS:
            raise ConfigError(f"embedder must be one of {', '.join(EMBEDDERS)}, got {self.embedder!r}")
        if self.scan_seconds < 0:
            raise ConfigError("scan_seconds must not be negative (0 turns the scan off)")
        if not self.ofsted_url.startswith(("http://", "https://")):
            raise ConfigError(f"ofsted_url must be an http(s) address, got {self.ofsted_url!r}")
        if self.fetch_delay < 0 or self.fetch_timeout <= 0:
            raise ConfigError("fetch_delay must not be negative and fetch_timeout must be positive")

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then `QA_<FIELD>` variables from `environ`, then non-None `overrides`."""
        environ = os.environ if environ is None else environ
        values = {}
        for spec in fields(cls):
            raw = environ.get(f"QA_{spec.name.upper()}")
            if raw is not None and raw != "":
                values[spec.name] = _convert(spec.name, raw, type(getattr(cls(), spec.name)))
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    def fingerprint(self) -> dict:
        """The settings an index depends on; an index built with others is refused."""
        return {
            "model": self.model,
            "embedder": self.backend,
            "encoding": self.encoding,
            "chunk_tokens": self.chunk_tokens,
        }

    @property
    def backend(self) -> str:
        """What computes the vectors: ONNX_BACKEND (the shipped export) or "torch"."""
        return ONNX_BACKEND if self.embedder == "onnx" and self.model in PACKAGED_MODELS else "torch"

    @property
    def feedback_path(self) -> Path:
        return Path(self.feedback) if self.feedback else self.index.parent / "feedback.sqlite3"

    def with_changes(self, **changes) -> Settings:
        return replace(self, **changes)


def _convert(name: str, raw: str, kind: type):
    if issubclass(kind, Path):
        return Path(raw)
    try:
        return kind(raw)
    except ValueError:
        raise ConfigError(f"QA_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
