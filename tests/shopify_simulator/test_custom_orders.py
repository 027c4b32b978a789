"""Orders made to a specification (POST /_simulator/orders/custom): every amount as given, read back
with the product's own order documents, listed by updatedAt, exported in bulk, updated, announced;
a specification that contradicts itself is refused with a message."""
import copy
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.schema import admin_schema
from tests.fixtures.shopify_simulator import ShopifyHttp, shop_named
from tests.shopify_simulator.test_store_orders import assert_conforms

PRODUCT_DOCUMENTS = Path(__file__).resolve().parents[2] / "connectors" / "shopify" / "graphql"
_SPREAD = re.compile(r"\.\.\.\s*(?!on\b)([A-Za-z_]\w*)")
PLACE = ("name", "company", "address1", "address2", "city", "zip", "provinceCode", "countryCodeV2")

VAT_ORDER = {
    "name": "#2001",
    "processed_at": "2025-03-11T10:00:00Z",
    "taxes_included": True,
    "currency": "EUR",
    "customer": {"email": "claire.fontaine@example.org", "first_name": "Claire", "last_name": "Fontaine",
                 "phone": None},
    "billing_address": {"name": "Claire Fontaine", "company": "Atelier Fontaine", "address1": "12 rue de la Paix",
                        "address2": None, "city": "Paris", "zip": "75002", "provinceCode": None, "countryCode": "FR"},
    "shipping_address": {"name": "Claire Fontaine", "company": None, "address1": "4 quai des Orfèvres",
                         "address2": "3e étage", "city": "Paris", "zip": "75001", "provinceCode": None,
                         "countryCode": "FR"},
    "lines": [{"title": "Shirt", "sku": "SH-1", "quantity": 2, "price": "60.00", "gift_card": False,
               "taxes": [["VAT", "0.2", "18.00"]], "discounts": [[0, "12.00"]]}],
    "shipping_lines": [{"title": "Standard", "price": "6.00", "taxes": [["VAT", "0.2", "1.00"]], "discounts": []}],
    "discount_applications": [{"index": 0, "type": "DiscountCodeApplication", "code_or_title": "TENOFF",
                               "allocation_method": "ACROSS", "target_type": "LINE_ITEM",
                               "value_type": "PERCENTAGE", "value": "10"}],
    "tip": "5.00",
    "fulfilled": True,
    "paid": True,
}

US_ORDER = {
    "taxes_included": False,
    "customer": None,
    "billing_address": None,
    "shipping_address": {"name": "Sam Lee", "address1": "350 Fifth Avenue", "city": "New York", "zip": "10118",
                         "provinceCode": "NY", "countryCode": "US"},
    "lines": [
        {"title": "Boots", "sku": "BT-9", "quantity": 1, "price": "100.00",
         "taxes": [["NY State Tax", "0.04", "4.00"], ["New York City Tax", "0.045", "4.50"]]},
        {"title": "Socks", "sku": "SK-3", "quantity": 3, "price": "5.00", "discounts": [[0, "1.50"]],
         "taxes": [["NY State Tax", "0.04", "0.54"], ["New York City Tax", "0.045", "0.61"]]},
    ],
    "shipping_lines": [{"title": "Ground", "code": "ground", "price": "10.00", "discounts": [[1, "10.00"]]}],
    "discount_applications": [
        {"index": 0, "type": "AutomaticDiscountApplication", "code_or_title": "Socks deal",
         "allocation_method": "EACH", "target_type": "LINE_ITEM", "value_type": "FIXED_AMOUNT", "value": "0.50"},
        {"index": 1, "type": "ManualDiscountApplication", "code_or_title": "Free shipping",
         "allocation_method": "EACH", "target_type": "SHIPPING_LINE", "value_type": "PERCENTAGE", "value": "100"},
    ],
    "fulfilled": False,
    "paid": False,
}


FULFILL = """mutation($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {
  fulfillment { order { id displayFulfillmentStatus } } userErrors { field message } } }"""
MIXED = """query($id: ID!) { order(id: $id) { displayFulfillmentStatus presentmentCurrencyCode
  totalPriceSet { shopMoney { amount } presentmentMoney { amount } }
  totalTaxSet { shopMoney { amount } presentmentMoney { amount } }
  lineItems(first: 5) { nodes { name title variantTitle sku vendor isGiftCard requiresShipping
    variant { id } product { id } originalTotalSet { shopMoney { amount } presentmentMoney { amount } } } }
  fulfillmentOrders(first: 5) { nodes { id status lineItems(first: 5) { nodes { lineItem { name } } } } } } }"""


