"""Train the span reader: all-MiniLM-L6-v2 with a start/end head, first on SQuAD, then on the
Ofsted training questions with the passages the system retrieves for them.

    python training/train_reader.py train --data squad --out training/runs/squad --epochs 2
    python training/ofsted_passages.py --index ../full-index --out training/runs/ofsted.jsonl
    python training/train_reader.py train --data training/runs/ofsted.jsonl \
        --init training/runs/squad/checkpoint.pt --out training/runs/ofsted --epochs 1 --lr 5e-5
    # a learning curve: the same on a seeded share of the questions
    python training/train_reader.py train --data training/runs/ofsted.jsonl --share 0.25 ...
    # further training of the shipped reader, whose float checkpoint is not kept: its int8 weights
    # recovered as floats, then a part of an epoch (--steps), with the SQuAD split mixed in (--rehearse)
    python training/train_reader.py recover --out training/runs/recovered
    python training/train_reader.py train --data training/runs/ofsted.jsonl --rehearse \
        --init training/runs/recovered/recovered.pt --out training/runs/mix --epochs 1 --steps 1200 --lr 3e-5
    python training/train_reader.py export --out training/runs/ofsted [--model DIR]  # int8 ONNX into qa/models/reader
    python training/train_reader.py score  [--model qa/models/reader]  # EM/F1 and abstention on SQuAD

`train` resumes from the checkpoint in --out. SQuAD data: v1.1 dev `train_titles` and the SQuAD
2.0 dev half (its unanswerable questions teach "no answer"), less the held-out articles (see
`squad.py`). Steps run under bf16 autocast where the CPU computes bf16 natively (AMX or AVX-512
BF16: 1.05 s a step of 16 windows on the 2-core Intel Xeon; on the 2-core AMD EPYC of the Zen 4
kind 1.72 s a step of SQuAD windows against 2.15 s in float32, 1.23 s of Ofsted passages) and in
float32 elsewhere (on AVX2 only
bf16 is slower than float32), in batches of windows of similar length padded to the longest.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ofsted_questions  # noqa: E402
import squad  # noqa: E402
from onnx_graph import drop_nan_guards  # noqa: E402
from steps import Run  # noqa: E402

from qa.answer.span import SpanTokenizer, Window, batch, token_targets  # noqa: E402
from qa.evaluate import best, exact_match, f1_score  # noqa: E402
from qa.indexing.embed import resolve_model  # noqa: E402
from qa.runtime import cpu_description, fast_bf16  # noqa: E402

MODEL_DIR = Path(__file__).resolve().parents[1] / "qa" / "models" / "reader"
BASE = "all-MiniLM-L6-v2"


class SpanModel(nn.Module):
    """An encoder with one linear layer giving each token a start and an end logit."""

    def __init__(self, base: str) -> None:
        super().__init__()
        from transformers import AutoModel

        self.encoder = AutoModel.from_pretrained(base)
        self.head = nn.Linear(self.encoder.config.hidden_size, 2)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        logits = self.head(hidden)
        padding = (1 - attention_mask) * -1e4
        return logits[..., 0] + padding, logits[..., 1] + padding


@dataclass(frozen=True)
class Record:
    """One training passage: the answer's character offsets in it, or None for "no answer here"."""

    question: str
    passage: str
    start: int | None
    end: int | None


def squad_records() -> list[Record]:
    return [Record(e.question, e.context, e.starts[0] if e.answerable else None,
                   e.starts[0] + len(e.answers[0]) if e.answerable else None)
            for e in squad.training_examples()]


