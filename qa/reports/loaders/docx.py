"""Word (.docx) reports: paragraphs, list items and table rows in document order."""

from __future__ import annotations

import io
import zipfile

from qa.errors import ReportError

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
# More paragraphs and tables than any report has (the longest in the collection has about 2,000):
# a file of millions of empty paragraphs is refused rather than read for minutes.
MAX_BLOCKS = 100_000


def load_docx(raw: bytes) -> tuple[str, str | None]:
    """Text of a .docx report and its title; refuses a broken file or a zip bomb."""
    _check_archive(raw)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as error:  # python-docx raises many kinds for a broken package
        raise ReportError(f"unreadable DOCX: {error}") from None
    blocks: list[str] = []
    items: list[str] = []
    title = (document.core_properties.title or "").strip() or None
    for count, element in enumerate(document.element.body.iterchildren()):
        if count == MAX_BLOCKS:
            raise ReportError(f"DOCX with more than {MAX_BLOCKS:,} paragraphs and tables; refused")
        if element.tag.endswith("}p"):
            paragraph = Paragraph(element, document)
            text = " ".join(paragraph.text.split())
            if not text:
                continue  # before its style is looked up, which scans the styles: empty ones cost nothing
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style.startswith("List") or element.find(".//{*}numPr") is not None:
                items.append(f"• {text}")
                continue
            if title is None and (style == "Title" or style.startswith("Heading")):
                title = text
            _flush(items, blocks)
            blocks.append(text)
        elif element.tag.endswith("}tbl"):
            _flush(items, blocks)
            rows = [" ".join(" ".join(cell.text.split()) for cell in _unique_cells(row)).strip()
                    for row in Table(element, document).rows]
            blocks.append("\n".join(row for row in rows if row))
    _flush(items, blocks)
    return "\n\n".join(block for block in blocks if block), title


def _check_archive(raw: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise ReportError("not a DOCX file (not a zip archive)") from None
    with archive:
        if "word/document.xml" not in archive.namelist():
            raise ReportError("not a DOCX file (no word/document.xml)")
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_RATIO * max(len(raw), 1):
        raise ReportError(f"DOCX unpacks to {unpacked:,} bytes from {len(raw):,}; refused as a likely zip bomb")


def _unique_cells(row):
    """Cells of a table row, a merged cell once."""
    seen = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            yield cell


def _flush(items: list[str], blocks: list[str]) -> None:
    if items:
        blocks.append("\n".join(items))
        items.clear()
