"""Stock the way a stock sync meets it: levels read by inventory item ids at one location (nodes,
as Shopify answers them), and a sale between a sync's read and its write (POST
/_simulator/inventory/drift), which moves the level before the next writes that touch it and sends
inventory_levels/update as a sale does."""
from __future__ import annotations

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket

LEVELS_BY_IDS = """query($ids: [ID!]!, $location: ID!) { nodes(ids: $ids) { ... on InventoryItem {
  id tracked inventoryLevel(locationId: $location) { updatedAt quantities(names: ["available", "on_hand"]) {
  name quantity } } } } }"""
SET = """mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
  inventoryAdjustmentGroup { changes(quantityNames: ["available"]) { name quantityAfterChange } }
  userErrors { code field message } } }"""


@pytest.fixture(autouse=True)
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


@pytest.fixture
def shop(simulator):
    return simulator.shops[0]


def item_gid(variant) -> str:
    return f"gid://shopify/InventoryItem/{variant.inventory_item_id}"


def tracked_at(shop, location: str) -> list:
    return [v for v in shop.catalog.variants()
            if v.tracked and shop.inventory.level(v.inventory_item_id, location) is not None]


def quantities(level: dict) -> dict[str, int]:
    return {q["name"]: q["quantity"] for q in level["quantities"]}


def test_levels_are_read_by_item_ids_at_one_location_as_shopify_answers(shopify, shop):
    """An item stocked there has its level; one not stocked there a null level; an untracked item
    none; an id Shopify has no item for a null node, in its place."""
    # given
    service = shop.profile.fulfillment_service_location.gid
    stocked = tracked_at(shop, service)[0]
    elsewhere = next(v for v in shop.catalog.variants()
                     if v.tracked and shop.inventory.level(v.inventory_item_id, service) is None)
    untracked = next(v for v in shop.catalog.variants() if not v.tracked)
    ids = [item_gid(stocked), "gid://shopify/InventoryItem/1", item_gid(elsewhere), item_gid(untracked)]
    # when
    nodes = shopify.run_text(LEVELS_BY_IDS, ids=ids, location=service)["nodes"]
    # then
    level = shop.inventory.level(stocked.inventory_item_id, service)
    assert [node and node["id"] for node in nodes] == [ids[0], None, ids[2], ids[3]]
    assert quantities(nodes[0]["inventoryLevel"]) == {"available": level.available, "on_hand": level.on_hand}
    assert nodes[2]["inventoryLevel"] is None
    assert (nodes[3]["tracked"], nodes[3]["inventoryLevel"]) == (False, None)


def set_available(shopify, variant, location: str, quantity: int, compare: int) -> dict:
    return shopify.run_text(SET, input={"name": "available", "reason": "correction", "quantities": [
        {"inventoryItemId": item_gid(variant), "locationId": location, "quantity": quantity,
         "compareQuantity": compare}]})["inventorySetQuantities"]


def test_a_drifting_level_moves_before_each_of_the_next_writes_that_touch_it(shopify, shop, simulator):
    # given
    location = shop.profile.locations[0].gid
    drifting, other = tracked_at(shop, location)[:2]
    was = shop.inventory.level(drifting.inventory_item_id, location).available
    shopify.run("WebhookSubscribe", topic="INVENTORY_LEVELS_UPDATE", url="http://127.0.0.1:9/nowhere")
    # when
    answer = shopify.control("POST", "inventory/drift", shop=shop.domain, inventory_item_id=drifting.inventory_item_id,
                             location_id=location.rsplit("/", 1)[1], delta=-2, times=2)
    untouched = set_available(shopify, other, location, 3, shop.inventory.level(other.inventory_item_id,
                                                                                   location).available)
    first = set_available(shopify, drifting, location, was + 4, was)
    second = set_available(shopify, drifting, location, was + 4, was - 2)
    third = set_available(shopify, drifting, location, was + 4, was - 4)
    simulator.webhooks.wait_idle()
    # then
    assert answer["available"] == was and (answer["delta"], answer["times"]) == (-2, 2)
    assert untouched["userErrors"] == []
    assert [e["code"] for e in first["userErrors"]] == ["COMPARE_QUANTITY_STALE"]
    assert [e["code"] for e in second["userErrors"]] == ["COMPARE_QUANTITY_STALE"]
    assert third["userErrors"] == [], "two writes drifted; the third finds the level still"
    level = shop.inventory.level(drifting.inventory_item_id, location)
    assert level.available == was + 4 and level.committed >= 4, "a sale commits stock; it is not taken off on hand"
    topics = [d.topic for d in simulator.webhooks.deliveries]
    assert topics.count("inventory_levels/update") == 1 + 2 + 1   # the untouched write, two sales, the third write


def test_a_positive_drift_is_a_restock_and_times_zero_stops_it(shopify, shop):
    location = shop.profile.locations[0].gid
    variant = tracked_at(shop, location)[0]
    was = shop.inventory.level(variant.inventory_item_id, location).available
    body = {"shop": shop.domain, "inventory_item_id": variant.inventory_item_id,
            "location_id": location.rsplit("/", 1)[1]}

    shopify.control("POST", "inventory/drift", **body, delta=5, times=1)
    restocked = set_available(shopify, variant, location, 1, was)
    shopify.control("POST", "inventory/drift", **body, delta=5, times=3)
    shopify.control("POST", "inventory/drift", **body, delta=5, times=0)
    after = set_available(shopify, variant, location, 1, was + 5)

    assert [e["code"] for e in restocked["userErrors"]] == ["COMPARE_QUANTITY_STALE"]
    assert after["userErrors"] == [], "restocked once: the stopped drift moved nothing"
    assert shop.inventory.level(variant.inventory_item_id, location).available == 1


@pytest.mark.parametrize("body, status", [
    ({"inventory_item_id": 1, "location_id": 1, "delta": -1, "times": 1}, 404),
    ({"inventory_item_id": "x", "location_id": 1, "delta": -1}, 400),
    ({"location_id": 1, "delta": -1}, 400),
])
def test_a_drift_of_no_level_is_refused(simulator, shop, body, status):
    response = requests.post(f"{simulator.base_url}/_simulator/inventory/drift", json={"shop": shop.domain, **body},
                             timeout=10)

    assert response.status_code == status and response.json()["error"]