def file_records(path: Path, share: float = 1.0, seed: int = 13) -> list[Record]:
    """Records from a JSONL file of {id, question, passage, start, end} (written by
    ofsted_passages.py); with a share below 1, the passages of that share of the questions only
    (drawn with the seed; a question's noisy variant goes with it), for a learning curve."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if share < 1:
        asked = [ofsted_questions.written_id(r["id"]) for r in rows]
        questions = sorted(set(asked))
        kept = set(random.Random(seed).sample(questions, round(share * len(questions))))
        rows = [r for r, question in zip(rows, asked, strict=True) if question in kept]
    return [Record(r["question"], r["passage"], r["start"], r["end"]) for r in rows]


def features(tokenizer: SpanTokenizer, records: list[Record]) -> list[tuple[Window, int, int]]:
    rows = []
    for record in records:
        for window in tokenizer.windows(record.question, record.passage):
            targets = (0, 0) if record.start is None else token_targets(window, record.start, record.end)
            rows.append((window, *targets))
    return rows


def batches(rows: list, size: int, seed: int) -> list[list[int]]:
    """One epoch's batches: shuffled, then sorted by length within pools of 50 batches so that
    padding is small, then the batches shuffled again."""
    rng = random.Random(seed)
    order = rng.sample(range(len(rows)), len(rows))
    pool = size * 50
    chosen = []
    for left in range(0, len(order), pool):
        part = sorted(order[left:left + pool], key=lambda i: len(rows[i][0].ids))
        chosen += [part[i:i + size] for i in range(0, len(part), size)]
    rng.shuffle(chosen)
    return chosen


def train(args) -> None:
    torch.manual_seed(args.seed)
    base = resolve_model(BASE)
    tokenizer = SpanTokenizer(Path(base) / "tokenizer.json")
    records = squad_records() if args.data == "squad" else file_records(args.data, args.share, args.seed)
    if args.rehearse:
        records += squad_records()
    rows = features(tokenizer, records)
    plan = [b for epoch in range(args.epochs) for b in batches(rows, args.batch, args.seed + epoch)]
    if args.steps:
        plan = plan[:args.steps]  # a random part of the shuffled batches, the schedule fitted to it
    total = len(plan)
    bf16 = fast_bf16()
    print(f"{len(records)} passages, {len(rows)} windows, {total} steps of {args.batch}, "
          f"{'bf16 autocast' if bf16 else 'float32'} on {cpu_description()}", flush=True)
    model = SpanModel(base)
    if args.init:
        model.load_state_dict(torch.load(args.init)["model"])
    run = Run(model, args.out, total, args.lr, save_every=args.save_every, stop=args.stop_at)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    while run.running:
        chosen = [rows[i] for i in plan[run.step]]
        inputs = {k: torch.from_numpy(v) for k, v in batch([w for w, _, _ in chosen]).items()}
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            starts, ends = model(**inputs)
        run.update((loss_fn(starts.float(), torch.tensor([s for _, s, _ in chosen]))
                    + loss_fn(ends.float(), torch.tensor([e for _, _, e in chosen]))) / 2)
    (args.out / "training.json").write_text(json.dumps(
        {"base": BASE, "data": str(args.data), "init": str(args.init) if args.init else None,
         "passages": len(records), "windows": len(rows), "steps": run.step, "schedule_steps": total,
         "batch": args.batch, "lr": args.lr, "epochs": args.epochs, "seed": args.seed, "share": args.share,
         "rehearse": args.rehearse,
         "final_loss": run.last_loss}, indent=2))


def recover(args) -> None:
    """The int8 reader in --model as float weights, into --out/recovered.pt for --init: its weights
    and embeddings dequantised (scale times the integer less its zero point), each matrix matched to
    its layer by the name of the product it feeds, so that the shipped reader can be trained further
    when its float checkpoint is gone. Its logits differ from the int8 file's by the activations'
    rounding only (under 1 on a scale of about 10)."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(args.model / "reader.onnx")).graph
    stored = {tensor.name: numpy_helper.to_array(tensor) for tensor in graph.initializer}

    def dequantised(name: str) -> np.ndarray:
        values = stored[f"{name}_quantized"].astype(np.float32) - stored[f"{name}_zero_point"].astype(np.float32)
        return values * stored[f"{name}_scale"]

    model = SpanModel(resolve_model(BASE))
    state = model.state_dict()
    for name, values in stored.items():
        if name in state:  # biases and LayerNorm weights, kept in float
            state[name] = torch.from_numpy(values.copy())
        elif name.startswith("encoder.embeddings.") and name.endswith("_quantized"):
            state[name.removesuffix("_quantized")] = torch.from_numpy(dequantised(name.removesuffix("_quantized")))
    for node in graph.node:
        if node.op_type == "MatMulInteger" and node.input[1] in stored:
            layer = re.fullmatch(r"/(.+)/MatMul_output_0_output_quantized", node.output[0]).group(1)
            weight = dequantised(node.input[1].removesuffix("_quantized")).T  # torch keeps (out, in)
            state[layer.replace("/", ".") + ".weight"] = torch.from_numpy(weight.copy())
    model.load_state_dict(state)
    args.out.mkdir(parents=True, exist_ok=True)
    torch.save({"model": model.state_dict()}, args.out / "recovered.pt")
    print(f"wrote {args.out / 'recovered.pt'}")