def product_document(name: str) -> str:
    """One of the product's documents with the fragments it spreads (and theirs) appended, as the
    connector loads it (connectors/shopify/documents.py), read as text: a test of the simulator
    imports nothing of the product."""
    text = (PRODUCT_DOCUMENTS / f"{name}.graphql").read_text(encoding="utf-8")
    needed, pending = [], _SPREAD.findall(text)
    while pending:
        fragment = pending.pop(0)
        if fragment not in needed:
            needed.append(fragment)
            pending += _SPREAD.findall((PRODUCT_DOCUMENTS / "fragments" / f"{fragment}.graphql").read_text())
    return text + "".join(f"\n{(PRODUCT_DOCUMENTS / 'fragments' / f'{n}.graphql').read_text()}" for n in needed)


@pytest.fixture(autouse=True)
def unlimited(simulator):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def us_shop(simulator) -> ShopifyHttp:
    return ShopifyHttp(simulator, shop_named(simulator, "demo-us").access_token)


def make(client: ShopifyHttp, order: dict, **body) -> dict:
    return client.control("POST", "orders/custom", order=order, **body)


def post_spec(client: ShopifyHttp, body: dict) -> requests.Response:
    return client.session.post(f"{client.simulator.base_url}/_simulator/orders/custom", json=body, timeout=10)


def updated_since(client: ShopifyHttp, moment: str) -> list[dict]:
    """The orders OrdersUpdatedSince reads from `moment` on (report 30104's incremental page)."""
    data = client.run_text(product_document("OrdersUpdatedSince"), first=4, query=f"updated_at:>='{moment}'")
    return data["orders"]["nodes"]


def detail(client: ShopifyHttp, gid: str) -> dict:
    return client.run_text(product_document("OrderDetail"), id=gid)["order"]


def amount(bag: dict) -> str:
    return bag["shopMoney"]["amount"]


def place(address: dict | None) -> dict | None:
    return None if address is None else {key: address[key] for key in PLACE}


def test_a_vat_order_is_served_with_every_amount_as_given(shopify):
    # given
    before = shopify.control("GET", "clock")["now"]

    # when
    made = make(shopify, VAT_ORDER)
    [order] = updated_since(shopify, before)
    details = detail(shopify, made["id"])

    # then
    assert made == {"id": order["id"], "name": "#2001", "total": "119.00"}
    assert order["name"] == "#2001" and order["processedAt"] == "2025-03-11T10:00:00Z"
    assert order["createdAt"] >= before and order["updatedAt"] == order["createdAt"]
    assert order["currencyCode"] == order["presentmentCurrencyCode"] == "EUR" and order["taxesIncluded"] is True
    assert order["displayFinancialStatus"] == "PAID" and order["displayFulfillmentStatus"] == "FULFILLED"
    totals = {key: amount(order[key]) for key in ("subtotalPriceSet", "totalPriceSet", "totalTaxSet",
                                                   "totalDiscountsSet", "totalShippingPriceSet", "totalTipReceivedSet")}
    assert totals == {"subtotalPriceSet": "108.00", "totalPriceSet": "119.00", "totalTaxSet": "19.00",
                      "totalDiscountsSet": "12.00", "totalShippingPriceSet": "6.00", "totalTipReceivedSet": "5.00"}
    assert order["customer"]["email"] == "claire.fontaine@example.org"
    assert order["customer"]["displayName"] == "Claire Fontaine" and order["email"] == "claire.fontaine@example.org"

    [application] = order["discountApplications"]["nodes"]
    assert application == {"__typename": "DiscountCodeApplication", "index": 0, "allocationMethod": "ACROSS",
                           "targetType": "LINE_ITEM", "value": {"__typename": "PricingPercentageValue",
                                                                "percentage": 10.0}, "code": "TENOFF"}
    [line] = order["lineItems"]["nodes"]
    assert (line["name"], line["sku"], line["quantity"], line["isGiftCard"]) == ("Shirt", "SH-1", 2, False)
    assert amount(line["originalUnitPriceSet"]) == "60.00"
    assert [(t["title"], t["rate"], amount(t["priceSet"])) for t in line["taxLines"]] == [("VAT", 0.2, "18.00")]
    assert [(amount(a["allocatedAmountSet"]), a["discountApplication"]["index"])
            for a in line["discountAllocations"]] == [("12.00", 0)]
    [shipping] = order["shippingLines"]["nodes"]
    assert (shipping["title"], shipping["code"], amount(shipping["originalPriceSet"])) == ("Standard", "Standard",
                                                                                           "6.00")
    assert [(t["title"], amount(t["priceSet"])) for t in shipping["taxLines"]] == [("VAT", "1.00")]
    assert shipping["discountAllocations"] == []
    [sale] = order["transactions"]
    assert (sale["kind"], sale["status"], sale["gateway"], sale["processedAt"], amount(sale["amountSet"])) == \
        ("SALE", "SUCCESS", "shopify_payments", "2025-03-11T10:00:00Z", "119.00")

    assert place(details["billingAddress"]) == {
        "name": "Claire Fontaine", "company": "Atelier Fontaine", "address1": "12 rue de la Paix", "address2": None,
        "city": "Paris", "zip": "75002", "provinceCode": None, "countryCodeV2": "FR"}
    assert place(details["shippingAddress"])["address2"] == "3e étage"
    assert details["refunds"] == []
    [fulfillment_order] = details["fulfillmentOrders"]["nodes"]
    assert fulfillment_order["status"] == "CLOSED"
    assert [(item["totalQuantity"], item["remainingQuantity"], item["lineItem"]["id"])
            for item in fulfillment_order["lineItems"]["nodes"]] == [(2, 0, line["id"])]


