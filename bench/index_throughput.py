"""Indexing throughput against the raw speed of the embedding model on the same chunks.

    python bench/index_throughput.py PATH... [--sample 2000]    # build a fresh index of PATHs, then compare
    python bench/index_throughput.py --index DIR [--sample 2000] # compare against an index built already

Prints the time per stage (read, parse, clean, metadata, chunk, embed, write), chunks per second,
the model's own chunks per second on a random sample of the same chunk texts, the pipeline's
overhead over pure embedding, peak memory and the index size on disk.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from qa.config import Settings
from qa.indexing.embed import make_embedder
from qa.indexing.store import Store
from qa.pipeline import QA
from qa.runtime import cpu_description


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--index", type=Path, help="an index built already (skip the build)")
    parser.add_argument("--sample", type=int, default=2000, help="chunks to time the raw model on")
    args = parser.parse_args()
    print(f"CPU: {cpu_description()}")
    if not args.paths and not args.index:
        parser.error("give report folders to index, or --index")
    settings = Settings.load()
    embedder = make_embedder(settings)
    embedder.encode(["warm up"])
    if args.index:
        root = args.index
        store = Store.load(root)
    else:
        root = Path(tempfile.mkdtemp(prefix="qa-bench-index-"))
        qa = QA(settings.with_changes(index=root, corpus=args.paths[0]), embedder)
        summary = qa.refresh(args.paths, rebuild=True)
        store = qa.store
        chunks = summary.chunks_embedded
        print(f"indexed {len(summary.added)} reports, {chunks} chunks in {summary.took_s:.1f} s "
              f"({chunks / summary.took_s:.1f} chunks/s); skipped {len(summary.skipped)}")
        for name, seconds in summary.timings.seconds.items():
            print(f"  {name:<9}{seconds:>9.1f} s {100 * seconds / summary.took_s:>6.1f}%")
    texts = [entry.document.text[chunk.start:chunk.end] for entry in store.entries.values() for chunk in entry.chunks]
    sample = random.Random(0).sample(texts, min(args.sample, len(texts)))
    began = time.perf_counter()
    embedder.encode(sample)
    raw_rate = len(sample) / (time.perf_counter() - began)
    print(f"raw model speed on {len(sample)} of the {len(texts)} chunks: {raw_rate:.1f} chunks/s "
          f"(all chunks would take {len(texts) / raw_rate:.1f} s)")
    if not args.index:
        print(f"pipeline overhead over pure embedding: {100 * (summary.took_s * raw_rate / chunks - 1):.1f}%")
    print(f"index on disk: {_size(root) / 1e6:.1f} MB in {root}")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB",
          file=sys.stdout)


if __name__ == "__main__":
    main()
