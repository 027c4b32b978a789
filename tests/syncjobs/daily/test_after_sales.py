"""Exchanges and refunds paid back later, in the daily journal, with the simulator's own orders.

Each order is read as syncsite reads it: over HTTP by Sync Orders (filtered on the order's name), and,
for its state before the exchange or the payback, as the simulator showed it then (its clock only
moves forward). Every expected amount comes from the simulator's records of the order, not from the
code under test.
"""
import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from connectors.ledger.models import JournalEntry
from connectors.shopify.importers.counts import ImportCounts
from connectors.shopify.importers.orders import import_orders
from connectors.shopify.order_sync import OrderFilters, sync_orders
from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.server import Simulator
from syncjobs.daily.journal import post_day
from syncjobs.daily.lifecycle import days_to_sync, post_days
from tests.factories.ledger import daily_books
from tests.factories.merchants import MerchantFactory
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def store():
    """demo-eu (prices include VAT) with enough orders for exchanges and refunds paid back later."""
    simulator = Simulator(seed=7, orders=3000, anchor=ANCHOR, port=0, shops=1).start()
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])
    yield simulator
    simulator.stop()


@pytest.fixture
def shop(store, settings):
    settings.DAILY_SYNC_MAX_HISTORY_DAYS = 3650     # the simulator's orders are of 2024 and 2025
    simulated = store.shops[0]
    merchant = MerchantFactory(code="DEMO-EU", shop_domain=simulated.domain, api_base_url=store.base_url,
                               access_token=simulated.access_token, time_zone=simulated.profile.time_zone,
                               shop_currency=simulated.profile.currency, posting_mode="daily_summary")
    daily_books(merchant)
    return merchant


# Reading the simulator's orders ------------------------------------------------------------------

def newest_exchange(store):
    """(order, return) of the newest order with an exchange."""
    simulated = store.shops[0]
    for number in range(simulated.total_orders - 1, 0, -1):
        if simulated.generator.planner.plan(number).return_opened:
            order = simulated.generator.order(number)
            for returned in order.returns:
                if returned.exchange_lines:
                    return order, returned
    raise AssertionError("no exchange")


def newest_pending_card_refund(store):
    """(order, refund) of the newest order refunded once, to a card only, PENDING first."""
    simulated = store.shops[0]
    for number in range(simulated.total_orders - 1, 0, -1):
        plan = simulated.generator.planner.plan(number)
        if len(plan.refunds) != 1 or plan.refunds_settled[0] == plan.refunds[0]:
            continue
        order = simulated.generator.order(number)
        (refund,) = order.refunds
        if [t.gateway for t in refund.transactions] == ["shopify_payments"]:
            return order, refund
    raise AssertionError("no pending card refund")


def read_as_it_was(store, merchant, order, seconds: int) -> None:
    """Import the order as Shopify showed it at `seconds` (epoch)."""
    view = store.shops[0].orders.view(order.number, dt.datetime.fromtimestamp(seconds, dt.UTC))
    counts = import_orders(merchant=merchant, payloads=[view])
    assert counts.failed == 0, counts.errors


def read_over_http(merchant, order) -> ImportCounts:
    """Sync Orders for this one order, as it is now."""
    counts = sync_orders(merchant=merchant, filters=OrderFilters(order_no=order.name))
    assert counts.failed == 0 and counts.read == 1, counts.errors
    return counts


# The books ---------------------------------------------------------------------------------------

def local_day(merchant, seconds: int) -> dt.date:
    return dt.datetime.fromtimestamp(seconds, ZoneInfo(merchant.time_zone)).date()


def today(merchant) -> dt.date:
    return local_day(merchant, int(dt.datetime.now(dt.UTC).timestamp()))


def post_through(merchant, last: dt.date) -> None:
    """The daily sync from the shop's start date up to `last`; every day posts."""
    merchant.refresh_from_db()
    failures = post_days(merchant, days_to_sync(merchant, last), counts=ImportCounts(), run_id=None,
                         log=lambda message: None)
    assert failures == []


def journal_lines(merchant, day) -> list[tuple[str, str, str, str]]:
    journal = JournalEntry.objects.filter(merchant=merchant, posting_date=day).first()
    if journal is None:
        return []
    return sorted((x.account.code, x.description, f"{x.debit}", f"{x.credit}")
                  for x in journal.lines.select_related("account"))


