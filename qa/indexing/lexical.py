"""The words of a text as lexical search counts them, and the names a question mentions."""

from __future__ import annotations

import re

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
    return [stem(word) for word in words if word not in STOPWORDS]


def stem(word: str) -> str:
    """A word without its plural ending."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z'’-]+")


def names(question: str) -> set[str]:
    """Terms of the capitalised words in a question, not counting its first word: places, people."""
    return {term for match in _NAME.finditer(question.strip()) for term in terms(match.group())}
