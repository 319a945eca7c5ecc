"""Remove what is not the report: page furniture, Ofsted's address and licence blocks, web chrome.

The input is extracted text with form feeds between pages; the output is a list of stripped
lines, with "" for a blank line and PAGE_BREAK where a page ended, for `qa.reports.layout` to join up.
"""

from __future__ import annotations

import re
from collections import Counter

PAGE_BREAK = "\f"

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?:page )?\d{1,3}(?: of \d{1,3})?", re.IGNORECASE)
# Lines looked at for running headers and footers: the first and last few of each page.
_EDGE_LINES = 4
_FURNITURE_SHARE = 0.3

# Ofsted's own address, as printed in letterheads and on the back page.
_OFSTED_ADDRESS = re.compile(
    r"(?:ofsted|piccadilly gate|store st(?:reet)?|manchester|m1 2wd|manchester m1 2wd|aviation house|"
    r"125 kingsway|london wc2b 6se|wc2b 6se|agora|6 cumberland place|nottingham|ng1 6hj|"
    r"(?:[tew]:? ?)?(?:0300 123 ?1231|enquiries@ofsted\.gov\.uk|www\.(?:gov\.uk/)?ofsted(?:\.gov\.uk)?)|"
    r"(?:direct )?(?:t|tel|textphone|e|w):? ?[\d ]{7,}|textphone:? ?0161 618 8524)", re.IGNORECASE)
# Lines of Ofsted's address in a row that make a letterhead.
_ADDRESS_RUN = 3
# A table of contents near the start: entries, each followed by its page number.
_CONTENTS_WITHIN = 400
_CONTENTS_ENTRY = re.compile(r".{3,100}?\s\d{1,3}")
_CONTENTS_GAP = 3
# The back page: what Ofsted is, accessible formats, the licence, the address, the copyright.
_BACK_PAGE_START = re.compile(
    r"^(?:The Office for Standards in Education, Children|Ofsted has a duty|"
    r"If you would like a copy of this document|You may (?:reuse|copy all or parts)|"
    r"This publication is available at|Interested in our work\?|To receive regular email alerts|"
    r"If you are not happy with the inspection or the report)")
_BACK_PAGE_END = re.compile(r"^©? ?Crown copyright\b", re.IGNORECASE)
_BACK_PAGE_WINDOW = 60

# News pages: links to other articles, teasers of other articles, navigation.
_READ_MORE = re.compile(r"^(?:READ MORE|Read more|Related|See also)\s*:", re.IGNORECASE)
_TEASER_END = re.compile(r"^Read (?:the )?full story$", re.IGNORECASE)
_NAVIGATION_WORDS = 4


def normalise(text: str) -> str:
    """Line endings, invisible and control characters, runs of spaces; form feeds are kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text)


def clean(text: str) -> list[str]:
    """The report's lines without page furniture, Ofsted boilerplate or web chrome."""
    pages = [[line.strip() for line in page.split("\n")] for page in normalise(text).split("\f")]
    pages = _drop_page_furniture(pages)
    lines: list[str] = []
    for number, page in enumerate(pages):
        if number:
            lines.append(PAGE_BREAK)
        lines.extend(page)
    lines = _drop_contents(lines)
    lines = _drop_back_page(lines)
    lines = _drop_ofsted_address(lines)
    return _drop_web_chrome(lines)


def _key(line: str) -> str:
    return _DIGITS.sub("#", line.lower())


def _edges(page: list[str]) -> list[int]:
    content = [n for n, line in enumerate(page) if line]
    return sorted(set(content[:_EDGE_LINES] + content[-_EDGE_LINES:]))


