"""fulfillments/create and fulfillments/update (POST /webhooks/shopify/): a signed delivery of a
fulfillment, as the simulator sends it, is passed on as `fulfillment_changed` with the order, the
fulfillment, its status and when it changed (a duplicate delivery's is rolled back with it); a body
that is not a fulfillment is refused."""
import json
import uuid
from datetime import datetime

import pytest
import requests
from django.db import transaction
from django.utils import timezone

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.fulfillments import (
    CreateOutcome,
    FulfillmentRequest,
    Tracking,
    create_fulfillment,
    read_fulfillment_states,
)
from connectors.shopify.models import WebhookDelivery, WebhookOutcome
from connectors.shopify.signals import fulfillment_changed
from connectors.shopify.webhooks import fulfillment_topics
from connectors.shopify.webhooks.verification import signature
from core.secrets import Secret
from core.webhook_topics import HANDLERS, SHAPES, Handled
from shopify_simulator.payloads import fulfillment_event_payload
from shopify_simulator.resources.orders import order_number
from tests.factories.merchants import MerchantFactory
from tests.fixtures.job_queue import commits_run_callbacks

URL = "/webhooks/shopify/"
KEY = "shpss_fulfillment_key"
TRACKING_UPDATE = """mutation($id: ID!, $tracking: FulfillmentTrackingInput!) {
  fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $tracking) { userErrors { message } } }"""


@pytest.fixture(autouse=True)
def fulfillment_topics_registered():
    """The topics as startup registers them (added here until it does), and only for these tests."""
    before = {topic: (HANDLERS.get(topic), SHAPES.get(topic)) for topic in fulfillment_topics.TOPICS}
    fulfillment_topics.register()
    yield
    for topic, (handler, shape) in before.items():
        if handler is None:
            HANDLERS.pop(topic, None)
            SHAPES.pop(topic, None)


@pytest.fixture
def heard():
    """What fulfillment_changed said, in deliveries that were kept: the signal is sent in the
    delivery's transaction, and a duplicate's is rolled back (so what a listener does goes with it)."""
    said: list[dict] = []

    def listen(sender, **kwargs):
        transaction.on_commit(lambda: said.append(kwargs))

    fulfillment_changed.connect(listen, dispatch_uid="tests.fulfillments.heard")
    yield said
    fulfillment_changed.disconnect(dispatch_uid="tests.fulfillments.heard")


@pytest.fixture
def hooked_merchant(db, simulator, shop):
    return MerchantFactory(shop_domain=shop.domain, api_base_url=simulator.base_url, access_token=shop.access_token,
                           api_secret_key=Secret(KEY), time_zone=shop.profile.time_zone,
                           shop_currency=shop.profile.currency)


def deliver(client, merchant, topic: str, payload: dict, *, event_id: str | None = None):
    body = json.dumps(payload).encode()
    headers = {
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": signature(body, KEY),
        "X-Shopify-Shop-Domain": merchant.shop_domain,
        "X-Shopify-API-Version": "2025-01",
        "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
        "X-Shopify-Triggered-At": timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    with commits_run_callbacks():
        return client.post(URL, data=body, content_type="application/json", headers=headers)


def shipped(merchant, simulator, shop) -> tuple[str, str]:
    """(order GID, fulfillment GID) of an order fulfilled through the connector."""
    response = requests.post(f"{simulator.base_url}/_simulator/orders/custom", json={"order": {
        "lines": [{"title": "Mug", "sku": "MUG", "quantity": 1, "price": "9.00"}], "fulfilled": False}}, timeout=10)
    gid = response.json()["id"]
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(max_attempts=2))
    (fo,) = read_fulfillment_states(client, [gid])[gid].fulfillment_orders
    result = create_fulfillment(client, FulfillmentRequest(gid, fo.location_gid, ((fo.gid, fo.lines[0].gid, 1),),
                                                           Tracking(number="TRACK-1"), False),
                                asked_at=simulator.clock.now())
    assert result.outcome == CreateOutcome.CREATED
    return gid, result.fulfillment_gid


def payload_of(shop, order_gid: str, fulfillment_gid: str) -> dict:
    """The body the simulator sends for the fulfillment."""
    return fulfillment_event_payload(shop, (order_number(shop, order_gid), fulfillment_gid))


