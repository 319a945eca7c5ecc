"""Token-bounded chunks of whole paragraphs, falling back to sentences, then to words."""

from __future__ import annotations

import re
from collections.abc import Callable

import tiktoken

from qa.config import Settings
from qa.reports.sentences import split_sentences
from qa.reports.tokens import load_encoding
from qa.types import Chunk, Document

_WORD = re.compile(r"\S+")


def make_chunker(settings: Settings, embedder) -> Chunker:
    """The chunker for an index built with `settings`, whose chunks `embedder` reads whole."""
    limit = embedder.max_tokens
    return Chunker(load_encoding(settings.encoding), settings.chunk_tokens,
                   lambda text: embedder.count_tokens(text) <= limit)


class Chunker:
    """Packs a document's paragraphs into chunks of at most `budget` tiktoken tokens.

    `fits` says whether a text is within what the embedding model reads; a chunk that is
    not (dense word pieces can outnumber tiktoken tokens) is split again, since the model
    would silently ignore its tail.
    """

    def __init__(self, encoding: tiktoken.Encoding, budget: int, fits: Callable[[str], bool]):
        self.encoding = encoding
        self.budget = budget
        self.fits = fits

    def count(self, text: str) -> int:
        return len(self.encoding.encode_ordinary(text))

    def chunk(self, document: Document) -> list[Chunk]:
        text = document.text
        spans: list[tuple[int, int]] = []
        current: tuple[int, int] | None = None
        current_tokens = 0
        for unit_start, unit_end, tokens in self._units(document):
            if current is not None and current_tokens + tokens + 1 <= self.budget:
                current = (current[0], unit_end)
                current_tokens += tokens + 1
                continue
            if current is not None:
                spans.append(current)
            current, current_tokens = (unit_start, unit_end), tokens
        if current is not None:
            spans.append(current)
        chunks = []
        for start, end in spans:
            for piece_start, piece_end in self._fit(text, start, end):
                chunks.append(Chunk(document.doc_id, piece_start, piece_end,
                                    self.count(text[piece_start:piece_end])))
        return chunks

    def _units(self, document: Document):
        """(start, end, tokens) of each paragraph, or of its sentences or word runs if too long."""
        text = document.text
        for paragraph in document.paragraphs:
            tokens = self.count(text[paragraph.start:paragraph.end])
            if tokens <= self.budget:
                yield paragraph.start, paragraph.end, tokens
                continue
            for start, end in split_sentences(text, paragraph.start, paragraph.end, paragraph.breaks):
                tokens = self.count(text[start:end])
                if tokens <= self.budget:
                    yield start, end, tokens
                else:
                    yield from self._word_runs(text, start, end)

    def _word_runs(self, text: str, start: int, end: int):
        run_start, run_end, run_tokens = None, start, 0
        for word in _WORD.finditer(text, start, end):
            tokens = self.count(" " + word.group())
            if run_start is not None and run_tokens + tokens > self.budget:
                yield run_start, run_end, run_tokens
                run_start, run_tokens = None, 0
            if run_start is None:
                run_start = word.start()
            run_end, run_tokens = word.end(), run_tokens + tokens
        if run_start is not None:
            yield run_start, run_end, run_tokens

    def _fit(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Split [start, end) at a whitespace near its middle until each part fits the model."""
        if self.fits(text[start:end]):
            return [(start, end)]
        middle = (start + end) // 2
        cut = text.rfind("\n", start + 1, middle + 1)
        if cut <= start:
            cut = text.rfind(" ", start + 1, middle + 1)
        if cut <= start:
            cut = middle
        right = cut
        while right < end and text[right].isspace():
            right += 1
        while cut > start + 1 and text[cut - 1].isspace():
            cut -= 1
        return self._fit(text, start, cut) + self._fit(text, right, end)
