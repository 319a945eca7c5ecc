"""Fit the answer scorer: logistic weights that turn a sentence's features into the probability
that it answers the question, and the "not found" threshold from its risk-coverage curve.

    python training/fit_scorer.py --full-index DIR [--questions training/questions] [--write]

The questions are our own held-out sets in `training/questions/` (never the `../shared/eval` dev
files, which stay for measuring): `*_seeds.jsonl` are asked of the shipped corpus and
`*_ofsted.jsonl` of the full collection (its index in --full-index). Every sentence the reader
would consider is labelled: it answers when it holds a gold answer inside the paragraph that holds
the evidence; unanswerable questions have none. The threshold is chosen on out-of-fold
probabilities (5 folds by question): the highest one whose false abstention is at most 0.05.
--write stores the weights and threshold in `qa/models/scorer.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.config import Settings  # noqa: E402
from qa.evaluate import evidence_key, format_risk_coverage, load_questions, risk_coverage  # noqa: E402
from qa.judgements import judgement_asked  # noqa: E402
from qa.pipeline import QA  # noqa: E402
from qa.read import FEATURES, SCORER, SENTENCES_EMBEDDED, Scorer  # noqa: E402

SHARED = Path(__file__).resolve().parents[2] / "shared"
FOLDS = 5
MAX_FALSE_ABSTAIN = 0.05


def question_rows(qa: QA, item: dict) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of every sentence the reader considers for one question."""
    store = qa.store
    scope = qa.scope(store, item["question"], item["history"])
    search, vector, passages = qa.search(store, item["question"], item["history"], scope)
    candidates = qa.reader.candidates(store, passages)
    if not candidates:
        return np.zeros((0, len(FEATURES))), np.zeros(0)
    features = qa.reader.features(store, search, candidates, vector)
    evidence = evidence_key(item.get("evidence") or "")
    golds = [evidence_key(answer) for answer in item["answers"]]
    labels = []
    for candidate in candidates:
        paragraph = candidate.document.paragraphs[candidate.paragraph]
        in_paragraph = evidence in evidence_key(candidate.document.text[paragraph.start:paragraph.end])
        sentence = evidence_key(candidate.text)
        labels.append(float(not item["unanswerable"] and in_paragraph and any(g in sentence for g in golds)))
    return features, np.array(labels)


def collect(folder: Path, full_index: Path) -> list[tuple[str, np.ndarray, np.ndarray, bool]]:
    """(question id, features, labels, unanswerable) for every question that the reader answers
    (front-page facts and grades are answered without it)."""
    settings = Settings.load()
    rows = []
    with tempfile.TemporaryDirectory() as shipped:
        seeds = QA(settings.with_changes(index=Path(shipped)))
        seeds.refresh()
        full = QA(settings.with_changes(corpus=SHARED / "ofsted", index=full_index), seeds.embedder)
        for path in sorted(folder.glob("*.jsonl")):
            qa = seeds if path.stem.endswith("_seeds") else full
            for item in load_questions(path):
                if judgement_asked(item["question"]):
                    continue
                features, labels = question_rows(qa, item)
                rows.append((item.get("id") or item["question"], features, labels, item["unanswerable"]))
    return rows


# The sentence ranking chosen by hand on the dev scorecard: similarity, passage similarity and the
# share of the question's rare words, and a penalty for a report that lacks a name the question asks
# about. A ranking fitted on the held-out questions (--fit-ranking) ranked worse on the dev files.
HAND_RANKING = {"similarity": 0.4, "passage": 0.2, "coverage": 0.4, "name_missing": -0.25}


def ranking(rows, strength: float | None) -> np.ndarray:
    """The hand ranking, or one fitted to `rows` when `strength` is given."""
    if strength is not None:
        return fit_ranking(rows, strength)
    return np.array([HAND_RANKING.get(name, 0.0) for name in FEATURES])


def fit_ranking(rows, strength: float) -> np.ndarray:
    """Weights of a conditional logit: for each answerable question, the softmax over its candidate
    sentences should put its mass on the right ones (L2 penalty `strength`)."""
    groups = [(features, labels > 0) for _, features, labels, _ in rows if labels.any()]

    def loss(weights):
        total, gradient = strength * weights @ weights, 2 * strength * weights
        for features, right in groups:
            logits = features @ weights
            logits -= logits.max()
            every = np.exp(logits)
            p_all = every / every.sum()
            p_right = every[right] / every[right].sum()
            total -= np.log(every[right].sum() / every.sum())
            gradient -= features[right].T @ p_right - features.T @ p_all
        return total, gradient

    return minimize(loss, np.zeros(len(FEATURES)), jac=True, method="L-BFGS-B").x


