"""Passages to extractive answers: the sentences that best answer the question, with citations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa.embed import Embedder
from qa.lexical import names, terms
from qa.sentences import split_sentences
from qa.store import Store
from qa.types import Answer, Citation, Document, Passage

# A report that does not mention a name the question asks about rarely answers it.
MISSING_NAME_FACTOR = 0.5
# Weights of sentence similarity, passage similarity and the question's rare words covered.
WEIGHTS = (0.4, 0.2, 0.4)


@dataclass(frozen=True)
class _Candidate:
    document: Document
    paragraph: int
    start: int
    end: int
    passage_score: float


class SentenceReader:
    """Scores every sentence of the top passages against the question and cites the best."""

    def __init__(self, embedder: Embedder, passages_read: int = 6, sentences_embedded: int = 12) -> None:
        self.embedder = embedder
        self.passages_read = passages_read
        self.sentences_embedded = sentences_embedded

    def read(self, store: Store, question: str, vector: np.ndarray, passages: list[Passage],
             limit: int) -> list[Answer]:
        """Up to `limit` answers, best first; scores are in [0, 1]."""
        candidates = [candidate for passage in passages[:self.passages_read]
                      for candidate in _sentences(store.document(passage.doc_id), passage)]
        if not candidates:
            return []
        wanted = terms(question)
        texts = [c.document.text[c.start:c.end] for c in candidates]
        coverage = np.array([store.lexicon.coverage(wanted, text) for text in texts])
        passage = np.array([c.passage_score for c in candidates])
        sentence_weight, passage_weight, coverage_weight = WEIGHTS
        # Embedding sentences dominates query time, so only the likeliest few are embedded.
        cheap = passage_weight * passage + coverage_weight * coverage
        keep = np.argsort(-cheap, kind="stable")[:self.sentences_embedded]
        candidates = [candidates[i] for i in keep]
        similarity = self.embedder.encode([texts[i] for i in keep]) @ vector
        scores = sentence_weight * similarity + cheap[keep]
        named = names(question)
        if named:
            scores *= np.array([1.0 if named <= store.vocabulary(c.document.doc_id) else MISSING_NAME_FACTOR
                                for c in candidates])
        order = np.argsort(-scores, kind="stable")[:limit]
        return [cite(candidates[i].document, candidates[i].paragraph, candidates[i].start, candidates[i].end,
                     float(np.clip(scores[i], 0.0, 1.0))) for i in order]


def _sentences(document: Document, passage: Passage):
    first = document.paragraph_at(passage.start)
    for number in range(first, len(document.paragraphs)):
        paragraph = document.paragraphs[number]
        if paragraph.start >= passage.end:
            break
        if paragraph.kind == "heading":  # a heading names a topic; it does not answer a question
            continue
        start, end = max(paragraph.start, passage.start), min(paragraph.end, passage.end)
        for left, right in split_sentences(document.text, start, end):
            yield _Candidate(document, number, left, right, passage.score)


def cite(document: Document, index: int, start: int, end: int, score: float) -> Answer:
    """The answer `document.text[start:end]`, cited by its paragraph (`index`) and the report."""
    paragraph = document.paragraphs[index]
    citation = Citation(
        doc_id=document.doc_id, title=document.title, date=document.date, source=document.source,
        paragraph=document.text[paragraph.start:paragraph.end], paragraph_number=paragraph.number,
        section=document.section(index), authority=document.authority, kind=document.kind,
        reference=document.reference(index),
        start=start - paragraph.start, end=end - paragraph.start, doc_start=start, doc_end=end,
        sentence_start=start - paragraph.start, sentence_end=end - paragraph.start)
    return Answer(document.text[start:end], score, citation)
