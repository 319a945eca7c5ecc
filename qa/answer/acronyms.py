"""What a report's own initials stand for ("What does LEAP stand for in Bradford's leaving care
service?"): the words the report spells them out in, where it introduces them, "Learning,
Employment, Advice, Preparation (LEAP)" or "the ATLAS group (Accept, Teach, Listen, Access,
Support)"."""

from __future__ import annotations

import re

from qa.types import Document

# Words an expansion may hold that give no letter to its initials.
_MINOR = frozenset("a an and as at by for from in into of on or the to with".split())
# The most words read before initials in brackets.
_MOST_WORDS = 16
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def letters(initials: str) -> str:
    """The letters initials spell, lower-cased ("MST-CAN": "mstcan")."""
    return "".join(character for character in initials.lower() if character.isalpha())


def expansion(document: Document, initials: str) -> tuple[int, int, int] | None:
    """(paragraph index, start, end) of the first place the report spells `initials` out."""
    wanted = letters(initials)
    if len(wanted) < 2:
        return None
    text = document.text
    quoted = r"['‘’\"]?"
    named = f"(?i:{re.escape(initials)})"  # as the report writes them, whatever the question's case
    for match in re.finditer(rf"\({quoted}{named}{quoted}\)", text):
        found = _spelt_before(text, match.start(), wanted)
        if found:
            return document.paragraph_at(found[0]), *found
    for match in re.finditer(rf"\b{named}{quoted}(?:\s+[a-z]+){{0,2}}\s*\(([^()]{{3,200}})\)", text):
        start, end = match.span(1)
        if _spells(text[start:end], wanted):
            return document.paragraph_at(start), start, end
    return None


def _spelt_before(text: str, bracket: int, wanted: str) -> tuple[int, int] | None:
    """The shortest run of words just before `bracket` whose initials spell `wanted`."""
    line_start = text.rfind("\n\n", 0, bracket) + 1
    words = list(_WORD.finditer(text, max(line_start, bracket - 300), bracket))[-_MOST_WORDS:]
    for first in range(len(words) - 1, -1, -1):
        run = words[first:]
        if _spells(" ".join(word.group() for word in run), wanted):
            return run[0].start(), run[-1].end()
    return None


def _spells(phrase: str, wanted: str) -> bool:
    """Whether the initials of `phrase`'s words (minor words may give none) are `wanted`."""
    words = [word.lower() for word in _WORD.findall(phrase)]
    if not words or words[0] in _MINOR:
        return False

    def match(at: int, letter: int) -> bool:
        if at == len(words):
            return letter == len(wanted)
        word = words[at]
        if letter < len(wanted) and word[0] == wanted[letter] and match(at + 1, letter + 1):
            return True
        return word in _MINOR and match(at + 1, letter)

    return match(0, 0)
