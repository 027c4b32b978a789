"""Report 30109's fulfillments against the simulator: an order's fulfillment orders and fulfillments
read whole (several orders a call, every connection past its first page, removed and fulfillment
service locations as such), and a fulfillment made with its lines and tracking, partial quantities
left open, Shopify's refusals passed on in its words, a request made earlier adopted, not made twice."""
from collections import Counter
from datetime import timedelta

import pytest
import requests

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.fulfillments import (
    ORDERS_PER_READ,
    CreateOutcome,
    CreateResult,
    FulfillmentOrderLineState,
    FulfillmentRequest,
    OrderFulfillmentState,
    Tracking,
    create_fulfillment,
    fulfillment_input,
    read_fulfillment_states,
)
from shopify_simulator.resources.orders import order_number

FAST = ClientSettings(connect_timeout=5, read_timeout=15, max_attempts=5, backoff_base=0.01, backoff_cap=0.05)
UPS = Tracking(company="UPS", number="1Z999AA10123456784", url="https://www.ups.com/track?tracknum=1Z999AA10123456784")
UNKNOWN = "gid://shopify/Order/1"


class CountingSession(requests.Session):
    """A transport that notes each operation sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def post(self, url, json=None, **kwargs):
        self.sent.append((json or {}).get("operationName") or "")
        return super().post(url, json=json, **kwargs)


def client_for(merchant, session=None, **kwargs) -> ShopifyClient:
    return ShopifyClient.for_merchant(merchant, client_settings=FAST, session=session or CountingSession(), **kwargs)


def line(sku: str, quantity: int = 1, **fields) -> dict:
    return {"title": f"Item {sku}", "sku": sku, "quantity": quantity, "price": "10.00", **fields}


def make(simulator, lines: list[dict]) -> str:
    """An unshipped, paid order made to a specification; its GID."""
    response = requests.post(f"{simulator.base_url}/_simulator/orders/custom",
                             json={"order": {"lines": lines, "fulfilled": False}}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["id"]


def remove_location(simulator, gid: str) -> None:
    response = requests.post(f"{simulator.base_url}/_simulator/locations/remove", json={"location_id": gid},
                             timeout=10)
    assert response.status_code == 200, response.text


def stored(shop, order_gid: str) -> dict:
    """The order as the simulator holds it."""
    return shop.orders.view(order_number(shop, order_gid))


def skus_of(state: OrderFulfillmentState, shop) -> dict[str, str]:
    """Line item GID -> SKU, from the simulator."""
    return {item["id"]: item["sku"] for item in stored(shop, state.order_gid)["lineItems"]}


def request_for(state: OrderFulfillmentState, quantities: dict[str, int], shop, *, tracking: Tracking = UPS,
                notify: bool = True, location_gid: str | None = None) -> FulfillmentRequest:
    """The request that fulfils `quantities` ({SKU: quantity}) from the order's open fulfillment orders."""
    skus = skus_of(state, shop)
    lines = tuple((fo.gid, fo_line.gid, quantities[skus[fo_line.line_item_gid]])
                  for fo in state.fulfillment_orders for fo_line in fo.lines
                  if skus[fo_line.line_item_gid] in quantities)
    location = location_gid or next(fo.location_gid for fo in state.fulfillment_orders if fo.lines)
    return FulfillmentRequest(order_gid=state.order_gid, location_gid=location, lines=lines, tracking=tracking,
                              notify_customer=notify)


def read_one(client, gid: str) -> OrderFulfillmentState:
    return read_fulfillment_states(client, [gid])[gid]


def now_in_shopify(simulator):
    return simulator.clock.now()


