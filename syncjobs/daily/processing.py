"""Which imported orders the ledger has taken: the `processed` flag, as Business Central keeps it.

In daily-summary mode an order is processed once the journal of its day (or, for an order read
after its day was posted, the journal of the day it was read) is posted; that journal's
transaction sets the flag. Orders dated before the daily sync's first day are never posted, so
they are not waiting for anything and do not count.
"""
from __future__ import annotations

from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from connectors.shopify.models import ShopifyOrder
from core.local_time import zone_named
from merchants.models import PostingMode
from syncjobs.daily.days import day_bounds
from syncjobs.daily.models import OrderAdjustment


def mark_posted(merchant, start, end, settled_adjustments: list[int]) -> int:
    """Flag the orders of [start, end) and those the settled adjustments were about; inside the
    journal's transaction. Returns how many orders changed."""
    marked = ShopifyOrder.objects.filter(merchant=merchant, processed=False, processed_at__gte=start,
                                         processed_at__lt=end).update(processed=True)
    if settled_adjustments:
        marked += ShopifyOrder.objects.filter(
            pk__in=OrderAdjustment.objects.filter(pk__in=settled_adjustments).values("order_id"), processed=False,
        ).update(processed=True)
    return marked


def orders_awaiting_the_ledger(merchants) -> QuerySet[ShopifyOrder]:
    """The unprocessed orders of `merchants` (a Merchant queryset) that a posting could take by now:
    in daily-summary mode, those of the days from the first one planned up to yesterday (today's
    cannot be posted before the day ends)."""
    waiting = Q()
    everything_of = []
    now = timezone.now()
    for merchant in merchants.annotate(first_planned=Min("daily_sync_days__day")).only(
            "pk", "time_zone", "posting_mode", "daily_sync_start_date"):
        first = merchant.daily_sync_start_date or merchant.first_planned
        if merchant.posting_mode == PostingMode.DAILY_SUMMARY and first is not None:
            today = timezone.localtime(now, zone_named(merchant.time_zone)).date()
            waiting |= Q(merchant_id=merchant.pk, processed_at__gte=day_bounds(merchant, first)[0],
                         processed_at__lt=day_bounds(merchant, today)[0])
        else:
            everything_of.append(merchant.pk)
    if everything_of:
        waiting |= Q(merchant_id__in=everything_of)
    if not waiting:
        return ShopifyOrder.objects.none()
    return ShopifyOrder.objects.filter(waiting, processed=False)
