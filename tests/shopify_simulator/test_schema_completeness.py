"""What the schema promises, the simulator answers: a query built from Shopify's schema, selecting
every field of a served type that takes no required argument (scalars and enums, and non-null object
fields one level down), runs for several objects of that type without an error. A real client's
ordinary query must never meet "Cannot return null for non-nullable field"."""
from __future__ import annotations

import time

import pytest
from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, Undefined, get_named_type

from shopify_simulator.api.registry import NODE_TYPES
from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.schema import admin_schema

SCHEMA = admin_schema()


def takes_no_required_argument(field) -> bool:
    return not any(isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
                   for arg in field.args.values())


def selection(type_name: str, depth: int = 1) -> str:
    """Every field of `type_name` a client can ask for without arguments, as a selection set."""
    chosen = []
    for name, field in SCHEMA.get_type(type_name).fields.items():
        if field.deprecation_reason or not takes_no_required_argument(field):
            continue
        base = get_named_type(field.type)
        if isinstance(base, (GraphQLScalarType, GraphQLEnumType)):
            chosen.append(name)
        elif depth and isinstance(field.type, GraphQLNonNull):
            if base.name.endswith("Connection"):
                chosen.append(f"{name}(first: 2) {{ pageInfo {{ hasNextPage }} }}")
            elif isinstance(base, GraphQLObjectType):
                chosen.append(f"{name} {{ {selection(base.name, depth - 1) or '__typename'} }}")
            else:   # an interface or a union
                chosen.append(f"{name} {{ __typename }}")
    return " ".join(chosen)


def query(path: str, type_name: str) -> str:
    """`path` leads from a root to objects of `type_name`, e.g. "orders(first: 5) { nodes { lineItems";
    the query selects every field of those objects."""
    return "{ %s { __typename %s }%s }" % (path, selection(type_name), " }" * path.count("{"))


def on_nodes(type_name: str, ids: list[str]) -> str:
    return "{ nodes(ids: [%s]) { __typename ... on %s { %s } } }" % (
        ", ".join(f'"{gid}"' for gid in ids), type_name, selection(type_name))


