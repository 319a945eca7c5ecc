"""The answer-quality scorecard: dev.jsonl on the shipped corpus, dev_ofsted.jsonl and
ofsted-qa/dev.jsonl on the full collection, the last also as people type it (its noisy variant,
qa/noise.py, the file in training/noisy/).

    python bench/scorecard.py [--full-index DIR] [--json FILE]

The full collection's index is built in --full-index on first use (about 12 minutes here: build it
once with `qa index ../shared/ofsted --corpus ../shared/ofsted --index DIR`). Prints hit@1, hit@3,
contains@1, F1@1, abstain, false abstain, calibration error, integrity and p50/p95 latency for each
file, then the risk-coverage curve over all of them, the reliability table of the score of each, and
the noisy questions by style.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.evaluate import (
    evaluate,
    format_by_style,
    format_reliability,
    format_risk_coverage,
    load_questions,
    reliability,
    risk_coverage,
)
from qa.noise import noisy
from qa.pipeline import QA
from qa.runtime import cpu_description

SHARED = Path(__file__).resolve().parents[2] / "shared"


def run(settings: Settings, questions: Path, embedder=None, noisy_too: bool = False) -> tuple[QA, dict]:
    qa = QA(settings, embedder)
    if not qa.index_exists():
        print(f"building the index of {settings.corpus}/ in {settings.index}/ ...", flush=True)
        qa.refresh(progress=True)
    items = load_questions(questions)
    return qa, evaluate(qa, items), evaluate(qa, [noisy(item) for item in items]) if noisy_too else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full-index", type=Path, default=Path("../full-index"))
    parser.add_argument("--eval", type=Path, default=SHARED / "eval")
    parser.add_argument("--questions", type=Path, default=SHARED / "ofsted-qa" / "dev.jsonl")
    parser.add_argument("--json", type=Path, help="also write every question's record here")
    args = parser.parse_args()
    print(f"CPU: {cpu_description()}")
    base = Settings.load()
    results = {}
    with tempfile.TemporaryDirectory() as shipped_index:
        qa, results["dev.jsonl"], _ = run(base.with_changes(index=Path(shipped_index)), args.eval / "dev.jsonl")
        full = base.with_changes(corpus=SHARED / "ofsted", index=args.full_index)
        _, results["dev_ofsted.jsonl"], _ = run(full, args.eval / "dev_ofsted.jsonl", qa.embedder)
        _, results["ofsted-qa/dev.jsonl"], results["ofsted-qa noisy"] = run(full, args.questions, qa.embedder, True)
    keys = list(results["dev.jsonl"]["summary"])
    print(f"{'':>17}  " + "  ".join(f"{name:>19}" for name in results))
    for key in keys:
        print(f"{key:>17}  " + "  ".join(f"{str(r['summary'][key]):>19}" for r in results.values()))
    records = [record for result in results.values() for record in result["questions"]]
    print("\nrisk-coverage (all four):")
    print(format_risk_coverage(risk_coverage(records, np.arange(0.0, 1.0001, 0.05))))
    for name, result in results.items():
        print(f"\nreliability of the score, {name}:")
        print(format_reliability(*reliability(result["questions"])))
    print("\nofsted-qa/dev.jsonl as people type it, by style:")
    print(format_by_style(results["ofsted-qa noisy"]["questions"]))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
