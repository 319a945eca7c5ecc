"""Fine-tune the embedding model (all-MiniLM-L6-v2) on the Ofsted training questions, so that the
passage holding a question's answer comes before the other passages of the same reports.

    python training/ofsted_passages.py --index ../full-index --out training/runs/ofsted.jsonl
    python training/train_embedder.py train --data training/runs/ofsted.jsonl --out training/runs/embedder
    python training/train_embedder.py export --out training/runs/embedder --data training/runs/ofsted.jsonl \
        [--model DIR]  # int8 ONNX into qa/models/embedder, compared with full precision

Each answerable question of the authorities not held out (and its noisy variant), as searched (the
authority and years that chose its reports taken out), is paired with the passage that holds its
answer; the passages retrieved for it that do not hold it are its hard negatives. These come from
the reports the question is asked of, which is where the index searches. The loss is the multiple
negatives ranking loss: a softmax, at scale 20, over the cosine of the question to every passage of
the batch (the other questions' positives and every hard negative), with passages identical to its
own positive masked out. `train` resumes from the checkpoint in --out; steps run under bf16
autocast where the CPU computes bf16 natively, in float32 elsewhere.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from export_embedder import Pooled  # noqa: E402
from export_embedder import export as export_onnx  # noqa: E402
from steps import Run  # noqa: E402

from qa.indexing.embed import MODEL_DIR, batch_tokenizer, model_inputs, resolve_model  # noqa: E402
from qa.runtime import cpu_description, fast_bf16  # noqa: E402

BASE = "all-MiniLM-L6-v2"
SCALE = 20.0


@dataclass(frozen=True)
class Pair:
    """A question as searched, the passage holding its answer and passages that do not."""

    question: str
    positive: str
    negatives: tuple[str, ...]


def pairs(path: Path, negatives: int) -> list[Pair]:
    """One pair per answerable question of a passages file (written by ofsted_passages.py): its best
    ranked positive passage and its `negatives` best ranked negatives."""
    by_question = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_question[row["id"]].append(row)
    found = []
    for rows in by_question.values():
        positives = [r for r in rows if r["start"] is not None]
        if not positives:
            continue  # unanswerable
        # A retrieved positive before the stored chunk added when none was retrieved (rank -1).
        positive = min(positives, key=lambda r: r["rank"] if r["rank"] >= 0 else len(rows))
        others = sorted((r for r in rows if r["start"] is None), key=lambda r: r["rank"])
        found.append(Pair(rows[0]["search"], positive["passage"],
                          tuple(r["passage"] for r in others[:negatives])))
    return found


def encode(model: Pooled, tokens, texts: list[str]) -> torch.Tensor:
    """The model's vectors of `texts`, tokenized by `tokens` (a `batch_tokenizer`)."""
    inputs = model_inputs(tokens.encode_batch(texts))
    return model(**{name: torch.from_numpy(values) for name, values in inputs.items()})


def loss_of(model: Pooled, tokens, chosen: list[Pair]) -> torch.Tensor:
    """The multiple negatives ranking loss of a batch (see the module's docstring)."""
    passages = [p.positive for p in chosen] + [n for p in chosen for n in p.negatives]
    questions = encode(model, tokens, [p.question for p in chosen])
    scores = SCALE * questions @ encode(model, tokens, passages).T
    same = torch.tensor([[text == p.positive for text in passages] for p in chosen])
    same[range(len(chosen)), range(len(chosen))] = False
    scores = scores.masked_fill(same, float("-inf"))
    return torch.nn.functional.cross_entropy(scores, torch.arange(len(chosen)))


def train(args) -> None:
    torch.manual_seed(args.seed)
    base = resolve_model(BASE)
    found = pairs(args.data, args.negatives)
    plan = []
    for epoch in range(args.epochs):
        order = random.Random(args.seed + epoch).sample(range(len(found)), len(found))
        plan += [order[i:i + args.batch] for i in range(0, len(order) - args.batch + 1, args.batch)]
    total = len(plan)
    bf16 = fast_bf16()
    print(f"{len(found)} questions, {total} steps of {args.batch} with {args.negatives} hard negatives each, "
          f"{'bf16 autocast' if bf16 else 'float32'} on {cpu_description()}", flush=True)
    model = Pooled.load(base)
    tokens = batch_tokenizer(Path(base) / "tokenizer.json")
    run = Run(model, args.out, total, args.lr, log_every=20, save_every=args.save_every)
    model.train()
    while run.running:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss = loss_of(model, tokens, [found[i] for i in plan[run.step]])
        run.update(loss)
    (args.out / "training.json").write_text(json.dumps(
        {"base": BASE, "data": str(args.data), "questions": len(found), "steps": run.step, "batch": args.batch,
         "negatives": args.negatives, "lr": args.lr, "epochs": args.epochs, "seed": args.seed,
         "final_loss": run.last_loss}, indent=2))


def export(args) -> None:
    """The trained model as int8 ONNX, with the tokenizer, into --model (the package's model folder
    unless told another, so that a candidate can be measured before it replaces the shipped one)."""
    base = Path(resolve_model(BASE))
    model = Pooled.load(base)
    model.load_state_dict(torch.load(args.out / "checkpoint.pt")["model"])
    export_onnx(model, base, args.model)
    if args.data and args.check:
        fidelity(model, base, args.model, args.data, args.check)


def fidelity(model: Pooled, base: Path, folder: Path, data: Path, count: int) -> None:
    """The cosine between the int8 export's vectors and the full-precision model's, on the first
    `count` distinct passages of a passages file."""
    from qa.indexing.embed import OnnxEmbedder

    texts = list(dict.fromkeys(json.loads(line)["passage"] for line in data.read_text(encoding="utf-8").splitlines()
                               if line.strip()))[:count]
    model.eval()
    tokens = batch_tokenizer(base / "tokenizer.json")
    with torch.no_grad():
        exact = np.vstack([encode(model, tokens, texts[i:i + 32]).numpy() for i in range(0, len(texts), 32)])
    cosine = np.sum(exact * OnnxEmbedder(folder).encode(texts), axis=1)
    print(f"int8 against full precision on {len(texts)} passages: cosine mean {cosine.mean():.4f}, "
          f"least {cosine.min():.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["train", "export"])
    parser.add_argument("--out", type=Path, default=Path("training/runs/embedder"))
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="where export writes the int8 embedder")
    parser.add_argument("--data", type=Path, help="a JSONL file of passages (ofsted_passages.py)")
    parser.add_argument("--check", type=int, default=1000,
                        help="export: passages of --data to compare the int8 export with full precision on")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--negatives", type=int, default=2, help="hard negatives per question")
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--save-every", type=int, default=50)
    args = parser.parse_args()
    train(args) if args.command == "train" else export(args)


if __name__ == "__main__":
    main()