# Making a fulfillment ----------------------------------------------------------------------------
def test_a_fulfillment_carries_its_lines_and_tracking_and_the_order_reads_back_fulfilled(merchant, shop, simulator):
    # given
    gid = make(simulator, [line("MUG", 2), line("TEE", 1)])
    client = client_for(merchant)
    state = read_one(client, gid)
    request = request_for(state, {"MUG": 2, "TEE": 1}, shop)
    # when
    result = create_fulfillment(client, request, asked_at=now_in_shopify(simulator))
    # then
    (made,) = stored(shop, gid)["fulfillments"]
    assert result == CreateResult(CreateOutcome.CREATED, made["id"])
    assert made["trackingInfo"] == [{"company": "UPS", "number": UPS.number, "url": UPS.url}]
    assert made["location"]["id"] == request.location_gid
    assert sorted((item["lineItem"]["sku"], item["quantity"]) for item in made["fulfillmentLineItems"]) == [
        ("MUG", 2), ("TEE", 1)]
    after = read_one(client, gid)
    assert [fo.status for fo in after.fulfillment_orders] == ["CLOSED"]
    assert [(f.gid, f.status, f.tracking_number, Counter(dict(f.lines))) for f in after.fulfillments] == [
        (made["id"], "SUCCESS", UPS.number, Counter({item.line_item_gid: item.total_quantity
                                                     for item in state.fulfillment_orders[0].lines}))]
    assert stored(shop, gid)["displayFulfillmentStatus"] == "FULFILLED"


def test_the_request_asks_shopify_to_notify_the_customer_with_the_tracking_given():
    request = FulfillmentRequest(order_gid="gid://shopify/Order/5", location_gid="gid://shopify/Location/1",
                                 lines=(("gid://shopify/FulfillmentOrder/1", "gid://shopify/FulfillmentOrderLineItem/1",
                                         2), ("gid://shopify/FulfillmentOrder/2",
                                              "gid://shopify/FulfillmentOrderLineItem/2", 1),
                                        ("gid://shopify/FulfillmentOrder/1",
                                         "gid://shopify/FulfillmentOrderLineItem/3", 4)),
                                 tracking=Tracking(number="123"), notify_customer=True)
    assert fulfillment_input(request) == {
        "lineItemsByFulfillmentOrder": [
            {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1", "fulfillmentOrderLineItems": [
                {"id": "gid://shopify/FulfillmentOrderLineItem/1", "quantity": 2},
                {"id": "gid://shopify/FulfillmentOrderLineItem/3", "quantity": 4}]},
            {"fulfillmentOrderId": "gid://shopify/FulfillmentOrder/2", "fulfillmentOrderLineItems": [
                {"id": "gid://shopify/FulfillmentOrderLineItem/2", "quantity": 1}]}],
        "notifyCustomer": True, "trackingInfo": {"number": "123"}}


def test_partial_quantities_leave_the_rest_open_and_the_rest_ships_later(merchant, shop, simulator):
    # given
    gid = make(simulator, [line("MUG", 3), line("TEE", 2)])
    client = client_for(merchant)
    # when
    first = create_fulfillment(client, request_for(read_one(client, gid), {"MUG": 2}, shop),
                               asked_at=now_in_shopify(simulator))
    between = read_one(client, gid)
    second = create_fulfillment(client, request_for(between, {"MUG": 1, "TEE": 2}, shop,
                                                    tracking=Tracking(company="DHL Express", number="JD014600")),
                                asked_at=now_in_shopify(simulator))
    # then
    assert (first.outcome, second.outcome) == (CreateOutcome.CREATED, CreateOutcome.CREATED)
    (fo,) = between.fulfillment_orders
    skus = skus_of(between, shop)
    assert fo.status == "IN_PROGRESS"
    assert sorted((skus[item.line_item_gid], item.remaining_quantity, item.total_quantity) for item in fo.lines) == [
        ("MUG", 1, 3), ("TEE", 2, 2)]
    made = stored(shop, gid)["fulfillments"]
    assert [(f["id"], [(i["lineItem"]["sku"], i["quantity"]) for i in f["fulfillmentLineItems"]],
             f["trackingInfo"][0]["number"]) for f in made] == [
        (first.fulfillment_gid, [("MUG", 2)], UPS.number), (second.fulfillment_gid, [("MUG", 1), ("TEE", 2)],
                                                             "JD014600")]
    assert stored(shop, gid)["displayFulfillmentStatus"] == "FULFILLED"


