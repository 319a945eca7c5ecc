"""The parts of a report that Ofsted's formats set out, found in one place: the list of what must
improve and the sentence that names the inspectors of a visit. Each is cited by its offsets in the
report's text, so that answers and the authority pages quote it exactly.

The formats, 2013-2026:
- inspections under the single inspection framework (to 2017): "What does the local authority need
  to improve?", then "Priority and immediate action" and "Areas for improvement", numbered
  recommendations under topic headings ("Capacity", "Quality of practice");
- inspections of local authority children's services (ILACS, from 2018): "What needs to improve?"
  (or "Recommendations" in the earliest), a bulleted list or one item a paragraph;
- focused visits: "What needs to improve in this area of social work practice?", "Areas for priority
  action", "Areas for improvement" (2018: "The inspectors were ... The quality assurance manager");
- area SEND inspections: "Areas for improvement", one recommendation a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.reports.layout import NOTE
from qa.types import Document, Paragraph

# The heading of a report's list of what must improve. The safeguarding board's own list ("What
# does the LSCB need to improve?") is not the local authority's.
_IMPROVE = re.compile(r"^(?:What needs to improve|What does the local authority need to improve|"
                      r"Areas? for (?:priority action|improvement)|Recommendations)\b", re.IGNORECASE)
# The same heading run into the end of the paragraph before the list (a focused visit's "What needs to
# improve in this area of social work practice:").
_IMPROVE_AT_END = re.compile(r"(?:^|(?<=[.!?’”)] )|(?<=\n))(?:What needs to improve"
                             r"(?: in this area of social work practice)?|Areas for improvement)[?:]?\d*$",
                             re.IGNORECASE)
# Headings inside the single inspection framework's list.
_WITHIN = re.compile(r"^(?:Priority and immediate action|Areas? for (?:priority action|improvement))\b", re.IGNORECASE)
# Where a list of recommendations set out one a paragraph ends: the next part of the report.
_AFTER = re.compile(r"^(?:Local area partnership details|Information about|Inspection judgements?|Main findings|"
                    r"Headline findings|Summary|Yours sincerely|Ofsted will)\b", re.IGNORECASE)
# A sentence that introduces the list ("The following recommendations are ...", "Leaders should:").
_INTRODUCTION = re.compile(r":$|^(?:The (?:following|areas|local authority should)|In order to)\b", re.IGNORECASE)
# The safeguarding board's part of a report of the single inspection framework.
_BOARD = re.compile(r"\bLSCB\b|\bSafeguarding Children(?:'s|’s)? Board\b|^Inspection findings", re.IGNORECASE)
# The first word of a numbered paragraph, after its number.
_FIRST_WORD = re.compile(r"\s*(?:\d+\.\s*)?([A-Za-z]+)")
# The verbs that recommendations start with.
_DO = frozenset("""ensure improve develop strengthen review take continue increase reduce work establish embed
further implement monitor evaluate robustly make provide accelerate carry secure consolidate undertake raise use
set complete address agree promote clarify extend build identify urgently put prioritise analyse assess
enable maintain support consider tackle sustain expand ascertain respond revise enhance scrutinise introduce
produce collate give coordinate align fully appropriately""".split())
# The heading of the part after an inspection's list, when it runs into the list's last line.
_NEXT_PART = re.compile(r" (?=The experiences and progress of )")
# "There are no areas of priority action."
_NONE = re.compile(r"^(?:\d+\.\s*)?(?:There (?:are|is|were) no|The inspection did not find any|No areas)\b",
                   re.IGNORECASE)
# The longest item a list sets out one a paragraph; anything longer is the report's text again.
_MOST_ITEM_CHARS = 700
# An area SEND inspection's recommendations are longer (up to 1,300 characters: a finding and what
# leaders should do about it), and its list ends at the partnership's details; not where it also sets
# areas for priority action in a table of two columns (what to do, and who must), whose text comes out
# interleaved: the areas for improvement after it would be read as the whole list.
_MOST_SEND_ITEM_CHARS = 1400
_PRIORITY_TABLE = re.compile(r"^Areas for priority action\nResponsible body\b", re.MULTILINE)
# Who carried out a visit: "His Majesty's Inspectors for this visit were Tom Anthony and Nigel
# Parkes." (2019 on; "for the visit", "(HMI)", "were lead inspector Ceri Evans and team inspector
# ..."), "The inspectors were Jan Edwards, HMI, and Ian Young, HMI." (2018), "The visit was carried
# out by Kate Malleson, ... and Jon Bowman, all of whom are Her Majesty's Inspectors.", "The visit
# was conducted by Alison Smale and Tara Geere, two of Her Majesty's Inspectors.", "... on 26 and 27
# June 2018 carried out by Caroline Walsh and Marcie Taylor, Her Majesty's Inspectors.",
# "Inspectors Matt Reed and Lorna Schlechte.": the names run to the sentence's end, or to the words
# that say what they are.
_INSPECTORS = re.compile(
    r"(?:(?i:(?:Her|His)\s+Majesty[’']s\s+inspectors(?:\s+\(HMI\))?(?:\s+for\s+(?:this|the)\s+visit)?|"
    r"The\s+inspectors(?:\s+for\s+(?:this|the)\s+visit)?)\s+were|"
    r"(?i:(?:The|This)\s+(?:visit|inspection)\s+was\s+(?:carried\s+out|conducted|undertaken)\s+by)|"
    r"\d{4},?\s+carried\s+out\s+by|(?m:^)Inspectors(?=\s+[A-Z]))\s+"
    r"(?P<names>(?:lead\s+inspector\s+)?[A-Z][^.]+?(?:\bHMI|[^.\s]{2,}))"
    r"(?=,\s+(?:all|two|three|four|both)\s+of\s+(?:whom|Her|His)\b|,\s+(?:Her|His)\s+Majesty[’']s\s+Inspectors\.|"
    r"\.(?:\s|$))")


@dataclass(frozen=True)
class Item:
    """One thing a report says must improve: `text[start:end]` in paragraph `paragraph`."""

    paragraph: int
    start: int
    end: int


def improvements(document: Document) -> tuple[Item, ...]:
    """Each item of the report's list of what must improve, in order: the lines of a bulleted list,
    else its numbered recommendations (under their topic headings), else its recommendations one a
    paragraph; nothing when the report has no such list."""
    key = (document.doc_id, document.sha256)
    if key not in _FOUND:
        if len(_FOUND) >= _MOST_CACHED:
            _FOUND.clear()
        _FOUND[key] = _improvements(document)
    return _FOUND[key]


# Each report's list, found once: by (doc_id, sha256).
_FOUND: dict[tuple[str, str], tuple[Item, ...]] = {}
_MOST_CACHED = 8192


def _improvements(document: Document) -> tuple[Item, ...]:
    paragraphs = document.paragraphs
    text = document.text
    longest = _MOST_SEND_ITEM_CHARS if document.kind == "send inspection" and not _PRIORITY_TABLE.search(text) \
        else _MOST_ITEM_CHARS
    for heading, paragraph in enumerate(paragraphs):
        lines = [text[start:end] for start, end in paragraph.lines(text)]
        if len(lines[0]) < 100 and _IMPROVE.match(lines[0]) and (
                paragraph.kind == "heading" or _only_headings(lines)) or (
                # The heading run into the end of the paragraph before the list ("... whom they can
                # relate to. What needs to improve?1"), as some 2026 reports' text has it.
                _IMPROVE_AT_END.search(text, paragraph.start, paragraph.end)
                and heading + 1 < len(paragraphs) and paragraphs[heading + 1].kind == "list"):
            items = _items(document, heading + 1, longest)
            if items:
                return tuple(items)
    return ()


def _only_headings(lines: list[str]) -> bool:
    """A text paragraph (its `lines`) that is nothing but a heading (written twice, or ending with ":")."""
    return len(set(lines)) == 1 or (len(lines) == 1 and lines[0].endswith(":"))


def _items(document: Document, first: int, longest: int) -> list[Item]:
    """The items of the list that starts at paragraph `first`, none of them a paragraph of more than
    `longest` characters."""
    text = document.text
    items: list[Item] = []
    numbered = bulleted = False
    for index in range(first, len(document.paragraphs)):
        paragraph = document.paragraphs[index]
        words = text[paragraph.start:paragraph.end]
        if paragraph.kind == "table" or paragraph.kind == "heading" and (
                items and not numbered or not _continues(document, index, numbered)):
            break
        if paragraph.kind == "heading":
            continue
        if paragraph.kind == "list":
            if items and not (numbered or bulleted) and not text[items[-1].start:items[-1].end].endswith(":"):
                break  # a bulleted list after recommendations one a paragraph is not theirs
            bulleted = True
            items.extend(_lines(text, index, paragraph))
        elif bulleted and not numbered:
            if NOTE.fullmatch(words):
                # a note on a paragraph of its own, in an index built before qa.reports.layout joined
                # it to its item
                continue
            break
        elif _NONE.match(words):
            continue
        elif paragraph.number is not None:
            numbered = True
            items.append(Item(index, paragraph.start, paragraph.end))
        elif not items and _INTRODUCTION.search(words.split("\n", 1)[0]) and len(words) < 300:
            continue
        elif numbered or _AFTER.match(words) or len(words) > longest or _contents(words):
            break
        else:
            items.append(Item(index, paragraph.start, paragraph.end))
    return items


def _contents(words: str) -> bool:
    """A table of contents: three or more short lines."""
    lines = words.split("\n")
    return len(lines) >= 3 and sum(map(len, lines)) / len(lines) < 60


def _continues(document: Document, index: int, numbered: bool) -> bool:
    """Whether the list goes on past the heading at `index`: a heading of the single inspection
    framework's list, or a topic heading over more numbered recommendations."""
    words = document.text[document.paragraphs[index].start:document.paragraphs[index].end]
    if _WITHIN.match(words):
        return True
    if _BOARD.search(words):
        return False
    following = [p for p in document.paragraphs[index + 1:index + 3] if p.kind != "heading"][:1]
    return bool(following) and following[0].number is not None and (not numbered or _recommends(document, following[0]))


def _recommends(document: Document, paragraph: Paragraph) -> bool:
    """Whether a numbered paragraph is a recommendation ("17. Improve access to early help ..."):
    it starts with a verb telling what to do, not with a finding ("141. Partners value ...")."""
    first = _FIRST_WORD.match(document.text, paragraph.start, paragraph.end)
    return first is not None and first.group(1).lower() in _DO


def _lines(text: str, index: int, paragraph: Paragraph) -> list[Item]:
    """Each line of the list paragraph at `index` as an item."""
    items = []
    for start, end in paragraph.lines(text):
        # The next part's heading run into the last item ("... (Enabler two) The experiences and
        # progress of children who need help and protection: outstanding").
        kept = _NEXT_PART.split(text[start:end], 1)[0].rstrip()
        if kept.strip():
            items.append(Item(index, start, start + len(kept)))
    return items


def inspectors(document: Document) -> tuple[int, int, int] | None:
    """(paragraph index, start, end) of the names of a visit's inspectors, as the report's first
    pages give them; None when they do not."""
    text = document.text
    match = _INSPECTORS.search(text, 0, min(len(text), 6000))
    if match is None:
        return None
    start, end = match.span("names")
    return document.paragraph_at(start), start, end
