"""Seconds spent per stage of a refresh, to see where indexing time goes."""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict


class Timings:
    """Wall-clock seconds added up by stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextlib.contextmanager
    def stage(self, name: str):
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - began

    def to_dict(self) -> dict[str, float]:
        return {name: round(value, 3) for name, value in self.seconds.items()}
