"""Bring a store up to date with report files: embed new and changed ones, drop removed ones."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from tqdm import tqdm

from qa.errors import ReportError
from qa.indexing.embed import Embedder
from qa.indexing.store import Store, rename
from qa.reports.chunk import Chunker
from qa.reports.report import ReportFile, fingerprint, is_report, load_report, make_doc_id
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
    # Where the reports were indexed when not in this process (see qa.indexing.cluster.RayIndexer).
    cluster: dict | None = None

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
            **({"cluster": self.cluster} if self.cluster else {}),
        }

    def describe(self) -> str:
        lines = [f"added {len(self.added)}, changed {len(self.changed)}, removed {len(self.removed)}, "
                 f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)} "
                 f"({self.chunks_embedded} chunks embedded in {self.took_s:.1f} s)"]
        if self.chunks_embedded:
            lines.append("  stages: " + ", ".join(f"{name} {seconds:.1f} s"
                                                  for name, seconds in self.timings.seconds.items()))
        if self.cluster:
            c = self.cluster
            lines.append(f"  on Ray ({c['address']}): {_count(c['reports'], 'report')} in {_count(c['tasks'], 'task')} "
                         f"on {_count(c['nodes'], 'node')}, "
                         f"{_count(c['workers'], 'worker')}; the embedding model loaded "
                         f"{_count(c['model_loads'], 'time')}")
        lines += [f"  skipped {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


@dataclass
class Job:
    """A report to read, clean, chunk and embed, with the id and source it is indexed under."""

    report: ReportFile
    doc_id: str
    source: str


@dataclass
class Outcome:
    """What became of a job: its document, chunks and vectors, or the reason it was skipped."""

    document: Document | None = None
    chunks: list[Chunk] = field(default_factory=list)
    vectors: np.ndarray | None = None
    reason: str = ""


class Indexer(Protocol):
    """Turns jobs into outcomes, one per job in the same order: here (`LocalIndexer`) or on a Ray
    cluster (`qa.indexing.cluster.RayIndexer`)."""

    def __call__(self, jobs: Iterable[Job], summary: RefreshSummary) -> list[Outcome]: ...


class LocalIndexer:
    """Reads, chunks and embeds the reports one by one in this process."""

    def __init__(self, chunker: Chunker, embedder: Embedder) -> None:
        self.chunker = chunker
        self.embedder = embedder

    def __call__(self, jobs: Iterable[Job], summary: RefreshSummary) -> list[Outcome]:
        return index_reports(jobs, self.chunker, self.embedder, summary.timings)


def index_reports(jobs: Iterable[Job], chunker: Chunker, embedder: Embedder, timings: Timings) -> list[Outcome]:
    """Read, clean, chunk and embed each report; one that cannot be read is skipped with its reason.

    A report's chunks are embedded in batches of their own, so that its vectors do not depend on
    which reports are indexed with it (the int8 model quantizes a batch as a whole): a refresh, a
    rebuild and a run on a Ray cluster give it the same vectors."""
    outcomes = []
    for job in jobs:
        try:
            document = load_report(job.report, job.doc_id, job.source, timings)
            with timings.stage("chunk"):
                chunks = chunker.chunk(document)
        except (ReportError, OSError) as error:
            outcomes.append(Outcome(reason=_reason(error)))
            continue
        with timings.stage("embed"):
            vectors = embedder.encode([document.text[c.start:c.end] for c in chunks])
        outcomes.append(Outcome(document, chunks, vectors))
    return outcomes


@dataclass
class _Pending:
    document: Document
    path: str
    chunks: list[Chunk]
    vectors: np.ndarray


@dataclass
class _Placed:
    """Where a job's report goes once indexed."""

    source: str
    path: str
    changed: bool


