"""Questions about many authorities, against the third-party judgements table.

    python bench/aggregates.py --full-index DIR [--shared ../shared]

For each publication year the table covers and each grade, asks "Which local authorities were
judged GRADE overall in inspections published in YEAR?" of the full collection's index and compares
the authorities answered with the table's (F1 of the two sets). The table has its own extraction
errors and covers only the current framework (ILACS, from 2018), so reports of the older framework
(SIF) are left out of the comparison, and a difference is not always ours.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from qa.config import Settings
from qa.ofsted.authorities import canonical
from qa.ofsted.metadata import GRADES
from qa.pipeline import QA

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full-index", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args()
    ofsted = args.shared / "ofsted"
    qa = QA(Settings.load(corpus=ofsted, index=args.full_index))
    with open(ofsted / "ilacs_history_judgements.csv", encoding="utf-8") as handle:
        table = [(2000 + int(row["publication_date"].split("/")[2][-2:]), canonical(row["local_authority"]),
                  row["overall_effectiveness_grade"]) for row in csv.DictReader(handle)]
    scores, slowest = [], 0.0
    print(f"{'year':>4}  {'grade':<20} {'ours':>4} {'table':>5} {'F1':>6}  differences")
    store = qa.store
    for year in sorted({year for year, _, grade in table if grade in GRADES}):
        for grade in GRADES:
            theirs = {name for when, name, given in table if when == year and given == grade}
            reply = qa.ask(f"Which local authorities were judged {grade} overall in inspections "
                           f"published in {year}?")
            slowest = max(slowest, reply.took_ms)
            ours = {canonical(row.authority) for row in reply.table or ()
                    if row.answer and store.document(row.doc_id).meta.get("framework") != "SIF"}
            if not ours and not theirs:
                continue
            both = len(ours & theirs)
            f1 = 2 * both / (len(ours) + len(theirs))
            scores.append(f1)
            print(f"{year:>4}  {grade:<20} {len(ours):>4} {len(theirs):>5} {f1:>6.3f}  "
                  f"{', '.join(sorted(ours ^ theirs)[:5])}")
    print(f"\nmean F1 {sum(scores) / len(scores):.3f} over {len(scores)} questions; slowest {slowest:.0f} ms")


if __name__ == "__main__":
    main()
