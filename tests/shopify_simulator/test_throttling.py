"""Cost extensions, the leaky bucket, MAX_COST_EXCEEDED and THROTTLED, as Shopify does them."""
import time

from tests.fixtures.shopify_simulator import document

# 2 + 150 × (1 + 3 + 2) = 902: close to a basic bucket's 1000 points; most of it is refunded.
EXPENSIVE = """query { orders(first: 150) { nodes { id lineItems(first: 1) { nodes { id } }
  totalPriceSet { shopMoney { amount } } } } }"""


def test_every_answer_carries_its_cost_and_the_bucket(shopify):
    cost = shopify.run("OrdersPage", first=10)["extensions"]["cost"]

    assert cost["requestedQueryCost"] == 2 + 10 * 3
    assert cost["actualQueryCost"] <= cost["requestedQueryCost"]
    assert cost["throttleStatus"]["maximumAvailable"] == 1000.0
    assert cost["throttleStatus"]["restoreRate"] == 100.0


def test_a_query_over_1000_points_is_refused_before_it_runs(shopify):
    body = shopify.post("{ orders(first: 250) { nodes { id lineItems(first: 5) { nodes { id } } } } }").json()

    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert "data" not in body


def test_a_short_bucket_throttles_and_refills_at_the_restore_rate(shopify, simulator):
    simulator.shops[0].bucket.drain(300)  # 700 left: the 902-point query must wait about 2 s

    throttled = shopify.post(EXPENSIVE)
    body = throttled.json()
    needed = body["extensions"]["cost"]["requestedQueryCost"] - body["extensions"]["cost"]["throttleStatus"][
        "currentlyAvailable"]
    time.sleep(needed / 100 + 0.3)
    recovered = shopify.post(EXPENSIVE).json()

    assert throttled.status_code == 200
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert body["extensions"]["cost"]["actualQueryCost"] is None and "data" not in body
    assert "errors" not in recovered and recovered["data"]["orders"]["nodes"]


def test_throttled_can_be_answered_as_429_with_retry_after(shopify):
    shopify.control("POST", "settings", throttle_status=429)
    shopify.simulator.shops[0].bucket.drain(1000)

    response = shopify.post(EXPENSIVE)

    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) >= 1


def test_unused_points_are_refunded(shopify):
    first = shopify.run("OrdersPage", first=5)["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
    body = shopify.post(document("OrdersPage"), {"first": 250, "query": "name:#nonexistent"}).json()

    cost = body["extensions"]["cost"]
    assert cost["actualQueryCost"] == 2
    assert cost["throttleStatus"]["currentlyAvailable"] >= first - 2
