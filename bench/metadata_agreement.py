"""How often metadata read from the report text agrees with manifest.csv and ilacs_history_judgements.csv.

    python bench/metadata_agreement.py [--shared ../shared] [--show N]

Prints the agreement rate per field and up to N disagreements per field, to look at: the two
tables have their own extraction errors, so a disagreement is not always ours.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from qa.ofsted.authorities import authority_key
from qa.ofsted.metadata import GRADES, normalise_grade, read_metadata
from qa.reports.layout import structure

KINDS = {"ilacs_inspection": "inspection", "focused_visit": "focused visit", "send_area_inspection": "send inspection"}
FRAMEWORKS = {"standard": "ILACS standard", "short": "ILACS short"}
GRADE_COLUMNS = {"overall_effectiveness": "overall_effectiveness_grade", "impact_of_leaders": "impact_of_leaders_grade",
                 "help_and_protection": "help_and_protection_grade", "children_in_care": "in_care_grade",
                 "care_leavers": "care_leavers_grade"}


def _day(value: str) -> str | None:
    for form in ("%d/%m/%Y", "%d/%m/%y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(value.strip(), form).date().isoformat()
        except ValueError:
            continue
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--show", type=int, default=3, help="disagreements to print per field")
    args = parser.parse_args()
    ofsted = args.shared / "ofsted"
    judgements = {}
    with open(ofsted / "ilacs_history_judgements.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            judgements[(row["urn"], Path(row["pdf_filename"]).stem.lower())] = row
    scores: dict[str, list[bool]] = defaultdict(list)
    misses: dict[str, list[str]] = defaultdict(list)

    def check(name: str, ours, theirs, where: str) -> None:
        # The table has no care leavers grade before 2023, when children in care and care leavers
        # were judged together.
        if theirs in (None, "", "inspection_pre_dates_judgement"):
            return
        scores[name].append(ours == theirs)
        if ours != theirs:
            misses[name].append(f"{where}: ours {ours!r}, table {theirs!r}")

    with open(ofsted / "manifest.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        where = row["text_path"].split("/", 1)[1]
        path = next(ofsted.glob(f"text_*/{where}"))
        text, paragraphs = structure(path.read_text(encoding="utf-8"))
        meta = read_metadata(text, paragraphs)
        check("authority", authority_key(meta.authority or ""), authority_key(row["local_authority"]), where)
        check("kind", meta.kind, KINDS[row["collection"]], where)
        if meta.kind != "inspection" or meta.framework == "SIF":  # ILACS reports do not print it
            check("published (text only)", meta.published, _day(row["publication_date_from_filename"]), where)
        table = judgements.get((row["urn"], path.stem.lower()))
        if table is None:
            continue
        check("framework", meta.framework, FRAMEWORKS.get(table["inspection_framework"]), where)
        check("lead inspector", (meta.lead_inspector or "").lower(), table["inspector_name"].strip().lower(), where)
        check("inspection start", meta.inspection_start, _day(table["inspection_start_date"]), where)
        check("inspection end", meta.inspection_end, _day(table["inspection_end_date"]), where)
        for name, column in GRADE_COLUMNS.items():
            theirs = table[column].strip().lower()
            if theirs in (*GRADES, "requires improvement to be good"):
                check(f"grade: {name}", meta.grades.get(name), normalise_grade(theirs), where)
    print(f"{len(rows)} reports")
    print(f"{'field':<32}{'agree':>8}{'of':>6}{'rate':>8}")
    for name, results in scores.items():
        print(f"{name:<32}{sum(results):>8}{len(results):>6}{sum(results) / len(results):>8.3f}")
    for name, lines in misses.items():
        for line in lines[: args.show]:
            print(f"  {name}: {line}")


if __name__ == "__main__":
    main()