RETURNED = 'orders(first: 8, query: "-return_status:no_return")'   # orders with returns
# The type each query checks, and where its objects come from: the roots the simulator answers.
QUERIES = {
    "Shop": query("shop", "Shop"),
    "AppInstallation": query("currentAppInstallation", "AppInstallation"),
    "Location": query("locations(first: 5) { nodes", "Location"),
    "Customer": query("customers(first: 5) { nodes", "Customer"),
    "Order": query("orders(first: 8) { nodes", "Order"),
    "LineItem": query("orders(first: 5) { nodes { lineItems(first: 5) { nodes", "LineItem"),
    "ShippingLine": query("orders(first: 10) { nodes { shippingLines(first: 2) { nodes", "ShippingLine"),
    "OrderTransaction": query("orders(first: 20) { nodes { transactions", "OrderTransaction"),
    "Refund": query("orders(first: 40) { nodes { refunds", "Refund"),
    "RefundLineItem": query("orders(first: 40) { nodes { refunds { refundLineItems(first: 3) { nodes",
                            "RefundLineItem"),
    "FulfillmentOrder": query("orders(first: 20, reverse: true) { nodes { fulfillmentOrders(first: 3) { nodes",
                              "FulfillmentOrder"),
    "FulfillmentOrderLineItem": query(
        "orders(first: 10) { nodes { fulfillmentOrders(first: 3) { nodes { lineItems(first: 3) { nodes",
        "FulfillmentOrderLineItem"),
    "Fulfillment": query("orders(first: 30) { nodes { fulfillments", "Fulfillment"),
    "FulfillmentOrder of the shop": query("fulfillmentOrders(first: 10, includeClosed: true) { nodes",
                                          "FulfillmentOrder"),
    "FulfillmentLineItem": query(
        "orders(first: 30) { nodes { fulfillments { fulfillmentLineItems(first: 3) { nodes", "FulfillmentLineItem"),
    "Product": query("products(first: 10) { nodes", "Product"),
    "ProductVariant": query("productVariants(first: 20) { nodes", "ProductVariant"),
    "InventoryItem": query("productVariants(first: 20) { nodes { inventoryItem", "InventoryItem"),
    "InventoryLevel": query("locations(first: 3) { nodes { inventoryLevels(first: 10) { nodes", "InventoryLevel"),
    "MediaImage": query("files(first: 10) { nodes { ... on MediaImage", "MediaImage"),
    "MediaImage of a product": query("products(first: 5) { nodes { media(first: 3) { nodes { ... on MediaImage",
                                     "MediaImage"),
    "Image": query("products(first: 10) { nodes { images(first: 3) { nodes", "Image"),
    "ShopifyPaymentsAccount": query("shopifyPaymentsAccount", "ShopifyPaymentsAccount"),
    "ShopifyPaymentsPayout": query("shopifyPaymentsAccount { payouts(first: 5) { nodes", "ShopifyPaymentsPayout"),
    "ShopifyPaymentsBalanceTransaction": query("shopifyPaymentsAccount { balanceTransactions(first: 10) { nodes",
                                               "ShopifyPaymentsBalanceTransaction"),
    "ShopifyPaymentsBalanceTransaction of the account": query(
        'shopifyPaymentsAccount { balanceTransactions(first: 10, query: "-type:charge -type:refund") { nodes',
        "ShopifyPaymentsBalanceTransaction"),
    "ShopifyPaymentsAdjustmentOrder": query(
        'shopifyPaymentsAccount { balanceTransactions(first: 10, query: "type:adjustment") { nodes { adjustmentsOrders',
        "ShopifyPaymentsAdjustmentOrder"),
    "ShopifyPaymentsDispute": query("shopifyPaymentsAccount { disputes(first: 5) { nodes", "ShopifyPaymentsDispute"),
    "ShopifyPaymentsDispute at the root": query("disputes(first: 5, reverse: true) { nodes", "ShopifyPaymentsDispute"),
    "ShopifyPaymentsDisputeReasonDetails": query("disputes(first: 5) { nodes { reasonDetails",
                                                 "ShopifyPaymentsDisputeReasonDetails"),
    "ShopifyPaymentsPayoutSummary": query("shopifyPaymentsAccount { payouts(first: 5) { nodes { summary",
                                          "ShopifyPaymentsPayoutSummary"),
    "Return": query(f"{RETURNED} {{ nodes {{ returns(first: 3) {{ nodes", "Return"),
    "ReturnLineItem": query(f"{RETURNED} {{ nodes {{ returns(first: 3) {{ nodes {{ returnLineItems(first: 3) {{ nodes "
                            "{ ... on ReturnLineItem", "ReturnLineItem"),
    "ReverseFulfillmentOrder": query(f"{RETURNED} {{ nodes {{ returns(first: 3) {{ nodes {{ "
                                     "reverseFulfillmentOrders(first: 2) { nodes", "ReverseFulfillmentOrder"),
    "ReverseFulfillmentOrderLineItem": query(
        f"{RETURNED} {{ nodes {{ returns(first: 3) {{ nodes {{ reverseFulfillmentOrders(first: 2) {{ nodes {{ "
        "lineItems(first: 3) { nodes", "ReverseFulfillmentOrderLineItem"),
}


# Served, and checked by a test of their own below.
CHECKED_ELSEWHERE = {"WebhookSubscription", "BulkOperation"}
# Types served but not checked yet: a new type's query belongs above (or in B2B_QUERIES) once it is served.
NOT_YET_CHECKED: set[str] = set()

