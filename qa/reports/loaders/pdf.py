"""PDF reports, read with PDFium (pypdfium2): text page by page, a form feed between pages.

Chosen over pypdf and pdfminer.six by `bench/pdf_libraries.py` (README, "PDF text"): about 15
times faster than pypdf and 30 times faster than pdfminer.six on the Ofsted PDFs, with text as
close to pdftotext's as theirs.
"""

from __future__ import annotations

import threading

from qa.errors import ReportError

MAX_PAGES = 2000
# Fewer letters than this per page means the pages are pictures of text.
_MIN_LETTERS_PER_PAGE = 20
# PDFium marks a hyphen it found at a line end with U+FFFE.
_LINE_END_HYPHEN = "\ufffe"
# PDFium is not thread-safe: one document at a time (qa.reports.pdf_view renders pages under it too).
PDFIUM_LOCK = threading.Lock()


def load_pdf(raw: bytes) -> tuple[str, str | None]:
    """Text of a PDF report; a corrupt, encrypted or image-only one is refused with the reason."""
    import pypdfium2

    if b"%PDF-" not in raw[:1024]:
        raise ReportError("not a PDF file (no %PDF header)")
    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(raw)
        except pypdfium2.PdfiumError as error:
            if "password" in str(error).lower():
                raise ReportError("encrypted PDF: it needs a password to open") from None
            raise ReportError(f"unreadable PDF: {error}") from None
        try:
            if len(document) > MAX_PAGES:
                raise ReportError(f"PDF has {len(document):,} pages; the limit is {MAX_PAGES:,}")
            pages = [_page_text(page) for page in document]
        except pypdfium2.PdfiumError as error:
            raise ReportError(f"unreadable PDF: {error}") from None
        finally:
            document.close()
    letters = sum(char.isalpha() for page in pages for char in page)
    if letters < _MIN_LETTERS_PER_PAGE * max(len(pages), 1):
        raise ReportError("the PDF has no text layer (scanned pages?); run OCR on it first")
    return "\f".join(pages), None


def _page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
    finally:
        textpage.close()
        page.close()
    return text.replace("\r\n", "\n").replace(_LINE_END_HYPHEN, "-")
