"""Passages to extractive answers: the sentences that best answer the question, with citations.

Every sentence of the top passages is described by a few features (its similarity to the question,
its passage's, the share of the question's rare words it holds, ...), and a logistic model fitted
on held-out questions (`training/fit_scorer.py`, weights in `qa/models/scorer.json`) turns them into
the probability that the sentence answers the question. That probability is the answer's score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.embed import Embedder
from qa.errors import ConfigError
from qa.lexical import names, terms
from qa.sentences import split_sentences
from qa.store import Store
from qa.types import Answer, Citation, Document, Passage

SCORER = Path(__file__).resolve().parent / "models" / "scorer.json"
FEATURES = ("similarity", "passage", "coverage", "passage_rank", "name_missing", "words", "listed")
# Features known before the sentence is embedded; they choose which sentences are embedded.
CHEAP = FEATURES[1:]
# Embedding sentences dominates query time, so only this many of the likeliest are embedded.
SENTENCES_EMBEDDED = 12


@dataclass(frozen=True)
class Candidate:
    document: Document
    paragraph: int
    start: int
    end: int
    passage_score: float
    passage_rank: int

    @property
    def text(self) -> str:
        return self.document.text[self.start:self.end]


@dataclass(frozen=True)
class Scorer:
    """Logistic weights over FEATURES: the probability that a sentence answers the question."""

    weights: np.ndarray
    bias: float

    @classmethod
    def load(cls, path: Path = SCORER) -> Scorer:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            weights = np.array([data["weights"][name] for name in FEATURES], dtype=np.float64)
            return cls(weights, float(data["bias"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ConfigError(f"cannot read the answer scorer {path}: {error}") from None

    def logits(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights + self.bias

    def cheap_logits(self, features: np.ndarray) -> np.ndarray:
        """The logits without the similarity term (its column may still be empty)."""
        return features[:, 1:] @ self.weights[1:] + self.bias

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(features)))

    def shortlist(self, features: np.ndarray, limit: int) -> np.ndarray:
        """Rows of the `limit` likeliest sentences by the cheap features: the ones worth embedding."""
        return np.argsort(-self.cheap_logits(features), kind="stable")[:limit]


class SentenceReader:
    """Scores every sentence of the top passages against the question and cites the best."""

    def __init__(self, embedder: Embedder, scorer: Scorer | None = None, passages_read: int = 6,
                 sentences_embedded: int = SENTENCES_EMBEDDED) -> None:
        self.embedder = embedder
        self.scorer = scorer or Scorer.load()
        self.passages_read = passages_read
        self.sentences_embedded = sentences_embedded

    def read(self, store: Store, question: str, vector: np.ndarray, passages: list[Passage],
             limit: int) -> list[Answer]:
        """Up to `limit` answers, best first; each score is the probability that it answers."""
        candidates = self.candidates(store, passages)
        if not candidates:
            return []
        features = self.features(store, question, candidates)
        keep = self.scorer.shortlist(features, self.sentences_embedded)
        candidates, features = [candidates[i] for i in keep], features[keep]
        features[:, 0] = self.embedder.encode([c.text for c in candidates]) @ vector
        scores = self.scorer.probability(features)
        order = np.argsort(-scores, kind="stable")[:limit]
        return [cite(candidates[i].document, candidates[i].paragraph, candidates[i].start, candidates[i].end,
                     float(scores[i])) for i in order]

    def candidates(self, store: Store, passages: list[Passage]) -> list[Candidate]:
        """The sentences of the top passages, in order."""
        return [candidate for rank, passage in enumerate(passages[:self.passages_read])
                for candidate in _sentences(store.document(passage.doc_id), passage, rank)]

    def features(self, store: Store, question: str, candidates: list[Candidate],
                 vector: np.ndarray | None = None) -> np.ndarray:
        """One row of FEATURES a candidate; the similarity column only when `vector` is given."""
        wanted, named = terms(question), names(question)
        rows = np.zeros((len(candidates), len(FEATURES)))
        for row, candidate in zip(rows, candidates, strict=True):
            text = candidate.text
            row[1] = candidate.passage_score
            row[2] = store.lexicon.coverage(wanted, text)
            row[3] = 1.0 / (1 + candidate.passage_rank)
            # A report that does not mention a name the question asks about rarely answers it.
            row[4] = float(bool(named) and not named <= store.vocabulary(candidate.document.doc_id))
            row[5] = min(len(text.split()), 40) / 40
            row[6] = float(candidate.document.paragraphs[candidate.paragraph].kind in ("list", "table"))
        if vector is not None:
            rows[:, 0] = self.embedder.encode([c.text for c in candidates]) @ vector
        return rows


def _sentences(document: Document, passage: Passage, rank: int):
    first = document.paragraph_at(passage.start)
    for number in range(first, len(document.paragraphs)):
        paragraph = document.paragraphs[number]
        if paragraph.start >= passage.end:
            break
        if paragraph.kind == "heading":  # a heading names a topic; it does not answer a question
            continue
        start, end = max(paragraph.start, passage.start), min(paragraph.end, passage.end)
        for left, right in split_sentences(document.text, start, end):
            yield Candidate(document, number, left, right, passage.score, rank)


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