# Refusals ----------------------------------------------------------------------------------------
def test_more_than_remains_is_refused_in_shopifys_words_and_nothing_is_made(merchant, shop, simulator):
    # given
    gid = make(simulator, [line("MUG", 1)])
    client = client_for(merchant)
    state = read_one(client, gid)
    (fo,) = state.fulfillment_orders
    request = FulfillmentRequest(gid, fo.location_gid, ((fo.gid, fo.lines[0].gid, 5),), UPS, False)
    # when
    result = create_fulfillment(client, request, asked_at=now_in_shopify(simulator))
    # then
    assert result == CreateResult(CreateOutcome.REFUSED, reason="Invalid fulfillment order line item quantity "
                                                                "requested.")
    assert stored(shop, gid)["fulfillments"] == []
    assert client.session.sent.count("FulfillmentCreate") == 1


def test_the_fulfillment_services_goods_and_those_of_a_removed_location_are_refused(merchant, shop, simulator):
    # given
    _, second = shop.profile.locations[:2]
    service = shop.profile.fulfillment_service_location
    gid = make(simulator, [line("AT-SERVICE", location=service.gid), line("AT-SECOND", location=second.gid)])
    remove_location(simulator, second.gid)
    client = client_for(merchant)
    state = read_one(client, gid)
    at_removed, at_service = state.fulfillment_orders
    # when
    results = [create_fulfillment(client, FulfillmentRequest(gid, fo.location_gid or second.gid,
                                                             ((fo.gid, fo.lines[0].gid, 1),), UPS, False),
                                  asked_at=now_in_shopify(simulator)) for fo in (at_service, at_removed)]
    # then
    assert [r.outcome for r in results] == [CreateOutcome.REFUSED] * 2
    assert "fulfillment service location the app does not own" in results[0].reason
    assert "location was removed from the shop" in results[1].reason
    assert stored(shop, gid)["fulfillments"] == []


@pytest.mark.parametrize("lines, reason", [
    ((), "names no fulfillment order line"),
    (tuple(("gid://shopify/FulfillmentOrder/1", f"gid://shopify/FulfillmentOrderLineItem/{n}", 1)
           for n in range(251)), "names 251 fulfillment order lines; one fulfillment takes 250 at most"),
    ((("gid://shopify/FulfillmentOrder/1", "gid://shopify/FulfillmentOrderLineItem/1", 0),), "above 0"),
    ((("gid://shopify/FulfillmentOrder/1", "gid://shopify/FulfillmentOrderLineItem/1", 1),
      ("gid://shopify/FulfillmentOrder/1", "gid://shopify/FulfillmentOrderLineItem/1", 1)), "named twice"),
])
def test_a_request_shopify_could_not_take_is_refused_without_a_call(merchant, lines, reason, simulator):
    client = client_for(merchant)
    result = create_fulfillment(client, FulfillmentRequest("gid://shopify/Order/5000000001", "", lines, UPS, False),
                                asked_at=now_in_shopify(simulator))
    assert result.outcome == CreateOutcome.REFUSED and reason in result.reason
    assert client.session.sent == []


def test_an_order_shopify_does_not_have_is_refused(merchant, simulator):
    client = client_for(merchant)
    result = create_fulfillment(client, FulfillmentRequest(UNKNOWN, "", (("gid://shopify/FulfillmentOrder/1",
                                                                          "gid://shopify/FulfillmentOrderLineItem/1",
                                                                          1),), UPS, False),
                                asked_at=now_in_shopify(simulator))
    assert result == CreateResult(CreateOutcome.REFUSED, reason="Shopify no longer has the order")
    assert "FulfillmentCreate" not in client.session.sent


# Made before -------------------------------------------------------------------------------------
def test_a_request_made_before_is_adopted_not_sent_again(merchant, shop, simulator):
    """A worker stopped after sending: the next run, passing the time of the first try, adopts it."""
    # given
    gid = make(simulator, [line("MUG", 4)])
    asked_at = now_in_shopify(simulator)
    first_client = client_for(merchant)
    request = request_for(read_one(first_client, gid), {"MUG": 1}, shop)
    first = create_fulfillment(first_client, request, asked_at=asked_at)
    client = client_for(merchant)
    # when
    again = create_fulfillment(client, request, asked_at=asked_at)
    # then
    assert again == CreateResult(CreateOutcome.ALREADY_CREATED, first.fulfillment_gid)
    assert len(stored(shop, gid)["fulfillments"]) == 1
    assert client.session.sent == ["FulfillmentStates"]