def fit_scorer(rows, strength: float | None) -> Scorer:
    """The ranking (hand or fitted), Platt-scaled on the `rows` questions' top sentences so that a
    sentence's probability is the chance that it is right."""
    ranked = Scorer(ranking(rows, strength), 0.0)
    top = [top_sentence(ranked, features, labels) for _, features, labels, _ in rows]
    model = LogisticRegression(C=100.0).fit(np.array([[logit] for logit, _ in top]), [right for _, right in top])
    scale = float(model.coef_[0, 0])
    return Scorer(ranked.weights * scale, float(model.intercept_[0]))


def top_sentence(scorer: Scorer, features: np.ndarray, labels: np.ndarray) -> tuple[float, bool]:
    """The logit of the sentence the reader would answer with (the best of those it embeds) and
    whether it is right."""
    if len(features) == 0:
        return -np.inf, False
    keep = scorer.shortlist(features, SENTENCES_EMBEDDED)
    logits = scorer.logits(features[keep])
    return float(logits.max()), bool(labels[keep[int(np.argmax(logits))]])


def out_of_fold(rows, strength: float | None) -> list[dict]:
    """For each question, scored by a scorer fitted without its fold: the records that
    `qa.evaluate.risk_coverage` reads (score, unanswerable, whether the top sentence is right)."""
    order = np.random.default_rng(13).permutation(len(rows))
    records: list[dict] = [{}] * len(rows)  # every one replaced below
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS].tolist())
        scorer = fit_scorer([r for i, r in enumerate(rows) if i not in held], strength)
        for i in held:
            _, features, labels, unanswerable = rows[i]
            logit, right = top_sentence(scorer, features, labels)
            records[i] = {"score": float(1 / (1 + np.exp(-logit))), "unanswerable": unanswerable,
                          "candidate_hit1": right}
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full-index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=Path(__file__).resolve().parent / "questions")
    parser.add_argument("--fit-ranking", type=float, metavar="L2", help="fit the ranking weights too, with this "
                        "L2 penalty (0.1 is reasonable), instead of keeping the hand ranking")
    parser.add_argument("--write", action="store_true", help=f"store the result in {SCORER}")
    args = parser.parse_args()
    rows = collect(args.questions, args.full_index)
    positives = sum(int(r[2].sum() > 0) for r in rows)
    print(f"{len(rows)} questions ({sum(r[3] for r in rows)} unanswerable, {positives} with a right "
          f"sentence among the candidates), {sum(len(r[1]) for r in rows)} sentences")
    records = out_of_fold(rows, args.fit_ranking)
    answerable = [record for record in records if not record["unanswerable"]]
    print(f"out-of-fold right@1 {np.mean([r['candidate_hit1'] for r in answerable]):.3f}")
    table = risk_coverage(records, np.arange(0.0, 1.0001, 0.025))
    print(format_risk_coverage(table))
    allowed = [row for row in table if row["false_abstain"] <= MAX_FALSE_ABSTAIN]
    chosen = max(allowed, key=lambda row: row["threshold"])
    scorer = fit_scorer(rows, args.fit_ranking)
    print(f"threshold {chosen['threshold']}: abstain {chosen['abstain']:.3f}, false abstain "
          f"{chosen['false_abstain']:.3f} (out of fold)")
    print("weights: " + ", ".join(f"{name} {weight:+.2f}" for name, weight in zip(FEATURES, scorer.weights,
                                                                              strict=True))
          + f", bias {scorer.bias:+.2f}")
    if args.write:
        SCORER.write_text(json.dumps({
            "weights": dict(zip(FEATURES, map(float, scorer.weights), strict=True)), "bias": scorer.bias,
            "threshold": chosen["threshold"], "questions": len(rows),
            "ranking": "hand" if args.fit_ranking is None else f"fitted, L2 {args.fit_ranking}",
            "out_of_fold": {key: round(chosen[key], 3) for key in ("abstain", "false_abstain", "coverage", "risk")},
        }, indent=2) + "\n")
        print(f"wrote {SCORER}")


if __name__ == "__main__":
    main()
