"""Which Shopify Payments order transactions a journal posts, and what each moves in the clearing
account: the books' side of a payout's reconciliation (syncjobs.payments). The journal's lines are
sums; these say, transaction by transaction, what those sums hold."""
from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from connectors.shopify.models import ShopifyTransaction
from syncjobs.daily.amounts import MONEY_IN, MONEY_OUT, SHOPIFY_PAYMENTS
from syncjobs.daily.models import PostedTransaction


def posted_transactions(merchant, start: datetime, end: datetime, late_ids: list[int]) -> list[PostedTransaction]:
    """The Shopify Payments transactions the day [start, end) posts (its own and the late ones),
    unsaved: money in less its fee is a debit of the clearing account, money out plus its fee a
    credit. The same rows syncjobs.daily.amounts.transaction_amounts sums."""
    moved = ShopifyTransaction.objects.filter(
        Q(processed_at__gte=start, processed_at__lt=end) | Q(pk__in=late_ids), merchant=merchant,
        gateway=SHOPIFY_PAYMENTS, status="SUCCESS", is_test=False, order__is_test=False,
        kind__in=MONEY_IN + MONEY_OUT)
    return [PostedTransaction(merchant=merchant, transaction_gid=gid,
                              clearing=(amount if kind in MONEY_IN else -amount) - fee)
            for gid, kind, amount, fee in moved.values_list("shopify_gid", "kind", "amount", "fee")]
