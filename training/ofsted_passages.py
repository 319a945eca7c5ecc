"""Reader training passages from the Ofsted train questions: for each question, the passages the
system retrieves for it, each labelled with the answer's offsets in it or "no answer here", and
with the question as searched (without the authority and years that chose its reports).

    python training/ofsted_passages.py --index ../full-index --out training/runs/ofsted.jsonl [--tidy-only]

Only questions of the authorities not held out (`ofsted_questions.held_out`) are used, each as
written and as people type it (its noisy variant, `qa.noise`, id suffixed "/noisy"; not with
--tidy-only), so that the reader learns to read both. A retrieved
passage that holds the answer is a positive; the best-ranked ones that do not (and do not hold the
evidence or the answer's words elsewhere) are hard negatives; every retrieved passage of an
unanswerable question is a negative. When no retrieved passage holds the answer, the stored chunk
that does is added as the positive, so that every answerable question teaches its span.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import ofsted_questions as oq  # noqa: E402

from qa.config import Settings  # noqa: E402
from qa.evaluate import evidence_key  # noqa: E402
from qa.noise import noisy  # noqa: E402
from qa.pipeline import QA  # noqa: E402

NEGATIVES = 4
RETRIEVED = 20


def passages_for(qa: QA, item: dict, gold: oq.Gold | None) -> list[dict]:
    store = qa.store
    query = qa.understand(store, item["question"], item.get("history") or [])
    search, _, retrieved = qa.search(store, query, qa.scope(store, query), RETRIEVED)
    answer = gold.answer if gold and not item.get("unanswerable") else None
    keys = [evidence_key(text) for text in [item.get("evidence") or "", *(item.get("answers") or [])] if text]
    rows, negatives, positive = [], 0, False
    for rank, passage in enumerate(retrieved):
        text = store.document(passage.doc_id).text[passage.start:passage.end]
        row = {"id": item["id"], "question": query.asked, "search": search, "passage": text, "rank": rank}
        inside = answer and passage.doc_id == gold.document.doc_id and passage.start <= answer[0]
        if inside and answer[1] <= passage.end:
            rows.append(row | {"start": answer[0] - passage.start, "end": answer[1] - passage.start})
            positive = True
        elif negatives < NEGATIVES and not any(key and key in evidence_key(text) for key in keys):
            rows.append(row | {"start": None, "end": None})
            negatives += 1
    if answer and not positive:
        entry = store.entry(gold.document.doc_id)
        for chunk in entry.chunks:
            if chunk.start <= answer[0] and answer[1] <= chunk.end:
                rows.append({"id": item["id"], "question": query.asked, "search": search, "rank": -1,
                             "passage": gold.document.text[chunk.start:chunk.end],
                             "start": answer[0] - chunk.start, "end": answer[1] - chunk.start})
                break
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--tidy-only", action="store_true",
                        help="the questions as written only, not their noisy variants")
    args = parser.parse_args()
    settings = Settings.load().with_changes(corpus=oq.QUESTIONS.parent / "ofsted", index=args.index)
    qa = QA(settings)
    documents = oq.documents_by_file(qa.store)
    items = [item for item in oq.load() if not oq.held_out(item)]
    if not args.tidy_only:
        items += [{**noisy(item), "id": item["id"] + oq.NOISY_SUFFIX} for item in items]
    began, located, rows = time.time(), 0, []
    for number, item in enumerate(items, 1):
        gold = oq.gold(item, documents)
        located += bool(gold and gold.answer)
        rows += passages_for(qa, item, gold)
        if number % 200 == 0:
            print(f"{number}/{len(items)} questions, {len(rows)} passages, {time.time() - began:.0f} s", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    answerable = sum(not item.get("unanswerable") for item in items)
    positives = sum(row["start"] is not None for row in rows)
    print(f"{len(items)} questions ({answerable} answerable, {located} answers located), "
          f"{len(rows)} passages ({positives} positive) in {args.out}")


if __name__ == "__main__":
    main()
