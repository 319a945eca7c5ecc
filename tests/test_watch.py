"""Refresh while serving: corpus changes are picked up, and questions never see a half-built index."""

import threading

from qa.indexing.watch import CorpusWatcher


def test_watcher_picks_up_added_changed_and_removed_files(fake_qa, corpus):
    fake_qa.refresh()
    watcher = CorpusWatcher(fake_qa, interval=60)
    assert watcher.check() is False
    (corpus / "new.txt").write_text("A new report about special guardianship orders.")
    assert watcher.check() is True
    assert "new" in fake_qa.store.entries
    (corpus / "new.txt").unlink()
    assert watcher.check() is True
    assert "new" not in fake_qa.store.entries


def test_running_watcher_refreshes_within_seconds(fake_qa, corpus):
    fake_qa.refresh()
    watcher = CorpusWatcher(fake_qa, interval=0.1).start()
    try:
        (corpus / "later.txt").write_text("A later report about youth justice.")
        for _ in range(100):
            if "later" in fake_qa.store.entries:
                break
            threading.Event().wait(0.05)
        assert "later" in fake_qa.store.entries
    finally:
        watcher.stop()


def test_questions_during_refreshes_always_see_a_complete_index(fake_qa, corpus):
    fake_qa.refresh()
    failures, stop = [], threading.Event()

    def asker():
        while not stop.is_set():
            try:
                store = fake_qa.store
                assert store.chunk_count == sum(len(e.chunk_ids) for e in store.entries.values())
                reply = fake_qa.ask("What support do care leavers get?")
                for answer in (*reply.answers, *reply.closest):
                    citation = answer.citation
                    assert citation.paragraph[citation.start:citation.end] == answer.text
            except Exception as error:  # collected, then reported by the main thread
                failures.append(repr(error))

    threads = [threading.Thread(target=asker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for n in range(15):
        (corpus / f"churn {n}.txt").write_text(f"Churn report {n} about care leavers and their advisers.")
        fake_qa.refresh()
        if n % 2:
            (corpus / f"churn {n - 1}.txt").unlink()
            fake_qa.refresh()
    stop.set()
    for thread in threads:
        thread.join()
    assert failures == []


def test_the_watcher_survives_any_error_and_refreshes_once_it_passes(fake_qa, corpus, monkeypatch):
    fake_qa.refresh()
    watcher = CorpusWatcher(fake_qa, interval=60)
    (corpus / "new.txt").write_text("A new report about the adoption panel.")
    real_refresh = fake_qa.refresh
    failures = iter([OSError(28, "No space left on device"), RuntimeError("a bug")])

    def failing(*args, **kwargs):
        error = next(failures, None)
        if error is not None:
            raise error
        return real_refresh(*args, **kwargs)

    monkeypatch.setattr(fake_qa, "refresh", failing)
    watcher.look()  # the disk is full
    watcher.look()  # something unforeseen
    assert "new" not in fake_qa.store.entries
    watcher.look()  # space is back
    assert "new" in fake_qa.store.entries
