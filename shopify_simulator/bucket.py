"""Shopify's leaky bucket of query cost points, one per shop, sized by plan."""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Plan:
    name: str
    display_name: str
    maximum_available: float
    restore_rate: float
    is_plus: bool = False


PLANS = {
    "basic": Plan("basic", "Basic", 1000.0, 100.0),
    "advanced": Plan("advanced", "Advanced", 2000.0, 200.0),
    "plus": Plan("plus", "Shopify Plus", 10000.0, 1000.0, is_plus=True),
    # Not a Shopify plan: no rate limit, so benchmarks measure the simulator itself.
    "unlimited": Plan("unlimited", "Development (unlimited)", 1e12, 1e12),
}


class LeakyBucket:
    """Points restore continuously at `restore_rate` up to `maximum_available`."""

    def __init__(self, plan: Plan, clock=time.monotonic) -> None:
        self.maximum = plan.maximum_available
        self.restore_rate = plan.restore_rate
        self._clock = clock
        self._available = plan.maximum_available
        self._at = clock()
        self._lock = threading.Lock()

    def _restore(self) -> None:
        now = self._clock()
        self._available = min(self.maximum, self._available + (now - self._at) * self.restore_rate)
        self._at = now

    def try_take(self, cost: float) -> bool:
        """Take `cost` points if the bucket holds them all; a query needs its full requested cost."""
        with self._lock:
            self._restore()
            if cost > self._available:
                return False
            self._available -= cost
            return True

    def refund(self, points: float) -> None:
        with self._lock:
            self._restore()
            self._available = min(self.maximum, self._available + max(0.0, points))

    def drain(self, points: float) -> None:
        """Spend points without a query (a throttle storm injected by a test)."""
        with self._lock:
            self._restore()
            self._available = max(0.0, self._available - points)

    def status(self) -> dict:
        with self._lock:
            self._restore()
            return {
                "maximumAvailable": self.maximum,
                "currentlyAvailable": int(self._available),
                "restoreRate": self.restore_rate,
            }

    def seconds_until(self, cost: float) -> int:
        with self._lock:
            self._restore()
            return max(1, math.ceil((cost - self._available) / self.restore_rate))
