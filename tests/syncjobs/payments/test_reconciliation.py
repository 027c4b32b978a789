"""Payout reconciliation (issue 28, item 3): what a payout is made of against its net, and what the
journals moved in the clearing account for it, with amounts worked out by hand."""
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from merchants.models import Merchant
from syncjobs.daily.balance_moves import description_of
from syncjobs.payments.models import PayoutReconciliation, ReconciliationState
from syncjobs.payments.reconciliation import payout_parts, reconcile_payouts
from syncjobs.payments.selectors import payouts_not_reconciled
from tests.factories.merchants import MerchantFactory
from tests.factories.payments import (
    ISSUED,
    BalanceTransactionFactory,
    order_part,
    own_part,
    payout,
    payout_back,
    post_payout,
    transfer,
)

pytestmark = pytest.mark.django_db

START = dt.date(2026, 11, 1)
D = Decimal


@pytest.fixture
def shop():
    return MerchantFactory(code="EU", daily_sync_start_date=START)


def state_of(paid) -> PayoutReconciliation:
    return PayoutReconciliation.objects.get(payout=paid)


def totals(breakdown) -> dict[str, Decimal]:
    return {group.key: group.total for group in breakdown.groups if group.lines}


def test_a_paid_payout_of_charges_and_a_refund_all_posted_is_reconciled(shop):
    """100.00 − 3.20 + 50.00 − 1.75 − 20.00 = 125.05: its net; the clearing account −125.05 + 125.05 = 0."""
    # given
    paid = payout(shop, "125.05")
    order_part(paid, amount="100.00", fee="3.20", posted_in="J1")
    order_part(paid, amount="50.00", fee="1.75", posted_in="J1")
    order_part(paid, "REFUND", amount="-20.00", posted_in="J2")
    transfer(paid)
    post_payout(paid, "J3")
    # when
    counts = reconcile_payouts(merchant=shop)
    # then
    assert counts["reconciled"] == 1
    row = state_of(paid)
    assert (row.state, row.parts_total, row.shopify_difference, row.ledger_total, row.ledger_difference,
            row.unposted_parts) == (ReconciliationState.RECONCILED, D("125.05"), D("0"), D("0"), D("0"), 0)
    breakdown = payout_parts(paid)
    assert totals(breakdown) == {"gross_sales": D("150.00"), "refunds": D("-20.00"), "fees": D("-4.95")}
    assert breakdown.parts_posted_total == D("125.05")
    assert (breakdown.payout_line.journal_no, breakdown.payout_line.amount) == ("J3", D("-125.05"))


def test_a_day_with_a_chargeback_and_its_fee(shop):
    """A 200.00 charge (fee 6.10), a 60.00 chargeback and its 15.00 fee: 193.90 − 60.00 − 15.00 = 118.90."""
    paid = payout(shop, "118.90")
    order_part(paid, amount="200.00", fee="6.10", posted_in="J1")
    own_part(paid, "DISPUTE_WITHDRAWAL", amount="-60.00", posted_in="J1")
    own_part(paid, "CHARGEBACK_FEE", amount="-15.00", posted_in="J1")
    post_payout(paid, "J2")

    reconcile_payouts(merchant=shop)

    assert state_of(paid).state == ReconciliationState.RECONCILED
    breakdown = payout_parts(paid)
    assert totals(breakdown) == {"gross_sales": D("200.00"), "fees": D("-6.10"), "disputes": D("-60.00"),
                                 "dispute_fees": D("-15.00")}
    assert [line.description for line in breakdown.groups[3].lines] == [description_of("DISPUTE_WITHDRAWAL")]


def test_a_dispute_won_later_comes_back_in_a_later_payout(shop):
    """The chargeback's 60.00 and its 15.00 fee come back with a 30.00 charge (fee 1.17): 103.83."""
    later = payout(shop, "103.83", issued_at=ISSUED + dt.timedelta(days=20))
    own_part(later, "DISPUTE_REVERSAL", amount="60.00", posted_in="J9")
    own_part(later, "CHARGEBACK_FEE_REFUND", amount="15.00", posted_in="J9")
    order_part(later, amount="30.00", fee="1.17", posted_in="J9")
    post_payout(later, "J10")

    reconcile_payouts(merchant=shop)

    assert state_of(later).state == ReconciliationState.RECONCILED
    assert totals(payout_parts(later)) == {"gross_sales": D("30.00"), "fees": D("-1.17"), "disputes": D("60.00"),
                                           "dispute_fees": D("15.00")}


