"""Where an order's goods wait and what can ship from there, over HTTP: an order made to a
specification with lines at chosen locations (the fulfillment service's warehouse too) and with more
lines than a page holds; a location removed from the shop (POST /_simulator/locations/remove), whose
fulfillment orders then answer no location; and fulfillmentCreate refusing an input array of more
than 250 items, as Shopify refuses every one."""
import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.fixtures.shopify_simulator import ShopifyHttp

ORDER = """query($id: ID!) { order(id: $id) { id displayFulfillmentStatus
  fulfillments { id location { id } }
  fulfillmentOrders(first: 5) { nodes { id status
    assignedLocation { name location { id name isFulfillmentService } }
    lineItems(first: 20) { nodes { id remainingQuantity lineItem { id sku } } } } } } }"""
ORDER_LINES = """query($id: ID!, $after: String) { order(id: $id) {
  lineItems(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }"""
FULFILLMENT_ORDER_LINES = """query($id: ID!, $after: String) { fulfillmentOrder(id: $id) {
  lineItems(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }"""
LOCATIONS = "{ locations(first: 10) { nodes { id name isFulfillmentService } } }"
LOCATION = "query($id: ID!) { location(id: $id) { id } node(id: $id) { id } }"
CREATE = """mutation($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) {
  fulfillment { id location { id } fulfillmentLineItems(first: 250) { nodes { quantity } } }
  userErrors { field message } } }"""
BY_LOCATION = """query($query: String) { fulfillmentOrders(first: 50, includeClosed: true, query: $query) {
  nodes { id assignedLocation { location { id } } } } }"""


@pytest.fixture(autouse=True)
def unlimited(simulator):
    for shop in simulator.shops:
        shop.bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def locations(simulator) -> tuple[str, str, str]:
    """(primary, second own location, the fulfillment service's) of the first shop."""
    profile = simulator.shops[0].profile
    return profile.locations[0].gid, profile.locations[1].gid, profile.fulfillment_service_location.gid


def line(sku: str, quantity: int = 1, **fields) -> dict:
    return {"title": f"Item {sku}", "sku": sku, "quantity": quantity, "price": "10.00", **fields}


def make(shopify: ShopifyHttp, lines: list[dict]) -> str:
    return shopify.control("POST", "orders/custom", order={"lines": lines})["id"]


def read(shopify: ShopifyHttp, gid: str) -> dict:
    return shopify.run_text(ORDER, id=gid)["order"]


def by_location(order: dict) -> dict:
    """{location GID (None: removed): (location name, the SKUs waiting there)}."""
    found = {}
    for fo in order["fulfillmentOrders"]["nodes"]:
        location = fo["assignedLocation"]["location"]
        found[location and location["id"]] = (fo["assignedLocation"]["name"],
                                              [item["lineItem"]["sku"] for item in fo["lineItems"]["nodes"]])
    return found


def location_names(shopify: ShopifyHttp) -> dict[str, str]:
    return {node["id"]: node["name"] for node in shopify.run_text(LOCATIONS)["locations"]["nodes"]}


def fulfil(shopify: ShopifyHttp, fulfillment_order: dict, items=None) -> dict:
    pick = {"fulfillmentOrderId": fulfillment_order["id"]}
    if items is not None:
        pick["fulfillmentOrderLineItems"] = items
    return shopify.post(CREATE, {"fulfillment": {"lineItemsByFulfillmentOrder": [pick]}}).json()


def test_lines_wait_at_the_locations_they_name_one_fulfillment_order_each(shopify, locations):
    # given
    primary, second, service = locations
    # when
    gid = make(shopify, [line("A"), line("B", location=second), line("C", location=service), line("D"),
                         line("E", location=primary)])
    order = read(shopify, gid)
    # then
    names = location_names(shopify)
    assert by_location(order) == {primary: (names[primary], ["A", "D", "E"]), second: (names[second], ["B"]),
                                  service: (names[service], ["C"])}
    services = {fo["assignedLocation"]["location"]["id"]: fo["assignedLocation"]["location"]["isFulfillmentService"]
                for fo in order["fulfillmentOrders"]["nodes"]}
    assert services == {primary: False, second: False, service: True}


def test_the_fulfillment_services_lines_are_left_to_its_app_the_others_ship(shopify, locations):
    # given
    _, second, service = locations
    order = read(shopify, make(shopify, [line("A", location=second), line("C", location=service)]))
    at_second, at_service = order["fulfillmentOrders"]["nodes"]
    # when
    refused = fulfil(shopify, at_service)["data"]["fulfillmentCreate"]
    shipped = fulfil(shopify, at_second)["data"]["fulfillmentCreate"]
    # then
    assert refused["fulfillment"] is None and "fulfillment service" in refused["userErrors"][0]["message"]
    assert shipped["userErrors"] == [] and shipped["fulfillment"]["location"] == {"id": second}


def test_a_line_at_a_location_the_shop_lacks_or_a_gift_card_at_one_is_refused(shopify, locations):
    for lines, message in [([line("A", location="gid://shopify/Location/1")], "the shop has no location"),
                           ([line("G", gift_card=True, location=locations[1])], "a gift card ships from no location")]:
        response = shopify.session.post(f"{shopify.simulator.base_url}/_simulator/orders/custom",
                                        json={"order": {"lines": lines}}, timeout=10)
        assert response.status_code == 400 and message in response.json()["error"]


