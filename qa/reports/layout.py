"""Cleaned lines to the report's structure: headings, numbered paragraphs, lists and judgement tables.

Lines broken by the page width or a page break are joined again; a table row or a line of an
address keeps its own line, and a list's items follow one another with a space between, as a
quotation of the list reads, where each starts kept with the paragraph. The stored text is the
blocks joined by blank lines, so every paragraph is a slice of it.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from qa.reports.clean import PAGE_BREAK, clean
from qa.types import Paragraph

_BULLET = re.compile(r"^(?:[\ue000-\uf8ff◼▪■□•●◦➢➤✓✔]\s*|[-–−─―⎯*·]\s+)")
_NUMBERED = re.compile(r"^(\d{1,3})\.(?:\s+|$)")
GRADES = ("Outstanding", "Good", "Requires improvement to be good", "Requires improvement",
          "Require improvement", "Inadequate", "Not judged", "Not previously inspected")
_GRADE = re.compile(r"(?:" + "|".join(GRADES) + r")(?: to(?: be good)?)?", re.IGNORECASE)
_GRADE_ENDING = re.compile(r"\b(?:" + "|".join(GRADES) + r")$", re.IGNORECASE)
_TABLE_HEADER = re.compile(r"Judgement(?: Grade)?|Grade", re.IGNORECASE)
# The last word of a line that the next must go on from ("the age of", "aged 18 to").
_WANTS_MORE = re.compile(r"\b(?:of|to|aged|than|over|under)$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*\d?$")
# A note in brackets after a list item: "(outcome 3, national framework)", "(Enabler two)".
NOTE = re.compile(r"\([^()]{1,80}\)\.?")
_HEADING_MAX = 150
_LABEL_MAX = 120
# A line at least this share of the text width was broken by the page, not by the writer.
_FULL = 0.75


@dataclass
class Block:
    """A paragraph in the making: its lines (one per list item, table row or hard break)."""

    kind: str
    lines: list[str] = field(default_factory=list)
    number: int | None = None


def structure(text: str) -> tuple[str, tuple[Paragraph, ...]]:
    """Extracted text to the stored text and its paragraphs."""
    return assemble(layout(clean(text)))


def layout(lines: list[str]) -> list[Block]:
    """Group cleaned lines into blocks, joining lines the page width or a page break divided."""
    return _Builder(_width(lines)).build(lines)


def assemble(blocks: list[Block]) -> tuple[str, tuple[Paragraph, ...]]:
    """The stored text (blocks separated by blank lines) and its paragraphs as offsets. A list's
    items are separated by a space, the rest's lines by a line break."""
    parts, paragraphs, offset = [], [], 0
    for block in blocks:
        lines = [line for line in block.lines if line]
        if not lines:
            continue
        if parts:
            offset += 2
        text = (" " if block.kind == "list" else "\n").join(lines)
        breaks = tuple(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=offset))[1:] \
            if block.kind == "list" else ()
        parts.append(text)
        paragraphs.append(Paragraph(offset, offset + len(text), block.number, block.kind, breaks))
        offset += len(text)
    return "\n\n".join(parts), tuple(paragraphs)


def _width(lines: list[str]) -> float | None:
    """The width text was wrapped at, or None when lines are whole paragraphs (HTML, Word)."""
    lengths = [len(line) for line in lines if len(line) > 1 and line != PAGE_BREAK]
    if len(lengths) < 10:
        return None
    width = statistics.quantiles(lengths, n=10)[-1]
    return width if width <= 130 else None


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _starts_lower(line: str) -> bool:
    return line[:1].islower()


