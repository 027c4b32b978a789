"""Refunds of orders made to a specification (POST /_simulator/orders/custom/refund, .../refund/settle),
read back with the product's own documents (OrderDetail, RefundLinesPage, OrdersBulkExport): items,
shipping, no restock, pending then settled, an even exchange; the financial status and the quantities
follow, updatedAt moves, orders/updated is sent, and a bad refund is refused whole."""
import json

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.schema import admin_schema
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.shopify_simulator.test_custom_order_updates import NOWHERE, bulk_rows
from tests.shopify_simulator.test_custom_orders import US_ORDER, VAT_ORDER, amount, detail, make, product_document
from tests.shopify_simulator.test_store_orders import assert_conforms

US = "demo-us.myshopify.com"
PAID_US_ORDER = {**US_ORDER, "paid": True, "fulfilled": True}   # 123.15: boots 108.50, socks 14.65, taxes excluded
STATE = """query($id: ID!) { order(id: $id) { updatedAt displayFinancialStatus
  totalRefundedSet { shopMoney { amount } } totalRefundedShippingSet { shopMoney { amount } }
  currentTotalPriceSet { shopMoney { amount } } currentSubtotalLineItemsQuantity returnStatus
  transactions { kind status amountSet { shopMoney { amount } } }
  lineItems(first: 10) { nodes { id name quantity currentQuantity refundableQuantity } } } }"""


@pytest.fixture(autouse=True)
def unlimited(simulator):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def us_shop(simulator) -> ShopifyHttp:
    return ShopifyHttp(simulator, shop_named(simulator, "demo-us").access_token)


def refund(client: ShopifyHttp, gid: str, given: dict, **body) -> dict:
    return client.control("POST", "orders/custom/refund", id=gid, refund=given, **body)


def post_refund(client: ShopifyHttp, body: dict) -> requests.Response:
    return client.session.post(f"{client.simulator.base_url}/_simulator/orders/custom/refund", json=body, timeout=10)


def state(client: ShopifyHttp, gid: str) -> dict:
    return client.run_text(STATE, id=gid)["order"]


def line_ids(client: ShopifyHttp, gid: str) -> list[str]:
    return [line["id"] for line in state(client, gid)["lineItems"]["nodes"]]


def refund_lines(refund_view: dict) -> list[tuple]:
    return [(line["lineItem"]["id"], line["quantity"], line["restockType"], amount(line["subtotalSet"]),
             amount(line["totalTaxSet"])) for line in refund_view["refundLineItems"]["nodes"]]


def transactions(refund_view: dict) -> list[tuple[str, str, str]]:
    return [(t["kind"], t["status"], amount(t["amountSet"])) for t in refund_view["transactions"]["nodes"]]


def test_an_item_refund_pays_its_share_back_and_the_order_is_partially_refunded(shopify, simulator):
    # given: 2 shirts for 108.00 with 18.00 of VAT included
    assert shopify.run("WebhookSubscribe", topic="ORDERS_UPDATED", url=NOWHERE)["data"][
        "webhookSubscriptionCreate"]["userErrors"] == []
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])
    before = state(shopify, made["id"])
    simulator.webhooks.wait_idle()
    seen = len(simulator.webhooks.deliveries)

    # when
    answer = refund(shopify, made["id"], {"lines": [{"id": shirt, "quantity": 1, "restock_type": "RETURN"}]})
    simulator.webhooks.wait_idle()
    after, read = state(shopify, made["id"]), detail(shopify, made["id"])
    paged = shopify.run_text(product_document("RefundLinesPage"), id=answer["refund_id"], first=5)["node"]

    # then
    assert answer == {"id": made["id"], "refund_id": answer["refund_id"], "updatedAt": after["updatedAt"]}
    assert after["updatedAt"] > before["updatedAt"]
    [refund_view] = read["refunds"]
    assert refund_view["id"] == answer["refund_id"] and amount(refund_view["totalRefundedSet"]) == "54.00"
    assert refund_lines(refund_view) == [(shirt, 1, "RETURN", "54.00", "9.00")]
    assert refund_view["refundShippingLines"]["nodes"] == []
    assert transactions(refund_view) == [("REFUND", "SUCCESS", "54.00")]
    assert [(line["quantity"], line["restockType"], amount(line["subtotalSet"])) for line in
            paged["refundLineItems"]["nodes"]] == [(1, "RETURN", "54.00")]
    assert (after["displayFinancialStatus"], amount(after["totalRefundedSet"]),
            amount(after["currentTotalPriceSet"])) == ("PARTIALLY_REFUNDED", "54.00", "65.00")
    assert [(line["quantity"], line["currentQuantity"], line["refundableQuantity"])
            for line in after["lineItems"]["nodes"]] == [(2, 1, 1)]
    sent = [json.loads(delivery.body) for delivery in simulator.webhooks.deliveries[seen:]
            if delivery.topic == "orders/updated"]
    assert [(payload["updated_at"], payload["financial_status"]) for payload in sent
            if payload["admin_graphql_api_id"] == made["id"]] == [(after["updatedAt"], "partially_refunded")]