def test_a_us_guest_order_excludes_tax_with_two_tax_lines_a_line_and_waits_unpaid_and_unshipped(us_shop, simulator):
    # given
    shop = shop_named(simulator, "demo-us")
    before = us_shop.control("GET", "clock")["now"]

    # when
    made = make(us_shop, US_ORDER, shop=shop.domain)
    [order] = updated_since(us_shop, before)
    details = detail(us_shop, made["id"])

    # then
    assert made["total"] == "123.15" and made["name"] == order["name"]
    assert order["name"] == f"{shop.profile.order_prefix}{1001 + shop.total_orders}"
    assert order["processedAt"] == order["createdAt"]
    assert order["taxesIncluded"] is False and order["currencyCode"] == "USD"
    assert order["displayFinancialStatus"] == "PENDING" and order["displayFulfillmentStatus"] == "UNFULFILLED"
    assert order["customer"] is None and order["email"] is None and order["transactions"] == []
    totals = {key: amount(order[key]) for key in ("subtotalPriceSet", "totalPriceSet", "totalTaxSet",
                                                   "totalDiscountsSet", "totalShippingPriceSet", "totalTipReceivedSet")}
    assert totals == {"subtotalPriceSet": "113.50", "totalPriceSet": "123.15", "totalTaxSet": "9.65",
                      "totalDiscountsSet": "11.50", "totalShippingPriceSet": "10.00", "totalTipReceivedSet": "0.00"}
    applications = order["discountApplications"]["nodes"]
    assert [(a["__typename"], a["index"], a["allocationMethod"], a["targetType"], a["value"], a.get("title"))
            for a in applications] == [
        ("AutomaticDiscountApplication", 0, "EACH", "LINE_ITEM", {"__typename": "MoneyV2", "amount": "0.50"},
         "Socks deal"),
        ("ManualDiscountApplication", 1, "EACH", "SHIPPING_LINE",
         {"__typename": "PricingPercentageValue", "percentage": 100.0}, "Free shipping")]
    boots, socks = order["lineItems"]["nodes"]
    assert [(t["title"], t["rate"], amount(t["priceSet"])) for t in boots["taxLines"]] == [
        ("NY State Tax", 0.04, "4.00"), ("New York City Tax", 0.045, "4.50")]
    assert boots["discountAllocations"] == []
    assert [amount(t["priceSet"]) for t in socks["taxLines"]] == ["0.54", "0.61"]
    assert [(amount(a["allocatedAmountSet"]), applications[a["discountApplication"]["index"]]["allocationMethod"])
            for a in socks["discountAllocations"]] == [("1.50", "EACH")]
    [shipping] = order["shippingLines"]["nodes"]
    assert (shipping["code"], shipping["taxLines"]) == ("ground", [])
    assert [(amount(a["allocatedAmountSet"]), applications[a["discountApplication"]["index"]]["targetType"])
            for a in shipping["discountAllocations"]] == [("10.00", "SHIPPING_LINE")]

    assert details["billingAddress"] is None
    assert place(details["shippingAddress"]) == {
        "name": "Sam Lee", "company": None, "address1": "350 Fifth Avenue", "address2": None, "city": "New York",
        "zip": "10118", "provinceCode": "NY", "countryCodeV2": "US"}
    [fulfillment_order] = details["fulfillmentOrders"]["nodes"]
    primary = shop.profile.locations[0]
    assert fulfillment_order["status"] == "OPEN"
    assert fulfillment_order["assignedLocation"]["location"] == {"id": primary.gid, "name": primary.name}
    assert [item["remainingQuantity"] for item in fulfillment_order["lineItems"]["nodes"]] == [1, 3]


