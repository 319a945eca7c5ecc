"""The shipped models' outputs on fixed inputs, kept in `tests/golden/models.json`, so that a
machine of another CPU kind can check that it computes what the machine that wrote them did
(`tests/test_golden.py` checks it within tolerances on every test run).

    python bench/golden.py           # this machine against the golden file: the differences
    python bench/golden.py --write   # write the golden file again (after a model changes)

The inputs are sentences and question-passage pairs from the shipped corpus; the outputs are the
embedder's vectors and the reader's best span of each pair with its score and its "no answer"
score. The file names the CPU that wrote it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qa.answer.span_reader import SpanModel  # noqa: E402
from qa.indexing.embed import OnnxEmbedder  # noqa: E402
from qa.runtime import cpu_description  # noqa: E402

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "models.json"
SENTENCES = [
    "Who was the lead member for children's services?",
    "Children in care benefit from stable placements and trusted relationships with their social workers.",
    "Leaders have not ensured that the quality of practice for care leavers is consistently good.",
    "The local authority designated officer (LADO) responds to allegations against staff promptly.",
    "Inspectors looked at the local authority's arrangements for the front door.",
    "Caseloads are manageable, and social workers say they feel well supported by their managers.",
    "Overall effectiveness: requires improvement to be good",
    "what needs to improve in worcestershire",
]
PAIRS = [
    ("Who was the lead member for children's services?",
     "The council's lead member for children's services, Councillor Liz Eyre, chairs the corporate parenting "
     "board, which meets every two months."),
    ("How often does the corporate parenting board meet?",
     "The council's lead member for children's services, Councillor Liz Eyre, chairs the corporate parenting "
     "board, which meets every two months."),
    ("What was the overall effectiveness judgement?",
     "Judgement Grade Overall effectiveness Requires improvement to be good The impact of leaders on social "
     "work practice with children and families Good"),
    ("Why are care leavers not well supported?",
     "Care leavers do not receive consistent support because personal advisers change too often and pathway "
     "plans are not updated when their circumstances change."),
    ("When did the inspection take place?",
     "Inspection dates: 11 to 15 March 2024 Lead inspector: Máire Atherton, His Majesty's Inspector"),
    ("How many children were in care?",
     "Most children who need protection are safeguarded through effective multi-agency work, and thresholds "
     "are understood by partners."),
    ("What is the role of the LADO?",
     "The local authority designated officer (LADO) manages allegations against adults who work with "
     "children effectively, and referrals are tracked until a conclusion is reached."),
    ("Who won the 2022 World Cup?",
     "Inspectors looked at the local authority's arrangements for the front door, including the multi-agency "
     "safeguarding hub."),
]


def outputs() -> dict:
    """What the shipped models give for the fixed inputs, on this machine."""
    vectors = OnnxEmbedder().encode(SENTENCES)
    reader = SpanModel()
    spans = [reader.best(question, passage) for question, passage in PAIRS]
    return {"vectors": [[round(float(x), 6) for x in vector] for vector in vectors],
            "spans": [None if span is None else {"start": span.start, "end": span.end,
                                                  "score": round(span.score, 4), "null": round(span.null, 4)}
                      for span in spans]}


def differences(golden: dict, found: dict) -> dict:
    """The lowest cosine between a vector and its golden twin, how many best spans differ, and the
    largest difference of a span's margin over "no answer"."""
    cosine = np.sum(np.array(golden["vectors"]) * np.array(found["vectors"]), axis=1)
    pairs = list(zip(golden["spans"], found["spans"], strict=True))
    moved = sum((g is None) != (f is None) or (g and (g["start"], g["end"]) != (f["start"], f["end"]))
                for g, f in pairs)
    margins = [abs((g["score"] - g["null"]) - (f["score"] - f["null"])) for g, f in pairs if g and f]
    return {"least_cosine": float(cosine.min()), "spans_moved": int(moved),
            "largest_margin_difference": float(max(margins, default=0.0))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {GOLDEN.relative_to(GOLDEN.parents[2])}")
    args = parser.parse_args()
    found = outputs()
    if args.write:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps({"cpu": cpu_description(), "sentences": SENTENCES, "pairs": PAIRS} | found) + "\n")
        print(f"wrote {GOLDEN} on {cpu_description()}")
        return
    golden = json.loads(GOLDEN.read_text())
    print(f"this CPU: {cpu_description()}\ngolden:   {golden['cpu']}")
    for name, value in differences(golden, found).items():
        print(f"{name}: {value:.4f}" if isinstance(value, float) else f"{name}: {value}")


if __name__ == "__main__":
    main()