# B2B types, asked of demo-uk (the first shop sells to consumers only), found as QUERIES' are.
B2B_QUERIES = {
    "Company": query("companies(first: 5) { nodes", "Company"),
    "CompanyLocation": query("companyLocations(first: 10) { nodes", "CompanyLocation"),
    "CompanyContact": query("companies(first: 5) { nodes { contacts(first: 3) { nodes", "CompanyContact"),
    "CompanyContactRole": query("companies(first: 5) { nodes { contactRoles(first: 2) { nodes", "CompanyContactRole"),
    "CompanyContactRoleAssignment": query(
        "companyLocations(first: 5) { nodes { roleAssignments(first: 3) { nodes", "CompanyContactRoleAssignment"),
    "CompanyAddress": query("companyLocations(first: 5) { nodes { billingAddress", "CompanyAddress"),
    "CompanyAddress for shipping": query("companyLocations(first: 5) { nodes { shippingAddress", "CompanyAddress"),
    "CompanyLocationCatalog": query(
        "catalogs(first: 10, type: COMPANY_LOCATION) { nodes { ... on CompanyLocationCatalog",
        "CompanyLocationCatalog"),
    "MarketCatalog": query("catalogs(first: 10, type: MARKET) { nodes { ... on MarketCatalog", "MarketCatalog"),
    "PriceList": query("priceLists(first: 10) { nodes", "PriceList"),
    "PriceListPrice": query("priceLists(first: 3) { nodes { prices(first: 10) { nodes", "PriceListPrice"),
    "Publication": query("publications(first: 10) { nodes", "Publication"),
    "Market": query("companyLocations(first: 10) { nodes { market", "Market"),
    "PaymentTermsTemplate": query("paymentTermsTemplates", "PaymentTermsTemplate"),
    "Customer who is a company contact": query("companies(first: 5) { nodes { mainContact { customer", "Customer"),
    "Order placed for a company": query("companies(first: 7) { nodes { orders(first: 2) { nodes", "Order"),
}
ONE_IN_THE_SHOP = {"MarketCatalog"}   # demo-uk sells abroad in one market (Ireland)


def answer(shopify, query: str) -> dict:
    response = shopify.post(query)
    body = response.json()
    assert response.status_code == 200
    assert not body.get("errors"), body.get("errors")[:3]
    assert body["data"]
    return body["data"]


@pytest.fixture
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


SINGLE = {"Shop", "AppInstallation", "ShopifyPaymentsAccount"}


@pytest.mark.parametrize("type_name", QUERIES)
def test_every_field_the_schema_promises_is_answered(unlimited, shopify, type_name):
    data = answer(shopify, QUERIES[type_name])

    found = _typenames(data).count(type_name.split()[0])
    assert found >= (1 if type_name in SINGLE else 2), f"{found} {type_name} checked"


def test_every_type_found_by_id_is_checked():
    """A type `node(id:)` answers is one this test checks (a new resource adds its query above)."""
    checked = {name.split()[0] for name in (*QUERIES, *B2B_QUERIES)} | CHECKED_ELSEWHERE

    assert set(NODE_TYPES) - checked - NOT_YET_CHECKED == set()


@pytest.mark.parametrize("type_name", ["Refund", "FulfillmentOrder", "Fulfillment", "Order", "Customer", "Product",
                                       "ShopifyPaymentsPayout", "ShopifyPaymentsBalanceTransaction",
                                       "ShopifyPaymentsDispute", "Return", "ReverseFulfillmentOrder"])
def test_every_field_is_answered_for_objects_found_by_id(unlimited, shopify, type_name):
    ids = {
        "Refund": "{ orders(first: 40) { nodes { refunds { id } } } }",
        "FulfillmentOrder": "{ orders(first: 10) { nodes { fulfillmentOrders(first: 3) { nodes { id } } } } }",
        "Fulfillment": "{ orders(first: 30) { nodes { fulfillments { id } } } }",
        "Order": "{ orders(first: 5) { nodes { id } } }",
        "Customer": "{ customers(first: 5) { nodes { id } } }",
        "Product": "{ products(first: 5) { nodes { id } } }",
        "ShopifyPaymentsPayout": "{ shopifyPaymentsAccount { payouts(first: 5) { nodes { id } } } }",
        "ShopifyPaymentsBalanceTransaction":
            "{ shopifyPaymentsAccount { balanceTransactions(first: 5) { nodes { id } } } }",
        "ShopifyPaymentsDispute": "{ disputes(first: 5) { nodes { id } } }",
        "Return": "{ %s { nodes { returns(first: 3) { nodes { id } } } } }" % RETURNED,
        "ReverseFulfillmentOrder": "{ %s { nodes { returns(first: 3) { nodes { reverseFulfillmentOrders(first: 2) "
                                   "{ nodes { id } } } } } } }" % RETURNED,
    }
    found = _ids(answer(shopify, ids[type_name]))
    assert len(found) >= 2, found

    nodes = answer(shopify, on_nodes(type_name, found[:5]))["nodes"]

    assert [node["__typename"] for node in nodes] == [type_name] * len(found[:5])


