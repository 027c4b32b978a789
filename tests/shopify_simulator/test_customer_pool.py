"""A shop with more customers than its orders buy as (`--customers`): every one listed once in each
sort order, searched, counted and exported as the pool's first 300 are, none joined after "now"."""
from __future__ import annotations

import pytest

from shopify_simulator.bucket import PLANS, LeakyBucket
from shopify_simulator.cli import UsageError, start
from shopify_simulator.server import Simulator
from tests.fixtures.shopify_simulator import ANCHOR, ShopifyHttp
from tests.shopify_simulator.test_bulk_catalog import exported

CUSTOMERS = 1_200


@pytest.fixture(scope="module")
def big_shop():
    sim = Simulator(seed=7, orders=40, anchor=ANCHOR, port=0, shops=1, customers=CUSTOMERS).start()
    sim.bulk_start_delay = 0.05
    shop = sim.shops[0]
    shop.bucket = LeakyBucket(PLANS["unlimited"])
    yield ShopifyHttp(sim, shop.access_token)
    sim.stop()


def listed(http: ShopifyHttp, sort_key: str, query: str | None = None, reverse: bool = False) -> list[dict]:
    found, after = [], None
    while True:
        page = http.run_text(
            "query($after: String, $query: String, $sort: CustomerSortKeys, $reverse: Boolean) {"
            " customers(first: 250, after: $after, query: $query, sortKey: $sort, reverse: $reverse) {"
            " pageInfo { hasNextPage endCursor } nodes { id displayName createdAt updatedAt } } }",
            after=after, query=query, sort=sort_key, reverse=reverse)["customers"]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("sort_key", ["ID", "UPDATED_AT", "CREATED_AT", "NAME"])
def test_every_customer_is_listed_once_in_each_sort_order(big_shop, sort_key):
    customers = listed(big_shop, sort_key)

    assert len({c["id"] for c in customers}) == len(customers) == CUSTOMERS
    field = {"ID": None, "UPDATED_AT": "updatedAt", "CREATED_AT": "createdAt", "NAME": "displayName"}[sort_key]
    if field:
        values = [c[field].lower() if field == "displayName" else c[field] for c in customers]
        assert values == sorted(values)
    assert listed(big_shop, sort_key, reverse=True) == customers[::-1]


def test_the_customers_beyond_the_orders_pool_joined_before_it_and_before_now(big_shop):
    customers = listed(big_shop, "ID")
    pool_first = customers[0]["createdAt"]          # the orders buy as the first 300

    assert all(c["createdAt"] < pool_first for c in customers[300:])
    assert max(c["createdAt"] for c in customers) < big_shop.simulator.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_edited_customer_moves_to_the_end_of_the_updated_at_order_and_alone_matches_since(big_shop):
    customers = listed(big_shop, "ID")
    shop = big_shop.simulator.shops[0]
    edited = big_shop.control("POST", "customers/update", shop=shop.domain, id=customers[900]["id"], note="called")

    by_update = listed(big_shop, "UPDATED_AT")
    since = listed(big_shop, "UPDATED_AT", query=f"updated_at:>='{edited['updatedAt']}'")

    assert by_update[-1]["id"] == customers[900]["id"]
    assert [c["id"] for c in since] == [customers[900]["id"]]


def test_customers_are_counted_searched_and_exported_beyond_the_orders_pool(big_shop):
    one = big_shop.run_text('{ customer(id: "gid://shopify/Customer/%d") { id email } }'
                            % (big_shop.simulator.shops[0].profile.customer_id_base + 1_100))["customer"]

    count = big_shop.run_text("{ customersCount { count precision } }")["customersCount"]
    found = listed(big_shop, "ID", query=f"email:{one['email']}")
    lines = exported(big_shop.run_text, "{ customers { edges { node { id defaultAddress { city } } } } }")

    assert count == {"count": CUSTOMERS, "precision": "EXACT"}
    assert [c["id"] for c in found] == [one["id"]]
    assert len(lines) == CUSTOMERS and all(line["defaultAddress"]["city"] for line in lines)


def test_the_command_line_refuses_fewer_customers_than_the_orders_buy_as():
    options = {"orders": 40, "customers": 100, "seed": 1, "plan": "basic", "anchor": ANCHOR, "host": "127.0.0.1",
               "port": 0, "fault": [], "throttle_status": 200}
    with pytest.raises(UsageError, match="--customers takes 300 to 1,000,000"):
        start(options)
