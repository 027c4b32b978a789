"""A rolling reserve on Shopify Payments: some days' charges are partly held, and released later.

Each local month, with a chance of RESERVE_CHANCE, a reserve runs for 5 to 9 days from a day
between the 1st and the 20th: on each of those days a share (5, 10 or 15 %) of the day's charges is
held back (a RESERVED_FUNDS_WITHDRAWAL at 23:00 local, negative), and the same amount comes back
14, 21 or 30 days later (a RESERVED_FUNDS_REVERSAL at 06:00 local). Both carry the source type
SYSTEM_ADJUSTMENT and the same source ID, so a release is found from its hold. Drawn from a stream of
its own, by month, so a day's reserve is known without building other days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable
from zoneinfo import ZoneInfo

from shopify_simulator.store.random_source import RandomSource, stream_key

RESERVE_CHANCE = 0.6
SHARES = (Decimal("0.05"), Decimal("0.10"), Decimal("0.15"))
RELEASED_AFTER = (14, 21, 30)
HELD_AT, RELEASED_AT = time(23), time(6)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class ReserveWindow:
    first: date
    last: date
    share: Decimal
    released_after: int

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


class ReserveSchedule:
    """When charges are held, what share, and when they come back."""

    def __init__(self, *, seed: int, handle: str, zone: ZoneInfo, id_base: int) -> None:
        self.zone = zone
        self.id_base = id_base
        self._key = stream_key(seed, handle, "reserves")

    def window(self, year: int, month: int) -> ReserveWindow | None:
        rng = RandomSource(self._key, year * 12 + month - 1)
        if not rng.chance(RESERVE_CHANCE):
            return None
        first = date(year, month, rng.between(1, 20))
        last = first + timedelta(days=rng.between(4, 8))
        return ReserveWindow(first, last, rng.choice(SHARES), rng.choice(RELEASED_AFTER))

    def window_of(self, day: date) -> ReserveWindow | None:
        """The window holding `day` (a window starts by the 20th and ends in its month)."""
        window = self.window(day.year, day.month)
        return window if window is not None and window.holds(day) else None

    def movements(self, day: date, charges_gross: Callable[[date], Decimal]) -> list[dict]:
        """The holds and releases of local `day`; `charges_gross(d)` is the charges of day d."""
        found = []
        window = self.window_of(day)
        if window is not None:
            held = self._held(day, window, charges_gross)
            if held:
                found.append(self._movement("RESERVED_FUNDS_WITHDRAWAL", day, HELD_AT, -held, day))
        for after in sorted(set(RELEASED_AFTER)):
            held_day = day - timedelta(days=after)
            window = self.window_of(held_day)
            if window is not None and window.released_after == after:
                held = self._held(held_day, window, charges_gross)
                if held:
                    found.append(self._movement("RESERVED_FUNDS_REVERSAL", day, RELEASED_AT, held, held_day))
        return found

    @staticmethod
    def _held(day: date, window: ReserveWindow, charges_gross: Callable[[date], Decimal]) -> Decimal:
        return (charges_gross(day) * window.share).quantize(_CENT, rounding=ROUND_HALF_UP)

    def _movement(self, kind: str, day: date, at: time, amount: Decimal, held_day: date) -> dict:
        moment = datetime.combine(day, at, tzinfo=self.zone).astimezone(timezone.utc)
        return {"kind": kind, "time": moment, "amount": amount, "fee": Decimal("0.00"), "net": amount,
                "source_type": "SYSTEM_ADJUSTMENT", "source_id": self.id_base + held_day.toordinal(),
                "order_gid": None, "order_name": None}