@pytest.mark.parametrize("type_name", B2B_QUERIES)
def test_every_field_a_b2b_shop_promises_is_answered(demo_uk, type_name):
    """Companies, their locations, contacts, roles and addresses, catalogs, publications, price lists
    and their prices, markets and payment terms: every field answers, for several of each."""
    data = answer(demo_uk, B2B_QUERIES[type_name])

    found = _typenames(data).count(type_name.split()[0])
    assert found >= (1 if type_name in ONE_IN_THE_SHOP else 2), f"{found} {type_name} checked"


@pytest.mark.parametrize("type_name", ["Company", "CompanyLocation", "CompanyContact", "CompanyLocationCatalog",
                                       "PriceList", "Publication"])
def test_every_b2b_field_is_answered_for_objects_found_by_id(demo_uk, type_name):
    ids = {
        "Company": "{ companies(first: 5) { nodes { id } } }",
        "CompanyLocation": "{ companyLocations(first: 5) { nodes { id } } }",
        "CompanyContact": "{ companies(first: 5) { nodes { contacts(first: 2) { nodes { id } } } } }",
        "CompanyLocationCatalog": "{ catalogs(first: 5, type: COMPANY_LOCATION) { nodes { id } } }",
        "PriceList": "{ priceLists(first: 5) { nodes { id } } }",
        "Publication": "{ publications(first: 5) { nodes { id } } }",
    }
    found = _ids(answer(demo_uk, ids[type_name]))
    assert len(found) >= 2, found

    nodes = answer(demo_uk, on_nodes(type_name, found[:5]))["nodes"]

    assert [node["__typename"] for node in nodes] == [type_name] * len(found[:5])


def test_webhook_subscriptions_answer_every_field(unlimited, shopify):
    for topic, form in (("ORDERS_UPDATED", "JSON"), ("PRODUCTS_UPDATE", "JSON"), ("APP_UNINSTALLED", "JSON")):
        created = shopify.run_text(
            'mutation { webhookSubscriptionCreate(topic: %s, webhookSubscription: {callbackUrl: "https://example.com/'
            '%s", format: %s}) { webhookSubscription { id } userErrors { message } } }' % (topic, topic, form))
        assert not created["webhookSubscriptionCreate"]["userErrors"]

    listed = answer(shopify, "{ webhookSubscriptions(first: 5) { nodes { %s } } }" % selection("WebhookSubscription"))

    subscriptions = listed["webhookSubscriptions"]["nodes"]
    assert len(subscriptions) == 3
    answer(shopify, on_nodes("WebhookSubscription", [s["id"] for s in subscriptions]))


def test_bulk_operations_answer_every_field_while_running_and_when_done(unlimited, shopify):
    started = shopify.run_text('mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }") '
                               "{ bulkOperation { %s } userErrors { message } } }" % selection("BulkOperation"))
    assert not started["bulkOperationRunQuery"]["userErrors"]
    gid = started["bulkOperationRunQuery"]["bulkOperation"]["id"]

    deadline = time.monotonic() + 10
    while answer(shopify, "{ currentBulkOperation { status } }")["currentBulkOperation"]["status"] != "COMPLETED":
        assert time.monotonic() < deadline
        time.sleep(0.05)

    current = answer(shopify, "{ currentBulkOperation { %s } }" % selection("BulkOperation"))
    assert current["currentBulkOperation"]["id"] == gid
    answer(shopify, on_nodes("BulkOperation", [gid]))


def _typenames(value) -> list[str]:
    if isinstance(value, dict):
        return [value.get("__typename"), *(name for item in value.values() for name in _typenames(item))]
    if isinstance(value, list):
        return [name for item in value for name in _typenames(item)]
    return []


def _ids(value) -> list[str]:
    if isinstance(value, dict):
        return [value["id"]] if "id" in value else [gid for item in value.values() for gid in _ids(item)]
    if isinstance(value, list):
        return [gid for item in value for gid in _ids(item)]
    return []