def _drop_page_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Running headers and footers (lines repeated at the edges of many pages) and page numbers."""
    if len(pages) < 3:
        return pages
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_key(page[n]) for n in _edges(page)})
    repeated = {key for key, count in seen.items() if count >= max(3, _FURNITURE_SHARE * len(pages))}
    kept = []
    for number, page in enumerate(pages):
        # The first page's opening lines are the title, which later pages repeat as their header.
        edges = [n for n in _edges(page) if number or n >= len(page) // 2]
        drop = {n for n in edges if _key(page[n]) in repeated or _PAGE_NUMBER.fullmatch(page[n])}
        kept.append([line for n, line in enumerate(page) if n not in drop])
    return kept


def _drop_contents(lines: list[str]) -> list[str]:
    """A table of contents: from "Contents" to its last page number."""
    start = next((n for n, line in enumerate(lines[:_CONTENTS_WITHIN]) if line.lower() == "contents"), None)
    if start is None:
        return lines
    end, gap = start, 0
    for n in range(start + 1, len(lines)):
        if not lines[n] or lines[n] == PAGE_BREAK:
            continue
        if _PAGE_NUMBER.fullmatch(lines[n]) or _CONTENTS_ENTRY.fullmatch(lines[n]):
            end, gap = n, 0
        else:
            gap += 1
            if gap > _CONTENTS_GAP:
                break
    return lines if end == start else lines[:start] + lines[end + 1:]


def _drop_back_page(lines: list[str]) -> list[str]:
    """Ofsted's closing block, from its first sentence to the copyright line."""
    tail = max(0, len(lines) - _BACK_PAGE_WINDOW)
    end = next((n for n in range(len(lines) - 1, tail - 1, -1) if _BACK_PAGE_END.match(lines[n])), None)
    if end is None:
        return lines
    start = next((n for n in range(tail, end) if _BACK_PAGE_START.match(lines[n])), end)
    while start > 0 and lines[start - 1] in ("", PAGE_BREAK):
        start -= 1
    return lines[:start] + lines[end + 1:]


def _drop_ofsted_address(lines: list[str]) -> list[str]:
    """Ofsted's letterhead address wherever it was extracted (the addressee's address is kept)."""
    drop: set[int] = set()
    run: list[int] = []
    for n, line in enumerate(lines + [PAGE_BREAK]):
        if line and _OFSTED_ADDRESS.fullmatch(line):
            run.append(n)
        elif line:
            if len(run) >= _ADDRESS_RUN:
                drop.update(run)
            run = []
    return [line for n, line in enumerate(lines) if n not in drop]


def _drop_web_chrome(lines: list[str]) -> list[str]:
    """"READ MORE" links, "Read Full Story" teasers of other articles and navigation lines."""
    lines = [line for line in lines if not _READ_MORE.match(line)]
    ends = [n for n, line in enumerate(lines) if _TEASER_END.match(line)]
    if not ends:
        return lines
    # Everything after the last teaser is the site's footer; each teaser runs back to its title.
    keep = lines[:ends[-1] + 1]
    for end in reversed(ends):
        start = _teaser_start(keep, end)
        keep = keep[:start] + keep[end + 1:]
    return _drop_navigation(keep)


def _teaser_start(lines: list[str], end: int) -> int:
    """The teaser's title (the last short line without a full stop), and short lines just before it."""
    start = end
    for n in range(end - 1, -1, -1):
        if _TEASER_END.match(lines[n]):
            return n + 1
        if lines[n] and len(lines[n]) <= 150 and not lines[n].endswith((".", "]", "…")):
            start = n
            break
    while start > 0 and (not lines[start - 1] or len(lines[start - 1]) < 80) \
            and not _TEASER_END.match(lines[start - 1]):
        start -= 1
    return start


def _drop_navigation(lines: list[str]) -> list[str]:
    """Menu items before the headline: a few words with no sentence punctuation."""
    first = 0
    while first < len(lines) and (not lines[first] or (
            len(lines[first].split()) <= _NAVIGATION_WORDS and not re.search(r"[.,:;?!]", lines[first]))):
        first += 1
    return lines[first:]
