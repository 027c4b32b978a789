"""A shop's local calendar day as a span of time: what every part of the daily sync counts in."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from syncjobs.queue.recurrence import local_moment


def day_bounds(merchant, day: date) -> tuple[datetime, datetime]:
    """[start, end) of the merchant's local calendar day, in UTC (23 or 25 hours on DST days)."""
    zone = ZoneInfo(merchant.time_zone)
    return local_moment(day, time(0, 0), zone), local_moment(day + timedelta(days=1), time(0, 0), zone)
