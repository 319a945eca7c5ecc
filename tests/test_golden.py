"""The shipped models compute on this CPU what they computed on the machine that wrote
tests/golden/models.json (bench/golden.py): int8 arithmetic differs between CPU kinds (with and
without VNNI), and an answer must not depend on the machine."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import golden  # noqa: E402

from qa.runtime import cpu_description  # noqa: E402


def test_the_models_give_the_golden_outputs_on_this_cpu():
    kept = json.loads(golden.GOLDEN.read_text())
    assert kept["sentences"] == golden.SENTENCES and [tuple(p) for p in kept["pairs"]] == golden.PAIRS
    found = golden.differences(kept, golden.outputs())
    # The reader's 7-bit weights cannot saturate on any x86 CPU: the same best span of every pair,
    # margins within rounding. The embedder's 8-bit ones can on a CPU without VNNI: its vectors
    # within the distance int8 puts between them and full precision (cosine 0.993).
    assert found["least_cosine"] > 0.99, (found, kept["cpu"], cpu_description())
    assert found["spans_moved"] == 0, (found, kept["cpu"], cpu_description())
    assert found["largest_margin_difference"] < 0.25, (found, kept["cpu"], cpu_description())
