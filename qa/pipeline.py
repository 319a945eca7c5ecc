"""The QA engine: wires settings, embedder, store, retriever and reader; `ask` and `refresh`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from qa.answer.filters import Filters, Scope, authority_of, in_region, without_scope
from qa.answer.filters import scope as filters_scope
from qa.answer.from_lists import ListScores, StructureAnswers
from qa.answer.query import Query, understand
from qa.answer.read import LEAST_SIMILARITY, PassageReader, cite
from qa.answer.retrieve import query_vector, retrieve
from qa.answer.span_reader import SpanModel, span_model
from qa.answer.tables import JUDGEMENTS, Row, across_authorities, judgement_table, over_time, ungraded
from qa.config import Settings
from qa.errors import IndexBuildingError, IndexDamagedError, IndexMissingError, QAError, QuestionError
from qa.indexing import store as stores
from qa.indexing.cluster import RayIndexer
from qa.indexing.embed import Embedder, make_embedder
from qa.indexing.refresh import LocalIndexer, Progress, RefreshSummary, refresh
from qa.indexing.store import Store
from qa.ofsted import authorities
from qa.ofsted.judgements import grade_citations
from qa.reports.chunk import Chunker, make_chunker
from qa.types import Answer, Passage, Reply


@dataclass(frozen=True)
class Asked:
    """A question as the ways of answering it see it: its text, how it is understood, the reports it
    is asked of, the filters given and how many answers are wanted."""

    question: str
    query: Query
    scope: Scope
    filters: Filters
    top_k: int
    store: Store


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

    def ask(self, question: str, history: Sequence[str] = (), top_k: int | None = None,
            filters: Filters | None = None) -> Reply:
        """Answer `question` (a follow-up of the `history` questions) with exact, cited spans.

        `filters` restrict the reports searched; an authority or year the question names steers it.
        The ways of answering are tried in turn, each a method that takes the question as asked
        and gives a reply or leaves it to the next: an authority no report is about, a table of
        grades, a front page, the report's structure, a grade no report gives, and the reader."""
        began = time.perf_counter()
        question = self.check_question(question)
        store = self.store
        query = self.understand(store, question, history)
        asked = Asked(question, query, self.scope(store, query, filters), filters or Filters(),
                      top_k or self.settings.top_k, store)
        for way in (self._unknown_authority, self._table, self._front_page, self._structure, self._ungraded):
            reply = way(asked)
            if reply is not None:
                break
        else:
            reply = self._reader(asked)
        return replace(reply, took_ms=(time.perf_counter() - began) * 1000)

    @staticmethod
    def _unknown_authority(asked: Asked) -> Reply | None:
        """An authority that no report is about, or a name that is not made out: another
        authority's reports must not answer it."""
        query = asked.query
        # "Which councils in Yorkshire ...?" asks about several; "in the North West", about a region's.
        unsure = query.could_mean and not query.many and not query.region
        if query.authorities or asked.filters.authority or not (query.absent or unsure):
            return None
        could_mean = tuple(authorities.display(key) or key for key in query.could_mean) if unsure else ()
        return Reply(asked.question, False, 0.0, could_mean=could_mean,
                     reason="authority_not_made_out" if unsure else "no_report_about_authority")

    def _table(self, asked: Asked) -> Reply | None:
        """A grade asked of many authorities, or a judgement's change across one's inspections."""
        query = asked.query
        table = self.table(asked.store, query, asked.filters)
        if table is None:
            return None
        if query.change and not (query.many or query.grade_named):
            # One authority's change asked without naming a grade ("Has Luton improved since 2022?"):
            # in the reports' own words when they say it ("much better than at the time of the last
            # inspection"), with each inspection's grade. Of 17 such training questions the grades
            # alone were right for none, the reader's words for 15.
            answered, answers, closest = self.read(asked.store, query, asked.scope, asked.top_k)
            if answered:
                return Reply(asked.question, True, 0.0, answers, closest, table=tuple(table),
                             searched_for=query.searched_for)
        answers = tuple(row.answer for row in table if row.answer)
        return Reply(asked.question, bool(answers), 0.0, answers[:asked.top_k], table=tuple(table),
                     reason=None if answers else "grade_not_given")

    def _front_page(self, asked: Asked) -> Reply | None:
        answers = self.front_page(asked.store, asked.query, asked.scope, asked.top_k)
        return Reply(asked.question, True, 0.0, answers) if answers else None

    def _structure(self, asked: Asked) -> Reply | None:
        """Who carried out a visit, what initials stand for, what must improve (qa.answer.from_lists)."""
        store, query, scope = asked.store, asked.query, asked.scope
        answers = self.structure.inspectors(store, query, scope) or self.structure.spelt_out(
            store, query, scope) or self.structure.must_improve(store, query, scope,
                                                                without_scope(query.asked, scope), asked.top_k)
        if not answers or answers[0].score < self.settings.threshold:
            return None
        return Reply(asked.question, True, 0.0, answers, searched_for=query.searched_for)

    def _ungraded(self, asked: Asked) -> Reply | None:
        """The inspections asked about give no such grade: not found, with why, and the grades they
        do give as the closest passages."""
        missing = self.ungraded(asked.store, asked.query, asked.scope)
        if not missing:
            return None
        closest = [judgement_table(asked.store.document(row.doc_id), 0.0) for row in missing]
        return Reply(asked.question, False, 0.0, closest=tuple(answer for answer in closest if answer)[:asked.top_k],
                     table=tuple(missing), reason="grade_not_given")

    def _reader(self, asked: Asked) -> Reply:
        """The span reader's answers from the best passages in scope, or not found with them as the
        closest passages."""
        query, scope = asked.query, asked.scope
        answered, answers, closest = self.read(asked.store, query, scope, asked.top_k)
        if answered:
            return Reply(asked.question, True, 0.0, answers, closest, searched_for=query.searched_for)
        empty = scope.doc_ids is not None and not scope.doc_ids  # the filters leave no report
        return Reply(asked.question, False, 0.0, (), closest, searched_for=query.searched_for,
                     reason="nothing_in_scope" if empty else "not_in_reports")

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

    def front_page(self, store: Store, query: Query, scope: Scope, top_k: int) -> tuple[Answer, ...]:
        """The grade, lead inspector or dates asked for, from the front pages of the reports in
        scope, newest first; nothing when the question asks none of these, asks them of no
        authority in particular (no report's to give), or asks about a change (the reader compares
        reports). A question about the present is answered from the latest inspection only."""
        if not query.judgement or query.past or scope.doc_ids is None:
            return ()
        chosen = [entry.document for entry in store.entries.values() if entry.document.doc_id in scope.doc_ids]
        if scope.latest:
            inspections = [d for d in chosen if d.kind == "inspection" and d.date]
            chosen = [max(inspections, key=lambda d: d.date)] if inspections else []
        return tuple(cite(document, index, start, end, self.reader.scorer.front_page(query.judgement))
                     for document, index, start, end in grade_citations(chosen, query.judgement, scope.years, top_k))

    @staticmethod
    def ungraded(store: Store, query: Query, scope: Scope) -> list[Row]:
        """For a grade asked of an authority's inspections (the latest, for the present) that none
        of them gives, a row per inspection saying why; else nothing."""
        if query.judgement not in JUDGEMENTS or query.past or scope.doc_ids is None:
            return []
        chosen = [store.document(doc_id) for doc_id in scope.doc_ids]
        chosen = [d for d in chosen if not scope.years or d.years & set(scope.years)]
        if scope.latest:
            dated = [d for d in chosen if d.kind == "inspection" and d.date]
            newest = max((d.date for d in dated), default=None)
            chosen = [d for d in dated if d.date == newest]
        return ungraded(chosen, query.judgement)

    def table(self, store: Store, query: Query, filters: Filters) -> list[Row] | None:
        """A grade asked of many authorities' inspections, or a judgement's change across one
        authority's inspections, as one cited row per inspection; None for any other question."""
        named = {authorities.canonical(filters.authority)} if filters.authority else set(query.authorities)
        documents = [entry.document for entry in store.entries.values() if filters.matches(entry.document)]
        scorer = self.reader.scorer
        if query.many and not named and query.judgement in JUDGEMENTS:
            if query.region and not filters.region:
                documents = [d for d in documents if in_region(d, query.region)]
            return across_authorities(documents, query.judgement, query.grades, query.years,
                                      scorer.front_page(query.judgement))
        if query.change and len(named) == 1:
            return over_time([d for d in documents if authority_of(d) in named], query.change, query.since,
                             scorer.front_page(query.change))
        return None

    @staticmethod
    def understand(store: Store, question: str, history: Sequence[str] = ()) -> Query:
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
        context = [without_scope(text, scope) for text in query.context]
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
