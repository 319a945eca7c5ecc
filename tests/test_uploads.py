"""Uploads' staging files: what a killed upload leaves is removed at start, what may be another
server's upload in flight is not."""

import os
import time

from qa.indexing.uploads import STALE_UPLOAD_SECONDS, remove_stale_uploads


def test_staging_files_of_killed_uploads_are_removed_and_young_ones_kept(tmp_path):
    old, young, report = tmp_path / ".upload-abc.txt", tmp_path / ".upload-def.txt", tmp_path / "report.txt"
    for path in (old, young, report):
        path.write_text("text")
    long_ago = time.time() - STALE_UPLOAD_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(report, (long_ago, long_ago))
    assert remove_stale_uploads(tmp_path) == [old]
    assert not old.exists() and young.exists() and report.exists()
    assert remove_stale_uploads(tmp_path / "missing") == []


def test_an_upload_is_parsed_once_though_checked_before_it_is_indexed(fake_qa, monkeypatch):
    from qa.indexing.uploads import add_report
    from qa.reports import report

    fake_qa.refresh()
    parsed = []
    real_extract = report.extract
    monkeypatch.setattr(report, "extract", lambda path, raw: parsed.append(path.name) or real_extract(path, raw))
    add_report(fake_qa, "once.txt", b"A report about the adoption panel, uploaded and read once.")
    assert parsed == ["once.txt"] and "once" in fake_qa.store.entries


def test_stale_staging_files_are_removed_wherever_in_the_corpus_a_killed_write_left_them(tmp_path):
    import os

    deep = tmp_path / "ofsted" / "80587_worcestershire"
    deep.mkdir(parents=True)
    left = deep / ".upload-xyz.pdf"
    left.write_bytes(b"half")
    os.utime(left, (0, 0))
    assert remove_stale_uploads(tmp_path) == [left] and not left.exists()
