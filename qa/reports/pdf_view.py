"""A page of a report held as PDF, as it looks in the original: rendered to PNG with PDFium, and
the boxes of a cited span's words on it, so that an answer can be checked against the page itself.
"""

from __future__ import annotations

import contextlib
import functools
import struct
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ReportError
from qa.reports.loaders.pdf import PDFIUM_LOCK

# 1.5 points to a pixel (108 dots an inch): an A4 page is 893 pixels wide, sharp on a laptop.
SCALE = 1.5
# Rectangles of one line closer than this (points, about a space) are one box.
_GAP = 6.0


@dataclass(frozen=True)
class Box:
    """A box on a page, in pixels of the page rendered at SCALE, from its top left corner."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class Page:
    """A page's size in pixels at SCALE and the boxes of the words asked for on it."""

    number: int
    pages: int
    width: float
    height: float
    boxes: tuple[Box, ...]


def is_pdf(path: Path) -> bool:
    return path.suffix.lower() == ".pdf" and path.is_file()


def page(path: Path, number: int, text: str = "") -> Page:
    """Page `number` (from 1) of the PDF at `path`, with the boxes where `text` (or as much of its
    start as the page holds, when it runs on to the next page) is on it, compared as letters and
    digits so that line breaks and hyphens at line ends do not matter."""
    import pypdfium2

    with PDFIUM_LOCK, _opened(path) as document:
        pages = len(document)
        if not 1 <= number <= pages:
            raise ReportError(f"the report has {pages} pages; there is no page {number}")
        pdf_page = document[number - 1]
        try:
            width, height = pdf_page.get_size()
            textpage = pdf_page.get_textpage()
            try:
                rects = _rects(textpage, pypdfium2.raw, text) if text else []
            finally:
                textpage.close()
        finally:
            pdf_page.close()
    boxes = tuple(Box(round(left * SCALE, 1), round((height - top) * SCALE, 1), round((right - left) * SCALE, 1),
                      round((top - bottom) * SCALE, 1)) for left, bottom, right, top in rects)
    return Page(number, pages, round(width * SCALE, 1), round(height * SCALE, 1), boxes)


@functools.lru_cache(maxsize=16)
def _png(path: Path, modified: float, number: int) -> bytes:
    """Page `number` as PNG (cached by the file's modification time)."""
    with PDFIUM_LOCK, _opened(path) as document:
        if not 1 <= number <= len(document):
            raise ReportError(f"the report has {len(document)} pages; there is no page {number}")
        pdf_page = document[number - 1]
        try:
            bitmap = pdf_page.render(scale=SCALE, rev_byteorder=True)
            pixels = bitmap.to_numpy()
        finally:
            pdf_page.close()
    return encode_png(pixels[:, :, :3].tobytes(), pixels.shape[1], pixels.shape[0])


def render(path: Path, number: int) -> bytes:
    """Page `number` (from 1) of the PDF at `path` as a PNG image."""
    return _png(path, path.stat().st_mtime, number)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator:
    """The PDF at `path`, open for a `with` block; an unreadable one is a ReportError."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError as error:
        raise ReportError(f"unreadable PDF: {error}") from None
    try:
        yield document
    finally:
        document.close()


def _rects(textpage, raw, text: str) -> list[tuple[float, float, float, float]]:
    """The rectangles (left, bottom, right, top, in points) of the characters of `text` on the page."""
    chars, where = [], []
    for index in range(textpage.count_chars()):
        for char in _folded(chr(raw.FPDFText_GetUnicode(textpage.raw, index))):
            chars.append(char)
            where.append(index)
    page_key, key = "".join(chars), "".join(_folded(text))
    at = page_key.find(key)
    while at < 0 and len(key) >= 32:  # the start of a span that runs on to the next page
        key = key[:len(key) // 2]
        at = page_key.find(key)
    if at < 0 or not key:
        return []
    first, last = where[at], where[at + len(key) - 1]
    return _lines([textpage.get_rect(i) for i in range(textpage.count_rects(first, last - first + 1))])


def _lines(rects: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    """PDFium's rectangles (one per run of letters in one font) joined into one box a line: those
    that overlap in height by half are a line, and its rectangles within a few points of each other
    one box."""
    lines: list[list[tuple[float, float, float, float]]] = []
    for rect in sorted(rects, key=lambda r: -r[3]):
        for line in lines:
            bottom, top = min(r[1] for r in line), max(r[3] for r in line)
            if min(top, rect[3]) - max(bottom, rect[1]) >= 0.5 * min(top - bottom, rect[3] - rect[1]):
                line.append(rect)
                break
        else:
            lines.append([rect])
    boxes: list[tuple[float, float, float, float]] = []
    for line in lines:
        line.sort()
        box = list(line[0])
        for left, bottom, right, top in line[1:]:
            if left - box[2] > _GAP:
                boxes.append(tuple(box))
                box = [left, bottom, right, top]
            else:
                box = [box[0], min(box[1], bottom), max(box[2], right), max(box[3], top)]
        boxes.append(tuple(box))
    return boxes


def _folded(text: str) -> list[str]:
    return [char for char in unicodedata.normalize("NFKC", text).lower() if char.isalnum()]


def encode_png(rgb: bytes, width: int, height: int) -> bytes:
    """An 8-bit RGB PNG of `rgb` (rows of `width` pixels, top first)."""
    stride = width * 3
    rows = b"".join(b"\x00" + rgb[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))
