"""Pick up new, changed and removed corpus files while the server runs, by a periodic scan."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from qa.errors import QAError

log = logging.getLogger(__name__)


def signature(folder: Path) -> frozenset:
    """Names, sizes and modification times of the files under `folder`: cheap to compare."""
    items = set()
    for path in folder.rglob("*"):
        try:
            if path.is_file() and not path.name.startswith("."):
                stat = path.stat()
                items.add((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return frozenset(items)


class CorpusWatcher:
    """A daemon thread that refreshes the engine whenever the corpus folder's signature changes,
    and swaps in a generation of the index that another server saved."""

    def __init__(self, qa, interval: float) -> None:
        self.qa = qa
        self.interval = interval
        self._stop = threading.Event()
        self._seen = signature(qa.settings.corpus)
        self._thread = threading.Thread(target=self._run, name="corpus-watcher", daemon=True)

    def start(self) -> CorpusWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def check(self) -> bool:
        """Refresh if the corpus changed since the last look; True if it did."""
        current = signature(self.qa.settings.corpus)
        if current == self._seen:
            return False
        summary = self.qa.refresh()
        self._seen = current
        if summary.modified or summary.skipped:
            log.warning("corpus changed: %s", summary.describe())
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.look()

    def look(self) -> None:
        """One scan: swap in another server's generation, refresh on a change. Any error is logged
        and the next scan tries again (a full disk, a file that vanished mid-read): the watcher
        never dies while the server runs."""
        try:
            if self.qa.follow():
                log.warning("swapped in index generation %s, saved by another process", self.qa.store.generation)
            self.check()
        except (QAError, OSError) as error:
            log.error("refresh after a corpus change failed: %s", error)
        except Exception:  # a bug, not the user's: logged with its trace, and the watcher goes on
            log.exception("refresh after a corpus change failed")
