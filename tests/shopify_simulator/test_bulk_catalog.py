"""Bulk exports of the catalog, the customers and the stock, read as a connector reads them: start
bulkOperationRunQuery, poll currentBulkOperation until it ends, download the JSONL. Each nested
connection's items are lines of their own, after their parent, with `__parentId`; the export lists
what paging the same list lists, and its quantities are those a single lookup answers."""
from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket

Run = Callable[..., dict]   # run(document, **variables) -> the answer's data, as ShopifyHttp.run_text

RUN_QUERY = """mutation BulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message code } }
}"""
CURRENT = """query CurrentBulkOperation {
  currentBulkOperation(type: QUERY) { id status errorCode objectCount rootObjectCount url }
}"""
PRODUCTS_WITH_VARIANTS = "{ products { edges { node { id title variants { edges { node { id sku price } } } } } } }"
CUSTOMERS_WITH_ADDRESSES = """{ customers { edges { node { id email
  addressesV2 { edges { node { id city countryCodeV2 } } } } } } }"""
INVENTORY_LEVELS = """{ inventoryItems { edges { node { id sku inventoryLevels { edges { node { id location { id }
  quantities(names: ["available"]) { name quantity } } } } } } } }"""
LEVEL_AT = """query LevelAt($item: ID!, $location: ID!) {
  inventoryItem(id: $item) {
    inventoryLevel(locationId: $location) { id quantities(names: ["available"]) { name quantity } }
  }
}"""


def exported(run: Run, query: str) -> list[dict]:
    """The lines of a bulk export of `query`: started, polled through currentBulkOperation until it
    ends (it must complete), downloaded from its URL without a token."""
    started = run(RUN_QUERY, query=query)["bulkOperationRunQuery"]
    assert started["userErrors"] == [], started["userErrors"]
    operation = finished(run, started["bulkOperation"]["id"])
    assert (operation["status"], operation["errorCode"]) == ("COMPLETED", None), operation
    download = requests.get(operation["url"], timeout=10)
    assert download.status_code == 200
    lines = [json.loads(line) for line in download.text.splitlines()]
    assert len(lines) == int(operation["objectCount"])
    assert sum("__parentId" not in line for line in lines) == int(operation["rootObjectCount"])
    return lines


def finished(run: Run, operation_id: str, *, timeout: float = 10.0) -> dict:
    """currentBulkOperation, polled until the operation started as `operation_id` ends."""
    deadline = time.monotonic() + timeout
    while True:
        current = run(CURRENT)["currentBulkOperation"]
        assert current["id"] == operation_id
        if current["status"] not in ("CREATED", "RUNNING"):
            return current
        assert time.monotonic() < deadline, f"bulk operation {operation_id} still {current['status']}"
        time.sleep(0.05)


def children_by_parent(lines: list[dict]) -> dict[str, list[dict]]:
    """Every root line's id with the lines that name it as `__parentId`, in file order; each child
    must come after a line with the id it names."""
    seen: set[str] = set()
    children: dict[str, list[dict]] = {}
    for line in lines:
        parent = line.get("__parentId")
        assert parent is None or parent in seen, f"{line['id']} does not follow its parent {parent}"
        if parent is None:
            assert line["id"] not in children, f"{line['id']} is exported twice"
            children[line["id"]] = []
        else:
            children[parent].append(line)
        seen.add(line["id"])
    return children


def paged(run: Run, field: str, selection: str, *, page_size: int) -> list[dict]:
    """Every node of root connection `field`, page after page, as a client pages it."""
    document = ("query Page($after: String) { %s(first: %d, after: $after) { nodes { %s } "
                "pageInfo { hasNextPage endCursor } } }" % (field, page_size, selection))
    nodes, after = [], None
    while True:
        page = run(document, after=after)[field]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


@pytest.fixture(autouse=True)
def unlimited(simulator):
    """Paging every list to compare is many requests; pacing is test_throttling's subject."""
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


def test_a_bulk_export_of_products_lists_every_product_with_its_own_variants(shopify):
    """Each product is a line, its variants follow it naming it; the products and their variants are
    those paging `products` finds."""
    # when
    children = children_by_parent(exported(shopify.run_text, PRODUCTS_WITH_VARIANTS))
    # then
    listed = paged(shopify.run_text, "products", "id variants(first: 50) { nodes { id } }", page_size=10)
    assert len(children) == len(listed) > 1
    assert {product_id: [v["id"] for v in variants] for product_id, variants in children.items()} == {
        p["id"]: [v["id"] for v in p["variants"]["nodes"]] for p in listed}
    assert all(variants for variants in children.values())


def test_a_bulk_export_of_customers_lists_each_with_its_addresses(shopify):
    """addressesV2 is a connection, so each address is a line after its customer; the customers are
    all those paging `customers` finds (more than one page)."""
    # when
    children = children_by_parent(exported(shopify.run_text, CUSTOMERS_WITH_ADDRESSES))
    # then
    listed = paged(shopify.run_text, "customers", "id addressesV2(first: 5) { nodes { id city } }", page_size=100)
    assert len(children) == len(listed) > 100
    assert {customer_id: [(a["id"], a["city"]) for a in addresses] for customer_id, addresses in children.items()} == {
        c["id"]: [(a["id"], a["city"]) for a in c["addressesV2"]["nodes"]] for c in listed}


def test_a_bulk_export_of_stock_gives_each_level_the_quantity_a_lookup_gives(shopify):
    """Each inventory item is a line, its levels (one per location it is stocked at) follow it; each
    level's available quantity is what inventoryItem(id:) { inventoryLevel(locationId:) } answers."""
    # when
    children = children_by_parent(exported(shopify.run_text, INVENTORY_LEVELS))
    # then
    listed = paged(shopify.run_text, "inventoryItems", "id", page_size=50)
    assert list(children) == [item["id"] for item in listed]
    levels = [(item_id, level) for item_id, item_levels in children.items() for level in item_levels]
    assert len({level["location"]["id"] for _, level in levels}) > 1
    for item_id, level in levels:
        answered = shopify.run_text(LEVEL_AT, item=item_id, location=level["location"]["id"])
        assert answered["inventoryItem"]["inventoryLevel"] == {"id": level["id"], "quantities": level["quantities"]}


def test_files_and_webhook_subscriptions_export_as_every_other_list(shopify):
    shopify.run_text("""mutation { webhookSubscriptionCreate(topic: PRODUCTS_UPDATE, webhookSubscription:
      {callbackUrl: "https://example.org/hooks", format: JSON}) { userErrors { message } } }""")

    files = exported(shopify.run_text, "{ files { edges { node { id alt } } } }")
    subscriptions = exported(shopify.run_text, "{ webhookSubscriptions { edges { node { id topic } } } }")

    listed = paged(shopify.run_text, "files", "id", page_size=50)
    assert [line["id"] for line in files] == [f["id"] for f in listed] and files
    assert [line["topic"] for line in subscriptions] == ["PRODUCTS_UPDATE"]
