"""When a recurring entry runs next, in its merchant's time zone (J3).

Slots sit on a grid anchored at the entry's local starting time (midnight when it has none):
- an interval under a day counts elapsed time from each allowed day's starting time, up to the
  ending time (which may be on the next day) or, without one, up to the next day's start;
- a whole-day interval keeps the local wall-clock starting time, every N days from the day the
  entry was created.
A local time that does not exist (clocks spring forward) moves forward to the first that does; an
ambiguous one (clocks fall back) takes its first occurrence. So a change day has neither a skipped
nor a doubled run.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from syncjobs.queue.models import WEEKDAY_FIELDS

MINUTES_PER_DAY = 24 * 60
DEFAULT_MINUTES = MINUTES_PER_DAY  # Business Central's default when only weekdays are ticked
SEARCH_DAYS = 8 * 366              # a grid of N days whose days never fall on an allowed weekday ends the search


class NoNextRun(Exception):
    """The recurrence has no slot after the given moment (e.g. no weekday allowed)."""


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` in `zone`, in UTC: a time in a spring-forward gap moves to the gap's end, a
    fall-back time takes its first occurrence."""
    wall = datetime.combine(day, at)
    for minutes in range(0, 3 * 60 + 1):
        candidate = (wall + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=0)
        in_utc = candidate.astimezone(dt_timezone.utc)
        if in_utc.astimezone(zone).replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return in_utc
    raise NoNextRun(f"{wall} does not exist in {zone.key}")


def next_run_after(entry, after: datetime) -> datetime:
    """The first slot of `entry` strictly after `after` (an aware datetime), in UTC.

    Arithmetic is done in UTC: aware datetimes in one zone would add wall-clock time, not elapsed."""
    zone = ZoneInfo(entry.merchant.time_zone)
    allowed = _allowed_weekdays(entry)
    if not allowed:
        raise NoNextRun("no weekday is ticked")
    minutes = entry.minutes_between_runs or DEFAULT_MINUTES
    starting = entry.starting_time or time(0, 0)
    after = after.astimezone(dt_timezone.utc)
    first_day = after.astimezone(zone).date() - timedelta(days=1)
    if minutes % MINUTES_PER_DAY == 0:
        return _next_whole_day_slot(entry, after, zone, allowed, minutes // MINUTES_PER_DAY, starting, first_day)
    return _next_elapsed_slot(entry, after, zone, allowed, minutes, starting, first_day)


def _next_whole_day_slot(entry, after, zone, allowed, every_days, starting, first_day) -> datetime:
    anchor = (entry.created_at or after).astimezone(zone).date()
    for offset in range(SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in allowed or (day - anchor).days % every_days:
            continue
        slot = local_moment(day, starting, zone)
        if slot > after:
            return slot
    raise NoNextRun("no allowed day in the recurrence")


def _next_elapsed_slot(entry, after, zone, allowed, minutes, starting, first_day) -> datetime:
    step = timedelta(minutes=minutes)
    for offset in range(SEARCH_DAYS):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in allowed:
            continue
        window_start = local_moment(day, starting, zone)
        window_end = _window_end(day, starting, entry.ending_time, zone)
        if after < window_start:
            return window_start
        steps = (after - window_start) // step + 1
        slot = window_start + steps * step
        if slot < window_end or (entry.ending_time and slot == window_end):
            return slot
    raise NoNextRun("no allowed day in the recurrence")


def _window_end(day: date, starting: time, ending: time | None, zone: ZoneInfo) -> datetime:
    if ending is None:
        return local_moment(day + timedelta(days=1), starting, zone)
    end_day = day if ending > starting else day + timedelta(days=1)   # ending before starting: across midnight
    return local_moment(end_day, ending, zone)


def _allowed_weekdays(entry) -> set[int]:
    ticked = {index for index, name in enumerate(WEEKDAY_FIELDS) if getattr(entry, name)}
    return ticked or set(range(7))
