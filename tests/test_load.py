"""Many clients ask a running `qa serve` while reports are uploaded and deleted: no errors, and
every answer is consistent with one complete index (its text is the cited report's text at the
cited offsets). The work is counted, not timed (how fast it goes is `bench/serve.py`'s): UPLOADS
uploads, each deleted three uploads later, while the clients ask. `QA_SOAK_SECONDS=60 python -m
pytest tests/test_load.py` goes on uploading for that long."""

from __future__ import annotations

import os
import random
import shutil
import threading
import time

import pytest

from tests.conftest import CORPUS
from tests.server import Server

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("QA_SOAK_SECONDS", "0"))
UPLOADS = 6
CLIENTS = 16
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
QUESTIONS = [
    "How do staff find their supervision?",
    "Who was the lead member for children's services?",
    "What needs to improve in Worcestershire?",
    "How are care leavers supported?",
    "What did inspectors say about the quality of social work practice?",
]


def _report(n: int) -> bytes:
    return (f"Inspection of Fictionshire{n} children's services\n\n"
            f"The adoption panel in Fictionshire{n} meets every {DAYS[n % 5]} to consider matches.\n\n"
            f"Social workers in Fictionshire{n} visit children in care at least every {n % 6 + 2} weeks, and "
            f"children say they know their social workers well.\n\n"
            f"Leaders in Fictionshire{n} have reduced caseloads to about {n % 9 + 12} children a worker.\n").encode()


def test_clients_ask_while_reports_are_uploaded_and_deleted(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    with Server(tmp_path / "corpus", tmp_path / "index", threads=CLIENTS) as server:
        texts = {item["doc_id"]: server.request("GET", f"/api/reports/{item['doc_id']}")[1]["text"]
                 for item in server.request("GET", "/api/reports")[1]["reports"]}
        live: list[int] = []
        replies: list[tuple[int, dict]] = []
        admin: list[tuple[str, int, dict]] = []
        deadline = time.monotonic() + SECONDS
        churning = threading.Event()
        churning.set()

        def churn():
            n = 0
            while n < UPLOADS or time.monotonic() < deadline:
                status, body = server.upload(f"fictionshire-{n}.txt", _report(n))
                admin.append(("upload", status, body))
                status, body = server.request("GET", f"/api/reports/fictionshire-{n}")
                admin.append(("get", status, body))
                texts[f"fictionshire-{n}"] = body.get("text")
                live.append(n)
                if len(live) > 3:
                    gone = live.pop(0)
                    status, body = server.delete(f"fictionshire-{gone}")
                    admin.append(("delete", status, body))
                n += 1
            churning.clear()

        def ask(seed: int):
            chooser = random.Random(seed)
            while churning.is_set():
                if live and chooser.random() < 0.5:
                    question = f"How often does the Fictionshire{chooser.choice(live[-3:])} adoption panel meet?"
                else:
                    question = chooser.choice(QUESTIONS)
                replies.append(server.ask(question, top_k=3))

        threads = [threading.Thread(target=churn)] + [threading.Thread(target=ask, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert [item for item in admin if item[1] != 200] == []
    assert len([item for item in admin if item[0] == "delete"]) >= UPLOADS - 3
    assert [reply for reply in replies if reply[0] != 200] == []
    assert replies
    cited_uploads = 0
    for _, reply in replies:
        for answer in reply["answers"] + reply.get("closest", []):
            citation = answer["citation"]
            text = texts[citation["doc_id"]]
            assert citation["paragraph"][citation["start"]:citation["end"]] == answer["text"]
            assert text[citation["doc_start"]:citation["doc_end"]] == answer["text"]
            begins = citation["doc_start"] - citation["start"]
            assert text[begins:begins + len(citation["paragraph"])] == citation["paragraph"]
            cited_uploads += citation["doc_id"].startswith("fictionshire")
    assert cited_uploads  # reports added while the clients ask are answered from
