"""What the shop card and the role center show of the daily sync (D7)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from connectors.ledger.target import target_for
from syncjobs.daily.models import DailySyncDay, DayStatus

CALENDAR_DAYS = 35   # five whole weeks: more than the 31 days that disable the sync


@dataclass(frozen=True)
class CalendarDay:
    day: date
    status: str            # a DayStatus, or "" for a day the sync never planned
    journal_url: str       # "" for a day without a journal
    run_id: int | None
    message: str


def recent_days(merchant, *, today: date | None = None) -> list[CalendarDay]:
    """The last CALENDAR_DAYS local days up to yesterday, oldest first, Monday-aligned weeks."""
    first, last = _calendar_range(merchant, today)
    rows = {row.day: row for row in DailySyncDay.objects.filter(merchant=merchant, day__gte=first, day__lte=last)}
    return _cells(first, last, rows, merchant)


@dataclass(frozen=True)
class MerchantCalendar:
    merchant: object
    days: list[CalendarDay]


def recent_days_of(merchants, *, limit: int) -> list[MerchantCalendar]:
    """recent_days for the first `limit` merchants, in two queries whatever the number."""
    chosen = list(merchants.order_by("code")[:limit])
    if not chosen:
        return []
    ranges = {m.pk: _calendar_range(m, None) for m in chosen}
    rows: dict[int, dict[date, DailySyncDay]] = {m.pk: {} for m in chosen}
    for row in DailySyncDay.objects.filter(merchant__in=chosen, day__gte=min(r[0] for r in ranges.values()),
                                           day__lte=max(r[1] for r in ranges.values())):
        rows[row.merchant_id][row.day] = row
    return [MerchantCalendar(m, _cells(*ranges[m.pk], rows[m.pk], m)) for m in chosen]


def _calendar_range(merchant, today: date | None) -> tuple[date, date]:
    today = today or timezone.now().astimezone(ZoneInfo(merchant.time_zone)).date()
    last = today - timedelta(days=1)
    first = last - timedelta(days=CALENDAR_DAYS - 1)
    return first - timedelta(days=first.weekday()), last


def _cells(first: date, last: date, rows: dict, merchant) -> list[CalendarDay]:
    """A day the sync has no row for yet is pending from the start date on (the next run takes it),
    and "not planned" before it."""
    start, target = merchant.daily_sync_start_date, target_for(merchant)
    cells = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        row = rows.get(day)
        if row is not None:
            url = target.journal_url(row.journal_no) if row.journal_no else ""
            cells.append(CalendarDay(day, row.status, url, row.run_id, row.message))
        elif start is not None and day >= start:
            cells.append(CalendarDay(day, DayStatus.PENDING, "", None, "the next daily sync posts it"))
        else:
            cells.append(CalendarDay(day, "", "", None, ""))
    return cells


@dataclass(frozen=True)
class DailySyncTrouble:
    merchant: object
    failing_days: int
    disabled_reason: str


DAILY_SYNC_FAILING = "failing"
DAILY_SYNC_DISABLED = "disabled"


def daily_syncs(merchants, state: str):
    """The shops among `merchants` whose daily sync (a daily summary, or a documents-mode shop's
    daily payments) is failing (failed days not yet caught up, whether or not the sync is still on)
    or disabled: what the role center's tiles count and its banner lists."""
    daily = merchants
    if state == DAILY_SYNC_DISABLED:
        return daily.filter(daily_sync_enabled=False)
    failed_days = DailySyncDay.objects.filter(merchant=OuterRef("pk"), status=DayStatus.FAILED)
    return daily.filter(Exists(failed_days))


@dataclass(frozen=True)
class FailingDays:
    since: date
    count: int


def failing_days(merchant) -> FailingDays | None:
    """The shop's failed days not yet caught up: since when, and how many (None: none)."""
    found = DailySyncDay.objects.filter(merchant=merchant, status=DayStatus.FAILED).aggregate(
        since=Min("day"), count=Count("pk"))
    return FailingDays(found["since"], found["count"]) if found["count"] else None


def daily_sync_troubles(merchants) -> list[DailySyncTrouble]:
    """The shops of both daily-sync tiles, with their failed days and why a sync is off, in one query."""
    troubled = daily_syncs(merchants, DAILY_SYNC_FAILING) | daily_syncs(merchants, DAILY_SYNC_DISABLED)
    annotated = troubled.annotate(failing=Count("daily_sync_days", filter=Q(
        daily_sync_days__status=DayStatus.FAILED)))
    return [DailySyncTrouble(m, m.failing, "" if m.daily_sync_enabled else
                             (m.daily_sync_disabled_reason or "turned off on the shop card"))
            for m in annotated.order_by("code")]