def test_a_shipping_refund_pays_the_shipping_back_and_refunds_no_line(shopify):
    # given
    made = make(shopify, VAT_ORDER)

    # when
    refund(shopify, made["id"], {"shipping": {"subtotal": "6.00", "tax": "1.00"}})
    after, read = state(shopify, made["id"]), detail(shopify, made["id"])

    # then
    [refund_view] = read["refunds"]
    assert refund_view["refundLineItems"]["nodes"] == []
    [shipping] = refund_view["refundShippingLines"]["nodes"]
    assert (amount(shipping["subtotalAmountSet"]), amount(shipping["taxAmountSet"])) == ("6.00", "1.00")
    assert shipping["shippingLine"]["id"].startswith("gid://shopify/ShippingLine/")
    assert transactions(refund_view) == [("REFUND", "SUCCESS", "6.00")]
    assert (after["displayFinancialStatus"], amount(after["totalRefundedShippingSet"]),
            amount(after["totalRefundedSet"])) == ("PARTIALLY_REFUNDED", "6.00", "6.00")
    assert [line["currentQuantity"] for line in after["lineItems"]["nodes"]] == [2]


def test_refunds_without_restock_add_their_tax_when_prices_exclude_it_and_the_last_one_refunds_the_order(us_shop):
    # given: boots 100.00 + 8.50 of tax, socks 13.50 + 1.15, shipping free
    made = make(us_shop, PAID_US_ORDER, shop=US)
    boots, socks = line_ids(us_shop, made["id"])

    # when
    refund(us_shop, made["id"], {"lines": [{"id": boots, "quantity": 1, "restock_type": "NO_RESTOCK"}]}, shop=US)
    partly = state(us_shop, made["id"])
    refund(us_shop, made["id"], {"lines": [{"id": socks, "quantity": 3, "restock_type": "NO_RESTOCK",
                                            "subtotal": "13.50", "tax": "1.15"}]}, shop=US)
    after = state(us_shop, made["id"])
    read = us_shop.run_text(product_document("OrderDetail"), id=made["id"])["order"]
    restocked = us_shop.run_text("query($id: ID!) { order(id: $id) { refunds { refundLineItems(first: 5) { "
                                 "nodes { restocked location { id } } } } } }", id=made["id"])["order"]["refunds"]

    # then
    first, second = read["refunds"]
    assert refund_lines(first) == [(boots, 1, "NO_RESTOCK", "100.00", "8.50")]
    assert transactions(first) == [("REFUND", "SUCCESS", "108.50")]
    assert refund_lines(second) == [(socks, 3, "NO_RESTOCK", "13.50", "1.15")]
    assert transactions(second) == [("REFUND", "SUCCESS", "14.65")]
    assert [line for view in restocked for line in view["refundLineItems"]["nodes"]] == [
        {"restocked": False, "location": None}] * 2
    assert (partly["displayFinancialStatus"], amount(partly["totalRefundedSet"])) == ("PARTIALLY_REFUNDED", "108.50")
    assert (after["displayFinancialStatus"], amount(after["totalRefundedSet"])) == ("REFUNDED", "123.15")
    assert after["currentSubtotalLineItemsQuantity"] == 0