def test_a_reserve_held_and_released_over_two_payouts(shop):
    """First: 500.00 − 14.80 − 100.00 held = 385.20. Second: 100.00 released + 30.00 − 1.17 = 128.83."""
    first = payout(shop, "385.20")
    order_part(first, amount="500.00", fee="14.80", posted_in="J1")
    own_part(first, "RESERVED_FUNDS_WITHDRAWAL", amount="-100.00", posted_in="J1")
    post_payout(first, "J2")
    second = payout(shop, "128.83", issued_at=ISSUED + dt.timedelta(days=7))
    own_part(second, "RESERVED_FUNDS_REVERSAL", amount="100.00", posted_in="J7")
    order_part(second, amount="30.00", fee="1.17", posted_in="J7")
    post_payout(second, "J8")

    assert reconcile_payouts(merchant=shop)["reconciled"] == 2

    assert totals(payout_parts(first))["reserves"] == D("-100.00")
    assert totals(payout_parts(second))["reserves"] == D("100.00")


def test_adjustments_and_a_type_with_no_treatment_of_its_own_are_adjustments_named_by_their_type(shop):
    """80.00 − 2.40 − 4.50 adjusted − 7.25 for a shipping label = 65.85."""
    paid = payout(shop, "65.85")
    order_part(paid, amount="80.00", fee="2.40", posted_in="J1")
    own_part(paid, "ADJUSTMENT", amount="-4.50", posted_in="J1", adjustment_reason="fee correction")
    own_part(paid, "SHIPPING_LABEL", amount="-7.25", posted_in="J1")
    post_payout(paid, "J2")

    reconcile_payouts(merchant=shop)

    assert state_of(paid).state == ReconciliationState.RECONCILED
    (adjustments,) = [group for group in payout_parts(paid).groups if group.key == "adjustments"]
    assert adjustments.total == D("-11.75")
    assert [line.description for line in adjustments.lines] == [
        f"{description_of('ADJUSTMENT')}: fee correction", "Shopify other adjustments (SHIPPING_LABEL)"]


def test_a_payout_that_fails_after_posting_comes_back_in_the_next_one(shop):
    """The failed 80.00 (82.50 − 2.50) is posted and reversed; the next payout holds it back with a
    40.00 charge (fee 1.46): 80.00 + 38.54 = 118.54, and its clearing movements +80.00 (the reversal)
    + 38.54 − 118.54 = 0.00."""
    failed = payout(shop, "80.00", status="FAILED")
    order_part(failed, amount="82.50", fee="2.50", posted_in="J1")
    post_payout(failed, "J2", reversed_in="J4")
    next_one = payout(shop, "118.54", issued_at=ISSUED + dt.timedelta(days=3))
    payout_back(next_one, failed)
    order_part(next_one, amount="40.00", fee="1.46", posted_in="J4")
    post_payout(next_one, "J5")

    counts = reconcile_payouts(merchant=shop)

    assert (counts["failed"], counts["reconciled"]) == (1, 1)
    failed_row = state_of(failed)
    assert (failed_row.parts_total, failed_row.ledger_total) == (D("80.00"), D("0"))
    breakdown = payout_parts(next_one)
    (back,) = [group for group in breakdown.groups if group.key == "retried_payouts"]
    assert back.total == D("80.00")
    assert (back.lines[0].posting.journal_no, back.lines[0].clearing) == ("J4", D("80.00"))
    assert breakdown.ledger_total == D("0")
    assert payout_parts(failed).reversal.journal_no == "J4"


def test_a_month_where_every_payout_reconciles(shop):
    """Thirty daily payouts of a 100.00 charge (fee 3.20) and a 10.00 refund: each 86.80, all nets to 0.00."""
    for day in range(30):
        paid = payout(shop, "86.80", issued_at=ISSUED + dt.timedelta(days=day))
        order_part(paid, amount="100.00", fee="3.20", posted_in=f"J{day}")
        order_part(paid, "REFUND", amount="-10.00", posted_in=f"J{day}")
        transfer(paid)
        post_payout(paid, f"J{day + 1}")

    counts = reconcile_payouts(merchant=shop)

    assert counts == {"reconciled": 30, "difference": 0, "waiting": 0, "failed": 0, "before_start": 0}
    assert all(row.ledger_difference == 0 for row in PayoutReconciliation.objects.filter(merchant=shop))


