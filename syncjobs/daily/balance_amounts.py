"""Shopify Payments' own movements in the daily journal: disputes, chargeback fees, reserves,
adjustments and any other balance transaction with a line of its own (syncjobs.daily.balance_moves).

Each is posted once, on the local day it happened, against the Shopify Payments clearing account;
one read only after its day was posted goes into the first day posted after it (like a late
payment), and one of a day not posted yet (failed, pending) waits for that day. Charges, refunds,
the payout's own transfer and a failed payout coming back are posted elsewhere (the order's
transactions, syncjobs.daily.payouts).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from connectors.shopify.models import ORDER_AND_PAYOUT_MOVEMENTS, ShopifyBalanceTransaction
from syncjobs.daily.amounts import SHOPIFY_PAYMENTS, Amount
from syncjobs.daily.balance_moves import NOT_OWN_LINE_TYPES, description_of, line_of
from syncjobs.daily.models import DailySyncDay, DayStatus, PostedBalanceTransaction

ZERO = Decimal("0")


def balance_amounts(merchant, start: datetime, end: datetime, *,
                    since: datetime) -> tuple[list[Amount], list[PostedBalanceTransaction]]:
    """The day [start, end)'s lines for balance transactions with a line of their own, and the
    records saying which the journal posts (unsaved; the journal's number is set when it is known)."""
    # The first exclude is the index's own condition (shopify_balance_tx_account): only the account's
    # movements are read, not every charge and refund since the start.
    rows = list(ShopifyBalanceTransaction.objects.filter(
        merchant=merchant, is_test=False, transaction_date__gte=since, transaction_date__lt=end)
        .exclude(type__in=ORDER_AND_PAYOUT_MOVEMENTS).exclude(type__in=NOT_OWN_LINE_TYPES)
        .exclude(pk__in=PostedBalanceTransaction.objects.filter(balance_transaction__merchant=merchant)
                 .values("balance_transaction_id"))
        .values_list("pk", "type", "net", "transaction_date"))
    if not rows:
        return [], []
    zone = ZoneInfo(merchant.time_zone)
    earlier_days = {dated.astimezone(zone).date() for _, _, _, dated in rows if dated < start}
    posted_days = set(DailySyncDay.objects.filter(merchant=merchant, status=DayStatus.SYNCED, day__in=earlier_days)
                      .values_list("day", flat=True)) if earlier_days else set()
    totals: dict[tuple[str, bool], Decimal] = defaultdict(lambda: ZERO)
    taken = []
    for pk, bt_type, net, dated in rows:
        late = dated < start
        if late and dated.astimezone(zone).date() not in posted_days:
            continue          # its own day is still to be posted
        totals[(bt_type, late)] += net
        taken.append(PostedBalanceTransaction(balance_transaction_id=pk, clearing=net))
    amounts = []
    for (bt_type, late), net in sorted(totals.items()):
        if not net:
            continue
        kind, key = line_of(bt_type)
        text = description_of(bt_type) + (", of days already posted" if late else "")
        amounts += [Amount(kind, key, -net, text), Amount("payment_clearing", SHOPIFY_PAYMENTS, net, text)]
    return amounts, taken
