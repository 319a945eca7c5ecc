"""Words that are no word at all, and what they were meant to be.

A word is taken as typed when it is an English word (one that the embedder's tokenizer knows
whole), a term of the reports, a number or short. Any other word of a question is corrected to the
commonest term of the reports within a small edit distance (transpositions count as one edit): one
edit for words of up to 7 letters, two for longer ones, keeping the word's plural ending
("servises" is searched for as "services", "directer" as "director").
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from qa.config import MODELS
from qa.indexing.lexical import STOPWORDS, stem

_TOKENIZER = MODELS / "embedder" / "tokenizer.json"
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*[A-Za-z]|[A-Za-z]")
# Terms in fewer chunks than this are not offered as corrections: the reports' own typos and
# extraction breaks ("childrenin") are rarer than the words a question misspells.
MIN_CHUNKS = 3


@functools.lru_cache(maxsize=1)
def english() -> frozenset[str]:
    """Lower-case English words: the whole words of the embedder's WordPiece vocabulary."""
    vocabulary = json.loads(_TOKENIZER.read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(word for word in vocabulary if word.isalpha() and word.isascii())


def is_word(word: str) -> bool:
    """Whether a lower-case word is English as it stands, or once its plural or possessive goes."""
    folded = word.replace("’", "'")
    bare = folded[:-2] if folded.endswith("'s") else folded.rstrip("'")
    return any(form in english() or form in STOPWORDS for form in (folded, bare, stem(bare), bare.replace("'", "")))


def allowed_edits(length: int) -> int:
    """The edits a typo of a word this long may hold: none under 4 letters, one up to 7, two above."""
    return 0 if length < 4 else 1 if length <= 7 else 2


class Speller:
    """Corrects words against the terms of an index and how many chunks hold each."""

    def __init__(self, terms: list[str], chunks: np.ndarray) -> None:
        keep = [i for i, term in enumerate(terms) if chunks[i] >= MIN_CHUNKS and term.isalpha()]
        # Stop words are in no index, and are the words a question misspells most ("whiich", "wat").
        common = sorted(STOPWORDS - {terms[i] for i in keep})
        self.terms = [terms[i] for i in keep] + common
        chunks = np.asarray(chunks)
        self.chunks = np.concatenate([chunks[keep], np.full(len(common), chunks.max(initial=0))])
        self._known = frozenset(terms)

    def correct(self, word: str) -> str | None:
        """The word meant by a lower-case `word` that is neither English nor a term of the index,
        or None when it is one, or nothing in the index is close enough."""
        if not word.isalpha() or is_word(word) or stem(word) in self._known:
            return None
        base = stem(word)
        edits = allowed_edits(len(base))
        if not edits:
            return None
        found = process.extract(base, self.terms, scorer=DamerauLevenshtein.distance, score_cutoff=edits,
                                limit=None)
        if not found:
            return None
        # The fewest edits, then the same first letter (a typo rarely starts a word), then the commonest.
        term, _, _ = min(found, key=lambda hit: (hit[1], hit[0][0] != base[0], -self.chunks[hit[2]]))
        return term + word[len(base):]

    def correct_text(self, text: str, keep: Callable[[str], bool] = lambda word: False
                     ) -> tuple[str, dict[str, str]]:
        """`text` with each misspelt word that `keep` does not keep replaced (its first letter's
        case kept), and the corrections."""
        corrections: dict[str, str] = {}

        def fix(match: re.Match) -> str:
            typed = match.group()
            corrected = None if keep(typed) else self.correct(typed.lower())
            if corrected is None:
                return typed
            corrections[typed] = corrected
            return corrected.capitalize() if typed[0].isupper() else corrected

        return _WORD.sub(fix, text), corrections
