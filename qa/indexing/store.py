"""The index on disk: FAISS vectors with stable chunk ids, and the documents they came from.

Each save writes a new generation folder (the vectors and a list of the documents) and then
switches the `CURRENT` pointer with an atomic rename, so a process killed at any moment leaves the
last good index loadable. A document's text, paragraphs and chunks are a file of their own under
`documents/`, named by the hash of its content and written once: a save writes only the documents
that are new since the last one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from qa.errors import IndexDamagedError, IndexMismatchError, IndexMissingError, NotFoundError, StorageError
from qa.indexing.bm25 import LexicalIndex, TermCounts, Vocabulary
from qa.indexing.lexical import terms
from qa.ofsted.authorities import canonical
from qa.types import Chunk, Document, Paragraph, Passage

log = logging.getLogger(__name__)

FORMAT = 3
# Format 2 held every document inline in store.json; it is still read, and the next save writes 3.
_READ_FORMATS = (2, 3)
# Up to this many chunks, search is exact (brute-force inner product: 14 ms at this size on 2
# cores, bench/scale.py); above it, an inverted-file index (recall@10 0.979 at 100,000 chunks and
# 1.000 at 1M, 1.6 ms at 1M).
EXACT_LIMIT = 100_000
# Above this many chunks, a served store builds its BM25 index in the background (about 4 s for the
# whole collection the first time, a fraction of a second after a refresh, which counts only the
# new reports' terms): a new report is found by its vectors at once and by its words a moment later.
BACKGROUND_LEXICAL = 10_000
# Lists searched per query by the approximate index.
NPROBE = 32
_POINTER = "CURRENT"
_VECTORS = "vectors.faiss"
_META = "store.json"
_DOCUMENTS = "documents"


@dataclass(frozen=True)
class Entry:
    """One indexed document: where its file was (relative to the corpus, or absolute when outside
    it), its chunks and their ids in the vector index."""

    document: Document
    path: str
    chunk_ids: tuple[int, ...]
    chunks: tuple[Chunk, ...]
    indexed_at: str


class Store:
    """Vectors and documents held in memory; `save` and `load` move them to and from disk."""

    def __init__(self, fingerprint: dict, index: faiss.Index, entries: dict[str, Entry],
                 next_id: int = 0, built_at: str | None = None) -> None:
        self.fingerprint = fingerprint
        self.index = index
        self.entries = entries
        self.next_id = next_id
        self.built_at = built_at
        self._owners = {cid: (doc_id, n) for doc_id, entry in entries.items()
                        for n, cid in enumerate(entry.chunk_ids)}
        self.generation: str | None = None
        # The generation `CURRENT` named when this store was loaded or saved (not `generation` when
        # that one was damaged), and why it was loaded from an earlier one, when it was.
        self.current: str | None = None
        self.damaged: str | None = None
        self._lexical: LexicalIndex | None = None
        self._carried: LexicalIndex | None = None
        self._lexical_lock = threading.Lock()
        self._vocabularies: dict[str, frozenset[str]] = {}
        # BM25's term ids and each document's term counts, kept by the stores that follow this one.
        self._terms = Vocabulary()
        self._counts: dict[str, TermCounts] = {}
        # The file under documents/ that holds each document already on disk.
        self._files: dict[str, str] = {}

    def copy(self) -> Store:
        """An independent copy to change (documents are immutable and shared)."""
        twin = Store(self.fingerprint, faiss.clone_index(self.index), dict(self.entries), self.next_id,
                     self.built_at)
        twin.generation, twin.current = self.generation, self.current
        twin._vocabularies = dict(self._vocabularies)
        twin._terms, twin._counts = self._terms, dict(self._counts)
        twin._files = dict(self._files)
        return twin

    def __contains__(self, cid: int) -> bool:
        """Whether a chunk id is in this store."""
        return cid in self._owners

    def build_lexical_after(self, previous: Store) -> None:
        """Build the word statistics for serving in place of `previous`'s: at once for a small
        store; for a large one in a background thread, answering from `previous`'s until they are
        ready (about 4 s for the whole collection), so that a refresh does not wait for them."""
        if previous._terms is not self._terms:  # loaded from disk: keep the counts of unchanged reports
            self._terms = previous._terms
            self._counts = {doc_id: counts for doc_id, counts in previous._counts.items()
                            if doc_id in self.entries and previous.entries[doc_id] == self.entries[doc_id]}
        if self.chunk_count <= BACKGROUND_LEXICAL:
            self._build_lexical()
            return
        self._carried = previous._lexical or previous._carried
        threading.Thread(target=self._build_lexical, name="lexical-build", daemon=True).start()

    @property
    def authorities(self) -> set[str]:
        """The canonical keys of the reports' authorities."""
        return {canonical(e.document.authority) for e in self.entries.values() if e.document.authority}

    def vocabulary(self, doc_id: str) -> frozenset[str]:
        """The set of terms in a document, computed on first use."""
        if doc_id not in self._vocabularies:
            self._vocabularies[doc_id] = frozenset(terms(self.entries[doc_id].document.text))
        return self._vocabularies[doc_id]

    @property
    def lexical(self) -> LexicalIndex:
        """BM25 over all chunks, computed on first use.

        While `build_lexical_after` builds it, this is the previous store's: its chunk ids may
        include removed chunks (check `cid in store`) and lack new ones."""
        built = self._lexical or self._carried
        return built if built is not None else self._build_lexical()

    def _build_lexical(self) -> LexicalIndex:
        with self._lexical_lock:
            if self._lexical is None:
                counts = [self._term_counts(doc_id) for doc_id in self.entries]
                self._lexical = LexicalIndex(self.chunk_ids(self.entries), counts, self._terms)
            self._carried = None
            return self._lexical

    def _term_counts(self, doc_id: str) -> TermCounts:
        counts = self._counts.get(doc_id)
        if counts is None:
            entry = self.entries[doc_id]
            text = entry.document.text
            counts = TermCounts.of((text[c.start:c.end] for c in entry.chunks), self._terms)
            self._counts[doc_id] = counts
        return counts

    def fit_index(self) -> None:
        """Exact search up to `EXACT_LIMIT` chunks, the approximate index above it (rebuilt when the
        collection has grown fourfold since it was trained, so its lists stay balanced)."""
        count = self.chunk_count
        approximate = isinstance(self.index, faiss.IndexIVF)
        trained_on = (self.index.nlist / 2) ** 2 if approximate else 0  # see approximate_index
        if count > EXACT_LIMIT and (not approximate or count > 4 * trained_on):
            build = approximate_index
        elif count <= EXACT_LIMIT and approximate:
            build = exact_index
        else:
            return
        ids = self.chunk_ids(self.entries)
        self.index = build(self._reconstruct(ids), ids)

    @classmethod
    def empty(cls, fingerprint: dict, dimension: int) -> Store:
        return cls(fingerprint, exact_index(np.zeros((0, dimension), np.float32), np.zeros(0, np.int64)), {})

    @property
    def dimension(self) -> int:
        return self.index.d

    @property
    def chunk_count(self) -> int:
        return self.index.ntotal

    def entry(self, doc_id: str) -> Entry:
        """The indexed report with this id."""
        entry = self.entries.get(doc_id)
        if entry is None:
            raise NotFoundError(f"no report with id {doc_id!r}")
        return entry

    def document(self, doc_id: str) -> Document:
        return self.entries[doc_id].document

    def by_path(self) -> dict[str, Entry]:
        return {entry.path: entry for entry in self.entries.values()}

    def add(self, document: Document, path: str, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Add (or replace) a document with its chunks and their vectors."""
        if document.doc_id in self.entries:
            self.remove(document.doc_id)
        ids = np.arange(self.next_id, self.next_id + len(chunks), dtype=np.int64)
        self.next_id += len(chunks)
        if len(chunks):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.entries[document.doc_id] = Entry(document, path, tuple(int(i) for i in ids),
                                              tuple(chunks), now)
        self._owners.update({int(cid): (document.doc_id, n) for n, cid in enumerate(ids)})

    def remove(self, doc_id: str) -> None:
        entry = self.entries.pop(doc_id)
        self._vocabularies.pop(doc_id, None)
        self._counts.pop(doc_id, None)
        self._files.pop(doc_id, None)
        if entry.chunk_ids:
            self.index.remove_ids(np.array(entry.chunk_ids, dtype=np.int64))
        for cid in entry.chunk_ids:
            self._owners.pop(cid, None)

    def vectors(self, doc_id: str) -> np.ndarray:
        """The stored vectors of a document's chunks, to move it without embedding again."""
        return self._reconstruct(self.entries[doc_id].chunk_ids)

    def search(self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[Passage]:
        """The `k` chunks nearest to `vector` by inner product (cosine on normalised vectors).

        With `allowed` (see `chunk_ids`), only those chunks are searched."""
        query = vector.reshape(1, -1).astype(np.float32)
        if allowed is None:
            if self.index.ntotal == 0:
                return []
            scores, ids = self.index.search(query, min(k, self.index.ntotal))
        else:
            if not len(allowed):
                return []
            selector = faiss.IDSelectorBatch(allowed)
            if isinstance(self.index, faiss.IndexIVF):
                params = faiss.SearchParametersIVF(sel=selector, nprobe=self.index.nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
            scores, ids = self.index.search(query, min(k, len(allowed)), params=params)
        return [self.passage(int(cid), float(score)) for score, cid in zip(scores[0], ids[0], strict=True)
                if cid >= 0]

    def chunk_ids(self, doc_ids: Iterable[str]) -> np.ndarray:
        """The ids of the chunks of these reports."""
        return np.fromiter((cid for doc_id in doc_ids for cid in self.entries[doc_id].chunk_ids), dtype=np.int64)

    def passage(self, cid: int, score: float) -> Passage:
        doc_id, n = self._owners[cid]
        chunk = self.entries[doc_id].chunks[n]
        return Passage(cid, doc_id, chunk.start, chunk.end, score)

    def similarity(self, vector: np.ndarray, cids: list[int]) -> np.ndarray:
        """Inner products of `vector` with the stored vectors of these chunks."""
        return self._reconstruct(cids) @ vector

    def _reconstruct(self, cids) -> np.ndarray:
        if not len(cids):
            return np.zeros((0, self.dimension), np.float32)
        return self.index.reconstruct_batch(np.asarray(cids, dtype=np.int64))

    def save(self, root: Path) -> None:
        """Write a new generation and switch to it atomically; keep the previous one for readers."""
        root.mkdir(parents=True, exist_ok=True)
        self.built_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        current = current_generation(root)
        # Number past every generation on disk: one a killed save left behind is never reused.
        numbers = [int(p.name.split("-")[1].split(".")[0]) for p in root.glob("*gen-*") if p.is_dir()]
        number = max(numbers, default=0) + 1
        generation = f"gen-{number:06d}"
        staging = root / f".{generation}.partial"
        try:
            listing = self._save_documents(root / _DOCUMENTS)
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            faiss.write_index(self.index, str(staging / _VECTORS))  # straight to the file: no copy in memory
            _sync_file(staging / _VECTORS)
            meta = self._meta(listing) | {"vectors_sha256": _file_sha256(staging / _VECTORS)}
            _write(staging / _META, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
            _sync_dir(staging)
            os.rename(staging, root / generation)
            _write(root / f".{_POINTER}.partial", generation.encode("ascii"))
            os.replace(root / f".{_POINTER}.partial", root / _POINTER)
        except (OSError, RuntimeError) as error:  # faiss reports a failed write as a RuntimeError
            # Nothing half-written stays: the last good generation is still CURRENT.
            shutil.rmtree(staging, ignore_errors=True)
            (root / f".{_POINTER}.partial").unlink(missing_ok=True)
            for partial in (root / _DOCUMENTS).glob(".*.partial") if (root / _DOCUMENTS).is_dir() else ():
                partial.unlink(missing_ok=True)
            raise StorageError(f"could not save the index in {root}/ ({_describe(error)}); the last good "
                               "index is still the one answering") from None
        _sync_dir(root)
        self.generation = self.current = generation
        self.damaged = None
        _prune(root, generation, current, files={item["file"] for item in listing})

    def _save_documents(self, folder: Path) -> list[dict]:
        """Write the documents not yet on disk (each under the hash of its content, through a
        temporary name) and list every document as the generation's store.json holds it."""
        folder.mkdir(exist_ok=True)
        listing, wrote = [], False
        for doc_id, entry in self.entries.items():
            name = self._files.get(doc_id)
            if name is None or not (folder / f"{name}.json").is_file():
                data = json.dumps(_document_json(entry), ensure_ascii=False).encode("utf-8")
                name = hashlib.sha256(data).hexdigest()[:32]
                if not (folder / f"{name}.json").is_file():
                    _write(folder / f".{name}.partial", data)
                    os.replace(folder / f".{name}.partial", folder / f"{name}.json")
                    wrote = True
                self._files[doc_id] = name
            listing.append({"file": name, "doc_id": doc_id, "path": entry.path, "indexed_at": entry.indexed_at,
                            "chunk_ids": list(entry.chunk_ids)})
        if wrote:
            _sync_dir(folder)
        return listing

    @classmethod
    def load(cls, root: Path, fingerprint: dict | None = None) -> Store:
        """Load the current generation; refuse one built with another fingerprint. A generation
        whose files are truncated, changed (their checksums) or missing is passed over for the
        newest earlier one that loads, which says so in `damaged`; IndexDamagedError when none does."""
        generation = current_generation(root)
        if generation is None:
            raise IndexMissingError(f"no index in {root}/; build it with `qa index`")
        earlier = sorted((p.name for p in root.glob("gen-*") if p.is_dir() and p.name < generation), reverse=True)
        problems = []
        for candidate in (generation, *earlier):
            try:
                store = cls._load_generation(root, candidate, fingerprint)
            except _DAMAGE as error:
                problems.append(f"{candidate}: {_describe(error)}")
                log.warning("the index generation %s in %s/ does not load: %s", candidate, root, _describe(error))
                continue
            store.current = generation
            if problems:
                store.damaged = "; ".join(problems) + f"; answering from {candidate}"
                log.warning("answering from the index generation %s in %s/", candidate, root)
            return store
        raise IndexDamagedError(f"the index in {root}/ is damaged ({'; '.join(problems)}) and no earlier "
                                "generation loads; rebuild it with `qa index --rebuild`")

    @classmethod
    def _load_generation(cls, root: Path, generation: str, fingerprint: dict | None) -> Store:
        folder = root / generation
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        if meta.get("format") not in _READ_FORMATS:
            raise IndexMismatchError(
                f"the index in {root}/ has format {meta.get('format')}, this version reads "
                f"{' and '.join(map(str, _READ_FORMATS))}; rebuild it with `qa index --rebuild`")
        if fingerprint is not None and meta["fingerprint"] != fingerprint:
            differences = ", ".join(
                f"{key}: index has {meta['fingerprint'].get(key)!r}, settings say {value!r}"
                for key, value in fingerprint.items() if meta["fingerprint"].get(key) != value)
            raise IndexMismatchError(
                f"the index in {root}/ was built with other settings ({differences}); "
                "rebuild it with `qa index --rebuild` or use the settings it was built with")
        expected = meta.get("vectors_sha256")  # saved since checksums were kept
        if expected is not None and _file_sha256(folder / _VECTORS) != expected:
            raise _Damaged(f"{_VECTORS} is not the file that was saved (its checksum differs)")
        index = faiss.read_index(str(folder / _VECTORS))
        if meta["format"] == 2:
            entries = {item["document"]["doc_id"]: _entry(item) for item in meta["documents"]}
            files = {}
        else:
            entries = {item["doc_id"]: _entry(_listed(item, root / _DOCUMENTS)) for item in meta["documents"]}
            files = {item["doc_id"]: item["file"] for item in meta["documents"]}
        store = cls(meta["fingerprint"], index, entries, meta["next_id"], meta["built_at"])
        store.generation = generation
        store._files = files
        if len(store._owners) != index.ntotal:
            raise _Damaged(f"{index.ntotal} vectors for {len(store._owners)} chunks")
        return store

    def _meta(self, listing: list[dict]) -> dict:
        return {
            "format": FORMAT,
            "fingerprint": self.fingerprint,
            "built_at": self.built_at,
            "next_id": self.next_id,
            "documents": listing,
        }


@contextlib.contextmanager
def writer_lock(root: Path):
    """Hold the index's writer lock: two refreshes, in any processes, never run at once."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def exact_index(vectors: np.ndarray, ids: np.ndarray) -> faiss.IndexIDMap2:
    """Brute-force inner product over the vectors, with their chunk ids."""
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
    return index


def approximate_index(vectors: np.ndarray, ids: np.ndarray) -> faiss.IndexIVFFlat:
    """An inverted-file index over the vectors: 2 x sqrt(n) lists, `NPROBE` of them searched."""
    count, dimension = vectors.shape
    nlist = min(int(2 * np.sqrt(count)), count)
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).choice(count, min(count, 40 * nlist), replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct and remove by id
    index.add_with_ids(np.ascontiguousarray(vectors), ids)
    index.nprobe = NPROBE
    return index


def exists(root: Path) -> bool:
    return current_generation(root) is not None


def current_generation(root: Path) -> str | None:
    """The name of the generation `CURRENT` points to, if it is there."""
    try:
        name = (root / _POINTER).read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    return name if (root / name).is_dir() else None


class _Damaged(Exception):
    """A generation's file is not what was saved."""


# What a damaged generation raises on load: a file missing, truncated or changed.
_DAMAGE = (_Damaged, OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError)


def _describe(error: Exception) -> str:
    return str(error) if isinstance(error, _Damaged) else f"{type(error).__name__}: {error}"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _sync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _prune(root: Path, generation: str, previous: str | None, files: set[str]) -> None:
    """Remove generations but the new one and the one before it, leftovers of killed saves, and
    document files that neither the new generation (its `files`) nor the previous one lists."""
    for child in root.iterdir():
        stale = child.name.startswith("gen-") and child.name not in (generation, previous)
        if child.is_dir() and (stale or child.name.endswith(".partial")):
            shutil.rmtree(child, ignore_errors=True)
    meta = root / str(previous) / _META
    if previous is not None and meta.is_file():  # a format 2 generation lists no files
        files |= {item["file"] for item in json.loads(meta.read_bytes())["documents"] if "file" in item}
    for child in (root / _DOCUMENTS).iterdir():
        if child.name.endswith(".partial") or child.stem not in files:
            child.unlink(missing_ok=True)


def _document_json(entry: Entry) -> dict:
    """What a document's file under documents/ holds: the document and its chunks' offsets."""
    document = entry.document
    return {
        "document": {**{key: value for key, value in document.__dict__.items() if key != "paragraphs"},
                     "paragraphs": [[p.start, p.end, p.number, p.kind, *([list(p.breaks)] if p.breaks else [])]
                                    for p in document.paragraphs]},
        "chunks": [[chunk.start, chunk.end, chunk.tokens] for chunk in entry.chunks],
    }


def _listed(item: dict, folder: Path) -> dict:
    """A document listed in a format 3 store.json, read from its file as format 2 held it inline;
    the file is named by the hash of its content, which is checked."""
    data = (folder / f"{item['file']}.json").read_bytes()
    if hashlib.sha256(data).hexdigest()[:32] != item["file"]:
        raise _Damaged(f"{_DOCUMENTS}/{item['file']}.json is not the file that was saved (its checksum differs)")
    stored = json.loads(data)
    chunks = [[cid, *offsets] for cid, offsets in zip(item["chunk_ids"], stored["chunks"], strict=True)]
    return {"document": stored["document"], "path": item["path"], "indexed_at": item["indexed_at"],
            "chunks": chunks}


def _entry(item: dict) -> Entry:
    fields = dict(item["document"])
    paragraphs = tuple(Paragraph(*p[:4], tuple(p[4]) if len(p) > 4 else ()) for p in fields.pop("paragraphs"))
    # Kept since citations give pages; a document saved before has none.
    fields["pages"] = tuple(fields.get("pages", ()))
    document = Document(**fields, paragraphs=paragraphs)
    chunks = tuple(Chunk(document.doc_id, start, end, tokens) for _, start, end, tokens in item["chunks"])
    path = item["path"]
    if Path(path).is_absolute() and not Path(document.source).is_absolute():
        # Written before paths were kept relative: a report inside the corpus is its source.
        path = document.source
    return Entry(document, path, tuple(c[0] for c in item["chunks"]), chunks, item["indexed_at"])


def rename(entry: Entry, doc_id: str, source: str, path: str) -> tuple[Document, list[Chunk]]:
    """The document and chunks of `entry` under a new id and source, for a moved file."""
    document = replace(entry.document, doc_id=doc_id, source=source)
    return document, [replace(chunk, doc_id=doc_id) for chunk in entry.chunks]
