"""Train the span reader: all-MiniLM-L6-v2 with a start/end head, fine-tuned on SQuAD.

    python training/train_reader.py train  --out training/runs/reader   # resumes from its checkpoint
    python training/train_reader.py export --out training/runs/reader   # int8 ONNX into qa/models/reader
    python training/train_reader.py score  [--model qa/models/reader]   # EM/F1 and abstention

Training data: SQuAD v1.1 dev `train_titles` and the SQuAD 2.0 dev half (its unanswerable
questions teach "no answer"), less the held-out articles (see `squad.py`).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import squad  # noqa: E402

from qa.embed import resolve_model  # noqa: E402
from qa.evaluate import best, exact_match, f1_score  # noqa: E402
from qa.span import SpanTokenizer, Window, batch, token_targets  # noqa: E402

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


def features(tokenizer: SpanTokenizer, examples) -> list[tuple[Window, int, int]]:
    rows = []
    for example in examples:
        start = example.starts[0] if example.answerable else 0
        end = start + len(example.answers[0]) if example.answerable else 0
        for window in tokenizer.windows(example.question, example.context):
            rows.append((window, *token_targets(window, start, end)))
    return rows


def train(args) -> None:
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    base = resolve_model(BASE)
    tokenizer = SpanTokenizer(Path(base) / "tokenizer.json")
    rows = features(tokenizer, squad.training_examples())
    steps_per_epoch = len(rows) // args.batch
    total = steps_per_epoch * args.epochs
    print(f"{len(rows)} windows, {total} steps of {args.batch}", flush=True)
    model = SpanModel(base)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, total // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (total - step) / (total - warmup))))
    args.out.mkdir(parents=True, exist_ok=True)
    checkpoint = args.out / "checkpoint.pt"
    step = 0
    if checkpoint.exists():
        state = torch.load(checkpoint)
        model.load_state_dict(state["model"])
        optimiser.load_state_dict(state["optimiser"])
        schedule.load_state_dict(state["schedule"])
        step = state["step"]
        print(f"resumed at step {step}", flush=True)
    order = [i for epoch in range(args.epochs)
             for i in random.Random(args.seed + epoch).sample(range(len(rows)), len(rows))]
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    began, losses = time.time(), []
    while step < total:
        chosen = [rows[i] for i in order[step * args.batch:(step + 1) * args.batch]]
        inputs = {k: torch.from_numpy(v) for k, v in batch([w for w, _, _ in chosen]).items()}
        starts, ends = model(**inputs)
        loss = (loss_fn(starts, torch.tensor([s for _, s, _ in chosen]))
                + loss_fn(ends, torch.tensor([e for _, _, e in chosen]))) / 2
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        step += 1
        losses.append(loss.item())
        if step % 50 == 0 or step == total:
            rate = (time.time() - began) / len(losses)
            print(f"step {step}/{total} loss {np.mean(losses[-50:]):.3f} {rate:.2f} s/step", flush=True)
        if step % args.save_every == 0 or step == total:
            torch.save({"model": model.state_dict(), "optimiser": optimiser.state_dict(),
                        "schedule": schedule.state_dict(), "step": step}, checkpoint.with_suffix(".tmp"))
            checkpoint.with_suffix(".tmp").replace(checkpoint)
    (args.out / "training.json").write_text(json.dumps(
        {"base": BASE, "windows": len(rows), "steps": total, "batch": args.batch, "lr": args.lr,
         "epochs": args.epochs, "seed": args.seed, "final_loss": float(np.mean(losses[-50:]))}, indent=2))


def export(args) -> None:
    """The trained model as int8 ONNX, with the tokenizer, into the package's model folder."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    base = resolve_model(BASE)
    model = SpanModel(base)
    model.load_state_dict(torch.load(args.out / "checkpoint.pt")["model"])
    model.eval()
    MODEL_DIR.mkdir(parents=True, exist_ok=True)
    full = args.out / "reader.onnx"
    example = batch(SpanTokenizer(Path(base) / "tokenizer.json").windows("Who?", "Someone."))
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "start_logits", "end_logits"]}
    torch.onnx.export(model, tuple(torch.from_numpy(example[n]) for n in names), str(full),
                      input_names=names, output_names=["start_logits", "end_logits"],
                      dynamic_axes=axes, opset_version=17, dynamo=False)
    quantize_dynamic(str(full), str(MODEL_DIR / "reader.onnx"), weight_type=QuantType.QInt8)
    shutil.copy(Path(base) / "tokenizer.json", MODEL_DIR / "tokenizer.json")
    size = (MODEL_DIR / "reader.onnx").stat().st_size / 1e6
    print(f"wrote {MODEL_DIR / 'reader.onnx'} ({size:.1f} MB)")


def score(args) -> None:
    """EM/F1 on the never-trained test articles; abstention on the held-out SQuAD 2.0 articles."""
    from qa.span_reader import SpanModel

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
    parser.add_argument("command", choices=["train", "export", "score"])
    parser.add_argument("--out", type=Path, default=Path("training/runs/reader"))
    parser.add_argument("--model", type=Path, default=MODEL_DIR)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N questions")
    args = parser.parse_args()
    torch.set_num_threads(2)
    {"train": train, "export": export, "score": score}[args.command](args)


if __name__ == "__main__":
    main()
