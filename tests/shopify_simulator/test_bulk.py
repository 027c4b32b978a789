"""Bulk operations: start, poll, download JSONL without a token, children after parents."""
import json
import time

import requests

BULK_QUERY = """{ orders(query: "test:false") { edges { node { id name
  lineItems { edges { node { id quantity } } } } } } }"""


def wait_for(shopify, operation_id: str) -> dict:
    seen = []
    for _ in range(200):
        body = shopify.run("BulkOperationStatus", id=operation_id)["data"]
        seen.append(body["node"]["status"])
        if body["node"]["status"] in ("COMPLETED", "FAILED"):
            return body["node"] | {"seen": seen}
        time.sleep(0.05)
    raise AssertionError(f"bulk operation still {seen[-1]}")


def test_a_bulk_export_lists_every_order_with_its_lines(shopify):
    started = shopify.run("BulkOrders", query=BULK_QUERY)["data"]["bulkOperationRunQuery"]
    operation = wait_for(shopify, started["bulkOperation"]["id"])

    lines = [json.loads(line) for line in requests.get(operation["url"], timeout=10).text.splitlines()]
    orders = [line for line in lines if "__parentId" not in line]
    count = shopify.run("OrdersCount", query="test:false")["data"]["ordersCount"]["count"]

    assert started["userErrors"] == [] and started["bulkOperation"]["status"] == "CREATED"
    assert operation["status"] == "COMPLETED" and "RUNNING" in operation["seen"] or "CREATED" in operation["seen"]
    assert len(orders) == count == int(operation["rootObjectCount"])
    assert len(lines) == int(operation["objectCount"])
    seen_parents = set()
    for line in lines:
        if "__parentId" in line:
            assert line["__parentId"] in seen_parents  # a child follows its parent
        else:
            seen_parents.add(line["id"])
            assert "lineItems" not in line


def test_one_bulk_query_at_a_time_and_bad_queries_are_user_errors(shopify):
    shopify.run("BulkOrders", query=BULK_QUERY)
    second = shopify.run("BulkOrders", query=BULK_QUERY)["data"]["bulkOperationRunQuery"]
    invalid = shopify.run("BulkOrders", query="{ shop { name } }")["data"]["bulkOperationRunQuery"]

    assert second["userErrors"][0]["code"] == "OPERATION_IN_PROGRESS"
    assert invalid["bulkOperation"] is None and invalid["userErrors"][0]["code"] == "INVALID"


def test_a_nested_connection_under_an_aliased_id_is_refused_rather_than_orphaned(shopify):
    aliased = "{ products { edges { node { gid: id variants { edges { node { id } } } } } } }"

    answer = shopify.run("BulkOrders", query=aliased)["data"]["bulkOperationRunQuery"]

    assert answer["bulkOperation"] is None
    assert "must select the 'id' field" in answer["userErrors"][0]["message"]
