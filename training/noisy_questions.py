"""Write noisy variants of question files (questions as people type them; see qa/noise.py).

    python training/noisy_questions.py [--seed N] [FILE.jsonl ...]

By default it writes training/noisy/dev.jsonl and training/noisy/train.jsonl from
../shared/ofsted-qa's dev.jsonl and train.jsonl with the fixed seed (qa.noise.SEED), so the
checked-in files can be made again exactly. Each line keeps the tidy question as `tidy` and names
its `style`.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from qa.noise import SEED, noisy

SHARED = Path(__file__).resolve().parents[2] / "shared" / "ofsted-qa"
OUT = Path(__file__).resolve().parent / "noisy"


def write(source: Path, target: Path, seed: int) -> Counter:
    items = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    variants = [noisy(item, seed) for item in items]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in variants), encoding="utf-8")
    return Counter(item["style"] for item in variants)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, default=[SHARED / "dev.jsonl", SHARED / "train.jsonl"])
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for source in args.files:
        target = OUT / source.name
        styles = write(source, target, args.seed)
        counts = ", ".join(f"{style} {count}" for style, count in sorted(styles.items()))
        print(f"{target}: {sum(styles.values())} questions, {counts}")


if __name__ == "__main__":
    main()
