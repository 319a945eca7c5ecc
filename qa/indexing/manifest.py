"""A corpus's `manifest.csv`, in the shape of `../shared/ofsted/manifest.csv`: Ofsted's file
address of each report it lists. Its rows are matched to reports by the authority's URN (the
number that starts the report's folder name, or its sidecar's `urn`), the publication date and the
kind of report, since its folder names differ from the corpus's."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path

NAME = "manifest.csv"
# The manifest's collections, as the kinds of report (qa.ofsted.metadata.KINDS) they are.
_KINDS = {"ilacs_inspection": "inspection", "focused_visit": "focused visit", "send_area_inspection": "send inspection"}
_URN = re.compile(r"^(\d+)_")
# How far above a report its corpus folder may be: corpus/pdf/kind/authority/report.
_LEVELS = 4


def original(path: Path, urn: str | None, date: str | None, kind: str) -> str | None:
    """Ofsted's file address of the report at `path` (published on `date`, of `kind`) that a
    manifest in a folder above it gives; None when none does."""
    urn = urn or _urn_of(path)
    if not urn or not date:
        return None
    for folder in list(path.resolve().parents)[:_LEVELS]:
        manifest = folder / NAME
        if manifest.is_file():
            return _addresses(str(manifest), manifest.stat().st_mtime).get((urn, date, kind))
    return None


def addresses(corpus: Path) -> Iterator[str]:
    """Every file address the corpus's manifest gives."""
    manifest = corpus / NAME
    if manifest.is_file():
        yield from _addresses(str(manifest), manifest.stat().st_mtime).values()


@functools.lru_cache(maxsize=4)
def _addresses(path: str, modified: float) -> dict[tuple[str, str, str], str]:
    """(URN, publication date, kind) to address, for the manifest as it was at `modified`."""
    found = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            url, kind = (row.get("ofsted_file_url") or "").strip(), _KINDS.get(row.get("collection") or "")
            try:
                day = dt.datetime.strptime((row.get("publication_date_from_filename") or "").strip(), "%d %B %Y")
            except ValueError:
                continue
            if url and kind and row.get("urn"):
                found[(row["urn"].strip(), day.date().isoformat(), kind)] = url
    return found


def _urn_of(path: Path) -> str | None:
    match = _URN.match(path.parent.name)
    return match.group(1) if match else None
