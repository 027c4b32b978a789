"""Shipping and closing orders over HTTP as a connector does (report 30109 and the archiving after
it): open fulfillment orders listed per order and for the shop, fulfilled whole or in part with
tracking and read back; closed and third-party fulfillment orders and too many units refused with
userErrors that change nothing; fulfillments/create and orders/updated sent; orders closed and
updated, each change coming back by webhook; a B2B order answering the company it was bought for."""
from __future__ import annotations

import json

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.fixtures.shopify_simulator import ShopifyHttp
from tests.shopify_simulator.test_schema_completeness import on_nodes, selection
from tests.shopify_simulator.test_webhooks import receiver, subscribe, wait_for  # noqa: F401  (receiver: fixture)

FULFILLMENT_ORDER = """id status requestStatus updatedAt orderId
  assignedLocation { name location { id isFulfillmentService } }
  supportedActions { action }
  lineItems(first: 5) { nodes { id totalQuantity remainingQuantity lineItem { id quantity unfulfilledQuantity } } }"""
ORDERS = """query($after: String) { orders(first: 16, after: $after) {
  nodes { id name updatedAt closed displayFinancialStatus displayFulfillmentStatus
    fulfillmentOrders(first: 3) { nodes { %s } } }
  pageInfo { hasNextPage endCursor } } }""" % FULFILLMENT_ORDER
ORDER = """query($id: ID!) { order(id: $id) { id updatedAt closed closedAt displayFulfillmentStatus
  customAttributes { key value } tags
  fulfillments { id name status createdAt totalQuantity location { id }
    trackingInfo { company number url } fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }
    fulfillmentOrders(first: 5) { nodes { id status } } }
  fulfillmentOrders(first: 3) { nodes { %s } } } }""" % FULFILLMENT_ORDER
CREATE = """mutation($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {
  fulfillment { id status name totalQuantity createdAt location { id } trackingInfo { company number url }
    fulfillmentLineItems(first: 10) { nodes { quantity lineItem { id } } }
    order { id displayFulfillmentStatus }
    fulfillmentOrders(first: 5) { nodes { id status } } }
  userErrors { field message } } }"""
CLOSE = """mutation($id: ID!) { orderClose(input: {id: $id}) { order { id closed closedAt updatedAt }
  userErrors { field message } } }"""
UPDATE = """mutation($input: OrderInput!) { orderUpdate(input: $input) { order { id updatedAt tags
  customAttributes { key value } } userErrors { field message } } }"""
TRACKING = {"company": "UPS", "number": "1Z999AA10123456784", "url": "https://www.ups.com/track?tracknum=1Z999AA1"}


@pytest.fixture(autouse=True)
def unlimited(simulator):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


