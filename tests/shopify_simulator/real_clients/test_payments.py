"""Shopify Payments through the real clients: a month of payouts adding up, and disputes."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.shopify_simulator.real_clients.clients import (
    Known,
    Read,
    Resource,
    assert_valid,
    documents_of,
    read_through,
    reads_of,
)

# -- Shopify Payments: payouts, balance transactions, disputes ---------------------------------------

PAYOUT_PARTS = ("charges", "adjustments", "reservedFunds", "retriedPayouts")
PAYOUTS_OF_A_MONTH = """query PayoutsOfAMonth($issued: String!, $paid: String!, $after: String) {
  shopifyPaymentsAccount {
    payouts(first: 30, query: $issued) {
      nodes {
        id issuedAt status transactionType net { amount currencyCode }
        summary { %s refundsFeeGross { amount } refundsFee { amount } }
      }
      pageInfo { hasNextPage }
    }
    balanceTransactions(first: 100, after: $after, query: $paid) {
      nodes { id type amount { amount } fee { amount } net { amount } associatedPayout { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
}""" % " ".join(f"{part}Gross {{ amount }} {part}Fee {{ amount }}" for part in PAYOUT_PARTS)
PAYMENTS_MONTH = ("2024-04-01", "2024-05-01")   # demo-eu: charges, refunds, a dispute won, a reserve released


def a_month(month: tuple[str, str]) -> dict:
    return {"issued": f"issued_at:>='{month[0]}' issued_at:<'{month[1]}'",
            "paid": f"payout_date:>='{month[0]}' payout_date:<'{month[1]}'"}


def amount(money: dict) -> Decimal:
    return Decimal(money["amount"])


def payouts_add_up(account: dict) -> set[str]:
    """Each payout's balance transactions net to its net, and its summary's parts do; the kinds of
    the month's transactions."""
    payouts, transactions = account["payouts"], account["balanceTransactions"]
    assert not payouts["pageInfo"]["hasNextPage"] and not transactions["pageInfo"]["hasNextPage"]
    nets = {}
    for transaction in transactions["nodes"]:
        assert amount(transaction["net"]) == amount(transaction["amount"]) - amount(transaction["fee"])
        payout = transaction["associatedPayout"]["id"]
        nets[payout] = nets.get(payout, Decimal(0)) + amount(transaction["net"])
    assert set(nets) == {payout["id"] for payout in payouts["nodes"]}
    for payout in payouts["nodes"]:
        summary = payout["summary"]
        parts = [amount(summary[f"{part}Gross"]) - amount(summary[f"{part}Fee"]) for part in PAYOUT_PARTS]
        parts.append(amount(summary["refundsFeeGross"]) - amount(summary["refundsFee"]))
        assert nets[payout["id"]] == amount(payout["net"]) == sum(parts), payout["id"]
        assert payout["transactionType"] == ("DEPOSIT" if amount(payout["net"]) >= 0 else "WITHDRAWAL")
    return {transaction["type"] for transaction in transactions["nodes"]}


def a_month_of_payouts_adds_up_to_the_cent(data: dict, known: Known) -> None:
    kinds = payouts_add_up(data["shopifyPaymentsAccount"])
    assert kinds >= {"CHARGE", "REFUND", "DISPUTE_REVERSAL", "CHARGEBACK_FEE_REFUND", "RESERVED_FUNDS_REVERSAL"}


DISPUTES = """query Disputes {
  disputes(first: 10) {
    nodes {
      id status type initiatedAt evidenceDueBy finalizedOn
      amount { amount currencyCode }
      reasonDetails { reason networkReasonCode }
      order { id name disputes { id initiatedAs status } }
    }
  }
}"""


def each_dispute_is_listed_by_its_order(data: dict, known: Known) -> None:
    disputes = data["disputes"]["nodes"]
    assert len(disputes) >= 2
    for dispute in disputes:
        assert dispute["type"] == "CHARGEBACK" and amount(dispute["amount"]) > 0
        assert (dispute["finalizedOn"] is None) == (dispute["status"] in ("NEEDS_RESPONSE", "UNDER_REVIEW"))
        assert dispute["order"]["disputes"] == [{"id": dispute["id"], "initiatedAs": "CHARGEBACK",
                                                 "status": dispute["status"]}]


PAYMENTS = Resource("payments", reads=[
    Read(PAYOUTS_OF_A_MONTH, a_month_of_payouts_adds_up_to_the_cent, lambda known: a_month(PAYMENTS_MONTH)),
    Read(DISPUTES, each_dispute_is_listed_by_its_order),
])


READS = reads_of(PAYMENTS)
DOCUMENTS = documents_of(PAYMENTS)


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert_valid(document)


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    read_through(client_of, known_of, read)