def pages(shopify: ShopifyHttp, query: str, gid: str, path: tuple[str, ...]) -> list[list[dict]]:
    """The nodes of a connection, page by page."""
    found, after = [], None
    while True:
        connection = shopify.run_text(query, id=gid, after=after)
        for key in path:
            connection = connection[key]
        found.append(connection["nodes"])
        if not connection["pageInfo"]["hasNextPage"]:
            return found
        after = connection["pageInfo"]["endCursor"]


def test_an_order_of_300_lines_pages_its_lines_and_its_fulfillment_orders_lines(shopify):
    # given
    gid = make(shopify, [line(f"L{n:03d}") for n in range(300)])
    # when
    lines = pages(shopify, ORDER_LINES, gid, ("order", "lineItems"))
    (fulfillment_order,) = read(shopify, gid)["fulfillmentOrders"]["nodes"]
    waiting = pages(shopify, FULFILLMENT_ORDER_LINES, fulfillment_order["id"], ("fulfillmentOrder", "lineItems"))
    # then
    assert [len(page) for page in lines] == [250, 50] and [len(page) for page in waiting] == [250, 50]
    assert len({item["id"] for page in waiting for item in page}) == 300


def test_more_than_250_line_items_in_one_fulfillment_are_refused_and_250_ship(shopify):
    # given
    gid = make(shopify, [line(f"L{n:03d}") for n in range(260)])
    (fulfillment_order,) = read(shopify, gid)["fulfillmentOrders"]["nodes"]
    every = [{"id": item["id"], "quantity": 1} for page in pages(
        shopify, FULFILLMENT_ORDER_LINES, fulfillment_order["id"], ("fulfillmentOrder", "lineItems")) for item in page]
    # when
    refused = fulfil(shopify, fulfillment_order, every[:251])
    after_refusal = read(shopify, gid)
    shipped = fulfil(shopify, fulfillment_order, every[:250])
    # then
    assert refused["errors"] == [{**refused["errors"][0], "message": "The input array size of 251 is greater than "
                                  "the maximum allowed of 250.", "extensions": {"code": "MAX_INPUT_SIZE_EXCEEDED"}}]
    assert refused["data"]["fulfillmentCreate"] is None
    assert after_refusal["fulfillments"] == [] and after_refusal["displayFulfillmentStatus"] == "UNFULFILLED"
    assert shipped["data"]["fulfillmentCreate"]["userErrors"] == []
    assert len(shipped["data"]["fulfillmentCreate"]["fulfillment"]["fulfillmentLineItems"]["nodes"]) == 250
    assert read(shopify, gid)["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED"


def test_a_removed_location_is_gone_and_its_fulfillment_orders_answer_no_location(shopify, locations):
    # given
    primary, second, service = locations
    shipped_there = read(shopify, make(shopify, [line("S", location=second)]))
    assert fulfil(shopify, shipped_there["fulfillmentOrders"]["nodes"][0])["data"]["fulfillmentCreate"][
        "userErrors"] == []
    gid = make(shopify, [line("A"), line("B", location=second)])
    names = location_names(shopify)
    # when
    answer = shopify.control("POST", "locations/remove", location_id=second)
    order = read(shopify, gid)
    # then
    assert answer["removed"] == [second]
    assert by_location(order) == {primary: (names[primary], ["A"]), None: (names[second], ["B"])}
    assert second not in location_names(shopify)
    assert shopify.run_text(LOCATION, id=second) == {"location": None, "node": None}
    assert [f["location"] for f in read(shopify, shipped_there["id"])["fulfillments"]] == [None]
    listed = shopify.run_text(BY_LOCATION, query=f"assigned_location_id:{primary.rsplit('/', 1)[1]}")
    assert listed["fulfillmentOrders"]["nodes"] and all(
        fo["assignedLocation"]["location"] == {"id": primary} for fo in listed["fulfillmentOrders"]["nodes"])


def test_what_waits_at_a_removed_location_cannot_ship_and_the_rest_can(shopify, locations):
    # given
    primary, second, _ = locations
    order = read(shopify, make(shopify, [line("A"), line("B", location=second)]))
    at_primary, at_second = order["fulfillmentOrders"]["nodes"]
    shopify.control("POST", "locations/remove", location_id=int(second.rsplit("/", 1)[1]))
    # when
    refused = fulfil(shopify, at_second)["data"]["fulfillmentCreate"]
    shipped = fulfil(shopify, at_primary)["data"]["fulfillmentCreate"]
    # then
    assert refused["fulfillment"] is None and "location was removed" in refused["userErrors"][0]["message"]
    assert shipped["userErrors"] == [] and shipped["fulfillment"]["location"] == {"id": primary}
    assert by_location(read(shopify, order["id"]))[None][1] == ["B"]


@pytest.mark.parametrize("body, status, message", [
    ({"location_id": "gid://shopify/Location/1"}, 404, "the shop has no location"),
    ({}, 404, "the shop has no location"),
    ({"location_id": "primary"}, 400, "primary location"),
    ({"location_id": "x", "colour": "red"}, 400, "unknown fields"),
])
def test_a_location_that_cannot_be_removed_is_refused(shopify, locations, body, status, message):
    if body.get("location_id") == "primary":
        body = {"location_id": locations[0]}
    response = requests.post(f"{shopify.simulator.base_url}/_simulator/locations/remove", json=body, timeout=10)
    assert response.status_code == status and message in response.json()["error"]
    assert len(location_names(shopify)) == len(shopify.simulator.shops[0].profile.all_locations)
