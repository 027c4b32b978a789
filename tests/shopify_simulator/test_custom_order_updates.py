"""Orders made to a specification, changed afterwards (POST /_simulator/orders/custom/update) as a
merchant edits or cancels one in the admin: lines keep their IDs when named, totals follow the new
specification, updatedAt moves, orders/updated is sent, and a bad change is refused whole."""
import copy
import json
import time

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.shopify_simulator.test_custom_orders import (
    US_ORDER,
    VAT_ORDER,
    amount,
    detail,
    make,
    product_document,
    updated_since,
)

US = "demo-us.myshopify.com"
NOWHERE = "http://127.0.0.1:9/webhooks/shopify/"    # refused at once: the delivery keeps its body all the same
TOTALS = """query($id: ID!) { order(id: $id) { updatedAt createdAt note cancelledAt cancelReason closed closedAt
  displayFinancialStatus displayFulfillmentStatus refunds { id }
  totalPriceSet { shopMoney { amount } } subtotalPriceSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } }
  totalShippingPriceSet { shopMoney { amount } } transactions { kind status amountSet { shopMoney { amount } } }
  lineItems(first: 10) { nodes { id name quantity originalTotalSet { shopMoney { amount } } } }
  shippingLines(first: 5) { nodes { id title originalPriceSet { shopMoney { amount } } } }
  fulfillmentOrders(first: 5) { nodes { status lineItems(first: 10) { nodes { remainingQuantity
    lineItem { id } } } } } } }"""


@pytest.fixture(autouse=True)
def unlimited(simulator):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def us_shop(simulator) -> ShopifyHttp:
    return ShopifyHttp(simulator, shop_named(simulator, "demo-us").access_token)


def update(client: ShopifyHttp, gid: str, **body) -> dict:
    return client.control("POST", "orders/custom/update", id=gid, **body)


def post_update(client: ShopifyHttp, body: dict) -> requests.Response:
    return client.session.post(f"{client.simulator.base_url}/_simulator/orders/custom/update", json=body, timeout=10)


def read(client: ShopifyHttp, gid: str) -> dict:
    return client.run_text(TOTALS, id=gid)["order"]


def lines_of(order: dict) -> list[tuple[str, str, int, str]]:
    return [(line["id"], line["name"], line["quantity"], amount(line["originalTotalSet"]))
            for line in order["lineItems"]["nodes"]]


def bulk_rows(client: ShopifyHttp) -> list[dict]:
    """The rows of the product's bulk export of orders (OrdersBulkExport), run to its end."""
    started = client.run("BulkOrders", query=product_document("OrdersBulkExport"))["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    for _ in range(200):
        operation = client.run("BulkOperationStatus", id=started["bulkOperation"]["id"])["data"]["node"]
        if operation["status"] in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.05)
    return [json.loads(row) for row in requests.get(operation["url"], timeout=10).text.splitlines()]


def legacy(gid: str) -> int:
    return int(gid.rsplit("/", 1)[1])


