"""Search latency and recall@10 at 100k and 1M chunks: exact inner product against the approximate
index `qa` switches to above `qa.indexing.store.EXACT_LIMIT` chunks.

    python bench/scale.py --index DIR [--sizes 100000 1000000] [--queries 200]

The vectors are the real chunk embeddings of the index in DIR (the full collection: 44,773),
repeated with Gaussian noise until there are enough (copies stay at cosine about 0.9 to their
original, so neighbourhoods look like real text, not uniform noise, which no approximate index can
search). Queries are other chunks' vectors with fresh noise. Recall@10 is the share of the exact
search's 10 nearest that the approximate search also returns. Latency is one query at a time on
all cores, as the server searches.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import faiss
import numpy as np

from qa.indexing.store import Store, approximate_index


def grow(vectors: np.ndarray, size: int, rng: np.random.Generator, noise: float = 0.5) -> np.ndarray:
    """`size` unit vectors: copies of `vectors` plus noise of norm about `noise`."""
    rows = rng.integers(0, len(vectors), size)
    out = np.empty((size, vectors.shape[1]), dtype=np.float32)
    scale = noise / np.sqrt(vectors.shape[1])
    for start in range(0, size, 100_000):
        part = vectors[rows[start:start + 100_000]]
        part = part + rng.normal(0, scale, part.shape).astype(np.float32)
        out[start:start + len(part)] = part / np.linalg.norm(part, axis=1, keepdims=True)
    return out


def timed_search(index: faiss.Index, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, list[float]]:
    results, timings = [], []
    for query in queries:
        began = time.perf_counter()
        _, ids = index.search(query.reshape(1, -1), k)
        timings.append((time.perf_counter() - began) * 1000)
        results.append(ids[0])
    return np.array(results), timings


def describe(timings: list[float]) -> str:
    ordered = sorted(timings)
    return f"p50 {statistics.median(ordered):.2f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, required=True, help="an index to take the chunk vectors from")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pq", type=int, default=0, metavar="M",
                        help="also IVF-PQ with M bytes a vector, alone and re-ranked exactly from its best 100")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    store = Store.load(args.index)
    base = np.vstack([store.vectors(doc_id) for doc_id in store.entries])
    print(f"{len(base):,} real chunk vectors from {args.index}; faiss {faiss.__version__}, "
          f"{faiss.omp_get_max_threads()} threads")
    for size in args.sizes:
        vectors = grow(base, size, rng)
        queries = grow(base, args.queries, rng)
        exact = faiss.IndexFlatIP(base.shape[1])
        exact.add(vectors)
        truth, exact_ms = timed_search(exact, queries)
        print(f"\n{size:,} chunks ({vectors.nbytes / 1e9:.2f} GB of vectors)")
        print(f"  exact (IndexFlatIP): {describe(exact_ms)}")
        began = time.perf_counter()
        approximate = approximate_index(vectors, np.arange(size, dtype=np.int64))
        print(f"  {type(approximate).__name__} nlist {approximate.nlist}: built in {time.perf_counter() - began:.1f} s")
        for nprobe in (8, 16, 32, 64):
            approximate.nprobe = nprobe
            found, approximate_ms = timed_search(approximate, queries)
            recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
            print(f"  nprobe {nprobe:>3}: recall@10 {recall:.3f}, {describe(approximate_ms)}")
        if args.pq:
            product_quantized(vectors, queries, truth, approximate.nlist, args.pq)
        del exact, approximate, vectors


def product_quantized(vectors: np.ndarray, queries: np.ndarray, truth: np.ndarray, nlist: int, m: int) -> None:
    """IVF-PQ (M bytes a vector instead of 4 x 384): recall@10 of its own order, and after re-ranking
    its best 100 by their full vectors (read from disk at scale: 100 rows of 1.5 KB a question)."""
    dimension = vectors.shape[1]
    index = faiss.IndexIVFPQ(faiss.IndexFlatIP(dimension), dimension, nlist, m, 8, faiss.METRIC_INNER_PRODUCT)
    began = time.perf_counter()
    sample = np.random.default_rng(0).choice(len(vectors), min(len(vectors), 40 * nlist), replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    index.add(vectors)
    print(f"  IVF-PQ {m} bytes a vector ({index.ntotal * (m + 8) / 1e9:.3f} GB with ids): built in "
          f"{time.perf_counter() - began:.1f} s")
    index.nprobe = 32
    for depth, label in ((10, "alone"), (100, "best 100 re-ranked exactly")):
        found, timings = [], []
        for query in queries:
            began = time.perf_counter()
            _, ids = index.search(query.reshape(1, -1), depth)
            ids = ids[0][ids[0] >= 0]
            if depth > 10:
                ids = ids[np.argsort(-(vectors[ids] @ query), kind="stable")]
            timings.append((time.perf_counter() - began) * 1000)
            found.append(ids[:10])
        recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
        print(f"  IVF-PQ nprobe 32, {label}: recall@10 {recall:.3f}, {describe(timings)}")


if __name__ == "__main__":
    main()
