"""Links between what the daily sync joins: an order's page names the journals that took it, a
journal's page the orders and payouts behind it (registered with core.record_links at start-up)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from connectors.ledger.models import JournalKind
from core.local_time import zone_named
from core.record_links import Link
from syncjobs.daily.days import day_bounds
from syncjobs.daily.models import DailySyncDay, OrderAdjustment, PostedPayout

ORDERS_NAMED = 10   # orders changed after their day, named one by one up to this many


def journals_of_order(order) -> list[Link]:
    """The daily journal of the order's day, and each journal that posted a later change of it."""
    if order.processed_at is None:
        return []
    day = order.processed_at.astimezone(zone_named(order.merchant.time_zone)).date()
    journals = list(DailySyncDay.objects.filter(merchant_id=order.merchant_id, day=day, journal__isnull=False)
                    .values_list("journal_id", "day"))
    changes = (OrderAdjustment.objects.filter(order=order, journal__isnull=False).select_related("journal")
               .order_by("journal__posting_date").values_list("journal_id", "journal__posting_date"))
    links = [Link(f"daily journal {posted} (its day)", _journal_url(pk)) for pk, posted in journals]
    links += [Link(f"daily journal {posted} (a later change)", _journal_url(pk)) for pk, posted in changes]
    return links


def sources_of_journal(journal) -> list[Link]:
    """The orders of a daily journal's day, the orders changed after their day it posted, and its payouts."""
    if journal.kind != JournalKind.DAILY_SALES:
        return []
    start, end = day_bounds(journal.merchant, journal.posting_date)
    orders = reverse("admin:shopify_shopifyorder_changelist") + "?" + urlencode({
        "merchant": journal.merchant_id, "processed_at__gte": start.isoformat(), "processed_at__lt": end.isoformat()})
    links = [Link(f"orders of {journal.posting_date}", orders)]
    changed = list(OrderAdjustment.objects.filter(journal=journal).values_list("order_id", "order__name")
                   .order_by("order__name")[:ORDERS_NAMED + 1])
    links += [Link(f"{name} (changed after its day)", reverse("admin:shopify_shopifyorder_change", args=[pk]))
              for pk, name in changed[:ORDERS_NAMED]]
    payouts = list(PostedPayout.objects.filter(journal=journal).values_list("payout_id", flat=True))
    reversed_payouts = list(PostedPayout.objects.filter(reversed_in=journal).values_list("payout_id", flat=True))
    for ids, done in ((payouts, "posted"), (reversed_payouts, "reversed")):
        if ids:
            url = reverse("admin:shopify_shopifypayout_changelist") + "?" + urlencode(
                {"id__in": ",".join(map(str, ids))})
            links.append(Link(f"{len(ids)} payout{'' if len(ids) == 1 else 's'} {done}", url))
    return links


def _journal_url(pk: int) -> str:
    return reverse("admin:ledger_journalentry_change", args=[pk])
