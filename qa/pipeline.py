"""The QA engine: wires settings, embedder, store, retriever and reader; `ask` and `refresh`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa.answer.asked import Asked
from qa.answer.filters import Filters, Scope, without_scope
from qa.answer.filters import scope as filters_scope
from qa.answer.from_lists import ListScores, StructureAnswers
from qa.answer.query import Query, understand
from qa.answer.read import LEAST_SIMILARITY, PassageReader
from qa.answer.retrieve import query_vector, retrieve
from qa.answer.span_reader import SpanModel, span_model
from qa.answer.ways import WAYS
from qa.config import Settings
from qa.errors import IndexBuildingError, IndexDamagedError, IndexMissingError, QAError, QuestionError
from qa.indexing import store as stores
from qa.indexing.cluster import RayIndexer
from qa.indexing.embed import Embedder, make_embedder
from qa.indexing.refresh import LocalIndexer, Progress, RefreshSummary, refresh
from qa.indexing.store import Store
from qa.reports.chunk import Chunker, make_chunker
from qa.types import Answer, Passage, Reply, Turn

# A refresh saves the reports indexed so far as a generation after every this many.
CHECKPOINT_REPORTS = 200


class QA:
    """Answers questions from the index and keeps it up to date; safe to share between threads.

    Readers use whichever complete store is current; a refresh builds a new one and swaps it
    in with one assignment, so questions are never answered from a half-updated index.
    """

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None,
                 spans: SpanModel | None = None) -> None:
        """`embedder` and `spans` (the span reader's model) default to the ones the settings name."""
        self.settings = settings or Settings.load()
        self.embedder = embedder or make_embedder(self.settings)
        self.spans = spans or span_model(self.settings.reader)
        self.reader = PassageReader(self.spans, passages_read=self.settings.passages_read)
        self.structure = StructureAnswers(self.embedder, ListScores.load())
        self._store: Store | None = None
        self._load_lock = threading.Lock()
        self._refreshes = 0
        self._count_lock = threading.Lock()
        self.progress = Progress()  # of the latest refresh

    @property
    def refreshing(self) -> bool:
        """Whether a refresh is running (answers come from the last complete index meanwhile)."""
        return self._refreshes > 0

    @property
    def store(self) -> Store:
        """The current store, loaded from disk on first use."""
        if self._store is None:
            with self._load_lock:
                if self._store is None:
                    try:
                        self._store = Store.load(self.settings.index, self.settings.fingerprint())
                    except (IndexMissingError, IndexDamagedError):
                        if not self.refreshing:
                            raise
                        raise IndexBuildingError(
                            f"the index is being built: {self.progress.describe()}; answers start when the "
                            f"first {CHECKPOINT_REPORTS} are indexed") from None
        return self._store

    def follow(self) -> bool:
        """Swap in a newer generation of the index that another process saved (several servers
        over one index folder); True if it did. Answers keep coming from the current store until
        the new one is loaded."""
        served = self._store
        latest = stores.current_generation(self.settings.index)
        if served is None or latest is None or latest == served.current:
            return False
        store = Store.load(self.settings.index, self.settings.fingerprint())
        store.build_lexical_after(served)
        self._store = store
        return True

    def warm_up(self) -> None:
        """Load the models and the index now rather than on the first question."""
        self.embedder.encode(["warm up"])
        self.spans.best("warm up", "warm up")
        try:
            _ = self.store.lexical
        except IndexBuildingError:
            pass  # the first index is being built; its search is built on its first question

    def index_exists(self) -> bool:
        return stores.exists(self.settings.index)

    def chunker(self) -> Chunker:
        return make_chunker(self.settings, self.embedder)

    def refresh_in_background(self, rebuild: bool = False,
                              report: Callable[[RefreshSummary | QAError], None] = lambda outcome: None
                              ) -> threading.Thread:
        """Refresh from the corpus in a thread, counted as running from now, so that /api/health and
        questions see it at once; `report` gets what it did, or the error that stopped it."""
        with self._count_lock:
            self._refreshes += 1

        def run() -> None:
            try:
                report(self._refresh(None, rebuild, False, None))
            except QAError as error:
                report(error)
            finally:
                with self._count_lock:
                    self._refreshes -= 1

        thread = threading.Thread(target=run, name="background-refresh", daemon=True)
        thread.start()
        return thread

    def refresh(self, paths: Sequence[Path] | None = None, rebuild: bool = False,
                progress: bool = False, ray: str | None = None) -> RefreshSummary:
        """Index new and changed reports under `paths` (default: the corpus), drop removed ones.
        With `ray` (a cluster address, or "local"), they are read and embedded on that Ray cluster."""
        with self._count_lock:
            self._refreshes += 1
        try:
            return self._refresh(paths, rebuild, progress, ray)
        finally:
            with self._count_lock:
                self._refreshes -= 1

    def _refresh(self, paths: Sequence[Path] | None, rebuild: bool, progress: bool,
                 ray: str | None) -> RefreshSummary:
        settings = self.settings
        roots = [Path(path) for path in paths] if paths else [settings.corpus]
        with stores.writer_lock(settings.index):
            served = self._store
            if rebuild or not stores.exists(settings.index):
                store = Store.empty(settings.fingerprint(), self.embedder.dimension)
            elif served is not None and served.current == stores.current_generation(settings.index):
                store = served.copy()  # what is on disk already, without reading it again
            else:
                store = Store.load(settings.index, settings.fingerprint())
            indexer = RayIndexer(settings, ray) if ray else LocalIndexer(self.chunker(), self.embedder)
            self.progress = Progress()
            # Here (not on Ray, which starts once per call), the reports indexed so far are saved as a
            # generation every CHECKPOINT_REPORTS, so that a refresh that is killed resumes from there
            # and a first build is answered from before it ends.
            summary = refresh(store, roots, settings.corpus, indexer, progress, self.progress,
                              None if ray else self._checkpoint, CHECKPOINT_REPORTS)
            if summary.modified or rebuild or not stores.exists(settings.index):
                store.fit_index()
                with summary.timings.stage("write"):
                    store.save(settings.index)
                summary.took_s += summary.timings.seconds["write"]
            elif served is not None and served.generation == store.generation:
                return summary  # nothing changed: keep serving the same store
            if served is not None:
                store.build_lexical_after(served)
            self._store = store
        return summary

    def _checkpoint(self, partial: Store) -> None:
        partial.fit_index()
        partial.save(self.settings.index)
        if self._store is None:
            self._store = partial.copy()  # nothing to answer from yet: what is indexed so far

    def ask(self, question: str, history: Sequence[str | Turn] = (), top_k: int | None = None,
            filters: Filters | None = None) -> Reply:
        """Answer `question` (a follow-up of the `history` turns: the earlier questions, or Turns
        with the answers they got) with exact, cited spans.

        `filters` restrict the reports searched; an authority or year the question names steers it.
        The ways of answering (qa.answer.ways) are tried in turn until one replies. A question that
        leans on the report the chat's last answer cites (`Query.on_earlier_report`) is asked of that
        report first, and of the reports in scope when that report has no answer."""
        began = time.perf_counter()
        asked = self.asked(question, history, top_k, filters)
        reply = None
        earlier = asked.query.on_earlier_report
        if earlier and not asked.filters and earlier in asked.store.entries:
            # Naming no authority, year or region, without filters, the question's scope is every report.
            reply = _reply(replace(asked, scope=replace(asked.scope, doc_ids=frozenset({earlier}))))
            reply = reply if reply.answered else None
        reply = reply or _reply(asked)
        return replace(reply, took_ms=(time.perf_counter() - began) * 1000)

    def asked(self, question: str, history: Sequence[str | Turn] = (), top_k: int | None = None,
              filters: Filters | None = None) -> Asked:
        """The question checked and understood, with the reports it is asked of, for the ways of
        answering it."""
        question = self.check_question(question)
        store = self.store
        query = self.understand(store, question, history)
        return Asked(question, query, self.scope(store, query, filters), filters or Filters(),
                     top_k or self.settings.top_k, store, self)

    def read(self, store: Store, query: Query, scope: Scope,
             top_k: int) -> tuple[bool, tuple[Answer, ...], tuple[Answer, ...]]:
        """Whether the reader's best answer from the best passages in scope is good enough to give
        (its score at least the threshold, and a passage read at least LEAST_SIMILARITY like the
        question); the answers given (the best, and the others that score at least the threshold
        too); and the closest passages that are not answers (the rest, or all when none is given)."""
        _, _, passages = self.search(store, query, scope)
        found = tuple(self.reader.read(store, query, passages, top_k))
        threshold = self.settings.threshold
        answered = bool(found) and found[0].score >= threshold and \
            max(p.score for p in passages[:self.reader.passages_read]) >= LEAST_SIMILARITY
        if not answered:
            return False, (), found
        given = found[:1] + tuple(answer for answer in found[1:] if answer.score >= threshold)
        return True, given, tuple(answer for answer in found[1:] if answer.score < threshold)

    @staticmethod
    def understand(store: Store, question: str, history: Sequence[str | Turn] = ()) -> Query:
        """The question as understood, with the authorities of the index to recognise and its terms
        to correct misspelt words against."""
        return understand(question, history, store.authorities, store.lexical.speller)

    @staticmethod
    def scope(store: Store, query: Query, filters: Filters | None = None) -> Scope:
        """The reports the question is asked of."""
        documents = [entry.document for entry in store.entries.values()]
        return filters_scope(documents, query, filters or Filters(), ("inspection",) if query.judgement else ())

    def search(self, store: Store, query: Query, scope: Scope, k: int | None = None
               ) -> tuple[str, np.ndarray, list[Passage]]:
        """The question as searched (without the names and years that chose the scope), its vector
        and the `k` (default: the candidates setting) best passages in scope."""
        search = without_scope(query.asked, scope)
        context = [without_scope(text, scope) for text in query.searched_context]
        vector = query_vector(self.embedder, search, context)
        passages = retrieve(store, vector, " ".join([search, *context]), k or self.settings.candidates, scope)
        return search, vector, passages

    def check_question(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(f"the question is {len(question):,} characters; the limit is "
                                f"{self.settings.max_question_chars:,}")
        if not question.isascii():
            try:
                question.encode("utf-8")
            except UnicodeEncodeError:
                raise QuestionError("the question is not valid Unicode text (it holds a lone surrogate)") from None
        return question.strip()


def _reply(asked: Asked) -> Reply:
    """The reply of the first way of answering that gives one."""
    return next(reply for reply in (way(asked) for way in WAYS) if reply is not None)