def test_a_pending_refund_pays_back_nothing_until_settled(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])

    # when
    made_refund = refund(shopify, made["id"], {"lines": [{"id": shirt, "quantity": 1, "restock_type": "RETURN"}],
                                               "pending": True})
    pending, pending_read = state(shopify, made["id"]), detail(shopify, made["id"])
    settled = shopify.control("POST", "orders/custom/refund/settle", id=made["id"],
                              refund_id=made_refund["refund_id"])
    after, read = state(shopify, made["id"]), detail(shopify, made["id"])

    # then
    [waiting] = pending_read["refunds"]
    assert transactions(waiting) == [("REFUND", "PENDING", "54.00")]
    assert amount(waiting["totalRefundedSet"]) == "0.00"
    assert (pending["displayFinancialStatus"], amount(pending["totalRefundedSet"])) == ("PAID", "0.00")
    assert settled == {"id": made["id"], "refund_id": made_refund["refund_id"], "updatedAt": after["updatedAt"]}
    assert after["updatedAt"] > pending["updatedAt"]
    [done] = read["refunds"]
    assert done["id"] == made_refund["refund_id"] and transactions(done) == [("REFUND", "SUCCESS", "54.00")]
    assert (after["displayFinancialStatus"], amount(after["totalRefundedSet"])) == ("PARTIALLY_REFUNDED", "54.00")
    again = shopify.session.post(f"{simulator_url(shopify)}/orders/custom/refund/settle",
                                 json={"id": made["id"], "refund_id": made_refund["refund_id"]}, timeout=10)
    assert again.status_code == 400 and "is not pending" in again.json()["error"]


def simulator_url(client: ShopifyHttp) -> str:
    return f"{client.simulator.base_url}/_simulator"


def test_an_even_exchange_returns_a_unit_adds_the_new_line_and_moves_no_money(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])
    larger = {"title": "Shirt (L)", "sku": "SH-2", "quantity": 1, "price": "54.00", "taxes": [["VAT", "0.2", "9.00"]]}

    # when
    answer = refund(shopify, made["id"], {"lines": [{"id": shirt, "quantity": 1, "restock_type": "RETURN"}],
                                          "exchange": [larger]})
    after, read = state(shopify, made["id"]), detail(shopify, made["id"])

    # then
    [refund_view] = read["refunds"]
    assert refund_view["id"] == answer["refund_id"]
    assert refund_lines(refund_view) == [(shirt, 1, "RETURN", "54.00", "9.00")]
    assert transactions(refund_view) == [] and amount(refund_view["totalRefundedSet"]) == "0.00"
    assert [(line["name"], line["quantity"], line["currentQuantity"]) for line in after["lineItems"]["nodes"]] == [
        ("Shirt", 2, 1), ("Shirt (L)", 1, 1)]
    assert (after["displayFinancialStatus"], amount(after["totalRefundedSet"]),
            amount(after["currentTotalPriceSet"]), after["returnStatus"]) == ("PAID", "0.00", "119.00", "RETURNED")
    assert [(t["kind"], amount(t["amountSet"])) for t in after["transactions"]] == [("SALE", "119.00")]
    assert "CLOSED" in [fo["status"] for fo in read["fulfillmentOrders"]["nodes"]]


def _shirt(**change) -> dict:
    return {"lines": [{"id": "{shirt}", "quantity": 1, "restock_type": "RETURN", **change}]}


@pytest.mark.parametrize(("given", "message"), [
    ({"lines": [{"id": "gid://shopify/LineItem/1", "quantity": 1, "restock_type": "RETURN"}]}, "has no line"),
    (_shirt(quantity=3), "is more than the 2 left to refund"),
    ({"lines": [{"id": "{shirt}", "quantity": 1, "restock_type": "RETURN"}] * 3}, "is more than the 0 left"),
    (_shirt(subtotal="-1.00"), "cannot be negative"),
    ({**_shirt(), "amount": "-5.00"}, "cannot be negative"),
    ({"shipping": {"tax": "-1.00"}}, "cannot be negative"),
    ({**_shirt(), "amount": "200.00"}, "more than the 119.00 the order has left to pay back"),
    (_shirt(subtotal="200.00"), "is more than the 108.00 left to refund"),
    ({"shipping": {"subtotal": "7.00"}}, "is more than the 6.00 left to refund"),
    (_shirt(restock_type="LOST"), "\"restock_type\" is one of"),
    ({**_shirt(), "exchange": [{"title": "Shirt (L)", "quantity": 1, "price": "50.00"}]}, "worth what comes back"),
    ({}, "a refund needs"),
    ({**_shirt(), "colour": "blue"}, "unknown fields: colour"),
])
def test_a_bad_refund_is_refused_and_changes_nothing(shopify, given, message):
    # given
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])
    before = (state(shopify, made["id"]), detail(shopify, made["id"]))
    given = json.loads(json.dumps(given).replace("{shirt}", shirt))

    # when
    response = post_refund(shopify, {"id": made["id"], "refund": given})

    # then
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]
    assert (state(shopify, made["id"]), detail(shopify, made["id"])) == before


