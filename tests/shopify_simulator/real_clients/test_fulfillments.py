"""Fulfillment orders, fulfillments and closing orders through the real clients."""
from __future__ import annotations

import zlib

import pytest

from tests.shopify_simulator.real_clients.clients import (
    Known,
    Read,
    Resource,
    Write,
    assert_valid,
    documents_of,
    given_data,
    read_through,
    reads_of,
    write_through,
    writes_of,
)

# -- fulfillment orders and fulfillments ---------------------------------------------------------------

OPEN_FULFILLMENT_ORDERS = """query OpenFulfillmentOrders($query: String) {
  fulfillmentOrders(first: 20, query: $query) {
    nodes {
      id status orderId order { id name closed }
      assignedLocation { location { id isFulfillmentService } }
      lineItems(first: 10) { nodes { id totalQuantity remainingQuantity lineItem { id sku } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}"""


def open_fulfillment_orders_have_units_left(data: dict, known: Known) -> None:
    found = data["fulfillmentOrders"]["nodes"]
    assert len(found) >= 5
    for fulfillment_order in found:
        assert fulfillment_order["status"] in ("OPEN", "IN_PROGRESS"), fulfillment_order["id"]
        assert fulfillment_order["orderId"] == fulfillment_order["order"]["id"]
        items = fulfillment_order["lineItems"]["nodes"]
        assert items and all(0 <= i["remainingQuantity"] <= i["totalQuantity"] for i in items)
        assert any(i["remainingQuantity"] > 0 for i in items), fulfillment_order["id"]


FULFILLMENT_CREATE = """mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment {
      id name status totalQuantity trackingInfo { company number url }
      fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }
    }
    userErrors { field message }
  }
}"""
FULFILLMENT = """query Fulfillment($id: ID!) {
  fulfillment(id: $id) {
    id name status totalQuantity createdAt
    trackingInfo { company number url }
    location { id }
    order { id displayFulfillmentStatus }
    fulfillmentOrders(first: 5) { nodes { id status } }
  }
}"""


def tracking(known: Known) -> dict:
    number = f"1Z{zlib.crc32(known.tag.encode()):010d}"
    return {"company": "UPS", "number": number, "url": f"https://www.ups.com/track?tracknum={number}"}


def an_open_fulfillment_order(client, known: Known) -> dict:
    """An open fulfillment order at one of the shop's own locations (the fulfillment service's are
    not the merchant's to fulfil), found through the client, with what is left to ship of it."""
    found = given_data(client, OPEN_FULFILLMENT_ORDERS, query="status:open")["fulfillmentOrders"]["nodes"]
    chosen = next(fo for fo in found if not fo["assignedLocation"]["location"]["isFulfillmentService"])
    items = [{"id": item["id"], "quantity": item["remainingQuantity"]}
             for item in chosen["lineItems"]["nodes"] if item["remainingQuantity"] > 0]
    return {"fulfillment_order_id": chosen["id"], "order_id": chosen["orderId"], "items": items,
            "location_id": chosen["assignedLocation"]["location"]["id"]}


def ship_it_all_with_tracking(known: Known) -> dict:
    return {"fulfillment": {"notifyCustomer": False, "trackingInfo": tracking(known), "lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": known.made["fulfillment_order_id"],
         "fulfillmentOrderLineItems": known.made["items"]}]}}


def fulfillment_is_the_one_written(data: dict, known: Known) -> None:
    assert data["fulfillment"]["id"] == known.written["fulfillmentCreate"]["fulfillment"]["id"]


def the_fulfillment_reads_back_with_its_tracking_and_closes_the_fulfillment_order(
        answer: dict, read_back: dict, known: Known) -> None:
    result = answer["fulfillmentCreate"]
    assert result["userErrors"] == []
    created = result["fulfillment"]
    units = sum(item["quantity"] for item in known.made["items"])
    assert (created["status"], created["totalQuantity"], created["trackingInfo"]) == (
        "SUCCESS", units, [tracking(known)])
    assert sum(line["quantity"] for line in created["fulfillmentLineItems"]["nodes"]) == units
    found = read_back["fulfillment"]
    assert (found["name"], found["status"], found["trackingInfo"]) == (created["name"], "SUCCESS", [tracking(known)])
    assert (found["order"]["id"], found["location"]["id"]) == (known.made["order_id"], known.made["location_id"])
    assert found["fulfillmentOrders"]["nodes"] == [{"id": known.made["fulfillment_order_id"], "status": "CLOSED"}]


ORDER_CLOSE = """mutation OrderClose($input: OrderCloseInput!) {
  orderClose(input: $input) { order { id closed closedAt } userErrors { field message } }
}"""
ORDER_CLOSED = """query OrderClosed($id: ID!) { order(id: $id) { id name closed closedAt updatedAt } }"""
OPEN_ORDERS = """query OpenOrders { orders(first: 5, query: "status:open") { nodes { id closed updatedAt } } }"""


def an_open_order(client, known: Known) -> dict:
    [order, *_] = given_data(client, OPEN_ORDERS)["orders"]["nodes"]
    assert not order["closed"]
    return {"order_id": order["id"], "updatedAt": order["updatedAt"]}


def order_is_the_open_one_made(data: dict, known: Known) -> None:
    assert data["order"]["id"] == known.made["order_id"]


def the_order_reads_back_closed_now(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["orderClose"]
    assert result["userErrors"] == []
    order = read_back["order"]
    assert (order["closed"], order["closedAt"]) == (True, result["order"]["closedAt"]) and order["closedAt"]
    assert order["updatedAt"] > known.made["updatedAt"]


FULFILLMENTS = Resource("fulfillments", reads=[
    Read(OPEN_FULFILLMENT_ORDERS, open_fulfillment_orders_have_units_left, lambda known: {"query": "status:open"}),
], writes=[
    Write(FULFILLMENT_CREATE, ship_it_all_with_tracking,
          read_back=Read(FULFILLMENT, fulfillment_is_the_one_written,
                         lambda known: {"id": known.written["fulfillmentCreate"]["fulfillment"]["id"]}),
          then=the_fulfillment_reads_back_with_its_tracking_and_closes_the_fulfillment_order,
          given=an_open_fulfillment_order),
    Write(ORDER_CLOSE, lambda known: {"input": {"id": known.made["order_id"]}},
          read_back=Read(ORDER_CLOSED, order_is_the_open_one_made, lambda known: {"id": known.made["order_id"]}),
          then=the_order_reads_back_closed_now, given=an_open_order),
])


READS = reads_of(FULFILLMENTS)
WRITES = writes_of(FULFILLMENTS)
DOCUMENTS = documents_of(FULFILLMENTS, given=[OPEN_ORDERS])


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
