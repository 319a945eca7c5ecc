"""Load one report file into a Document: decode, clean, paragraphs, title, date and ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

from qa.errors import ReportError
from qa.layout import structure
from qa.loaders import LOADERS, extract
from qa.types import Document, Paragraph

SIDECAR_SUFFIX = ".meta.json"
MAX_REPORT_BYTES = 64 * 1024 * 1024
_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? (" + "|".join(_MONTHS) + r") (\d{4})\b", re.I)
_KINDS = {"inspection", "focused visit", "monitoring visit", "send inspection", "news", "other"}


def is_report(path: Path) -> bool:
    """Whether a file in a corpus folder is a report (by suffix; sidecars and hidden files are not)."""
    return (path.suffix.lower() in LOADERS and not path.name.startswith(".")
            and not path.name.endswith(SIDECAR_SUFFIX))


def sidecar_path(path: Path) -> Path:
    """`report.txt` -> `report.meta.json`: optional title, date and kind for a report."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def fingerprint(path: Path) -> tuple[bytes, str]:
    """Raw bytes of a report and the sha256 of them together with its sidecar, if any."""
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise ReportError(f"file too large ({size:,} bytes; limit {MAX_REPORT_BYTES:,})")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw)
    sidecar = sidecar_path(path)
    if sidecar.is_file():
        digest.update(b"\0meta\0" + sidecar.read_bytes())
    return raw, digest.hexdigest()


def read_text(path: Path, raw: bytes) -> tuple[str, tuple[Paragraph, ...], str | None]:
    """The cleaned text of a report, its paragraphs and the title its format gives.

    Refuses a report with no text."""
    extracted, title = extract(path, raw)
    text, paragraphs = structure(extracted)
    if not text:
        raise ReportError("empty report: no text")
    return text, paragraphs, title


def load_report(path: Path, raw: bytes, sha256: str, doc_id: str, source: str) -> Document:
    """Build the Document for a report whose bytes have been read by `fingerprint`."""
    text, paragraphs, title = read_text(path, raw)
    meta = _read_sidecar(sidecar_path(path))
    return Document(
        doc_id=doc_id,
        title=meta.get("title") or title or _title_from_text(text) or path.stem,
        date=meta.get("date") or find_date(text[:3000]),
        source=source,
        sha256=sha256,
        text=text,
        paragraphs=paragraphs,
        kind=meta.get("kind") or "other",
    )


def make_doc_id(relative: Path) -> str:
    """A stable id from a path relative to its corpus folder: lower case, safe characters."""
    stem = relative.with_suffix("").as_posix().lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", stem).strip("-")
    return slug or "report"


def find_date(text: str) -> str | None:
    """The first full date written out ("23 August 2021") in `text`, as ISO."""
    match = _DATE.search(text)
    if not match:
        return None
    day, month, year = int(match.group(1)), _MONTHS.index(match.group(2).lower()) + 1, int(match.group(3))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _title_from_text(text: str) -> str | None:
    for line in text.split("\n")[:20]:
        words = line.split()
        if 3 <= len(words) <= 20 and len(line) <= 150 and not line.endswith((".", ":", ",")):
            return line
    return None


def _read_sidecar(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ReportError(f"metadata file {path.name} is not valid JSON: {error}") from None
    if not isinstance(meta, dict):
        raise ReportError(f"metadata file {path.name} must hold a JSON object")
    date = meta.get("date")
    if date is not None:
        try:
            dt.date.fromisoformat(str(date))
        except ValueError:
            raise ReportError(f"metadata file {path.name}: date {date!r} is not YYYY-MM-DD") from None
    if meta.get("kind") is not None and meta["kind"] not in _KINDS:
        raise ReportError(f"metadata file {path.name}: kind must be one of {sorted(_KINDS)}")
    return {key: str(meta[key]) for key in ("title", "date", "kind") if meta.get(key) is not None}