def orders(shopify) -> list[dict]:
    """Every order with its fulfillment orders, page by page."""
    found, after = [], None
    while True:
        page = shopify.run_text(ORDERS, after=after)["orders"]
        found.extend(page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


def fulfillment_orders(order: dict) -> list[dict]:
    return order["fulfillmentOrders"]["nodes"]


def open_at_own_location(shopify, *, units: int = 1) -> tuple[dict, dict]:
    """(order, fulfillment order) of an open fulfillment order at one of the shop's own locations
    holding a line of at least `units` units."""
    for order in orders(shopify):
        for fo in fulfillment_orders(order):
            if fo["status"] == "OPEN" and not fo["assignedLocation"]["location"]["isFulfillmentService"] \
                    and any(item["remainingQuantity"] >= units for item in fo["lineItems"]["nodes"]):
                return order, fo
    raise AssertionError("no open fulfillment order at an own location")


def read(shopify, order_id: str) -> dict:
    return shopify.run_text(ORDER, id=order_id)["order"]


def test_orders_have_open_fulfillment_orders_per_location_some_at_the_fulfillment_service(shopify):
    """Recent orders wait to be shipped: open fulfillment orders with units left, most at the shop's
    own locations, some at the fulfillment service's warehouse, which the merchant cannot ship."""
    found = [fo for order in orders(shopify) for fo in fulfillment_orders(order) if fo["status"] == "OPEN"]

    own = [fo for fo in found if not fo["assignedLocation"]["location"]["isFulfillmentService"]]
    service = [fo for fo in found if fo["assignedLocation"]["location"]["isFulfillmentService"]]
    assert len(own) >= 5 and service
    assert len({fo["assignedLocation"]["location"]["id"] for fo in own}) == 2
    assert all(item["remainingQuantity"] == item["totalQuantity"] > 0 for fo in found
               for item in fo["lineItems"]["nodes"])
    assert all("CREATE_FULFILLMENT" in {a["action"] for a in fo["supportedActions"]} for fo in own)
    assert all("CREATE_FULFILLMENT" not in {a["action"] for a in fo["supportedActions"]} for fo in service)


def test_the_shop_lists_its_open_fulfillment_orders_and_finds_one_by_id(shopify):
    listed = shopify.run_text("""{ fulfillmentOrders(first: 250) { nodes { id status orderId } } }""")
    every = shopify.run_text("""{ fulfillmentOrders(first: 250, includeClosed: true) { nodes { id status } } }""")
    first_page = shopify.run_text("""{ fulfillmentOrders(first: 3) { nodes { id }
      pageInfo { hasNextPage endCursor } } }""")["fulfillmentOrders"]
    second_page = shopify.run_text("""query($after: String) { fulfillmentOrders(first: 3, after: $after) {
      nodes { id } } }""", after=first_page["pageInfo"]["endCursor"])["fulfillmentOrders"]
    assigned = shopify.run_text("""{ assignedFulfillmentOrders(first: 10) { nodes { id } } }""")

    open_ids = [fo["id"] for order in orders(shopify) for fo in fulfillment_orders(order) if fo["status"] == "OPEN"]
    nodes = listed["fulfillmentOrders"]["nodes"]
    assert [fo["id"] for fo in nodes] == sorted(open_ids, key=lambda gid: int(gid.rsplit("/", 1)[1]))
    assert any(fo["status"] == "CLOSED" for fo in every["fulfillmentOrders"]["nodes"])
    assert [fo["id"] for fo in first_page["nodes"] + second_page["nodes"]] == [fo["id"] for fo in nodes[:6]]
    assert assigned["assignedFulfillmentOrders"]["nodes"] == []   # the app runs no fulfillment service
    one = shopify.run_text("query($id: ID!) { fulfillmentOrder(id: $id) { id orderId } }", id=nodes[0]["id"])
    assert one["fulfillmentOrder"] == {"id": nodes[0]["id"], "orderId": nodes[0]["orderId"]}


def test_an_open_fulfillment_order_fulfilled_with_tracking_is_read_back(shopify):
    # given
    order, fo = open_at_own_location(shopify)
    # when
    created = shopify.run_text(CREATE, fulfillment={"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}],
                                                    "trackingInfo": TRACKING, "notifyCustomer": True})
    # then
    answer = created["fulfillmentCreate"]
    assert answer["userErrors"] == []
    fulfillment = answer["fulfillment"]
    units = sum(item["remainingQuantity"] for item in fo["lineItems"]["nodes"])
    assert fulfillment["status"] == "SUCCESS" and fulfillment["totalQuantity"] == units
    assert fulfillment["trackingInfo"] == [TRACKING]
    assert fulfillment["location"]["id"] == fo["assignedLocation"]["location"]["id"]
    assert fulfillment["fulfillmentOrders"]["nodes"] == [{"id": fo["id"], "status": "CLOSED"}]
    after = read(shopify, order["id"])
    assert after["updatedAt"] > order["updatedAt"]
    still_open = [other for other in fulfillment_orders(after) if other["status"] in ("OPEN", "IN_PROGRESS")]
    assert after["displayFulfillmentStatus"] == ("PARTIALLY_FULFILLED" if still_open else "FULFILLED")
    shipped = next(other for other in fulfillment_orders(after) if other["id"] == fo["id"])
    assert shipped["status"] == "CLOSED" and shipped["supportedActions"] == []
    assert all(item["remainingQuantity"] == 0 and item["lineItem"]["unfulfilledQuantity"] == 0
               for item in shipped["lineItems"]["nodes"])
    read_back = next(f for f in after["fulfillments"] if f["id"] == fulfillment["id"])
    assert read_back["trackingInfo"] == [TRACKING] and read_back["name"] == fulfillment["name"]
    by_id = shopify.run_text("query($id: ID!) { fulfillment(id: $id) { id trackingInfo { number } } }",
                             id=fulfillment["id"])["fulfillment"]
    assert by_id == {"id": fulfillment["id"], "trackingInfo": [{"number": TRACKING["number"]}]}
    node = shopify.run_text('query($id: ID!) { node(id: $id) { ... on Fulfillment { id } } }', id=fulfillment["id"])
    assert node["node"] == {"id": fulfillment["id"]}


def test_a_whole_order_fulfilled_is_fulfilled_and_closed_when_paid(shopify):
    """Shipping every open fulfillment order of a paid order fulfils it, and Shopify archives it."""
    # given
    order = next(o for o in orders(shopify) if o["displayFinancialStatus"] == "PAID" and not o["closed"]
                 and fulfillment_orders(o) and all(
                     fo["status"] != "OPEN" or not fo["assignedLocation"]["location"]["isFulfillmentService"]
                     for fo in fulfillment_orders(o))
                 and any(fo["status"] == "OPEN" for fo in fulfillment_orders(o)))
    # when
    for fo in fulfillment_orders(order):
        if fo["status"] == "OPEN":
            answer = shopify.run_text(CREATE, fulfillment={
                "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]})["fulfillmentCreate"]
            assert answer["userErrors"] == []
    # then
    after = read(shopify, order["id"])
    assert after["displayFulfillmentStatus"] == "FULFILLED"
    assert after["closed"] and after["closedAt"]
    assert all(fo["status"] == "CLOSED" for fo in fulfillment_orders(after))


def test_part_of_a_line_shipped_leaves_the_fulfillment_order_in_progress_with_the_rest(shopify):
    # given
    order, fo = open_at_own_location(shopify, units=2)
    item = next(item for item in fo["lineItems"]["nodes"] if item["remainingQuantity"] >= 2)
    # when
    answer = shopify.run_text(CREATE, fulfillment={"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": [{"id": item["id"], "quantity": 1}]}],
        "trackingInfo": {"company": "DHL Express", "numbers": ["JD01", "JD02"]}})["fulfillmentCreate"]
    # then
    assert answer["userErrors"] == []
    assert answer["fulfillment"]["totalQuantity"] == 1
    assert [t["number"] for t in answer["fulfillment"]["trackingInfo"]] == ["JD01", "JD02"]
    assert answer["fulfillment"]["order"]["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"
    after = read(shopify, order["id"])
    partly = next(other for other in fulfillment_orders(after) if other["id"] == fo["id"])
    assert partly["status"] == "IN_PROGRESS"
    left = next(i for i in partly["lineItems"]["nodes"] if i["id"] == item["id"])
    assert left["remainingQuantity"] == item["remainingQuantity"] - 1
    assert left["lineItem"]["unfulfilledQuantity"] == item["lineItem"]["unfulfilledQuantity"] - 1
    # the rest can still be shipped
    rest = shopify.run_text(CREATE, fulfillment={"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]})
    assert rest["fulfillmentCreate"]["userErrors"] == []
    assert rest["fulfillmentCreate"]["fulfillment"]["fulfillmentOrders"]["nodes"][0]["status"] == "CLOSED"
    assert len(read(shopify, order["id"])["fulfillments"]) == len(after["fulfillments"]) + 1


def _refused(shopify, fulfillment: dict, order_id: str) -> list[dict]:
    """The userErrors of a refused fulfillmentCreate, checking that the order did not change."""
    before = read(shopify, order_id)
    answer = shopify.run_text(CREATE, fulfillment=fulfillment)["fulfillmentCreate"]
    assert answer["fulfillment"] is None
    assert read(shopify, order_id) == before
    return answer["userErrors"]


def test_a_closed_fulfillment_order_is_refused(shopify):
    order, fo = next((o, fo) for o in orders(shopify) for fo in fulfillment_orders(o) if fo["status"] == "CLOSED")

    errors = _refused(shopify, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}]}, order["id"])

    assert errors == [{"field": ["fulfillment", "lineItemsByFulfillmentOrder", "0", "fulfillmentOrderId"],
                       "message": "The fulfillment order is closed and cannot be fulfilled."}]


def test_a_fulfillment_order_at_the_fulfillment_service_is_left_to_its_app(shopify):
    order, fo = next((o, fo) for o in orders(shopify) for fo in fulfillment_orders(o)
                     if fo["status"] == "OPEN" and fo["assignedLocation"]["location"]["isFulfillmentService"])

    errors = _refused(shopify, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}],
                                "trackingInfo": TRACKING}, order["id"])

    assert len(errors) == 1 and "fulfillment service location the app does not own" in errors[0]["message"]


