"""One loader per format, chosen by file suffix; each turns raw bytes into text and a title."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qa.errors import ReportError
from qa.reports.loaders.docx import load_docx
from qa.reports.loaders.html import load_html
from qa.reports.loaders.pdf import load_pdf
from qa.reports.loaders.text import load_markdown, load_text

LOADERS: dict[str, Callable[[bytes], tuple[str, str | None]]] = {
    ".txt": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
}


def extract(path: Path, raw: bytes) -> tuple[str, str | None]:
    """Text and title of a report, by its suffix."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        supported = ", ".join(sorted(LOADERS))
        raise ReportError(f"unsupported format {path.suffix or '(none)'!r}; supported: {supported}")
    return loader(raw)
