"""Nodes by id and the shop itself through the real clients."""
from __future__ import annotations

import pytest

from tests.shopify_simulator.real_clients.clients import (
    MISSING_PRODUCT,
    Known,
    Read,
    Resource,
    assert_valid,
    documents_of,
    read_through,
    reads_of,
)

# -- nodes and the shop ------------------------------------------------------------------------------

NODES = """query Nodes($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename id
    ... on Order { name }
    ... on Customer { email }
    ... on Product { title }
    ... on ProductVariant { sku }
    ... on InventoryItem { sku }
    ... on InventoryLevel { location { id } }
    ... on Location { name }
  }
}"""


def node_ids(known: Known) -> list[str]:
    return [known.order_id, known.customer_id, known.product_id, known.variant_id, known.item_id,
            known.level_id, known.location_id, MISSING_PRODUCT]


def nodes_answer_each_id_with_its_type(data: dict, known: Known) -> None:
    nodes = data["nodes"]
    assert [n and (n["__typename"], n["id"]) for n in nodes] == [
        ("Order", known.order_id), ("Customer", known.customer_id), ("Product", known.product_id),
        ("ProductVariant", known.variant_id), ("InventoryItem", known.item_id), ("InventoryLevel", known.level_id),
        ("Location", known.location_id), None]
    assert (nodes[0]["name"], nodes[1]["email"], nodes[3]["sku"], nodes[4]["sku"]) == (
        known.order_name, known.customer_email, known.sku, known.sku)
    assert nodes[5]["location"]["id"] == known.location_id


NODE_LOOKUPS = Resource("nodes", reads=[Read(NODES, nodes_answer_each_id_with_its_type,
                                             lambda known: {"ids": node_ids(known)})])

SHOP = """query Shop {
  shop {
    id name email myshopifyDomain currencyCode ianaTimezone taxesIncluded weightUnit
    plan { displayName shopifyPlus }
    primaryDomain { host url sslEnabled }
  }
}"""


def shop_is_the_token_holders(data: dict, known: Known) -> None:
    shop = data["shop"]
    assert shop["myshopifyDomain"] == shop["primaryDomain"]["host"] == "demo-eu.myshopify.com"
    assert shop["currencyCode"] == "EUR" and shop["ianaTimezone"]


SHOP_RESOURCE = Resource("shop", reads=[Read(SHOP, shop_is_the_token_holders)])


READS = reads_of(NODE_LOOKUPS, SHOP_RESOURCE)
DOCUMENTS = documents_of(NODE_LOOKUPS, SHOP_RESOURCE)


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_every_document_is_valid_against_the_2025_01_schema(document):
    """What both clients send is a request Shopify's own schema accepts."""
    assert_valid(document)


@pytest.mark.parametrize("read", READS)
def test_a_read_through_a_real_client_answers_in_the_schemas_shape(client_of, known_of, read):
    """Each query answers through gql and ShopifyAPI alike, shaped as the schema says, with the records
    a merchant asked for."""
    read_through(client_of, known_of, read)
