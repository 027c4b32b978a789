"""The shop's products and variants over HTTP, as a client holding only a token reads them: every
order line points at a real variant, lists page and filter with Shopify's search syntax, single
lookups and node(s) answer, and a bulk export lists each variant under its product."""
from __future__ import annotations

import json

import pytest
import requests

from shopify_simulator.bucket import PLANS, LeakyBucket
from tests.shopify_simulator.test_bulk import wait_for

PRODUCT_FIELDS = "id title handle vendor productType status tags totalInventory"
VARIANT_FIELDS = "id sku barcode price title position product { id } inventoryItem { id unitCost { amount } }"


@pytest.fixture(autouse=True)
def unlimited(simulator):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])


def all_pages(shopify, root: str, fields: str, query: str | None = None, first: int = 5) -> list[dict]:
    nodes, after = [], None
    while True:
        data = shopify.run_text(
            "query($first: Int!, $after: String, $query: String) { %s(first: $first, after: $after, query: $query)"
            " { nodes { %s } pageInfo { hasNextPage endCursor } } }" % (root, fields),
            first=first, after=after, query=query)[root]
        nodes += data["nodes"]
        if not data["pageInfo"]["hasNextPage"]:
            return nodes
        after = data["pageInfo"]["endCursor"]


def test_every_variant_an_order_sold_is_in_the_catalog_with_the_same_sku(shopify):
    variants = {v["id"]: v for v in all_pages(shopify, "productVariants", VARIANT_FIELDS, first=50)}
    lines = shopify.run_text("{ orders(first: 25) { nodes { lineItems(first: 10) { nodes { sku "
                             "variant { id } product { id } } } } } }")["orders"]["nodes"]

    sold = [line for order in lines for line in order["lineItems"]["nodes"]]
    assert sold
    for line in sold:
        variant = variants[line["variant"]["id"]]
        assert variant["sku"] == line["sku"] and variant["product"]["id"] == line["product"]["id"]


def test_products_page_once_each_and_their_variants_belong_to_them(shopify):
    products = all_pages(shopify, "products", PRODUCT_FIELDS + " variants(first: 50) { nodes { id product { id } } }",
                         first=3)

    assert len({p["id"] for p in products}) == len(products) >= 5
    for product in products:
        assert product["status"] == "ACTIVE" and product["handle"]
        assert {v["product"]["id"] for v in product["variants"]["nodes"]} == {product["id"]}


def test_search_finds_variants_by_sku_and_barcode_and_products_by_sku_tag_and_status(shopify):
    variants = all_pages(shopify, "productVariants", VARIANT_FIELDS, first=50)
    one = next(v for v in variants if v["sku"] and v["barcode"])

    by_sku = all_pages(shopify, "productVariants", "id", query=f"sku:{one['sku']}")
    by_barcode = all_pages(shopify, "productVariants", "id", query=f"barcode:{one['barcode']}")
    product_by_sku = all_pages(shopify, "products", "id", query=f"sku:{one['sku']}")
    drafts = all_pages(shopify, "products", "id", query="status:draft")
    tagged = all_pages(shopify, "products", "id tags", query="tag:new")

    assert [v["id"] for v in by_sku] == [v["id"] for v in by_barcode] == [one["id"]]
    assert [p["id"] for p in product_by_sku] == [one["product"]["id"]]
    assert drafts == []
    assert all("new" in p["tags"] for p in tagged)


def test_a_product_and_a_variant_are_found_by_id_and_by_node(shopify):
    variant = all_pages(shopify, "productVariants", VARIANT_FIELDS, first=1)[0]
    product_id = variant["product"]["id"]

    product = shopify.run_text('{ product(id: "%s") { id variants(first: 20) { nodes { id } } } }' % product_id)
    single = shopify.run_text('{ productVariant(id: "%s") { id sku product { title } } }' % variant["id"])
    nodes = shopify.run_text('{ nodes(ids: ["%s", "%s", "gid://shopify/Product/1"]) { id } }' % (
        product_id, variant["id"]))
    missing = shopify.run_text('{ product(id: "gid://shopify/Product/1") { id } }')

    assert variant["id"] in [v["id"] for v in product["product"]["variants"]["nodes"]]
    assert single["productVariant"]["sku"] == variant["sku"] and single["productVariant"]["product"]["title"]
    assert [n and n["id"] for n in nodes["nodes"]] == [product_id, variant["id"], None]
    assert missing["product"] is None


def test_a_page_larger_than_250_is_refused_and_a_read_is_priced(shopify):
    too_big = shopify.post("{ products(first: 251) { nodes { id } } }").json()
    priced = shopify.post("{ products(first: 10) { nodes { id } } }").json()

    assert too_big["errors"] and not (too_big.get("data") or {}).get("products")
    assert priced["extensions"]["cost"]["requestedQueryCost"] > 1


def test_a_bulk_export_lists_each_variant_under_its_product(shopify):
    query = "{ products { edges { node { id title variants { edges { node { id sku } } } } } } }"
    started = shopify.run("BulkOrders", query=query)["data"]["bulkOperationRunQuery"]
    operation = wait_for(shopify, started["bulkOperation"]["id"])

    lines = [json.loads(line) for line in requests.get(operation["url"], timeout=10).text.splitlines()]
    products = {line["id"] for line in lines if "__parentId" not in line}
    variants = [line for line in lines if "__parentId" in line]

    assert started["userErrors"] == [] and operation["status"] == "COMPLETED"
    assert products and variants and all(v["__parentId"] in products for v in variants)
    assert len(variants) == len(all_pages(shopify, "productVariants", "id", first=50))