def test_a_refund_of_an_order_not_made_to_a_specification_or_of_no_order_is_not_found(shopify):
    # given
    generated = shopify.run_text("{ orders(first: 1) { nodes { id } } }")["orders"]["nodes"][0]["id"]
    made = make(shopify, VAT_ORDER)

    # when
    not_custom = post_refund(shopify, {"id": generated, "refund": {"amount": "1.00"}})
    no_refund = shopify.session.post(f"{simulator_url(shopify)}/orders/custom/refund/settle",
                                     json={"id": made["id"], "refund_id": "gid://shopify/Refund/1"}, timeout=10)

    # then
    assert not_custom.status_code == 404 and "no order made to a specification" in not_custom.json()["error"]
    assert no_refund.status_code == 404 and "has no refund" in no_refund.json()["error"]


def test_a_refunded_order_keeps_its_refunds_through_an_update_and_its_lines_no_longer_change(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])
    refund(shopify, made["id"], {"lines": [{"id": shirt, "quantity": 1, "restock_type": "RETURN"}]})

    # when
    shopify.control("POST", "orders/custom/update", id=made["id"], order={"note": "Refunded one"})
    lines = shopify.session.post(f"{simulator_url(shopify)}/orders/custom/update",
                                 json={"id": made["id"], "order": {"tip": "1.00"}}, timeout=10)

    # then
    assert lines.status_code == 400 and "has refunds" in lines.json()["error"]
    [refund_view] = detail(shopify, made["id"])["refunds"]
    assert transactions(refund_view) == [("REFUND", "SUCCESS", "54.00")]


def test_a_refunded_order_is_in_the_bulk_export_with_its_refund(shopify):
    # given
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])
    answer = refund(shopify, made["id"], {"lines": [{"id": shirt, "quantity": 2, "restock_type": "RETURN"}],
                                          "shipping": {}})

    # when
    rows = bulk_rows(shopify)

    # then: 108.00 of shirts and 6.00 of shipping; the 5.00 tip stays
    [order] = [row for row in rows if row.get("id") == made["id"]]
    assert order["updatedAt"] == answer["updatedAt"] and order["displayFinancialStatus"] == "PARTIALLY_REFUNDED"
    [refund_view] = order["refunds"]
    assert refund_view["id"] == answer["refund_id"] and amount(refund_view["totalRefundedSet"]) == "114.00"
    assert refund_lines(refund_view) == [(shirt, 2, "RETURN", "108.00", "18.00")]
    assert [(amount(s["subtotalAmountSet"]), amount(s["taxAmountSet"]))
            for s in refund_view["refundShippingLines"]["nodes"]] == [("6.00", "1.00")]
    assert transactions(refund_view) == [("REFUND", "SUCCESS", "114.00")]


def test_refunded_views_have_the_schemas_shape(shopify, simulator):
    # given: an exchange for a custom line, then a pending refund of the new line and the shipping
    made = make(shopify, VAT_ORDER)
    [shirt] = line_ids(shopify, made["id"])
    refund(shopify, made["id"], {"lines": [{"id": shirt, "quantity": 1, "restock_type": "NO_RESTOCK"}],
                                 "exchange": [{"title": "Shirt (L)", "quantity": 1, "price": "54.00",
                                               "taxes": [["VAT", "0.2", "9.00"]]}]})
    _, larger = line_ids(shopify, made["id"])
    refund(shopify, made["id"], {"lines": [{"id": larger, "quantity": 1, "restock_type": "RETURN"}],
                                 "shipping": {}, "pending": True})

    # when
    shop = simulator.shops[0]
    view = shop.orders.view(int(made["id"].rsplit("/", 1)[1]) - shop.generator.order_id_base)

    # then
    assert_conforms(view, admin_schema().get_type("Order"), view["name"])
    assert [(line["name"], line["currentQuantity"], line["variant"]) for line in view["lineItems"]] == [
        ("Shirt", 1, None), ("Shirt (L)", 0, None)]
    assert [len(refund_view["transactions"]) for refund_view in view["refunds"]] == [0, 1]
