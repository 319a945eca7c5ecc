"""Score the system against a question file (format: shared/eval/README.md)."""

from __future__ import annotations

import collections
import json
import re
import string
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from qa.errors import QAError
from qa.types import Answer, Document, Reply, Turn

_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"',
                       "–": "-", "—": "-", "‒": "-", "−": "-"})
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = set(string.punctuation)


def fold(text: str) -> str:
    """Lower-case, with curly quotes and dashes folded to ASCII."""
    return text.translate(_FOLD).lower()


def squad_normalize(text: str) -> str:
    """The official SQuAD v1.1 answer normalisation."""
    text = "".join(char for char in text.lower() if char not in _PUNCTUATION)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> float:
    return float(squad_normalize(prediction) == squad_normalize(gold))


def f1_score(prediction: str, gold: str) -> float:
    """SQuAD token F1."""
    predicted, expected = squad_normalize(prediction).split(), squad_normalize(gold).split()
    common = sum((collections.Counter(predicted) & collections.Counter(expected)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(predicted), common / len(expected)
    return 2 * precision * recall / (precision + recall)


def best(metric, prediction: str, golds: Iterable[str]) -> float:
    return max((metric(prediction, gold) for gold in golds), default=0.0)


def evidence_key(text: str) -> str:
    """Letters and digits only, lower-cased, so that cleaning does not change the comparison."""
    return "".join(char for char in fold(text) if char.isalnum())


def holds_evidence(answer: Answer, evidence: str) -> bool:
    return evidence_key(evidence) in evidence_key(answer.citation.paragraph)


def integrity(reply: Reply, texts: dict[str, str]) -> bool:
    """Every answer and closest passage is the exact slice its citation names."""
    for answer in (*reply.answers, *reply.closest):
        citation = answer.citation
        if citation.paragraph[citation.start:citation.end] != answer.text:
            return False
        if texts[citation.doc_id][citation.doc_start:citation.doc_end] != answer.text:
            return False
    return True


def load_questions(path: Path) -> list[dict]:
    """Read a JSONL question file, checking each line has what scoring needs."""
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise QAError(f"cannot read {path}: {error.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            raise QAError(f"{path}:{number}: not valid JSON ({error})") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise QAError(f"{path}:{number}: each line needs a 'question' string")
        item.setdefault("answers", [])
        item.setdefault("history", [])
        if not isinstance(item.get("wrong", []), list):
            raise QAError(f"{path}:{number}: 'wrong' must be a list of answers")
        # Only wrong answers are known (from feedback): not an unanswerable question.
        item["negative"] = not item["answers"] and bool(item.get("wrong")) and item.get("unanswerable") is False
        item["unanswerable"] = not item["negative"] and (bool(item.get("unanswerable")) or not item["answers"])
        items.append(item)
    return items


def chat_history(qa, questions: Iterable[str]) -> list[Turn]:
    """The turns a chat of `questions` gives: each asked after the ones before, with the words of
    the first answer it got and the report that answer cites."""
    history: list[Turn] = []
    for question in questions:
        said = qa.ask(question, history)
        first = said.answers[0] if said.answers else None
        history.append(Turn(question, first.text, first.citation.doc_id) if first else Turn(question))
    return history


def evaluate(qa, items: list[dict], progress=None) -> dict:
    """Ask every question (follow-ups after their history) and compute the scorecard."""
    qa.warm_up()
    texts = {doc_id: entry.document.text for doc_id, entry in qa.store.entries.items()}
    reports = Reports([entry.document for entry in qa.store.entries.values()])
    records = []
    for item in items:
        reply = qa.ask(item["question"], chat_history(qa, item["history"]))
        records.append(_score(item, reply, texts, reports))
        if progress:
            progress(records[-1])
    scored = [record for record in records if not record["negative"]]
    return {"summary": summarise(scored, records), "questions": scored,
            "negatives": [record for record in records if record["negative"]]}


class Reports:
    """Tells whether an answer comes from a question's report: the same report, or its twin (the
    same authority's report of the same kind and date, held as PDF and as text)."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.by_source = {document.source: document for document in documents}
        self.by_id = {document.doc_id: document for document in self.by_source.values()}

    def same(self, doc_id: str, source: str | None) -> bool | None:
        """Whether report `doc_id` is the one at `source` (None when that is not indexed)."""
        gold = self.by_source.get(source or "")
        if gold is None:
            return None
        found = self.by_id.get(doc_id)
        return found is not None and (found.doc_id == gold.doc_id or (
            found.authority, found.kind, found.date) == (gold.authority, gold.kind, gold.date) and bool(gold.date))


def _score(item: dict, reply: Reply, texts: dict[str, str], reports: Reports) -> dict:
    record = {"id": item.get("id"), "question": item["question"], "unanswerable": item["unanswerable"],
              "style": item.get("style"),
              "answered": reply.answered, "took_ms": reply.took_ms, "integrity": integrity(reply, texts),
              "answer": reply.answers[0].text if reply.answers else None,
              "score": reply.answers[0].score if reply.answers else
              (reply.closest[0].score if reply.closest else None), "negative": item["negative"]}
    if item.get("wrong"):
        first = reply.answers[0].citation if reply.answers else None
        record["wrong_again"] = first is not None and any(
            overlaps(first.doc_id, first.doc_start, first.doc_end, wrong) for wrong in item["wrong"])
    if not item["unanswerable"] and not item["negative"]:
        first = reply.answers[:1]
        evidence = item.get("evidence") or ""
        best_passage = (reply.answers or reply.closest)[:1]

        def right(answers: tuple[Answer, ...]) -> bool:
            """The paragraph holds the evidence, or the answer holds the gold words and comes from
            the question's report."""
            return any(holds_evidence(a, evidence) or reports.same(a.citation.doc_id, item.get("file")) is not False
                       and any(fold(gold) in fold(a.text) for gold in item["answers"]) for a in answers)

        record.update(
            # Whether the best passage, answered or not, was right: what a lower threshold would give.
            candidate_hit1=any(holds_evidence(a, evidence) for a in best_passage),
            candidate_right=right(best_passage),
            right_report=any(reports.same(a.citation.doc_id, item.get("file")) is not False for a in best_passage),
            right1=right(first),
            hit1=any(holds_evidence(a, evidence) for a in first),
            # The three passages an answered reply shows first: its answers, then the closest ones.
            hit3=reply.answered and any(holds_evidence(a, evidence) for a in (*reply.answers, *reply.closest)[:3]),
            contains1=any(fold(gold) in fold(a.text) for a in first for gold in item["answers"]),
            f1=best(f1_score, fold(first[0].text), map(fold, item["answers"])) if first else 0.0)
    record["right_answer"] = reply.answered and bool(record.get("right1"))
    return record


def overlaps(doc_id: str, start: int, end: int, wrong: dict) -> bool:
    """Whether the span `start:end` of report `doc_id` overlaps an answer said to be wrong (a
    question file's `wrong` item: same report, overlapping offsets)."""
    return doc_id == wrong.get("doc_id") and start < wrong.get("doc_end", -1) and wrong.get("doc_start", -1) < end


def summarise(records: list[dict], everything: list[dict] | None = None) -> dict:
    """The scorecard of `records`; with `everything` (records of questions known only by their
    wrong answers included), also how often an answer said to be wrong comes back."""
    answerable = [r for r in records if not r["unanswerable"]]
    unanswerable = [r for r in records if r["unanswerable"]]

    def mean(rows, key):
        return round(float(np.mean([float(r[key]) for r in rows])), 3) if rows else None

    latencies = [r["took_ms"] for r in records]
    return {
        "questions": len(records),
        "right@1": mean(answerable, "right1"),
        "report@1": mean(answerable, "right_report"),
        "hit@1": mean(answerable, "hit1"),
        "hit@3": mean(answerable, "hit3"),
        "contains@1": mean(answerable, "contains1"),
        "F1@1": mean(answerable, "f1"),
        "abstain": round(float(np.mean([not r["answered"] for r in unanswerable])), 3) if unanswerable else None,
        "false_abstain": round(float(np.mean([not r["answered"] for r in answerable])), 3) if answerable else None,
        # Of the questions answered, the share whose first answer is right.
        "answers_right": mean([r for r in records if r["answered"]], "right_answer"),
        "calibration_error": reliability(records)[1] if records else None,
        "integrity": mean(records, "integrity"),
        "p50_ms": round(float(np.percentile(latencies, 50)), 1) if latencies else None,
        "p95_ms": round(float(np.percentile(latencies, 95)), 1) if latencies else None,
        "wrong_again": mean([r for r in everything or records if "wrong_again" in r], "wrong_again"),
    }


def risk_coverage(records: list[dict], thresholds: Iterable[float]) -> list[dict]:
    """For each score threshold: the share of questions answered (coverage), the share of those
    answers that are wrong (risk: an unanswerable question answered, or the wrong paragraph cited),
    and abstain / false abstain as the scorecard counts them."""
    unanswerable = np.array([r["unanswerable"] for r in records], dtype=bool)
    right = np.array([not r["unanswerable"] and r["candidate_right"] for r in records], dtype=bool)
    scores = np.array([-np.inf if r["score"] is None else r["score"] for r in records])
    rows = []
    for threshold in thresholds:
        answered = scores >= threshold
        rows.append({
            "threshold": round(float(threshold), 3),
            "coverage": round(float(answered.mean()), 3),
            "risk": round(float((answered & ~right).sum() / answered.sum()), 3) if answered.any() else 0.0,
            "abstain": round(float((~answered[unanswerable]).mean()), 3) if unanswerable.any() else None,
            "false_abstain": round(float((~answered[~unanswerable]).mean()), 3)
            if (~unanswerable).any() else None,
        })
    return rows


def reliability(records: list[dict], bins: int = 10) -> tuple[list[dict], float]:
    """The reliability table of the first answer's score (ten bins of width 0.1: how many
    questions, their mean score, and the share whose best passage was right) and the expected
    calibration error (the bins' |right - score| weighted by their size)."""
    scored = [r for r in records if r.get("score") is not None]
    scores = np.array([r["score"] for r in scored], dtype=np.float64)
    right = np.array([not r["unanswerable"] and bool(r.get("candidate_right")) for r in scored], dtype=bool)
    where = np.minimum((scores * bins).astype(int), bins - 1)
    rows, error = [], 0.0
    for b in range(bins):
        inside = where == b
        if not inside.any():
            rows.append({"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "questions": 0, "score": None, "right": None})
            continue
        score, share = float(scores[inside].mean()), float(right[inside].mean())
        error += inside.sum() / len(scores) * abs(share - score)
        rows.append({"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "questions": int(inside.sum()),
                     "score": round(score, 3), "right": round(share, 3)})
    return rows, round(error, 3)


def format_reliability(rows: list[dict], error: float) -> str:
    """The reliability table with its expected calibration error."""
    lines = [f"{'score':>9} {'questions':>10} {'mean score':>11} {'right':>6}"]
    for row in rows:
        lines.append(f"{row['bin']:>9} {row['questions']:>10} {_or_dash(row['score']):>11} {_or_dash(row['right']):>6}")
    lines.append(f"expected calibration error {error:.3f}")
    return "\n".join(lines)


def format_risk_coverage(rows: list[dict]) -> str:
    """The risk-coverage rows as a table."""
    lines = [f"{'threshold':>10} {'coverage':>9} {'risk':>6} {'abstain':>8} {'false abst.':>12}"]
    for row in rows:
        lines.append(f"{row['threshold']:>10.3f} {row['coverage']:>9.3f} {row['risk']:>6.3f} "
                     f"{_or_dash(row['abstain']):>8} {_or_dash(row['false_abstain']):>12}")
    return "\n".join(lines)


def _or_dash(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_side_by_side(results: dict[str, dict]) -> str:
    """The scorecards of several runs (tidy and noisy questions), one column each."""
    keys = list(next(iter(results.values()))["summary"])
    lines = [f"{'':>17}" + "".join(f"{name:>12}" for name in results)]
    for key in keys:
        lines.append(f"{key:>17}" + "".join(f"{str(result['summary'][key]):>12}" for result in results.values()))
    return "\n".join(lines)


def format_by_style(records: list[dict]) -> str:
    """right@1 of the answerable questions and the share answered of the unanswerable, by style."""
    lines = [f"{'style':>12} {'questions':>10} {'right@1':>8} {'abstain':>8}"]
    for style in sorted({r.get("style") or "-" for r in records}):
        rows = [r for r in records if (r.get("style") or "-") == style]
        answerable = [r for r in rows if not r["unanswerable"]]
        unanswerable = [r for r in rows if r["unanswerable"]]
        right = np.mean([r["right1"] for r in answerable]) if answerable else None
        abstain = np.mean([not r["answered"] for r in unanswerable]) if unanswerable else None
        lines.append(f"{style:>12} {len(rows):>10} {_or_dash(right):>8} {_or_dash(abstain):>8}")
    return "\n".join(lines)
