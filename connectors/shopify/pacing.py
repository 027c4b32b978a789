"""Cost-aware pacing: wait before a call until the bucket Shopify last reported can pay for it.

The bucket's size and restore rate are learnt from every answer (`extensions.cost.throttleStatus`),
never assumed, so the same code paces a basic shop and a Plus shop.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class ThrottleStatus:
    maximum_available: float
    currently_available: float
    restore_rate: float
    seen_at: float  # time.monotonic() when it was reported

    def available_at(self, moment: float) -> float:
        restored = self.currently_available + (moment - self.seen_at) * self.restore_rate
        return min(self.maximum_available, restored)

    def seconds_until(self, cost: float, moment: float) -> float:
        deficit = cost - self.available_at(moment)
        return max(0.0, deficit / self.restore_rate) if self.restore_rate > 0 else 0.0


class CostPacer:
    """The last throttle status of one shop, and the cost each operation asked for last time."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._status: ThrottleStatus | None = None
        self._requested: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def status(self) -> ThrottleStatus | None:
        return self._status

    def delay_before(self, operation: str) -> float:
        """Seconds to wait before sending `operation` (0 until Shopify has told us about the bucket)."""
        with self._lock:
            status, cost = self._status, self._requested.get(operation)
        if status is None or cost is None:
            return 0.0
        return status.seconds_until(cost, self._clock())

    def requested_cost(self, operation: str) -> float | None:
        with self._lock:
            return self._requested.get(operation)

    def record(self, operation: str, cost: dict | None) -> None:
        if not cost:
            return
        throttle = cost.get("throttleStatus") or {}
        with self._lock:
            if cost.get("requestedQueryCost") is not None:
                self._requested[operation] = float(cost["requestedQueryCost"])
            if throttle.get("restoreRate"):
                self._status = ThrottleStatus(
                    float(throttle["maximumAvailable"]), float(throttle["currentlyAvailable"]),
                    float(throttle["restoreRate"]), self._clock(),
                )

    def throttle_delay(self, requested: float | None) -> float:
        """After a THROTTLED answer: how long until the bucket holds the requested cost (at least 1 s)."""
        with self._lock:
            status = self._status
        if status is None or requested is None:
            return 1.0
        return max(1.0, status.seconds_until(requested, self._clock()))
