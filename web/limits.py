"""How often one client may do a thing: a sliding window of its latest times, in memory."""

from __future__ import annotations

import math
import threading
import time
from collections import deque


class RateLimit:
    """At most `count` actions a client in any `seconds`; the clients seen least recently are
    forgotten past `clients`, so the memory it takes is bounded."""

    def __init__(self, count: int, seconds: float, clients: int = 10_000) -> None:
        self.count, self.seconds, self.clients = count, seconds, clients
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str, now: float | None = None) -> int:
        """0 when `client` may act now (and counts it), else the seconds until it may."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._times.pop(client, None) or deque()
            while times and now - times[0] >= self.seconds:
                times.popleft()
            self._times[client] = times  # most recently seen last
            if len(times) >= self.count:
                return max(1, math.ceil(self.seconds - (now - times[0])))
            times.append(now)
            while len(self._times) > self.clients:
                self._times.pop(next(iter(self._times)))
            return 0
