"""Shopify Payments payouts of the generated store: one a local day, summing to their movements."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest

from shopify_simulator.schema import admin_schema
from shopify_simulator.store.orders import OrderGenerator
from shopify_simulator.store.payouts import NoPayout, PayoutBook
from shopify_simulator.store.profiles import SHOP_PROFILES
from tests.shopify_simulator.test_store_orders import assert_conforms, parse

ANCHOR = datetime(2025, 4, 1, tzinfo=timezone.utc)
TOTAL = 500


@lru_cache(maxsize=None)
def book(handle: str, total: int = TOTAL) -> PayoutBook:
    profile = next(p for p in SHOP_PROFILES if p.handle == handle)
    return PayoutBook(OrderGenerator(profile, seed=42, anchor=ANCHOR, total=total), profile)


def amount(money: dict) -> Decimal:
    return Decimal(money["amount"])


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_each_payout_is_the_sum_of_its_balance_transactions(profile):
    """Net, charges and refunds of every payout add up from its balance transactions, each of which
    nets its amount less its fee."""
    # given
    payouts = book(profile.handle)
    now = ANCHOR + timedelta(days=1)
    # when
    days = payouts.payout_days(now)
    # then
    assert len(days) > 100
    for day in days:
        payout = payouts.payout(day, now)
        movements = payouts.balance_transactions(day, now)
        assert movements
        for movement in movements:
            assert amount(movement["net"]) == amount(movement["amount"]) - amount(movement["fee"])
            assert movement["associatedPayout"]["id"] == payout["id"]
            assert movement["test"] is False
        assert amount(payout["net"]) == sum(amount(m["net"]) for m in movements)
        charges = [m for m in movements if m["type"] == "CHARGE"]
        refunds = [m for m in movements if m["type"] == "REFUND"]
        summary = payout["summary"]
        assert amount(summary["chargesGross"]) == sum(amount(m["amount"]) for m in charges)
        assert amount(summary["chargesFee"]) == sum(amount(m["fee"]) for m in charges)
        assert amount(summary["refundsFeeGross"]) == sum(amount(m["amount"]) for m in refunds)
        assert amount(summary["refundsFee"]) == sum(amount(m["fee"]) for m in refunds)
        assert all(amount(m["amount"]) < 0 and amount(m["fee"]) <= 0 for m in refunds)
        assert payout["transactionType"] == ("DEPOSIT" if amount(payout["net"]) >= 0 else "WITHDRAWAL")
        assert {m["transactionDate"][:10] for m in movements}   # dated by the transactions


@pytest.mark.parametrize("profile", SHOP_PROFILES, ids=lambda p: p.handle)
def test_every_card_movement_is_in_exactly_one_payout_of_its_local_day(profile):
    """Each successful Shopify Payments SALE, CAPTURE and REFUND of a real (not test) order, made before
    today, is in exactly one payout: the one of its local day (a pending refund's: the day it settled,
    its refund's updatedAt), with its amount and fee."""
    # given
    payouts = book(profile.handle)
    zone = ZoneInfo(profile.time_zone)
    now = ANCHOR + timedelta(days=12)
    today_start = datetime.combine(now.astimezone(zone).date(), time.min, tzinfo=zone)
    expected = {}
    store = payouts.generator
    for number in range(TOTAL):
        view = store.order(number).view(now)
        settled = {t["id"]: refund["updatedAt"] for refund in view["refunds"] for t in refund["transactions"]}
        for transaction in view["transactions"]:
            if transaction["gateway"] != "shopify_payments" or transaction["status"] != "SUCCESS" \
                    or transaction["kind"] not in ("SALE", "CAPTURE", "REFUND"):
                continue
            moment = parse(settled.get(transaction["id"], transaction["processedAt"]))
            if moment >= today_start:
                continue
            assert not view["test"]
            sign = -1 if transaction["kind"] == "REFUND" else 1
            fee = sum((amount(f["amount"]) for f in transaction["fees"]), Decimal(0))
            expected[transaction["id"].rsplit("/", 1)[1]] = (
                moment.astimezone(zone).date(),
                sign * amount(transaction["amountSet"]["shopMoney"]), fee)
    # when
    seen = Counter()
    for day in payouts.payout_days(now):
        for movement in payouts.balance_transactions(day, now):
            if movement["type"] not in ("CHARGE", "REFUND"):
                continue        # the account's own movements (tests/shopify_simulator/test_payments_kinds.py)
            key = movement["sourceOrderTransactionId"]
            seen[key] += 1
            assert expected[key] == (day, amount(movement["amount"]), amount(movement["fee"]))
    # then
    assert set(seen) == set(expected)
    assert set(seen.values()) == {1}


def test_test_orders_never_reach_a_payout():
    """Test orders (bogus gateway) are left out of payouts."""
    payouts = book("demo-eu")
    now = ANCHOR + timedelta(days=1)
    test_orders = {payouts.generator.order_gid(n) for n in range(TOTAL) if payouts.generator.order(n).test}
    assert test_orders
    paid_out = {m["associatedOrder"]["id"] for day in payouts.payout_days(now)
                for m in payouts.balance_transactions(day, now) if m["associatedOrder"]}
    assert paid_out and not paid_out & test_orders


def test_a_payout_is_issued_next_morning_and_paid_two_days_later():
    """issuedAt is 09:00 local the next day; SCHEDULED before it, IN_TRANSIT from it, PAID two days on."""
    payouts = book("demo-us")
    zone = ZoneInfo("America/New_York")
    day = payouts.payout_days(ANCHOR + timedelta(days=1))[0]
    issued = datetime.combine(day + timedelta(days=1), time(9), tzinfo=zone)
    end_of_day = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    assert parse(payouts.payout(day, end_of_day)["issuedAt"]) == issued
    assert payouts.payout(day, end_of_day)["status"] == "SCHEDULED"
    assert payouts.payout(day, issued)["status"] == "IN_TRANSIT"
    assert payouts.payout(day, issued + timedelta(days=2))["status"] == "PAID"
    movement = payouts.balance_transactions(day, issued + timedelta(days=2))[0]
    assert movement["associatedPayout"]["status"] == "PAID"


def test_only_ended_days_with_activity_have_payouts():
    """Today has no payout yet; days without card movements have none; later events join later days."""
    payouts = book("demo-au")
    zone = ZoneInfo("Australia/Sydney")
    now = ANCHOR + timedelta(hours=3)
    today = now.astimezone(zone).date()
    days = payouts.payout_days(now)
    assert days == sorted(days, reverse=True) and days[0] < today
    with pytest.raises(NoPayout):
        payouts.payout(today, now)
    quiet_day = next(day for day in (days[-1] + timedelta(days=i) for i in range(400)) if day not in days)
    with pytest.raises(NoPayout):
        payouts.payout(quiet_day, now)
    later = ANCHOR + timedelta(days=11)
    assert any(day >= today for day in payouts.payout_days(later))      # captures and refunds after the anchor


def test_payout_shapes_match_the_2025_01_schema():
    """Payout and balance transaction dicts use non-deprecated fields of their GraphQL types."""
    schema = admin_schema()
    payouts = book("demo-uk")
    now = ANCHOR + timedelta(days=3)
    for day in payouts.payout_days(now)[:20]:
        assert_conforms(payouts.payout(day, now), schema.get_type("ShopifyPaymentsPayout"), str(day))
        for movement in payouts.balance_transactions(day, now):
            assert_conforms(movement, schema.get_type("ShopifyPaymentsBalanceTransaction"), str(day))


def test_a_million_order_store_answers_a_payout():
    """A payout of a million-order store comes from a slice of its orders (bench/ measures the time)."""
    # given
    payouts = book("demo-eu", total=1_000_000)
    now = ANCHOR + timedelta(days=1)
    day = (ANCHOR - timedelta(days=200)).date()
    # when
    payout = payouts.payout(day, now)
    movements = payouts.balance_transactions(day, now)
    # then
    assert len(movements) > 500
    assert amount(payout["net"]) == sum(amount(m["net"]) for m in movements)


def test_payout_and_balance_transaction_ids_lead_to_their_day():
    """A payout's or balance transaction's GID gives its day without a search; unknown GIDs give None."""
    payouts = book("demo-eu")
    now = ANCHOR + timedelta(days=1)
    day = payouts.payout_days(now)[3]
    payout = payouts.payout(day, now)
    movement = payouts.balance_transactions(day, now)[-1]
    assert payouts.day_of_payout(payout["id"]) == day
    assert payouts.day_of_balance_transaction(movement["id"]) == day
    assert payouts.day_of_payout("gid://shopify/Order/1") is None
    assert payouts.day_of_balance_transaction("gid://shopify/ShopifyPaymentsBalanceTransaction/12") is None