def test_more_units_than_remain_and_unknown_ids_are_refused_and_nothing_changes(shopify):
    # given
    order, fo = open_at_own_location(shopify)
    item = fo["lineItems"]["nodes"][0]
    # when
    too_many = _refused(shopify, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"],
                        "fulfillmentOrderLineItems": [{"id": item["id"], "quantity": item["remainingQuantity"] + 1}]}]},
                        order["id"])
    zero = _refused(shopify, {"lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"],
                    "fulfillmentOrderLineItems": [{"id": item["id"], "quantity": 0}]}]}, order["id"])
    unknown = shopify.run_text(CREATE, fulfillment={"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1"}]})["fulfillmentCreate"]
    # then
    path = ["fulfillment", "lineItemsByFulfillmentOrder", "0", "fulfillmentOrderLineItems", "0", "quantity"]
    assert too_many == zero == [{"field": path, "message": "Invalid fulfillment order line item quantity requested."}]
    assert unknown["fulfillment"] is None and unknown["userErrors"][0]["message"] == "Fulfillment order does not exist."


def test_fulfilling_sends_fulfillments_create_and_orders_updated(shopify, receiver):  # noqa: F811
    # given
    subscribe(shopify, "FULFILLMENTS_CREATE", receiver.url)
    subscribe(shopify, "ORDERS_UPDATED", receiver.url)
    order, fo = open_at_own_location(shopify)
    # when
    fulfillment = shopify.run_text(CREATE, fulfillment={
        "lineItemsByFulfillmentOrder": [{"fulfillmentOrderId": fo["id"]}],
        "trackingInfo": TRACKING})["fulfillmentCreate"]["fulfillment"]
    deliveries = wait_for(receiver.received, 2)
    # then
    by_topic = {headers["X-Shopify-Topic"]: json.loads(body) for headers, body in deliveries}
    created = by_topic["fulfillments/create"]
    assert created["admin_graphql_api_id"] == fulfillment["id"]
    assert created["order_id"] == int(order["id"].rsplit("/", 1)[1])
    assert created["status"] == "success" and created["tracking_company"] == "UPS"
    assert created["tracking_number"] == TRACKING["number"] and created["tracking_numbers"] == [TRACKING["number"]]
    assert created["tracking_urls"] == [TRACKING["url"]]
    assert created["location_id"] == int(fo["assignedLocation"]["location"]["id"].rsplit("/", 1)[1])
    assert sum(line["quantity"] for line in created["line_items"]) == fulfillment["totalQuantity"]
    updated = by_topic["orders/updated"]
    assert updated["admin_graphql_api_id"] == order["id"]
    assert updated["fulfillment_status"] in ("partial", "fulfilled")
    assert fulfillment["id"] in {f["admin_graphql_api_id"] for f in updated["fulfillments"]}


