"""Returns and refunds as Shopify's 2025-01 Admin GraphQL shows them, read over HTTP: refunded returns
with goods put back on the shelf at the location that shipped them or written off, a refund and its
return pointing at each other, returns still waiting for their goods, an exchange for another size
whose return's refund pays for it without moving money, and a refund paid back PENDING that settles
later, moving the order's updatedAt and reaching the payout of the day it settled."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.server import Simulator
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp

RETURN = """id name status totalQuantity order { id }
  returnLineItems(first: 5) { nodes { __typename ... on ReturnLineItem { id quantity refundableQuantity
    refundedQuantity returnReason returnReasonNote customerNote restockingFee { id }
    withCodeDiscountedTotalPriceSet { shopMoney { amount } } fulfillmentLineItem { id lineItem { id } } } } }
  exchangeLineItems(first: 2) { nodes { id lineItem { id name quantity currentQuantity variant { id }
    product { id } originalUnitPriceSet { shopMoney { amount } } } } }
  refunds(first: 2) { nodes { id } }
  reverseFulfillmentOrders(first: 2) { nodes { id status lineItems(first: 5) { nodes { totalQuantity
    fulfillmentLineItem { id } dispositions { type quantity location { id name } } } } } }"""
ORDERS_WITH_RETURNS = """query($query: String!, $after: String) { orders(first: 2, query: $query, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id name returnStatus displayFinancialStatus
  totalRefundedSet { shopMoney { amount } } totalOutstandingSet { shopMoney { amount } }
  currentSubtotalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } }
  currentSubtotalLineItemsQuantity
  lineItems(first: 8) { nodes { id name quantity currentQuantity variant { id } product { id }
    discountedUnitPriceSet { shopMoney { amount } } originalUnitPriceSet { shopMoney { amount } }
    discountedTotalSet { shopMoney { amount } } taxLines { priceSet { shopMoney { amount } } } } }
  fulfillments { location { id } fulfillmentLineItems(first: 8) { nodes { id lineItem { id } } } }
  currentTotalPriceSet { shopMoney { amount } } totalPriceSet { shopMoney { amount } }
  totalTaxSet { shopMoney { amount } } currentTotalTaxSet { shopMoney { amount } }
  refunds { id return { id name } totalRefundedSet { shopMoney { amount } } transactions(first: 2) { nodes { id } }
    refundLineItems(first: 5) { nodes { quantity restockType restocked location { id name } lineItem { id }
    subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } } }
  returns(first: 2) { nodes { %s } } } } }""" % RETURN


@pytest.fixture(scope="module")
def store():
    """A larger shop (seed 7, EU), whose older orders have returns of every kind, exchanges included."""
    simulator = Simulator(seed=7, orders=3000, anchor=ANCHOR, port=0, shops=1).start()
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])
    yield ShopifyHttp(simulator, simulator.shops[0].access_token)
    simulator.stop()


@pytest.fixture
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


def orders_matching(client: ShopifyHttp, query: str, *, at_least: int) -> list[dict]:
    orders, after = [], None
    while len(orders) < at_least:
        page = client.run_text(ORDERS_WITH_RETURNS, query=query, after=after)["orders"]
        orders += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    return orders


def money(bag: dict) -> Decimal:
    return Decimal(bag["shopMoney"]["amount"])


def test_refunded_returns_put_goods_back_where_they_shipped_from_or_write_them_off(unlimited, shopify):
    """A refund of shipped goods pays back a CLOSED return: each line has a reason and the fulfillment
    line it sends back; a restocked line (RETURN) names the location that shipped it, a defective one
    is written off (NO_RESTOCK, no location); the refund and its return point at each other."""
    # when
    orders = orders_matching(shopify, "return_status:returned", at_least=20)
    # then
    kinds = set()
    for order in orders:
        assert order["returnStatus"] == "RETURNED"
        shipped_from = {item["id"]: fulfillment["location"]["id"] for fulfillment in order["fulfillments"]
                        for item in fulfillment["fulfillmentLineItems"]["nodes"]}
        refunds = {refund["id"]: refund for refund in order["refunds"]}
        for returned in order["returns"]["nodes"]:
            assert returned["status"] == "CLOSED" and returned["order"]["id"] == order["id"]
            assert returned["name"].startswith(order["name"] + "-R")
            (paid_by,) = returned["refunds"]["nodes"]
            refund = refunds[paid_by["id"]]
            assert refund["return"] == {"id": returned["id"], "name": returned["name"]}
            refund_lines = {line["lineItem"]["id"]: line for line in refund["refundLineItems"]["nodes"]}
            (reverse,) = returned["reverseFulfillmentOrders"]["nodes"]
            assert reverse["status"] == "CLOSED"
            dispositions = {item["fulfillmentLineItem"]["id"]: item["dispositions"]
                            for item in reverse["lineItems"]["nodes"]}
            lines = returned["returnLineItems"]["nodes"]
            assert returned["totalQuantity"] == sum(line["quantity"] for line in lines)
            for line in lines:
                assert line["__typename"] == "ReturnLineItem"
                assert (line["refundedQuantity"], line["refundableQuantity"]) == (line["quantity"], 0)
                shipped = line["fulfillmentLineItem"]
                refund_line = refund_lines[shipped["lineItem"]["id"]]
                assert refund_line["quantity"] == line["quantity"]
                (disposition,) = dispositions[shipped["id"]]
                if refund_line["restockType"] == "RETURN":
                    kinds.add("restocked")
                    assert refund_line["restocked"] is True
                    assert refund_line["location"]["id"] == shipped_from[shipped["id"]]
                    assert (disposition["type"], disposition["location"]["id"]) == (
                        "RESTOCKED", shipped_from[shipped["id"]])
                else:
                    kinds.add("written off")
                    assert refund_line["restockType"] == "NO_RESTOCK" and line["returnReason"] == "DEFECTIVE"
                    assert refund_line["restocked"] is False and refund_line["location"] is None
                    assert (disposition["type"], disposition["location"]) == ("NOT_RESTOCKED", None)
                assert disposition["quantity"] == line["quantity"]
    assert kinds == {"restocked", "written off"}


def test_a_return_is_found_by_id_as_in_its_order(unlimited, shopify):
    """`return(id:)` and `node(id:)` answer a return as its order lists it; an unknown one is null."""
    # given
    (order,) = orders_matching(shopify, "return_status:returned", at_least=1)[:1]
    listed = order["returns"]["nodes"][0]
    # when
    found = shopify.run_text('query($id: ID!) { return(id: $id) { %s } node(id: $id) { ... on Return { id name } } '
                             'missing: return(id: "gid://shopify/Return/1") { id } }' % RETURN, id=listed["id"])
    # then
    assert found["return"] == listed
    assert found["node"] == {"id": listed["id"], "name": listed["name"]}
    assert found["missing"] is None


def test_returns_waiting_for_their_goods_are_not_refunded(store):
    """A return of its own (no refund) is OPEN once approved (the order's returnStatus IN_PROGRESS, a
    reverse fulfillment order waiting for the goods) or REQUESTED before (RETURN_REQUESTED, none yet);
    its units stay on the order, refundable, and the order stays paid."""
    for status, shown in (("OPEN", "in_progress"), ("REQUESTED", "return_requested")):
        # when
        orders = orders_matching(store, f"return_status:{shown}", at_least=3)
        # then
        assert len(orders) >= 3, status
        for order in orders:
            assert order["returnStatus"] == shown.upper()
            assert order["refunds"] == [] and order["displayFinancialStatus"] == "PAID"
            (returned,) = order["returns"]["nodes"]
            assert returned["status"] == status and returned["refunds"]["nodes"] == []
            assert returned["exchangeLineItems"]["nodes"] == []
            current = {line["id"]: line for line in order["lineItems"]["nodes"]}
            for line in returned["returnLineItems"]["nodes"]:
                assert (line["refundableQuantity"], line["refundedQuantity"]) == (line["quantity"], 0)
                item = current[line["fulfillmentLineItem"]["lineItem"]["id"]]
                assert item["currentQuantity"] == item["quantity"] >= line["quantity"]
            reverse = returned["reverseFulfillmentOrders"]["nodes"]
            if status == "OPEN":
                (waiting,) = reverse
                assert waiting["status"] == "OPEN"
                assert all(item["dispositions"] == [] for item in waiting["lineItems"]["nodes"])
            else:
                assert reverse == []


def test_an_exchange_sells_another_size_and_its_return_pays_for_it_without_moving_money(store):
    """An exchange returns one unit and adds a line of another variant of the same product at the same
    price, as Shopify records an even exchange: the new line is sold (in the totals before returns) and
    the return's refund takes the returned unit back, restocked where it shipped from, with its amount
    and tax and no transaction. So the sale and the return are worth the same, nothing counts as
    refunded, and the current totals stay those of the sale paid for."""
    # when
    orders = [order for order in orders_matching(store, "return_status:returned", at_least=120)
              if any(r["exchangeLineItems"]["nodes"] for r in order["returns"]["nodes"])]
    # then
    assert len(orders) >= 2
    for order in orders:
        (returned,) = order["returns"]["nodes"]
        (line,) = returned["returnLineItems"]["nodes"]
        (exchange,) = returned["exchangeLineItems"]["nodes"]
        lines = {item["id"]: item for item in order["lineItems"]["nodes"]}
        old, new = lines[line["fulfillmentLineItem"]["lineItem"]["id"]], lines[exchange["lineItem"]["id"]]
        assert returned["status"] == "CLOSED"
        assert line["quantity"] == 1 and line["returnReason"] in ("SIZE_TOO_SMALL", "SIZE_TOO_LARGE")
        assert (line["refundedQuantity"], line["refundableQuantity"]) == (1, 0)
        assert new["id"] != old["id"] and (new["quantity"], new["currentQuantity"]) == (1, 1)
        assert new["product"] == old["product"] and new["variant"] != old["variant"]
        assert money(new["originalUnitPriceSet"]) == money(old["originalUnitPriceSet"])
        assert old["currentQuantity"] == old["quantity"] - 1
        assert exchange["lineItem"]["id"] in {item["lineItem"]["id"] for f in order["fulfillments"]
                                              for item in f["fulfillmentLineItems"]["nodes"]}   # shipped
        # the return's refund: the returned unit, back on the shelf it shipped from, and no money
        (refund,) = order["refunds"]
        assert [paid_by["id"] for paid_by in returned["refunds"]["nodes"]] == [refund["id"]]
        assert refund["return"] == {"id": returned["id"], "name": returned["name"]}
        assert refund["transactions"]["nodes"] == [] and money(refund["totalRefundedSet"]) == 0
        (taken,) = refund["refundLineItems"]["nodes"]
        shipped_from = {item["lineItem"]["id"]: f["location"]["id"] for f in order["fulfillments"]
                        for item in f["fulfillmentLineItems"]["nodes"]}
        assert (taken["lineItem"]["id"], taken["quantity"], taken["restockType"], taken["restocked"]) == (
            old["id"], 1, "RETURN", True)
        assert taken["location"]["id"] == shipped_from[old["id"]]
        # worth what the new line is: the sale and the return cancel out
        new_tax = sum((money(tax["priceSet"]) for tax in new["taxLines"]), Decimal(0))
        assert money(taken["subtotalSet"]) == money(new["discountedTotalSet"]) > 0
        assert money(taken["totalTaxSet"]) == new_tax > 0
        value = money(new["discountedTotalSet"])      # prices include tax in this shop
        assert money(order["subtotalPriceSet"]) - money(order["currentSubtotalPriceSet"]) == value
        assert money(order["totalPriceSet"]) - money(order["currentTotalPriceSet"]) == value
        assert money(order["totalTaxSet"]) - money(order["currentTotalTaxSet"]) == new_tax
        current = sum((money(item["discountedUnitPriceSet"]) * item["currentQuantity"] for item in lines.values()),
                      Decimal(0))
        assert money(order["currentSubtotalPriceSet"]) == current
        assert order["currentSubtotalLineItemsQuantity"] == sum(item["currentQuantity"] for item in lines.values())
        assert money(order["totalRefundedSet"]) == 0
        assert money(order["totalOutstandingSet"]) == 0 and order["displayFinancialStatus"] == "PAID"
        (reverse,) = returned["reverseFulfillmentOrders"]["nodes"]
        (taken_back,) = reverse["lineItems"]["nodes"]
        assert [d["type"] for d in taken_back["dispositions"]] == ["RESTOCKED"]


def test_a_pending_refund_settles_later_and_reaches_the_payout_of_its_settle_day():
    """A card refund paid back PENDING counts as refunded only once it settles: then its transaction
    is SUCCESS, the order's updatedAt moves to that moment (orders/updated), and its REFUND balance
    transaction is in the payout of the local day it settled, not of the day it was issued."""
    # given: a store whose clock runs before its latest orders' refunds
    anchor = datetime.combine(date.today() + timedelta(days=2), time.min, tzinfo=timezone.utc)
    simulator = Simulator(seed=5, orders=3000, anchor=anchor, port=0, shops=1).start()
    try:
        shop = simulator.shops[0]
        shop.bucket = LeakyBucket(PLANS["unlimited"])
        client = ShopifyHttp(simulator, shop.access_token)
        now = simulator.clock.now().timestamp()
        number, refund = pending_card_refund(shop, after=now + 3600)
        (card,) = [t for t in refund.transactions if t.gateway == "shopify_payments"]
        order_id = shop.generator.order_gid(number)
        transaction_id = f"gid://shopify/OrderTransaction/{card.id}"
        balance_id = f"gid://shopify/ShopifyPaymentsBalanceTransaction/{card.id}"
        read = """query($id: ID!, $balance: ID!) { order(id: $id) { updatedAt displayFinancialStatus
          totalRefundedSet { shopMoney { amount } } transactions { id kind status processedAt
          amountSet { shopMoney { amount } } } refunds { id updatedAt totalRefundedSet { shopMoney { amount } } } }
          node(id: $balance) { ... on ShopifyPaymentsBalanceTransaction { type transactionDate
          amount { amount } associatedPayout { id } } } }"""
        if refund.time > now:
            client.control("POST", "clock", advance_seconds=refund.time - now + 60)
        # when: issued, not settled
        pending = client.run_text(read, id=order_id, balance=balance_id)
        # then
        (paid_back,) = [t for t in pending["order"]["transactions"] if t["id"] == transaction_id]
        assert (paid_back["kind"], paid_back["status"]) == ("REFUND", "PENDING")
        (shown,) = [r for r in pending["order"]["refunds"] if r["id"] == f"gid://shopify/Refund/{refund.id}"]
        assert money(shown["totalRefundedSet"]) == 0 and pending["node"] is None
        # when: settled
        now = simulator.clock.now().timestamp()
        moved = client.control("POST", "clock", advance_seconds=refund.settled - now + 60)
        settled = client.run_text(read, id=order_id, balance=balance_id)
        # then
        (paid_back,) = [t for t in settled["order"]["transactions"] if t["id"] == transaction_id]
        assert paid_back["status"] == "SUCCESS"
        settle_moment = datetime.fromtimestamp(refund.settled, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert settled["order"]["updatedAt"] == settle_moment > pending["order"]["updatedAt"]
        assert moved["orders_updated"][shop.domain] >= 1
        (shown,) = [r for r in settled["order"]["refunds"] if r["id"] == f"gid://shopify/Refund/{refund.id}"]
        assert money(shown["totalRefundedSet"]) >= money(paid_back["amountSet"]) > 0
        assert money(settled["order"]["totalRefundedSet"]) - money(pending["order"]["totalRefundedSet"]) \
            == money(shown["totalRefundedSet"])
        # when: the settle day has ended
        zone = ZoneInfo(shop.profile.time_zone)
        settle_day = datetime.fromtimestamp(refund.settled, zone).date()
        day_end = datetime.combine(settle_day + timedelta(days=1), time.min, tzinfo=zone).timestamp()
        now = simulator.clock.now().timestamp()
        client.control("POST", "clock", advance_seconds=day_end - now + 3600)
        paid_out = client.run_text(read, id=order_id, balance=balance_id)["node"]
        payouts = {day: {node["id"] for node in client.run_text(
            'query($day: String!) { shopifyPaymentsAccount { balanceTransactions(first: 250, query: $day) '
            '{ nodes { id } } } }', day=f"payout_date:{day + timedelta(days=1)}")
            ["shopifyPaymentsAccount"]["balanceTransactions"]["nodes"]}
            for day in {settle_day, datetime.fromtimestamp(refund.time, zone).date()}}
    finally:
        simulator.stop()
    # then
    assert paid_out["type"] == "REFUND"
    assert money({"shopMoney": paid_out["amount"]}) == -money(paid_back["amountSet"])
    transaction_day = datetime.strptime(paid_out["transactionDate"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc).astimezone(zone).date()
    assert transaction_day == settle_day
    assert [day for day, ids in payouts.items() if balance_id in ids] == [settle_day]


def pending_card_refund(shop, *, after: float):
    """(order number, refund) of the newest card refund of `shop` that settles later than it is
    issued, and after `after` (epoch seconds)."""
    planner, generator = shop.generator.planner, shop.generator
    for number in range(shop.total_orders - 1, 0, -1):
        plan = planner.plan(number)
        if not any(settled > max(moment, after) for moment, settled in zip(plan.refunds, plan.refunds_settled)):
            continue
        for refund in generator.order(number).refunds:
            if refund.settled > max(refund.time, after) and any(
                    t.gateway == "shopify_payments" for t in refund.transactions):
                return number, refund
    raise AssertionError("no pending card refund")