class _Builder:
    def __init__(self, width: float | None) -> None:
        self.width = width
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.last_raw = ""
        self.page_break = False
        self.pending_number: int | None = None
        self.pending_bullet = False
        self.expected = 1

    def build(self, lines: list[str]) -> list[Block]:
        for line in lines:
            if line == PAGE_BREAK:
                self.page_break = True
            elif not line:
                self.close()
            else:
                self.add(line)
                self.page_break = False
        self.close()
        return _finish(self.blocks)

    def close(self) -> None:
        if self.current is not None:
            self.blocks.append(self.current)
            self.current = None

    def start(self, kind: str, line: str, number: int | None = None) -> None:
        self.close()
        if self.pending_number is not None and kind == "text" and number is None:
            line, number = f"{self.pending_number}. {line}", self.pending_number
        self.pending_number = None
        if number is not None:
            self.expected = number + 1
        self.current = Block(kind, [line], number)

    def full(self, line: str) -> bool:
        return self.width is not None and len(line) >= _FULL * self.width

    def add(self, line: str) -> None:
        raw, self.last_raw = self.last_raw, line
        if self.current is None and self.blocks and self._continues(raw, line):
            self.current = self.blocks.pop()
        bullet = _BULLET.match(line)
        item = line[bullet.end():] if bullet else None
        if item == "":
            # A bullet glyph alone on its line: the item follows on the next line.
            self.last_raw, self.pending_bullet = raw, True
            return
        if self.pending_bullet:
            item, self.pending_bullet = line, False
        number = _NUMBERED.match(line)
        if _TABLE_HEADER.fullmatch(line):
            self._header(line)
        elif _GRADE.fullmatch(line) and line[0].isupper() and self._row(line):
            pass
        elif item is not None:
            if self.current is not None and self.current.kind == "list":
                self.current.lines.append(item)
            else:
                self.start("list", item)
        elif number and line == number.group() and self.current is not None and _WANTS_MORE.search(raw):
            # "... when they reach the age of" and then "17.": the sentence's last word (5 times in the
            # collection), not the number of the paragraph after it.
            self.current.lines[-1] += " " + line
        elif number and (self.current is None or _ends_sentence(raw) or line == number.group()
                         or int(number.group(1)) == self.expected):
            if line[number.end():]:
                self.start("text", line, int(number.group(1)))
            else:
                self.close()
                self.pending_number = int(number.group(1))
        elif self.current is None:
            self.start("text", line)
        else:
            self._continue(raw, line)

    def _continues(self, raw: str, line: str) -> bool:
        """Whether a page break or a stray blank line fell inside the last paragraph."""
        if self.blocks[-1].kind not in ("text", "list") or _ends_sentence(raw):
            return False
        return _starts_lower(line) or (self.page_break and not _BULLET.match(line) and not _NUMBERED.match(line))

    def _continue(self, raw: str, line: str) -> None:
        current = self.current
        previous = current.lines[-1]
        if current.kind == "list" and NOTE.fullmatch(line):
            # "(outcome 3, national framework)" on a line of its own belongs to the item above.
            current.lines[-1] = previous + " " + line
            return
        # A full line ending a sentence may end its paragraph: a heading after it starts a new block.
        heading = not self.full(line) and (line.endswith("?") or not _ends_sentence(line))
        wrapped = _starts_lower(line) or (self.full(raw) and not raw.endswith("?") and not (
            _ends_sentence(raw) and (heading or current.kind == "list")))
        if current.kind == "table":
            row_done = bool(_GRADE_ENDING.search(previous)) or bool(_TABLE_HEADER.fullmatch(previous))
            if row_done and self.full(line):
                self.start("text", line)
                return
            wrapped = _starts_lower(line) or not row_done
        if wrapped:
            glue = "" if previous.endswith("-") and previous[-2:-1].isalpha() and _starts_lower(line) else " "
            current.lines[-1] = previous + glue + line
        elif _ends_sentence(raw) or current.kind == "list" or (self.full(line) and not self.full(raw)):
            self.start("text", line)
        else:
            current.lines.append(line)

    def _header(self, line: str) -> None:
        current = self.current
        if current is not None and current.kind == "table" and current.lines[-1].lower() == "judgement":
            current.lines[-1] += " " + line
        else:
            self.start("table", line)

    def _row(self, grade: str) -> bool:
        """Put a grade on the end of the label line before it, making a table row."""
        block = self.current or (self.blocks[-1] if self.blocks else None)
        if block is None or block.kind not in ("text", "table"):
            return False
        label = block.lines[-1]
        if len(label) > _LABEL_MAX or label.endswith((".", ",", ";")) or _GRADE_ENDING.search(label):
            return False
        if self.current is None:
            self.current = self.blocks.pop()
        if block.number is not None:
            self.expected, block.number = 1, None
        block.kind = "table"
        block.lines[-1] = f"{label} {grade}"
        return True


def _finish(blocks: list[Block]) -> list[Block]:
    """Merge table rows into one table; single short lines without a full stop are headings."""
    merged: list[Block] = []
    for block in blocks:
        if block.kind == "table" and merged and merged[-1].kind == "table":
            merged[-1].lines.extend(block.lines)
            continue
        if (block.kind == "text" and block.number is None and len(block.lines) == 1
                and len(block.lines[0]) <= _HEADING_MAX and block.lines[0][:1].isupper()
                and not block.lines[0].endswith((".", ",", ";", ":", "!", "\"", "”"))):
            block.kind = "heading"
        merged.append(block)
    return merged
