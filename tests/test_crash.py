"""A refresh killed at its worst moments leaves the last good index loadable."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from qa.store import Store

# Runs a real refresh in a child process and kills it (SIGKILL) at a chosen point of the save.
_CHILD = textwrap.dedent("""
    import os, signal, sys
    import faiss
    from pathlib import Path
    from qa import store as stores
    from qa.config import Settings
    from qa.pipeline import QA
    from tests.fakes import FakeEmbedder

    corpus, index, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    die = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
    if moment == "pointer":
        real_replace = os.replace
        stores.os.replace = lambda a, b: die() if str(b).endswith("CURRENT") else real_replace(a, b)
    elif moment == "vectors":
        real_write = stores._write
        def write(path, data):
            if path.name == "vectors.faiss":
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


@pytest.mark.parametrize("moment", ["vectors", "rename", "pointer"])
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
