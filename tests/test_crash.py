"""A refresh killed at its worst moments leaves the last good index loadable."""

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from qa.indexing.store import Store
from tests.conftest import CORPUS
from tests.server import Server

pytestmark = pytest.mark.slow

# Runs a real refresh in a child process and kills it (SIGKILL) at a chosen point of the save.
_CHILD = textwrap.dedent("""
    import os, signal, sys
    import faiss
    from pathlib import Path
    from qa.indexing import store as stores
    from qa.config import Settings
    from qa.pipeline import QA
    from tests.fakes import FakeEmbedder

    corpus, index, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    die = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
    if moment == "pointer":
        real_replace = os.replace
        stores.os.replace = lambda a, b: die() if str(b).endswith("CURRENT") else real_replace(a, b)
    elif moment == "vectors":
        def half_written(path):  # the vectors file is written, not yet synced: cut it and die
            os.truncate(path, path.stat().st_size // 2)
            die()
        stores._sync_file = half_written
    elif moment == "document":
        real_write = stores._write
        def write(path, data):
            if path.parent.name == "documents":
                with open(path, "wb") as handle:
                    handle.write(data[: len(data) // 2])
                die()
            real_write(path, data)
        stores._write = write
    elif moment == "rename":
        stores.os.rename = die
    settings = Settings.load(environ={}, corpus=corpus, index=index, model="fake-embedder")
    QA(settings, FakeEmbedder()).refresh()
    if moment == "sleep":
        import time; time.sleep(60)
""")


def _run(corpus, index, moment):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    return subprocess.run([sys.executable, "-c", _CHILD, str(corpus), str(index), moment], env=env,
                          timeout=120)


@pytest.mark.parametrize("moment", ["document", "vectors", "rename", "pointer"])
def test_killed_save_leaves_the_previous_index_usable(fake_qa, corpus, moment):
    fake_qa.refresh()
    before = Store.load(fake_qa.settings.index).entries
    (corpus / "new report.txt").write_text("A new report about the adoption service in Exampleshire.")
    (corpus / "latin1.txt").unlink()
    result = _run(corpus, fake_qa.settings.index, moment)
    assert result.returncode == -signal.SIGKILL
    after = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
    assert after.entries == before
    summary = fake_qa.refresh()
    assert summary.added == ["new report.txt"] and summary.removed == ["latin1.txt"]
    assert "new-report" in Store.load(fake_qa.settings.index).entries


def test_kills_at_random_moments_always_leave_a_consistent_index(fake_qa, corpus):
    fake_qa.refresh()
    for n in range(6):
        (corpus / f"extra {n}.txt").write_text(f"Extra report {n} about kinship carers and their support.")
        env = {**os.environ, "PYTHONPATH": os.getcwd()}
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(corpus), str(fake_qa.settings.index),
                                  "sleep"], env=env)
        time.sleep(0.3 + 0.25 * n)
        child.send_signal(signal.SIGKILL)
        child.wait()
        store = Store.load(fake_qa.settings.index, fake_qa.settings.fingerprint())
        assert store.chunk_count == sum(len(entry.chunk_ids) for entry in store.entries.values())
        assert {doc_id for doc_id in store.entries if doc_id.startswith("extra")} <= {
            f"extra-{m}" for m in range(n + 1)}
    summary = fake_qa.refresh()
    assert not summary.skipped[1:]
    assert {f"extra-{m}" for m in range(6)} <= set(Store.load(fake_qa.settings.index).entries)


def _upload(server: Server, name: str, content: bytes, replies: list) -> None:
    try:
        replies.append(server.upload(name, content))
    except OSError:  # the connection died with the server
        pass


def test_server_killed_in_uploads_restarts_consistent_and_keeps_every_acknowledged_report(tmp_path):
    """SIGKILL `qa serve` at random moments of an upload's refresh, again and again: each restart
    loads a consistent index, every upload that was acknowledged is there, and every report file in
    the corpus is indexed."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(CORPUS, corpus)
    report = (Path(__file__).parent / "samples" / "worcestershire-inspection-2023.txt").read_bytes()
    chooser = random.Random(7)
    acknowledged, killed_in_flight = set(), 0
    server = Server(corpus, index).start()
    for round in range(4):
        replies: list = []
        content = report + f"\n\nRound {round}.\n".encode()
        thread = threading.Thread(target=_upload, args=(server, f"upload {round}.txt", content, replies))
        thread.start()
        time.sleep(chooser.uniform(0.1, 2.5))
        server.kill()
        thread.join()
        if replies and replies[0][0] == 200:
            acknowledged.add(f"upload-{round}")
        else:
            killed_in_flight += 1
        server = Server(corpus, index).start().refreshed()
        indexed = {item["doc_id"] for item in server.request("GET", "/api/reports")[1]["reports"]}
        on_disk = {path.stem.lower().replace(" ", "-") for path in corpus.glob("*.txt")}
        assert acknowledged <= indexed and on_disk <= indexed
        status, reply = server.ask("What needs to improve?")
        assert status == 200
        store = Store.load(index)
        assert store.chunk_count == sum(len(entry.chunk_ids) for entry in store.entries.values())
    server.kill()
    assert killed_in_flight >= 1
