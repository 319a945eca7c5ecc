"""onnxruntime sessions for the shipped int8 models (the embedder and the span reader), the CPU
they run on, and how a long-running process gives memory back."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from pathlib import Path

import numpy as np

from qa.errors import ConfigError


class Session:
    """An onnxruntime session whose runs take turns. Each run already uses all of the session's
    threads; runs side by side (a server's request threads) would only add up the memory their
    activations take, which onnxruntime keeps for the next run."""

    def __init__(self, session) -> None:
        self._session = session
        self._turn = threading.Lock()

    def run(self, outputs: list[str], feed: dict):
        with self._turn:
            return self._session.run(outputs, feed)

    def get_outputs(self):
        return self._session.get_outputs()


def available_cores() -> int:
    """The CPU cores this process may run on (its affinity: a container's CPU set, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def cpu_session(model: Path, threads: int | None, missing: str, spin: bool = True) -> Session:
    """An inference session on `threads` CPU threads (default: `available_cores()`); `missing` is
    the error when there is no file. With `spin` its threads wait for work by spinning, which is
    faster between the operators of one run but keeps a core busy for a while after the run: a
    session that runs briefly just before another one (the embedder of a question, before the
    reader) must not, or the other runs on one core fewer."""
    import onnxruntime

    if not model.is_file():
        raise ConfigError(f"{missing} ({model} is not there)")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or available_cores()
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    source = (unsigned_weights(model) if int8_products_saturate() else None) or str(model)
    return Session(onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"]))


# onnxruntime multiplies a model's int8 weights by uint8 activations. On x86 CPUs with VNNI (AVX-512
# VNNI, AVX-VNNI, AMX) the products are summed exactly; on those without (AVX2 only) they are
# summed in pairs in 16 bits first (vpmaddubsw), which saturates unless each weight is at most
# `_EXACT_WEIGHT` in magnitude (2 x 255 x 64 = 32,640, under 32,767). Uint8 weights are widened to
# 16 bits before they are multiplied, and never saturate.
_VNNI = frozenset({"avx512_vnni", "avx_vnni", "amx_int8"})
_EXACT_WEIGHT = 64


def int8_products_saturate(flags: set[str] | None = None) -> bool:
    """Whether onnxruntime's products of int8 weights can saturate on this CPU (or one with these
    /proc/cpuinfo `flags`): an x86 CPU without VNNI."""
    flags = cpu_model()[1] if flags is None else flags
    return "sse2" in flags and not _VNNI & flags


def unsigned_weights(model: Path) -> bytes | None:
    """The ONNX `model` with the int8 weights of its matrix products and their zero points as uint8,
    each 128 more: the same products exactly, which cannot saturate (`int8_products_saturate`); None
    when every weight is small enough not to (the span reader's 7-bit ones). The shipped embedder's
    vectors on an AVX2-only CPU (an emulated AMD EPYC of the Zen 3 kind) had cosine 0.9886 to the
    VNNI machines' with its int8 weights, 0.999999 with these; on a CPU with VNNI these are 37% slower, so they are made
    only where they are needed."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(model))
    stored = {tensor.name: tensor for tensor in graph.graph.initializer}
    products = [node for node in graph.graph.node if node.op_type == "MatMulInteger"
                and node.input[1] in stored and stored[node.input[1]].data_type == onnx.TensorProto.INT8]
    weights = {node.input[1]: numpy_helper.to_array(stored[node.input[1]]).astype(np.int16) for node in products}
    if all(np.abs(values).max(initial=0) <= _EXACT_WEIGHT for values in weights.values()):
        return None
    for name, values in weights.items():
        stored[name].CopyFrom(numpy_helper.from_array((values + 128).astype(np.uint8), name))
    for node in products:
        if len(node.input) < 4 or not node.input[3]:  # no zero point: 0, so 128 once shifted
            point = f"{node.input[1]}_unsigned_zero_point"
            if point not in stored:
                stored[point] = numpy_helper.from_array(np.array(128, dtype=np.uint8), point)
                graph.graph.initializer.append(stored[point])
            node.input.extend([""] * (4 - len(node.input)))
            node.input[3] = point
        elif stored[node.input[3]].data_type == onnx.TensorProto.INT8:
            point = numpy_helper.to_array(stored[node.input[3]]).astype(np.int16) + 128
            stored[node.input[3]].CopyFrom(numpy_helper.from_array(point.astype(np.uint8), node.input[3]))
    return graph.SerializeToString()


def cpu_model() -> tuple[str, set[str]]:
    """The CPU's model name and its instruction-set flags, as /proc/cpuinfo lists them (the
    platform's processor and no flags where there is none)."""
    import platform

    name, flags = platform.processor() or platform.machine(), set()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name") and ":" in line:
                name = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and ":" in line:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return name, flags


def fast_bf16() -> bool:
    """Whether this CPU computes bfloat16 natively (AMX or AVX-512 BF16): there a bf16 autocast
    halves a training step; without them (AVX2 only) it is slower than float32."""
    return bool({"amx_bf16", "avx512_bf16"} & cpu_model()[1])


def cpu_description() -> str:
    """The CPU's model name and the instruction sets that change int8 arithmetic and its speed
    ("Intel(R) Xeon(R) Processor (avx2, avx512f, avx512_vnni, amx_int8)"), for every figure a
    benchmark prints."""
    name, flags = cpu_model()
    kept = [flag for flag in ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8") if flag in flags]
    return f"{name} ({', '.join(kept) or 'no AVX2'})"


# glibc's mallopt parameters (malloc.h).
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 1 << 20


def return_large_blocks() -> bool:
    """Have glibc give every allocation of 1 MB or more its own mapping, returned to the system when
    freed. By default the threshold rises to the largest block freed so far (up to 32 MB), so a
    server's refreshes leave their arrays on the heap, where the next ones fragment it: on the full
    collection, eight uploads raised the peak RSS from 0.52 to 0.99 GB with the default, to 0.79 GB
    with this. Returns whether the C library took it (False elsewhere than glibc)."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))
