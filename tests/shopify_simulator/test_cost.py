"""Query cost by Shopify's rules: what a query asks for, and what it really read."""
import pytest
from graphql import OperationDefinitionNode, parse

from shopify_simulator.api.cost import QueryCost
from shopify_simulator.schema import admin_schema


def cost_of(query: str, variables=None) -> QueryCost:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return QueryCost(admin_schema(), document, operation, variables or {})


@pytest.mark.parametrize("query, expected", [
    ("{ shop { name currencyCode } }", 1),                                   # one object, scalars free
    ("{ shop { name plan { displayName } } }", 2),                           # nested object
    ("{ orders(first: 50) { nodes { id name } } }", 52),                     # connection: 2 + 50 × 1
    ("{ orders(first: 50) { edges { cursor node { id } } pageInfo { hasNextPage } } }", 52),
    ("{ orders(first: 10) { nodes { id totalPriceSet { shopMoney { amount } } } } }", 2 + 10 * 3),
    ("{ orders(first: 50) { nodes { id lineItems(first: 10) { nodes { id } } } } }", 2 + 50 * (1 + 2 + 10)),
    ("query($n: Int!) { orders(first: $n) { nodes { id } } }", 2 + 25),
    ("mutation { orderUpdate(input: {id: \"gid://shopify/Order/1\"}) { order { id } userErrors { message } } }", 10),
])
def test_requested_cost_follows_shopifys_rules(query, expected):
    assert cost_of(query, {"n": 25}).requested() == expected


def test_an_interface_costs_its_most_expensive_selection():
    query = """{ node(id: "gid://shopify/Order/1") {
        ... on Order { id customer { id } totalPriceSet { shopMoney { amount } } }
        ... on Location { id }
    } }"""

    assert cost_of(query).requested() == 1 + 1 + 2  # the Order branch: customer 1, MoneyBag 1 + MoneyV2 1


def test_actual_cost_counts_what_came_back():
    cost = cost_of("{ orders(first: 50) { nodes { id lineItems(first: 10) { nodes { id } } } } }")
    answer = {"orders": {"nodes": [
        {"id": "1", "lineItems": {"nodes": [{"id": "a"}, {"id": "b"}]}},
        {"id": "2", "lineItems": {"nodes": []}},
    ]}}

    assert cost.actual(answer) == 2 + (1 + 2 + 2) + (1 + 2 + 0)
    assert cost.actual(answer) < cost.requested()


def test_nodes_by_ids_costs_each_id():
    query = 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id customer { id } } } }'

    assert cost_of(query, {"ids": ["a", "b", "c"]}).requested() == 3 * 2
