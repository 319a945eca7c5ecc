"""The survey (one question asked of every report in scope): its time over every inspection of the
full collection, and how right its rows are, report by report, on ofsted-qa/dev.jsonl.

    python bench/survey.py --full-index DIR [--question Q] [--shared ../shared]

Time: the question asked of every inspection (one row per inspection; PDF twins count once), on
this machine's cores. Rows: each answerable dev question asked of its gold report alone (right: the
row's paragraph holds the evidence; not found when the row has no answer), each unanswerable one of
its authority's reports; then the reliability of the answered rows' scores.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from qa.answer.filters import Filters
from qa.config import Settings
from qa.evaluate import evidence_key, format_reliability, reliability
from qa.pipeline import QA
from qa.research.survey import survey

SHARED = Path(__file__).resolve().parents[2] / "shared"
QUESTION = "What do the inspections say about the sufficiency of homes for children in care?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full-index", type=Path, required=True)
    parser.add_argument("--question", default=QUESTION)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    qa = QA(Settings.load(corpus=args.shared / "ofsted", index=args.full_index))
    qa.warm_up()
    began = time.perf_counter()
    total, rows = survey(qa, args.question, Filters(kind="inspection"))
    rows = list(rows)
    seconds = time.perf_counter() - began
    print(f"{args.question!r}: {total} inspections in {seconds:.1f} s ({seconds / total * 1000:.0f} ms each), "
          f"{sum(row.answer is not None for row in rows)} answered")

    store = qa.store
    by_source = {entry.document.source: entry.document for entry in store.entries.values()}
    records = []
    for line in (args.shared / "ofsted-qa" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item.get("history"):
            continue  # a survey asks each question on its own
        gold = by_source.get(item.get("file", ""))
        if gold is None:
            continue
        unanswerable = bool(item.get("unanswerable")) or not item.get("answers")
        _, found = survey(qa, item["question"], Filters(authority=gold.authority))
        for row in found:
            if not unanswerable and row.doc_id != gold.doc_id:
                continue
            right = bool(row.answer) and evidence_key(item.get("evidence", "")) in evidence_key(
                row.answer.citation.paragraph) if not unanswerable else False
            # Only answered rows show an answer with its score: the reliability is theirs.
            records.append({"unanswerable": unanswerable, "answered": row.answer is not None,
                            "score": row.score if row.answer else None, "candidate_right": right, "hit1": right})
            if not unanswerable:
                break
    answerable = [r for r in records if not r["unanswerable"]]
    others = [r for r in records if r["unanswerable"]]
    print(f"\nrows of gold reports ({len(answerable)} questions): right {_share(answerable, 'hit1')}, "
          f"not found {_share(answerable, 'answered', negate=True)}")
    print(f"rows of unanswerable questions' reports ({len(others)} rows): not found "
          f"{_share(others, 'answered', negate=True)}")
    print("\nreliability of the answered rows' scores:")
    print(format_reliability(*reliability(records)))


def _share(records: list[dict], key: str, negate: bool = False) -> str:
    if not records:
        return "-"
    return f"{sum(bool(r[key]) != negate for r in records) / len(records):.3f}"


if __name__ == "__main__":
    main()
