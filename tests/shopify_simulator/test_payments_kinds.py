"""Shopify Payments balance transactions of every kind a bookkeeper meets, read over HTTP: charges,
refunds, disputes with their fee and (won) reversal, a rolling reserve held and released,
adjustments, a failed payout coming back in a later one; each payout's summary and its balance
transactions add up to its net, to the cent."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.server import Simulator
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp

MONTH = ("2025-02-01", "2025-03-01")      # a month of payouts of the default seed's first shop (EU)
KINDS_OF_A_MONTH = {"CHARGE", "REFUND", "DISPUTE_WITHDRAWAL", "CHARGEBACK_FEE", "DISPUTE_REVERSAL",
                    "CHARGEBACK_FEE_REFUND", "RESERVED_FUNDS_WITHDRAWAL", "RESERVED_FUNDS_REVERSAL", "ADJUSTMENT",
                    "TRANSFER_FAILURE"}
PAYOUTS = """query($after: String, $query: String) { shopifyPaymentsAccount { payouts(first: 50, after: $after,
  query: $query) { pageInfo { hasNextPage endCursor } nodes { id legacyResourceId issuedAt status transactionType
  net { amount currencyCode } summary { chargesGross { amount } chargesFee { amount } refundsFeeGross { amount }
  refundsFee { amount } adjustmentsGross { amount } adjustmentsFee { amount } reservedFundsGross { amount }
  reservedFundsFee { amount } retriedPayoutsGross { amount } retriedPayoutsFee { amount } } } } } }"""
TRANSACTIONS = """query($after: String, $query: String) { shopifyPaymentsAccount { balanceTransactions(first: 100,
  after: $after, query: $query) { pageInfo { hasNextPage endCursor } nodes { id type transactionDate sourceType
  sourceId sourceOrderTransactionId adjustmentReason adjustmentsOrders { name orderTransactionId amount { amount } }
  amount { amount } fee { amount } net { amount } associatedPayout { id status } associatedOrder { id name } } } } }"""
DISPUTES = """query($after: String, $query: String) { shopifyPaymentsAccount { disputes(first: 50, after: $after,
  query: $query) { pageInfo { hasNextPage endCursor } nodes { id legacyResourceId status type initiatedAt
  evidenceDueBy evidenceSentOn finalizedOn amount { amount currencyCode } reasonDetails { reason networkReasonCode }
  order { id name transactions { id kind gateway status amountSet { shopMoney { amount } } } } } } } }"""


@pytest.fixture(scope="module")
def shopify():
    """The default seed's first shop, its orders up to the fixtures' anchor, no cost limits."""
    simulator = Simulator(seed=42, orders=500, anchor=ANCHOR, port=0, shops=1).start()
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])
    yield ShopifyHttp(simulator, simulator.shops[0].access_token)
    simulator.stop()


def every(shopify, document: str, connection: str, query: str | None = None) -> list[dict]:
    nodes, after = [], None
    while True:
        page = shopify.run_text(document, after=after, query=query)["shopifyPaymentsAccount"][connection]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


def money(value: dict) -> Decimal:
    return Decimal(value["amount"])


def by_payout(transactions: list[dict]) -> dict[str, list[dict]]:
    grouped = defaultdict(list)
    for transaction in transactions:
        grouped[transaction["associatedPayout"]["id"]].append(transaction)
    return grouped


def test_a_month_of_payouts_adds_up_to_the_cent_disputes_and_reserves_included(shopify):
    """Each payout of a month: its balance transactions' nets sum to its net; each nets amount less
    fee; its summary's gross less fee, part by part, is the sum of its transactions of that part and,
    over the parts, its net."""
    # when
    payouts = every(shopify, PAYOUTS, "payouts", f"issued_at:>='{MONTH[0]}' issued_at:<'{MONTH[1]}'")
    transactions = by_payout(every(shopify, TRANSACTIONS, "balanceTransactions",
                                   f"payout_date:>='{MONTH[0]}' payout_date:<'{MONTH[1]}'"))
    # then
    assert len(payouts) >= 20
    assert set(transactions) == {payout["id"] for payout in payouts}
    for payout in payouts:
        movements = transactions[payout["id"]]
        net = money(payout["net"])
        assert sum(money(m["net"]) for m in movements) == net
        assert all(money(m["net"]) == money(m["amount"]) - money(m["fee"]) for m in movements)
        summary = {name: money(value) for name, value in payout["summary"].items()}
        gross_less_fee = [summary[f"{part}Gross"] - summary[f"{part}Fee"] for part in
                          ("charges", "adjustments", "reservedFunds", "retriedPayouts")]
        gross_less_fee.append(summary["refundsFeeGross"] - summary["refundsFee"])
        assert sum(gross_less_fee) == net, payout["id"]
        part_of = {"CHARGE": "charges", "REFUND": "refunds", "RESERVED_FUNDS_WITHDRAWAL": "reservedFunds",
                   "RESERVED_FUNDS_REVERSAL": "reservedFunds", "TRANSFER_FAILURE": "retriedPayouts"}
        for part, gross_name in (("charges", "chargesGross"), ("refunds", "refundsFeeGross"),
                                 ("reservedFunds", "reservedFundsGross"), ("retriedPayouts", "retriedPayoutsGross"),
                                 ("adjustments", "adjustmentsGross")):
            mine = [m for m in movements if part_of.get(m["type"], "adjustments") == part]
            assert summary[gross_name] == sum((money(m["amount"]) for m in mine), Decimal(0)), (payout["id"], part)
        assert payout["transactionType"] == ("DEPOSIT" if net >= 0 else "WITHDRAWAL")


def test_a_month_holds_every_kind_a_bookkeeper_meets(shopify):
    """Charges, refunds, a dispute opened (withdrawal and fee) and one won (reversal and fee refund),
    reserves held and released, adjustments both ways, and a failed payout retried, in one month; each
    names what it comes from."""
    # when
    transactions = every(shopify, TRANSACTIONS, "balanceTransactions",
                         f"payout_date:>='{MONTH[0]}' payout_date:<'{MONTH[1]}'")
    # then
    assert {t["type"] for t in transactions} >= KINDS_OF_A_MONTH
    for transaction in transactions:
        kind, source = transaction["type"], transaction["sourceType"]
        if kind in ("CHARGE", "REFUND"):
            assert source == kind and transaction["sourceOrderTransactionId"] == transaction["sourceId"]
        elif kind.startswith(("DISPUTE", "CHARGEBACK")):
            assert source == "DISPUTE" and transaction["associatedOrder"] and transaction["sourceOrderTransactionId"]
        elif kind.startswith("RESERVED_FUNDS"):
            assert source == "SYSTEM_ADJUSTMENT" and transaction["associatedOrder"] is None
        elif kind == "ADJUSTMENT":
            assert source == "ADJUSTMENT" and transaction["adjustmentReason"]
        elif kind == "TRANSFER_FAILURE":
            assert source == "TRANSFER" and transaction["associatedOrder"] is None
    fees = [t for t in transactions if t["type"] == "CHARGEBACK_FEE"]
    assert all(money(t["amount"]) == 0 and money(t["fee"]) > 0 for t in fees)
    every_adjustment = every(shopify, TRANSACTIONS, "balanceTransactions", "type:adjustment")
    assert {money(t["amount"]) > 0 for t in every_adjustment} == {True, False}
    fee_corrections = [t for t in every_adjustment if t["adjustmentsOrders"]]
    assert fee_corrections and all(t["adjustmentsOrders"][0]["name"] == t["associatedOrder"]["name"]
                                   for t in fee_corrections)


def test_a_reserve_comes_back_in_full_later(shopify):
    """What a reserve holds on a day is released, the same amount under the same source ID, later."""
    # when
    held = every(shopify, TRANSACTIONS, "balanceTransactions", "type:reserved_funds_withdrawal")
    released = {t["sourceId"]: t for t in every(shopify, TRANSACTIONS, "balanceTransactions",
                                                "type:reserved_funds_reversal")}
    # then
    assert held and released
    for hold in held:
        assert money(hold["amount"]) < 0
        release = released.get(hold["sourceId"])
        if release is not None:
            assert money(release["amount"]) == -money(hold["amount"])
            assert release["transactionDate"] > hold["transactionDate"]
    assert set(released) <= {hold["sourceId"] for hold in held}


def test_disputes_are_listed_with_status_and_reason_on_real_orders(shopify):
    """Disputes, oldest first, each with its status, reason, amount and dates, on an order that was
    charged by Shopify Payments; the charge it disputes is named by its withdrawal."""
    # when
    disputes = every(shopify, DISPUTES, "disputes")
    withdrawals = {t["sourceId"]: t for t in every(shopify, TRANSACTIONS, "balanceTransactions",
                                                   "type:dispute_withdrawal")}
    # then
    assert len(disputes) >= 10
    assert [d["initiatedAt"] for d in disputes] == sorted(d["initiatedAt"] for d in disputes)
    assert {d["status"] for d in disputes} >= {"WON", "LOST"}
    for dispute in disputes:
        assert dispute["type"] == "CHARGEBACK" and dispute["reasonDetails"]["reason"]
        assert dispute["evidenceDueBy"] > dispute["initiatedAt"][:10]
        assert (dispute["finalizedOn"] is not None) == (dispute["status"] in ("WON", "LOST", "ACCEPTED"))
        if dispute["status"] in ("WON", "LOST", "UNDER_REVIEW"):
            assert dispute["evidenceSentOn"]
        order = dispute["order"]
        withdrawal = withdrawals[dispute["legacyResourceId"]]
        assert withdrawal["associatedOrder"] == {"id": order["id"], "name": order["name"]}
        assert money(withdrawal["amount"]) == -money(dispute["amount"])
        charge = next(t for t in order["transactions"]
                      if t["id"].rsplit("/", 1)[1] == withdrawal["sourceOrderTransactionId"])
        assert (charge["gateway"], charge["status"]) == ("shopify_payments", "SUCCESS")
        assert money(dispute["amount"]) <= money(charge["amountSet"]["shopMoney"])
    found = shopify.run_text("{ nodes(ids: [%s]) { ... on Order { id } } }"
                             % ", ".join(f'"{d["order"]["id"]}"' for d in disputes))["nodes"]
    assert [node["id"] for node in found] == [d["order"]["id"] for d in disputes]


def test_a_won_dispute_gives_back_the_amount_and_the_fee(shopify):
    """A won dispute has a DISPUTE_REVERSAL of its amount and a CHARGEBACK_FEE_REFUND of its fee, on
    the day it was won; a lost one has neither."""
    # given
    disputes = every(shopify, DISPUTES, "disputes")
    reversals = {t["sourceId"]: t for t in every(shopify, TRANSACTIONS, "balanceTransactions",
                                                 "type:dispute_reversal")}
    fees = {t["sourceId"]: t for t in every(shopify, TRANSACTIONS, "balanceTransactions", "type:chargeback_fee")}
    fee_refunds = {t["sourceId"]: t for t in every(shopify, TRANSACTIONS, "balanceTransactions",
                                                   "type:chargeback_fee_refund")}
    # then
    won = [d for d in disputes if d["status"] == "WON"]
    assert won
    for dispute in disputes:
        number = dispute["legacyResourceId"]
        if dispute["status"] == "WON":
            assert money(reversals[number]["amount"]) == money(dispute["amount"])
            assert reversals[number]["transactionDate"][:10] == dispute["finalizedOn"]   # a morning in Paris
            assert money(fee_refunds[number]["net"]) == money(fees[number]["fee"]) > 0
        else:
            assert number not in reversals and number not in fee_refunds


def test_the_failed_payout_comes_back_in_a_later_payout(shopify):
    """A month's failed payout is FAILED, its transactions say so; its net comes back as a
    TRANSFER_FAILURE in a later payout, whose summary counts it among retried payouts."""
    # given
    payouts = {p["id"]: p for p in every(shopify, PAYOUTS, "payouts")}
    failed = [p for p in payouts.values() if p["status"] == "FAILED"]
    retried = every(shopify, TRANSACTIONS, "balanceTransactions", "type:transfer_failure")
    # then
    issued_months = {p["issuedAt"][:7] for p in failed}
    assert len(failed) >= 10 and len(issued_months) == len(failed)
    by_source = {t["sourceId"]: t for t in retried}
    for payout in failed:
        comeback = by_source[payout["legacyResourceId"]]
        later = payouts[comeback["associatedPayout"]["id"]]
        assert money(comeback["amount"]) == money(payout["net"]) and money(comeback["fee"]) == 0
        assert later["issuedAt"] > payout["issuedAt"]
        assert money(later["summary"]["retriedPayoutsGross"]) == money(comeback["amount"])
    one = failed[0]
    within = every(shopify, TRANSACTIONS, "balanceTransactions", f"payout_date:'{_payout_date(one)}'")
    assert within and {t["associatedPayout"]["status"] for t in within} == {"FAILED"}
    assert sum(money(t["net"]) for t in within) == money(one["net"])


def test_disputes_are_found_by_id_at_the_root_and_by_status(shopify):
    """`dispute(id:)`, `node(id:)` and root `disputes` answer the account's disputes; `status:` filters."""
    # given
    disputes = every(shopify, DISPUTES, "disputes")
    first = disputes[0]
    # when
    one = shopify.run_text('{ dispute(id: "%s") { id status amount { amount } order { id } } }' % first["id"])
    node = shopify.run_text('{ node(id: "%s") { ... on ShopifyPaymentsDispute { id reasonDetails { reason } } } }'
                            % first["id"])
    root = shopify.run_text("{ disputes(first: 100) { nodes { id } } }")["disputes"]["nodes"]
    won = shopify.run_text('{ disputes(first: 100, query: "status:won") { nodes { status } } }')["disputes"]["nodes"]
    missing = shopify.run_text('{ dispute(id: "gid://shopify/ShopifyPaymentsDispute/1") { id } }')
    # then
    assert one["dispute"] == {"id": first["id"], "status": first["status"],
                              "amount": {"amount": first["amount"]["amount"]}, "order": {"id": first["order"]["id"]}}
    assert node["node"] == {"id": first["id"], "reasonDetails": {"reason": first["reasonDetails"]["reason"]}}
    assert [d["id"] for d in root] == [d["id"] for d in disputes]
    assert won and {d["status"] for d in won} == {"WON"}
    assert missing["dispute"] is None


def _payout_date(payout: dict) -> str:
    """The payout's date, as `payout_date:` filters: the local day it is issued."""
    issued = datetime.fromisoformat(payout["issuedAt"].replace("Z", "+00:00"))
    return issued.astimezone(ZoneInfo("Europe/Paris")).date().isoformat()