def test_a_made_fulfillment_is_passed_on_once_with_its_order_and_status(client, hooked_merchant, simulator, shop,
                                                                        heard):
    # given
    order_gid, fulfillment_gid = shipped(hooked_merchant, simulator, shop)
    payload = payload_of(shop, order_gid, fulfillment_gid)
    # when
    answers = [deliver(client, hooked_merchant, "fulfillments/create", payload, event_id="event-1").status_code
               for _ in range(3)]
    # then
    assert answers == [200] * 3
    assert heard == [{"signal": fulfillment_changed, "merchant": hooked_merchant, "order_gid": order_gid,
                      "fulfillment_gid": fulfillment_gid, "status": "SUCCESS",
                      "updated_at": datetime.fromisoformat(payload["updated_at"].replace("Z", "+00:00"))}]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.topic, delivery.subject) == ("fulfillments/create", fulfillment_gid)
    assert fulfillment_gid.rsplit("/", 1)[1] in delivery.detail


def test_a_changed_or_cancelled_fulfillment_is_passed_on_with_its_new_status(client, hooked_merchant, simulator,
                                                                            shop, shopify, heard):
    # given
    order_gid, fulfillment_gid = shipped(hooked_merchant, simulator, shop)
    simulator.clock.advance(30)
    assert shopify.run_text(TRACKING_UPDATE, id=fulfillment_gid, tracking={"number": "TRACK-2"})[
        "fulfillmentTrackingInfoUpdate"]["userErrors"] == []
    updated = payload_of(shop, order_gid, fulfillment_gid)
    cancelled = {**updated, "status": "cancelled"}
    # when
    deliver(client, hooked_merchant, "fulfillments/update", updated)
    deliver(client, hooked_merchant, "fulfillments/update", cancelled)
    # then
    assert [(said["fulfillment_gid"], said["status"]) for said in heard] == [(fulfillment_gid, "SUCCESS"),
                                                                            (fulfillment_gid, "CANCELLED")]
    assert updated["tracking_number"] == "TRACK-2"
    assert heard[0]["updated_at"] > datetime.fromisoformat(updated["created_at"].replace("Z", "+00:00"))


def test_the_outcome_a_listener_gives_is_the_deliverys(client, hooked_merchant, simulator, shop):
    # given
    order_gid, fulfillment_gid = shipped(hooked_merchant, simulator, shop)

    def recorded(sender, **kwargs):
        return Handled(WebhookOutcome.IGNORED, f"shipment for {kwargs['fulfillment_gid']} noted")

    fulfillment_changed.connect(recorded, dispatch_uid="tests.fulfillments.recorded")
    try:
        # when
        deliver(client, hooked_merchant, "fulfillments/create", payload_of(shop, order_gid, fulfillment_gid))
    finally:
        fulfillment_changed.disconnect(dispatch_uid="tests.fulfillments.recorded")
    # then
    assert WebhookDelivery.objects.get().detail == f"shipment for {fulfillment_gid} noted"


@pytest.mark.parametrize("change, problem", [
    ({"order_id": None}, "order_id"),
    ({"order_id": "5000000001"}, "order_id"),
    ({"status": ""}, "status"),
    ({"admin_graphql_api_id": "gid://shopify/Order/5000000001"}, "Fulfillment GID"),
    ({"updated_at": "yesterday"}, "updated_at"),
])
def test_a_body_that_is_no_fulfillment_is_refused_and_nothing_is_said(client, hooked_merchant, simulator, shop, heard,
                                                                      change, problem):
    # given
    order_gid, fulfillment_gid = shipped(hooked_merchant, simulator, shop)
    payload = {**payload_of(shop, order_gid, fulfillment_gid), **change}
    # when
    response = deliver(client, hooked_merchant, "fulfillments/update", payload)
    # then
    assert response.status_code == 400
    assert heard == [] and not WebhookDelivery.objects.exists()
    assert fulfillment_topics.fulfillment_shape(hooked_merchant, payload) and problem in \
        fulfillment_topics.fulfillment_shape(hooked_merchant, payload)
