"""orderUpdate's customAttributes and orderClose as sales documents use them, on generated orders and
on orders made to a specification: the attributes are replaced as a whole, the order is closed,
updatedAt moves and orders/updated is sent for each write."""
import json

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.shopify_simulator.test_custom_orders import VAT_ORDER, make

NOWHERE = "http://127.0.0.1:9/webhooks/shopify/"    # refused at once: the delivery keeps its body all the same
STATE = """query($id: ID!) { order(id: $id) { id updatedAt closed closedAt customAttributes { key value } } }"""
UPDATE = """mutation($input: OrderInput!) { orderUpdate(input: $input) {
  order { id updatedAt customAttributes { key value } } userErrors { field message } } }"""
CLOSE = """mutation($input: OrderCloseInput!) { orderClose(input: $input) {
  order { id closed closedAt updatedAt } userErrors { field message } } }"""
OPEN_ORDERS = """{ orders(first: 3, query: "status:open") { nodes { id } } }"""


@pytest.fixture(autouse=True)
def unlimited_and_subscribed(simulator, shopify):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])
    assert shopify.run("WebhookSubscribe", topic="ORDERS_UPDATED", url=NOWHERE)["data"][
        "webhookSubscriptionCreate"]["userErrors"] == []


@pytest.fixture(params=["generated", "custom"])
def order_id(request, shopify) -> str:
    if request.param == "custom":
        return make(shopify, {**VAT_ORDER, "fulfilled": False})["id"]
    return shopify.run_text(OPEN_ORDERS)["orders"]["nodes"][0]["id"]


def updates_sent(simulator, shopify, write) -> tuple[object, list[dict]]:
    """What `write()` answers, and the orders/updated payloads sent meanwhile."""
    simulator.webhooks.wait_idle()
    seen = len(simulator.webhooks.deliveries)
    answer = write()
    simulator.webhooks.wait_idle()
    return answer, [json.loads(d.body) for d in simulator.webhooks.deliveries[seen:] if d.topic == "orders/updated"]


def test_custom_attributes_are_replaced_as_a_whole_and_announced(simulator, shopify, order_id):
    # given
    before = shopify.run_text(STATE, id=order_id)["order"]
    attributes = [{"key": "gift_message", "value": "Hi"}, {"key": "syncsite document no.", "value": "S-INV-1"}]
    # when
    answer, sent = updates_sent(simulator, shopify, lambda: shopify.run_text(
        UPDATE, input={"id": order_id, "customAttributes": attributes})["orderUpdate"])
    replaced = shopify.run_text(UPDATE, input={"id": order_id, "customAttributes": attributes[1:]})["orderUpdate"]
    after = shopify.run_text(STATE, id=order_id)["order"]
    # then
    assert answer["userErrors"] == [] and answer["order"]["customAttributes"] == attributes
    assert answer["order"]["updatedAt"] > before["updatedAt"]
    assert [(p["admin_graphql_api_id"], p["updated_at"], p["note_attributes"]) for p in sent] == [
        (order_id, answer["order"]["updatedAt"], [{"name": a["key"], "value": a["value"]} for a in attributes])]
    assert after["customAttributes"] == attributes[1:] and after["updatedAt"] == replaced["order"]["updatedAt"]
    assert replaced["order"]["updatedAt"] > answer["order"]["updatedAt"]


def test_an_open_order_is_closed_once_and_announced(simulator, shopify, order_id):
    # given
    before = shopify.run_text(STATE, id=order_id)["order"]
    # when
    answer, sent = updates_sent(simulator, shopify,
                                lambda: shopify.run_text(CLOSE, input={"id": order_id})["orderClose"])
    again, sent_again = updates_sent(simulator, shopify,
                                     lambda: shopify.run_text(CLOSE, input={"id": order_id})["orderClose"])
    # then
    assert before["closed"] is False and before["closedAt"] is None
    closed = answer["order"]
    assert answer["userErrors"] == [] and closed["closed"] is True
    assert before["updatedAt"] < closed["updatedAt"] and closed["closedAt"] <= closed["updatedAt"]
    assert [(p["admin_graphql_api_id"], p["closed_at"], p["updated_at"]) for p in sent] == [
        (order_id, closed["closedAt"], closed["updatedAt"])]
    assert again == {"order": closed, "userErrors": []} and sent_again == []
    assert shopify.run_text(STATE, id=order_id)["order"]["closed"] is True


def test_an_unknown_order_is_refused_with_userErrors(shopify):
    missing = "gid://shopify/Order/1"
    assert shopify.run_text(UPDATE, input={"id": missing, "customAttributes": []})["orderUpdate"] == {
        "order": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}
    assert shopify.run_text(CLOSE, input={"id": missing})["orderClose"]["userErrors"][0]["message"] == \
        "Order does not exist"


def test_with_auto_archive_off_a_paid_fulfilled_order_stays_open_until_closed(shopify, shop):
    shopify.control("POST", "settings", shop=shop.domain, auto_archive=False)
    gid = shopify.control("POST", "orders/custom", shop=shop.domain, order={
        "lines": [{"title": "Shirt", "quantity": 1, "price": "10.00"}], "paid": True, "fulfilled": True})["id"]
    query = "query($id: ID!) { order(id: $id) { closed closedAt displayFulfillmentStatus } }"

    before = shopify.run_text(query, id=gid)["order"]
    shopify.control("POST", "settings", shop=shop.domain, auto_archive=True)
    automatic = shopify.run_text(query, id=gid)["order"]

    assert (before["closed"], before["closedAt"], before["displayFulfillmentStatus"]) == (False, None, "FULFILLED")
    assert automatic["closed"] is True
