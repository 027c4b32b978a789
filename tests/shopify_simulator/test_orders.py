"""Orders: cursor pages, search, sort keys, nested connections, node lookups, counts."""
import pytest

from shopify_simulator.store.orders import big_order_number
from tests.fixtures.shopify_simulator import document


def all_pages(shopify, **variables) -> list[dict]:
    orders, after = [], None
    while True:
        page = shopify.run("OrdersPage", first=variables.pop("first", 25), after=after, **variables)["data"]["orders"]
        orders += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return orders
        after = page["pageInfo"]["endCursor"]


def test_paging_reads_every_order_once(shopify, simulator):
    orders = all_pages(shopify, first=25)
    count = shopify.run("OrdersCount")["data"]["ordersCount"]

    assert len(orders) == simulator.shops[0].total_orders == count["count"]
    assert len({o["id"] for o in orders}) == len(orders)
    assert count["precision"] == "EXACT"


def test_sorting_by_updated_at_with_a_range_returns_exactly_that_range_in_order(shopify):
    everything = all_pages(shopify, first=50)
    cutoff = sorted(o["updatedAt"] for o in everything)[len(everything) // 2]

    recent = all_pages(shopify, first=7, sortKey="UPDATED_AT", query=f"updated_at:>='{cutoff}'")

    stamps = [o["updatedAt"] for o in recent]
    assert stamps == sorted(stamps)
    assert {o["id"] for o in recent} == {o["id"] for o in everything if o["updatedAt"] >= cutoff}


def test_reverse_and_created_at_sort(shopify):
    newest_first = shopify.run("OrdersPage", first=10, sortKey="CREATED_AT", reverse=True)["data"]["orders"]["nodes"]

    created = [o["createdAt"] for o in newest_first]
    assert created == sorted(created, reverse=True)


def test_search_filters_by_status_and_test_flag(shopify):
    paid = all_pages(shopify, first=50, query="financial_status:paid")
    tests = all_pages(shopify, first=50, query="test:true")

    assert paid and all(o["displayFinancialStatus"] == "PAID" for o in paid)
    assert tests and all(o["test"] for o in tests)


def test_more_than_250_line_items_arrive_through_nested_paging(shopify, simulator):
    shop = simulator.shops[0]
    big_id = shop.generator.order_gid(big_order_number(shop.total_orders))
    lines, after = [], None
    while True:
        page = shopify.run("OrderLines", id=big_id, first=100, after=after)["data"]["order"]["lineItems"]
        lines += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert len(lines) > 250 and len({line["id"] for line in lines}) == len(lines)


def test_first_above_250_is_refused(shopify):
    body = shopify.post(document("OrdersPage"), {"first": 251}).json()

    assert "errors" in body and "250" in body["errors"][0]["message"]


def test_node_and_nodes_find_orders_and_unknown_ids_are_null(shopify):
    some = shopify.run("OrdersPage", first=2)["data"]["orders"]["nodes"]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Order { id name } } }"

    body = shopify.post(query, {"ids": [some[0]["id"], some[1]["id"], "gid://shopify/Order/1"]}).json()

    assert [n and n["id"] for n in body["data"]["nodes"]] == [some[0]["id"], some[1]["id"], None]


@pytest.mark.parametrize("first", [1, 250])
def test_a_cursor_from_another_sort_is_refused(shopify, first):
    page = shopify.run("OrdersPage", first=first, sortKey="UPDATED_AT")["data"]["orders"]
    body = shopify.post(document("OrdersPage"), {"first": 5, "after": page["pageInfo"]["endCursor"],
                                                  "sortKey": "CREATED_AT"}).json()

    assert "Invalid cursor" in body["errors"][0]["message"]
