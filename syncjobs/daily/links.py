"""Links between what the daily sync joins: an order's page names the journals that took it, a
journal's page the orders and payouts behind it (registered with core.record_links at start-up)."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from connectors.ledger.models import JournalKind
from connectors.ledger.target import target_for
from core.local_time import zone_named
from core.record_links import Link
from syncjobs.daily.days import day_bounds
from syncjobs.daily.models import DailySyncDay, OrderAdjustment, PostedBalanceTransaction, PostedPayout

ORDERS_NAMED = 10   # orders changed after their day, named one by one up to this many


def journals_of_order(order) -> list[Link]:
    """The daily journal of the order's day, and each journal that posted a later change of it."""
    if order.processed_at is None:
        return []
    zone = zone_named(order.merchant.time_zone)
    day = order.processed_at.astimezone(zone).date()
    target = target_for(order.merchant)
    journals = DailySyncDay.objects.filter(merchant_id=order.merchant_id, day=day).exclude(journal_no="")
    links = [Link(f"daily journal {day} (its day)", target.journal_url(number))
             for number in journals.values_list("journal_no", flat=True)]
    # A change is posted in the journal of the local day it was seen on.
    changes = OrderAdjustment.objects.filter(order=order).exclude(journal_no="").order_by("seen_at")
    links += [Link(f"daily journal {seen_at.astimezone(zone).date()} (a later change)", target.journal_url(number))
              for number, seen_at in changes.values_list("journal_no", "seen_at")]
    return links


def sources_of_journal(journal) -> list[Link]:
    """The orders of a daily journal's day, the orders changed after their day it posted, its payouts
    and its Shopify Payments movements."""
    if journal.kind not in (JournalKind.DAILY_SALES, JournalKind.DAILY_PAYMENTS):
        return []
    links = []
    if journal.kind == JournalKind.DAILY_SALES:   # a payments journal's sales are the invoices'
        start, end = day_bounds(journal.merchant, journal.posting_date)
        orders = reverse("admin:shopify_shopifyorder_changelist") + "?" + urlencode({
            "merchant": journal.merchant_id, "processed_at__gte": start.isoformat(),
            "processed_at__lt": end.isoformat()})
        links.append(Link(f"orders of {journal.posting_date}", orders))
    number = str(journal.pk)   # the built-in ledger's page: its journals' numbers are their ids
    changed = list(OrderAdjustment.objects.filter(journal_no=number).values_list("order_id", "order__name")
                   .order_by("order__name")[:ORDERS_NAMED + 1])
    links += [Link(f"{name} (changed after its day)", reverse("admin:shopify_shopifyorder_change", args=[pk]))
              for pk, name in changed[:ORDERS_NAMED]]
    payouts = list(PostedPayout.objects.filter(journal_no=number).values_list("payout_id", flat=True))
    reversed_payouts = list(PostedPayout.objects.filter(reversed_in_no=number).values_list("payout_id", flat=True))
    for ids, done in ((payouts, "posted"), (reversed_payouts, "reversed")):
        if ids:
            url = reverse("admin:payment_sync_payout_changelist") + "?" + urlencode(
                {"id__in": ",".join(map(str, ids))})
            links.append(Link(f"{len(ids)} payout{'' if len(ids) == 1 else 's'} {done}", url))
    moves = list(PostedBalanceTransaction.objects.filter(journal_no=number).values_list("balance_transaction_id",
                                                                                      flat=True))
    if moves:   # disputes, their fees, reserves, adjustments: each Shopify Payments movement it posted
        url = reverse("admin:shopify_shopifybalancetransaction_changelist") + "?" + urlencode(
            {"id__in": ",".join(map(str, moves))})
        links.append(Link(f"{len(moves)} Shopify Payments movement{'' if len(moves) == 1 else 's'}", url))
    return links

