"""Orders through the real clients: listed with their lines, read one by one, and updated."""
from __future__ import annotations

import pytest

from tests.shopify_simulator.real_clients.clients import (
    Known,
    Read,
    Resource,
    Write,
    assert_valid,
    documents_of,
    read_through,
    reads_of,
    write_through,
    writes_of,
)

# -- orders ------------------------------------------------------------------------------------------

ORDERS_WITH_LINES = """query OrdersWithLines($first: Int!) {
  orders(first: $first) {
    nodes {
      id name createdAt updatedAt displayFinancialStatus displayFulfillmentStatus
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 10) { nodes { id sku quantity variant { id } originalUnitPriceSet { shopMoney { amount } } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


def orders_have_priced_lines(data: dict, known: Known) -> None:
    orders = data["orders"]["nodes"]
    assert len(orders) == 5 and data["orders"]["pageInfo"]["hasNextPage"]
    assert orders[0]["id"] == known.order_id
    for order in orders:
        assert order["lineItems"]["nodes"], order["name"]
        assert all(line["quantity"] > 0 for line in order["lineItems"]["nodes"])
        assert float(order["totalPriceSet"]["shopMoney"]["amount"]) >= 0


ORDER = """query Order($id: ID!) {
  order(id: $id) {
    id name email note tags
    customAttributes { key value }
    customer { id }
    lineItems(first: 10) { nodes { sku quantity } }
  }
}"""


def order_is_the_one_asked_for(data: dict, known: Known) -> None:
    assert (data["order"]["id"], data["order"]["name"]) == (known.order_id, known.order_name)
    assert data["order"]["lineItems"]["nodes"]


ORDER_UPDATE = """mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id note tags customAttributes { key value } }
    userErrors { field message }
  }
}"""
ERP_ATTRIBUTES = [{"key": "ERP No.", "value": "SO-1001"}]


def order_keeps_the_note_and_attributes_set(answer: dict, read_back: dict, known: Known) -> None:
    assert answer["orderUpdate"]["userErrors"] == []
    assert answer["orderUpdate"]["order"]["customAttributes"] == ERP_ATTRIBUTES
    order = read_back["order"]
    assert (order["note"], order["customAttributes"]) == ("Posted to the ledger", ERP_ATTRIBUTES)
    assert "synced" in order["tags"]


ORDERS = Resource("orders", reads=[
    Read(ORDERS_WITH_LINES, orders_have_priced_lines, lambda known: {"first": 5}),
    Read(ORDER, order_is_the_one_asked_for, lambda known: {"id": known.order_id}),
], writes=[
    Write(ORDER_UPDATE, lambda known: {"input": {"id": known.order_id, "note": "Posted to the ledger",
                                                 "tags": ["synced"], "customAttributes": ERP_ATTRIBUTES}},
          read_back=Read(ORDER, order_is_the_one_asked_for, lambda known: {"id": known.order_id}),
          then=order_keeps_the_note_and_attributes_set),
])


READS = reads_of(ORDERS)
WRITES = writes_of(ORDERS)
DOCUMENTS = documents_of(ORDERS)


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert_valid(document)


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    read_through(client_of, known_of, read)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client_of, known_of, write):
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    write_through(client_of, known_of, write)
