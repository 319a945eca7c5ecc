"""Fit the answer scorer on the held-out training authorities: the ranking of spans across
passages, its calibration into the probability of being right, the "not found" threshold, and the
measured accuracy of front-page answers.

    python training/fit_scorer.py --full-index DIR [--reader DIR] [--cache FILE] [--questions FILE]
                                  [--tidy-only] [--write]

The questions are those of `../shared/ofsted-qa/train.jsonl`, asked of the full collection (its
index in --full-index), each as written and as people type it (its noisy variant, `qa.noise`; not
with --tidy-only), so that a score means the same on both; the dev files stay for measuring. The
reader's spans are taken only from questions whose authorities are held out of its training
(`ofsted_questions.held_out`); front-page answers, which no trained model gives, are measured on
all of them. Every
span the reader marks is labelled right when its paragraph holds the question's evidence (never
for an unanswerable question). Question
files from users' feedback (`qa feedback export`, with --questions) join them: their right answers
label as the others do, and an answer said to be wrong is a span labelled wrong.

The ranking is a logistic model over `qa.answer.read.FEATURES`; the calibration a logistic model over
the best span's `qa.answer.read.CALIBRATION` row. Both are fitted out of fold (5 folds by authority) to
give the risk-coverage curve and the reliability table, and the threshold is the highest whose
out-of-fold false abstention is at most 0.05. --write stores the fit in `qa/models/scorer.json`.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ofsted_questions as oq  # noqa: E402

from qa.answer.filters import without_scope  # noqa: E402
from qa.answer.read import (  # noqa: E402
    CALIBRATION,
    FEATURES,
    FRONT_PAGE,
    LEAST_SIMILARITY,
    SCORER,
    Scorer,
    calibration_rows,
    front_page_group,
    question_row,
)
from qa.answer.ways.front_page import citations  # noqa: E402
from qa.config import Settings  # noqa: E402
from qa.evaluate import (  # noqa: E402
    Reports,
    chat_history,
    evidence_key,
    fold,
    format_reliability,
    format_risk_coverage,
    holds_evidence,
    load_questions,
    overlaps,
    reliability,
    risk_coverage,
)
from qa.noise import noisy  # noqa: E402
from qa.pipeline import QA  # noqa: E402

FOLDS = 5
MAX_FALSE_ABSTAIN = 0.05


def collect(qa: QA, items: list[dict]) -> tuple[list[dict], list[bool]]:
    """Per question answered by the reader: its span features and labels; and for each question
    answered from a front page, its FRONT_PAGE group and whether that answer was right."""
    store, rows, front_page = qa.store, [], []
    reports = Reports(entry.document for entry in store.entries.values())
    began = time.time()
    for number, item in enumerate(items, 1):
        asked = qa.asked(item["question"], chat_history(qa, item.get("history") or []), top_k=1)
        query, scope = asked.query, asked.scope
        unanswerable = bool(item.get("unanswerable"))
        evidence = evidence_key(item.get("evidence") or "")
        if qa.structure.inspectors(store, query, scope) or qa.structure.must_improve(
                store, query, scope, without_scope(query.asked, scope), 1):
            continue  # answered from the report's structure (training/fit_lists.py measures those)
        answers = citations(asked)
        if answers:
            # The value as printed: right when it is the gold value, or cited where the evidence is.
            front_page.append((front_page_group(query.judgement), not unanswerable and (
                holds_evidence(answers[0], item.get("evidence") or "")
                or any(fold(answers[0].text) == fold(gold) for gold in item["answers"]))))
            continue
        if not item.get("asked_by_users") and not oq.held_out(item):
            continue  # the reader was trained on this authority's questions: its spans would flatter it
        _, _, passages = qa.search(store, query, scope)
        candidates = qa.reader.candidates(store, query, passages)
        if item.get("wrong") and not item.get("answers"):
            # Known only by answers users said are wrong: those spans, if the reader still gives them.
            candidates = said_wrong(candidates, item["wrong"])
            if not candidates:
                continue
        # Right as `qa eval` counts right@1: the paragraph holds the evidence, or the span holds the
        # gold words and comes from the question's report.
        labels = [not unanswerable and (bool(evidence) and evidence in evidence_key(
            c.document.text[c.document.paragraphs[c.paragraph].start:c.document.paragraphs[c.paragraph].end])
            or reports.same(c.document.doc_id, item.get("file")) is not False
            and any(fold(gold) in fold(c.document.text[c.start:c.end]) for gold in item["answers"]))
            for c in candidates]
        rows.append({"id": item["id"], "authority": oq.authority(item), "unanswerable": unanswerable,
                     "question": question_row(query),
                     "features": np.array([c.features for c in candidates]).reshape(-1, len(FEATURES)),
                     "labels": np.array(labels, dtype=bool)})
        if number % 100 == 0:
            print(f"{number}/{len(items)} questions, {time.time() - began:.0f} s", flush=True)
    return rows, front_page


def front_page_shares(results: list[tuple[str, bool]]) -> dict[str, float]:
    """The chance that a front-page answer of each FRONT_PAGE group is right: (right + 1) / (asked + 2)."""
    shares = {}
    for group in FRONT_PAGE:
        right = [ok for name, ok in results if name == group]
        shares[group] = round((sum(right) + 1) / (len(right) + 2), 4)
    return shares


def said_wrong(candidates: list, wrong: list[dict]) -> list:
    """The candidates that overlap an answer said to be wrong (same report, overlapping offsets)."""
    return [c for c in candidates if any(overlaps(c.document.doc_id, c.start, c.end, w) for w in wrong)]


def fit(rows: list[dict], front_page: dict[str, float]) -> Scorer:
    features = np.vstack([r["features"] for r in rows])
    labels = np.concatenate([r["labels"] for r in rows])
    ranking = LogisticRegression(C=1.0, max_iter=1000).fit(features, labels)
    ranked = Scorer(ranking.coef_[0], float(ranking.intercept_[0]), np.zeros(len(CALIBRATION)), 0.0, front_page)
    tops = [top(ranked, r) for r in rows]
    calibration = LogisticRegression(C=10.0, max_iter=1000).fit(
        np.array([row for row, _ in tops]), np.array([right for _, right in tops]))
    return Scorer(ranked.weights, ranked.bias, calibration.coef_[0], float(calibration.intercept_[0]), front_page)


def top(scorer: Scorer, row: dict) -> tuple[np.ndarray, bool]:
    """The calibration row of the span the reader would answer with, and whether it is right."""
    if len(row["features"]) == 0:  # nothing read: as far from an answer as it gets
        return np.concatenate([[-20.0, -20.0, 0.0], row["question"]]), False
    logits = scorer.logits(row["features"])
    best = int(np.argmax(logits))
    return calibration_rows(logits, row["features"], row["question"])[best], bool(row["labels"][best])


def records(scorer: Scorer, rows: list[dict]) -> list[dict]:
    """What `qa.evaluate.risk_coverage` and `reliability` read, one per question."""
    found = []
    for row in rows:
        features, right = top(scorer, row)
        score = 1.0 / (1.0 + np.exp(-(features @ scorer.calibration + scorer.calibration_bias)))
        found.append({"score": float(score) if len(row["features"]) else None,
                      "unanswerable": row["unanswerable"], "candidate_right": right})
    return found


def out_of_fold(rows: list[dict], front_page: dict[str, float]) -> list[dict]:
    authorities = sorted({r["authority"] for r in rows})
    fold_of = {name: i % FOLDS for i, name in enumerate(np.random.default_rng(13).permutation(authorities))}
    found: list[dict] = []
    for part in range(FOLDS):
        scorer = fit([r for r in rows if fold_of[r["authority"]] != part], front_page)
        found += records(scorer, [r for r in rows if fold_of[r["authority"]] == part])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full-index", type=Path, required=True)
    parser.add_argument("--reader", default="builtin", help="the span reader to fit for (default: the shipped one)")
    parser.add_argument("--cache", type=Path, help="keep the collected features here and reuse them")
    parser.add_argument("--write", action="store_true", help=f"store the result in {SCORER}")
    parser.add_argument("--tidy-only", action="store_true",
                        help="the questions as written only, not their noisy variants")
    parser.add_argument("--questions", type=Path, action="append", default=[],
                        help="more questions over the full collection, e.g. `qa feedback export`'s file "
                             "(repeatable); they join the held-out questions")
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        rows, front_page = pickle.loads(args.cache.read_bytes())
    else:
        settings = Settings.load().with_changes(corpus=oq.QUESTIONS.parent / "ofsted", index=args.full_index,
                                                reader=args.reader)
        items = oq.load()
        if not args.tidy_only:
            items += [noisy(item) for item in items]
        items += [item | {"asked_by_users": True} for path in args.questions for item in load_questions(path)]
        rows, front_page = collect(QA(settings), items)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((rows, front_page)))
    front_page_right = front_page_shares(front_page)
    similarities = [r["features"][r["labels"], FEATURES.index("similarity")].max() for r in rows if r["labels"].any()]
    print(f"the least similar right passage: {min(similarities, default=0.0):.3f} "
          f"(qa.answer.read.LEAST_SIMILARITY {LEAST_SIMILARITY})")
    print(f"{len(rows)} questions for the reader ({sum(r['unanswerable'] for r in rows)} unanswerable, "
          f"{sum(bool(r['labels'].any()) for r in rows)} with a right span among those read); "
          f"{len(front_page)} answered from a front page, right (rule of succession): "
          + ", ".join(f"{group} {share:.3f}" for group, share in front_page_right.items()))
    found = out_of_fold(rows, front_page_right)
    answerable = [r for r in found if not r["unanswerable"]]
    print(f"out-of-fold right@1 {np.mean([r['candidate_right'] for r in answerable]):.3f}")
    table = risk_coverage(found, np.arange(0.0, 1.0001, 0.025))
    print(format_risk_coverage(table))
    bins, error = reliability(found)
    print(format_reliability(bins, error))
    allowed = [row for row in table if row["false_abstain"] <= MAX_FALSE_ABSTAIN]
    chosen = max(allowed, key=lambda row: row["threshold"])
    scorer = fit(rows, front_page_right)
    print(f"threshold {chosen['threshold']}: abstain {chosen['abstain']:.3f}, false abstain "
          f"{chosen['false_abstain']:.3f} (out of fold)")
    print("ranking: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(FEATURES, scorer.weights, strict=True))
          + f", bias {scorer.bias:+.2f}")
    print("calibration: " + ", ".join(f"{n} {w:+.2f}" for n, w in zip(CALIBRATION, scorer.calibration, strict=True))
          + f", bias {scorer.calibration_bias:+.2f}")
    if args.write:
        kept = {key: value for key, value in json.loads(SCORER.read_text(encoding="utf-8")).items()
                if key == "lists"}  # training/fit_lists.py's
        SCORER.write_text(json.dumps({
            "weights": dict(zip(FEATURES, map(float, scorer.weights), strict=True)), "bias": scorer.bias,
            "calibration": dict(zip(CALIBRATION, map(float, scorer.calibration), strict=True)),
            "calibration_bias": scorer.calibration_bias, "front_page": front_page_right,
            "threshold": chosen["threshold"], "questions": len(rows) + len(front_page),
            "out_of_fold": {key: round(chosen[key], 3) for key in ("abstain", "false_abstain", "coverage", "risk")}
            | {"calibration_error": error},
        } | kept, indent=2) + "\n")
        print(f"wrote {SCORER}")


if __name__ == "__main__":
    main()