def test_a_line_whose_quantity_grows_keeps_its_id_and_the_totals_follow(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    before = read(shopify, made["id"])
    [(line_id, *_)] = lines_of(before)
    grown = {**VAT_ORDER["lines"][0], "id": line_id, "quantity": 3, "taxes": [["VAT", "0.2", "27.00"]],
             "discounts": [[0, "18.00"]]}

    # when
    answer = update(shopify, made["id"], order={"lines": [grown]})
    after = read(shopify, made["id"])

    # then: 162.00 of goods + 6.00 shipping + 5.00 tip, VAT included
    assert answer == {"id": made["id"], "name": "#2001", "total": "173.00", "updatedAt": after["updatedAt"]}
    assert after["updatedAt"] > before["updatedAt"] == before["createdAt"] == after["createdAt"]
    assert lines_of(after) == [(line_id, "Shirt", 3, "180.00")]
    assert (amount(after["totalPriceSet"]), amount(after["subtotalPriceSet"]), amount(after["totalTaxSet"])) == (
        "173.00", "162.00", "28.00")
    assert [(t["kind"], amount(t["amountSet"])) for t in after["transactions"]] == [("SALE", "173.00")]
    assert after["displayFinancialStatus"] == "PAID" and after["displayFulfillmentStatus"] == "FULFILLED"


def test_a_new_line_takes_an_id_the_order_never_had_and_a_line_no_one_names_is_removed(us_shop):
    # given
    made = make(us_shop, US_ORDER, shop=US)
    (boots_id, *_), (socks_id, *_) = lines_of(read(us_shop, made["id"]))
    socks = {**US_ORDER["lines"][1], "id": socks_id}
    hat = {"title": "Hat", "quantity": 1, "price": "20.00", "taxes": [["NY State Tax", "0.04", "0.80"]]}
    scarf = {"title": "Scarf", "quantity": 2, "price": "15.00"}

    # when
    first = update(us_shop, made["id"], shop=US, order={"lines": [socks, hat]})
    with_hat = read(us_shop, made["id"])
    update(us_shop, made["id"], shop=US, order={"lines": [socks, scarf]})
    with_scarf = read(us_shop, made["id"])

    # then: socks 13.50 + 1.15 tax, the hat 20.00 + 0.80 tax, shipping free; taxes excluded
    hat_id = with_hat["lineItems"]["nodes"][1]["id"]
    assert lines_of(with_hat) == [(socks_id, "Socks", 3, "15.00"), (hat_id, "Hat", 1, "20.00")]
    assert hat_id not in (boots_id, socks_id) and legacy(hat_id) == legacy(socks_id) + 1
    assert first["total"] == amount(with_hat["totalPriceSet"]) == "35.45"
    [fulfillment_order] = with_hat["fulfillmentOrders"]["nodes"]
    assert [(item["lineItem"]["id"], item["remainingQuantity"]) for item in fulfillment_order["lineItems"]["nodes"]] \
        == [(socks_id, 3), (hat_id, 1)]
    scarf_id = with_scarf["lineItems"]["nodes"][1]["id"]
    assert lines_of(with_scarf) == [(socks_id, "Socks", 3, "15.00"), (scarf_id, "Scarf", 2, "30.00")]
    assert legacy(scarf_id) == legacy(hat_id) + 1        # the hat's ID is not given again
    assert amount(with_scarf["totalPriceSet"]) == "44.65"


def test_a_shipping_price_changes_on_the_same_line_and_a_shipping_line_without_id_is_a_new_one(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    [shipping] = read(shopify, made["id"])["shippingLines"]["nodes"]
    express = {"title": "Express", "price": "12.00", "taxes": [["VAT", "0.2", "2.00"]]}

    # when
    repriced = update(shopify, made["id"], order={"shipping_lines": [{**express, "id": shipping["id"]}]})
    same_line = read(shopify, made["id"])
    update(shopify, made["id"], order={"shipping_lines": [express]})
    new_line = read(shopify, made["id"])

    # then: 108.00 of goods + 12.00 shipping + 5.00 tip
    assert repriced["total"] == amount(same_line["totalPriceSet"]) == "125.00"
    assert [(s["id"], s["title"], amount(s["originalPriceSet"])) for s in same_line["shippingLines"]["nodes"]] == [
        (shipping["id"], "Express", "12.00")]
    assert amount(same_line["totalShippingPriceSet"]) == "12.00" and amount(same_line["totalTaxSet"]) == "20.00"
    [replaced] = new_line["shippingLines"]["nodes"]
    assert replaced["id"] != shipping["id"] and amount(new_line["totalPriceSet"]) == "125.00"
    assert lines_of(new_line) == lines_of(same_line)


def test_a_cancelled_order_is_closed_with_its_reason_and_no_refund_and_orders_updated_is_sent(shopify, us_shop,
                                                                                            simulator):
    # given
    for client in (shopify, us_shop):
        assert client.run("WebhookSubscribe", topic="ORDERS_UPDATED", url=NOWHERE)["data"][
            "webhookSubscriptionCreate"]["userErrors"] == []
    paid = make(shopify, VAT_ORDER)
    unpaid = make(us_shop, US_ORDER, shop=US)
    simulator.webhooks.wait_idle()
    seen = len(simulator.webhooks.deliveries)
    paid_created = read(shopify, paid["id"])["createdAt"]

    # when
    answer = update(shopify, paid["id"], cancel={"reason": "CUSTOMER"})
    update(us_shop, unpaid["id"], shop=US, cancel={"reason": "OTHER"})
    simulator.webhooks.wait_idle()
    order, other = read(shopify, paid["id"]), read(us_shop, unpaid["id"])
    payloads = [json.loads(delivery.body) for delivery in simulator.webhooks.deliveries[seen:]
                if delivery.topic == "orders/updated"]
    sent = [payload for payload in payloads if payload["admin_graphql_api_id"] in (paid["id"], unpaid["id"])]

    # then
    assert answer["total"] == "119.00" and answer["updatedAt"] == order["updatedAt"]
    assert paid_created <= order["cancelledAt"] <= order["updatedAt"]
    assert (order["cancelReason"], order["closed"], order["closedAt"]) == ("CUSTOMER", True, order["cancelledAt"])
    assert order["refunds"] == [] and order["displayFinancialStatus"] == "PAID"
    assert [(t["kind"], amount(t["amountSet"])) for t in order["transactions"]] == [("SALE", "119.00")]
    assert (other["cancelReason"], other["displayFinancialStatus"], other["refunds"]) == ("OTHER", "VOIDED", [])
    assert [fo["status"] for fo in other["fulfillmentOrders"]["nodes"]] == ["CLOSED"]
    assert sorted((payload["admin_graphql_api_id"], payload["cancelled_at"]) for payload in sent) == sorted(
        [(paid["id"], order["cancelledAt"]), (unpaid["id"], other["cancelledAt"])])


def test_a_note_alone_changes_neither_lines_nor_totals_but_moves_updated_at(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    before = read(shopify, made["id"])

    # when
    answer = update(shopify, made["id"], order={"note": "Ring twice", "tags": ["vip"]})
    after = read(shopify, made["id"])
    tags = shopify.run_text("query($id: ID!) { order(id: $id) { tags } }", id=made["id"])["order"]["tags"]

    # then
    assert after["note"] == "Ring twice" and tags == ["vip"]
    assert after["updatedAt"] == answer["updatedAt"] > before["updatedAt"]
    unchanged = ("note", "updatedAt")
    assert {key: value for key, value in after.items() if key not in unchanged} == {
        key: value for key, value in before.items() if key not in unchanged}


def _lines(change) -> dict:
    lines = copy.deepcopy(VAT_ORDER["lines"])
    change(lines[0])
    return {"lines": lines}


@pytest.mark.parametrize(("body", "message"), [
    ({"order": _lines(lambda line: line.update(quantity=0))}, "quantity is a whole number from 1"),
    ({"order": _lines(lambda line: line.update(discounts=[[2, "1.00"]]))}, "no discount application has index 2"),
    ({"order": {"discount_applications": []}}, "no discount application has index 0"),
    ({"order": _lines(lambda line: line.update(id="gid://shopify/LineItem/1"))}, "has no line"),
    ({"order": {"lines": [{**VAT_ORDER["lines"][0], "id": "{line}"}] * 2}}, "is given twice"),
    ({"order": {"currency": "USD"}}, "cannot change currency"),
    ({"order": {"note": 7}}, "\"note\" is a string"),
    ({"cancel": {"reason": "BORED"}}, "\"cancel\" is"),
    ({"colour": "blue"}, "unknown fields: colour"),
])
def test_a_bad_update_is_refused_and_changes_nothing(shopify, body, message):
    # given
    made = make(shopify, {**VAT_ORDER, "name": "#2002"})
    before = (read(shopify, made["id"]), detail(shopify, made["id"]))
    line_id = before[0]["lineItems"]["nodes"][0]["id"]
    body = json.loads(json.dumps(body).replace("{line}", line_id))

    # when
    response = post_update(shopify, {"id": made["id"], **body})

    # then
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]
    assert (read(shopify, made["id"]), detail(shopify, made["id"])) == before


def test_an_order_not_made_to_a_specification_and_a_cancelled_orders_lines_are_not_changed(shopify):
    # given
    generated = shopify.run_text("{ orders(first: 1) { nodes { id } } }")["orders"]["nodes"][0]["id"]
    made = make(shopify, VAT_ORDER)
    update(shopify, made["id"], cancel={"reason": "INVENTORY"})

    # when
    not_custom = post_update(shopify, {"id": generated, "order": {"note": "x"}})
    lines = post_update(shopify, {"id": made["id"], "order": {"tip": "1.00"}})
    twice = post_update(shopify, {"id": made["id"], "cancel": {"reason": "OTHER"}})
    note = update(shopify, made["id"], order={"note": "Refused at the door"})

    # then
    assert not_custom.status_code == 404 and "no order made to a specification" in not_custom.json()["error"]
    assert lines.status_code == 400 and "is cancelled" in lines.json()["error"]
    assert twice.status_code == 400 and "already cancelled" in twice.json()["error"]
    order = read(shopify, made["id"])
    assert (order["note"], order["cancelReason"], note["total"]) == ("Refused at the door", "INVENTORY", "119.00")


def test_updated_orders_are_read_by_the_updated_at_query_and_the_bulk_export_reads_them_changed(shopify):
    # given
    changed, untouched = make(shopify, VAT_ORDER), make(shopify, {**VAT_ORDER, "name": "#2003"})
    [(line_id, *_)] = lines_of(read(shopify, changed["id"]))

    # when
    answer = update(shopify, changed["id"], order={"lines": [{**VAT_ORDER["lines"][0], "id": line_id,
                                                              "price": "70.00"}]})
    since = {order["id"]: order for order in updated_since(shopify, answer["updatedAt"])}
    paged = shopify.run_text("{ orders(first: 20, sortKey: UPDATED_AT, reverse: true) { nodes { id updatedAt } } }")[
        "orders"]["nodes"]
    exported = bulk_rows(shopify)

    # then
    assert changed["id"] in since and untouched["id"] not in since
    order = since[changed["id"]]
    assert order["updatedAt"] == answer["updatedAt"] and amount(order["totalPriceSet"]) == answer["total"] == "139.00"
    assert [line["quantity"] for line in order["lineItems"]["nodes"]] == [2]
    assert {"id": changed["id"], "updatedAt": answer["updatedAt"]} in paged
    assert amount(read(shopify, changed["id"])["totalPriceSet"]) == "139.00"
    [row] = [row for row in exported if row.get("id") == changed["id"]]
    assert (row["updatedAt"], amount(row["totalPriceSet"])) == (answer["updatedAt"], "139.00")
    assert [(amount(line["originalUnitPriceSet"]), line["quantity"]) for line in exported
            if line.get("__parentId") == changed["id"] and line.get("__typename") == "LineItem"] == [("70.00", 2)]
