"""Add, replace and delete report files in the corpus on a user's behalf, then refresh."""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from qa.errors import QAError, ReportError, StorageError
from qa.indexing.refresh import RefreshSummary, located
from qa.reports.loaders import LOADERS
from qa.reports.report import is_report, make_doc_id, read_text, sidecar_path

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._'()&,-]+")


class UnsupportedFormatError(ReportError):
    """The file's format is not one the loaders read."""


class OutsideCorpusError(QAError):
    """The report was indexed from a path outside the corpus, so it is not deleted from here."""


class ReportExistsError(QAError):
    """An upload would replace a report already in the corpus, and replacing was not asked for."""


class BadAddressError(QAError):
    """The original's address given with an upload is not an http or https address."""


# A staging file older than this is what a killed upload left; a younger one may be another
# server's upload in flight (several servers can share a corpus).
STALE_UPLOAD_SECONDS = 3600


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


def add_report(qa, filename: str, data: bytes, replace: bool = False, url: str | None = None) -> RefreshSummary:
    """Check that `data` is a readable report, store it in the corpus atomically, index it.

    A name that is already a report's (the same safe name, or one with the same id: "Report.txt"
    and "report.txt", "x.txt" and "x.pdf") is refused unless `replace`; a replaced report's
    metadata file goes with it, since it described the old text. `url`, the original's address
    (http or https), is kept in the report's metadata file: citations link to it at their page."""
    corpus = qa.settings.corpus
    name = safe_name(filename)
    if url is not None and not is_address(url):
        raise BadAddressError(f"'url' must be the original's http or https address, got {url[:100]!r}")
    existing = _same_report(corpus, name)
    if existing and not replace:
        raise ReportExistsError(f"a report with the id {make_doc_id(Path(name))!r} is already in the corpus "
                                f"({', '.join(sorted(path.name for path in existing))}); send replace=true to "
                                "replace it, or upload it under another name")
    read_text(Path(name), data)
    corpus.mkdir(parents=True, exist_ok=True)
    try:
        write_whole(corpus / name, data)
    except OSError as error:
        raise StorageError(f"could not store the upload in {corpus}/ ({error.strerror or error}); nothing "
                           "was changed") from None
    for path in existing:
        sidecar_path(path).unlink(missing_ok=True)
        if path.name != name:
            path.unlink(missing_ok=True)
    if url is not None:
        write_whole(sidecar_path(corpus / name), (json.dumps({"url": url}) + "\n").encode("utf-8"))
    return qa.refresh([corpus / name, *(path for path in existing if path.name != name)])


def is_address(url: str) -> bool:
    """Whether `url` is an absolute http or https address of at most 2,000 characters."""
    parts = urlsplit(url) if isinstance(url, str) and len(url) <= 2000 and url.isprintable() else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def write_whole(path: Path, data: bytes) -> None:
    """Put `data` at `path` whole or not at all: written to a staging file beside it (`.upload-*`,
    which `remove_stale_uploads` clears if a kill leaves one), synced, then renamed over it."""
    descriptor, staging = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=path.suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def _same_report(corpus: Path, name: str) -> list[Path]:
    """The corpus's report files that `name` would replace: the same id (or the same name)."""
    if not corpus.is_dir():
        return []
    doc_id = make_doc_id(Path(name))
    return [path for path in corpus.iterdir()
            if is_report(path) and path.is_file() and make_doc_id(Path(path.name)) == doc_id]


def remove_stale_uploads(corpus: Path, now: float | None = None) -> list[Path]:
    """Delete the staging files that killed writes (an upload, `qa fetch`) left anywhere in the
    corpus (older than STALE_UPLOAD_SECONDS); the ones removed."""
    now = time.time() if now is None else now
    removed = []
    for path in corpus.rglob(".upload-*") if corpus.is_dir() else ():
        try:
            if now - path.stat().st_mtime > STALE_UPLOAD_SECONDS:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


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
