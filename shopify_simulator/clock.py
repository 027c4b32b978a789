"""The simulator's idea of now: it starts at the later of the anchor and the real time, runs with
real time, and can be moved forward by the control API (to let scheduled captures and refunds happen)."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone


class SimulatorClock:
    def __init__(self, anchor: datetime) -> None:
        self.anchor = anchor
        self._start = max(anchor, datetime.now(timezone.utc))
        self._started = time.monotonic()
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            elapsed = timedelta(seconds=time.monotonic() - self._started)
            # Whole seconds, as Shopify's timestamps are.
            return (self._start + elapsed + self._offset).replace(microsecond=0)

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        return self.now()