class Progress:
    """How far a refresh has gone: the reports found, how many are settled (indexed, unchanged or
    skipped) and how many of them a saved generation holds; read by /api/health and the chat while
    it runs."""

    def __init__(self) -> None:
        self.start(0)

    def start(self, total: int) -> None:
        self.total, self.done, self.saved, self._worked = total, 0, 0, 0
        self._began = time.monotonic()

    def settle(self, indexed: bool = True) -> None:
        """One more report settled; `indexed` False for one that cost no reading (unchanged)."""
        self.done += 1
        self._worked += indexed

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the pace of the reports indexed so far; None before the first."""
        if not self._worked:
            return None
        return (time.monotonic() - self._began) / self._worked * max(self.total - self.done, 0)

    def to_dict(self) -> dict:
        eta = self.eta_s
        return {"reports": self.total, "done": self.done, "saved": self.saved,
                "seconds_left": None if eta is None else round(eta)}

    def describe(self) -> str:
        eta = self.eta_s
        left = "" if eta is None else f", about {max(round(eta / 60), 1)} min left"
        return f"{self.done} of {self.total} reports{left}"


def refresh(store: Store, roots: list[Path], corpus: Path, indexer: Indexer, progress: bool = False,
            tracker: Progress | None = None, checkpoint: Callable[[Store], None] | None = None,
            checkpoint_every: int = 200) -> RefreshSummary:
    """Update `store` in place from the reports under `roots` (folders or files). Which reports are
    new, changed, moved or gone is decided here; `indexer` reads, chunks and embeds the new and
    changed ones. `tracker` follows how far it is; with `checkpoint`, the reports indexed so far are
    added to `store` and `checkpoint(store)` is called after every `checkpoint_every` of them (to
    save a generation, so that a refresh that is killed resumes from there)."""
    began = time.perf_counter()
    summary = RefreshSummary()
    tracker = tracker or Progress()
    indexed = store.by_path()
    files, missing = _scan(roots, corpus, summary)
    tracker.start(len(files))
    gone = {path: entry for path, entry in indexed.items()
            if path not in files and (_under(located(path, corpus), roots) or path in missing)}
    pending: list[_Pending] = []
    placed: list[_Placed] = []
    jobs = _jobs(store, files, corpus, indexed, gone, summary, pending, placed, progress, tracker)
    size = checkpoint_every if checkpoint else None
    settled = 0
    while True:
        outcomes = indexer(_settling(itertools.islice(jobs, size), tracker), summary)
        for where, outcome in zip(placed[settled:], outcomes, strict=True):
            if outcome.document is None:
                _skip(summary, where.source, outcome.reason)
                continue
            pending.append(_Pending(outcome.document, where.path, outcome.chunks, outcome.vectors))
            (summary.changed if where.changed else summary.added).append(where.source)
            summary.chunks_embedded += len(outcome.chunks)
        settled += len(outcomes)
        if size is None or len(outcomes) < size:
            break
        _add(store, pending)
        checkpoint(store)
        tracker.saved = tracker.done
    for entry in gone.values():
        store.remove(entry.document.doc_id)
        summary.removed.append(entry.document.source)
    _add(store, pending)
    for names in (summary.added, summary.changed, summary.skipped):
        names.sort()
    summary.took_s = time.perf_counter() - began
    return summary


def _add(store: Store, pending: list[_Pending]) -> None:
    # In path order, however the indexer ordered its work, so that chunk ids do not depend on it
    # (the jobs come in path order, so batches of them keep it).
    for item in sorted(pending, key=lambda item: item.path):
        store.add(item.document, item.path, item.chunks, item.vectors)
    pending.clear()


def _settling(jobs: Iterable[Job], tracker: Progress) -> Iterator[Job]:
    """The jobs, counting each as settled when the indexer asks for the next."""
    for job in jobs:
        yield job
        tracker.settle()


def _jobs(store: Store, files: dict[str, Path], corpus: Path, indexed: dict, gone: dict,
          summary: RefreshSummary, pending: list[_Pending], placed: list[_Placed], progress: bool,
          tracker: Progress):
    """Read each file and yield a job for each new or changed report; unchanged, moved and
    duplicate ones are settled here (`summary`, `pending`), and `placed` gets each job's place."""
    gone_by_hash = {entry.document.sha256: entry for entry in gone.values()}
    taken = {doc_id: entry.path for doc_id, entry in store.entries.items() if entry.path not in gone}
    # What is indexed and stays, by content: the same report under another name is not indexed again.
    held = {entry.document.sha256: entry.document.source for entry in indexed.values() if entry.path not in gone}
    for path, file in tqdm(sorted(files.items()), desc="indexing", unit="report", disable=not progress):
        source, relative = _source(file, corpus)
        try:
            with summary.timings.stage("read"):
                report = fingerprint(file)
            previous = indexed.get(path)
            if previous is not None and previous.document.sha256 == report.sha256:
                summary.unchanged.append(source)
                tracker.settle(indexed=False)
                continue
            moved = gone_by_hash.pop(report.sha256, None) if previous is None else None
            if previous is None and moved is None and report.sha256 in held:
                raise ReportError(f"the same content is already indexed as {held[report.sha256]}")
            held[report.sha256] = source
            doc_id = previous.document.doc_id if previous else _unique_id(make_doc_id(relative), path, taken)
            taken[doc_id] = path
        except (ReportError, OSError) as error:
            _skip(summary, source, _reason(error))
            tracker.settle(indexed=False)
            continue
        if moved is not None:
            document, chunks = rename(moved, doc_id, source, path)
            pending.append(_Pending(document, path, chunks, store.vectors(moved.document.doc_id)))
            summary.added.append(source)
            tracker.settle(indexed=False)
            continue
        placed.append(_Placed(source, path, previous is not None))
        yield Job(report, doc_id, source)


def _skip(summary: RefreshSummary, source: str, reason: str) -> None:
    log.warning("skipped %s: %s", source, reason)
    summary.skipped.append((source, reason))


def _reason(error: ReportError | OSError) -> str:
    """Why a report was skipped, in words."""
    return error.strerror if isinstance(error, OSError) and error.strerror else str(error)


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
