"""Span extraction shared by the reader and its training: question-passage windows and decoding.

A window is "[CLS] question [SEP] part of the passage [SEP]"; the model gives every token a start
and an end logit. The best answer is the highest start + end over valid spans of passage tokens;
the [CLS] token's start + end is the score of "no answer in this window".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MAX_LENGTH = 256
STRIDE = 96
MAX_QUESTION_TOKENS = 64
MAX_ANSWER_TOKENS = 30


@dataclass(frozen=True)
class Window:
    """One model input: token ids and, for passage tokens, their character offsets in the passage."""

    ids: np.ndarray  # int64 [length]
    type_ids: np.ndarray  # int64 [length]
    passage: np.ndarray  # bool [length]: the token belongs to the passage
    starts: np.ndarray  # int64 [length]: character offsets in the passage (0 elsewhere)
    ends: np.ndarray


@dataclass(frozen=True)
class Span:
    start: int  # character offsets in the passage
    end: int
    score: float  # start + end logit
    null: float  # the window's no-answer logit (start + end of [CLS])

    @property
    def margin(self) -> float:
        """How much the span beats "no answer"."""
        return self.score - self.null


class SpanTokenizer:
    """Windows over a passage for a question, from a BERT WordPiece `tokenizer.json`."""

    def __init__(self, path: Path, max_length: int = MAX_LENGTH, stride: int = STRIDE) -> None:
        self._question = Tokenizer.from_file(str(path))
        self._question.no_padding()
        self._question.enable_truncation(MAX_QUESTION_TOKENS)
        self._pair = Tokenizer.from_file(str(path))
        self._pair.no_padding()
        self._pair.enable_truncation(max_length, stride=stride, strategy="only_second")

    def windows(self, question: str, passage: str) -> list[Window]:
        # Cut an over-long question so that the passage always keeps most of the window.
        question_ids = self._question.encode(question, add_special_tokens=False)
        question = self._question.decode(question_ids.ids) if len(question_ids.ids) >= MAX_QUESTION_TOKENS else question
        encoding = self._pair.encode(question, passage)
        return [_window(part) for part in [encoding, *encoding.overflowing]]


def _window(encoding) -> Window:
    sequence = np.array([-1 if s is None else s for s in encoding.sequence_ids])
    offsets = np.array(encoding.offsets, dtype=np.int64).reshape(-1, 2)
    passage = sequence == 1
    return Window(np.array(encoding.ids, dtype=np.int64), np.array(encoding.type_ids, dtype=np.int64),
                  passage, np.where(passage, offsets[:, 0], 0), np.where(passage, offsets[:, 1], 0))


def batch(windows: list[Window]) -> dict[str, np.ndarray]:
    """Pad windows to one length: the model's input_ids, attention_mask and token_type_ids."""
    length = max(len(w.ids) for w in windows)
    ids = np.zeros((len(windows), length), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, window in enumerate(windows):
        size = len(window.ids)
        ids[row, :size], mask[row, :size], types[row, :size] = window.ids, 1, window.type_ids
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def best_span(window: Window, start_logits: np.ndarray, end_logits: np.ndarray,
              within: tuple[int, int] | None = None, max_tokens: int = MAX_ANSWER_TOKENS) -> Span | None:
    """The highest-scoring span of passage tokens at most `max_tokens` long, or None; only tokens
    inside the passage's character range `within` when given."""
    size = len(window.ids)
    starts, ends = start_logits[:size], end_logits[:size]
    allowed = window.passage
    if within is not None:
        allowed = allowed & (window.starts >= within[0]) & (window.ends <= within[1])
    tokens = np.flatnonzero(allowed)
    if tokens.size == 0:
        return None
    # scores[i, j] = start of token i + end of token j, for j in [i, i + max_tokens).
    pair = starts[tokens][:, None] + ends[tokens][None, :]
    gap = tokens[None, :] - tokens[:, None]
    pair = np.where((gap >= 0) & (gap < max_tokens), pair, -np.inf)
    i, j = np.unravel_index(int(np.argmax(pair)), pair.shape)
    first, last = tokens[i], tokens[j]
    return Span(int(window.starts[first]), int(window.ends[last]), float(pair[i, j]),
                float(starts[0] + ends[0]))


def token_targets(window: Window, answer_start: int, answer_end: int) -> tuple[int, int]:
    """Training targets: the first and last token of the answer, or (0, 0) ([CLS]) when the
    window does not hold the whole answer."""
    tokens = np.flatnonzero(window.passage)
    if tokens.size == 0 or answer_end <= answer_start:
        return 0, 0
    if window.starts[tokens[0]] > answer_start or window.ends[tokens[-1]] < answer_end:
        return 0, 0
    first = tokens[window.ends[tokens] > answer_start][0]
    last = tokens[window.starts[tokens] < answer_end][-1]
    return int(first), int(last)
