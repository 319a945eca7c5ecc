"""Bytes to text: UTF-8 first, then cp1252, then Latin-1; binary data is refused."""

from __future__ import annotations

from qa.errors import ReportError

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")


def decode(raw: bytes) -> str:
    """Decode report bytes, refusing data that is clearly not text."""
    if b"\x00" in raw[:65536]:
        raise ReportError("binary data, not text (contains NUL bytes)")
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    sample = text[:65536]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\n\r\t\f")
    if sample and controls / len(sample) > 0.01:
        raise ReportError("binary data, not text (too many control characters)")
    return text
