"""Shopify Payments rows for the payout reconciliation's tests: order transactions, the balance
transactions a payout holds, and what the daily journal records when it posts them.

The helpers make a payout's parts the way Shopify and the journal would: a charge is an order
transaction and its balance transaction (net = amount − fee), posted in a journal as a
PostedTransaction moving the clearing account by the same net unless a test says otherwise.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from connectors.shopify.models import ShopifyBalanceTransaction, ShopifyPayout, ShopifyTransaction
from syncjobs.daily.models import PostedBalanceTransaction, PostedPayout, PostedTransaction
from syncjobs.payments.models import Payout
from tests.factories.shopify import ShopifyOrderFactory, ShopifyPayoutFactory

ISSUED = dt.datetime(2026, 11, 10, 6, 0, tzinfo=dt.timezone.utc)


class OrderTransactionFactory(factory.django.DjangoModelFactory):
    """A successful Shopify Payments sale of an order."""

    class Meta:
        model = ShopifyTransaction

    order = factory.SubFactory(ShopifyOrderFactory)
    merchant = factory.LazyAttribute(lambda t: t.order.merchant)
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/OrderTransaction/{7_000_000 + n}")
    kind = "SALE"
    status = "SUCCESS"
    gateway = "shopify_payments"
    processed_at = ISSUED - dt.timedelta(days=1)
    amount = Decimal("100.00")
    amount_presentment = factory.LazyAttribute(lambda t: t.amount)
    fee = Decimal("0")


class BalanceTransactionFactory(factory.django.DjangoModelFactory):
    """A balance transaction of a payout (`payout`), its net its amount less its fee."""

    class Meta:
        model = ShopifyBalanceTransaction
        exclude = ("payout",)

    payout = factory.SubFactory(ShopifyPayoutFactory)
    merchant = factory.LazyAttribute(lambda b: b.payout.merchant)
    shopify_gid = factory.Sequence(lambda n: f"gid://shopify/ShopifyPaymentsBalanceTransaction/{5_000_000 + n}")
    type = "ADJUSTMENT"
    transaction_date = factory.LazyAttribute(lambda b: b.payout.issued_at - dt.timedelta(days=1))
    amount = Decimal("0")
    fee = Decimal("0")
    net = factory.LazyAttribute(lambda b: b.amount - b.fee)
    currency = "EUR"
    payout_gid = factory.LazyAttribute(lambda b: b.payout.shopify_gid)
    payout_status = factory.LazyAttribute(lambda b: b.payout.status)


def payout(merchant, net, *, status="PAID", issued_at=ISSUED, **fields) -> ShopifyPayout:
    return ShopifyPayoutFactory(merchant=merchant, net=Decimal(net), status=status, issued_at=issued_at, **fields)


def order_part(of_payout, bt_type="CHARGE", *, amount, fee="0", posted_in="", clearing=None, order=None,
               **fields) -> ShopifyBalanceTransaction:
    """A CHARGE (amount > 0) or REFUND (amount < 0) and the order transaction it names; posted in
    journal `posted_in` (moving the clearing account by `clearing`, else its net) when given."""
    amount, fee = Decimal(amount), Decimal(fee)
    order = order or ShopifyOrderFactory(merchant=of_payout.merchant)
    sale = OrderTransactionFactory(order=order, kind="SALE" if bt_type == "CHARGE" else "REFUND", amount=abs(amount),
                                   fee=fee)
    legacy_id = sale.shopify_gid.rsplit("/", 1)[1]
    part = BalanceTransactionFactory(payout=of_payout, type=bt_type, amount=amount, fee=fee,
                                     source_order_transaction_id=legacy_id, order_gid=order.shopify_gid, **fields)
    if posted_in:
        PostedTransaction.objects.create(merchant=of_payout.merchant, transaction_gid=sale.shopify_gid,
                                         journal_no=posted_in,
                                         clearing=part.net if clearing is None else Decimal(clearing))
    return part


def own_part(of_payout, bt_type, *, amount, fee="0", posted_in="", clearing=None,
             **fields) -> ShopifyBalanceTransaction:
    """A balance transaction with a line of its own (a dispute, a reserve, an adjustment…)."""
    part = BalanceTransactionFactory(payout=of_payout, type=bt_type, amount=Decimal(amount), fee=Decimal(fee), **fields)
    if posted_in:
        PostedBalanceTransaction.objects.create(balance_transaction=part, journal_no=posted_in,
                                                clearing=part.net if clearing is None else Decimal(clearing))
    return part


def payout_back(of_payout, failed: ShopifyPayout, **fields) -> ShopifyBalanceTransaction:
    """The failed payout `failed`'s money back on the balance, held by `of_payout`."""
    return BalanceTransactionFactory(payout=of_payout, type="TRANSFER_FAILURE", amount=failed.net,
                                     source_type="TRANSFER", source_id=str(failed.legacy_id), **fields)


def transfer(of_payout) -> ShopifyBalanceTransaction:
    """The payout's own transfer: no part of it."""
    return BalanceTransactionFactory(payout=of_payout, type="TRANSFER", amount=-of_payout.net)


def post_payout(of_payout, journal_no: str, *, reversed_in: str = "") -> PostedPayout:
    return PostedPayout.objects.create(payout=of_payout, journal_no=journal_no, reversed_in_no=reversed_in)


# The scoping tests' row maker (tests/factories/owned_rows.py): the payouts' list under Payments.
PAYMENT_ROW_MAKERS = {
    Payout: lambda merchant: Payout.objects.get(pk=ShopifyPayoutFactory(merchant=merchant).pk),
}
