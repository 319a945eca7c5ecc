"""The QA engine: wires settings, embedder, store, retriever and reader; `ask` and `refresh`."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from qa import store as stores
from qa.chunk import Chunker
from qa.config import Settings
from qa.embed import Embedder, make_embedder
from qa.errors import QuestionError
from qa.filters import Filters, Scope, without_scope
from qa.filters import scope as filters_scope
from qa.judgements import GRADE_SCORE, grade_citations, judgement_asked
from qa.read import SentenceReader, cite
from qa.refresh import RefreshSummary, refresh
from qa.retrieve import follow_up_context, query_vector, retrieve, with_context
from qa.span_reader import narrow, span_model
from qa.store import Store
from qa.tokens import load_encoding
from qa.types import Passage, Reply


class QA:
    """Answers questions from the index and keeps it up to date; safe to share between threads.

    Readers use whichever complete store is current; a refresh builds a new one and swaps it
    in with one assignment, so questions are never answered from a half-updated index.
    """

    def __init__(self, settings: Settings | None = None, embedder: Embedder | None = None) -> None:
        self.settings = settings or Settings.load()
        self.embedder = embedder or make_embedder(self.settings)
        self.reader = SentenceReader(self.embedder)
        self.spans = span_model(self.settings.reader)
        self._store: Store | None = None
        self._load_lock = threading.Lock()

    @property
    def store(self) -> Store:
        """The current store, loaded from disk on first use."""
        if self._store is None:
            with self._load_lock:
                if self._store is None:
                    self._store = Store.load(self.settings.index, self.settings.fingerprint())
        return self._store

    def warm_up(self) -> None:
        """Load the models and the index now rather than on the first question."""
        self.embedder.encode(["warm up"])
        if self.spans is not None:
            self.spans.best("warm up", "warm up")
        _ = self.store.lexical

    def index_exists(self) -> bool:
        return stores.exists(self.settings.index)

    def chunker(self) -> Chunker:
        limit = self.embedder.max_tokens
        return Chunker(load_encoding(self.settings.encoding), self.settings.chunk_tokens,
                       lambda text: self.embedder.count_tokens(text) <= limit)

    def refresh(self, paths: Sequence[Path] | None = None, rebuild: bool = False,
                progress: bool = False) -> RefreshSummary:
        """Index new and changed reports under `paths` (default: the corpus), drop removed ones."""
        settings = self.settings
        roots = [Path(path) for path in paths] if paths else [settings.corpus]
        with stores.writer_lock(settings.index):
            served = self._store
            if rebuild or not stores.exists(settings.index):
                store = Store.empty(settings.fingerprint(), self.embedder.dimension)
            elif served is not None and served.generation == stores.current_generation(settings.index):
                store = served.copy()  # what is on disk already, without reading it again
            else:
                store = Store.load(settings.index, settings.fingerprint())
            summary = refresh(store, roots, settings.corpus, self.chunker(), self.embedder, progress)
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

    def ask(self, question: str, history: Sequence[str] = (), top_k: int | None = None,
            filters: Filters | None = None) -> Reply:
        """Answer `question` (a follow-up of the `history` questions) with exact, cited spans.

        `filters` restrict the reports searched; an authority or year the question names steers it."""
        began = time.perf_counter()
        question = self.check_question(question)
        top_k = top_k or self.settings.top_k
        store = self.store
        judgement = judgement_asked(question)
        scope = self.scope(store, question, history, filters, judgement)
        if judgement:
            chosen = [entry.document for entry in store.entries.values()
                      if scope.doc_ids is None or entry.document.doc_id in scope.doc_ids]
            grades = grade_citations(chosen, judgement, scope.years, top_k)
            if grades and (scope.doc_ids is not None or scope.years):
                answers = tuple(cite(document, index, start, end, GRADE_SCORE)
                                for document, index, start, end in grades)
                return Reply(question, True, (time.perf_counter() - began) * 1000, answers)
        search, vector, passages = self.search(store, question, history, scope)
        answers = self.reader.read(store, search, vector, passages, top_k)
        if self.spans is not None:
            # Only the first answer is cut to its span: the reader costs about 25 ms a passage.
            answers = narrow(self.spans, question, answers[:1], self.settings.span_margin) + answers[1:]
        answered = bool(answers) and answers[0].score >= self.settings.threshold
        took_ms = (time.perf_counter() - began) * 1000
        if answered:
            return Reply(question, True, took_ms, tuple(answers))
        return Reply(question, False, took_ms, (), tuple(answers))

    @staticmethod
    def scope(store: Store, question: str, history: Sequence[str] = (), filters: Filters | None = None,
              judgement: str | None = None) -> Scope:
        """The reports the question (read with the follow-up's context) is asked of."""
        documents = [entry.document for entry in store.entries.values()]
        return filters_scope(documents, with_context(question, history), filters or Filters(),
                             ("inspection",) if judgement else ())

    def search(self, store: Store, question: str, history: Sequence[str], scope: Scope
               ) -> tuple[str, np.ndarray, list[Passage]]:
        """The question as searched (without the names and years that chose the scope), its vector
        and the best passages in scope."""
        search = without_scope(question, scope)
        context = [without_scope(text, scope) for text in follow_up_context(question, history)]
        vector = query_vector(self.embedder, search, context)
        passages = retrieve(store, vector, " ".join([search, *context]), self.settings.candidates, scope)
        return search, vector, passages

    def check_question(self, question: str) -> str:
        if not isinstance(question, str) or not question.strip():
            raise QuestionError("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise QuestionError(f"the question is {len(question):,} characters; the limit is "
                                f"{self.settings.max_question_chars:,}")
        return question.strip()
