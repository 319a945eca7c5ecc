"""Indexing throughput on Ray with 1 and 2 workers on this machine, against the local pipeline on
the same number of CPU threads, with Ray's overhead.

    python bench/ray_throughput.py PATH [--reports 150] [--seed 0]

Indexes a random sample of the reports under PATH from scratch, five ways: in this process on one
and on two threads, and on a Ray cluster of one node with one and with two one-CPU workers (each
worker's embedder on one thread). Ray's start-up is timed apart from the indexing; the overhead
is Ray's indexing time over the local time on as many threads. Every run must write the same
chunks (checked) with the same vectors.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import ray

from qa.config import Settings
from qa.indexing.embed import make_embedder
from qa.pipeline import QA
from qa.reports.report import is_report


def _sample(root: Path, count: int, seed: int, into: Path) -> None:
    files = sorted(path for path in root.rglob("*") if path.is_file() and is_report(path))
    for path in random.Random(seed).sample(files, min(count, len(files))):
        target = into / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)


def _run(corpus: Path, work: Path, name: str, threads: int = 2, ray_cpus: int = 0) -> dict:
    settings = Settings.load(corpus=corpus, index=work / name)
    qa = QA(settings, make_embedder(settings, threads=threads))
    started = 0.0
    address = None
    if ray_cpus:
        began = time.perf_counter()
        ray.init(num_cpus=ray_cpus, include_dashboard=False, log_to_driver=False)
        started = time.perf_counter() - began
        address = "local"
    try:
        summary = qa.refresh(rebuild=True, ray=address)
    finally:
        if ray_cpus:
            ray.shutdown()
    return {"name": name, "took": summary.took_s, "chunks": summary.chunks_embedded, "start": started,
            "reports": len(summary.added), "store": qa.store}


def _same(a, b) -> float:
    """The least cosine between the two stores' vectors of a chunk (after checking the chunks match)."""
    assert sorted(a.entries) == sorted(b.entries)
    worst = 1.0
    for doc_id, entry in a.entries.items():
        assert entry.chunks == b.entries[doc_id].chunks
        if entry.chunks:
            worst = min(worst, float(np.min(np.sum(a.vectors(doc_id) * b.vectors(doc_id), axis=1))))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--reports", type=int, default=150, help="reports sampled from PATH")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qa-bench-ray-"))
    try:
        corpus = work / "corpus"
        _sample(args.path, args.reports, args.seed, corpus)
        runs = [_run(corpus, work, "local, 1 thread", threads=1),
                _run(corpus, work, "local, 2 threads", threads=2),
                _run(corpus, work, "Ray, 1 worker", ray_cpus=1),
                _run(corpus, work, "Ray, 2 workers", ray_cpus=2)]
        baseline = {1: runs[0]["took"], 2: runs[1]["took"]}
        print(f"{runs[0]['reports']} reports, {runs[0]['chunks']} chunks")
        print(f"{'run':<18}{'Ray start':>10}{'indexing':>10}{'chunks/s':>10}{'overhead':>10}{'least cosine':>14}")
        for cpus, run in zip((1, 2, 1, 2), runs, strict=True):
            overhead = f"{100 * (run['took'] / baseline[cpus] - 1):+.1f}%" if run["start"] else ""
            start = f"{run['start']:.1f} s" if run["start"] else ""
            print(f"{run['name']:<18}{start:>10}{run['took']:>9.1f}s{run['chunks'] / run['took']:>10.1f}"
                  f"{overhead:>10}{_same(run['store'], runs[1]['store']):>14.6f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
