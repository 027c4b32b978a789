"""Payouts in the daily journal (D2): posted once they have left (in transit or paid), reversed if
they fail later.

A payout counts on the day it was issued. One still scheduled when that day was posted is posted
on the first day posted after it leaves; one that fails or is cancelled after it was posted is
reversed on the first day posted after that. PostedPayout remembers both, so nothing is posted twice.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from connectors.shopify.models import ShopifyPayout
from syncjobs.daily.amounts import SHOPIFY_PAYMENTS, Amount
from syncjobs.daily.models import PostedPayout

LEFT = ("IN_TRANSIT", "PAID")
FAILED = ("FAILED", "CANCELED")


PayoutLines = tuple[list[Amount], list[int], list[int]]


def payout_amounts(merchant, start: datetime, end: datetime, *, since: datetime) -> PayoutLines:
    """The day's payout lines, the payouts they post, and the posted payouts they reverse. Payouts
    issued before `since` (the start of the daily sync's first day) belong to the books before it."""
    posted = PostedPayout.objects.filter(payout__merchant=merchant)
    leaving = list(ShopifyPayout.objects.filter(merchant=merchant, issued_at__gte=min(since, start), issued_at__lt=end,
                                                status__in=LEFT)
                   .exclude(pk__in=posted.values("payout_id")).values_list("pk", "issued_at", "net"))
    failing = list(posted.filter(reversed_in=None, payout__status__in=FAILED)
                   .values_list("pk", "payout__issued_at", "payout__net"))
    on_the_day = sum((net for _, issued, net in leaving if issued >= start), Decimal("0"))
    late = sum((net for _, issued, net in leaving if issued < start), Decimal("0"))
    failed = sum((net for _, _, net in failing), Decimal("0"))
    amounts = []
    for amount, text in ((on_the_day, "Payouts to the bank"), (late, "Payouts to the bank, issued earlier"),
                         (-failed, "Payouts that failed, reversed")):
        if amount:
            amounts += [Amount("payouts", "", amount, text),
                        Amount("payment_clearing", SHOPIFY_PAYMENTS, -amount, text)]
    return amounts, [pk for pk, _, _ in leaving], [pk for pk, _, _ in failing]
