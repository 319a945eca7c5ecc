"""Word statistics of the indexed chunks: how much of a question's rare vocabulary a text covers."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9]+")
_POSSESSIVE = re.compile(r"['’]s\b")
STOPWORDS = frozenset("""
a about above after again all also am an and any are as at be because been before being between
both but by can could did do does doing done during each few for from further had has have having
he her here hers him his how i if in into is it its itself just me more most my no nor not now of
off on once only or other our out over own same she should so some such than that the their them
then there these they this those through to too under until up very was we were what when where
which while who whom why will with would you your say said says tell told report reports
""".split())


def terms(text: str) -> list[str]:
    """Lower-cased content words, lightly stemmed so that plurals and possessives match."""
    words = _WORD.findall(_POSSESSIVE.sub("", text.lower()))
    return [_stem(word) for word in words if word not in STOPWORDS]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z'’-]+")


def names(question: str) -> set[str]:
    """Terms of the capitalised words in a question, not counting its first word: places, people."""
    return {term for match in _NAME.finditer(question.strip()) for term in terms(match.group())}


class Lexicon:
    """Inverse document frequencies over a set of texts given as term lists (BM25's non-negative form)."""

    def __init__(self, texts: Iterable[list[str]]) -> None:
        frequencies: Counter[str] = Counter()
        count = 0
        for words in texts:
            frequencies.update(set(words))
            count += 1
        self.count = count
        self.frequencies = frequencies

    def idf(self, term: str) -> float:
        frequency = self.frequencies.get(term, 0)
        return math.log(1 + (self.count - frequency + 0.5) / (frequency + 0.5))

    def coverage(self, question_terms: list[str], text: str) -> float:
        """Share of the question's IDF weight whose terms occur in `text`, in [0, 1]."""
        wanted = set(question_terms)
        if not wanted:
            return 0.0
        present = set(terms(text))
        total = sum(self.idf(term) for term in wanted)
        return sum(self.idf(term) for term in wanted if term in present) / total
