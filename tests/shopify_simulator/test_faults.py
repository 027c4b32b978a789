"""Fault injection: each fault Shopify can throw, for the next N requests or by probability."""
import pytest
import requests

from tests.fixtures.shopify_simulator import document


def inject(shopify, kind, **rule):
    shopify.control("POST", "faults", shop=shopify.simulator.shops[0].domain, kind=kind, **rule)


def test_server_errors_for_the_next_two_requests_then_normal(shopify):
    inject(shopify, "server_error", next=2, status=502)

    statuses = [shopify.post(document("ShopInfo")).status_code for _ in range(3)]

    assert statuses == [502, 502, 200]


def test_a_throttle_storm(shopify):
    inject(shopify, "throttle", next=3)

    bodies = [shopify.post(document("ShopInfo")).json() for _ in range(4)]

    assert [b.get("errors", [{}])[0].get("extensions", {}).get("code") for b in bodies[:3]] == ["THROTTLED"] * 3
    assert "data" in bodies[3]


def test_a_slow_answer_passes_a_clients_timeout(shopify):
    inject(shopify, "slow", next=1, seconds=1.5)

    with pytest.raises(requests.Timeout):
        shopify.post(document("ShopInfo"), timeout=0.5)
    assert shopify.post(document("ShopInfo")).status_code == 200


def test_a_dropped_connection(shopify):
    inject(shopify, "drop", next=1)

    with pytest.raises(requests.ConnectionError):
        requests.post(shopify.simulator.graphql_url(), json={"query": "{ shop { name } }"},
                      headers={"X-Shopify-Access-Token": shopify.token}, timeout=5)


def test_a_malformed_body_and_an_injected_401(shopify):
    inject(shopify, "malformed", next=1)
    malformed = shopify.post(document("ShopInfo"))
    inject(shopify, "unauthorized", next=1)
    unauthorized = shopify.post(document("ShopInfo"))

    with pytest.raises(ValueError):
        malformed.json()
    assert unauthorized.status_code == 401


def test_faults_by_probability_hit_some_requests_and_can_be_cleared(shopify):
    inject(shopify, "server_error", probability=0.5)
    statuses = [shopify.post(document("ShopInfo")).status_code for _ in range(20)]
    shopify.control("DELETE", "faults")

    assert 3 <= statuses.count(503) <= 17 and statuses.count(200) + statuses.count(503) == 20
    assert shopify.post(document("ShopInfo")).status_code == 200


def test_the_stats_count_requests_and_each_fault_injected(shopify):
    domain = shopify.simulator.shops[0].domain
    inject(shopify, "server_error", next=2)
    inject(shopify, "empty", next=1)

    for _ in range(5):
        shopify.post(document("ShopInfo"))

    stats = shopify.control("GET", "stats")["shops"][domain]
    assert stats == {"requests": 5, "faults": {"server_error": 2, "empty": 1}}


def test_an_empty_answer_is_http_200_with_nothing_in_it(shopify):
    inject(shopify, "empty", next=1)

    first, second = (shopify.post(document("ShopInfo")) for _ in range(2))

    assert (first.status_code, first.json()) == (200, {"data": {}})
    assert second.json()["data"]["shop"]["name"]


def test_null_nodes_empty_only_answers_to_nodes_and_count_only_those(shopify):
    shop = shopify.simulator.shops[0]
    ids = [shop.generator.order_gid(n) for n in (1, 2)]
    query = "query($ids: [ID!]!) { nodes(ids: $ids) { id } }"
    inject(shopify, "null_nodes", next=1)

    unaffected = shopify.post(document("ShopInfo")).json()
    nulled = shopify.post(query, {"ids": ids}).json()
    whole = shopify.post(query, {"ids": ids}).json()

    assert unaffected["data"]["shop"]["name"]
    assert nulled["data"]["nodes"] == [None, None]
    assert [node["id"] for node in whole["data"]["nodes"]] == ids
