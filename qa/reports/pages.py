"""Where each page of the original starts in the stored text, so that a citation can give its page.

Extracted text keeps the original's page breaks as form feeds (PDFs are read page by page;
`pdftotext` writes one after each page). Cleaning drops page furniture and joins paragraphs across
pages, so a page's start is found again in the stored text: the first line of the page that is
still there, searched for from where the page before it was found.
"""

from __future__ import annotations

import re
from collections import Counter

from qa.reports.clean import normalise

# A line is looked for by its words after any list mark or paragraph number, at least this many
# characters of them (shorter lines, such as a page's lone heading word, are passed over).
_ANCHOR_MIN = 12
_ANCHOR_MAX = 80
# Lines of a page tried, from its top (running headers and page numbers are no longer there).
_LINES_TRIED = 8
_LEAD = re.compile(r"^[^A-Za-z]+")
_RUNNING_SHARE = 0.3


def page_starts(extracted: str, text: str) -> tuple[int, ...]:
    """The offset in `text` where each page of `extracted` starts (the first at 0); () for text
    with no page breaks. A page none of whose first lines is found (a blank page, a cover dropped
    as furniture) starts where the next one does, so no offset is given to it."""
    pages = normalise(extracted).split("\f")
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # pdftotext ends the last page with a form feed too
    if len(pages) < 2:
        return ()
    # Lines on many pages are running headers and footers, dropped from the stored text but for
    # one place (the title at the top), so they say nothing of where a page starts.
    seen = Counter(anchor for page in pages for anchor in {_anchor(line) for line in page.split("\n")})
    running = {anchor for anchor, count in seen.items() if count >= max(3, _RUNNING_SHARE * len(pages))}
    starts: list[int | None] = [0]
    cursor = 0
    for number in range(1, len(pages)):
        # Past a quarter of the page before (cleaning keeps more of a page than that, and a heading
        # that repeats a line of it, such as a judgement's name, is not taken for its end), and
        # within twice its length and a margin.
        before = len(pages[number - 1])
        found = _find(pages[number], text, cursor + 1 + before // 4, cursor + 2 * before + 2000, running)
        starts.append(found)
        if found is not None:
            cursor = found
    following = len(text)
    for number in range(len(starts) - 1, 0, -1):
        if starts[number] is None:
            starts[number] = following
        following = starts[number]
    return tuple(starts)


def _anchor(line: str) -> str:
    """A line as it is looked for: after any list mark or number, without its last word (joining a
    word hyphenated at the line's end changes it), at most _ANCHOR_MAX characters."""
    words = _LEAD.sub("", line.strip()).split(" ")
    return " ".join(words[:-1] if len(words) > 3 else words)[:_ANCHOR_MAX].rstrip()


def _find(page: str, text: str, cursor: int, limit: int, running: set[str]) -> int | None:
    tried = 0
    for line in page.split("\n"):
        anchor = _anchor(line)
        if len(anchor) < _ANCHOR_MIN or anchor in running:
            continue
        at = text.find(anchor, cursor, limit)
        if at >= 0:
            # The list mark or paragraph number the anchor left out is on this page too.
            line_start = text.rfind("\n", 0, at) + 1
            return line_start if _LEAD.fullmatch(text[line_start:at] or "-") else at
        tried += 1
        if tried == _LINES_TRIED:
            break
    return None
