"""The shipped models compute on this CPU what they computed on the machine that wrote
tests/golden/models.json (bench/golden.py): int8 arithmetic differs between CPU kinds (with and
without VNNI), and an answer must not depend on the machine."""

import json
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import golden  # noqa: E402

from qa.runtime import cpu_description  # noqa: E402


def test_the_models_give_the_golden_outputs_on_this_cpu():
    kept = json.loads(golden.GOLDEN.read_text())
    assert kept["sentences"] == golden.SENTENCES and [tuple(p) for p in kept["pairs"]] == golden.PAIRS
    found = golden.differences(kept, golden.outputs())
    # The reader's 7-bit weights cannot saturate on any x86 CPU, and the embedder's 8-bit ones are
    # made unsigned where they would (qa.runtime.unsigned_weights): the same best span of every
    # pair, margins and vectors the same within rounding.
    assert found["least_cosine"] > 0.9999, (found, kept["cpu"], cpu_description())
    assert found["spans_moved"] == 0, (found, kept["cpu"], cpu_description())
    assert found["largest_margin_difference"] < 0.25, (found, kept["cpu"], cpu_description())


# An AMD EPYC of the Zen 3 kind (AVX2, no AVX-512, no VNNI), emulated: onnxruntime chooses its
# kernels by the CPU's CPUID, which the emulator answers as that CPU would.
_EMULATED = ["qemu-x86_64", "-cpu", "EPYC-Milan"]
_ON_EMULATED = """
import json, sys
sys.path.insert(0, "bench")
import golden
import qa.runtime as runtime

kept = json.loads(golden.GOLDEN.read_text())
found = {}
for name, flags in (("int8 weights", {"sse2", "avx2", "avx512_vnni"}), ("as loaded there", {"sse2", "avx2", "fma"})):
    runtime.cpu_model = lambda flags=flags: ("EPYC-Milan", flags)
    found[name] = golden.differences(kept, golden.outputs())
print(json.dumps(found))
"""


@pytest.mark.slow
@pytest.mark.skipif(platform.machine() != "x86_64" or not shutil.which(_EMULATED[0]),
                    reason="needs qemu-user (Debian's qemu-user package) on x86-64")
def test_on_an_avx2_only_cpu_the_models_as_loaded_there_give_the_golden_outputs():
    """The shipped embedder's int8 weights saturate there; the unsigned ones it is given there do not."""
    run = subprocess.run([*_EMULATED, sys.executable, "-c", _ON_EMULATED], cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    found = json.loads(run.stdout.splitlines()[-1])
    assert found["int8 weights"]["least_cosine"] < 0.995, found  # the emulator runs the saturating kernels
    assert found["as loaded there"]["least_cosine"] > 0.9999, found
    assert found["as loaded there"]["spans_moved"] == 0, found
    assert found["as loaded there"]["largest_margin_difference"] < 0.01, found
