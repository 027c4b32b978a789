"""inventory_levels/update keeps Shopify's stock current without a read: a later report replaces
the stored level, an older or repeated one changes nothing, an untracked item's is ignored, a body
of another shape is refused; and a sale in the simulated shop reaches the stored level through a
real delivery."""
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from django.utils import timezone as django_timezone

from connectors.shopify.client import ClientSettings, ShopifyClient
from connectors.shopify.documents import document
from connectors.shopify.models import ShopifyInventoryLevel, WebhookDelivery, WebhookOutcome
from connectors.shopify.webhooks import inventory_topics
from connectors.shopify.webhooks.verification import signature
from core.secrets import Secret
from tests.factories.merchants import MerchantFactory

URL = "/webhooks/shopify/"
KEY = "shpss_stock_key"
ITEM, LOCATION = 46000000007, 61000000101
ITEM_GID, LOCATION_GID = f"gid://shopify/InventoryItem/{ITEM}", f"gid://shopify/Location/{LOCATION}"
THEN = datetime(2025, 3, 12, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def registered():
    """As connectors/shopify/startup.py registers it."""
    inventory_topics.register()


def level_payload(available=12, updated_at=THEN, **extra) -> dict:
    return {"inventory_item_id": ITEM, "location_id": LOCATION, "available": available,
            "updated_at": updated_at.isoformat() if isinstance(updated_at, datetime) else updated_at,
            "admin_graphql_api_id": f"gid://shopify/InventoryLevel/{LOCATION}?inventory_item_id={ITEM}", **extra}


def deliver(client, merchant, payload: dict, *, topic="inventory_levels/update", event_id=None):
    body = json.dumps(payload).encode()
    headers = {
        "X-Shopify-Topic": topic, "X-Shopify-Hmac-Sha256": signature(body, KEY),
        "X-Shopify-Shop-Domain": merchant.shop_domain, "X-Shopify-API-Version": "2025-01",
        "X-Shopify-Webhook-Id": str(uuid.uuid4()), "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
        "X-Shopify-Triggered-At": django_timezone.now().strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }
    return client.post(URL, data=body, content_type="application/json", headers=headers)


def level(merchant) -> tuple[int, int | None, datetime]:
    row = ShopifyInventoryLevel.objects.get(merchant=merchant, location_gid=LOCATION_GID, inventory_item_gid=ITEM_GID)
    return row.available, row.on_hand, row.reported_at


@pytest.fixture
def hooked(db):
    return MerchantFactory(code="STOCK", shop_domain="stock.myshopify.com", api_secret_key=Secret(KEY))


def test_a_reported_level_is_stored_and_the_delivery_says_so(client, hooked):
    response = deliver(client, hooked, level_payload(available=12))

    assert response.status_code == 200
    assert level(hooked) == (12, None, THEN)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.topic, delivery.outcome) == ("inventory_levels/update", WebhookOutcome.STOCK_RECORDED)
    assert ITEM_GID in delivery.detail and delivery.subject.startswith("gid://shopify/InventoryLevel/")


def test_a_later_report_replaces_the_level_and_an_older_one_arriving_late_changes_nothing(client, hooked):
    # given
    ShopifyInventoryLevel.objects.create(merchant=hooked, inventory_item_gid=ITEM_GID, location_gid=LOCATION_GID,
                                         available=20, on_hand=23, reported_at=THEN)
    # when
    deliver(client, hooked, level_payload(available=18, updated_at=THEN + timedelta(minutes=5)))
    deliver(client, hooked, level_payload(available=19, updated_at=THEN + timedelta(minutes=2)))
    deliver(client, hooked, level_payload(available=18, updated_at=THEN + timedelta(minutes=5)))
    # then
    assert level(hooked) == (18, None, THEN + timedelta(minutes=5))
    assert [d.outcome for d in WebhookDelivery.objects.order_by("received_at", "pk")] == [
        WebhookOutcome.STOCK_RECORDED, WebhookOutcome.IGNORED, WebhookOutcome.IGNORED]


def test_a_second_change_within_the_same_second_is_not_taken_for_a_repeat(client, hooked):
    deliver(client, hooked, level_payload(available=5))
    deliver(client, hooked, level_payload(available=4))

    assert level(hooked)[0] == 4


def test_a_repeated_delivery_of_one_event_is_recorded_once(client, hooked):
    for _ in range(3):
        assert deliver(client, hooked, level_payload(), event_id="event-7").status_code == 200

    assert WebhookDelivery.objects.count() == 1 and ShopifyInventoryLevel.objects.count() == 1


def test_an_untracked_items_report_is_ignored(client, hooked):
    deliver(client, hooked, level_payload(available=None))

    assert not ShopifyInventoryLevel.objects.exists()
    assert WebhookDelivery.objects.get().outcome == WebhookOutcome.IGNORED


@pytest.mark.parametrize("payload", [
    {"inventory_item_id": ITEM, "location_id": LOCATION, "updated_at": "2025-03-12T10:00:00Z"},
    level_payload(available="12"),
    level_payload(inventory_item_id="46000000007"),
    level_payload(location_id=None),
    level_payload(updated_at="yesterday"),
    level_payload(updated_at="2025-03-12T10:00:00"),
    level_payload(admin_graphql_api_id="gid://shopify/Order/1"),
    {"id": 820982911946154508, "admin_graphql_api_id": "gid://shopify/Order/820982911946154508"},
], ids=["no available", "available as text", "item as text", "no location", "no time", "no zone", "another gid",
        "an order"])
def test_a_body_of_another_shape_is_refused_and_nothing_is_stored(client, hooked, payload):
    response = deliver(client, hooked, payload)

    assert response.status_code == 400
    assert not ShopifyInventoryLevel.objects.exists() and not WebhookDelivery.objects.exists()


# The live server shares SQLite's in-memory connection with the test and complains when closing it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
@pytest.mark.django_db(transaction=True)
def test_a_sale_in_the_shop_reaches_the_stored_level_through_its_webhook(merchant, shop, simulator, live_server):
    # given
    merchant.api_secret_key = Secret(shop.api_secret_key)
    merchant.save()
    client = ShopifyClient.for_merchant(merchant, client_settings=ClientSettings(max_attempts=2))
    created = client.execute(document("WebhookSubscriptionCreate"), {
        "topic": "INVENTORY_LEVELS_UPDATE", "callbackUrl": f"{live_server.url}/webhooks/shopify/"}).data
    assert created["webhookSubscriptionCreate"]["userErrors"] == []
    location = shop.profile.locations[0].gid
    variant = next(v for v in shop.catalog.variants()
                   if v.tracked and shop.inventory.level(v.inventory_item_id, location) is not None)
    # when
    answer = requests.post(f"{simulator.base_url}/_simulator/inventory/set", timeout=10, json={
        "shop": shop.domain, "inventory_item_id": variant.inventory_item_id,
        "location_id": location.rsplit("/", 1)[1], "available": 17}).json()
    simulator.webhooks.wait_idle()
    # then
    row = ShopifyInventoryLevel.objects.get(merchant=merchant, location_gid=location,
                                            inventory_item_gid=f"gid://shopify/InventoryItem/{variant.inventory_item_id}")
    assert row.available == 17 and row.reported_at.isoformat().startswith(answer["updatedAt"][:19])
    assert WebhookDelivery.objects.get(merchant=merchant).outcome == WebhookOutcome.STOCK_RECORDED
