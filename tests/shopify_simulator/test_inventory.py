"""Stock over HTTP: levels per inventory item and location (a fulfillment-service warehouse among
them), quantities by name, a variant's and a product's totals that agree with them, and lookups."""
from __future__ import annotations

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.shopify_simulator.test_products import all_pages

QUANTITIES = 'quantities(names: ["available", "on_hand", "committed", "incoming"]) { name quantity }'


@pytest.fixture(autouse=True)
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


def quantities(level: dict) -> dict[str, int]:
    return {q["name"]: q["quantity"] for q in level["quantities"]}


def test_a_shop_has_its_own_locations_and_one_fulfillment_service_warehouse(shopify):
    locations = shopify.run_text("{ locations(first: 10) { nodes { id name isFulfillmentService "
                                 "fulfillsOnlineOrders } } }")["locations"]["nodes"]

    assert len(locations) == 3
    assert [loc["isFulfillmentService"] for loc in locations] == [False, False, True]
    assert locations[2]["fulfillsOnlineOrders"] is False


def test_a_variants_stock_is_the_sum_of_its_levels_and_a_products_the_sum_of_its_variants(shopify):
    products = all_pages(shopify, "products", "id totalInventory tracksInventory variants(first: 10) { nodes { "
                         "inventoryQuantity inventoryItem { tracked inventoryLevels(first: 3) { nodes { "
                         "location { id } %s } } } } }" % QUANTITIES, first=1)

    tracked = 0
    for product in products:
        variants = product["variants"]["nodes"]
        for variant in variants:
            levels = variant["inventoryItem"]["inventoryLevels"]["nodes"]
            if not variant["inventoryItem"]["tracked"]:
                assert levels == [] and variant["inventoryQuantity"] == 0   # a gift card
                continue
            tracked += 1
            assert len(levels) == 3
            for level in levels:
                amounts = quantities(level)
                assert amounts["available"] == amounts["on_hand"] - amounts["committed"] >= 0
            assert variant["inventoryQuantity"] == sum(quantities(level)["available"] for level in levels)
        if product["tracksInventory"]:
            assert product["totalInventory"] == sum(v["inventoryQuantity"] for v in variants)
    assert tracked > 5


def test_items_and_levels_are_found_by_sku_by_id_and_by_node(shopify):
    items = all_pages(shopify, "inventoryItems", "id sku tracked", first=50)
    item = next(i for i in items if i["tracked"])
    location = shopify.run_text("{ location { id } }")["location"]["id"]

    by_sku = all_pages(shopify, "inventoryItems", "id", query=f"sku:{item['sku']}")
    one = shopify.run_text('{ inventoryItem(id: "%s") { sku inventoryLevel(locationId: "%s") { id %s } } }' % (
        item["id"], location, QUANTITIES))["inventoryItem"]
    level_id = one["inventoryLevel"]["id"]
    level = shopify.run_text('{ inventoryLevel(id: "%s") { id item { sku } location { id } %s } }' % (
        level_id, QUANTITIES))["inventoryLevel"]
    node = shopify.run_text('{ node(id: "%s") { id } }' % level_id)["node"]

    assert [i["id"] for i in by_sku] == [item["id"]]
    assert one["sku"] == item["sku"]
    assert (level["item"]["sku"], level["location"]["id"]) == (item["sku"], location)
    assert quantities(level) == quantities(one["inventoryLevel"])
    assert node == {"id": level_id}


def test_a_locations_levels_list_the_items_it_stocks(shopify):
    warehouse = shopify.run_text("{ locations(first: 3) { nodes { id } } }")["locations"]["nodes"][2]["id"]
    location = shopify.run_text('{ location(id: "%s") { inventoryLevels(first: 100) { nodes { item { id } } } } }'
                                % warehouse)["location"]
    tracked = [i for i in all_pages(shopify, "inventoryItems", "id tracked", first=50) if i["tracked"]]

    assert {level["item"]["id"] for level in location["inventoryLevels"]["nodes"]} == {i["id"] for i in tracked}