def balanced(lines) -> bool:
    return sum(Decimal(debit) for *_, debit, _ in lines) == sum(Decimal(credit) for *_, credit in lines)


def rate_label(rate) -> str:
    return f"{rate.title} {(rate.rate * 100).normalize():f}%"


def of(amount: Decimal) -> str:
    return f"{amount.quantize(CENT)}"


# Exchanges ---------------------------------------------------------------------------------------

def test_an_exchange_read_after_its_order_was_posted_is_a_sale_and_a_return_of_equal_value_on_the_day_seen(
        store, shop):
    """The order was posted before the exchange; the import that reads it posts, on that day, the new
    line as a sale (an adjustment of the order) and the returned unit as a refund of the same value,
    each with its tax: they cancel, no money moves, and the receivables come back to where they were."""
    # given: the order read before the exchange, and its days posted up to the exchange's
    order, exchange = newest_exchange(store)
    (taken,) = exchange.refund.lines
    (vat,) = [rate for rate, _ in taken.taxes]
    gross, tax = taken.subtotal.shop, taken.tax.shop                # prices include VAT in demo-eu
    shop.daily_sync_start_date = local_day(shop, order.created)
    shop.save()
    read_as_it_was(store, shop, order, exchange.time - 1)
    post_through(shop, local_day(shop, exchange.time))
    assert journal_lines(shop, local_day(shop, exchange.time)) == []   # nothing happened yet that day
    # when: Sync Orders reads the exchange, and the day it was read is posted
    read_over_http(shop, order)
    post_day(merchant=shop, day=today(shop))
    # then: a sale and a return of the same value, each with its tax
    assert journal_lines(shop, today(shop)) == sorted([
        ("4000", f"Adjustments: sales {(vat.rate * 100).normalize():f}%", "0.00", of(gross - tax)),
        ("2200", f"Adjustments: tax {rate_label(vat)}", "0.00", of(tax)),
        ("1100", "Receivables: adjustments of orders already posted", of(gross), "0.00"),
        ("4400", "Refunds, of days already posted", of(gross - tax), "0.00"),
        ("2200", f"Tax refunded {rate_label(vat)}, of days already posted", of(tax), "0.00"),
        ("1100", "Receivables: payments of other days' sales", "0.00", of(gross)),
    ])


def test_an_exchange_read_with_its_order_balances_each_day_and_nets_to_nothing(store, shop):
    """Read for the first time after the exchange, the order posts on its own day with the new line sold
    (not yet paid: a receivable) and the exchange's day posts the returned unit as a refund of the same
    value, with no money out: each day balances, and together the exchange nets to nothing."""
    # given
    order, exchange = newest_exchange(store)
    (taken,) = exchange.refund.lines
    (new,) = exchange.exchange_lines
    (vat,) = [rate for rate, _ in taken.taxes]
    gross, tax = taken.subtotal.shop, taken.tax.shop
    assert (new.discounted.shop, new.tax.shop) == (gross, tax)     # an even exchange
    placed, exchanged = local_day(shop, order.created), local_day(shop, exchange.time)
    shop.daily_sync_start_date = placed
    shop.save()
    # when
    read_over_http(shop, order)
    post_through(shop, exchanged)
    # then: the exchange's day takes the returned unit back, with no money out
    assert journal_lines(shop, exchanged) == sorted([
        ("4400", "Refunds", of(gross - tax), "0.00"),
        ("2200", f"Tax refunded {rate_label(vat)}", of(tax), "0.00"),
        ("1100", "Receivables: payments of other days' sales", "0.00", of(gross)),
    ])
    # and the order's days sold the new line too: every day balances, what the customer paid is
    # received, and by the exchange the customer owes nothing (the return paid for the new line)
    days = [placed + dt.timedelta(days=n) for n in range((exchanged - placed).days + 1)]
    posted = [line for day in days for line in journal_lines(shop, day)]
    assert all(balanced(journal_lines(shop, day)) for day in days)
    paid = sum((t.amount.shop for t in order.transactions if t.is_money_in), Decimal(0))
    assert sum(Decimal(debit) for _, text, debit, _ in posted if text.startswith("Payments received")) == paid
    assert sum(Decimal(debit) - Decimal(credit) for code, _, debit, credit in posted if code == "1100") == 0
    placed_lines = journal_lines(shop, placed)
    owed_after_sale = paid + gross - sum(Decimal(debit) for _, text, debit, _ in placed_lines
                                         if text.startswith("Payments received"))
    assert ("1100", "Receivables: sales not yet paid", of(owed_after_sale), "0.00") in placed_lines


