"""30105 Sync Payments end to end, over HTTP against the simulator (issue 28, items 1–3 and 6).

The simulator's first shop (demo-eu, Paris) has a year of Shopify Payments: charges and refunds,
disputes opened and won, a reserve held and released, adjustments, and a payout failing each month
whose money comes back in a later payout. Everything is imported, every day posted by report 1,
then the books are checked against what Shopify says, payout by payout, in both posting modes.
"""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count
from django.urls import reverse

from connectors.ledger.models import Customer, JournalEntry, JournalLine
from connectors.shopify.models import (
    ShopifyBalanceTransaction,
    ShopifyDispute,
    ShopifyOrder,
    ShopifyPayout,
    ShopifyTransaction,
)
from core.tiles import TILES
from merchants.models import Merchant
from shopify_simulator.bucket import PLANS, LeakyBucket
from syncjobs.daily.balance_moves import NOT_OWN_LINE_TYPES, PAYOUT, PAYOUT_BACK, treatment_of
from syncjobs.daily.models import PostedBalanceTransaction, PostedPayout, PostedTransaction
from syncjobs.payments.models import PayoutReconciliation
from syncjobs.queue.execution import run_now
from syncjobs.queue.models import RunStatus, RunTrigger
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.factories.users import merchant_user

pytestmark = pytest.mark.django_db
FIRST_DAY = dt.date(2024, 2, 6)         # the simulator's first order
ORDER_TRANSACTION = "gid://shopify/OrderTransaction/"


@pytest.fixture
def merchant(request, simulator, settings):
    """A daily-summary shop, or the posting mode a test names (indirect parametrization)."""
    settings.DAILY_SYNC_MAX_HISTORY_DAYS = 2000
    shop = simulator.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    merchant = MerchantFactory(code="DEMO-EU", shop_domain=shop.domain, api_base_url=simulator.base_url,
                               access_token=shop.access_token, time_zone="Europe/Paris", shop_currency="EUR",
                               posting_mode=getattr(request, "param", "daily_summary"),
                               daily_sync_start_date=FIRST_DAY,
                               auto_create_accounts=True, auto_create_code_from="9000", auto_create_code_to="9099",
                               default_customer_no="WEB", customer_import="none")
    daily_books(merchant)
    Customer.objects.create(merchant=merchant, number="WEB", name="Web shop customers")
    return merchant


def run(merchant, number: int, **parameters):
    result = run_now(merchant=merchant, report_number=number, raw_parameters=parameters, user=None,
                     trigger=RunTrigger.FOREGROUND)
    assert result.status == RunStatus.SUCCESS, (number, result.message)
    return result


def synced_and_posted(merchant):
    run(merchant, 30104)
    run(merchant, 30105)
    run(merchant, 1)
    return run(merchant, 30105)          # reconciles against what report 1 posted


def clearing_movements(merchant) -> dict[dt.date, Decimal]:
    """What the Shopify Payments clearing account moved each day, from the ledger's own lines."""
    moves: dict[dt.date, Decimal] = defaultdict(Decimal)
    for day, debit, credit in JournalLine.objects.filter(
            journal__merchant=merchant, money_kind="payment_clearing", key="shopify_payments").values_list(
            "posting_date", "debit", "credit"):
        moves[day] += debit - credit
    return moves


@pytest.mark.parametrize("merchant", ["daily_summary", "documents"], indirect=True)
def test_every_paid_payout_nets_its_transactions_to_zero_in_clearing_and_failed_ones_come_back(merchant):
    synced_and_posted(merchant)

    payouts = {p.shopify_gid: p for p in ShopifyPayout.objects.filter(merchant=merchant)}
    assert {p.status for p in payouts.values()} == {"PAID", "FAILED"}
    kinds = set(ShopifyBalanceTransaction.objects.filter(merchant=merchant).values_list("type", flat=True))
    assert {"CHARGE", "REFUND", "DISPUTE_WITHDRAWAL", "CHARGEBACK_FEE", "DISPUTE_REVERSAL", "CHARGEBACK_FEE_REFUND",
            "RESERVED_FUNDS_WITHDRAWAL", "RESERVED_FUNDS_REVERSAL", "ADJUSTMENT", "TRANSFER_FAILURE"} <= kinds

    # The books' side, computed here from the posting records, not by the reconciliation: each part
    # of each payout, with the day its journal posted it.
    day_of = dict(JournalEntry.objects.filter(merchant=merchant).values_list("pk", "posting_date"))
    posted_transactions = {gid: (clearing, day_of[int(no)]) for gid, no, clearing in PostedTransaction.objects.filter(
        merchant=merchant).values_list("transaction_gid", "journal_no", "clearing")}
    posted_moves = {pk: (clearing, day_of[int(no)]) for pk, no, clearing in
                    PostedBalanceTransaction.objects.values_list("balance_transaction_id", "journal_no", "clearing")}
    posted_payouts = {row.payout.shopify_gid: row for row in PostedPayout.objects.select_related("payout")}
    by_legacy = {p.legacy_id: p for p in payouts.values()}
    parts: list[tuple[str, Decimal, dt.date]] = []
    for bt in ShopifyBalanceTransaction.objects.filter(merchant=merchant, is_test=False):
        treatment = treatment_of(bt.type)
        assert bt.payout_gid in payouts
        if treatment == PAYOUT:
            continue
        if treatment == PAYOUT_BACK:      # the failed payout's reversal brings its money back
            failed = by_legacy[int(bt.source_id)]
            reversed_in = posted_payouts[failed.shopify_gid].reversed_in_no
            assert reversed_in, f"{bt.shopify_gid}: its failed payout was never reversed"
            parts.append((bt.payout_gid, failed.net, day_of[int(reversed_in)]))
        elif bt.type in NOT_OWN_LINE_TYPES:
            parts.append((bt.payout_gid, *posted_transactions[ORDER_TRANSACTION + bt.source_order_transaction_id]))
        else:
            parts.append((bt.payout_gid, *posted_moves[bt.pk]))
    in_books: dict[str, Decimal] = defaultdict(Decimal)
    for gid, amount, _ in parts:
        in_books[gid] += amount
    for gid, payout in payouts.items():
        assert gid in posted_payouts, f"payout {payout.legacy_id} was never posted"
        assert in_books[gid] - payout.net == Decimal("0.00"), f"payout {payout.legacy_id}"

    # Each day, the clearing balance is the net of what was posted and not yet paid out.
    paid_out_on = {gid: day_of[int(row.journal_no)] for gid, row in posted_payouts.items()}
    balance = Decimal("0")
    moves = clearing_movements(merchant)
    for day in sorted(moves):
        balance += moves[day]
        waiting = sum((amount for gid, amount, posted_on in parts
                       if posted_on <= day and paid_out_on[gid] > day), Decimal("0"))
        assert balance == waiting, day
    assert balance == Decimal("0.00")

    states = dict(PayoutReconciliation.objects.filter(payout__merchant=merchant).values_list(
        "payout__shopify_gid", "state"))
    assert {states[gid] for gid, p in payouts.items() if p.status == "PAID"} == {"reconciled"}
    assert {states[gid] for gid, p in payouts.items() if p.status == "FAILED"} == {"failed"}


