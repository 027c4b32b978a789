"""Where ShopifyAPI sends, and the shape check every real-client answer goes through: strict where
clients break."""
from __future__ import annotations

import shopify as shopify_api
from graphql import parse

from shopify_simulator.schema import admin_schema
from tests.fixtures.graphql_answers import answer_shape_errors


def test_shopify_api_sends_to_the_simulators_endpoint_with_the_shops_token(simulator, shopify_api_session):
    """The session's site is where ShopifyAPI posts GraphQL; the token header is the shop's."""
    graphql = shopify_api.GraphQL()

    assert graphql.endpoint == simulator.graphql_url()
    assert graphql.headers["X-Shopify-Access-Token"] == simulator.shops[0].access_token
    assert shopify_api.ShopifyResource.url == simulator.shops[0].domain


def test_a_shape_check_catches_what_a_wrong_answer_would_break():
    """The checker is strict where clients break: null in non-null, a lone object for a list, an
    enum value the schema lacks, a number where Money is a string, and a field nobody asked for."""
    document = parse("{ order(id: \"x\") { id displayFinancialStatus tags totalPriceSet { shopMoney { amount } } } }")
    wrong = {"order": {"id": None, "displayFinancialStatus": "SETTLED", "tags": "a", "note": "",
                       "totalPriceSet": {"shopMoney": {"amount": 12.5}}}}

    errors = answer_shape_errors(admin_schema(), document, wrong)

    assert errors == [
        "data.order: not asked for: note",
        "data.order.id: null for non-null ID!",
        "data.order.displayFinancialStatus: 'SETTLED' is not a OrderDisplayFinancialStatus value",
        "data.order.tags: expected a list ([String!]!), got 'a'",
        "data.order.totalPriceSet.shopMoney.amount: 12.5 is not a decimal string (Decimal)",
    ]


def test_a_shape_check_reads_a_node_as_its_typename_and_checks_times_and_counts():
    """An interface value is checked as the type its __typename names (and must name one); a DateTime
    must be ISO 8601 and an Int a 32-bit integer, not a string."""
    document = parse('{ nodes(ids: ["a", "b", "c"]) { __typename ... on Order { createdAt } '
                     '... on ProductVariant { inventoryQuantity } } }')
    wrong = {"nodes": [{"__typename": "Order", "createdAt": "12/03/2025"},
                       {"__typename": "ProductVariant", "inventoryQuantity": "7"},
                       {"__typename": "MoneyV2"}, {"id": "gid://shopify/Order/1"}]}

    errors = answer_shape_errors(admin_schema(), document, wrong)

    assert errors == [
        "data.nodes[0].createdAt: '12/03/2025' is not an ISO 8601 date and time (DateTime)",
        "data.nodes[1].inventoryQuantity: '7' is not a Int (Int cannot represent non-integer value: '7')",
        "data.nodes[2]: 'MoneyV2' is not a Node type",
        "data.nodes[3]: select __typename on Node to check it",
    ]
