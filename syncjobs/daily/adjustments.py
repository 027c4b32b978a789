"""Orders that change, or arrive, after their day was posted (D2 adjustments).

The importer announces such orders before it replaces their rows; what had been posted for them is
kept then (the amounts their rows still hold). The day the change was seen posts the difference
between the order's amounts now and then, when it is not zero; the old day is never posted again.
Refunds and payments are not adjustments: they count on their own days.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.dispatch import receiver
from django.utils import timezone

from connectors.shopify.models import ShopifyOrder
from connectors.shopify.signals import orders_added, orders_replacing
from merchants.models import Merchant
from syncjobs.daily.amounts import Amount
from syncjobs.daily.models import DailySyncDay, DayStatus, OrderAdjustment
from syncjobs.daily.order_parts import DUE, order_parts

LABELS = {"sales": "sales", "gift_cards_sold": "gift cards sold", "shipping_income": "shipping income",
          "discounts": "discounts", "tips": "tips", "tax": "tax"}


@receiver(orders_replacing, dispatch_uid="syncjobs.keep_posted_amounts")
def keep_posted_amounts(*, merchant_id: int, order_ids: list[int], **_) -> None:
    posted = _in_posted_days(merchant_id, order_ids)
    if not posted:
        return
    waiting = set(OrderAdjustment.objects.filter(order_id__in=posted, journal_no="").values_list("order_id", flat=True))
    before = order_parts(posted - waiting)
    now = timezone.now()
    OrderAdjustment.objects.bulk_create(
        OrderAdjustment(merchant_id=merchant_id, order_id=order_id, seen_at=now,
                        before={key: str(amount) for key, amount in before.get(order_id, {}).items()})
        for order_id in sorted(posted - waiting))


@receiver(orders_added, dispatch_uid="syncjobs.note_late_orders")
def note_late_orders(*, merchant_id: int, order_ids: list[int], **_) -> None:
    late = _in_posted_days(merchant_id, order_ids)
    now = timezone.now()
    OrderAdjustment.objects.bulk_create(OrderAdjustment(merchant_id=merchant_id, order_id=order_id, seen_at=now,
                                                        before={}) for order_id in sorted(late))


def adjustments_seen(merchant, start: datetime, end: datetime) -> tuple[list[Amount], list[int]]:
    """The differences to post for changes seen in [start, end), and the adjustments they settle."""
    pending = list(OrderAdjustment.objects.filter(merchant=merchant, journal_no="", seen_at__gte=start,
                                                  seen_at__lt=end).values_list("pk", "order_id", "before"))
    if not pending:
        return [], []
    now = order_parts(order_id for _, order_id, _ in pending)
    differences: dict[str, Decimal] = {}
    for _, order_id, before in pending:
        current = now.get(order_id, {})
        for key in set(current) | set(before):
            differences[key] = differences.get(key, Decimal("0")) + current.get(key, Decimal("0")) - Decimal(
                before.get(key, "0"))
    amounts = []
    for key, amount in sorted(differences.items()):
        if not amount:
            continue
        kind, _, detail = key.partition("|")
        if key == DUE:
            amounts.append(Amount("receivables", "", amount, "Receivables: adjustments of orders already posted"))
        elif kind == "sales":
            amounts.append(Amount("sales", "", amount, f"Adjustments: sales {detail}"))
        else:
            label = f"Adjustments: {LABELS[kind]}" + (f" {detail}" if detail else "")
            amounts.append(Amount(kind, detail, amount, label))
    return amounts, [pk for pk, _, _ in pending]


def _in_posted_days(merchant_id: int, order_ids: list[int]) -> set[int]:
    """Those of the orders whose local day the daily sync already posted."""
    if not DailySyncDay.objects.filter(merchant_id=merchant_id, status=DayStatus.SYNCED).exists():
        return set()
    zone = ZoneInfo(Merchant.objects.filter(pk=merchant_id).values_list("time_zone", flat=True).get())
    days = {order_id: processed.astimezone(zone).date() for order_id, processed in ShopifyOrder.objects.filter(
        pk__in=order_ids, is_test=False, processed_at__isnull=False).values_list("pk", "processed_at")}
    if not days:
        return set()
    synced = set(DailySyncDay.objects.filter(merchant_id=merchant_id, status=DayStatus.SYNCED,
                                             day__gte=min(days.values()), day__lte=max(days.values()))
                 .values_list("day", flat=True))
    return {order_id for order_id, day in days.items() if day in synced}