def test_a_second_run_imports_nothing_new_and_posts_nothing_twice(merchant):
    synced_and_posted(merchant)
    journals = JournalEntry.objects.count()
    records = (PostedTransaction.objects.count(), PostedBalanceTransaction.objects.count(),
               PostedPayout.objects.count())

    again = run(merchant, 30105)
    run(merchant, 1)

    assert again.created == 0
    assert JournalEntry.objects.count() == journals
    assert records == (PostedTransaction.objects.count(), PostedBalanceTransaction.objects.count(),
                       PostedPayout.objects.count())


def test_a_charge_posted_with_a_fee_shopify_did_not_take_flags_its_payout_with_the_difference(merchant):
    """A difference injected between the order's transaction and Shopify Payments' balance: the
    order says the fee was 0.10 more than the balance transaction took. Only that payout is
    flagged, with 0.10, and the tile lists exactly it."""
    run(merchant, 30104)
    run(merchant, 30105)
    charge = ShopifyBalanceTransaction.objects.filter(merchant=merchant, type="CHARGE", fee__gt=0).order_by("pk")[3]
    order_transaction = ShopifyTransaction.objects.get(
        merchant=merchant, shopify_gid=ORDER_TRANSACTION + charge.source_order_transaction_id)
    ShopifyTransaction.objects.filter(pk=order_transaction.pk).update(fee=order_transaction.fee + Decimal("0.10"))

    run(merchant, 1)
    run(merchant, 30105)

    flagged = PayoutReconciliation.objects.filter(payout__merchant=merchant, state="difference")
    assert [(row.payout.shopify_gid, row.ledger_difference, row.shopify_difference) for row in flagged] == [
        (charge.payout_gid, Decimal("-0.10"), Decimal("0.00"))]   # 0.10 less into clearing than paid
    tile = TILES["payouts_not_reconciled"]
    assert list(tile.rows(Merchant.objects.filter(pk=merchant.pk)).values_list("shopify_gid", flat=True)) == [
        charge.payout_gid]
    assert PayoutReconciliation.objects.filter(payout__merchant=merchant, payout__status="PAID").exclude(
        state="reconciled").count() == 1


def test_the_shop_cards_payments_panel_says_where_the_payouts_stand_and_links_to_them(merchant, login):
    synced_and_posted(merchant)
    states = dict(PayoutReconciliation.objects.filter(merchant=merchant).values_list("state").annotate(n=Count("pk"))
                  .order_by())

    card = login(merchant_user(merchant)).get(reverse("admin:merchants_merchant_change", args=[merchant.pk]))

    text = card.content.decode()
    assert f"{sum(states.values())} payouts: {states['reconciled']} reconciled, {states['failed']} failed" in text
    assert reverse("admin:payment_sync_payout_changelist") in text


def test_a_disputed_orders_page_names_its_dispute_its_movements_and_the_payouts_holding_them(merchant, login):
    run(merchant, 30104)
    run(merchant, 30105)
    dispute = ShopifyDispute.objects.filter(merchant=merchant).order_by("initiated_at").first()
    order = ShopifyOrder.objects.get(merchant=merchant, shopify_gid=dispute.order_gid)
    movements = ShopifyBalanceTransaction.objects.filter(merchant=merchant, order_gid=order.shopify_gid)

    page = login(merchant_user(merchant)).get(reverse("admin:shopify_shopifyorder_change", args=[order.pk]))

    text = page.content.decode()
    assert f"1 dispute ({dispute.status.replace('_', ' ').lower()})" in text
    assert f"{movements.count()} Shopify Payments movements" in text
    payouts = {bt.payout_gid for bt in movements}
    assert f"paid out in {len(payouts)} payout" in text
