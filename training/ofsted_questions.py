"""The Ofsted question set (../shared/ofsted-qa): gold spans located in the stored reports, and the
split by authority into the reader's training questions and the held-out questions that calibrate
the answer score.

Gold answers and evidence are exact spans of the report "after folding" (lower case, curly quotes
and dashes folded, letters and digits only), so they are found in the cleaned text through an index
of its letters and digits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from qa.evaluate import fold
from qa.indexing.store import Store
from qa.types import Document

QUESTIONS = Path(__file__).resolve().parents[2] / "shared" / "ofsted-qa"
# Share of the training authorities held out of the reader's training, to calibrate its score.
HELD_OUT_SHARE = 0.2
# The id of a question's noisy variant (`qa.noise`) in the reader's passages file: the question's
# own id with this after it.
NOISY_SUFFIX = "/noisy"


@dataclass(frozen=True)
class Gold:
    """Where a question's answer and evidence are in the stored report (character offsets)."""

    document: Document
    answer: tuple[int, int] | None
    evidence: tuple[int, int] | None


def load(name: str = "train.jsonl") -> list[dict]:
    return [json.loads(line) for line in (QUESTIONS / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def written_id(row_id: str) -> str:
    """The id of the question as written, for a row of the question or of its noisy variant."""
    return row_id.removesuffix(NOISY_SUFFIX)


def authority(item: dict) -> str:
    """The authority folder of the question's report ("80432_bolton"); for a report outside the
    collection's folders (a question from feedback), its file."""
    parts = (item.get("file") or item.get("id", "")).split("/")
    return parts[1] if len(parts) > 2 else parts[0]


def held_out(item: dict) -> bool:
    """Whether the question's authority is held out of the reader's training (stable, by hash)."""
    digest = hashlib.sha256(authority(item).encode()).digest()
    return digest[0] < 256 * HELD_OUT_SHARE


class Locator:
    """Finds folded spans in a document's text and maps them back to its offsets."""

    def __init__(self, document: Document) -> None:
        self.document = document
        keep = [(i, c) for i, c in enumerate(fold(document.text)) if c.isalnum()]
        self.key = "".join(c for _, c in keep)
        self.offsets = [i for i, _ in keep]

    def find(self, span: str, near: int | None = None) -> tuple[int, int] | None:
        """The offsets of `span` in the text (the occurrence nearest `near`, else the first)."""
        needle = "".join(c for c in fold(span) if c.isalnum())
        if not needle:
            return None
        hits, at = [], self.key.find(needle)
        while at >= 0:
            hits.append(at)
            at = self.key.find(needle, at + 1)
        if not hits:
            return None
        if near is not None:
            hits.sort(key=lambda h: abs(self.offsets[h] - near))
        first = hits[0]
        return self.offsets[first], self.offsets[first + len(needle) - 1] + 1


def documents_by_file(store: Store) -> dict[str, Document]:
    """Stored documents by their path under ../shared/ofsted ("text_inspections/.../x.txt")."""
    found = {}
    for entry in store.entries.values():
        parts = Path(entry.path).parts
        for top in ("text_inspections", "text_focused_visits", "text_send"):
            if top in parts:
                found[str(Path(*parts[parts.index(top):]))] = entry.document
    return found


def gold(item: dict, documents: dict[str, Document]) -> Gold | None:
    """The question's report and its gold spans; None when the report is not in the store."""
    document = documents.get(item["file"])
    if document is None:
        return None
    locator = Locator(document)
    evidence = locator.find(item.get("evidence") or "")
    answer = None
    for text in item.get("answers") or ():
        answer = locator.find(text, evidence[0] if evidence else None)
        if answer:
            break
    return Gold(document, answer, evidence)