def test_it_is_in_the_bulk_export_with_its_lines(shopify):
    # given
    made = make(shopify, VAT_ORDER)

    # when
    started = shopify.run("BulkOrders", query=product_document("OrdersBulkExport"))["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == []
    for _ in range(200):
        operation = shopify.run("BulkOperationStatus", id=started["bulkOperation"]["id"])["data"]["node"]
        if operation["status"] in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.05)
    rows = [json.loads(row) for row in requests.get(operation["url"], timeout=10).text.splitlines()]

    # then
    [order] = [row for row in rows if row.get("id") == made["id"]]
    children = [row for row in rows if row.get("__parentId") == made["id"]]
    assert amount(order["totalPriceSet"]) == "119.00" and order["processedAt"] == "2025-03-11T10:00:00Z"
    assert place(order["billingAddress"])["company"] == "Atelier Fontaine"
    [line] = [row for row in children if row.get("__typename") == "LineItem"]
    assert (line["sku"], line["quantity"], [amount(a["allocatedAmountSet"]) for a in line["discountAllocations"]]) \
        == ("SH-1", 2, ["12.00"])
    assert [row["title"] for row in children if row.get("__typename") == "ShippingLine"] == ["Standard"]
    assert [row["status"] for row in children if row.get("__typename") == "FulfillmentOrder"] == ["CLOSED"]


def test_any_name_is_taken_as_given_and_the_order_of_a_customer_of_the_shop_is_theirs(shopify):
    # given
    customer = shopify.run_text("{ customers(first: 1) { nodes { id email } } }")["customers"]["nodes"][0]
    long_name = "@2001-" + "x" * 300

    # when
    prefixed = make(shopify, {**VAT_ORDER, "name": "@2001", "customer": {"id": customer["id"]}})
    long = make(shopify, {**VAT_ORDER, "name": long_name})
    read = shopify.run_text("query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { name email customer { id } } } }",
                            ids=[prefixed["id"], long["id"]])["nodes"]

    # then
    assert read == [{"name": "@2001", "email": customer["email"], "customer": {"id": customer["id"]}},
                    {"name": long_name, "email": "claire.fontaine@example.org", "customer": read[1]["customer"]}]
    assert read[1]["customer"]["id"] != customer["id"]


def test_it_is_updated_and_announced_as_any_order(shopify, simulator):
    # given
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append((self.headers["X-Shopify-Topic"], json.loads(self.rfile.read(
                int(self.headers["Content-Length"])))))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/shopify/"
    for topic in ("ORDERS_CREATE", "ORDERS_UPDATED"):
        assert shopify.run("WebhookSubscribe", topic=topic, url=url)["data"]["webhookSubscriptionCreate"][
            "userErrors"] == []

    # when
    made = make(shopify, VAT_ORDER)
    updated = shopify.control("POST", "orders/update", id=made["id"], note="Gift wrap")
    simulator.webhooks.wait_idle()
    server.shutdown()
    order = shopify.run_text(
        "query($id: ID!) { order(id: $id) { note updatedAt totalPriceSet { shopMoney { amount } } } }",
        id=made["id"])["order"]

    # then
    assert [(topic, payload["admin_graphql_api_id"], payload["total_price"]) for topic, payload in received] == [
        ("orders/create", made["id"], "119.00"), ("orders/updated", made["id"], "119.00")]
    assert received[1][1]["note"] == "Gift wrap"
    assert order == {"note": "Gift wrap", "updatedAt": updated["updatedAt"], "totalPriceSet": {"shopMoney": {
        "amount": "119.00"}}}


def _with(change) -> dict:
    order = copy.deepcopy(VAT_ORDER)
    change(order)
    return order