def test_tracking_can_be_changed_afterwards(shopify):
    order, fo = open_at_own_location(shopify)
    fulfillment = shopify.run_text(CREATE, fulfillment={"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": fo["id"]}]})["fulfillmentCreate"]["fulfillment"]

    changed = shopify.run_text("""mutation($id: ID!, $tracking: FulfillmentTrackingInput!) {
      fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $tracking) {
        fulfillment { id trackingInfo { company number url } } userErrors { field message } } }""",
                               id=fulfillment["id"], tracking=TRACKING)["fulfillmentTrackingInfoUpdate"]

    assert fulfillment["trackingInfo"] == [] and changed["userErrors"] == []
    assert changed["fulfillment"]["trackingInfo"] == [TRACKING]
    assert next(f for f in read(shopify, order["id"])["fulfillments"]
                if f["id"] == fulfillment["id"])["trackingInfo"] == [TRACKING]


def test_closing_an_order_moves_updated_at_and_sends_orders_updated(shopify, receiver):  # noqa: F811
    # given
    subscribe(shopify, "ORDERS_UPDATED", receiver.url)
    order = next(o for o in orders(shopify) if not o["closed"])
    # when
    closed = shopify.run_text(CLOSE, id=order["id"])["orderClose"]
    again = shopify.run_text(CLOSE, id=order["id"])["orderClose"]
    unknown = shopify.run_text(CLOSE, id="gid://shopify/Order/1")["orderClose"]
    reopened = shopify.run_text("""mutation($id: ID!) { orderOpen(input: {id: $id}) {
      order { closed closedAt } userErrors { message } } }""", id=order["id"])["orderOpen"]
    # then
    assert closed["userErrors"] == [] and closed["order"]["closed"] and closed["order"]["closedAt"]
    assert closed["order"]["updatedAt"] > order["updatedAt"]
    assert again["order"] == closed["order"]          # already closed: nothing changes
    assert unknown == {"order": None, "userErrors": [{"field": ["id"], "message": "Order does not exist"}]}
    assert reopened == {"order": {"closed": False, "closedAt": None}, "userErrors": []}
    payloads = [json.loads(body) for _, body in wait_for(receiver.received, 2)]
    assert [p["closed_at"] for p in payloads] == [closed["order"]["closedAt"], None]


