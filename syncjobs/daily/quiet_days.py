"""Days with nothing to post, found for a whole catch-up at once (17.1).

A catch-up of two years is mostly days without a sale, a refund, a payment or a payout. Posting
each on its own costs a dozen queries a day; instead the days that hold any record at all are
found in one query per kind of record, and the others are settled together. Which days hold
records is a superset of those with money to post (a test order, a payment of zero count too):
those go through the day-by-day posting, which decides.
"""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import F
from django.db.models.functions import TruncDate
from django.utils import timezone

from connectors.shopify.models import ShopifyOrder, ShopifyPayout, ShopifyRefund, ShopifyTransaction
from syncjobs.daily.days import day_bounds
from syncjobs.daily.models import DailySyncDay, DayStatus, OrderAdjustment

# What a day's journal reads, by the time that places each record on a day (syncjobs.daily.amounts,
# adjustments, payouts).
DATED_RECORDS = (
    (ShopifyOrder.objects, "processed_at"),
    (ShopifyTransaction.objects, "processed_at"),
    (ShopifyTransaction.objects, "success_seen_at"),
    (ShopifyRefund.objects, "created_at"),
    (ShopifyRefund.objects, "first_seen_at"),
    (ShopifyPayout.objects, "issued_at"),
    (ShopifyPayout.objects, "left_seen_at"),
    (ShopifyPayout.objects, "failed_seen_at"),
    (OrderAdjustment.objects.filter(journal_no=""), "seen_at"),
)


def days_with_records(merchant, first: date, last: date) -> set[date]:
    """The local days from `first` to `last` on which any record the daily journal reads is dated."""
    start, end = day_bounds(merchant, first)[0], day_bounds(merchant, last)[1]
    zone = ZoneInfo(merchant.time_zone)
    days: set[date] = set()
    for records, field in DATED_RECORDS:
        days.update(records.filter(merchant=merchant, **{f"{field}__gte": start, f"{field}__lt": end})
                    .annotate(local_day=TruncDate(field, tzinfo=zone))
                    .values_list("local_day", flat=True).distinct().order_by())
    return days


def settle_quiet_days(rows: list[DailySyncDay], *, run_id: int | None) -> int:
    """Record the days as synced with nothing posted, in one statement; returns how many."""
    if not rows:
        return 0
    # updated_at is when the day was posted: a payment first read later belongs to a later day.
    return DailySyncDay.objects.filter(pk__in=[row.pk for row in rows]).update(
        status=DayStatus.SYNCED, message="", journal_no="", run_id=run_id, attempts=F("attempts") + 1,
        updated_at=timezone.now())
