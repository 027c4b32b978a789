"""Locations and inventory through the real clients: stock per location, items and levels
read, quantities set and items stocked at a new location."""
from __future__ import annotations

import pytest

from tests.shopify_simulator.real_clients.clients import (
    QUANTITIES,
    Known,
    Read,
    Resource,
    Write,
    assert_valid,
    documents_of,
    given_data,
    quantities,
    read_through,
    reads_of,
    write_through,
    writes_of,
)
from tests.shopify_simulator.real_clients.test_products import a_mug_in_white_and_blue, mug_sku

# -- locations ---------------------------------------------------------------------------------------

LOCATIONS_WITH_STOCK = """query LocationsWithStock {
  locations(first: 5) {
    nodes {
      id name isActive isFulfillmentService fulfillsOnlineOrders
      address { countryCode }
      inventoryLevels(first: 10) { nodes { id item { id sku } %s } }
    }
  }
}""" % QUANTITIES


def each_location_stocks_items_with_consistent_quantities(data: dict, known: Known) -> None:
    locations = data["locations"]["nodes"]
    assert known.location_id in [loc["id"] for loc in locations]
    assert [loc["isFulfillmentService"] for loc in locations] == [False, False, True]
    for location in locations:
        levels = location["inventoryLevels"]["nodes"]
        assert levels, location["name"]
        for level in levels:
            amounts = quantities(level)
            assert amounts["available"] == amounts["on_hand"] - amounts["committed"], level["item"]["sku"]


LOCATIONS = Resource("locations", reads=[
    Read(LOCATIONS_WITH_STOCK, each_location_stocks_items_with_consistent_quantities),
])


# -- inventory ---------------------------------------------------------------------------------------

INVENTORY_ITEMS_BY_SKU = """query InventoryItemsBySku($query: String!) {
  inventoryItems(first: 5, query: $query) {
    nodes { id sku tracked requiresShipping createdAt unitCost { amount currencyCode } }
  }
}"""


def the_item_found_by_sku_has_that_sku(data: dict, known: Known) -> None:
    assert [(i["id"], i["sku"], i["tracked"]) for i in data["inventoryItems"]["nodes"]] == [
        (known.item_id, known.sku, True)]


INVENTORY_ITEM = """query InventoryItem($id: ID!) {
  inventoryItem(id: $id) {
    id sku
    variant { id }
    inventoryLevels(first: 10) { nodes { id location { id } %s } }
  }
}""" % QUANTITIES


def item_has_the_known_level(data: dict, known: Known) -> None:
    item = data["inventoryItem"]
    assert (item["id"], item["sku"], item["variant"]["id"]) == (known.item_id, known.sku, known.variant_id)
    level = next(level for level in item["inventoryLevels"]["nodes"] if level["id"] == known.level_id)
    assert level["location"]["id"] == known.location_id
    assert quantities(level)["available"] == known.available


INVENTORY_LEVEL = """query InventoryLevel($id: ID!) {
  inventoryLevel(id: $id) { id updatedAt item { id sku } location { id name } %s }
}""" % QUANTITIES


def level_is_the_one_asked_for(data: dict, known: Known) -> None:
    level = data["inventoryLevel"]
    assert (level["id"], level["item"]["id"], level["location"]["id"]) == (
        known.level_id, known.item_id, known.location_id)


INVENTORY_SET_QUANTITIES = """mutation InventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup {
      id createdAt reason
      changes(quantityNames: ["available", "on_hand"]) { name delta quantityAfterChange item { id } location { id } }
    }
    userErrors { field message code }
  }
}"""


def set_five_more(known: Known) -> dict:
    return {"input": {"name": "available", "reason": "correction", "quantities": [
        {"inventoryItemId": known.item_id, "locationId": known.location_id,
         "quantity": known.available + 5, "compareQuantity": known.available}]}}


def the_level_reads_back_the_quantity_set(answer: dict, read_back: dict, known: Known) -> None:
    result = answer["inventorySetQuantities"]
    assert result["userErrors"] == []
    available = next(c for c in result["inventoryAdjustmentGroup"]["changes"] if c["name"] == "available")
    assert (available["delta"], available["quantityAfterChange"]) == (5, known.available + 5)
    assert (available["item"]["id"], available["location"]["id"]) == (known.item_id, known.location_id)
    assert quantities(read_back["inventoryLevel"])["available"] == known.available + 5


