"""Payouts in the daily journal (D2): each on the day it was issued, reversed if it fails later.

A payout belongs to the journal of its issue day (the shop's local day), posted once it has left
(in transit or paid) or failed. One that leaves only after its issue day was posted (it was still
scheduled, or not yet imported) goes into the journal of the day the import first read it as left;
one that fails or is cancelled is reversed on the day its money came back to the balance (the
balance transaction naming it), or the import first read it failed if earlier (the same journal
if it was read failed before its issue day was posted: it was issued, and its money came back, in a
later payout, as a balance transaction whose clearing movement is this reversal). A
day that failed and is caught up later still gets its own payouts: nothing moves them to the days
posted meanwhile. PostedPayout remembers both, so nothing is posted or reversed twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from connectors.shopify.models import (
    ORDER_AND_PAYOUT_MOVEMENTS,
    PAYOUT_FAILED,
    PAYOUT_LEFT,
    ShopifyBalanceTransaction,
    ShopifyPayout,
)
from syncjobs.daily.amounts import SHOPIFY_PAYMENTS, Amount
from syncjobs.daily.balance_moves import PAYOUT_BACK, TREATMENTS
from syncjobs.daily.models import DailySyncDay, DayStatus, PostedPayout


@dataclass(frozen=True)
class PayoutLines:
    amounts: list[Amount]
    leaving: list[int]              # payouts the day posts
    failed_at_once: list[int]       # of those, the ones it reverses too (read failed already)
    failing: list[int]              # PostedPayout rows it reverses


def payout_amounts(merchant, start: datetime, end: datetime, *, since: datetime) -> PayoutLines:
    """The day [start, end)'s payout lines, the payouts they post, and the payouts they reverse.
    Payouts issued before `since` (the start of the daily sync's first day) belong to the books
    before it."""
    posted = PostedPayout.objects.filter(payout__merchant=merchant)
    unposted = (ShopifyPayout.objects.filter(merchant=merchant, status__in=PAYOUT_LEFT + PAYOUT_FAILED,
                                             issued_at__lt=end, issued_at__gte=since)
                .exclude(pk__in=posted.values("payout_id")))
    on_the_day = list(unposted.filter(issued_at__gte=start).values_list("pk", "net"))
    late = _late(merchant, unposted.filter(issued_at__lt=start, status__in=PAYOUT_LEFT,
                                           left_seen_at__gte=start, left_seen_at__lt=end))
    late += _late(merchant, unposted.filter(issued_at__lt=start, status__in=PAYOUT_FAILED,
                                            failed_seen_at__gte=start, failed_seen_at__lt=end))
    leaving = on_the_day + late
    failed_now = _failed_before(merchant, end, unposted.filter(
        pk__in=[pk for pk, _ in leaving], status__in=PAYOUT_FAILED).values_list("pk", "legacy_id", "failed_seen_at",
                                                                                "net")) if leaving else []
    failing = _failed_before(merchant, end, posted.filter(reversed_in_no="", payout__status__in=PAYOUT_FAILED)
                             .values_list("pk", "payout__legacy_id", "payout__failed_seen_at", "payout__net"))
    amounts = []
    for total, text in ((_sum(on_the_day), "Payouts to the bank"),
                        (_sum(late), "Payouts to the bank, issued earlier"),
                        (-_sum(failing + failed_now), "Payouts that failed, reversed")):
        if total:
            amounts += [Amount("payouts", "", total, text),
                        Amount("payment_clearing", SHOPIFY_PAYMENTS, -total, text)]
    return PayoutLines(amounts, [pk for pk, _ in leaving], [pk for pk, _ in failed_now], [pk for pk, _ in failing])


def _failed_before(merchant, end: datetime, rows) -> list[tuple[int, Decimal]]:
    """(pk, net) of the failed payouts among `rows` ((pk, legacy id, failed_seen_at, net)) that had
    failed before `end`: when their money came back to the balance (the TRANSFER_FAILURE balance
    transaction naming them, so a catch-up reverses each on its own day), or when the import first
    read them failed, whichever is earlier."""
    rows = list(rows)
    if not rows:
        return []
    came_back: dict[str, datetime] = {}
    for source, dated in ShopifyBalanceTransaction.objects.exclude(type__in=ORDER_AND_PAYOUT_MOVEMENTS).filter(
            merchant=merchant, type__in=TREATMENTS[PAYOUT_BACK],
            source_id__in=[str(legacy_id) for _, legacy_id, _, _ in rows]).values_list("source_id", "transaction_date"):
        came_back[source] = min(dated, came_back.get(source, dated))
    failed = []
    for pk, legacy_id, seen, net in rows:
        moments = [moment for moment in (seen, came_back.get(str(legacy_id))) if moment is not None]
        if moments and min(moments) < end:
            failed.append((pk, net))
    return failed


def _late(merchant, candidates) -> list[tuple[int, Decimal]]:
    """Those whose issue day had been posted when they were read as left; the others wait for
    their own day."""
    rows = list(candidates.values_list("pk", "net", "issued_at"))
    if not rows:
        return []
    zone = ZoneInfo(merchant.time_zone)
    posted_days = set(DailySyncDay.objects.filter(
        merchant=merchant, status=DayStatus.SYNCED,
        day__in={issued.astimezone(zone).date() for _, _, issued in rows}).values_list("day", flat=True))
    return [(pk, net) for pk, net, issued in rows if issued.astimezone(zone).date() in posted_days]


def _sum(rows) -> Decimal:
    return sum((net for _, net in rows), Decimal("0"))
