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

    tracked, at_the_service = 0, 0
    for product in products:
        variants = product["variants"]["nodes"]
        for variant in variants:
            levels = variant["inventoryItem"]["inventoryLevels"]["nodes"]
            if not variant["inventoryItem"]["tracked"]:
                assert levels == [] and variant["inventoryQuantity"] == 0   # a gift card
                continue
            tracked += 1
            # Every own location stocks it; the fulfillment service's warehouse only some items.
            assert len(levels) in (2, 3)
            at_the_service += len(levels) == 3
            for level in levels:
                amounts = quantities(level)
                assert amounts["available"] == amounts["on_hand"] - amounts["committed"] >= 0
            assert variant["inventoryQuantity"] == sum(quantities(level)["available"] for level in levels)
        if product["tracksInventory"]:
            assert product["totalInventory"] == sum(v["inventoryQuantity"] for v in variants)
    assert tracked > 5 and 0 < at_the_service < tracked


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
    items = all_pages(shopify, "inventoryItems", "id tracked inventoryLevels(first: 5) { nodes { location { id } } }",
                      first=50)
    stocked = {i["id"] for i in items if warehouse in {n["location"]["id"] for n in i["inventoryLevels"]["nodes"]}}

    assert stocked and {level["item"]["id"] for level in location["inventoryLevels"]["nodes"]} == stocked


SET = """mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) {
  inventoryAdjustmentGroup { id reason changes(quantityNames: ["available", "on_hand"]) { name delta
  quantityAfterChange item { id } location { id } } } userErrors { field message code } } }"""
LEVEL = '{ inventoryItem(id: "%s") { inventoryLevel(locationId: "%s") { updatedAt %s } } }'


def a_level(shopify) -> tuple[str, str, dict]:
    item = next(i for i in all_pages(shopify, "inventoryItems", "id tracked", first=50) if i["tracked"])["id"]
    location = shopify.run_text("{ location { id } }")["location"]["id"]
    level = shopify.run_text(LEVEL % (item, location, QUANTITIES))["inventoryItem"]["inventoryLevel"]
    return item, location, level


def set_quantity(shopify, item, location, quantity, compare, **extra) -> dict:
    entry = {"inventoryItemId": item, "locationId": location, "quantity": quantity, "compareQuantity": compare}
    return shopify.run_text(SET, input={"name": "available", "reason": "correction", "quantities": [entry],
                                        **extra})["inventorySetQuantities"]


def test_setting_available_stock_is_read_back_with_its_changes_and_keeps_what_is_committed(shopify):
    item, location, before = a_level(shopify)
    was = quantities(before)

    answer = set_quantity(shopify, item, location, was["available"] + 7, was["available"])
    after = quantities(shopify.run_text(LEVEL % (item, location, QUANTITIES))["inventoryItem"]["inventoryLevel"])

    assert answer["userErrors"] == []
    changes = {c["name"]: (c["delta"], c["quantityAfterChange"]) for c in answer["inventoryAdjustmentGroup"]["changes"]}
    assert changes == {"available": (7, was["available"] + 7), "on_hand": (7, was["on_hand"] + 7)}
    assert after == {**was, "available": was["available"] + 7, "on_hand": was["on_hand"] + 7}


def test_a_stale_compare_quantity_changes_nothing_and_says_so(shopify):
    item, location, before = a_level(shopify)
    was = quantities(before)

    answer = set_quantity(shopify, item, location, 3, was["available"] + 1)
    after = quantities(shopify.run_text(LEVEL % (item, location, QUANTITIES))["inventoryItem"]["inventoryLevel"])

    assert answer["inventoryAdjustmentGroup"] is None
    assert [e["code"] for e in answer["userErrors"]] == ["COMPARE_QUANTITY_STALE"]
    assert after == was


def test_bad_input_is_a_user_error_and_nothing_is_half_applied(shopify):
    item, location, before = a_level(shopify)
    was = quantities(before)
    good = {"inventoryItemId": item, "locationId": location, "quantity": 1, "compareQuantity": was["available"]}
    unknown = {**good, "inventoryItemId": "gid://shopify/InventoryItem/1"}
    nowhere = {**good, "locationId": "gid://shopify/Location/1"}
    second = shopify.run_text("{ locations(first: 2) { nodes { id } } }")["locations"]["nodes"][1]["id"]
    negative = {**good, "locationId": second, "quantity": -1}

    answer = shopify.run_text(SET, input={"name": "on_hand", "reason": "no such reason", "ignoreCompareQuantity": True,
                                          "quantities": [good, unknown, nowhere, good, negative]})
    after = quantities(shopify.run_text(LEVEL % (item, location, QUANTITIES))["inventoryItem"]["inventoryLevel"])

    codes = sorted(e["code"] for e in answer["inventorySetQuantities"]["userErrors"])
    assert codes == sorted(["INVALID_REASON", "INVALID_INVENTORY_ITEM", "INVALID_LOCATION",
                            "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", "INVALID_QUANTITY_NEGATIVE"])
    assert after == was
