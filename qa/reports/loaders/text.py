"""Plain-text and Markdown reports."""

from __future__ import annotations

import re

from qa.reports.loaders.decode import decode

_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)


def load_text(raw: bytes) -> tuple[str, str | None]:
    """Text of a .txt report; its title is found later from the text."""
    return decode(raw), None


def load_markdown(raw: bytes) -> tuple[str, str | None]:
    """Text of a .md report without heading markers; the first heading is its title."""
    text = decode(raw)
    match = re.search(r"^#[ \t]+(.+)$", text, re.MULTILINE)
    return _HEADING.sub("", text), match.group(1).strip() if match else None