# Refunds paid back later -------------------------------------------------------------------------

BALANCE = """query($id: ID!) { node(id: $id) { ... on ShopifyPaymentsBalanceTransaction { type
  net { amount } associatedPayout { id } } } }"""


def clearing_movements(merchant) -> Decimal:
    """What every journal of the shop put through the Shopify Payments clearing account (debit +)."""
    lines = [line for journal in JournalEntry.objects.filter(merchant=merchant)
             for line in journal.lines.filter(account__code="1200")]
    return sum((line.debit - line.credit for line in lines), Decimal(0))


def balance_transactions_net(store, order) -> Decimal:
    """What Shopify Payments' balance (and so its payouts) holds for the order, read over HTTP."""
    client = ShopifyHttp(store, store.shops[0].access_token)
    nets = []
    for record in order.transactions:
        if record.gateway == "shopify_payments" and (record.is_money_in or record.kind == "REFUND"):
            node = client.run_text(BALANCE, id=f"gid://shopify/ShopifyPaymentsBalanceTransaction/{record.id}")["node"]
            assert node is not None and node["associatedPayout"]["id"], record.id
            nets.append(Decimal(node["net"]["amount"]))
    return sum(nets, Decimal(0))


def test_a_refund_paid_back_after_its_day_was_posted_moves_its_money_once_on_the_day_it_is_read_paid_back(
        store, shop):
    """The refund's day was posted while its money was PENDING: the refund and its tax were posted, the
    money owed back stayed a receivable. The import that reads it SUCCESS puts the money out (and the
    fee given back) in the journal of the day it read so, once; the clearing account then holds what
    Shopify Payments' payouts hold for the order."""
    # given: the refund read while pending, and its day posted
    order, refund = newest_pending_card_refund(store)
    (card,) = refund.transactions
    amount, fee_back = card.amount.shop, -(card.fee or Decimal(0))
    refunded_on = local_day(shop, refund.time)
    shop.daily_sync_start_date = local_day(shop, order.created)
    shop.save()
    read_as_it_was(store, shop, order, refund.settled - 1)
    post_through(shop, refunded_on)
    on_the_refund_day = journal_lines(shop, refunded_on)
    assert balanced(on_the_refund_day)
    assert ("1100", "Receivables: payments of other days' sales", "0.00", of(amount)) in on_the_refund_day
    assert not [line for line in on_the_refund_day if line[0] == "1200"]      # no money moved yet
    # when: Sync Orders reads it paid back, and the day it was read is posted
    read_over_http(shop, order)
    post_day(merchant=shop, day=today(shop))
    # then
    expected = [("1200", "Payments refunded (shopify_payments), of days already posted", "0.00", of(amount)),
                ("1100", "Receivables: sales not yet paid", of(amount), "0.00")]      # the money owed is paid
    if fee_back:
        expected += [("6100", "Fee refunds (shopify_payments), of days already posted", "0.00", of(fee_back)),
                     ("1200", "Fee refunds (shopify_payments), of days already posted", of(fee_back), "0.00")]
    assert journal_lines(shop, today(shop)) == sorted(expected)
    # and never again: a later import and a later day post nothing more of it
    read_over_http(shop, order)
    post_day(merchant=shop, day=today(shop) + dt.timedelta(days=1))
    assert journal_lines(shop, today(shop) + dt.timedelta(days=1)) == []
    assert clearing_movements(shop) == balance_transactions_net(store, order)


def test_a_refund_read_paid_back_before_its_day_was_posted_moves_its_money_on_its_own_day_only(store, shop):
    """Read SUCCESS before its day was posted, a refund's money goes out on that day, and not again on
    the day it was read."""
    # given
    order, refund = newest_pending_card_refund(store)
    (card,) = refund.transactions
    refunded_on = local_day(shop, refund.time)
    shop.daily_sync_start_date = local_day(shop, order.created)
    shop.save()
    # when
    read_over_http(shop, order)
    post_through(shop, refunded_on)
    post_day(merchant=shop, day=today(shop))
    # then
    assert ("1200", "Payments refunded (shopify_payments)", "0.00", of(card.amount.shop)) in journal_lines(
        shop, refunded_on)
    assert journal_lines(shop, today(shop)) == []
    assert clearing_movements(shop) == balance_transactions_net(store, order)
