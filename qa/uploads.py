"""Add, replace and delete report files in the corpus on a user's behalf, then refresh."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from qa.errors import QAError, ReportError
from qa.loaders import LOADERS
from qa.refresh import RefreshSummary, located
from qa.report import read_text, sidecar_path

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._'()&,-]+")


class UnsupportedFormatError(ReportError):
    """The file's format is not one the loaders read."""


class OutsideCorpusError(QAError):
    """The report was indexed from a path outside the corpus, so it is not deleted from here."""


def safe_name(filename: str) -> str:
    """A file name that stays inside the corpus folder: no separators, no leading dots."""
    name = unicodedata.normalize("NFKC", filename or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in LOADERS:
        supported = ", ".join(sorted(LOADERS))
        raise UnsupportedFormatError(f"unsupported format {suffix or '(none)'!r}; supported: {supported}")
    stem = stem[:120].strip(" .") or "report"
    return stem + suffix.lower()


def add_report(qa, filename: str, data: bytes) -> RefreshSummary:
    """Check that `data` is a readable report, store it in the corpus atomically, index it."""
    corpus = qa.settings.corpus
    name = safe_name(filename)
    read_text(Path(name), data)
    corpus.mkdir(parents=True, exist_ok=True)
    descriptor, staging = tempfile.mkstemp(dir=corpus, prefix=".upload-", suffix=Path(name).suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, corpus / name)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return qa.refresh([corpus / name])


def delete_report(qa, doc_id: str) -> RefreshSummary:
    """Delete a report's file (and sidecar) from the corpus and drop it from the index."""
    entry = qa.store.entry(doc_id)
    path = located(entry.path, qa.settings.corpus)
    if not path.resolve().is_relative_to(qa.settings.corpus.resolve()):
        raise OutsideCorpusError(f"report {doc_id!r} was indexed from {path}, outside the corpus; "
                                 "remove it there and run `qa index` on that folder")
    path.unlink(missing_ok=True)
    sidecar_path(path).unlink(missing_ok=True)
    return qa.refresh([path])
