"""The span reader: windows over passages, training targets, decoding, and the shipped model."""

import numpy as np
import pytest

from qa.answer.span import SpanTokenizer, best_span, token_targets
from qa.answer.span_reader import MODEL_DIR, SpanModel, span_model
from qa.errors import ConfigError
from qa.indexing.embed import resolve_model

PASSAGE = ("The focused visit took place in March 2024. The letter was signed by John Roughton, "
           "His Majesty's Inspector, and sent to the director of children's services.")


@pytest.fixture(scope="module")
def tokenizer():
    from pathlib import Path

    return SpanTokenizer(Path(resolve_model("all-MiniLM-L6-v2")) / "tokenizer.json")


def test_targets_are_the_answer_tokens_and_cls_when_the_window_misses_it(tokenizer):
    window = tokenizer.windows("Who signed the letter?", PASSAGE)[0]
    start = PASSAGE.index("John Roughton")
    first, last = token_targets(window, start, start + len("John Roughton"))
    assert PASSAGE[window.starts[first]:window.ends[last]] == "John Roughton"
    assert token_targets(window, 0, 0) == (0, 0)
    assert token_targets(window, start, len(PASSAGE) + 5) == (0, 0)


def test_long_passages_become_overlapping_windows_with_passage_offsets(tokenizer):
    passage = " ".join(f"Sentence {n} is about children in care." for n in range(120))
    windows = tokenizer.windows("What is sentence 100 about?", passage)
    assert len(windows) > 1 and all(len(w.ids) <= 256 for w in windows)
    covered = set()
    for window in windows:
        for first, last in zip(window.starts[window.passage], window.ends[window.passage], strict=True):
            assert passage[first:last].strip() and last <= len(passage)
            covered.add(first)
    assert max(covered) >= passage.index("Sentence 119")


def test_decoding_keeps_to_the_range_and_the_length_limit(tokenizer):
    window = tokenizer.windows("Who signed the letter?", PASSAGE)[0]
    size = len(window.ids)
    starts, ends = np.zeros(size), np.zeros(size)
    tokens = np.flatnonzero(window.passage)
    starts[tokens[0]], ends[tokens[-1]] = 5.0, 5.0  # the whole passage would score best
    whole = best_span(window, starts, ends, max_tokens=size)
    assert (whole.start, whole.end) == (0, len(PASSAGE.rstrip(".")) + 1)
    limited = best_span(window, starts, ends, max_tokens=4)
    assert len(tokenizer._pair.encode(PASSAGE[limited.start:limited.end], add_special_tokens=False).ids) <= 4
    second = PASSAGE.index("The letter")
    inside = best_span(window, starts, ends, within=(second, len(PASSAGE)))
    assert inside.start >= second


def test_reader_settings():
    assert span_model("builtin").folder == MODEL_DIR
    with pytest.raises(ConfigError, match="reader.onnx"):
        span_model("/nonexistent/reader")


def test_shipped_reader_finds_the_name():
    model = SpanModel()
    span = model.best("Who signed the letter?", PASSAGE)
    assert PASSAGE[span.start:span.end] == "John Roughton" and span.margin > 0
    unrelated = model.best("What is the average caseload of a social worker?", PASSAGE)
    assert unrelated.margin < span.margin


def test_a_passage_scores_the_same_whatever_is_read_with_it():
    model = SpanModel()
    question = "Who signed the letter?"
    others = ["Caseloads are manageable, and social workers say they feel well supported by their managers. " * 12,
              "Inspectors looked at the local authority's arrangements for the front door."]
    alone = model.best(question, PASSAGE)
    together = model.read(question, [*others, PASSAGE])[-1]
    assert (together.start, together.end, together.score, together.null) == \
        (alone.start, alone.end, alone.score, alone.null)