def export(args) -> None:
    """The trained model as int8 ONNX, with the tokenizer, into --model (the package's model folder
    unless told another, so that a candidate can be measured before it replaces the shipped one)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    base = resolve_model(BASE)
    model = SpanModel(base)
    model.load_state_dict(torch.load(args.out / "checkpoint.pt")["model"])
    model.eval()
    target = args.model
    target.mkdir(parents=True, exist_ok=True)
    full = args.out / "reader.onnx"
    example = batch(SpanTokenizer(Path(base) / "tokenizer.json").windows("Who?", "Someone."))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "start_logits", "end_logits"]}
    torch.onnx.export(model, tuple(torch.from_numpy(example[n]) for n in names), str(full),
                      input_names=names, output_names=["start_logits", "end_logits"],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    # Per-channel weight scales, and 7-bit weights (reduce_range): on CPUs without VNNI (AVX2 only)
    # onnxruntime's int8 products of 8-bit weights can saturate, so the same model could rank
    # differently there; 7 bits cannot. Against the full-precision model on SQuAD test_titles (an
    # Intel Xeon with VNNI): per-tensor 8-bit F1 44.8 and the same best span as full precision for
    # 0.64 of the questions; this, 48.0 and 0.82 (full precision 48.7), at the same speed.
    quantize_dynamic(str(full), str(target / "reader.onnx"), weight_type=QuantType.QInt8, per_channel=True,
                     reduce_range=True)
    drop_nan_guards(target / "reader.onnx")
    shutil.copy(Path(base) / "tokenizer.json", target / "tokenizer.json")
    size = (target / "reader.onnx").stat().st_size / 1e6
    print(f"wrote {target / 'reader.onnx'} ({size:.1f} MB)")


def score(args) -> None:
    """EM/F1 on the never-trained test articles; abstention on the held-out SQuAD 2.0 articles."""
    from qa.answer.span_reader import SpanModel

    runner = SpanModel(args.model)
    test = squad.test_examples()
    if args.limit:
        test = test[:args.limit]
    began = time.time()
    em = f1 = 0.0
    for example in test:
        span = runner.best(example.question, example.context)
        text = example.context[span.start:span.end] if span else ""
        em += best(exact_match, text, example.answers)
        f1 += best(f1_score, text, example.answers)
    took = time.time() - began
    print(f"SQuAD v1.1 test_titles ({len(test)} questions): EM {100 * em / len(test):.1f} "
          f"F1 {100 * f1 / len(test):.1f} ({1000 * took / len(test):.0f} ms a question)")
    held = squad.abstention_examples()
    if args.limit:
        held = held[:args.limit]
    margins, answerable = [], []
    for example in held:
        span = runner.best(example.question, example.context)
        margins.append(span.margin if span else -np.inf)
        answerable.append(example.answerable)
    margins, answerable = np.array(margins), np.array(answerable)
    for threshold in (-2.0, 0.0, 2.0):
        abstained = margins < threshold
        print(f"held-out SQuAD 2.0 ({len(held)} questions, {int((~answerable).sum())} unanswerable), "
              f"answer when margin >= {threshold:+.0f}: abstain {abstained[~answerable].mean():.3f}, "
              f"false abstain {abstained[answerable].mean():.3f}, "
              f"accuracy {(abstained == ~answerable).mean():.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["train", "recover", "export", "score"])
    parser.add_argument("--out", type=Path, default=Path("training/runs/reader"))
    parser.add_argument("--model", type=Path, default=MODEL_DIR,
                        help="the int8 reader: scored by score, written by export")
    parser.add_argument("--data", default="squad", type=lambda v: v if v == "squad" else Path(v),
                        help='"squad" (the SQuAD split) or a JSONL file of passages')
    parser.add_argument("--init", type=Path, help="start from this checkpoint's weights")
    parser.add_argument("--stop-at", type=int, help="stop after this many steps (the schedule stays that of --epochs)")
    parser.add_argument("--share", type=float, default=1.0,
                        help="train on this share of a passages file's questions (a learning curve)")
    parser.add_argument("--rehearse", action="store_true",
                        help="with a passages file, train on the SQuAD split's windows too, in the same batches' plan")
    parser.add_argument("--steps", type=int, help="train on this many of the plan's shuffled batches, the schedule "
                                                  "fitted to them")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N questions")
    args = parser.parse_args()
    torch.set_num_threads(2)
    {"train": train, "recover": recover, "export": export, "score": score}[args.command](args)


if __name__ == "__main__":
    main()