def test_an_injected_difference_in_the_books_is_flagged_with_its_amount(shop):
    """The journal moved 96.70 for a charge whose net is 96.80: the clearing account is left at −0.10."""
    paid = payout(shop, "146.55")
    order_part(paid, amount="100.00", fee="3.20", posted_in="J1", clearing="96.70")
    order_part(paid, amount="50.00", fee="0.25", posted_in="J1")
    post_payout(paid, "J2")

    reconcile_payouts(merchant=shop)

    row = state_of(paid)
    assert (row.state, row.shopify_difference, row.ledger_difference) == (ReconciliationState.DIFFERENCE, D("0"),
                                                                          D("-0.10"))
    breakdown = payout_parts(paid)
    assert "-0.10" in breakdown.note
    assert [line.difference for line in breakdown.groups[0].lines] == [D("0.10"), D("0")]


def test_parts_that_do_not_sum_to_the_net_are_flagged_with_the_difference(shop):
    """Shopify says 130.00 for parts that sum to 125.05: 4.95 less."""
    paid = payout(shop, "130.00")
    order_part(paid, amount="100.00", fee="3.20")
    order_part(paid, amount="30.00", fee="1.75")

    reconcile_payouts(merchant=shop)

    row = state_of(paid)
    assert (row.state, row.parts_total, row.shopify_difference) == (ReconciliationState.DIFFERENCE, D("125.05"),
                                                                    D("-4.95"))
    assert "4.95 EUR less than its net" in payout_parts(paid).note


def test_waiting_while_a_part_or_the_payout_is_not_posted_or_the_money_not_paid(shop):
    unposted_part = payout(shop, "96.80")
    order_part(unposted_part, amount="100.00", fee="3.20")
    post_payout(unposted_part, "J1")
    unposted_payout = payout(shop, "96.80")
    order_part(unposted_payout, amount="100.00", fee="3.20", posted_in="J1")
    in_transit = payout(shop, "96.80", status="IN_TRANSIT")
    order_part(in_transit, amount="100.00", fee="3.20", posted_in="J1")
    post_payout(in_transit, "J2")
    scheduled = payout(shop, "50.00", status="SCHEDULED")   # parts not read yet: no difference claimed

    counts = reconcile_payouts(merchant=shop)

    assert counts["waiting"] == 4
    assert (state_of(unposted_part).unposted_parts, state_of(unposted_part).ledger_difference) == (1, None)
    assert "not posted yet" in payout_parts(unposted_payout).note
    assert state_of(scheduled).shopify_difference == D("-50.00")


def test_a_payout_holding_transactions_from_before_the_daily_sync_began(shop):
    paid = payout(shop, "96.80", issued_at=dt.datetime(2026, 11, 1, 6, tzinfo=dt.timezone.utc))
    order_part(paid, amount="100.00", fee="3.20",
               transaction_date=dt.datetime(2026, 10, 31, 12, tzinfo=dt.timezone.utc))
    post_payout(paid, "J1")

    reconcile_payouts(merchant=shop)

    assert state_of(paid).state == ReconciliationState.BEFORE_START
    assert "opening balance" in payout_parts(paid).note


def test_a_payout_paying_back_a_payout_that_failed_before_the_daily_sync_began_is_reconciled_from_the_opening(shop):
    # Issued on Oct 30 (never posted: the books begin Nov 1), failed, its 80.00 back on Nov 2.
    failed = payout(shop, "80.00", status="FAILED", issued_at=dt.datetime(2026, 10, 30, 6, tzinfo=dt.timezone.utc))
    next_one = payout(shop, "120.00", issued_at=dt.datetime(2026, 11, 3, 6, tzinfo=dt.timezone.utc))
    payout_back(next_one, failed, transaction_date=dt.datetime(2026, 11, 2, 8, tzinfo=dt.timezone.utc))
    order_part(next_one, amount="40.00", posted_in="J2",
               transaction_date=dt.datetime(2026, 11, 2, 12, tzinfo=dt.timezone.utc))
    post_payout(next_one, "J3")

    reconcile_payouts(merchant=shop)

    assert state_of(next_one).state == ReconciliationState.BEFORE_START    # not waiting for ever, nor on the tile
    assert not payouts_not_reconciled(Merchant.objects.filter(pk=shop.pk)).exists()


