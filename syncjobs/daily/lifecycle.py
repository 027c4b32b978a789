"""The daily sync's days over time, after Codat (D4–D6).

Every local day from the start date on has one status row. A run takes every day not yet synced,
oldest first, each posted on its own; a synced day is never posted again. When the last 31
calendar days planned have all failed, the sync is disabled (the merchant probably reconciles by
hand now); re-enabling may move the start date, and days before it are skipped for good.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from connectors.ledger.errors import JournalAlreadyPosted, LedgerError
from connectors.ledger.mappings import missing_mappings_message
from connectors.shopify.importers.counts import ImportCounts
from syncjobs.daily.journal import DayFailed, day_bounds, post_day
from syncjobs.daily.models import DailySyncDay, DayStatus, OrderAdjustment
from syncjobs.daily.quiet_days import days_with_records, settle_quiet_days
from syncjobs.queue.notifications import email_shop_users

FAILING_DAYS_TO_DISABLE = 31


class StartDateRefused(Exception):
    pass


@dataclass(frozen=True)
class DayFailure:
    """A day a run could not post: what had no account, and every other reason."""

    day: date
    reason: str
    missing: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.day} was not posted: {self.reason}"


def days_to_sync(merchant, planned: date) -> list[DailySyncDay]:
    """The days a run should post, oldest first: every day from the start date (or the first day
    ever planned) up to `planned` that is not synced or skipped. Missing rows are made pending."""
    earliest = DailySyncDay.objects.filter(merchant=merchant).order_by("day").values_list("day", flat=True).first()
    first = merchant.daily_sync_start_date or earliest or planned
    # A start date stored before it was bounded must not plan centuries of days.
    first = max(first, planned - timedelta(days=settings.DAILY_SYNC_MAX_HISTORY_DAYS))
    if first > planned:
        return []
    wanted = [first + timedelta(days=n) for n in range((planned - first).days + 1)]
    DailySyncDay.objects.bulk_create([DailySyncDay(merchant=merchant, day=day) for day in wanted],
                                     ignore_conflicts=True)
    return list(DailySyncDay.objects.filter(merchant=merchant, day__gte=first, day__lte=planned,
                                            status__in=(DayStatus.PENDING, DayStatus.FAILED)).order_by("day"))


def post_days(merchant, days: list[DailySyncDay], *, counts: ImportCounts, run_id: int | None,
              log) -> list[DayFailure]:
    """Post each day on its own, oldest first, and record how it went; returns the days that failed.

    Days that hold no record are settled together (syncjobs.daily.quiet_days), except where money of
    earlier days may still be waiting for the next day posted (a payout that failed after it was
    posted is reversed on the first day posted after the failure was read): on the first day of the
    run, and after a day that failed, until a day posts again.
    """
    failures = []
    busy = days_with_records(merchant, days[0].day, days[-1].day) if len(days) > 1 else None
    carried = True   # a reversal read before the run may be waiting for its first day
    quiet: list[DailySyncDay] = []
    for row in days:
        if busy is not None and row.day not in busy and not carried:
            quiet.append(row)
            continue
        _settle(quiet, counts=counts, run_id=run_id, log=log)
        carried = _post_one(merchant, row, counts=counts, run_id=run_id, log=log, failures=failures)
    _settle(quiet, counts=counts, run_id=run_id, log=log)
    return failures


def _settle(quiet: list[DailySyncDay], *, counts: ImportCounts, run_id: int | None, log) -> None:
    if not quiet:
        return
    counts.skipped += settle_quiet_days(quiet, run_id=run_id)
    span = f"{quiet[0].day}" if len(quiet) == 1 else f"{len(quiet)} days from {quiet[0].day} to {quiet[-1].day}"
    log(f"{span} had no sales, refunds, payments or payouts: nothing to post")
    quiet.clear()


def _post_one(merchant, row: DailySyncDay, *, counts: ImportCounts, run_id: int | None, log,
              failures: list[DayFailure]) -> bool:
    """Post one day; True when it failed (so money it held waits for the next day)."""
    try:
        posted = post_day(merchant=merchant, day=row.day, log=log)
    except DayFailed as exc:
        counts.failed += max(len(exc.records), 1)
        counts.errors += exc.records
        record_outcome(row, run_id=run_id, error=str(exc))
        failures.append(DayFailure(row.day, str(exc), tuple(exc.missing), tuple(exc.problems)))
        return True
    except JournalAlreadyPosted as exc:   # another run posted it meanwhile
        record_outcome(row, run_id=run_id, journal_no=exc.number)
        counts.skipped += 1
        return False
    except LedgerError as exc:
        counts.failed += 1
        record_outcome(row, run_id=run_id, error=str(exc))
        failures.append(DayFailure(row.day, str(exc), problems=(str(exc),)))
        return True
    record_outcome(row, run_id=run_id, journal_no=posted.journal.number if posted.journal else "")
    counts.read += posted.orders
    if posted.journal is None:
        counts.skipped += 1
        log(f"{row.day} had no sales, refunds, payments or payouts: nothing to post")
    else:
        counts.created += 1
        log(f"posted journal {posted.journal.number} for {row.day}: {len(posted.journal.lines)} lines")
    return False


def failures_summary(failures: list[DayFailure], days: int) -> str:
    """One short sentence for the run: everything that has no account, named once, then the days
    that failed for other reasons, grouped by why."""
    if days == 1:
        return str(failures[0])
    missing = list(dict.fromkeys(subject for failure in failures for subject in failure.missing))
    by_problem: dict[str, list[date]] = {}
    for failure in failures:
        for problem in failure.problems:
            by_problem.setdefault(problem, []).append(failure.day)
    posted = days - len(failures)
    head = f"{len(failures)} of {days} days were not posted ({posted} {'was' if posted == 1 else 'were'})"
    parts = [missing_mappings_message(missing)] if missing else []
    parts += [f"{day_spans(day_list)}: {problem}" for problem, day_list in by_problem.items()]
    return f"{head}: " + "; ".join(parts)


def day_spans(days: list[date]) -> str:
    """Days as short spans: "2025-05-01 to 2025-05-03, 2025-05-07"."""
    spans: list[list[date]] = []
    for day in sorted(days):
        if spans and day - spans[-1][1] == timedelta(days=1):
            spans[-1][1] = day
        else:
            spans.append([day, day])
    return ", ".join(f"{first}" if first == last else f"{first} to {last}" for first, last in spans)


def record_outcome(row: DailySyncDay, *, run_id: int | None, journal_no: str = "", error: str = "") -> None:
    row.status = DayStatus.FAILED if error else DayStatus.SYNCED
    row.message = error
    row.journal_no = journal_no
    row.run_id = run_id
    row.attempts += 1
    row.save(update_fields=["status", "message", "journal_no", "run", "attempts", "updated_at"])


def disable_if_failing(merchant, planned: date) -> bool:
    """D5: disable the daily sync when the FAILING_DAYS_TO_DISABLE days up to `planned` all failed."""
    since = planned - timedelta(days=FAILING_DAYS_TO_DISABLE - 1)
    failed = DailySyncDay.objects.filter(merchant=merchant, day__gte=since, day__lte=planned, status=DayStatus.FAILED)
    if failed.count() < FAILING_DAYS_TO_DISABLE:
        return False
    last = failed.order_by("-day").values_list("message", flat=True).first()
    reason = f"the {FAILING_DAYS_TO_DISABLE} days from {since} to {planned} all failed; last: {last}"[:255]
    type(merchant).objects.filter(pk=merchant.pk).update(
        daily_sync_enabled=False, daily_sync_disabled_reason=reason, daily_sync_disabled_at=timezone.now())
    merchant.refresh_from_db()
    _tell_users(merchant, reason)
    return True


def earliest_start_date(merchant) -> date | None:
    """A new start date may not reach back over a day already posted (it would change nothing there
    and hide that the days after it were posted)."""
    last_synced = (DailySyncDay.objects.filter(merchant=merchant, status=DayStatus.SYNCED).order_by("-day")
                   .values_list("day", flat=True).first())
    return last_synced + timedelta(days=1) if last_synced else None


def check_start_date(merchant, start: date | None, *, time_zone: str | None = None) -> None:
    """A start date is a day of the last DAILY_SYNC_MAX_HISTORY_DAYS up to today in the shop's time
    zone, and not before a day already posted; StartDateRefused says why not."""
    if start is None:
        return
    try:
        zone = ZoneInfo(time_zone or merchant.time_zone)
    except (ZoneInfoNotFoundError, ValueError):   # the form says what is wrong with the zone itself
        zone = ZoneInfo("UTC")
    today = timezone.now().astimezone(zone).date()
    oldest = today - timedelta(days=settings.DAILY_SYNC_MAX_HISTORY_DAYS)
    if start > today:
        raise StartDateRefused(f"the start date cannot be after today ({today})")
    if start < oldest:
        raise StartDateRefused(f"the start date can be at most {settings.DAILY_SYNC_MAX_HISTORY_DAYS} days back, "
                               f"{oldest} or later")
    if merchant.pk is None:
        return
    earliest = earliest_start_date(merchant)
    if earliest and start < earliest:
        raise StartDateRefused(f"the start date cannot be before {earliest}: {earliest - timedelta(days=1)} is "
                               "already posted")


def apply_daily_sync_settings(merchant, *, was_enabled: bool) -> None:
    """After the shop card saved its daily sync settings: days before the start date are skipped for
    good; re-enabling clears the reason it was disabled for (D6)."""
    if merchant.daily_sync_start_date:
        (DailySyncDay.objects.filter(merchant=merchant, day__lt=merchant.daily_sync_start_date)
         .exclude(status=DayStatus.SYNCED).update(status=DayStatus.SKIPPED, message="before the sync start date"))
        # Changes seen on skipped days are never posted: drop them, so later changes are kept again.
        start = day_bounds(merchant, merchant.daily_sync_start_date)[0]
        OrderAdjustment.objects.filter(merchant=merchant, journal_no="", seen_at__lt=start).delete()
    if merchant.daily_sync_enabled and not was_enabled:
        type(merchant).objects.filter(pk=merchant.pk).update(daily_sync_disabled_reason="",
                                                             daily_sync_disabled_at=None)


def _tell_users(merchant, reason: str) -> None:
    email_shop_users(
        merchant.pk, subject=f"[syncsite] The daily sync of {merchant.code} was disabled",
        message=(f"The daily sync of {merchant.name} ({merchant.code}) was disabled: {reason}.\n\n"
                 "Fix what fails (the runs say which records and why), then re-enable it on the shop "
                 "card; you may set a new start date there.\n"),
    )