def test_single_customers_and_locations_are_found_by_id(shopify):
    customers = shopify.run_text("{ customers(first: 1) { nodes { id email } } }")["customers"]["nodes"]
    locations = shopify.run_text("{ locations(first: 2) { nodes { id name } } }")["locations"]["nodes"]

    one = shopify.run_text('{ customer(id: "%s") { email taxExempt taxExemptions } }' % customers[0]["id"])
    place = shopify.run_text('{ location(id: "%s") { name legacyResourceId } }' % locations[1]["id"])
    primary = shopify.run_text("{ location { id } }")

    assert one["customer"] == {"email": customers[0]["email"], "taxExempt": False, "taxExemptions": []}
    assert place["location"]["name"] == locations[1]["name"]
    assert place["location"]["legacyResourceId"] == locations[1]["id"].rsplit("/", 1)[1]
    assert primary["location"]["id"] == locations[0]["id"]


def test_refunds_and_fulfillment_orders_answer_their_own_order_as_it_is_now(shopify):
    """A refund's, a fulfillment order's and a fulfillment's order is the order they belong to, with
    any change made since; a fulfillment and its fulfillment order point at each other."""
    # given
    orders = shopify.run_text("{ orders(first: 40) { nodes { id refunds { id } } } }")["orders"]["nodes"]
    refunded = next(order for order in orders if order["refunds"])
    shopify.run_text('mutation { orderUpdate(input: {id: "%s", note: "Refund checked"}) { userErrors { message } } }'
                     % refunded["id"])
    # when
    listed = shopify.run_text("{ orders(first: 40) { nodes { id refunds { order { id note } } } } }")["orders"]["nodes"]
    shipping = shopify.run_text(
        "{ orders(first: 10) { nodes { id fulfillmentOrders(first: 2) { nodes { id order { id } "
        "fulfillmentOrdersForMerge(first: 2) { nodes { id } } fulfillments(first: 2) { nodes { id order { id } "
        "fulfillmentOrders(first: 2) { nodes { id } } } } } } } } }")["orders"]["nodes"]
    found = shopify.run_text('{ node(id: "%s") { ... on Refund { order { id note } } } }'
                             % refunded["refunds"][0]["id"])["node"]
    # then
    assert found["order"] == {"id": refunded["id"], "note": "Refund checked"}
    for order in listed:
        assert all(refund["order"]["id"] == order["id"] for refund in order["refunds"])
    shipped = 0
    for order in shipping:
        for fulfillment_order in order["fulfillmentOrders"]["nodes"]:
            assert fulfillment_order["order"]["id"] == order["id"]
            assert fulfillment_order["fulfillmentOrdersForMerge"]["nodes"] == []
            for fulfillment in fulfillment_order["fulfillments"]["nodes"]:
                shipped += 1
                assert fulfillment["order"]["id"] == order["id"]
                assert fulfillment["fulfillmentOrders"]["nodes"] == [{"id": fulfillment_order["id"]}]
    assert next(o for o in listed if o["id"] == refunded["id"])["refunds"][0]["order"]["note"] == "Refund checked"
    assert shipped >= 2


def test_the_shop_answers_from_its_profile_and_its_store(shopify):
    """The shop opened before its first order, is billed at its primary location, and its currency
    settings are the currencies it presents prices in."""
    # when
    data = shopify.run_text(
        "{ shop { createdAt updatedAt enabledPresentmentCurrencies currencyCode billingAddress { city zip "
        "countryCodeV2 } currencySettings(first: 10) { nodes { currencyCode enabled } } shopOwnerName "
        "accountOwner { name email isShopOwner } email } "
        "orders(first: 1, sortKey: CREATED_AT) { nodes { createdAt } } "
        "location { address { city zip countryCode } } }")
    # then
    shop = data["shop"]
    assert shop["createdAt"] <= shop["updatedAt"] and shop["createdAt"] < data["orders"]["nodes"][0]["createdAt"]
    address = data["location"]["address"]
    assert shop["billingAddress"] == {"city": address["city"], "zip": address["zip"],
                                      "countryCodeV2": address["countryCode"]}
    assert [s["currencyCode"] for s in shop["currencySettings"]["nodes"]] == shop["enabledPresentmentCurrencies"]
    assert shop["enabledPresentmentCurrencies"][0] == shop["currencyCode"]
    assert shop["accountOwner"] == {"name": shop["shopOwnerName"], "email": shop["email"], "isShopOwner": True}
