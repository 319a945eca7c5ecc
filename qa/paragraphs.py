"""Paragraphs and sentences of a cleaned text, as character offsets into it."""

from __future__ import annotations

import re

from qa.types import Paragraph

_BLOCK = re.compile(r"[^\n](?:[^\n]|\n(?![ \t]*\n))*")
# A numbered paragraph starts a line: "10. When ..." or "10." alone on its line.
_NUMBERED = re.compile(r"^(\d{1,3})\.(?=\s|$)", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9£])")
_NUMBER_ONLY = re.compile(r"\d{1,3}\.$")
_BULLET_LINE = re.compile(r"\n(?=[-•*●▪◦·–] )")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "cllr", "prof", "rev", "e.g", "i.e", "vs", "etc"}
_MAX_NUMBER = 999


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Blocks separated by blank lines, further split where a numbered paragraph begins."""
    paragraphs: list[Paragraph] = []
    for block in _BLOCK.finditer(text):
        starts = [block.start()]
        numbers: list[int | None] = [None]
        for match in _NUMBERED.finditer(text, block.start(), block.end()):
            number = int(match.group(1))
            if match.start() == block.start():
                numbers[0] = number
            elif 0 < number <= _MAX_NUMBER:
                starts.append(match.start())
                numbers.append(number)
        ends = starts[1:] + [block.end()]
        for start, end, number in zip(starts, ends, numbers, strict=True):
            start, end = _strip(text, start, end)
            if end > start:
                paragraphs.append(Paragraph(start, end, number))
    return tuple(paragraphs)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence offsets within `text[start:end]`, skipping common abbreviations and initials."""
    end = len(text) if end is None else end
    cuts = [start]
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group().startswith(".") and _is_abbreviation(text, match.start(), start):
            continue
        cuts.append(match.end())
    cuts.extend(match.start() + 1 for match in _BULLET_LINE.finditer(text, start, end))
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
