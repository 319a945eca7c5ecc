"""Whether "What does X need to improve?" gets the latest inspection's own list, all of it, cited.

    python bench/improvement_lists.py --corpus ../shared/ofsted --index ../full-index [--show]

For every authority with an inspection in the index it asks the question in the present tense and
checks the answers against the report as Ofsted published it (the corpus file, not our cleaned
text): they come from the authority's latest inspection, each is the exact slice of the stored
text that its citation names, each lies inside that report's list of what must improve (found in
the file from its heading to the next part of the report by a reader of its own, independent of
qa.ofsted.sections), and together they cover at least COVERED of the list's words. Prints the share of
authorities for which all of it holds, and each failure with --show.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from qa.answer.filters import authority_of, distinct
from qa.config import Settings
from qa.ofsted import authorities
from qa.pipeline import QA

COVERED = 0.9
# The list's heading in the published text, and the first line of the part after it.
_HEADING = re.compile(r"^\f?(?:What needs to improve|What does the local authority need to improve|"
                      r"Areas for improvement|Recommendations)\b[^.\n]{0,40}$", re.MULTILINE | re.IGNORECASE)
_NEXT = re.compile(r"^\f?(?:The experiences and progress|The local authority[’']s strengths|Summary for children|"
                   r"Information about|Inspection judgements|Main findings|Headline findings|"
                   r"The effectiveness of the L|"
                   r"The impact of leaders|Summary of findings|Progress since|What does the LSCB|"
                   r"Children[’']s services in )", re.MULTILINE | re.IGNORECASE)
# Page furniture of the published text that our cleaned text leaves out.
_FURNITURE = re.compile(r"^.*(?:Inspection of .*children[’']s services|Page \d+ of \d+|\f).*$|^\s*\d+\s*$",
                        re.MULTILINE | re.IGNORECASE)


def letters(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


def published_list(path: Path) -> str | None:
    """The letters of the report's list of what must improve, as the published file has it."""
    text = path.read_text(encoding="utf-8", errors="replace")
    for heading in _HEADING.finditer(text):
        after = _NEXT.search(text, heading.end())
        section = text[heading.end():after.start() if after else heading.end() + 4000]
        section = _FURNITURE.sub("", section)
        # A heading in a table of contents has a page number or another heading after it, not a list.
        if len(letters(section)) > 20:
            return letters(section)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--show", action="store_true", help="print every authority whose answer fails")
    args = parser.parse_args()
    qa = QA(Settings.load().with_changes(corpus=args.corpus, index=args.index))
    store = qa.store
    latest: dict[str, object] = {}
    for document in distinct(entry.document for entry in store.entries.values()):
        key = authority_of(document)
        if document.kind == "inspection" and document.date and key and (
                key not in latest or document.date > latest[key].date):
            latest[key] = document
    counts = {"right": 0, "not answered": 0, "another report": 0, "outside the list": 0, "list not covered": 0,
              "no list in the file": 0}
    failures, took = [], []
    for key, document in sorted(latest.items()):
        name = authorities.display(key) or document.authority
        question = f"What does {name} need to improve?"
        began = time.perf_counter()
        reply = qa.ask(question)
        took.append((time.perf_counter() - began) * 1000)
        published = published_list(args.corpus / document.source)
        if published is None:
            outcome = "no list in the file"
        elif not reply.answered:
            outcome = "not answered"
        elif any(store.document(a.citation.doc_id).text[a.citation.doc_start:a.citation.doc_end] != a.text
                 or (store.document(a.citation.doc_id).date, store.document(a.citation.doc_id).kind)
                 != (document.date, document.kind) for a in reply.answers):
            outcome = "another report"
        elif not all(letters(a.text) in published for a in reply.answers):
            outcome = "outside the list"
        elif sum(len(letters(a.text)) for a in reply.answers) < COVERED * len(published):
            outcome = "list not covered"
        else:
            outcome = "right"
        counts[outcome] += 1
        if outcome != "right":
            failures.append(f"{outcome}: {question} ({document.source}) -> "
                            + " | ".join(a.text[:60] for a in reply.answers[:3]))
    asked = sum(counts.values()) - counts["no list in the file"]
    print(f"{len(latest)} authorities with an inspection; {asked} whose latest inspection's file has a list")
    for outcome, count in counts.items():
        print(f"  {outcome:>20}: {count}")
    print(f"the latest inspection's own list, all of it: {counts['right'] / max(asked, 1):.3f} of {asked}")
    took.sort()
    print(f"per question: p50 {took[len(took) // 2]:.0f} ms")
    if args.show:
        print("\n".join(failures))


if __name__ == "__main__":
    main()
