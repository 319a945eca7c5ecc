"""Take out the work an exported transformer graph does for nothing.

PyTorch's exporter writes each attention layer's softmax followed by `Where(IsNaN(p), 0, p)`, for
a row of attention whose every key is masked (its softmax is all NaN). Our inputs never have one:
every window and every chunk starts with [CLS], which no mask hides. Yet on 6 windows of 176
tokens the guards took a third of the reader's time (23 of 70 ms, onnxruntime's profile on an
Intel Xeon with AMX), and the same of the embedder's. Without them the outputs are the same, bit
for bit: the guard only ever passes the softmax through.

    python training/onnx_graph.py qa/models/reader/reader.onnx qa/models/embedder/model.onnx

rewrites the files in place; the exporters (`export_embedder.py`, `train_reader.py export`) call
`drop_nan_guards` on what they write.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def drop_nan_guards(path: Path) -> int:
    """Rewrite the ONNX model at `path` without the NaN guards after its softmaxes; how many went."""
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    made_by = {output: node for node in graph.node for output in node.output}
    dropped, kept = 0, []
    replace: dict[str, str] = {}
    for node in graph.node:
        if node.op_type == "Where" and len(node.input) == 3:
            test, guarded = made_by.get(node.input[0]), made_by.get(node.input[2])
            if (test is not None and test.op_type == "IsNaN" and guarded is not None
                    and guarded.op_type == "Softmax" and test.input[0] == guarded.output[0]):
                replace[node.output[0]] = guarded.output[0]
                dropped += 1
                continue
        kept.append(node)
    outputs = {output.name for output in graph.output}
    if outputs & replace.keys():
        raise ValueError(f"{path}: a guarded softmax is an output of the graph")
    for node in kept:
        for n, name in enumerate(node.input):
            node.input[n] = replace.get(name, name)
    used = {name for node in kept for name in node.input} | outputs
    # The guards' tests and their constant zeros have no other use.
    kept = [node for node in kept if node.op_type not in ("IsNaN", "Constant") or node.output[0] in used]
    del graph.node[:]
    graph.node.extend(kept)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", type=Path)
    for path in parser.parse_args().models:
        print(f"{path}: {drop_nan_guards(path)} NaN guards dropped")


if __name__ == "__main__":
    main()
