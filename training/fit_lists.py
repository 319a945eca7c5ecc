"""Measure how often answers from a report's structure (qa.answer.from_lists) are right on the training
questions, as written and as people type them, and write the scores that say so into
qa/models/scorer.json ("lists"): the share right of whole lists, of inspectors' names and of
initials spelt out (by the rule of succession, so a few questions all right are not a certainty),
and a logistic model of an item's chance of being right from its similarity to the question and its lead
over the next item. Prints the figures it fitted on.

    python training/fit_lists.py --corpus ../shared/ofsted --index ../full-index
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from qa.answer.filters import without_scope
from qa.answer.from_lists import reports_asked
from qa.answer.read import SCORER
from qa.config import Settings
from qa.evaluate import Reports, fold, holds_evidence, load_questions
from qa.ofsted.sections import improvements
from qa.pipeline import QA

HERE = Path(__file__).resolve().parent
QUESTIONS = (HERE.parent.parent / "shared" / "ofsted-qa" / "train.jsonl", HERE / "noisy" / "train.jsonl")
# How strongly the item model's weights are pulled towards zero (few questions).
L2 = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="*", default=list(QUESTIONS))
    arguments = parser.parse_args()
    qa = QA(Settings.load().with_changes(corpus=arguments.corpus, index=arguments.index))
    store = qa.store
    reports = Reports(entry.document for entry in store.entries.values())
    whole, items, names, initials = [], [], [], []
    for path in arguments.questions:
        for question in load_questions(path):
            if question["unanswerable"] or question["history"]:
                continue
            query = qa.understand(store, question["question"])
            scope = qa.scope(store, query)
            search = without_scope(query.asked, scope)
            if query.inspectors and (found := qa.structure.inspectors(store, query, scope)):
                names.append(right(found[0], question, reports))
            elif query.initials and (found := qa.structure.spelt_out(store, query, scope)):
                initials.append(right(found[0], question, reports))
            elif query.must_improve and (found := qa.structure.must_improve(store, query, scope, search, 1)):
                if query.listing != "item":
                    whole.append(right(found[0], question, reports))
                    continue
                ranked = qa.structure.ranked_items(
                    [d for d in reports_asked(store, query, scope) if improvements(d)], search)
                lead = ranked[0][2] - ranked[1][2] if len(ranked) > 1 else ranked[0][2]
                items.append((ranked[0][2], lead, right(found[0], question, reports)))
    weights, bias = fit_logistic(np.array([[s, lead] for s, lead, _ in items]), np.array([r for *_, r in items]))
    lists = {"whole": share(whole), "item_weights": [round(float(w), 4) for w in weights],
             "item_bias": round(float(bias), 4), "inspectors": share(names), "initials": share(initials)}
    print(f"whole lists: {len(whole)} questions, {np.mean(whole):.3f} right")
    print(f"items on a topic: {len(items)} questions, {np.mean([r for *_, r in items]):.3f} right")
    print(f"inspectors: {len(names)} questions, {np.mean(names):.3f} right")
    print(f"initials spelt out: {len(initials)} questions, {np.mean(initials):.3f} right")
    data = json.loads(SCORER.read_text(encoding="utf-8"))
    data["lists"] = lists
    SCORER.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(lists))


def share(rights: list[bool]) -> float:
    """The chance that the next such answer is right: Laplace's rule of succession, (right + 1) /
    (questions + 2), never a certainty from a few questions all right."""
    return round((sum(rights) + 1) / (len(rights) + 2), 4)


def right(answer, question: dict, reports: Reports) -> bool:
    """As `qa eval` counts right@1: the paragraph holds the evidence, or the answer holds the gold
    words and comes from the question's report."""
    return holds_evidence(answer, question.get("evidence") or "") or (
        reports.same(answer.citation.doc_id, question.get("file")) is not False
        and any(fold(gold) in fold(answer.text) for gold in question["answers"]))


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 5000, rate: float = 0.5) -> tuple[np.ndarray, float]:
    """Weights and bias of a logistic regression (L2-penalised weights), by gradient descent."""
    weights, bias = np.zeros(x.shape[1]), 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
        weights -= rate * (x.T @ (p - y) / len(y) + L2 * weights / len(y))
        bias -= rate * float(np.mean(p - y))
    return weights, bias


if __name__ == "__main__":
    main()
