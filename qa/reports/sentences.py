"""Sentences of a stored text, as character offsets into it."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9£])")
_NUMBER_ONLY = re.compile(r"\d{1,3}\.$")
_LINE_BREAK = re.compile(r"\n")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "cllr", "prof", "rev", "e.g", "i.e", "vs", "etc"}


def split_sentences(text: str, start: int = 0, end: int | None = None,
                    breaks: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Sentence offsets within `text[start:end]`, skipping common abbreviations and initials; a
    sentence also ends at each of `breaks` (where a list's next item starts)."""
    end = len(text) if end is None else end
    cuts = [start]
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group().startswith(".") and _is_abbreviation(text, match.start(), start):
            continue
        cuts.append(match.end())
    # A line break inside a paragraph separates list items, table rows or address lines.
    cuts.extend(match.start() + 1 for match in _LINE_BREAK.finditer(text, start, end))
    cuts.extend(breaks)
    cuts = sorted(set(cuts)) + [end]
    spans = (_strip(text, left, right) for left, right in zip(cuts, cuts[1:], strict=False))
    return [(left, right) for left, right in spans if right > left and not _NUMBER_ONLY.match(text, left, right)]


def _is_abbreviation(text: str, dot: int, floor: int) -> bool:
    word_start = dot
    while word_start > floor and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[word_start].isupper())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
