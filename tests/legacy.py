"""Indexes as earlier versions wrote them, to check that they are still read."""

from __future__ import annotations

import json
from pathlib import Path


def as_format_2(index: Path) -> dict:
    """Rewrite the current generation's store.json as format 2 did (every document inline, no
    documents/ folder) and return it; save it again with `write_format_2`."""
    meta_file = index / (index / "CURRENT").read_text() / "store.json"
    meta = json.loads(meta_file.read_text())
    documents = []
    for item in meta["documents"]:
        stored = json.loads((index / "documents" / f"{item['file']}.json").read_text())
        documents.append({"document": stored["document"], "path": item["path"], "indexed_at": item["indexed_at"],
                          "chunks": [[cid, *c] for cid, c in zip(item["chunk_ids"], stored["chunks"], strict=True)]})
    return {**meta, "format": 2, "documents": documents}


def write_format_2(index: Path, meta: dict) -> None:
    (index / (index / "CURRENT").read_text() / "store.json").write_text(json.dumps(meta))
    for child in (index / "documents").iterdir():
        child.unlink()
    (index / "documents").rmdir()