def test_the_same_lines_asked_for_later_are_a_new_fulfillment(merchant, shop, simulator):
    """A second shipment of the same quantities, asked for after the first was made, ships again."""
    # given
    gid = make(simulator, [line("MUG", 4)])
    client = client_for(merchant)
    request = request_for(read_one(client, gid), {"MUG": 1}, shop)
    first = create_fulfillment(client, request, asked_at=now_in_shopify(simulator))
    simulator.clock.advance(60)
    # when
    second = create_fulfillment(client, request, asked_at=now_in_shopify(simulator))
    # then
    assert second.outcome == CreateOutcome.CREATED and second.fulfillment_gid != first.fulfillment_gid
    assert len(stored(shop, gid)["fulfillments"]) == 2


def test_a_fulfillment_with_other_tracking_or_lines_is_not_taken_for_the_request(merchant, shop, simulator):
    # given
    gid = make(simulator, [line("MUG", 4), line("TEE", 2)])
    asked_at = now_in_shopify(simulator)
    client = client_for(merchant)
    state = read_one(client, gid)
    create_fulfillment(client, request_for(state, {"MUG": 1}, shop, tracking=Tracking(number="OTHER")),
                       asked_at=asked_at)
    create_fulfillment(client, request_for(read_one(client, gid), {"MUG": 1, "TEE": 1}, shop), asked_at=asked_at)
    # when
    result = create_fulfillment(client, request_for(read_one(client, gid), {"MUG": 1}, shop), asked_at=asked_at)
    # then
    assert result.outcome == CreateOutcome.CREATED
    assert len(stored(shop, gid)["fulfillments"]) == 3


def test_a_state_the_caller_read_spares_the_read(merchant, shop, simulator):
    # given
    gid = make(simulator, [line("MUG", 2)])
    client = client_for(merchant)
    state = read_one(client, gid)
    client.session.sent.clear()
    # when
    result = create_fulfillment(client, request_for(state, {"MUG": 2}, shop), asked_at=now_in_shopify(simulator),
                                state=state)
    # then
    assert result.outcome == CreateOutcome.CREATED and client.session.sent == ["FulfillmentCreate"]


# Reading -----------------------------------------------------------------------------------------
def test_many_orders_are_read_a_few_a_call_and_one_shopify_lacks_is_none(merchant, shop, simulator):
    # given
    gids = [make(simulator, [line(f"S{n}", n + 1)]) for n in range(ORDERS_PER_READ + 2)]
    client = client_for(merchant)
    # when
    states = read_fulfillment_states(client, [*gids, UNKNOWN, "not a gid", gids[0]])
    # then
    assert list(states) == [*gids, UNKNOWN, "not a gid"]
    assert states[UNKNOWN] is None and states["not a gid"] is None
    for n, gid in enumerate(gids):
        (fo,) = states[gid].fulfillment_orders
        assert (fo.status, fo.location_gid, fo.is_fulfillment_service, states[gid].fulfillments) == (
            "OPEN", shop.profile.locations[0].gid, False, ())
        assert [(item.remaining_quantity, item.total_quantity) for item in fo.lines] == [(n + 1, n + 1)]
    assert client.session.sent == ["FulfillmentStates", "FulfillmentStates", "FulfillmentStateOfOrder"]


def test_a_removed_location_and_a_fulfillment_service_location_are_told_apart(merchant, shop, simulator):
    # given
    primary, second = shop.profile.locations[:2]
    service = shop.profile.fulfillment_service_location
    gid = make(simulator, [line("A"), line("B", location=second.gid), line("C", location=service.gid)])
    remove_location(simulator, second.gid)
    # when
    state = read_one(client_for(merchant), gid)
    # then
    assert [(fo.location_gid, fo.location_name, fo.is_fulfillment_service, fo.status)
            for fo in state.fulfillment_orders] == [
        (primary.gid, primary.name, False, "OPEN"), (None, second.name, False, "OPEN"),
        (service.gid, service.name, True, "OPEN")]


