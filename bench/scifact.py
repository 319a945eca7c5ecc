"""Retrieval on BEIR SciFact (300 test queries): dense, BM25 and their fusion, as `qa` runs them.

    python bench/scifact.py [--model all-MiniLM-L6-v2]

all-MiniLM-L6-v2's published figures (MTEB) are nDCG@10 0.645 and Recall@100 0.925; a correct
embedding pipeline reproduces them. SciFact is CC BY-NC: evaluation only.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import time
from collections import defaultdict
from pathlib import Path

import faiss
import numpy as np

from qa.answer.retrieve import fuse
from qa.config import EMBEDDERS, Settings
from qa.indexing.bm25 import LexicalIndex
from qa.indexing.embed import make_embedder

DATA = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "beir_scifact"
DEPTH = 100


def ndcg_at_10(ranking: list[str], relevant: dict[str, int]) -> float:
    gains = [relevant.get(doc, 0) for doc in ranking[:10]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted(relevant.values(), reverse=True)[:10]
    return dcg / sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))


def recall_at_100(ranking: list[str], relevant: dict[str, int]) -> float:
    wanted = {doc for doc, gain in relevant.items() if gain > 0}
    return len(wanted & set(ranking[:DEPTH])) / len(wanted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="all-MiniLM-L6-v2")
    parser.add_argument("--embedder", choices=EMBEDDERS, default="onnx", help="as QA_EMBEDDER (default onnx)")
    args = parser.parse_args()
    corpus = [json.loads(line) for line in (DATA / "corpus.jsonl").open()]
    queries = {q["_id"]: q["text"] for q in map(json.loads, (DATA / "queries.jsonl").open())}
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with (DATA / "qrels" / "test.tsv").open() as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            qrels[row["query-id"]][row["corpus-id"]] = int(row["score"])
    ids = [doc["_id"] for doc in corpus]
    texts = [f"{doc['title']} {doc['text']}".strip() for doc in corpus]
    asked = [qid for qid in qrels if qid in queries]

    embedder = make_embedder(Settings.load(environ={}, model=args.model, embedder=args.embedder))
    began = time.perf_counter()
    vectors = embedder.encode(texts)
    print(f"embedded {len(texts)} abstracts in {time.perf_counter() - began:.0f} s")
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    _, dense = index.search(embedder.encode([queries[q] for q in asked]), DEPTH)
    lexical = LexicalIndex.of(enumerate(texts))
    rankings = {"dense": [list(row) for row in dense],
                "bm25": [[row for row, _ in lexical.search(queries[q], DEPTH)] for q in asked]}
    rankings["hybrid (RRF)"] = [fuse([d, b])[:DEPTH] for d, b in zip(rankings["dense"], rankings["bm25"], strict=True)]
    print(f"SciFact test, {len(asked)} queries ({args.model}, {args.embedder}; "
          "published dense: nDCG@10 0.645, Recall@100 0.925)")
    for name, ranked in rankings.items():
        named = [[ids[row] for row in ranking] for ranking in ranked]
        ndcg = np.mean([ndcg_at_10(r, qrels[q]) for r, q in zip(named, asked, strict=True)])
        recall = np.mean([recall_at_100(r, qrels[q]) for r, q in zip(named, asked, strict=True)])
        print(f"{name:>14}: nDCG@10 {ndcg:.3f}  Recall@100 {recall:.3f}")


if __name__ == "__main__":
    main()
