"""Bring a store up to date with report files: embed new and changed ones, drop removed ones."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from qa.chunk import Chunker
from qa.embed import Embedder
from qa.errors import ReportError
from qa.report import fingerprint, is_report, load_report, make_doc_id
from qa.store import Store, rename
from qa.timing import Timings
from qa.types import Chunk, Document

log = logging.getLogger(__name__)


@dataclass
class RefreshSummary:
    """What a refresh did, by source path."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    took_s: float = 0.0
    timings: Timings = field(default_factory=Timings)

    @property
    def modified(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def to_dict(self) -> dict:
        return {
            "added": self.added, "changed": self.changed, "removed": self.removed,
            "unchanged": len(self.unchanged),
            "skipped": [{"source": source, "reason": reason} for source, reason in self.skipped],
            "chunks_embedded": self.chunks_embedded, "took_s": round(self.took_s, 3),
            "stages_s": self.timings.to_dict(),
        }

    def describe(self) -> str:
        lines = [f"added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
                 f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)} "
                 f"({self.chunks_embedded} chunks embedded in {self.took_s:.1f} s)"]
        if self.chunks_embedded:
            lines.append("  stages: " + ", ".join(f"{name} {seconds:.1f} s"
                                                  for name, seconds in self.timings.seconds.items()))
        lines += [f"  skipped {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)


@dataclass
class _Pending:
    document: Document
    path: str
    chunks: list[Chunk]
    vectors: np.ndarray | None = None


def refresh(store: Store, roots: list[Path], corpus: Path, chunker: Chunker, embedder: Embedder,
            progress: bool = False) -> RefreshSummary:
    """Update `store` in place from the reports under `roots` (folders or files)."""
    began = time.perf_counter()
    summary = RefreshSummary()
    indexed = store.by_path()
    files, missing = _scan(roots, corpus, summary)
    gone = {path: entry for path, entry in indexed.items()
            if path not in files and (_under(located(path, corpus), roots) or path in missing)}
    gone_by_hash = {entry.document.sha256: entry for entry in gone.values()}
    taken = {doc_id: entry.path for doc_id, entry in store.entries.items() if entry.path not in gone}
    # What is indexed and stays, by content: the same report under another name is not indexed again.
    held = {entry.document.sha256: entry.document.source for entry in indexed.values() if entry.path not in gone}
    pending: list[_Pending] = []
    for path, file in tqdm(sorted(files.items()), desc="reading", unit="report", disable=not progress):
        source, relative = _source(file, corpus)
        try:
            with summary.timings.stage("read"):
                raw, sha256 = fingerprint(file)
            previous = indexed.get(path)
            if previous is not None and previous.document.sha256 == sha256:
                summary.unchanged.append(source)
                continue
            moved = gone_by_hash.pop(sha256, None) if previous is None else None
            if previous is None and moved is None and sha256 in held:
                raise ReportError(f"the same content is already indexed as {held[sha256]}")
            held[sha256] = source
            doc_id = previous.document.doc_id if previous else _unique_id(make_doc_id(relative), path, taken)
            taken[doc_id] = path
            if moved is not None:
                document, chunks = rename(moved, doc_id, source, path)
                pending.append(_Pending(document, path, chunks, store.vectors(moved.document.doc_id)))
            else:
                document = load_report(file, raw, sha256, doc_id, source, summary.timings)
                with summary.timings.stage("chunk"):
                    chunks = chunker.chunk(document)
                pending.append(_Pending(document, path, chunks))
            (summary.changed if previous else summary.added).append(source)
        except (ReportError, OSError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            log.warning("skipped %s: %s", source, reason)
            summary.skipped.append((source, reason))
    with summary.timings.stage("embed"):
        _embed(pending, embedder, progress, summary)
    for entry in gone.values():
        store.remove(entry.document.doc_id)
        summary.removed.append(entry.document.source)
    for item in pending:
        store.add(item.document, item.path, item.chunks, item.vectors)
    summary.took_s = time.perf_counter() - began
    return summary


def _embed(pending: list[_Pending], embedder: Embedder, progress: bool, summary: RefreshSummary) -> None:
    todo = [item for item in pending if item.vectors is None]
    texts = [item.document.text[c.start:c.end] for item in todo for c in item.chunks]
    vectors = embedder.encode(texts, progress=progress and len(texts) > 64)
    summary.chunks_embedded = len(texts)
    offset = 0
    for item in todo:
        item.vectors = vectors[offset:offset + len(item.chunks)]
        offset += len(item.chunks)


def _scan(roots: list[Path], corpus: Path, summary: RefreshSummary) -> tuple[dict[str, Path], set[str]]:
    """Report files under the roots by where the index keeps them (`_source`), and explicit file
    paths that do not exist."""
    files: dict[str, Path] = {}
    missing: set[str] = set()
    for root in roots:
        if root.is_dir():
            for file in sorted(root.rglob("*")):
                hidden = any(part.startswith(".") for part in file.relative_to(root).parts)
                if file.is_file() and not hidden and is_report(file):
                    files[_source(file, corpus)[0]] = file
        elif root.is_file():
            if is_report(root):
                files[_source(root, corpus)[0]] = root
            else:
                summary.skipped.append((str(root), f"unsupported format {root.suffix or '(none)'!r}"))
        else:
            missing.add(_source(root, corpus)[0])
    return files, missing


def _under(path: Path, roots: list[Path]) -> bool:
    return any(root.is_dir() and path.resolve().is_relative_to(root.resolve()) for root in roots)


def located(path: str, corpus: Path) -> Path:
    """The file an index entry's path names: relative to the corpus folder, or absolute for a file
    indexed from outside it. Relative paths let a corpus and its index move together."""
    return Path(path) if Path(path).is_absolute() else corpus / path


def _source(file: Path, corpus: Path) -> tuple[str, Path]:
    """How a report is named to users and kept in the index (relative to the corpus when it is
    inside it), and the relative path its id is made from."""
    resolved = file.resolve()
    try:
        relative = resolved.relative_to(corpus.resolve())
        return relative.as_posix(), relative
    except ValueError:
        return str(resolved), Path(resolved.parent.name) / resolved.name


def _unique_id(doc_id: str, path: str, taken: dict[str, str]) -> str:
    candidate, n = doc_id, 2
    while candidate in taken and taken[candidate] != path:
        candidate, n = f"{doc_id}-{n}", n + 1
    return candidate