def test_long_connections_are_read_to_their_end(merchant, shop, simulator):
    """An order of 300 lines, at four fulfillment orders, with seven fulfillments, one of 250 lines:
    every fulfillment order, line and fulfillment is read, as the simulator holds them."""
    # given
    second = shop.profile.locations[1]
    service = shop.profile.fulfillment_service_location
    lines = [line(f"L{n:03d}") for n in range(290)] + [line(f"P{n}", location=second.gid) for n in range(8)] + [
        line("SERVICE", location=service.gid), line("CARD", gift_card=True)]
    gid = make(simulator, lines)
    client = client_for(merchant)
    state = read_one(client, gid)
    at_primary, at_second = state.fulfillment_orders[:2]
    assert create_fulfillment(client, FulfillmentRequest(gid, at_primary.location_gid, tuple(
        (at_primary.gid, item.gid, 1) for item in at_primary.lines[:250]), UPS, False),
        asked_at=now_in_shopify(simulator)).outcome == CreateOutcome.CREATED
    for item in at_second.lines[:6]:
        assert create_fulfillment(client, FulfillmentRequest(gid, at_second.location_gid, (
            (at_second.gid, item.gid, 1),), Tracking(number=item.gid[-6:]), False),
            asked_at=now_in_shopify(simulator)).outcome == CreateOutcome.CREATED
    client.session.sent.clear()
    # when
    state = read_one(client, gid)
    # then
    held = stored(shop, gid)
    assert [fo.gid for fo in state.fulfillment_orders] == [fo["id"] for fo in held["fulfillmentOrders"]]
    assert len(state.fulfillment_orders) == 4
    for fo, held_fo in zip(state.fulfillment_orders, held["fulfillmentOrders"]):
        assert fo.lines == tuple(FulfillmentOrderLineState(item["id"], item["lineItem"]["id"],
                                                           item["remainingQuantity"], item["totalQuantity"])
                                 for item in held_fo["lineItems"])
    assert [len(fo.lines) for fo in state.fulfillment_orders] == [290, 8, 1, 1]
    assert [(f.gid, f.tracking_number, f.lines) for f in state.fulfillments] == [
        (f["id"], (f["trackingInfo"][0]["number"] if f["trackingInfo"] else "") or "",
         tuple((item["lineItem"]["id"], item["quantity"]) for item in f["fulfillmentLineItems"]))
        for f in held["fulfillments"]]
    assert len(state.fulfillments) == 8 and len(state.fulfillments[1].lines) == 250   # the gift card's, first
    assert Counter(client.session.sent) == Counter({"FulfillmentStates": 1, "FulfillmentOrdersPage": 1,
                                                    "FulfillmentOrderLinesPage": 2, "FulfillmentsOfOrder": 1,
                                                    "FulfillmentLineItemsPage": 6})


def test_a_read_of_many_orders_stays_within_shopifys_cost_limit(merchant, simulator):
    gids = [make(simulator, [line("A")]) for _ in range(ORDERS_PER_READ)]
    client = client_for(merchant)
    read_fulfillment_states(client, gids)
    assert client.stats.calls == 1 and client.stats.requested_cost <= 1000


def test_asked_at_may_be_a_little_ahead_of_shopifys_clock(merchant, shop, simulator):
    """Shopify stamps whole seconds by its own clock: a fulfillment stamped a few seconds before the
    time we say we asked is still the one we asked for."""
    # given
    gid = make(simulator, [line("MUG", 2)])
    asked_at = now_in_shopify(simulator)
    client = client_for(merchant)
    request = request_for(read_one(client, gid), {"MUG": 1}, shop)
    first = create_fulfillment(client, request, asked_at=asked_at)
    # when
    again = create_fulfillment(client, request, asked_at=asked_at + timedelta(seconds=3, microseconds=900_000))
    # then
    assert again == CreateResult(CreateOutcome.ALREADY_CREATED, first.fulfillment_gid)