def test_an_attribute_written_comes_back_as_orders_updated(shopify, receiver):  # noqa: F811
    """A connector writing an attribute sees its own change come back as a webhook, as on Shopify."""
    # given
    subscribe(shopify, "ORDERS_UPDATED", receiver.url)
    order = orders(shopify)[0]
    # when
    answer = shopify.run_text(UPDATE, input={"id": order["id"], "tags": ["synced", "b2b", "synced"],
                                             "customAttributes": [{"key": "erp_document", "value": "SO-1042"}]})
    # then
    updated = answer["orderUpdate"]
    assert updated["userErrors"] == [] and updated["order"]["tags"] == ["synced", "b2b"]
    assert updated["order"]["customAttributes"] == [{"key": "erp_document", "value": "SO-1042"}]
    assert updated["order"]["updatedAt"] > order["updatedAt"]
    _, body = wait_for(receiver.received, 1)[0]
    payload = json.loads(body)
    assert payload["admin_graphql_api_id"] == order["id"] and payload["updated_at"] == updated["order"]["updatedAt"]
    assert payload["note_attributes"] == [{"name": "erp_document", "value": "SO-1042"}]
    assert payload["tags"] == "synced, b2b"


def test_a_b2b_order_answers_the_company_and_location_it_was_bought_for(simulator):
    """demo-us sells to companies: an order of a company contact names the company, its location and
    the contact as purchasingEntity; a consumer's order names the customer."""
    shop = simulator.shops[1]
    client = ShopifyHttp(simulator, shop.access_token)
    query = """{ orders(first: 80) { nodes { id customer { id }
      purchasingEntity { __typename ... on Customer { id } ... on PurchasingCompany { contact { id } %s } } } } }""" % (
        selection("PurchasingCompany"))

    found = client.run_text(query)["orders"]["nodes"]

    companies = [o for o in found if o["purchasingEntity"] and o["purchasingEntity"]["__typename"] ==
                 "PurchasingCompany"]
    consumers = [o for o in found if o["purchasingEntity"] and o["purchasingEntity"]["__typename"] == "Customer"]
    assert companies and consumers
    assert all(o["purchasingEntity"]["id"] == o["customer"]["id"] for o in consumers)
    assert all(o["customer"] is None for o in found if o["purchasingEntity"] is None)
    for order in companies:
        customer_number = int(order["customer"]["id"].rsplit("/", 1)[1])
        contact, location = shop.companies.location_of_customer(customer_number)
        entity = order["purchasingEntity"]
        assert entity["location"]["id"] == location.gid and entity["contact"]["id"] == contact.gid
        assert entity["company"]["id"] == shop.companies.company(location.company_id).gid


def test_what_a_fulfillment_changes_answers_every_field_the_schema_promises(shopify):
    """The fulfillment made, and the fulfillment order it leaves in progress, answer every field a
    client may ask for, read from the order, by id and by node."""
    order, fo = open_at_own_location(shopify, units=2)
    item = next(item for item in fo["lineItems"]["nodes"] if item["remainingQuantity"] >= 2)
    created = shopify.run_text(CREATE, fulfillment={"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": [{"id": item["id"], "quantity": 1}]}],
        "trackingInfo": TRACKING, "originAddress": {"address1": "1 Quay St", "countryCode": "FR"}})
    gid = created["fulfillmentCreate"]["fulfillment"]["id"]

    by_id = shopify.run_text("query($id: ID!) { fulfillment(id: $id) { %s } }" % selection("Fulfillment"), id=gid)
    in_progress = shopify.run_text("query($id: ID!) { fulfillmentOrder(id: $id) { %s } }" % selection(
        "FulfillmentOrder"), id=fo["id"])
    nodes = shopify.run_text(on_nodes("Fulfillment", [gid]))

    assert by_id["fulfillment"]["id"] == gid and nodes["nodes"][0]["id"] == gid
    assert in_progress["fulfillmentOrder"]["status"] == "IN_PROGRESS"
    origin = shopify.run_text("query($id: ID!) { fulfillment(id: $id) { originAddress { address1 countryCode } } }",
                              id=gid)["fulfillment"]["originAddress"]
    assert origin == {"address1": "1 Quay St", "countryCode": "FR"}
