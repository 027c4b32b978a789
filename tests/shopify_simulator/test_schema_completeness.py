"""What the schema promises, the simulator answers: a query built from Shopify's schema, selecting
every field of a served type that takes no required argument (scalars and enums, and non-null object
fields one level down), runs for several objects of that type without an error. A real client's
ordinary query must never meet "Cannot return null for non-nullable field"."""
from __future__ import annotations

import pytest
from graphql import GraphQLEnumType, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, Undefined, get_named_type

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.schema import admin_schema

SCHEMA = admin_schema()


def takes_no_required_argument(field) -> bool:
    return not any(isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
                   for arg in field.args.values())


def selection(type_name: str, depth: int = 1) -> str:
    """Every field of `type_name` a client can ask for without arguments, as a selection set."""
    chosen = []
    for name, field in SCHEMA.get_type(type_name).fields.items():
        if field.deprecation_reason or not takes_no_required_argument(field):
            continue
        base = get_named_type(field.type)
        if isinstance(base, (GraphQLScalarType, GraphQLEnumType)):
            chosen.append(name)
        elif depth and isinstance(field.type, GraphQLNonNull):
            if base.name.endswith("Connection"):
                chosen.append(f"{name}(first: 2) {{ pageInfo {{ hasNextPage }} }}")
            elif isinstance(base, GraphQLObjectType):
                chosen.append(f"{name} {{ {selection(base.name, depth - 1) or '__typename'} }}")
            else:   # an interface or a union
                chosen.append(f"{name} {{ __typename }}")
    return " ".join(chosen)


QUERIES = {
    "Location": "{ locations(first: 5) { nodes { %s } } }" % selection("Location"),
    "Customer": "{ customers(first: 5) { nodes { %s } } }" % selection("Customer"),
    "Order": "{ orders(first: 8) { nodes { %s } } }" % selection("Order"),
    "Product": "{ products(first: 10) { nodes { %s } } }" % selection("Product"),
    "ProductVariant": "{ productVariants(first: 20) { nodes { %s } } }" % selection("ProductVariant"),
    "InventoryItem": "{ productVariants(first: 20) { nodes { inventoryItem { %s } } } }" % selection("InventoryItem"),
    "InventoryLevel": "{ locations(first: 3) { nodes { inventoryLevels(first: 10) { nodes { %s } } } } }"
                      % selection("InventoryLevel"),
    "LineItem": "{ orders(first: 5) { nodes { lineItems(first: 5) { nodes { %s } } } } }" % selection("LineItem"),
}


@pytest.mark.parametrize("type_name", QUERIES)
def test_every_field_the_schema_promises_is_answered(simulator, shopify, type_name):
    simulator.shops[0].bucket = LeakyBucket(PLANS["unlimited"])

    response = shopify.post(QUERIES[type_name])

    body = response.json()
    assert response.status_code == 200
    assert not body.get("errors"), body.get("errors")[:3]
    assert body["data"]


def test_single_customers_and_locations_are_found_by_id(shopify):
    customers = shopify.run_text("{ customers(first: 1) { nodes { id email } } }")["customers"]["nodes"]
    locations = shopify.run_text("{ locations(first: 2) { nodes { id name } } }")["locations"]["nodes"]

    one = shopify.run_text('{ customer(id: "%s") { email taxExempt taxExemptions } }' % customers[0]["id"])
    place = shopify.run_text('{ location(id: "%s") { name legacyResourceId } }' % locations[1]["id"])
    primary = shopify.run_text("{ location { id } }")

    assert one["customer"] == {"email": customers[0]["email"], "taxExempt": False, "taxExemptions": []}
    assert place["location"]["name"] == locations[1]["name"]
    assert place["location"]["legacyResourceId"] == locations[1]["id"].rsplit("/", 1)[1]
    assert primary["location"]["id"] == locations[0]["id"]
