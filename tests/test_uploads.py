"""Uploads' staging files: what a killed upload leaves is removed at start, what may be another
server's upload in flight is not."""

import os
import time

from qa.uploads import STALE_UPLOAD_SECONDS, remove_stale_uploads


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
