"""What users say of answers ("right", "wrong", "this passage answers it"), kept in SQLite and turned
into a question file that `qa eval` reads.

Each verdict is committed before it is acknowledged (WAL journal, synchronous=FULL), so a server
killed a moment later keeps it. The answer is checked against the report it cites and stored as
the server cites it, so that a question file made from feedback holds only exact spans.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from qa.answer.read import cite
from qa.errors import QAError, StorageError
from qa.indexing.store import Store
from qa.types import Answer

VERDICTS = ("right", "wrong", "answers")  # "answers": a closest passage that does answer it
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong', 'answers')),
    question TEXT NOT NULL,
    history TEXT NOT NULL,
    answer TEXT NOT NULL,
    generation TEXT
)
"""


class FeedbackError(QAError):
    """Feedback that cannot be kept: an unknown verdict, or an answer its report does not hold."""


class FeedbackStore:
    """The feedback database at `path` (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute(_SCHEMA)
            yield connection
        finally:
            connection.close()

    def add(self, verdict: str, question: str, history: Sequence[str], answer: Answer,
            generation: str | None) -> int:
        """Keep one verdict; returns its id once it is on disk."""
        if verdict not in VERDICTS:
            raise FeedbackError(f"'verdict' must be one of {', '.join(VERDICTS)}")
        try:
            with self._connect() as connection, connection:
                cursor = connection.execute(
                    "INSERT INTO feedback (created_at, verdict, question, history, answer, generation) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), verdict, question,
                     json.dumps(list(history), ensure_ascii=False), json.dumps(answer.to_dict(), ensure_ascii=False),
                     generation))
                return int(cursor.lastrowid)
        except (sqlite3.OperationalError, OSError) as error:  # "database or disk is full", a folder not made
            raise StorageError(f"could not keep the verdict in {self.path} ({error})") from None

    def all(self, offset: int = 0, limit: int | None = None) -> list[dict]:
        """Every verdict, oldest first."""
        if not self.path.exists():
            return []
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT id, created_at, verdict, question, history, answer, generation FROM feedback "
                "ORDER BY id LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset)).fetchall()
        return [{"id": id_, "created_at": created, "verdict": verdict, "question": question,
                 "history": json.loads(history), "answer": json.loads(answer), "generation": generation}
                for id_, created, verdict, question, history, answer, generation in rows]


def checked_answer(store: Store, doc_id: object, start: object, end: object) -> Answer:
    """The answer at `start:end` of report `doc_id`, cited as the server cites it; a FeedbackError
    when the report or the offsets do not hold one."""
    if not isinstance(doc_id, str) or doc_id not in store.entries:
        raise FeedbackError("the answer's citation names no indexed report")
    document = store.document(doc_id)
    if (not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool)
            or isinstance(end, bool) or not 0 <= start < end <= len(document.text)):
        raise FeedbackError("the answer's doc_start and doc_end are not offsets into its report")
    index = document.paragraph_at(start)
    paragraph = document.paragraphs[index]
    if not paragraph.start <= start < end <= paragraph.end:
        raise FeedbackError("the answer's offsets cross a paragraph boundary")
    return cite(document, index, start, end, 0.0)


def question_file(rows: list[dict]) -> list[dict]:
    """Feedback as questions in `../shared/eval`'s format, one per question and history: answers
    said to be right (or a passage said to answer it) become gold answers, with the sentence that
    holds them as evidence; answers said to be wrong are kept as `wrong` (text, report, offsets)."""
    items: dict[tuple, dict] = {}
    for row in rows:
        key = (row["question"], tuple(row["history"]))
        item = items.setdefault(key, {"id": f"feedback-{row['id']}", "question": row["question"],
                                      "history": list(row["history"]), "answers": [], "unanswerable": False})
        answer, citation = row["answer"], row["answer"]["citation"]
        if row["verdict"] == "wrong":
            item.setdefault("wrong", []).append({"text": answer["text"], "doc_id": citation["doc_id"],
                                                 "doc_start": citation["doc_start"], "doc_end": citation["doc_end"]})
            item.setdefault("file", citation["source"])
            continue
        if answer["text"] not in item["answers"]:
            item["answers"].append(answer["text"])
        item.setdefault("evidence", citation["paragraph"][citation["sentence_start"]:citation["sentence_end"]])
        item["file"] = citation["source"]
    return list(items.values())