@pytest.mark.parametrize(("order", "message"), [
    (_with(lambda o: o["lines"][0].update(discounts=[[3, "12.00"]])), "no discount application has index 3"),
    (_with(lambda o: o["lines"][0].update(quantity=-2)), "quantity is a whole number from 1"),
    (_with(lambda o: o["lines"][0].update(price="60.001")), "more than two decimals"),
    (_with(lambda o: o["lines"][0].update(discounts=[[0, "130.00"]])), "discounts come to more than"),
    (_with(lambda o: o["shipping_lines"][0].update(discounts=[[0, "1.00"]])), "targets LINE_ITEM, not SHIPPING_LINE"),
    (_with(lambda o: o["discount_applications"][0].update(index=1)), "indexes are 0 to 0"),
    (_with(lambda o: o["discount_applications"][0].update(allocation_method="SOME")), "allocation_method"),
    (_with(lambda o: o.update(currency="JPY")), "currency 'JPY'"),
    (_with(lambda o: o.update(processed_at="2999-01-01T00:00:00Z")), "later than the simulator's now"),
    (_with(lambda o: o.update(lines=[])), "at least one line"),
    (_with(lambda o: o.update(colour="blue")), "unknown fields: colour"),
    (_with(lambda o: o["lines"][0].update(variant_id="gid://shopify/ProductVariant/1")), "no variant"),
    (_with(lambda o: o["lines"][0].update(gift_card=True)), "a gift card carries no tax or discount"),
    (_with(lambda o: o.update(customer={"id": "gid://shopify/Customer/1"})), "no customer"),
])
def test_a_specification_that_contradicts_itself_is_refused_with_a_message(shopify, order, message):
    # given
    count = shopify.run("OrdersCount")["data"]["ordersCount"]["count"]

    # when
    response = post_spec(shopify, {"order": order})

    # then
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert shopify.run("OrdersCount")["data"]["ordersCount"]["count"] == count


def test_an_order_in_a_presented_currency_with_variant_custom_and_gift_card_lines_ships_through_the_api(shopify):
    # given
    variant = shopify.run_text("{ productVariants(first: 1) { nodes { id sku title product { id title } } } }")[
        "productVariants"]["nodes"][0]
    spec = {"currency": "USD", "taxes_included": True, "paid": True, "lines": [
        {"variant_id": variant["id"], "quantity": 1, "price": "21.60", "taxes": [["FR TVA", "0.2", "3.60"]]},
        {"title": "Gift card", "quantity": 1, "price": "54.00", "gift_card": True},
        {"title": "Engraving", "sku": None, "quantity": 2, "price": "5.40"}]}

    # when
    made = make(shopify, spec)
    order = shopify.run_text(MIXED, id=made["id"])["order"]
    open_orders = [fo for fo in order["fulfillmentOrders"]["nodes"] if fo["status"] == "OPEN"]
    shipped = shopify.run_text(FULFILL, fulfillment={"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": fo["id"]} for fo in open_orders]})["fulfillmentCreate"]

    # then: amounts as given in USD, in EUR at the shop's rate for USD (1.08)
    assert made["total"] == "86.40" and order["presentmentCurrencyCode"] == "USD"
    assert order["totalPriceSet"] == {"shopMoney": {"amount": "80.00"}, "presentmentMoney": {"amount": "86.40"}}
    assert order["totalTaxSet"] == {"shopMoney": {"amount": "3.33"}, "presentmentMoney": {"amount": "3.60"}}
    kept, gift_card, engraving = order["lineItems"]["nodes"]
    assert (kept["name"], kept["title"], kept["variantTitle"], kept["sku"], kept["variant"], kept["product"]) == (
        f"{variant['product']['title']} - {variant['title']}", variant["product"]["title"], variant["title"],
        variant["sku"], {"id": variant["id"]}, {"id": variant["product"]["id"]})
    assert (gift_card["isGiftCard"], gift_card["requiresShipping"], gift_card["variant"]) == (True, False, None)
    assert (engraving["name"], engraving["sku"], engraving["vendor"], engraving["variant"], engraving["product"]) \
        == ("Engraving", None, None, None, None)
    assert engraving["originalTotalSet"] == {"shopMoney": {"amount": "10.00"}, "presentmentMoney": {"amount": "10.80"}}
    assert order["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"    # the gift card, at once
    assert [[item["lineItem"]["name"] for item in fo["lineItems"]["nodes"]] for fo in open_orders] == [
        [kept["name"], "Engraving"]]
    assert shipped["userErrors"] == [] and shipped["fulfillment"]["order"]["displayFulfillmentStatus"] == "FULFILLED"


def test_its_views_have_the_schemas_shape(shopify, us_shop, simulator):
    # given
    made = [make(shopify, VAT_ORDER), make(us_shop, US_ORDER, shop="demo-us.myshopify.com"),
            make(shopify, {"currency": "GBP", "lines": [{"title": "Gift card", "quantity": 1, "price": "25.00",
                                                          "gift_card": True}]})]

    # when
    views = [(shop, shop.orders.view(int(answer["id"].rsplit("/", 1)[1]) - shop.generator.order_id_base))
             for shop, answer in zip((simulator.shops[0], shop_named(simulator, "demo-us"), simulator.shops[0]), made)]

    # then
    for shop, view in views:
        assert_conforms(view, admin_schema().get_type("Order"), f"{shop.profile.handle} {view['name']}")