INVENTORY_ACTIVATE = """mutation InventoryActivate($inventoryItemId: ID!, $locationId: ID!, $available: Int) {
  inventoryActivate(inventoryItemId: $inventoryItemId, locationId: $locationId, available: $available) {
    inventoryLevel { id item { id } location { id } %s }
    userErrors { field message }
  }
}""" % QUANTITIES
INVENTORY_LEVEL_AT = """query InventoryLevelAt($id: ID!, $locationId: ID!) {
  inventoryItem(id: $id) {
    id
    inventoryLevel(locationId: $locationId) { id location { id } %s }
    inventoryLevels(first: 10) { nodes { location { id } } }
  }
}""" % QUANTITIES
STOCKED_AT = """query StockedAt($id: ID!) {
  inventoryItem(id: $id) { inventoryLevels(first: 10) { nodes { location { id } } } }
  locations(first: 10) { nodes { id isActive isFulfillmentService } }
}"""


def a_mug_and_a_location_without_it(client, known: Known) -> dict:
    """A new tracked variant's item (stocked at the primary location only) and an active shop
    location it is not stocked at."""
    made = a_mug_in_white_and_blue(client, known)
    item_id = made["variants"][mug_sku(known, "White")]["inventoryItem"]["id"]
    data = given_data(client, STOCKED_AT, id=item_id)
    stocked = {level["location"]["id"] for level in data["inventoryItem"]["inventoryLevels"]["nodes"]}
    location_id = next(loc["id"] for loc in data["locations"]["nodes"]
                       if loc["isActive"] and not loc["isFulfillmentService"] and loc["id"] not in stocked)
    return made | {"item_id": item_id, "location_id": location_id}


def level_is_at_the_location_asked_for(data: dict, known: Known) -> None:
    item = data["inventoryItem"]
    assert (item["id"], item["inventoryLevel"]["location"]["id"]) == (known.made["item_id"], known.made["location_id"])


def the_item_is_stocked_at_the_new_location_with_its_first_quantity(answer: dict, read_back: dict,
                                                                     known: Known) -> None:
    result = answer["inventoryActivate"]
    assert result["userErrors"] == []
    level = read_back["inventoryItem"]["inventoryLevel"]
    assert result["inventoryLevel"]["id"] == level["id"]
    assert quantities(result["inventoryLevel"]) == quantities(level) == {"available": 7, "on_hand": 7, "committed": 0}
    assert {n["location"]["id"] for n in read_back["inventoryItem"]["inventoryLevels"]["nodes"]} == {
        known.location_id, known.made["location_id"]}


INVENTORY = Resource("inventory", reads=[
    Read(INVENTORY_ITEMS_BY_SKU, the_item_found_by_sku_has_that_sku, lambda known: {"query": f"sku:{known.sku}"}),
    Read(INVENTORY_ITEM, item_has_the_known_level, lambda known: {"id": known.item_id}),
    Read(INVENTORY_LEVEL, level_is_the_one_asked_for, lambda known: {"id": known.level_id}),
], writes=[
    Write(INVENTORY_SET_QUANTITIES, set_five_more,
          read_back=Read(INVENTORY_LEVEL, level_is_the_one_asked_for, lambda known: {"id": known.level_id}),
          then=the_level_reads_back_the_quantity_set),
    Write(INVENTORY_ACTIVATE, lambda known: {"inventoryItemId": known.made["item_id"],
                                             "locationId": known.made["location_id"], "available": 7},
          read_back=Read(INVENTORY_LEVEL_AT, level_is_at_the_location_asked_for,
                         lambda known: {"id": known.made["item_id"], "locationId": known.made["location_id"]}),
          then=the_item_is_stocked_at_the_new_location_with_its_first_quantity, given=a_mug_and_a_location_without_it),
])


READS = reads_of(LOCATIONS, INVENTORY)
WRITES = writes_of(LOCATIONS, INVENTORY)
DOCUMENTS = documents_of(LOCATIONS, INVENTORY, given=[STOCKED_AT])


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert_valid(document)


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    read_through(client_of, known_of, read)


@pytest.mark.parametrize("write", WRITES)
def test_a_write_through_a_real_client_is_read_back_through_it(client_of, known_of, write):
    """Each mutation answers through gql and ShopifyAPI alike, and the same client then reads the change."""
    write_through(client_of, known_of, write)