def test_test_transactions_and_the_payouts_own_transfer_are_no_part_of_it(shop):
    paid = payout(shop, "96.80")
    order_part(paid, amount="100.00", fee="3.20", posted_in="J1")
    BalanceTransactionFactory(payout=paid, type="CHARGE", amount=D("999.00"), is_test=True)
    transfer(paid)
    post_payout(paid, "J2")

    reconcile_payouts(merchant=shop)

    assert state_of(paid).state == ReconciliationState.RECONCILED
    breakdown = payout_parts(paid)
    assert (breakdown.part_count, len(breakdown.lines)) == (1, 2)   # the charge, shown with its fee


def test_only_the_payouts_asked_for_are_checked_again(shop):
    first, second = payout(shop, "10.00"), payout(shop, "20.00")

    assert sum(reconcile_payouts(merchant=shop, payout_ids=[first.pk]).values()) == 1

    assert PayoutReconciliation.objects.filter(payout=first).exists()
    assert not PayoutReconciliation.objects.filter(payout=second).exists()


def test_checking_again_replaces_the_state(shop):
    paid = payout(shop, "96.80")
    order_part(paid, amount="100.00", fee="3.20", posted_in="J1")
    reconcile_payouts(merchant=shop)
    assert state_of(paid).state == ReconciliationState.WAITING

    post_payout(paid, "J2")
    reconcile_payouts(merchant=shop)

    assert state_of(paid).state == ReconciliationState.RECONCILED
    assert PayoutReconciliation.objects.filter(payout=paid).count() == 1


def _month_of_payouts(shop, count):
    """`count` payouts of 100.00 − 3.20, 10.00 adjusted away and a failed payout's 10.00 back: 96.80."""
    failed = payout(shop, "10.00", status="FAILED", issued_at=ISSUED - dt.timedelta(days=2))
    post_payout(failed, "J0", reversed_in="J0")
    for hour in range(count):
        paid = payout(shop, "96.80", issued_at=ISSUED + dt.timedelta(hours=hour))
        order_part(paid, amount="100.00", fee="3.20", posted_in="J1")
        own_part(paid, "ADJUSTMENT", amount="-10.00", posted_in="J1")
        payout_back(paid, failed)
        transfer(paid)
        post_payout(paid, "J2")


def test_reconciling_takes_the_same_queries_for_5_or_50_payouts(db):
    """A fixed number of queries per batch of payouts, never one per payout."""
    queries = {}
    for count in (5, 50):
        merchant = MerchantFactory(daily_sync_start_date=START)
        _month_of_payouts(merchant, count)
        with CaptureQueriesContext(connection) as captured:
            counts = reconcile_payouts(merchant=merchant)
        assert (counts["reconciled"], counts["failed"]) == (count, 1)
        queries[count] = len(captured)
    assert queries[5] == queries[50] <= 10


def test_many_payouts_are_checked_batch_by_batch(shop, monkeypatch):
    monkeypatch.setattr("syncjobs.payments.reconciliation.BATCH", 7)
    _month_of_payouts(shop, 20)

    assert reconcile_payouts(merchant=shop)["reconciled"] == 20
    assert PayoutReconciliation.objects.filter(merchant=shop).count() == 21


def test_payouts_holding_many_transactions_are_taken_apart_a_few_at_a_time_with_the_same_result(shop, monkeypatch):
    _month_of_payouts(shop, 12)
    whole = reconcile_payouts(merchant=shop)
    monkeypatch.setattr("syncjobs.payments.reconciliation.MAX_PARTS", 3)   # about one payout a run

    with CaptureQueriesContext(connection) as few_at_a_time:
        assert reconcile_payouts(merchant=shop) == whole

    monkeypatch.setattr("syncjobs.payments.reconciliation.MAX_PARTS", 5_000)
    with CaptureQueriesContext(connection) as at_once:
        reconcile_payouts(merchant=shop)
    assert len(few_at_a_time) > len(at_once)     # more runs, each reading only its own payouts' parts
