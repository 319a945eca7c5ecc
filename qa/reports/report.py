"""Load one report file into a Document: decode, clean, paragraphs, title, date and ids."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from qa.errors import ReportError
from qa.indexing import manifest
from qa.ofsted.metadata import KINDS, find_date, read_metadata
from qa.reports.layout import structure
from qa.reports.loaders import LOADERS, extract
from qa.reports.pages import page_starts
from qa.timing import Timings
from qa.types import Document, Paragraph

SIDECAR_SUFFIX = ".meta.json"
MAX_REPORT_BYTES = 64 * 1024 * 1024
_SIDECAR_FIELDS = ("title", "date", "kind", "authority", "url", "urn")
# Sidecar fields kept in a document's meta: where the original is (Ofsted's file address; else
# from the corpus's manifest.csv, qa.indexing.manifest) and Ofsted's number of the authority.
_SOURCE_FIELDS = ("url", "urn")


def is_report(path: Path) -> bool:
    """Whether a file in a corpus folder is a report (by suffix; sidecars and hidden files are not)."""
    return (path.suffix.lower() in LOADERS and not path.name.startswith(".")
            and not path.name.endswith(SIDECAR_SUFFIX))


def sidecar_path(path: Path) -> Path:
    """`report.txt` -> `report.meta.json`: optional title, date, kind and authority for a report."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


@dataclass(frozen=True)
class ReportFile:
    """A report file as read from disk: everything `load_report` needs, so that it can run where
    the file is not (a Ray worker on another machine)."""

    path: Path
    raw: bytes
    sidecar: bytes | None
    sha256: str


def fingerprint(path: Path) -> ReportFile:
    """Read a report and its sidecar, if any; the sha256 covers both."""
    size = path.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise ReportError(f"file too large ({size:,} bytes; limit {MAX_REPORT_BYTES:,})")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw)
    sidecar = sidecar_path(path)
    given = sidecar.read_bytes() if sidecar.is_file() else None
    if given is not None:
        digest.update(b"\0meta\0" + given)
    return ReportFile(path, raw, given, digest.hexdigest())


class ReadText(NamedTuple):
    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str | None  # as the format gives it
    pages: tuple[int, ...]  # where each page of the original starts in `text` (qa.reports.pages)


def read_text(path: Path, raw: bytes, timings: Timings | None = None) -> ReadText:
    """The cleaned text of a report, its paragraphs, the title its format gives and its pages.

    Refuses a report with no text. The last few reports read are remembered by their bytes, so an
    upload checked before it is stored is not parsed again when it is indexed."""
    timings = timings if timings is not None else Timings()
    key = (path.suffix.lower(), hashlib.sha256(raw).digest())
    with _READ_LOCK:
        known = _READ.get(key)
    if known is not None:
        return known
    with timings.stage("parse"):
        extracted, title = extract(path, raw)
    with timings.stage("clean"):
        text, paragraphs = structure(extracted)
        read = ReadText(text, paragraphs, title, page_starts(extracted, text))
    if not text:
        raise ReportError("empty report: no text")
    with _READ_LOCK:
        _READ[key] = read
        while len(_READ) > _READ_KEPT:
            _READ.popitem(last=False)
    return read


# The last reports read, by format and content hash (qa.indexing.uploads reads a report to check it, then
# the refresh that indexes it reads it again).
_READ: OrderedDict[tuple[str, bytes], ReadText] = OrderedDict()
_READ_KEPT = 4
_READ_LOCK = threading.Lock()


def load_report(report: ReportFile, doc_id: str, source: str, timings: Timings | None = None) -> Document:
    """Build the Document for a report read by `fingerprint`."""
    timings = timings if timings is not None else Timings()
    path = report.path
    text, paragraphs, title, pages = read_text(path, report.raw, timings)
    given = _read_sidecar(sidecar_path(path).name, report.sidecar)
    with timings.stage("metadata"):
        found = read_metadata(text, paragraphs, path.name)
    date = given.get("date") or found.published or find_date(text[:3000])
    kind = given.get("kind") or found.kind
    source_fields = {key: given[key] for key in _SOURCE_FIELDS if key in given}
    if "url" not in source_fields:
        url = manifest.original(path, given.get("urn"), date, kind)
        source_fields |= {"url": url} if url else {}
    return Document(
        doc_id=doc_id,
        title=given.get("title") or title or _title_from_text(text) or path.stem,
        date=date,
        source=source,
        sha256=report.sha256,
        text=text,
        paragraphs=paragraphs,
        kind=kind,
        authority=given.get("authority") or found.authority,
        meta={key: value for key, value in found.to_dict().items()
              if key not in ("authority", "kind", "published") and value} | source_fields,
        pages=pages,
    )


def make_doc_id(relative: Path) -> str:
    """A stable id from a path relative to its corpus folder: lower case, safe characters."""
    stem = relative.with_suffix("").as_posix().lower()
    slug = re.sub(r"[^a-z0-9_]+", "-", stem).strip("-")
    return slug or "report"


def _title_from_text(text: str) -> str | None:
    for line in text.split("\n")[:20]:
        words = line.split()
        if 3 <= len(words) <= 20 and len(line) <= 150 and not line.endswith((".", ":", ",")):
            return line
    return None


def _read_sidecar(name: str, data: bytes | None) -> dict:
    if data is None:
        return {}
    try:
        meta = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ReportError(f"metadata file {name} is not valid JSON: {error}") from None
    if not isinstance(meta, dict):
        raise ReportError(f"metadata file {name} must hold a JSON object")
    date = meta.get("date")
    if date is not None:
        try:
            dt.date.fromisoformat(str(date))
        except ValueError:
            raise ReportError(f"metadata file {name}: date {date!r} is not YYYY-MM-DD") from None
    if meta.get("kind") is not None and meta["kind"] not in KINDS:
        raise ReportError(f"metadata file {name}: kind must be one of {list(KINDS)}")
    return {key: str(meta[key]) for key in _SIDECAR_FIELDS if meta.get(key) is not None}
